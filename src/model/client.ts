// The user pool side of the login: which app client is the domain's, what a healthy one looks
// like, pool id formats, and the optional user-pool-domain / identity-provider reads.
import { DataGap, type CheckContext } from '../context/check-context.js';
import { gapOfFailedRead, isNotFound, type Gap } from '../snapshot/gaps.js';
import type { Domain, Snapshot, UserPoolClientType } from '../snapshot/types.js';
import { endpointHosts, type DomainPlace } from './domain.js';
import { sh } from './shell.js';

/** Name prefixes OpenSearch Service gives the app client it creates (legacy and current). */
export const SERVICE_CLIENT_PREFIX = /^(?:AWSElasticsearch|AmazonOpenSearchService)-/;

/** What the service sets on its client (catalog 0.2). */
export const OPENSEARCH_CLIENT_SCOPES = ['email', 'openid', 'phone', 'profile'];
/** What Dashboards asks for (`scope=openid+email`). */
export const DASHBOARDS_REQUESTED_SCOPES = ['openid', 'email'];

const REGION = '[a-z]{2}(?:-[a-z]+)+-\\d+';
/** `eu-west-1_Xk2LmQp7A`: the API pattern `[\w-]+_[0-9a-zA-Z]+` with a region before the underscore. */
export const USER_POOL_ID = new RegExp(`^(${REGION})_[0-9a-zA-Z]+$`);
/** `eu-west-1:5f0c7a3e-2b1d-4e8f-9a6c-3d7e1b2f4a90`: the API pattern `[\w-]+:[0-9a-f-]+` with a region before the colon. */
export const IDENTITY_POOL_ID = new RegExp(`^(${REGION}):[0-9a-f-]+$`);

export function isUserPoolId(id: string | undefined): id is string {
  return typeof id === 'string' && id.length <= 55 && USER_POOL_ID.test(id);
}

export function isIdentityPoolId(id: string | undefined): id is string {
  return typeof id === 'string' && id.length <= 55 && IDENTITY_POOL_ID.test(id);
}

/** `cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Xk2LmQp7A` → its two parts (China partition included). */
export function parseProviderName(name: string | undefined): { region: string; userPoolId: string } | undefined {
  const match = /^cognito-idp\.([^./]+)\.amazonaws\.com(?:\.cn)?\/([^/:]+)$/.exec(name ?? '');
  return match ? { region: match[1]!, userPoolId: match[2]! } : undefined;
}

/** A RoleMappings key `<provider name>:<client id>` → its parts. */
export function parseRoleMappingKey(key: string): { providerName: string; clientId: string } | undefined {
  const colon = key.lastIndexOf(':');
  if (colon <= 0) return undefined;
  return { providerName: key.slice(0, colon), clientId: key.slice(colon + 1) };
}

/** The prefixes the service gives the app client it creates, legacy first. */
const SERVICE_CLIENT_PREFIXES = ['AWSElasticsearch-', 'AmazonOpenSearchService-'];
const REGION_AND_HASH = new RegExp(`^(${REGION})-([A-Za-z0-9]+)$`);

// Domain names come from the account (or a hand-written snapshot) and can be any length: they are
// compared as strings, never compiled into a regular expression.

/** What follows `<prefix>-<domain>-` in a client name, or undefined when the name does not start so. */
function afterServicePrefix(clientName: string, domainName: string): string | undefined {
  for (const prefix of SERVICE_CLIENT_PREFIXES) {
    const head = `${prefix}${domainName}-`;
    if (clientName.startsWith(head)) return clientName.slice(head.length);
  }
  return undefined;
}

/** The Region of a whole `<prefix>-<domain>-<region>-<hash>` client name, or undefined. */
function serviceClientRegion(clientName: string, domainName: string): string | undefined {
  const rest = afterServicePrefix(clientName, domainName);
  return rest === undefined ? undefined : REGION_AND_HASH.exec(rest)?.[1];
}

/** The domain's Region, from its ARN (the snapshot's region when the ARN is absent). */
export function domainRegionOf(snapshot: DomainPlace): string {
  return snapshot.domain.ARN?.split(':')[3] || snapshot.region;
}

