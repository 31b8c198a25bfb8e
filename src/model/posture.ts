// Helpers for the federation checks (catalog D3–D5), session tags (E9) and the security posture
// of the pools, the OpenSearch app client and the roles users get (section S).
import { X509Certificate } from 'node:crypto';
import type { IdentityProviderType, SchemaAttributeType } from '@aws-sdk/client-cognito-identity-provider';
import type { CheckContext } from '../context/check-context.js';
import { evaluateSameAccountAccess, parsePolicy, PolicyParseError, type PolicyDocument, type Statement } from '../policy/index.js';
import type { GroupType, Role, RolePolicies, Snapshot, UserPoolClientType, UserPoolType } from '../snapshot/types.js';
import { cognitoSessionArn, identityPoliciesOf } from './access.js';
import { optionalPart } from './client.js';
import { accountIdOf, domainArnOf, endpointHosts, partitionOf } from './domain.js';
import { cognitoFederatedNames } from './identity.js';
import { cognitoSessionContext } from './access.js';
import { regionOfPoolId } from './pools.js';
import { STANDARD_ATTRIBUTES } from './standard-attributes.js';
import { sh } from './shell.js';
import { asList, trustPolicyOf } from './trust.js';

export type IdentityProvider = IdentityProviderType;
export type SchemaAttribute = SchemaAttributeType;

/** A list field as strings, whatever a hand-written snapshot put there. */
function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

// ---------------------------------------------------------------------------------------------
// Optional parts

/** cognito-identity GetPrincipalTagAttributeMap, one response per (identity pool, provider). */
type TagAttributeMap = NonNullable<Snapshot['principalTagAttributeMaps']>[number];

/** The optional `principalTagAttributeMaps` part: undefined (with the gap noted) when it was not read. */
export function principalTagMapsOf(ctx: CheckContext): TagAttributeMap[] | undefined {
  const identityPoolId = ctx.domain.CognitoOptions?.IdentityPoolId;
  return optionalPart(ctx, ctx.snapshot.principalTagAttributeMaps, {
    operations: ['cognito-identity:GetPrincipalTagAttributeMap'],
    ...(identityPoolId ? { resource: identityPoolId } : {}),
    notCollected: `the principal tag attribute map of ${identityPoolId ?? 'the identity pool'} was not collected, so whether "attributes for access control" is on could not be checked: cognito-identity:GetPrincipalTagAttributeMap would read it`,
  });
}

/** Whether "attributes for access control" passes tags for this map (default mappings or explicit tags). */
export function principalTagsOn(map: TagAttributeMap | undefined): boolean {
  return map !== undefined && (map.UseDefaults === true || Object.keys(map.PrincipalTags ?? {}).length > 0);
}

/** The identity providers of the domain's user pool (optional part), undefined with the gap noted when absent. */
export function identityProvidersOf(ctx: CheckContext, userPoolId: string, what: string): IdentityProvider[] | undefined {
  const providers = optionalPart(ctx, ctx.snapshot.identityProviders, {
    operations: ['cognito-idp:ListIdentityProviders', 'cognito-idp:DescribeIdentityProvider'],
    resource: userPoolId,
    notCollected: `the identity providers of ${userPoolId} were not collected, so ${what} could not be checked: cognito-idp:ListIdentityProviders and cognito-idp:DescribeIdentityProvider would read them`,
  });
  return providers?.filter((p) => !p.UserPoolId || p.UserPoolId === userPoolId);
}

/** Providers of the pool that the app client offers (SupportedIdentityProviders), in the client's order. */
export function providersOnClient(providers: IdentityProvider[], client: UserPoolClientType): IdentityProvider[] {
  const supported = strings(client.SupportedIdentityProviders);
  return providers.filter((p) => p.ProviderName && supported.includes(p.ProviderName));
}

/** Federated provider names the client offers: everything but COGNITO, checked against the pool's providers when known. */
export function federatedNamesOnClient(client: UserPoolClientType, providers: IdentityProvider[] | undefined): string[] {
  const names = strings(client.SupportedIdentityProviders).filter((p) => p !== 'COGNITO');
  if (!providers) return names;
  const configured = new Set(providers.map((p) => p.ProviderName));
  return names.filter((n) => configured.has(n));
}

/** The instant the snapshot describes: capturedAt, or now for a snapshot without it. */
export function referenceTime(snapshot: Snapshot): Date {
  const at = snapshot.capturedAt ? new Date(snapshot.capturedAt) : undefined;
  return at && !Number.isNaN(at.getTime()) ? at : new Date();
}

