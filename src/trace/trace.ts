// Replays one Dashboards login against a snapshot, step by step, as the services involved would
// judge it: the hosted UI, the user account, the identity pool, role selection, STS, the domain
// access policy and fine-grained access control. Pure: a snapshot and an identity in, steps out.
import type { RoleMapping } from '@aws-sdk/client-cognito-identity';
import { CheckContext, DataGap, roleNameOf } from '../engine/context.js';
import type { Gap } from '../engine/types.js';
import { gapOfFailedRead } from '../snapshot/gaps.js';
import { accessPolicyOf, cognitoSessionArn, dashboardsAccessOf, describeProbes, fgacDecidesAccess, unsignedDashboardsStatements } from '../model/access-policy/index.js';
import {
  DASHBOARDS_REQUESTED_SCOPES,
  domainClientOf,
  httpUrls,
  optionalPart,
  parseProviderName,
  requireWellFormedUserPoolId,
} from '../model/client.js';
import { cognitoEnabled, dashboardsPath, dashboardsUrl, domainArnOf, endpointHosts, fgacEnabled, samlEnabled } from '../model/domain.js';
import { DASHBOARDS_SECURITY_ROLES, describeUndecided, mappingsOfRole, readRolesMapping } from '../model/fgac.js';
import { identityTrustVerdict, ruleClaimProblem, webIdentityEvaluations } from '../model/identity.js';
import { regionOfPoolId } from '../model/pools.js';
import { principalTagMapsOf, principalTagsOn } from '../model/posture.js';
import { trustPolicyOf } from '../model/trust.js';
import { PolicyParseError, type PolicyDocument } from '../policy/index.js';
import type { Snapshot, UserPoolClientType } from '../snapshot/types.js';
import { asStringList, openSearchClientIdOf, poolOfIssuer, preferredRoleOf, ruleMatches, signInProviderOf } from './claims.js';
import { userSees } from './messages.js';
import type { StepStatus, TraceFailure, TraceIdentity, TraceNote, TraceOutcome, TraceResult, TraceStep } from './types.js';

export interface TraceOptions {
  /** The Dashboards URL the user opens; default: the domain's (its custom endpoint first). */
  url?: string;
  /** The time of the login, for expiry of temporary passwords and tokens. */
  now: Date;
  version: string;
  source: 'live' | 'snapshot';
  file?: string;
}

export const STEP_NAMES = [
  'Hosted UI',
  'User account',
  'Token to identity pool',
  'Role selection',
  'STS AssumeRoleWithWebIdentity',
  'Domain access policy',
  'Fine-grained access control',
] as const;

/** One step being judged: the first failure decides it, then an unknown, else it passes. */
class Step {
  private status: Exclude<StepStatus, 'skipped'> = 'pass';
  private failure?: TraceFailure;
  private readonly passed: string[] = [];
  private readonly unknowns: string[] = [];
  readonly evidence: Record<string, unknown> = {};
  readonly notes: TraceNote[] = [];

  constructor(readonly number: number) {}

  ok(text: string): void {
    this.passed.push(text);
  }

  unknown(reason: string): void {
    this.unknowns.push(reason);
    if (this.status === 'pass') this.status = 'unknown';
  }

  fail(id: string, message: string, text: string): void {
    if (this.failure) return;
    this.failure = { id, message, userSees: text };
    this.status = 'fail';
  }

  note(text: string, id?: string): void {
    this.notes.push(id ? { text, id } : { text });
  }

  done(): TraceStep {
    const summary = this.failure?.message ?? (this.status === 'unknown' ? this.unknowns.join('; ') : this.passed.join('; '));
    // Behind a failure, what could not be checked is still worth knowing.
    const notes = this.failure ? [...this.notes, ...this.unknowns.map((reason) => ({ text: `not checked: ${reason}` }))] : this.notes;
    return { number: this.number, name: STEP_NAMES[this.number - 1]!, status: this.status, summary, evidence: this.evidence, notes, ...(this.failure ? { failure: this.failure } : {}) };
  }
}

function skipped(number: number, reason: string): TraceStep {
  return { number, name: STEP_NAMES[number - 1]!, status: 'skipped', summary: reason, evidence: {}, notes: [] };
}

type Read<T> = { value: T; gap?: undefined } | { gap: Gap; value?: undefined };

function read<T>(get: () => T): Read<T> {
  try {
    return { value: get() };
  } catch (error) {
    if (error instanceof DataGap) return { gap: error.gap };
    throw error;
  }
}

/** What one step hands on to the next. */
interface State {
  snapshot: Snapshot;
  ctx: CheckContext;
  identity: TraceIdentity;
  now: Date;
  url?: string;
  client?: UserPoolClientType;
  redirectUri?: string;
  /** The user pool and client of the token, from its iss and aud (step 3). */
  token?: { userPoolId: string; providerName: string; clientId: string };
  role?: { arn: string; via: 'default' | 'group' | 'rule' };
  securityRoles?: string[];
}

// ---------------------------------------------------------------------------------------------
// 1. Hosted UI: in the order Cognito's authorize endpoint checks a request