/** The id part of the endpoint hostname (`search-logs-<hash>.…` or `vpc-logs-<hash>.…`). */
export function endpointHashOf(domain: Domain): string | undefined {
  for (const { host } of endpointHosts(domain)) {
    for (const kind of ['search', 'vpc']) {
      const head = `${kind}-${domain.DomainName}-`;
      if (!host.startsWith(head)) continue;
      const match = /^([a-z0-9]+)\./.exec(host.slice(head.length));
      if (match) return match[1];
    }
  }
  return undefined;
}

/** Whether a callback or sign-out URL of the client is on one of the domain's hostnames. */
export function clientPointsAtDomain(client: UserPoolClientType, domain: Domain): boolean {
  const hosts = new Set(endpointHosts(domain).map((h) => h.host.toLowerCase()));
  return [...(client.CallbackURLs ?? []), ...(client.LogoutURLs ?? [])].some((url) => {
    try {
      return hosts.has(new URL(url).host.toLowerCase());
    } catch {
      return false;
    }
  });
}

export interface ClientMatch {
  client: UserPoolClientType;
  /** `name`: the service's naming pattern; `identity-pool`: rule 6's fallback. */
  by: 'name' | 'identity-pool';
}

/**
 * The app client OpenSearch Service created for the domain (decision rule 6). The name must be
 * the whole `<prefix>-<domain>-<region>-<hash>` with a Region this domain or its pool uses, so
 * the client of `logs-prod` is never taken for the client of `logs`; a name that only starts
 * with `<prefix>-<domain>-` counts when its callbacks point at this domain. Failing both, the
 * client the identity pool lists whose callbacks point at the domain.
 */
export function findDomainClient(
  domain: Domain,
  clients: UserPoolClientType[],
  options: { regions: string[]; identityPoolClientIds?: string[] },
): ClientMatch | undefined {
  const hash = endpointHashOf(domain);
  const named = clients.filter((c) => {
    const region = serviceClientRegion(c.ClientName ?? '', domain.DomainName);
    return region !== undefined && options.regions.includes(region);
  });
  if (named.length > 0) {
    const pick =
      named.find((c) => clientPointsAtDomain(c, domain)) ?? (hash ? named.find((c) => (c.ClientName ?? '').endsWith(`-${hash}`)) : undefined) ?? named[0]!;
    return { client: pick, by: 'name' };
  }
  const loose = clients.find((c) => afterServicePrefix(c.ClientName ?? '', domain.DomainName) !== undefined && clientPointsAtDomain(c, domain));
  if (loose) return { client: loose, by: 'name' };
  const ids = options.identityPoolClientIds ?? [];
  const listed = clients.find((c) => ids.includes(c.ClientId ?? '') && clientPointsAtDomain(c, domain));
  return listed ? { client: listed, by: 'identity-pool' } : undefined;
}

/** Regions the service client's name may carry: the domain's and the user pool's. */
export function clientNameRegions(snapshot: Snapshot): string[] {
  const regions = new Set([domainRegionOf(snapshot), snapshot.region]);
  const pool = snapshot.domain.CognitoOptions?.UserPoolId;
  const match = USER_POOL_ID.exec(pool ?? '');
  if (match) regions.add(match[1]!);
  return [...regions];
}

/** The identity pool's client ids for the domain's user pool, from whatever was read. */
export function identityPoolClientIdsOf(snapshot: Snapshot): string[] {
  return (snapshot.identityPool?.CognitoIdentityProviders ?? []).map((p) => p.ClientId ?? '').filter(Boolean);
}

/**
 * Stops a check about the user pool when CognitoOptions names no well-formed pool id: there is
 * no pool to inspect (cognito-pools-exist reports the id), whatever error the read recorded.
 */
export function requireWellFormedUserPoolId(ctx: CheckContext): string {
  const id = ctx.domain.CognitoOptions?.UserPoolId;
  if (!isUserPoolId(id)) {
    throw new DataGap({ kind: 'not-applicable', reason: `CognitoOptions.UserPoolId ${JSON.stringify(id ?? null)} is not a user pool id` });
  }
  return id;
}

/** Whether a client is the stand-in for the one OpenSearch Service creates at deploy (pre-deploy checks). */
export function isServiceClientAtDeploy(snapshot: Snapshot, client: UserPoolClientType | undefined): boolean {
  return snapshot.serviceClientAtDeploy !== undefined && client?.ClientId === snapshot.serviceClientAtDeploy;
}

/**
 * Whether a client is beyond doubt the one the service created for this domain: the whole
 * `<prefix>-<domain>-<region>-<hash>` name with a Region the domain or its pool uses, and callback
 * or sign-out URLs on the domain's hostnames. No other client, read or not, can then be the one.
 */