// ---------------------------------------------------------------------------------------------
// User pool attributes (D3, role-rules-on-mutable-claims)

/** The name DescribeUserPool gives an attribute that CloudFormation and Terraform name without the `custom:` prefix. */
export function apiAttributeName(name: string): string {
  return STANDARD_ATTRIBUTES.has(name) || name.startsWith('custom:') ? name : `custom:${name}`;
}

/** Standard attributes an app client writes when its WriteAttributes is not set (the API's default set). */
export const DEFAULT_WRITE_ATTRIBUTES = [
  'address',
  'birthdate',
  'email',
  'family_name',
  'gender',
  'given_name',
  'locale',
  'middle_name',
  'name',
  'nickname',
  'phone_number',
  'picture',
  'preferred_username',
  'profile',
  'updated_at',
  'website',
  'zoneinfo',
];

/** Attributes no end user sets for themselves: Cognito or an administrator does. */
const NEVER_USER_WRITTEN = new Set(['sub', 'email_verified', 'phone_number_verified', 'identities']);

/** The pool's attribute of that name (a standard attribute not listed counts with its defaults), or undefined. */
export function schemaAttribute(pool: UserPoolType, name: string): SchemaAttribute | undefined {
  const listed = Array.isArray(pool.SchemaAttributes) ? pool.SchemaAttributes.find((a) => a && typeof a === 'object' && a.Name === name) : undefined;
  if (listed) return listed;
  if (STANDARD_ATTRIBUTES.has(name)) return { Name: name, Mutable: name !== 'sub', Required: false };
  return undefined;
}

export interface AttributeMappingProblem {
  attribute: string;
  kind: 'not-in-schema' | 'immutable' | 'not-writable' | 'required-not-mapped';
  reason: string;
  /** A user pool attribute that would work instead, when one is obvious. */
  suggestion?: string;
}

/**
 * What Cognito rejects when a federated user of `provider` signs in through `client`: mapping keys
 * that are not attributes of the pool (custom ones are `custom:<name>`; `username` only for social
 * and OIDC providers, SAML takes it from NameID), immutable targets (Cognito rewrites every mapped
 * attribute at each sign-in), targets the client may not write (when its WriteAttributes is set),
 * and required attributes left unmapped.
 */
export function attributeMappingProblems(provider: IdentityProvider, pool: UserPoolType, client: UserPoolClientType): AttributeMappingProblem[] {
  const mapping = provider.AttributeMapping && typeof provider.AttributeMapping === 'object' ? provider.AttributeMapping : {};
  const problems: AttributeMappingProblem[] = [];
  const schema = Array.isArray(pool.SchemaAttributes) ? pool.SchemaAttributes.filter((a) => a && typeof a === 'object') : [];
  const write = client.WriteAttributes;
  // Sorted: the API returns the mapping in no particular order.
  for (const key of Object.keys(mapping).sort()) {
    if (key === 'username') {
      if (provider.ProviderType === 'SAML') {
        problems.push({
          attribute: key,
          kind: 'not-in-schema',
          reason: 'SAML providers set the username from NameID; username is not an attribute a SAML mapping can write',
          ...(mapping['preferred_username'] === undefined ? { suggestion: 'preferred_username' } : {}),
        });
      }
      continue;
    }
    const attribute = schemaAttribute(pool, key);
    if (!attribute) {
      const prefixed = key.startsWith('custom:') ? undefined : schema.find((a) => a.Name === `custom:${key}`)?.Name;
      const caseFix = [...STANDARD_ATTRIBUTES, ...schema.map((a) => a.Name ?? '')].find((n) => n.toLowerCase() === key.toLowerCase());
      const suggestion = prefixed ?? caseFix;
      problems.push({
        attribute: key,
        kind: 'not-in-schema',
        reason: prefixed
          ? `${key} is a custom attribute; mappings name it ${prefixed}`
          : key.startsWith('custom:')
            ? `the pool has no custom attribute ${key}`
            : `${key} is neither a standard attribute nor in the pool's SchemaAttributes`,
        ...(suggestion ? { suggestion } : {}),
      });
      continue;
    }
    if (attribute.Mutable === false) {
      problems.push({
        attribute: key,
        kind: 'immutable',
        reason: `${key} is immutable (Mutable: false), and Cognito updates every mapped attribute at each federated sign-in`,
      });
      continue;
    }
    if (attribute.DeveloperOnlyAttribute) {
      problems.push({ attribute: key, kind: 'not-writable', reason: `${key} is a developer-only attribute, which app clients cannot write` });
      continue;
    }
    if (Array.isArray(write) && !write.includes(key)) {
      problems.push({
        attribute: key,
        kind: 'not-writable',
        reason: `the app client ${client.ClientName ?? client.ClientId} has no write access to ${key} (WriteAttributes), and Cognito writes mapped attributes through it`,
      });
    }
  }
  for (const attribute of schema) {
    const name = attribute.Name ?? '';
    if (attribute.Required !== true || name === 'sub' || mapping[name] !== undefined) continue;
    problems.push({ attribute: name, kind: 'required-not-mapped', reason: `${name} is required by the user pool but the provider maps nothing to it` });
  }
  return problems;
}