function hostedUi(state: State): TraceStep {
  const { snapshot, ctx, identity, url } = state;
  const domain = snapshot.domain;
  const step = new Step(1);
  if (!cognitoEnabled(domain)) {
    if (samlEnabled(domain)) {
      step.fail('saml-and-cognito-conflict', `Cognito authentication is off on ${domain.DomainName} and SAML is on: Dashboards signs users in with SAML`, userSees.samlInstead());
    } else {
      step.fail('dashboards-auth-missing', `Cognito authentication is off on ${domain.DomainName} (CognitoOptions.Enabled is not true): there is no Cognito login to follow`, userSees.cognitoOff());
    }
    return step.done();
  }
  if (samlEnabled(domain)) step.note('SAML is on as well as Cognito: Dashboards may show the SAML sign-in instead', 'saml-and-cognito-conflict');

  const userPoolId = domain.CognitoOptions?.UserPoolId ?? '';
  step.evidence['userPoolId'] = userPoolId || null;
  const pool = read(() => {
    requireWellFormedUserPoolId(ctx);
    return ctx.userPool();
  });
  if (pool.gap) {
    if (pool.gap.kind === 'not-applicable') step.fail('user-pool-not-found', `user pool ${userPoolId} does not exist (${pool.gap.reason})`, userSees.userPoolNotFound(userPoolId));
    else step.unknown(pool.gap.reason);
    return step.done();
  }

  // The user pool domain that serves the login page.
  const names = [pool.value.Domain, pool.value.CustomDomain].filter((d): d is string => typeof d === 'string' && d !== '');
  const loginHost = pool.value.Domain ? `https://${pool.value.Domain}.auth.${regionOfPoolId(userPoolId)}.amazoncognito.com` : names[0] ? `https://${names[0]}` : undefined;
  step.evidence['hostedUi'] = loginHost ?? null;
  if (!loginHost) {
    step.fail('user-pool-domain-missing', `user pool ${userPoolId} has no hosted-UI domain (UserPool.Domain and UserPool.CustomDomain are empty)`, userSees.noLoginPage('the user pool has no domain'));
    return step.done();
  }
  const before = ctx.gaps.length;
  const description = optionalPart(ctx, snapshot.userPoolDomain, {
    operations: ['cognito-idp:DescribeUserPoolDomain'],
    resource: names[0],
    notCollected: `the status of the user pool domain ${names.join(' / ')} was not read (cognito-idp:DescribeUserPoolDomain would read it)`,
  });
  const gap = ctx.gaps[before];
  const described = description && (!description.Domain || names.includes(description.Domain)) ? description : undefined;
  if (described) {
    const name = described.Domain ?? names[0]!;
    step.evidence['domainStatus'] = described.Status ?? null;
    if (described.Status === 'ACTIVE') step.ok(`the login page is served at ${loginHost}`);
    else if (described.Status === 'UPDATING') step.note(`the user pool domain ${name} is UPDATING: the login page may not reflect its latest settings`);
    else if (names.length > 1) step.note(`the user pool domain ${name} is ${described.Status ?? 'gone'}; the pool has another domain`, 'user-pool-domain-missing');
    else {
      const what = described.Status ? `is ${described.Status}, not ACTIVE` : 'does not exist (DescribeUserPoolDomain returned an empty description)';
      step.fail('user-pool-domain-missing', `the user pool domain ${name} of ${userPoolId} ${what}`, userSees.noLoginPage(`${loginHost} does not answer`));
      return step.done();
    }
  } else if (gap?.kind === 'unknown') step.unknown(gap.reason);
  else {
    step.ok(`the login page is served at ${loginHost}`);
    if (gap) step.note(gap.reason);
  }

  // The app client Dashboards sends users with.
  const client = read(() => domainClientOf(ctx));
  if (client.gap) {
    step.unknown(client.gap.reason);
    return step.done();
  }
  if (!client.value) {
    step.fail(
      'opensearch-app-client-deleted-or-bypassed',
      `user pool ${userPoolId} has no app client that OpenSearch Service created for ${domain.DomainName} (AWSElasticsearch-${domain.DomainName}-… or AmazonOpenSearchService-${domain.DomainName}-…): Dashboards still sends users with the client id it was given`,
      userSees.unsupportedProvider(),
    );
    return step.done();
  }
  const app = client.value;
  state.client = app;
  const clientLabel = `${app.ClientId}${app.ClientName ? ` (${app.ClientName})` : ''}`;
  step.evidence['appClient'] = { ClientId: app.ClientId, ClientName: app.ClientName };

  // redirect_uri: Dashboards sends its own path on the host the browser opened.
  if (!url) step.unknown('the snapshot names no endpoint for the domain: pass --url with the address users open');
  else {
    const opened = new URL(url);
    const scheme = opened.protocol === 'http:' && domain.DomainEndpointOptions?.EnforceHTTPS === true ? 'https:' : opened.protocol;
    const redirectUri = `${scheme}//${opened.host}${dashboardsPath(domain)}`;
    state.redirectUri = redirectUri;
    const callbacks = app.CallbackURLs ?? [];
    step.evidence['redirect_uri'] = redirectUri;
    step.evidence['CallbackURLs'] = callbacks;
    if (callbacks.includes(redirectUri)) step.ok(`the client registers the callback ${redirectUri}`);
    else {
      const kind = endpointHosts(domain).find((h) => h.host.toLowerCase() === opened.host.toLowerCase())?.kind;
      const near = callbacks.find((c) => c.toLowerCase().replace(/\/+$/, '') === redirectUri.toLowerCase().replace(/\/+$/, ''));
      const why = [
        near ? `it has ${near}, and callback URLs must match exactly` : undefined,
        kind === undefined ? `${opened.host} is not an endpoint of the domain: a proxy's address must be registered too` : undefined,
        httpUrls([redirectUri]).length > 0 ? 'Cognito accepts http:// callback URLs only for localhost: open Dashboards over https' : undefined,
      ].filter(Boolean);
      step.fail(
        kind === 'custom' ? 'custom-endpoint-not-in-callback' : 'redirect-mismatch',
        `the app client ${clientLabel} has no callback URL ${redirectUri}${why.length > 0 ? ` (${why.join('; ')})` : ''}`,
        userSees.redirectMismatch(loginHost, app.ClientId ?? ''),
      );
    }
  }
  const back = state.redirectUri ?? '<redirect_uri>';

  if (app.AllowedOAuthFlowsUserPoolClient !== true || !(app.AllowedOAuthFlows ?? []).includes('code')) {
    step.fail(
      'oauth-flows-not-enabled',
      `the app client ${clientLabel} does not allow the authorization code flow (AllowedOAuthFlowsUserPoolClient ${String(app.AllowedOAuthFlowsUserPoolClient ?? false)}, AllowedOAuthFlows ${JSON.stringify(app.AllowedOAuthFlows ?? [])})`,
      userSees.unauthorizedClient(back),
    );
  } else step.ok('the client allows the code flow');

  // Managed login (version 2) shows no login page to a client without a branding style.
  if (described?.ManagedLoginVersion === 2) {
    const before = ctx.gaps.length;
    const brandings = optionalPart(ctx, snapshot['managedLoginBranding'] as Array<{ UserPoolId?: string; ClientId?: string }> | null | undefined, {
      operations: ['cognito-idp:DescribeManagedLoginBrandingByClient'],
      resource: userPoolId,
      notCollected: `the user pool domain uses managed login (version 2), which shows no login page to a client without a branding style, and the branding of ${clientLabel} was not read (cognito-idp:DescribeManagedLoginBrandingByClient would read it)`,
    });
    if (!brandings) step.unknown(ctx.gaps[before]?.reason ?? 'the managed login branding was not read');
    else if (brandings.some((b) => (b.UserPoolId ?? userPoolId) === userPoolId && (b.ClientId === undefined || b.ClientId === app.ClientId))) {
      step.ok('the client has a managed login branding style');
    } else {
      step.fail('managed-login-branding-missing', `the user pool domain uses managed login (version 2) and the app client ${clientLabel} has no branding style`, userSees.loginPagesUnavailable());
    }
  }

  const supported = app.SupportedIdentityProviders ?? [];
  // A what-if user signs in the way the client offers: with the user pool when it can, else its first provider.
  const provider = identity.source === 'groups' && identity.claims['identities'] === undefined && supported.length > 0 && !supported.includes('COGNITO') ? supported[0]! : signInProviderOf(identity.claims);
  step.evidence['identityProvider'] = provider;
  step.evidence['SupportedIdentityProviders'] = supported;
  if (identity.unknown.attributes && identity.claims['identities'] === undefined) {
    step.unknown(`which identity provider the user signs in with is not known: ${identity.unknown.attributes}`);
  } else if (!supported.includes(provider)) {
    step.fail(
      'idp-not-enabled-on-app-client',
      `the user signs in with ${provider}, which the app client ${clientLabel} does not list in SupportedIdentityProviders (${supported.join(', ') || 'none'})`,
      userSees.loginOptionUnavailable(),
    );
  } else if (provider !== 'COGNITO' && snapshot.identityProviders && !snapshot.identityProviders.some((p) => p.ProviderName === provider)) {
    step.fail('idp-not-enabled-on-app-client', `the app client ${clientLabel} lists ${provider}, but user pool ${userPoolId} has no such identity provider any more`, userSees.loginOptionUnavailable());
  } else step.ok(`the client offers ${provider}`);

  const scopes = app.AllowedOAuthScopes ?? [];
  const missing = DASHBOARDS_REQUESTED_SCOPES.filter((scope) => !scopes.includes(scope));
  step.evidence['AllowedOAuthScopes'] = scopes;
  if (missing.length > 0) {
    step.fail(
      'oauth-scopes-missing',
      `the app client ${clientLabel} does not allow ${missing.join(' and ')}, which Dashboards requests (scope=${DASHBOARDS_REQUESTED_SCOPES.join('+')})`,
      userSees.invalidScope(back),
    );
  } else step.ok(`the client allows the scopes ${DASHBOARDS_REQUESTED_SCOPES.join(' and ')}`);

  if (!fgacEnabled(domain)) {
    let policy: PolicyDocument | undefined;
    try {
      policy = accessPolicyOf(snapshot);
    } catch {
      policy = undefined; // step 6 reports a policy it cannot parse
    }
    if (policy && unsignedDashboardsStatements(snapshot, policy).length > 0) {
      step.note('the access policy lets unsigned requests reach Dashboards, so the browser may open it without this login at all', 'login-page-bypassed-open-policy');
    }
  }
  return step.done();
}