export function isDecisiveServiceClient(domain: Domain, client: UserPoolClientType, regions: string[]): boolean {
  const region = serviceClientRegion(client.ClientName ?? '', domain.DomainName);
  return region !== undefined && regions.includes(region) && clientPointsAtDomain(client, domain);
}

/**
 * Which client is the domain's OpenSearch app client (decision rule 6), with how it was found. A
 * client whose DescribeUserPoolClient failed leaves the answer open (it may be the one), so the gap
 * stays noted; but when the match is decisive (isDecisiveServiceClient, or the client the service
 * creates at deploy) the unreadable clients cannot change it.
 */
export function domainClientIdentity(ctx: CheckContext): ClientMatch | undefined {
  requireWellFormedUserPoolId(ctx);
  const before = ctx.gaps.length;
  const clients = ctx.userPoolClients();
  const regions = clientNameRegions(ctx.snapshot);
  const match = findDomainClient(ctx.domain, clients, { regions, identityPoolClientIds: identityPoolClientIdsOf(ctx.snapshot) });
  if (match && (isServiceClientAtDeploy(ctx.snapshot, match.client) || isDecisiveServiceClient(ctx.domain, match.client, regions))) ctx.gaps.splice(before);
  return match;
}

/**
 * The domain's OpenSearch app client, for a check of its settings. Before deploy the client does
 * not exist yet and OpenSearch Service will create it with its own settings: such a check does
 * not apply.
 */
export function domainClientMatch(ctx: CheckContext): ClientMatch | undefined {
  const match = domainClientIdentity(ctx);
  if (match && isServiceClientAtDeploy(ctx.snapshot, match.client)) {
    throw new DataGap({
      kind: 'not-applicable',
      reason: 'the OpenSearch app client is created by OpenSearch Service at deploy, with the settings the service gives it',
    });
  }
  return match;
}

/** The domain's OpenSearch app client for a check of its settings, or undefined when none matches rule 6. */
export function domainClientOf(ctx: CheckContext): UserPoolClientType | undefined {
  return domainClientMatch(ctx)?.client;
}

/** The URLs the browser may be sent back to over plain HTTP, which Cognito refuses except on loopback. */
export function httpUrls(urls: string[] | undefined): string[] {
  return (urls ?? []).filter((url) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return false;
    }
    if (parsed.protocol !== 'http:') return false;
    return !['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname.toLowerCase());
  });
}

/** jq edit that turns the OAuth settings back on as the service sets them, keeping any extras. */
export const RESTORE_OAUTH_EDIT =
  '.AllowedOAuthFlowsUserPoolClient = true | .AllowedOAuthFlows = ((.AllowedOAuthFlows // []) + ["code"] | unique) | .AllowedOAuthScopes = ((.AllowedOAuthScopes // []) + $scopes | unique)';

// UpdateUserPool accepts these keys of DescribeUserPool's output (and resets what it is not given).
const USER_POOL_UPDATE_KEYS = [
  'Policies',
  'DeletionProtection',
  'LambdaConfig',
  'AutoVerifiedAttributes',
  'SmsVerificationMessage',
  'EmailVerificationMessage',
  'EmailVerificationSubject',
  'VerificationMessageTemplate',
  'SmsAuthenticationMessage',
  'UserAttributeUpdateSettings',
  'MfaConfiguration',
  'DeviceConfiguration',
  'EmailConfiguration',
  'SmsConfiguration',
  'UserPoolTags',
  'AdminCreateUserConfig',
  'UserPoolAddOns',
  'AccountRecoverySetting',
  'UserPoolTier',
];

/**
 * `update-user-pool` resets every setting it is not given, like `update-user-pool-client`: a
 * describe → jq edit → update round trip that keeps only the keys the update accepts.
 */