/**
 * `update-identity-provider` takes the provider's details and mapping: a describe → jq edit → update
 * round trip keeps every other setting (the edit may read jq arguments and `$ENV`).
 */
export function identityProviderRoundTrip(userPoolId: string, providerName: string, jqEdit: string, jqArgs: Record<string, unknown> = {}): string[] {
  const region = regionOfPoolId(userPoolId);
  const args = Object.entries(jqArgs).flatMap(([name, value]) => ['--argjson', name, JSON.stringify(value)]);
  const keep =
    '{UserPoolId, ProviderName, ProviderDetails: ((.ProviderDetails // {}) | del(.ActiveEncryptionCertificate)), AttributeMapping, IdpIdentifiers} | with_entries(select(.value != null))';
  return [
    `${sh('aws', 'cognito-idp', 'describe-identity-provider', '--region', region, '--user-pool-id', userPoolId, '--provider-name', providerName, '--query', 'IdentityProvider')} > identity-provider.json`,
    `${sh('jq', ...args, `${jqEdit} | ${keep}`, 'identity-provider.json')} > identity-provider-fixed.json`,
    sh('aws', 'cognito-idp', 'update-identity-provider', '--region', region, '--cli-input-json', 'file://identity-provider-fixed.json'),
  ];
}

// ---------------------------------------------------------------------------------------------
// SAML metadata (D4)

export interface MetadataCertificate {
  subject: string;
  validFrom: string;
  validTo: string;
  fingerprint256: string;
}

/** The IdP's signing certificates in a SAML metadata document (KeyDescriptor use="signing" or without use). */
export function samlSigningCertificates(xml: string): { certificates: MetadataCertificate[]; unreadable: number } {
  const idp = [...xml.matchAll(/<(?:[\w-]+:)?IDPSSODescriptor\b[\s\S]*?<\/(?:[\w-]+:)?IDPSSODescriptor>/g)].map((m) => m[0]);
  const scope = idp.length > 0 ? idp.join('\n') : xml;
  const certificates: MetadataCertificate[] = [];
  let unreadable = 0;
  for (const descriptor of scope.matchAll(/<(?:[\w-]+:)?KeyDescriptor\b([^>]*)>([\s\S]*?)<\/(?:[\w-]+:)?KeyDescriptor>/g)) {
    const use = /\buse\s*=\s*["']([^"']*)["']/.exec(descriptor[1] ?? '')?.[1];
    if (use && use !== 'signing') continue;
    for (const cert of (descriptor[2] ?? '').matchAll(/<(?:[\w-]+:)?X509Certificate\b[^>]*>([\s\S]*?)<\/(?:[\w-]+:)?X509Certificate>/g)) {
      try {
        const parsed = new X509Certificate(Buffer.from((cert[1] ?? '').replace(/\s+/g, ''), 'base64'));
        if (!certificates.some((c) => c.fingerprint256 === parsed.fingerprint256)) {
          certificates.push({
            subject: parsed.subject.replace(/\n/g, ', '),
            validFrom: new Date(parsed.validFrom).toISOString(),
            validTo: new Date(parsed.validTo).toISOString(),
            fingerprint256: parsed.fingerprint256,
          });
        }
      } catch {
        unreadable += 1;
      }
    }
  }
  return { certificates, unreadable };
}

// ---------------------------------------------------------------------------------------------
// App clients (opensearch-client-extra-flows, client-secret-placement, role-rules-on-mutable-claims)