// ---------------------------------------------------------------------------------------------
// 2. The user account (trace --user)

const DAY_MS = 86_400_000;

function userAccount(state: State): TraceStep {
  const account = state.identity.user;
  if (!account) return skipped(2, 'no user account was read: trace --user NAME reads it (live)');
  const step = new Step(2);
  const user = account.user;
  if (!user) {
    const error = account.userError;
    step.unknown(error ? gapOfFailedRead({ ...error, resource: account.username }).reason : `user ${account.username} was not read`);
    return step.done();
  }
  const name = user.Username ?? account.username;
  Object.assign(step.evidence, { Username: name, UserStatus: user.UserStatus ?? null, Enabled: user.Enabled ?? null, UserCreateDate: user.UserCreateDate ?? null });
  if (user.Enabled === false) {
    step.fail('user-not-confirmed-or-disabled', `user ${name} is disabled`, userSees.userDisabled());
  } else if (user.UserStatus === 'UNCONFIRMED') {
    step.fail('user-not-confirmed-or-disabled', `user ${name} is UNCONFIRMED: the sign-up was never confirmed`, userSees.userNotConfirmed());
  } else if (user.UserStatus === 'FORCE_CHANGE_PASSWORD') {
    const pool = read(() => state.ctx.userPool());
    const created = Date.parse(user.UserCreateDate ?? '');
    if (pool.gap) step.unknown(`how long temporary passwords last is not known: ${pool.gap.reason}`);
    else if (Number.isNaN(created)) step.unknown(`user ${name} has a temporary password and no UserCreateDate to tell whether it expired`);
    else {
      const days = pool.value.Policies?.PasswordPolicy?.TemporaryPasswordValidityDays ?? 7;
      const age = Math.floor((state.now.getTime() - created) / DAY_MS);
      step.evidence['TemporaryPasswordValidityDays'] = days;
      const expires = new Date(created + days * DAY_MS).toISOString();
      if (state.now.getTime() - created > days * DAY_MS) {
        step.fail(
          'temporary-password-expired',
          `user ${name} still has the temporary password set on ${user.UserCreateDate} (${age} days ago), valid for ${days} days (TemporaryPasswordValidityDays)`,
          userSees.temporaryPasswordExpired(),
        );
        // AdminCreateUser with RESEND restarts the clock without changing UserCreateDate.
        if (user.UserLastModifiedDate && user.UserLastModifiedDate !== user.UserCreateDate) step.note(`the user was last changed on ${user.UserLastModifiedDate}: if a new temporary password was sent then, it counts from that day`);
      } else {
        step.ok(`user ${name} is enabled and has a temporary password`);
        step.note(`the user must choose a new password at the first sign-in; the temporary password expires on ${expires}`);
      }
    }
  } else if (user.UserStatus === 'RESET_REQUIRED') {
    step.ok(`user ${name} is enabled`);
    step.note('the user must reset the password first (RESET_REQUIRED): the hosted UI asks for the code Cognito sends');
  } else {
    step.ok(`user ${name} is ${user.UserStatus ?? 'in an unknown status'} and enabled`);
  }
  return step.done();
}

