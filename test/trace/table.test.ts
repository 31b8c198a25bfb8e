import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/index.js';
import { identityFromClaims, identityFromGroups, identityFromUser, type TraceIdentity } from '../../src/trace/index.js';
import { variant } from '../helpers.js';
import { fixture, trace, userReadFrom } from './helpers.js';

const EP = 'https://search-logs-prod-4kq2vqyzt7bxnnyfxm2lyu3ham.eu-west-1.es.amazonaws.com';
const HOME = `${EP}/_dashboards/app/home`;
const LOGIN = 'https://logs-prod-login.auth.eu-west-1.amazoncognito.com';
const CLIENT = '4q8v2n6k1m3p5r7t9w0y2a4c6e';
const PROVIDER = 'cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Xk2LmQp7A';
const REDIRECT_MISMATCH = `An error was encountered with the requested page. (${LOGIN}/error?error=redirect_mismatch&client_id=${CLIENT})`;
const INVALID_POOL =
  'com.amazonaws.services.cognitoidentity.model.InvalidIdentityPoolConfigurationException: Invalid identity pool configuration. Check assigned IAM roles for this pool.';
const UNSUPPORTED = 'NotAuthorizedException: Token is not from a supported provider of this identity pool.';
const AMBIGUOUS_DENIED = `NotAuthorizedException: The ambiguous role mapping rules for: ${PROVIDER} denied this request.`;
const MISSING_ROLE = 'Missing Role: No roles available for this user, please contact your system administrator.';
const session = (role: string) => `arn:aws:sts::123456789012:assumed-role/${role}/CognitoIdentityCredentials`;
const denied = (role: string, explicit = false) =>
  `{"Message":"User: ${session(role)} is not authorized to perform: es:ESHttpGet${explicit ? ' with an explicit deny' : ''}"}`;

type Who = { groups: string[] } | { claims: Record<string, unknown> } | { user: string };

interface Case {
  name: string;
  fixture: string;
  who: Who;
  url?: string;
  edit?: (s: Snapshot) => void;
  /** The failing step, its id and the exact text; or the success line; or the first unknown step. */
  fails?: { step: number; id: string; userSees: string };
  succeeds?: string;
  unknownAt?: number;
  /** Ids the notes must carry (a related failure mode that did not stop the login). */
  notes?: string[];
}

function identityOf(snapshot: Snapshot, who: Who): TraceIdentity {
  if ('groups' in who) return identityFromGroups(snapshot, who.groups);
  if ('claims' in who) return identityFromClaims(snapshot, who.claims, 'claims.json');
  return identityFromUser(snapshot, userReadFrom(snapshot, who.user));
}