/** DescribeUserPoolClient returns ClientSecret only for confidential clients (snapshots keep the key, redacted). */
export function hasClientSecret(client: UserPoolClientType): boolean {
  return typeof client.ClientSecret === 'string' && client.ClientSecret.length > 0;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Paths a reverse proxy in front of Dashboards (or Kibana) serves. */
export function isDashboardsPath(pathname: string): boolean {
  return /^\/(?:_dashboards|_plugin\/kibana)(?:\/|$)/.test(pathname);
}

export interface CallbackConcern {
  url: string;
  /** `loopback`: a developer's machine; `other-app`: a page that is not Dashboards on another host. */
  kind: 'loopback' | 'other-app';
}

/**
 * Callback URLs of the OpenSearch client beyond what Dashboards needs: loopback hosts, and pages
 * on other hosts that are not a Dashboards path (a proxy in front of Dashboards keeps the path).
 * Plain-HTTP non-loopback URLs are left to http-callback-rejected; malformed ones to the callback checks.
 */
export function extraCallbacks(client: UserPoolClientType, snapshot: Snapshot): CallbackConcern[] {
  const hosts = new Set(endpointHosts(snapshot.domain).map((h) => h.host.toLowerCase()));
  const concerns: CallbackConcern[] = [];
  for (const url of strings(client.CallbackURLs)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      continue;
    }
    const host = parsed.hostname.toLowerCase();
    if (LOOPBACK.has(host)) concerns.push({ url, kind: 'loopback' });
    else if (parsed.protocol !== 'https:') continue;
    else if (hosts.has(parsed.host.toLowerCase()) || isDashboardsPath(parsed.pathname)) continue;
    else concerns.push({ url, kind: 'other-app' });
  }
  return concerns;
}

const USER_AUTH_FLOWS = new Set([
  'ALLOW_USER_SRP_AUTH',
  'ALLOW_USER_PASSWORD_AUTH',
  'ALLOW_CUSTOM_AUTH',
  'ALLOW_USER_AUTH',
  'USER_PASSWORD_AUTH',
  'CUSTOM_AUTH_FLOW_ONLY',
]);
const ADMIN_SCOPE = 'aws.cognito.signin.user.admin';

/**
 * Whether an end user can hold an access token with aws.cognito.signin.user.admin (what
 * UpdateUserAttributes requires) from this client on their own: a public client with a user sign-in
 * flow (no ExplicitAuthFlows means the defaults, SRP and custom auth), or managed login handing the
 * scope to the browser (implicit, or code without a secret).
 */
export function userHoldsAdminScope(client: UserPoolClientType): boolean {
  const secret = hasClientSecret(client);
  const flows = strings(client.ExplicitAuthFlows);
  if (!secret && (flows.length === 0 || flows.some((f) => USER_AUTH_FLOWS.has(f)))) return true;
  if (client.AllowedOAuthFlowsUserPoolClient !== true || !strings(client.AllowedOAuthScopes).includes(ADMIN_SCOPE)) return false;
  const oauth = strings(client.AllowedOAuthFlows);
  return oauth.includes('implicit') || (!secret && oauth.includes('code'));
}

/** The attributes an app client may write: WriteAttributes, or (not set) every attribute the pool lets clients write. */
export function clientWritesAttribute(client: UserPoolClientType, attribute: string): boolean {
  return client.WriteAttributes === undefined || client.WriteAttributes === null ? true : strings(client.WriteAttributes).includes(attribute);
}

export interface WritePath {
  clientId: string;
  clientName?: string;
  /** UpdateUserAttributes with the user's own access token, or SignUp with the attribute set by the user. */
  how: 'UpdateUserAttributes' | 'SignUp';
}

/**
 * How an end user can give their own account a chosen value for a pool attribute: through a client
 * that writes it and hands them the admin scope (a mutable attribute), or by signing up through a
 * public client that writes it (self sign-up on; immutable attributes too). Email and phone number
 * changes that must be verified first, and sign-up that must confirm them, count only for values
 * the user controls, so they are left out.
 */
export function userWritePaths(attribute: string, pool: UserPoolType, clients: UserPoolClientType[]): WritePath[] {
  if (NEVER_USER_WRITTEN.has(attribute) || attribute.startsWith('cognito:') || attribute.startsWith('dev:')) return [];
  const schema = schemaAttribute(pool, attribute);
  if (!schema || schema.DeveloperOnlyAttribute) return [];
  const verifiedUpdate = strings(pool.UserAttributeUpdateSettings?.AttributesRequireVerificationBeforeUpdate).includes(attribute);
  const verifiedSignUp = strings(pool.AutoVerifiedAttributes).includes(attribute);
  const selfSignUp = pool.AdminCreateUserConfig?.AllowAdminCreateUserOnly !== true;
  const paths: WritePath[] = [];
  for (const client of clients) {
    if (!client.ClientId || !clientWritesAttribute(client, attribute)) continue;
    const base = { clientId: client.ClientId, ...(client.ClientName ? { clientName: client.ClientName } : {}) };
    if (schema.Mutable !== false && !verifiedUpdate && userHoldsAdminScope(client)) paths.push({ ...base, how: 'UpdateUserAttributes' });
    else if (selfSignUp && !verifiedSignUp && !hasClientSecret(client)) paths.push({ ...base, how: 'SignUp' });
  }
  return paths;
}