// ---------------------------------------------------------------------------------------------
// 3. The token meets the identity pool (GetId)

function tokenToIdentityPool(state: State): TraceStep {
  const { snapshot, ctx, identity } = state;
  const step = new Step(3);
  const identityPoolId = snapshot.domain.CognitoOptions?.IdentityPoolId ?? '';
  step.evidence['identityPoolId'] = identityPoolId || null;
  const pool = read(() => ctx.identityPool());
  if (pool.gap) {
    if (pool.gap.kind === 'not-applicable') step.fail('identity-pool-not-found', `identity pool ${identityPoolId} does not exist (${pool.gap.reason})`, userSees.identityPoolNotFound(identityPoolId));
    else step.unknown(pool.gap.reason);
    return step.done();
  }
  const { iss, aud } = identity.claims;
  const providers = pool.value.CognitoIdentityProviders ?? [];
  Object.assign(step.evidence, {
    iss: iss ?? null,
    aud: aud ?? null,
    token_use: identity.claims['token_use'] ?? null,
    CognitoIdentityProviders: providers.map((p) => ({ ProviderName: p.ProviderName, ClientId: p.ClientId })),
  });
  const issuer = poolOfIssuer(iss);
  if (iss === undefined) step.unknown('the claims have no iss, and the domain names no user pool to take it from');
  else if (typeof aud !== 'string') step.unknown('the claims have no aud, and the domain\'s OpenSearch app client is not known to take it from');
  else if (!issuer) {
    step.fail('token-not-from-supported-provider', `the token's issuer ${String(iss)} is not a Cognito user pool`, userSees.unsupportedProvider());
  } else {
    const exact = providers.some((p) => p.ProviderName === issuer.providerName && p.ClientId === aud);
    const otherRegion = providers.find((p) => p.ClientId === aud && parseProviderName(p.ProviderName)?.userPoolId === issuer.userPoolId);
    if (exact && regionOfPoolId(identityPoolId) !== issuer.region) {
      step.fail('pool-region-mismatch', `identity pool ${identityPoolId} is in ${regionOfPoolId(identityPoolId)} and user pool ${issuer.userPoolId} in ${issuer.region}: they must share a Region`, userSees.unsupportedProvider());
    } else if (exact) {
      step.ok(`identity pool ${identityPoolId} lists ${issuer.providerName} with client ${aud}`);
    } else if (otherRegion) {
      step.fail('pool-region-mismatch', `identity pool ${identityPoolId} lists the user pool as ${otherRegion.ProviderName}, but the token's issuer is ${issuer.providerName}`, userSees.issuerMismatch());
    } else {
      const listed = providers.map((p) => `${p.ProviderName}:${p.ClientId}`).join(', ') || 'none';
      step.fail('token-not-from-supported-provider', `identity pool ${identityPoolId} has no provider ${issuer.providerName} with client ${aud} (it lists: ${listed})`, userSees.unsupportedProvider());
    }
    state.token = { userPoolId: issuer.userPoolId, providerName: issuer.providerName, clientId: aud };
  }

  const domainPool = snapshot.domain.CognitoOptions?.UserPoolId;
  const openSearchClient = state.client?.ClientId ?? openSearchClientIdOf(snapshot);
  if (issuer && domainPool && issuer.userPoolId !== domainPool) {
    step.note(`the token was issued by user pool ${issuer.userPoolId}, not by the domain's ${domainPool}: a Dashboards login's token comes from ${domainPool}`);
  } else if (typeof aud === 'string' && openSearchClient && aud !== openSearchClient) {
    step.note(`the token was issued to client ${aud}, not to the domain's OpenSearch app client ${openSearchClient}: a Dashboards login's token has aud ${openSearchClient}`);
  }
  const tokenUse = identity.claims['token_use'];
  if (tokenUse !== undefined && tokenUse !== 'id') step.note(`this is an ${String(tokenUse)} token; the identity pool takes the ID token`);
  const exp = identity.claims['exp'];
  if (typeof exp === 'number' && exp * 1000 < state.now.getTime()) {
    step.note(`the token expired at ${new Date(exp * 1000).toISOString()}: the identity pool would refuse it now (NotAuthorizedException: Invalid login token. Token expired); the trace goes on with its claims`);
  }
  return step.done();
}