const CASES: Case[] = [
  // Logins that succeed
  {
    name: 'the default role, mapped to all_access',
    fixture: 'healthy/opensearch-fgac.json',
    who: { groups: [] },
    succeeds: 'login succeeds as role Cognito_logsprodAuth_Role with security roles all_access, security_manager',
  },
  {
    name: 'the preferred role of the lowest precedence',
    fixture: 'healthy/token-groups.json',
    who: { groups: ['dashboards-admins', 'dashboards-readers'] },
    succeeds: 'login succeeds as role logs-prod-dashboards-admin with security roles all_access, security_manager',
  },
  {
    name: 'a reader',
    fixture: 'healthy/token-groups.json',
    who: { groups: ['dashboards-readers'] },
    succeeds: 'login succeeds as role logs-prod-dashboards-reader with security roles opensearch_dashboards_user, readall',
  },
  {
    name: 'Kibana on a legacy domain without FGAC',
    fixture: 'healthy/legacy-es-kibana.json',
    who: { groups: [] },
    succeeds: 'login succeeds as role Cognito_logsprodAuth_Role with security roles: none (fine-grained access control is off)',
  },
  {
    name: 'the custom endpoint when it is registered',
    fixture: 'healthy/custom-endpoint.json',
    who: { groups: [] },
    url: 'https://logs.example.com/_dashboards',
    succeeds: 'login succeeds as role Cognito_logsprodAuth_Role with security roles all_access, security_manager',
  },
  {
    name: 'a precedence tie falls back to the default role under AuthenticatedRole',
    fixture: 'fail/preferred-role-ambiguous.json',
    who: { groups: ['dashboards-admins', 'dashboards-readers'] },
    succeeds:
      'login succeeds as role Cognito_logsprodAuth_Role with security roles opensearch_dashboards_user, readall (see the notes: preferred-role-ambiguous)',
    notes: ['preferred-role-ambiguous'],
  },
  {
    name: 'a role in an IAM path, mapped by its full ARN',
    fixture: 'healthy/role-in-path-mapped-with-path.json',
    who: { groups: [] },
    succeeds: 'login succeeds as role Cognito_logsprodAuth_Role with security roles all_access, security_manager',
  },
  {
    name: 'a role group without precedence beside a numbered one: the numbered one wins, no tie',
    fixture: 'healthy/token-group-without-precedence.json',
    who: { groups: ['dashboards-admins', 'dashboards-readers'] },
    succeeds: 'login succeeds as role logs-prod-dashboards-admin with security roles all_access, security_manager',
  },
  {
    name: 'group roles without a Token mapping are ignored',
    fixture: 'fail/group-roles-ignored.json',
    who: { groups: ['dashboards-admins'] },
    succeeds: 'login succeeds as role Cognito_logsprodAuth_Role with security roles opensearch_dashboards_user, readall (see the notes: group-roles-ignored)',
    notes: ['group-roles-ignored'],
  },
  {
    name: 'rules: the first matching rule wins over a later one that matches too',
    fixture: 'trace/rules-first-match.json',
    who: { claims: { 'custom:department': 'platform', 'cognito:groups': ['dashboards-readers'] } },
    succeeds: 'login succeeds as role logs-prod-dashboards-admin with security roles all_access, security_manager',
  },
  {
    name: 'rules: Contains on cognito:groups',
    fixture: 'trace/rules-first-match.json',
    who: { claims: { 'cognito:groups': ['dashboards-readers'] } },
    succeeds: 'login succeeds as role logs-prod-dashboards-reader with security roles opensearch_dashboards_user, readall',
  },
  {
    name: 'rules: NotEqual on a claim that is there',
    fixture: 'trace/rules-first-match.json',
    who: { claims: { 'custom:team': 'sre' } },
    succeeds: 'login succeeds as role Cognito_logsprodAuth_Role with security roles opensearch_dashboards_user, readall',
  },
  {
    name: 'a role that covers the home page but not every verb',
    fixture: 'fail/access-policy-resource-or-action-too-narrow--get-only.json',
    who: { groups: [] },
    succeeds:
      'login succeeds as role Cognito_logsprodAuth_Role with security roles: none (fine-grained access control is off) (see the notes: access-policy-resource-or-action-too-narrow)',
    notes: ['access-policy-resource-or-action-too-narrow'],
  },
  {
    // Like the check (a warning) and catalog F3 (a Deny on es:ESHttpGet of the Dashboards path): a Deny of DELETE alone does not stop the login.
    name: 'a Deny of DELETE only on the Dashboards index',
    fixture: 'fail/explicit-deny-blocks-auth-role--delete-only.json',
    who: { groups: [] },
    succeeds:
      'login succeeds as role Cognito_logsprodAuth_Role with security roles: none (fine-grained access control is off) (see the notes: explicit-deny-blocks-auth-role)',
    notes: ['explicit-deny-blocks-auth-role'],
  },
  {
    // How the domain treats NotPrincipal is not documented (decision rule 1: at most a warning): a note, not a failure.
    name: 'a Deny whose NotPrincipal names the role, not its session',
    fixture: 'fail/explicit-deny-blocks-auth-role--not-principal.json',
    who: { groups: [] },
    succeeds:
      'login succeeds as role Cognito_logsprodAuth_Role with security roles: none (fine-grained access control is off) (see the notes: explicit-deny-blocks-auth-role)',
    notes: ['explicit-deny-blocks-auth-role'],
  },

  // 1. Hosted UI
  {
    name: 'redirect mismatch',
    fixture: 'fail/redirect-mismatch.json',
    who: { groups: [] },
    fails: { step: 1, id: 'redirect-mismatch', userSees: REDIRECT_MISMATCH },
  },
  {
    name: 'callback differs in case',
    fixture: 'fail/redirect-mismatch--case.json',
    who: { groups: [] },
    fails: { step: 1, id: 'redirect-mismatch', userSees: REDIRECT_MISMATCH },
  },
  {
    name: 'the custom endpoint is not a callback',
    fixture: 'fail/custom-endpoint-not-in-callback.json',
    who: { groups: [] },
    fails: { step: 1, id: 'custom-endpoint-not-in-callback', userSees: REDIRECT_MISMATCH },
  },
  {
    name: 'a proxy URL that is not registered',
    fixture: 'healthy/opensearch-fgac.json',
    who: { groups: [] },
    url: 'https://dashboards.corp.example/_dashboards',
    fails: { step: 1, id: 'redirect-mismatch', userSees: REDIRECT_MISMATCH },
  },
  {
    name: 'http on a domain that enforces HTTPS goes to https first',
    fixture: 'healthy/opensearch-fgac.json',
    who: { groups: [] },
    url: `${EP.replace('https:', 'http:')}/_dashboards`,
    succeeds: 'login succeeds as role Cognito_logsprodAuth_Role with security roles all_access, security_manager',
  },
  {
    name: 'http on a domain that does not enforce HTTPS',
    fixture: 'healthy/opensearch-fgac.json',
    who: { groups: [] },
    url: `${EP.replace('https:', 'http:')}/_dashboards`,
    edit: (s) => {
      s.domain.DomainEndpointOptions!.EnforceHTTPS = false;
    },
    fails: { step: 1, id: 'redirect-mismatch', userSees: REDIRECT_MISMATCH },
  },
  {
    name: 'the code flow is off',
    fixture: 'fail/oauth-flows-not-enabled.json',
    who: { groups: [] },
    fails: { step: 1, id: 'oauth-flows-not-enabled', userSees: `${HOME}?error=unauthorized_client` },
  },
  {
    name: 'openid is not an allowed scope',
    fixture: 'fail/oauth-scopes-missing.json',
    who: { groups: [] },
    fails: { step: 1, id: 'oauth-scopes-missing', userSees: `${HOME}?error=invalid_scope` },
  },
  {
    name: 'a SAML user whose provider the client does not offer',
    fixture: 'fail/idp-not-enabled-on-app-client--saml.json',
    who: { claims: { identities: [{ providerName: 'CorpEntraID', providerType: 'SAML' }] } },
    fails: { step: 1, id: 'idp-not-enabled-on-app-client', userSees: 'Login option is not available. Please try another one' },
  },
  {
    name: 'a what-if user of a client that offers only a SAML provider signs in with it',
    fixture: 'healthy/opensearch-fgac.json',
    who: { groups: [] },
    edit: (s) => {
      s.userPoolClients![0]!.SupportedIdentityProviders = ['CorpEntraID'];
      s.identityProviders = [
        {
          ProviderName: 'CorpEntraID',
          ProviderType: 'SAML',
          UserPoolId: 'eu-west-1_Xk2LmQp7A',
          AttributeMapping: { email: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress' },
        },
      ];
    },
    succeeds: 'login succeeds as role Cognito_logsprodAuth_Role with security roles all_access, security_manager',
  },
  {
    name: 'a native user when the client offers only a deleted IdP',
    fixture: 'fail/idp-not-enabled-on-app-client--deleted-idp.json',
    who: { groups: [] },
    fails: { step: 1, id: 'idp-not-enabled-on-app-client', userSees: 'Login option is not available. Please try another one' },
  },
  {
    name: 'no user pool domain',
    fixture: 'fail/user-pool-domain-missing.json',
    who: { groups: [] },
    fails: { step: 1, id: 'user-pool-domain-missing', userSees: 'the hosted login page can no longer be served (the user pool has no domain)' },
  },
  {
    name: 'the custom domain FAILED',
    fixture: 'fail/user-pool-domain-missing--custom-domain-failed.json',
    who: { groups: [] },
    fails: { step: 1, id: 'user-pool-domain-missing', userSees: 'the hosted login page can no longer be served (https://login.example.com does not answer)' },
  },
  {
    name: 'the user pool is gone',
    fixture: 'fail/user-pool-not-found.json',
    who: { groups: [] },
    fails: { step: 1, id: 'user-pool-not-found', userSees: 'the hosted login page can no longer be served: User pool eu-west-1_Xk2LmQp7A does not exist.' },
  },
  {
    name: 'the OpenSearch app client is deleted',
    fixture: 'fail/opensearch-app-client-deleted-or-bypassed.json',
    who: { groups: [] },
    fails: { step: 1, id: 'opensearch-app-client-deleted-or-bypassed', userSees: UNSUPPORTED },
  },
  {
    name: 'Cognito is off',
    fixture: 'fail/dashboards-auth-missing.json',
    who: { groups: [] },
    fails: { step: 1, id: 'dashboards-auth-missing', userSees: 'no Cognito login page: Dashboards does not send the user to Cognito' },
  },
  {
    name: 'managed login without a branding style',
    fixture: 'healthy/opensearch-fgac.json',
    who: { groups: [] },
    edit: (s) => {
      s.userPoolDomain = { Domain: 'logs-prod-login', UserPoolId: 'eu-west-1_Xk2LmQp7A', Status: 'ACTIVE', ManagedLoginVersion: 2 };
      s['managedLoginBranding'] = [];
    },
    fails: { step: 1, id: 'managed-login-branding-missing', userSees: 'Login pages unavailable' },
  },

  {
    name: 'managed login with a branding style for the client',
    fixture: 'healthy/opensearch-fgac.json',
    who: { groups: [] },
    edit: (s) => {
      s.userPoolDomain = { Domain: 'logs-prod-login', UserPoolId: 'eu-west-1_Xk2LmQp7A', Status: 'ACTIVE', ManagedLoginVersion: 2 };
      s['managedLoginBranding'] = [
        { ManagedLoginBrandingId: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111', UserPoolId: 'eu-west-1_Xk2LmQp7A', UseCognitoProvidedValues: true },
      ];
    },
    succeeds: 'login succeeds as role Cognito_logsprodAuth_Role with security roles all_access, security_manager',
  },

  // 2. The user (--user)
  {
    name: 'a disabled user',
    fixture: 'trace/token-groups.json',
    who: { user: 'dan' },
    fails: { step: 2, id: 'user-not-confirmed-or-disabled', userSees: 'User is disabled.' },
  },
  {
    name: 'an unconfirmed user',
    fixture: 'trace/token-groups.json',
    who: { user: 'uma' },
    fails: { step: 2, id: 'user-not-confirmed-or-disabled', userSees: 'User is not confirmed.' },
  },
  {
    name: 'a temporary password older than TemporaryPasswordValidityDays',
    fixture: 'trace/token-groups.json',
    who: { user: 'tess' },
    fails: {
      step: 2,
      id: 'temporary-password-expired',
      userSees: 'NotAuthorizedException: Temporary password has expired and must be reset by an administrator.',
    },
  },
  {
    name: 'a confirmed user in a role group',
    fixture: 'trace/token-groups.json',
    who: { user: 'alice' },
    succeeds: 'login succeeds as role logs-prod-dashboards-admin with security roles all_access, security_manager',
  },

  // 3. Token to identity pool
  {
    name: 'the identity pool is gone',
    fixture: 'fail/identity-pool-not-found.json',
    who: { groups: [] },
    fails: {
      step: 3,
      id: 'identity-pool-not-found',
      userSees: "ResourceNotFoundException: IdentityPool 'eu-west-1:5f0c7a3e-2b1d-4e8f-9a6c-3d7e1b2f4a90' not found.",
    },
  },
  {
    name: 'the provider was removed from the identity pool',
    fixture: 'fail/token-not-from-supported-provider.json',
    who: { groups: [] },
    fails: { step: 3, id: 'token-not-from-supported-provider', userSees: UNSUPPORTED },
  },
  {
    name: 'the identity pool lists the old user pool',
    fixture: 'fail/token-not-from-supported-provider--old-user-pool.json',
    who: { groups: [] },
    fails: { step: 3, id: 'token-not-from-supported-provider', userSees: UNSUPPORTED },
  },
  {
    name: 'a token issued to another client',
    fixture: 'healthy/opensearch-fgac.json',
    who: { claims: { aud: '1example23clientid4567890' } },
    fails: { step: 3, id: 'token-not-from-supported-provider', userSees: UNSUPPORTED },
  },
  {
    name: 'the pools are in different Regions',
    fixture: 'fail/pool-region-mismatch.json',
    who: { groups: [] },
    fails: { step: 3, id: 'pool-region-mismatch', userSees: UNSUPPORTED },
  },
  {
    name: 'the provider name carries another Region',
    fixture: 'fail/pool-region-mismatch--provider-name.json',
    who: { groups: [] },
    fails: { step: 3, id: 'pool-region-mismatch', userSees: "NotAuthorizedException: Invalid login token. Issuer doesn't match providerName" },
  },

  // 4. Role selection
  {
    name: 'ambiguous Deny: a user in no role group',
    fixture: 'fail/ambiguous-role-mapping-denied.json',
    who: { groups: [] },
    fails: { step: 4, id: 'ambiguous-role-mapping-denied', userSees: AMBIGUOUS_DENIED },
  },
  {
    name: 'a tie in group precedence under Deny',
    fixture: 'trace/preferred-role-tie-deny.json',
    who: { groups: ['dashboards-admins', 'dashboards-readers'] },
    fails: { step: 4, id: 'ambiguous-role-mapping-denied', userSees: AMBIGUOUS_DENIED },
    notes: ['preferred-role-ambiguous'],
  },
  {
    name: 'no tie for a user in one of the tied groups',
    fixture: 'trace/preferred-role-tie-deny.json',
    who: { groups: ['dashboards-readers'] },
    succeeds: 'login succeeds as role logs-prod-dashboards-reader with security roles opensearch_dashboards_user, readall',
  },
  {
    name: 'groups without precedence tie too',
    fixture: 'fail/preferred-role-ambiguous--no-precedence.json',
    who: { groups: ['dashboards-admins', 'dashboards-readers'] },
    edit: (s) => {
      const key = Object.keys(s.identityPoolRoles!.RoleMappings!)[0]!;
      s.identityPoolRoles!.RoleMappings![key]!.AmbiguousRoleResolution = 'Deny';
    },
    fails: { step: 4, id: 'ambiguous-role-mapping-denied', userSees: AMBIGUOUS_DENIED },
    notes: ['preferred-role-ambiguous'],
  },
  {
    name: 'rules: NotEqual on a missing claim does not match',
    fixture: 'trace/rules-first-match.json',
    who: { claims: {} },
    fails: { step: 4, id: 'ambiguous-role-mapping-denied', userSees: AMBIGUOUS_DENIED },
    notes: ['rules-mapping-no-match'],
  },
  {
    name: 'rules: NotEqual on the excluded value',
    fixture: 'trace/rules-first-match.json',
    who: { claims: { 'custom:team': 'contractors' } },
    fails: { step: 4, id: 'ambiguous-role-mapping-denied', userSees: AMBIGUOUS_DENIED },
  },
  {
    name: 'rules: a claim written without custom:',
    fixture: 'fail/rules-mapping-no-match--deny.json',
    who: { claims: { 'custom:department': 'platform' } },
    fails: { step: 4, id: 'ambiguous-role-mapping-denied', userSees: AMBIGUOUS_DENIED },
    notes: ['rules-mapping-no-match'],
  },
  {
    name: 'no authenticated role to fall back on',
    fixture: 'fail/identity-pool-trust-invalid--no-authenticated-role.json',
    who: { groups: [] },
    fails: { step: 4, id: 'identity-pool-trust-invalid', userSees: INVALID_POOL },
  },

  // 5. STS
  {
    name: 'the authenticated role trusts another pool',
    fixture: 'fail/identity-pool-trust-invalid.json',
    who: { groups: [] },
    fails: { step: 5, id: 'identity-pool-trust-invalid', userSees: INVALID_POOL },
  },
  {
    name: 'the authenticated role trusts cognito-identity as a Service',
    fixture: 'fail/identity-pool-trust-invalid--service-principal.json',
    who: { groups: [] },
    fails: { step: 5, id: 'identity-pool-trust-invalid', userSees: INVALID_POOL },
  },
  {
    name: 'the authenticated role is deleted',
    fixture: 'fail/identity-pool-trust-invalid--no-such-role.json',
    who: { groups: [] },
    fails: { step: 5, id: 'identity-pool-trust-invalid', userSees: INVALID_POOL },
  },
  {
    name: 'a group role copied from staging',
    fixture: 'fail/group-role-trust-invalid.json',
    who: { groups: ['dashboards-readers'] },
    fails: { step: 5, id: 'group-role-trust-invalid', userSees: INVALID_POOL },
  },
  {
    name: 'a rule role that trusts a service',
    fixture: 'fail/group-role-trust-invalid--rules.json',
    who: { groups: ['dashboards-readers'] },
    fails: { step: 5, id: 'group-role-trust-invalid', userSees: INVALID_POOL },
  },
  {
    name: 'principal tags without sts:TagSession in the trust',
    fixture: 'healthy/opensearch-fgac.json',
    who: { groups: [] },
    edit: (s) => {
      s['principalTagAttributeMaps'] = [{ IdentityPoolId: s.domain.CognitoOptions!.IdentityPoolId, IdentityProviderName: PROVIDER, UseDefaults: true }];
    },
    fails: { step: 5, id: 'principal-tags-trust-missing-tagsession', userSees: INVALID_POOL },
  },

  {
    name: 'principal tags with sts:TagSession in the trust',
    fixture: 'healthy/opensearch-fgac.json',
    who: { groups: [] },
    edit: (s) => {
      s['principalTagAttributeMaps'] = [{ IdentityPoolId: s.domain.CognitoOptions!.IdentityPoolId, IdentityProviderName: PROVIDER, UseDefaults: true }];
      const role = s.roles!.find((r) => r.RoleName === 'Cognito_logsprodAuth_Role')!;
      const trust = JSON.parse(decodeURIComponent(role.AssumeRolePolicyDocument!));
      trust.Statement[0].Action = ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'];
      role.AssumeRolePolicyDocument = JSON.stringify(trust);
    },
    succeeds: 'login succeeds as role Cognito_logsprodAuth_Role with security roles all_access, security_manager',
  },

  // 6. The domain access policy
  {
    name: 'the role is not in the access policy',
    fixture: 'fail/auth-role-not-in-access-policy.json',
    who: { groups: [] },
    fails: { step: 6, id: 'auth-role-not-in-access-policy', userSees: denied('Cognito_logsprodAuth_Role') },
  },
  {
    name: 'a group role is not in the access policy',
    fixture: 'fail/auth-role-not-in-access-policy--group-role.json',
    who: { groups: ['dashboards-readers'] },
    fails: { step: 6, id: 'auth-role-not-in-access-policy', userSees: denied('logs-prod-dashboards-reader') },
  },
  {
    name: 'a statement for the bare domain ARN',
    fixture: 'fail/access-policy-resource-or-action-too-narrow.json',
    who: { groups: [] },
    fails: { step: 6, id: 'access-policy-resource-or-action-too-narrow', userSees: denied('Cognito_logsprodAuth_Role') },
  },
  {
    name: 'a Deny on the Dashboards path',
    fixture: 'fail/explicit-deny-blocks-auth-role.json',
    who: { groups: [] },
    fails: { step: 6, id: 'explicit-deny-blocks-auth-role', userSees: denied('Cognito_logsprodAuth_Role', true) },
  },

  // 7. Fine-grained access control
  {
    name: 'the role is in no role mapping',
    fixture: 'fail/missing-role.json',
    who: { groups: [] },
    fails: { step: 7, id: 'missing-role', userSees: MISSING_ROLE },
  },
  {
    name: 'a group role is in no role mapping',
    fixture: 'fail/missing-role--group-role.json',
    who: { groups: ['dashboards-readers'] },
    fails: { step: 7, id: 'missing-role', userSees: MISSING_ROLE },
  },
  {
    name: 'mapped to a data role only',
    fixture: 'fail/dashboards-permissions-not-mapped.json',
    who: { groups: [] },
    fails: {
      step: 7,
      id: 'dashboards-permissions-not-mapped',
      userSees: `{"statusCode":403,"error":"Forbidden","message":"no permissions for [indices:data/read/search] and User [name=${session('Cognito_logsprodAuth_Role')}, backend_roles=[arn:aws:iam::123456789012:role/Cognito_logsprodAuth_Role], requestedTenant=null]: security_exception"}`,
    },
  },

  {
    name: 'a group role in an IAM path, mapped without the path',
    fixture: 'fail/missing-role--path-dropped.json',
    who: { groups: ['admins'] },
    fails: { step: 7, id: 'missing-role', userSees: MISSING_ROLE },
  },
  {
    name: 'the authenticated role is in another account the snapshot could not read',
    fixture: 'healthy/opensearch-fgac.json',
    who: { groups: [] },
    edit: (s) => {
      const other = 'arn:aws:iam::210987654321:role/Cognito_logsprodAuth_Role';
      s.identityPoolRoles!.Roles!['authenticated'] = other;
      s.securityPlugin!.rolesMapping!['all_access']!.backend_roles!.push(other);
    },
    unknownAt: 5,
  },
  // Unknown: a read failed, or a part the step hinges on is missing
  { name: 'iam:GetRole denied', fixture: 'partial/getrole-denied.json', who: { groups: [] }, unknownAt: 5 },
  {
    // As in check: an access policy a template or plan leaves undecided is unknown, not "no policy".
    name: 'the access policy is not decided before deploy',
    fixture: 'healthy/legacy-es-kibana.json',
    who: { groups: [] },
    edit: (s) => {
      delete s.domain.AccessPolicies;
      s.errors = [
        {
          operation: 'terraform:Resolve',
          resource: 'aws_elasticsearch_domain.kibana.access_policies',
          code: 'UnknownAfterApply',
          message: 'known only after apply',
        },
      ];
    },
    unknownAt: 6,
  },
  { name: 'the role mappings answered 403', fixture: 'partial/rolesmapping-forbidden.json', who: { groups: [] }, unknownAt: 7 },
  { name: 'the role mappings were not collected', fixture: 'partial/not-collected.json', who: { groups: [] }, unknownAt: 7 },
  {
    name: 'managed login whose branding was not read',
    fixture: 'healthy/opensearch-fgac.json',
    who: { groups: [] },
    edit: (s) => {
      s.userPoolDomain = { Domain: 'logs-prod-login', UserPoolId: 'eu-west-1_Xk2LmQp7A', Status: 'ACTIVE', ManagedLoginVersion: 2 };
    },
    unknownAt: 1,
  },
];

describe('trace: where each login breaks', () => {
  for (const c of CASES) {
    it(`${c.fixture}: ${c.name}`, () => {
      const base = fixture(c.fixture);
      const snapshot = c.edit ? variant(base, c.edit) : base;
      const result = trace(snapshot, identityOf(snapshot, c.who), c.url);
      const statuses = result.steps.map((s) => `${s.number}:${s.status}`).join(' ');
      const notes = result.steps.flatMap((s) => s.notes.flatMap((n) => (n.id ? [n.id] : [])));
      for (const id of c.notes ?? []) expect(notes, statuses).toContain(id);
      if (c.fails) {
        expect({ step: result.outcome.step, id: result.outcome.id, userSees: result.outcome.userSees }, statuses).toEqual(c.fails);
        expect(result.outcome.line).toBe(`the user sees: ${c.fails.userSees}`);
        const failing = result.steps.filter((s) => s.status === 'fail');
        expect(failing.map((s) => s.number)).toEqual([c.fails.step]);
        // The login stops there: every later step is skipped.
        expect(result.steps.filter((s) => s.number > c.fails!.step).every((s) => s.status === 'skipped')).toBe(true);
      } else if (c.succeeds) {
        expect(result.outcome.line, statuses).toBe(c.succeeds);
        expect(result.steps.every((s) => s.status === 'pass' || s.status === 'skipped')).toBe(true);
      } else {
        expect(result.outcome.result, statuses).toBe('unknown');
        expect(result.outcome.step).toBe(c.unknownAt);
        expect(result.steps.some((s) => s.status === 'fail')).toBe(false);
      }
    });
  }
});

describe('trace: the evidence of the hosted UI', () => {
  it('says why a redirect_uri does not match', () => {
    const http = variant(fixture('healthy/opensearch-fgac.json'), (s) => {
      s.domain.DomainEndpointOptions!.EnforceHTTPS = false;
    });
    expect(trace(http, identityFromGroups(http, []), `${EP.replace('https:', 'http:')}/_dashboards`).steps[0]!.failure?.message).toBe(
      `the app client ${CLIENT} (AmazonOpenSearchService-logs-prod-eu-west-1-4kq2vqyzt7bxnnyfxm2lyu3ham) has no callback URL ${HOME.replace('https:', 'http:')} (Cognito accepts http:// callback URLs only for localhost: open Dashboards over https)`,
    );
    const slash = fixture('fail/redirect-mismatch--trailing-slash.json');
    expect(trace(slash, identityFromGroups(slash, [])).steps[0]!.failure?.message).toMatch(
      /\(it has .*\/_dashboards\/app\/home\/, and callback URLs must match exactly\)$/,
    );
    const proxy = fixture('healthy/opensearch-fgac.json');
    expect(trace(proxy, identityFromGroups(proxy, []), 'https://dashboards.corp.example/_dashboards').steps[0]!.failure?.message).toMatch(
      /\(dashboards\.corp\.example is not an endpoint of the domain: a proxy's address must be registered too\)$/,
    );
  });
});

describe('trace: the evidence of role selection', () => {
  it('Rules: the first matching rule decides, later rules are not evaluated', () => {
    const snapshot = fixture('trace/rules-first-match.json');
    const result = trace(snapshot, identityFromClaims(snapshot, { 'custom:department': 'platform', 'cognito:groups': ['dashboards-readers'] }, 'claims.json'));
    const step = result.steps[3]!;
    expect(step.evidence['rules']).toEqual([
      { rule: 1, Claim: 'custom:department', MatchType: 'Equals', Value: 'platform', claimValue: 'platform', matched: true },
    ]);
    expect(step.summary).toMatch(
      /rule 1 \(custom:department Equals "platform"\) matches "platform", and the first matching rule wins: role logs-prod-dashboards-admin/,
    );
  });

  it('Rules: NotEqual on a missing claim is named in the notes', () => {
    const snapshot = fixture('trace/rules-first-match.json');
    const step = trace(snapshot, identityFromClaims(snapshot, {}, 'claims.json')).steps[3]!;
    expect(step.notes).toContainEqual({
      id: 'rules-mapping-no-match',
      text: 'rule 3 (custom:team NotEqual "contractors") does not match: the token has no custom:team claim, and NotEqual is not evaluated on a missing claim',
    });
    expect((step.evidence['rules'] as Array<{ matched: boolean }>).map((r) => r.matched)).toEqual([false, false, false]);
  });

  it('Token: a tie names the groups and their precedence', () => {
    const snapshot = fixture('trace/preferred-role-tie-deny.json');
    const step = trace(snapshot, identityFromGroups(snapshot, ['dashboards-admins', 'dashboards-readers'])).steps[3]!;
    expect(step.notes).toContainEqual({
      id: 'preferred-role-ambiguous',
      text: 'groups dashboards-admins and dashboards-readers carry different roles and share precedence 1, so Cognito sets no cognito:preferred_role',
    });
    expect(step.failure?.message).toBe('the token has 2 roles in cognito:roles and no cognito:preferred_role, and AmbiguousRoleResolution is Deny');
  });

  it('a token whose cognito:preferred_role is set is taken at its word, whatever the groups say today', () => {
    const snapshot = fixture('trace/preferred-role-tie-deny.json');
    const claims = {
      'cognito:groups': ['dashboards-admins', 'dashboards-readers'],
      'cognito:preferred_role': 'arn:aws:iam::123456789012:role/logs-prod-dashboards-admin',
    };
    expect(trace(snapshot, identityFromClaims(snapshot, claims, 'claims.json')).outcome.line).toBe(
      'login succeeds as role logs-prod-dashboards-admin with security roles all_access, security_manager',
    );
  });
});