// ---------------------------------------------------------------------------------------------
// User pool settings (user-pool-weak-auth)

export interface AuthWeakness {
  field: string;
  value: unknown;
  expected: string;
}

/** MFA off, a short password or one with fewer than three character classes, temporary passwords valid over 7 days; none without password sign-in. */
export function userPoolAuthWeaknesses(pool: UserPoolType): AuthWeakness[] {
  // Users who cannot start sign-in with a password (passkeys, email or SMS codes only) have no
  // password to guess, and Cognito asks for no MFA after those first factors.
  const firstFactors = pool.Policies?.SignInPolicy?.AllowedFirstAuthFactors;
  if (Array.isArray(firstFactors) && firstFactors.length > 0 && !firstFactors.includes('PASSWORD')) return [];
  const weaknesses: AuthWeakness[] = [];
  const mfa = pool.MfaConfiguration ?? 'OFF';
  if (mfa === 'OFF') weaknesses.push({ field: 'MfaConfiguration', value: pool.MfaConfiguration ?? null, expected: 'OPTIONAL or ON' });
  const policy = pool.Policies?.PasswordPolicy;
  // DescribeUserPool always returns it: a snapshot without it cannot be judged.
  if (!policy || typeof policy !== 'object') return weaknesses;
  const length = typeof policy.MinimumLength === 'number' ? policy.MinimumLength : 8;
  if (length < 8) weaknesses.push({ field: 'PasswordPolicy.MinimumLength', value: length, expected: 'at least 8' });
  const classes = (['RequireUppercase', 'RequireLowercase', 'RequireNumbers', 'RequireSymbols'] as const).filter((k) => policy[k] === true);
  if (classes.length < 3)
    weaknesses.push({
      field: 'PasswordPolicy character classes',
      value: classes,
      expected: 'at least three of RequireUppercase, RequireLowercase, RequireNumbers, RequireSymbols',
    });
  const days = policy.TemporaryPasswordValidityDays;
  if (typeof days === 'number' && days > 7) weaknesses.push({ field: 'PasswordPolicy.TemporaryPasswordValidityDays', value: days, expected: '7 or fewer' });
  return weaknesses;
}

// ---------------------------------------------------------------------------------------------
// Role permissions (auth-role-overprivileged)

export interface GrantProbe {
  /** The grant in words, e.g. `es:* on every domain`. */
  label: string;
  action: string;
  resource: string;
}

/**
 * Requests that only a broad grant allows: the action or resource is the literal wildcard, which a
 * pattern matches only when it covers the whole action space or every resource of the kind (so
 * `es:ESHttp*` on the domain, or `cognito-sync:*` scoped to the caller's own identity, stay quiet).
 */
export function overprivilegeProbes(snapshot: Snapshot, roleArn: string): GrantProbe[] {
  const partition = partitionOf(snapshot);
  const account = accountIdOf(snapshot);
  const domainRegion = domainArnOf(snapshot).split(':')[3] || snapshot.region;
  const identityPoolId = snapshot.domain.CognitoOptions?.IdentityPoolId ?? '';
  const poolRegion = regionOfPoolId(identityPoolId) || snapshot.region;
  return [
    { label: 'every action on every resource (*)', action: '*', resource: '*' },
    { label: `es:* on every domain of ${account} in ${domainRegion}`, action: 'es:*', resource: `arn:${partition}:es:${domainRegion}:${account}:domain/*` },
    {
      label: 'cognito-identity:* on the identity pool',
      action: 'cognito-identity:*',
      resource: `arn:${partition}:cognito-identity:${poolRegion}:${account}:identitypool/${identityPoolId}`,
    },
    {
      label: 'cognito-sync:* on every identity of the pool',
      action: 'cognito-sync:*',
      resource: `arn:${partition}:cognito-sync:${poolRegion}:${account}:identitypool/${identityPoolId}/*`,
    },
    { label: 'iam:* on the role itself', action: 'iam:*', resource: roleArn },
    { label: `sts:AssumeRole on every role of ${account}`, action: 'sts:AssumeRole', resource: `arn:${partition}:iam::${account}:role/*` },
  ];
}