// ---------------------------------------------------------------------------------------------
// 4. Role selection, as the identity pool does it

/** What a rule's claim depends on, for a user whose reads failed. */
function claimSource(claim: string): 'groups' | 'attributes' | undefined {
  if (claim === 'cognito:groups' || claim === 'cognito:roles' || claim === 'cognito:preferred_role') return 'groups';
  if (['iss', 'aud', 'token_use', 'cognito:username'].includes(claim)) return undefined;
  return 'attributes';
}

function roleSelection(state: State): TraceStep {
  const { snapshot, ctx, identity } = state;
  const step = new Step(4);
  const roles = read(() => ctx.identityPoolRoles());
  if (roles.gap) {
    step.unknown(roles.gap.reason);
    return step.done();
  }
  if (!state.token) {
    step.unknown('the provider of the token is not known (step 3), so neither is its role mapping');
    return step.done();
  }
  const identityPoolId = snapshot.domain.CognitoOptions?.IdentityPoolId ?? '';
  const authenticated = roles.value.Roles?.['authenticated'];
  const key = `${state.token.providerName}:${state.token.clientId}`;
  const mapping: RoleMapping | undefined = roles.value.RoleMappings?.[key];
  Object.assign(step.evidence, {
    mappingKey: key,
    Type: mapping?.Type ?? null,
    AmbiguousRoleResolution: mapping?.AmbiguousRoleResolution ?? null,
    authenticatedRole: authenticated ?? null,
  });
  const claims = identity.claims;
  // A pre token generation Lambda may rewrite the role claims: the traced claims stand for its output.
  const lambda = snapshot.userPool?.LambdaConfig;
  const trigger = lambda?.PreTokenGenerationConfig?.LambdaArn ?? lambda?.PreTokenGeneration;
  if (trigger) {
    step.evidence['preTokenGenerationLambda'] = trigger;
    if (mapping?.Type === 'Token') step.note(`the user pool runs the pre token generation Lambda ${trigger}: the cognito:preferred_role and cognito:roles it sets choose the role; the claims traced here stand for what it returns`);
    else step.note(`the user pool runs the pre token generation Lambda ${trigger}, but without a Token mapping for ${key} the identity pool ignores any cognito:preferred_role or cognito:roles it sets`, 'pre-token-trigger-without-token-mapping');
  }

  const choose = (arn: string | undefined, via: 'default' | 'group' | 'rule', why: string) => {
    if (!arn) {
      step.fail('identity-pool-trust-invalid', `${why}, and identity pool ${identityPoolId} has no authenticated role`, userSees.invalidPool());
      return;
    }
    state.role = { arn, via };
    step.evidence['role'] = arn;
    step.ok(`${why}: role ${roleNameOf(arn)}`);
  };
  const ambiguous = (why: string) => {
    if (mapping?.AmbiguousRoleResolution === 'Deny') {
      step.fail('ambiguous-role-mapping-denied', `${why}, and AmbiguousRoleResolution is Deny`, userSees.ambiguousDenied(state.token!.providerName));
    } else choose(authenticated, 'default', `${why}, so AmbiguousRoleResolution gives the default authenticated role`);
  };

  if (!mapping) {
    const keys = Object.keys(roles.value.RoleMappings ?? {});
    if (keys.length > 0) {
      const configured = new Set((ctx.snapshot.identityPool?.CognitoIdentityProviders ?? []).map((p) => `${p.ProviderName}:${p.ClientId}`));
      const stale = keys.filter((k) => !configured.has(k));
      step.note(`RoleMappings has no entry for ${key} (it has ${keys.join(', ')}), so the default role applies`, stale.length > 0 ? 'role-mapping-key-mismatch' : undefined);
    }
    const groups = asStringList(claims['cognito:groups']);
    if (asStringList(claims['cognito:roles']).length > 0 || (groups.length > 0 && preferredRoleOf((snapshot.userPoolGroups ?? []).filter((g) => groups.includes(g.GroupName ?? ''))).roles.length > 0)) {
      step.note(`the user's groups (${groups.join(', ')}) carry roles, but without a Token mapping for this provider the identity pool ignores them`, 'group-roles-ignored');
    }
    choose(authenticated, 'default', 'no role mapping for this provider');
    return step.done();
  }

  if (mapping.Type === 'Token') {
    const preferred = claims['cognito:preferred_role'];
    const list = asStringList(claims['cognito:roles']);
    Object.assign(step.evidence, {
      'cognito:groups': claims['cognito:groups'] ?? null,
      'cognito:roles': claims['cognito:roles'] ?? null,
      'cognito:preferred_role': preferred ?? null,
    });
    if (typeof preferred === 'string' && preferred !== '') choose(preferred, 'group', 'cognito:preferred_role names the role');
    else if (list.length === 1) choose(list[0], 'group', 'cognito:roles holds a single role');
    else if (identity.unknown.groups) step.unknown(identity.unknown.groups);
    else {
      const names = asStringList(claims['cognito:groups']);
      const tie = preferredRoleOf((snapshot.userPoolGroups ?? []).filter((g) => names.includes(g.GroupName ?? ''))).tie;
      if (tie) {
        const precedence = typeof tie[0]!.Precedence === 'number' ? `precedence ${tie[0]!.Precedence}` : 'no precedence';
        step.note(`groups ${tie.map((g) => g.GroupName).join(' and ')} carry different roles and share ${precedence}, so Cognito sets no cognito:preferred_role`, 'preferred-role-ambiguous');
      }
      ambiguous(list.length > 1 ? `the token has ${list.length} roles in cognito:roles and no cognito:preferred_role` : 'the user is in no group that carries a role');
    }
    return step.done();
  }

  const rules = mapping.RulesConfiguration?.Rules ?? [];
  const results: Array<Record<string, unknown>> = [];
  step.evidence['rules'] = results;
  for (const [index, rule] of rules.entries()) {
    const claim = rule.Claim ?? '';
    const label = `rule ${index + 1} (${claim} ${rule.MatchType} ${JSON.stringify(rule.Value ?? '')})`;
    const needs = claimSource(claim);
    if (claims[claim] === undefined && needs && identity.unknown[needs]) {
      step.unknown(`${label} cannot be evaluated: ${identity.unknown[needs]}`);
      return step.done();
    }
    const match = ruleMatches(rule, claims);
    results.push({ rule: index + 1, Claim: claim, MatchType: rule.MatchType, Value: rule.Value, claimValue: match.claimValue ?? null, matched: match.matched });
    if (match.claimValue === undefined) {
      const problem = read(() => ruleClaimProblem(rule, ctx)).value;
      if (rule.MatchType === 'NotEqual') step.note(`${label} does not match: the token has no ${claim} claim, and NotEqual is not evaluated on a missing claim`, 'rules-mapping-no-match');
      else if (problem?.severity === 'error') step.note(`${label} cannot match: ${problem.reason}${problem.suggestion ? ` (use ${problem.suggestion})` : ''}`, 'rules-mapping-no-match');
    }
    if (match.matched) {
      choose(rule.RoleARN, 'rule', `${label} matches ${JSON.stringify(match.claimValue)}, and the first matching rule wins`);
      return step.done();
    }
  }
  ambiguous(rules.length > 0 ? `none of the ${rules.length} rules matches` : 'the Rules mapping has no rules');
  return step.done();
}