export function userPoolRoundTrip(userPoolId: string, jqEdit: string): string[] {
  const region = USER_POOL_ID.exec(userPoolId)?.[1] ?? userPoolId.split('_')[0] ?? '';
  // TemporaryPasswordValidityDays supersedes UnusedAccountValidityDays; the update refuses both.
  const keep =
    '. as $pool | with_entries(select(.key as $k | $keys | index($k))) + {UserPoolId: $pool.Id} + (if $pool.Name then {PoolName: $pool.Name} else {} end)' +
    ' | if .Policies.PasswordPolicy.TemporaryPasswordValidityDays then del(.AdminCreateUserConfig.UnusedAccountValidityDays) else . end';
  return [
    `${sh('aws', 'cognito-idp', 'describe-user-pool', '--region', region, '--user-pool-id', userPoolId, '--query', 'UserPool')} > user-pool.json`,
    `${sh('jq', '--argjson', 'keys', JSON.stringify(USER_POOL_UPDATE_KEYS), `${jqEdit} | ${keep}`, 'user-pool.json')} > user-pool-fixed.json`,
    sh('aws', 'cognito-idp', 'update-user-pool', '--region', region, '--cli-input-json', 'file://user-pool-fixed.json'),
  ];
}

/** `update-domain-config --cognito-options` with the whole option set (omitted fields are not kept). */
export function cognitoOptionsUpdate(snapshot: DomainPlace, options: Record<string, unknown>): string {
  return domainCognitoOptionsUpdate(domainRegionOf(snapshot), snapshot.domain.DomainName, options);
}

/** The domain and pools whose Cognito authentication is turned off and on again. */
export interface CognitoReenable {
  domainRegion: string;
  domainName: string;
  userPoolId: string;
  IdentityPoolId?: string;
  RoleArn?: string;
}

/**
 * Turning Cognito authentication off and on again makes OpenSearch Service create its app client
 * (and the identity pool's provider entry) anew: the two console steps and the two commands.
 */
export function cognitoReenable(d: CognitoReenable): { steps: string[]; commands: string[] } {
  const options = {
    Enabled: true,
    UserPoolId: d.userPoolId,
    ...(d.IdentityPoolId ? { IdentityPoolId: d.IdentityPoolId } : {}),
    ...(d.RoleArn ? { RoleArn: d.RoleArn } : {}),
  };
  return {
    steps: [
      `OpenSearch Service console → Domains → ${d.domainName} → Security configuration → Edit → clear "Enable Amazon Cognito authentication" → Save; wait for the change to finish.`,
      `Edit again and enable Amazon Cognito authentication with user pool ${d.userPoolId}${d.IdentityPoolId ? ` and identity pool ${d.IdentityPoolId}` : ''} → Save.`,
    ],
    commands: [domainCognitoOptionsUpdate(d.domainRegion, d.domainName, { Enabled: false }), domainCognitoOptionsUpdate(d.domainRegion, d.domainName, options)],
  };
}

/** The same command from the domain's region and name, for a check's messages, which have no snapshot. */
export function domainCognitoOptionsUpdate(region: string, domainName: string, options: Record<string, unknown>): string {
  return sh('aws', 'opensearch', 'update-domain-config', '--region', region, '--domain-name', domainName, '--cognito-options', JSON.stringify(options));
}

/**
 * An optional snapshot part (catalog tier 2): its value when collected; otherwise the check
 * goes on without it and notes the gap: unknown when the read failed, not evaluated when it was
 * not attempted (`notCollected` says what could not be checked and how to collect it).
 */
export function optionalPart<T>(
  ctx: Pick<CheckContext, 'readError' | 'note'>,
  value: T | null | undefined,
  read: { operations: string[]; resource?: string; notCollected: string },
): T | undefined {
  if (value !== undefined && value !== null) return value;
  for (const operation of read.operations) {
    const error = ctx.readError(operation, read.resource);
    if (error) {
      ctx.note(gapOfFailedRead({ ...error, ...((error.resource ?? read.resource) ? { resource: error.resource ?? read.resource } : {}) }));
      return undefined;
    }
  }
  ctx.note({ kind: 'not-evaluated', reason: read.notCollected, permission: read.operations[0]! });
  return undefined;
}

/** The recorded failure of a Describe call on a pool, split into "it does not exist" and "could not read". */
export function poolReadOutcome(
  ctx: CheckContext,
  operation: string,
  id: string,
): { state: 'not-found'; code: string; message?: string } | { state: 'unreadable'; gap: Gap } | { state: 'missing' } {
  const error = ctx.readError(operation, id);
  if (!error) return { state: 'missing' };
  if (isNotFound(error.code)) {
    return { state: 'not-found', code: error.code, ...(error.message ? { message: error.message } : {}) };
  }
  return { state: 'unreadable', gap: gapOfFailedRead({ ...error, resource: error.resource ?? id }) };
}