export interface BroadGrant {
  label: string;
  action: string;
  resource: string;
  /** The identity-policy statements that allow it. */
  statements: Array<{ policy: string; sid?: string; index: number; statement: Statement }>;
}

function boundaryOf(policies: RolePolicies): PolicyDocument | undefined {
  const raw = policies.boundary?.Document;
  if (raw === undefined) return undefined;
  try {
    return parsePolicy(raw);
  } catch (error) {
    if (error instanceof PolicyParseError) return undefined;
    throw error;
  }
}

/**
 * The broad grants (overprivilegeProbes) the role's own policies allow to a Cognito session of it,
 * as IAM decides: Deny statements, NotAction/NotResource and the permissions boundary included.
 */
export function broadGrants(snapshot: Snapshot, roleArn: string, policies: RolePolicies, role?: Role): BroadGrant[] {
  const identityPolicies = identityPoliciesOf(policies, partitionOf(snapshot)).documents;
  const boundary = boundaryOf(policies);
  const principal = { type: 'AWS' as const, arn: cognitoSessionArn(snapshot, roleArn) };
  const context = cognitoSessionContext(snapshot, roleArn, role);
  const grants: BroadGrant[] = [];
  for (const probe of overprivilegeProbes(snapshot, roleArn)) {
    const result = evaluateSameAccountAccess({
      identityPolicies,
      ...(boundary ? { boundary } : {}),
      request: { principal, action: probe.action, resource: probe.resource, context },
    });
    if (result.decision !== 'Allow') continue;
    const statements = result.decidedBy
      .filter((d) => d.source === 'identity')
      .map((d) => ({ policy: d.policyName ?? 'policy', ...(d.match.sid ? { sid: d.match.sid } : {}), index: d.match.index, statement: d.match.statement }));
    // An Allow with NotAction grants everything but the listed actions: say so rather than "*".
    const except = [...new Set(statements.flatMap((st) => (st.statement.NotAction !== undefined ? asList(st.statement.NotAction).map(String) : [])))];
    const label =
      probe.action === '*' && except.length > 0 && statements.every((st) => st.statement.NotAction !== undefined)
        ? `every action except ${except.join(', ')} on every resource`
        : probe.label;
    grants.push({ ...probe, label, statements });
  }
  return grants;
}

/** The policy to put on a role instead of broad grants: Dashboards (and the domain's API) only. */
export function dashboardsOnlyPolicy(snapshot: Pick<Snapshot, 'region' | 'accountId' | 'domain'>): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [{ Sid: 'DashboardsAccess', Effect: 'Allow', Action: 'es:ESHttp*', Resource: `${domainArnOf(snapshot)}/*` }],
  };
}

// ---------------------------------------------------------------------------------------------
// Groups (group-role-escalation)

/**
 * Groups named `<UserPoolId>_<ProviderName>`: the group Cognito puts every user of that identity
 * provider in at sign-in. A role on it goes to every federated user of the provider.
 */
export function federatedAutoGroups(groups: GroupType[], userPoolId: string): Array<{ group: GroupType; providerName: string }> {
  const prefix = `${userPoolId}_`;
  return groups
    .filter((g) => (g.GroupName ?? '').startsWith(prefix) && (g.GroupName ?? '').length > prefix.length)
    .map((group) => ({ group, providerName: (group.GroupName ?? '').slice(prefix.length) }));
}

// ---------------------------------------------------------------------------------------------
// Trust policies (E9)

/** The role's trust with sts:TagSession added to each Allow statement for the Cognito identity principal. */
export function trustWithTagSession(role: Role): PolicyDocument | undefined {
  const { policy } = trustPolicyOf(role);
  if (!policy) return undefined;
  const statements = policy.Statement.map((s): Statement => {
    if (s.Effect !== 'Allow' || cognitoFederatedNames(s).length === 0 || s.Action === undefined) return s;
    const actions = asList(s.Action).map(String);
    if (actions.some((a) => /^(?:sts:TagSession|sts:\*|\*)$/i.test(a))) return s;
    return { ...s, Action: [...actions, 'sts:TagSession'] };
  });
  return { Version: policy.Version ?? '2012-10-17', Statement: statements };
}