// ---------------------------------------------------------------------------------------------
// 5. STS: AssumeRoleWithWebIdentity (and TagSession with principal tags)

function assumeRole(state: State): TraceStep {
  const { snapshot, ctx } = state;
  const step = new Step(5);
  if (!state.role || !state.token) {
    step.unknown('the role is not known: step 4 could not choose one');
    return step.done();
  }
  const { arn, via } = state.role;
  const identityPoolId = snapshot.domain.CognitoOptions?.IdentityPoolId ?? '';
  const id = via === 'default' ? 'identity-pool-trust-invalid' : 'group-role-trust-invalid';
  Object.assign(step.evidence, { role: arn, from: via === 'default' ? 'the authenticated role' : via === 'group' ? 'a group role' : 'a rule role', identityPoolId, amr: 'authenticated' });
  const lookup = ctx.lookupRole(arn);
  if (lookup.state === 'not-found') {
    step.fail(id, `role ${arn} does not exist (iam:GetRole ${lookup.error.code}), so STS cannot issue its credentials`, userSees.invalidPool());
    return step.done();
  }
  if (lookup.state === 'unreadable') {
    step.unknown(lookup.gap.reason);
    return step.done();
  }
  const verdict = identityTrustVerdict(lookup.role, identityPoolId, state.token.userPoolId, 'authenticated');
  Object.assign(step.evidence, { trustAud: verdict.evidence['trustAud'], trustAmr: verdict.evidence['trustAmr'], trustActions: verdict.evidence['trustActions'] });
  if (verdict.allowed) step.ok(`the trust of ${roleNameOf(arn)} lets identity pool ${identityPoolId} assume it for authenticated users`);
  else if (verdict.uncertain) step.unknown(verdict.uncertain);
  else {
    step.fail(id, `STS refuses sts:AssumeRoleWithWebIdentity on ${roleNameOf(arn)}: ${verdict.problem ?? 'its trust policy does not allow this login'}`, userSees.invalidPool());
    return step.done();
  }

  // Attributes for access control send session tags: the trust must allow sts:TagSession too.
  const before = ctx.gaps.length;
  const maps = principalTagMapsOf(ctx);
  if (!maps) {
    step.evidence['principalTags'] = 'not read';
    const gap = ctx.gaps[before];
    if (gap?.kind === 'unknown') step.note(`not read: ${gap.reason}`);
    return step.done();
  }
  const map = maps.find((m) => m.IdentityProviderName === state.token!.providerName && (!m.IdentityPoolId || m.IdentityPoolId === identityPoolId));
  const on = principalTagsOn(map);
  step.evidence['principalTags'] = on ? (map?.UseDefaults ? 'default mappings' : map?.PrincipalTags) : 'off';
  const policy = trustPolicyOf(lookup.role).policy;
  if (on && policy) {
    const tagging = webIdentityEvaluations(policy, arn, identityPoolId, state.token.userPoolId, 'authenticated', 'sts:TagSession');
    if (tagging.some((e) => e.decision === 'Allow')) step.ok('and sts:TagSession for the principal tags');
    else step.fail('principal-tags-trust-missing-tagsession', `principal tags are on for ${state.token.providerName}, and the trust of ${roleNameOf(arn)} does not allow sts:TagSession`, userSees.invalidPool());
  }
  return step.done();
}

// ---------------------------------------------------------------------------------------------
// 6. The domain access policy, for the Cognito session

function accessPolicy(state: State): TraceStep {
  const { snapshot, ctx } = state;
  const step = new Step(6);
  if (!state.role) {
    step.unknown('the role is not known: step 4 could not choose one');
    return step.done();
  }
  const { arn } = state.role;
  const sessionArn = cognitoSessionArn(snapshot, arn);
  const home = `${domainArnOf(snapshot)}${dashboardsPath(snapshot.domain)}`;
  Object.assign(step.evidence, { principal: sessionArn, action: 'es:ESHttpGet', resource: home });
  let policy: PolicyDocument | undefined;
  try {
    policy = accessPolicyOf(snapshot);
  } catch (error) {
    if (!(error instanceof PolicyParseError)) throw error;
    step.unknown(`the domain access policy could not be parsed (${error.message})`);
    return step.done();
  }
  if (fgacDecidesAccess(snapshot, policy)) {
    step.ok('fine-grained access control is on and the access policy admits every caller: FGAC decides (step 7)');
    return step.done();
  }
  const lookup = ctx.lookupRole(arn);
  const before = ctx.gaps.length;
  const result = dashboardsAccessOf(snapshot, policy, arn, ctx.rolePolicies(arn), lookup.state === 'found' ? lookup.role : undefined);
  for (const gap of ctx.gaps.slice(before)) step.note(`not read: ${gap.reason}`);
  for (const assumption of result.assumptions) step.note(assumption);
  const access = result.access;
  switch (access.outcome) {
    case 'allowed':
      step.ok(`the access policy lets ${sessionArn} send es:ESHttpGet to ${home}`);
      break;
    case 'explicit-deny':
      step.evidence['denies'] = access.denies.map((d) => ({ in: d.policyName ? `${d.policy} ${d.policyName}` : d.policy, ...(d.sid ? { sid: d.sid } : {}), statement: d.statement }));
      step.fail('explicit-deny-blocks-auth-role', `a Deny matches ${describeProbes(access.requests)} for ${sessionArn}`, userSees.accessDenied(sessionArn, true));
      break;
    case 'boundary':
      step.evidence['permissionsBoundary'] = access.boundary;
      if (access.requests.some((p) => p.resource === home && p.action === 'es:ESHttpGet')) {
        step.fail('explicit-deny-blocks-auth-role', `the permissions boundary ${access.boundary} of the role does not allow es:ESHttpGet on ${home}`, userSees.accessDenied(sessionArn, false));
      } else {
        step.ok(`the access policy lets ${sessionArn} send es:ESHttpGet to ${home}`);
        step.note(`the permissions boundary ${access.boundary} does not allow ${describeProbes(access.requests)}: Dashboards loads, but saving objects fails`, 'explicit-deny-blocks-auth-role');
      }
      break;
    case 'too-narrow': {
      step.evidence['statements'] = access.statements.map((s) => s.statement);
      if (access.notCovered.some((p) => p.resource === home && p.action === 'es:ESHttpGet')) {
        step.fail('access-policy-resource-or-action-too-narrow', `the access policy names the role but does not allow es:ESHttpGet on ${home}`, userSees.accessDenied(sessionArn, false));
      } else {
        step.ok(`the access policy lets ${sessionArn} send es:ESHttpGet to ${home}`);
        step.note(`it does not allow ${describeProbes(access.notCovered)}: Dashboards loads, but saving objects fails`, 'access-policy-resource-or-action-too-narrow');
      }
      break;
    }
    case 'account-only':
    case 'not-in-policy':
      step.fail('auth-role-not-in-access-policy', `no statement of the access policy lets ${sessionArn} use the domain`, userSees.accessDenied(sessionArn, false));
      break;
    case 'undecided':
      step.unknown(access.reason);
      break;
  }
  return step.done();
}

// ---------------------------------------------------------------------------------------------
// 7. Fine-grained access control: backend role → security roles

function fineGrained(state: State): TraceStep {
  const { snapshot, ctx, identity } = state;
  if (!fgacEnabled(snapshot.domain)) return skipped(7, 'fine-grained access control is off: the access policy alone decides (step 6)');
  const step = new Step(7);
  if (!state.role) {
    step.unknown('the role is not known: step 4 could not choose one');
    return step.done();
  }
  const { arn } = state.role;
  const mapping = read(() => readRolesMapping(ctx));
  if (mapping.gap) {
    step.unknown(mapping.gap.reason);
    return step.done();
  }
  const userPoolId = snapshot.domain.CognitoOptions?.UserPoolId;
  // FGAC sees the role by its full ARN, IAM path included.
  const backendRole = arn;
  const view = mappingsOfRole(mapping.value, arn, userPoolId);
  const username = identity.claims['cognito:username'];
  const asUser = typeof username === 'string' ? view.cognitoUsers.filter((e) => e.users.includes(`Cognito/${userPoolId}/${username}`)).map((e) => e.securityRole) : [];
  const securityRoles = [...new Set([...view.securityRoles, ...asUser])].sort();
  Object.assign(step.evidence, { backendRole, securityRoles, ...(asUser.length > 0 ? { mappedAsUser: asUser } : {}), ...(view.otherPath.length > 0 ? { nearMisses: view.otherPath } : {}) });
  if (view.otherPath.length > 0) {
    step.note(`${view.otherPath.map((m) => `${m.securityRole} lists ${m.listed}`).join('; ')}: the same role name in another IAM path, which does not match the backend role ${backendRole}`, 'missing-role');
  }
  if (view.undecided.length > 0 && !securityRoles.some((r) => (DASHBOARDS_SECURITY_ROLES as readonly string[]).includes(r))) {
    step.unknown(`whether role ${roleNameOf(arn)} (backend role ${backendRole}) is mapped is unknown: ${describeUndecided(view.undecided)}`);
  } else if (securityRoles.length === 0) {
    step.fail('missing-role', `role ${roleNameOf(arn)} (backend role ${backendRole}) is in no role mapping`, userSees.missingRole());
  } else if (!securityRoles.some((r) => (DASHBOARDS_SECURITY_ROLES as readonly string[]).includes(r))) {
    step.fail(
      'dashboards-permissions-not-mapped',
      `role ${roleNameOf(arn)} maps to ${securityRoles.join(', ')}, none of ${DASHBOARDS_SECURITY_ROLES.join(', ')}`,
      userSees.noDashboardsPermissions(cognitoSessionArn(snapshot, arn), backendRole),
    );
  } else {
    state.securityRoles = securityRoles;
    step.ok(`role ${roleNameOf(arn)} maps to ${securityRoles.join(', ')}`);
  }
  return step.done();
}

// ---------------------------------------------------------------------------------------------

function outcomeOf(steps: TraceStep[], state: State): TraceOutcome {
  const failed = steps.find((s) => s.status === 'fail');
  if (failed?.failure) {
    return { result: 'failure', line: `the user sees: ${failed.failure.userSees}`, step: failed.number, id: failed.failure.id, userSees: failed.failure.userSees };
  }
  const unknown = steps.find((s) => s.status === 'unknown');
  if (unknown || !state.role) {
    const at = unknown ? `step ${unknown.number} (${unknown.name}) could not be decided: ${unknown.summary}` : 'no role was chosen';
    return { result: 'unknown', line: `the outcome is unknown: ${at}`, ...(unknown ? { step: unknown.number } : {}) };
  }
  const role = state.role.arn;
  const related = [...new Set(steps.flatMap((s) => s.notes.flatMap((n) => (n.id ? [n.id] : []))))];
  const warnings = related.length > 0 ? ` (see the notes: ${related.join(', ')})` : '';
  if (state.securityRoles) {
    return { result: 'success', line: `login succeeds as role ${roleNameOf(role)} with security roles ${state.securityRoles.join(', ')}${warnings}`, role, securityRoles: state.securityRoles };
  }
  return { result: 'success', line: `login succeeds as role ${roleNameOf(role)} with security roles: none (fine-grained access control is off)${warnings}`, role };
}

const STEPS: Array<(state: State) => TraceStep> = [hostedUi, userAccount, tokenToIdentityPool, roleSelection, assumeRole, accessPolicy, fineGrained];

/** Walks the login through every step; after a failure the rest are skipped, after an unknown they go on. */
export function traceLogin(snapshot: Snapshot, identity: TraceIdentity, options: TraceOptions): TraceResult {
  const url = options.url ?? dashboardsUrl(snapshot.domain);
  const state: State = { snapshot, ctx: new CheckContext(snapshot), identity, now: options.now, ...(url ? { url } : {}) };
  const steps: TraceStep[] = [];
  let stoppedAt: number | undefined;
  STEPS.forEach((run, index) => {
    if (stoppedAt !== undefined) {
      steps.push(skipped(index + 1, `the login stops at step ${stoppedAt}`));
      return;
    }
    const step = run(state);
    steps.push(step);
    if (step.status === 'fail') stoppedAt = step.number;
  });
  return {
    schema: 'cogdoctor/trace/v1',
    tool: { name: 'cogdoctor', version: options.version },
    target: {
      domain: snapshot.domain.DomainName,
      region: snapshot.region,
      ...(snapshot.accountId ? { accountId: snapshot.accountId } : {}),
      source: options.source,
      ...(options.file ? { file: options.file } : {}),
      ...(url ? { url } : {}),
      ...(state.redirectUri ? { redirectUri: state.redirectUri } : {}),
    },
    identity: {
      source: identity.source,
      label: identity.label,
      ...(identity.token ? { token: identity.token } : {}),
      claims: identity.claims,
      derived: identity.derived,
    },
    steps,
    outcome: outcomeOf(steps, state),
  };
}
