// What the CloudFormation and Terraform readers share: the ids AWS would assign, generated
// deterministically from a resource's name in the code; the pieces of a snapshot that follow from
// the service's own behaviour; and locating findings at the resource that defines them.
import { createHash } from 'node:crypto';
import type { Finding, Report } from '../engine/types.js';
import { providerNameOf } from '../model/pools.js';
import type { ReadError, RolesMappingEntry, Snapshot, UserPoolClientType } from '../snapshot/types.js';

export const DEFAULT_ACCOUNT_ID = '123456789012';
export const DEFAULT_REGION = 'us-east-1';

/** AWS managed policies whose content cogdoctor knows; recorded without a document, as a live read does. */
export const KNOWN_MANAGED = /:policy\/(?:service-role\/)?(?:AmazonOpenSearchServiceCognitoAccess|AmazonESCognitoAccess)$/;

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A uuid-shaped id derived from a name (stable across runs). */
export function uuidOf(name: string): string {
  const h = digest(name);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** An app client id of the API's shape (26 lowercase letters and digits). */
export function clientIdOf(name: string): string {
  return BigInt(`0x${digest(name)}`).toString(36).slice(0, 26).padStart(26, '0');
}

/** A role's RoleId (`AROA…`). */
export function roleIdOf(name: string): string {
  return `AROA${digest(name).slice(0, 17).toUpperCase()}`;
}

/** An EC2 id of the API's shape (`subnet-…`, `sg-…`, `vpc-…`). */
export function ec2IdOf(prefix: string, name: string): string {
  return `${prefix}-${digest(name).slice(0, 17)}`;
}

/** `<region>_<name>`, the name reduced to the letters and digits a user pool id may hold. */
export function userPoolIdOf(region: string, name: string): string {
  return `${region}_${name.replace(/[^0-9A-Za-z]/g, '')}`;
}

export function identityPoolIdOf(region: string, name: string): string {
  return `${region}:${uuidOf(name)}`;
}

export function partitionOf(region: string): string {
  return region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
}

/** The account an ARN is built in. */
export interface ArnScope {
  partition: string;
  accountId: string;
}

export function arnOf(scope: ArnScope, service: string, region: string, resource: string): string {
  return `arn:${scope.partition}:${service}:${region}:${scope.accountId}:${resource}`;
}

export function roleArnOf(scope: ArnScope, path: string, name: string): string {
  return `arn:${scope.partition}:iam::${scope.accountId}:role${path}${name}`;
}

export function policyArnOf(scope: ArnScope, path: string, name: string): string {
  return `arn:${scope.partition}:iam::${scope.accountId}:policy${path}${name}`;
}

/** A policy as the API returns it: a JSON string. */
export function policyDocument(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * The FGAC role mapping the domain starts with: at creation the service maps the master user
 * (MasterUserOptions) to all_access and security_manager.
 */
export function masterUserMapping(masterUserArn: string | undefined, masterUserName: string | undefined): Snapshot['securityPlugin'] | undefined {
  const entry: RolesMappingEntry | undefined = masterUserArn
    ? { backend_roles: [masterUserArn], users: [], hosts: [] }
    : masterUserName
      ? { backend_roles: [], users: [masterUserName], hosts: [] }
      : undefined;
  return entry ? { rolesMapping: { all_access: { ...entry }, security_manager: { ...entry } } } : undefined;
}

/**
 * Records that the API read `operation` on `apiResource` would give what the code leaves undecided
 * at `where` (a resource, or `Resource.Property`), so the checks needing it name that value and
 * never an IAM permission. The cause is the reader's own entry (operation `<tool>:Resolve`) for it.
 */
export function recordUndecided(errors: ReadError[], code: { tool: string; file: string; what: string }, operation: string, apiResource: string, where: string): void {
  const cause = errors.find((e) => e.operation === `${code.tool}:Resolve` && (e.resource === where || e.resource?.startsWith(`${where}.`)));
  const message = `${cause?.resource ?? where} in ${code.file} is not decided by the ${code.what}: ${cause?.message ?? 'known only at deploy'}`;
  if (!errors.some((e) => e.operation === operation && e.resource === apiResource)) errors.push({ operation, resource: apiResource, code: cause?.code ?? 'Unresolvable', message });
}

/**
 * The roles the login path names that the code does not define (an ARN written out, a parameter):
 * their trust and permissions are not decided by it, and the checks reading them say which role.
 */
export function recordRolesOutside(snapshot: Snapshot, code: { file: string; what: string; errorCode: string }): void {
  const defined = new Set((snapshot.roles ?? []).map((r) => r.Arn));
  const named = new Set<string>();
  const add = (arn: unknown) => {
    if (typeof arn === 'string' && arn.startsWith('arn:')) named.add(arn);
  };
  add(snapshot.domain.CognitoOptions?.RoleArn);
  for (const arn of Object.values(snapshot.identityPoolRoles?.Roles ?? {})) add(arn);
  for (const mapping of Object.values(snapshot.identityPoolRoles?.RoleMappings ?? {})) for (const rule of mapping.RulesConfiguration?.Rules ?? []) add(rule.RoleARN);
  for (const group of snapshot.userPoolGroups ?? []) add(group.RoleArn);
  const errors = (snapshot.errors ??= []);
  for (const arn of [...named].sort()) {
    if (defined.has(arn) || errors.some((e) => e.operation === 'iam:GetRole' && e.resource === arn)) continue;
    errors.push({ operation: 'iam:GetRole', resource: arn, code: code.errorCode, message: `role ${arn} is not defined in ${code.file}: the ${code.what} does not decide its trust policy` });
  }
}

/**
 * When the code names several accounts in written-out ARNs and nothing says which one it deploys
 * to, an ARN built from the account pseudo parameter cannot be compared with them: the access
 * policy and the FGAC master mapping (where such ARNs meet) are left undecided, naming why, rather
 * than compared against a placeholder account.
 */
export function leaveAccountUndecided(snapshot: Snapshot, accounts: string[], code: { tool: string; file: string; what: string; accessPolicyAt: string; parameter: string }): void {
  const why = `the ${code.what} names accounts ${accounts.join(', ')} and does not say which one it deploys to, so ARNs built from the account cannot be compared with them (${code.parameter})`;
  const errors = (snapshot.errors ??= []);
  if (snapshot.domain.AccessPolicies !== undefined && /:\d{12}:/.test(snapshot.domain.AccessPolicies)) {
    delete snapshot.domain.AccessPolicies;
    errors.push({ operation: `${code.tool}:Resolve`, resource: code.accessPolicyAt, code: 'Unresolvable', message: why });
  }
  if (snapshot.securityPlugin) {
    delete snapshot.securityPlugin;
    const arn = snapshot.domain.ARN ?? snapshot.domain.DomainName;
    errors.push({ operation: 'es:ESHttpGet', resource: `${arn}/_plugins/_security/api/rolesmapping`, code: 'Unresolvable', message: `the FGAC master user mapping in ${code.file} is not decided: ${why}` });
  }
}

/** Whether a client the code defines is the service's own, imported (named as the service names it). */
export function isServiceNamed(domainName: string, clientName: string): boolean {
  return clientName.startsWith(`AmazonOpenSearchService-${domainName}-`) || clientName.startsWith(`AWSElasticsearch-${domainName}-`);
}

/** An identity-pool provider as the code declares it; `ClientId` undefined when only known at deploy. */
export interface DeclaredProvider {
  ProviderName?: string;
  ClientId?: string;
  ServerSideTokenCheck?: boolean;
}

export interface ServiceClientInput {
  domainName: string;
  /** The domain's Region: the service names its client after it. */
  domainRegion: string;
  userPoolId: string;
  /** The clients the code defines in the user pool. */
  clients: UserPoolClientType[];
  /** The identity pool's providers as the code declares them; undefined when the identity pool is not in the code. */
  declared: DeclaredProvider[] | undefined;
  /** A provider the plan removes from the identity pool (in `before`, not in `after`) whose client the code does not define. */
  removed?: DeclaredProvider | undefined;
  /** What the generated id is derived from (the domain's logical id or address). */
  seed: string;
  /** `template` or `plan`, for the notes. */
  code: string;
}

export interface ServiceClientPlan {
  clients: UserPoolClientType[];
  /** The identity pool's providers after deploy (undefined when the code does not decide them). */
  providers: DeclaredProvider[] | undefined;
  /** The stand-in's ClientId, when the service creates the client at deploy. */
  serviceClientAtDeploy?: string;
  notes: string[];
}

/**
 * The app client OpenSearch Service creates when it enables Cognito (decision rule 6) is in no
 * template or plan: it comes with the service's settings, and the service adds it to the identity
 * pool as a provider. A client the code creates is never it, unless it is the service's client
 * imported (named `AmazonOpenSearchService-<domain>-…` / `AWSElasticsearch-<domain>-…`): then the
 * code manages it, and the identity pool gets only the providers the code declares.
 */
export function serviceClientOf(input: ServiceClientInput): ServiceClientPlan {
  const { domainName, userPoolId, clients, declared } = input;
  const imported = clients.find((c) => isServiceNamed(domainName, c.ClientName ?? ''));
  const provider = providerNameOf(userPoolId);
  const complete = (list: DeclaredProvider[] | undefined) => list?.every((p) => p.ClientId !== undefined) ?? false;
  if (imported) {
    return { clients, providers: complete(declared) ? declared : undefined, notes: [] };
  }
  const own = new Set(clients.map((c) => c.ClientId));
  const forPool = (declared ?? []).filter((p) => p.ProviderName === provider || p.ProviderName === undefined);
  // A provider the code declares with a client it does not create (a literal id, a parameter, a
  // value only known at deploy) is the service's client, wired up by hand.
  const wired = forPool.find((p) => p.ClientId === undefined || !own.has(p.ClientId));
  const seeded = clientIdOf(`${input.seed}#opensearch-service-client`);
  const clientId = input.removed?.ClientId ?? wired?.ClientId ?? seeded;
  const serviceClient: UserPoolClientType = {
    UserPoolId: userPoolId,
    ClientId: clientId,
    ClientName: `AmazonOpenSearchService-${domainName}-${input.domainRegion}-${seeded.slice(0, 26)}`,
    ClientSecret: '<redacted>',
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ['code'],
    AllowedOAuthScopes: ['email', 'openid', 'phone', 'profile'],
    SupportedIdentityProviders: ['COGNITO'],
  };
  const notes: string[] = [];
  let providers: DeclaredProvider[] | undefined;
  if (declared !== undefined) {
    providers = declared.map((p) => (p === wired && p.ClientId === undefined ? { ...p, ProviderName: p.ProviderName ?? provider, ClientId: clientId } : p));
    if (input.removed) {
      notes.push(`the ${input.code} removes the provider ${provider} with client ${clientId} from the identity pool: OpenSearch Service added it for its app client`);
    } else if (!wired) {
      // The service adds its provider when it enables Cognito on the domain.
      providers = [...providers, { ProviderName: provider, ClientId: clientId, ServerSideTokenCheck: true }];
      if (declared.length > 0) {
        notes.push(`the identity pool lists only app clients the ${input.code} creates; OpenSearch Service adds its own client as a provider at deploy, and an update of the identity pool's providers by the ${input.code} would remove it again`);
      }
    }
    if (providers.some((p) => p.ClientId === undefined)) providers = undefined;
  }
  return { clients: [...clients, serviceClient], providers, serviceClientAtDeploy: clientId, notes };
}

/** Where a domain's access policy and its identity pool's role mappings are defined, when not on the domain and the pool. */
export interface Placement {
  /** A resource that sets the access policy (CDK's Custom::OpenSearchAccessPolicy, aws_opensearch_domain_policy). */
  accessPolicy?: string;
  /** The resource that attaches the identity pool's roles and role mappings. */
  roleMappings?: string;
}

/** Where resources are defined: generated ids and ARNs → the resource's name in the code, and that name → its line. */
export interface IacIndex {
  index: Map<string, string>;
  lines: Map<string, number>;
  file: string;
  /** Resource name → its type (`AWS::…` or `aws_…`). */
  types?: Map<string, string>;
  /** Domain (logical id or address) → where its access policy and role mappings are defined. */
  placements?: Map<string, Placement>;
}

/** Failures about the access policy: they belong where the policy is written. */
const ACCESS_POLICY_IDS = new Set([
  'auth-role-not-in-access-policy',
  'access-policy-resource-or-action-too-narrow',
  'explicit-deny-blocks-auth-role',
  'login-page-bypassed-open-policy',
  'access-policy-open-no-fgac',
  'vpc-open-policy-no-fgac',
]);

/** Failures about which role users get: they belong where the role mappings are written. */
const ROLE_MAPPING_IDS = new Set([
  'group-roles-ignored',
  'role-mapping-key-mismatch',
  'ambiguous-role-mapping-denied',
  'preferred-role-ambiguous',
  'rules-mapping-no-match',
  'role-rules-on-mutable-claims',
  'pre-token-trigger-without-token-mapping',
]);

function at(source: IacIndex, logicalId: string): NonNullable<Finding['location']> {
  const line = source.lines.get(logicalId);
  return { file: source.file, ...(line !== undefined ? { line } : {}), logicalId };
}

/** Where a finding's resource is defined: its resource id, else the longest generated id it contains. */
export function locationOf(finding: Pick<Finding, 'id' | 'resource'>, source: IacIndex, fallback?: string): Finding['location'] {
  let logicalId = source.index.get(finding.resource);
  if (!logicalId) {
    let best = '';
    for (const [value, id] of source.index) {
      if (value.length > best.length && value.length >= 8 && finding.resource.includes(value)) {
        best = value;
        logicalId = id;
      }
    }
  }
  logicalId ??= fallback;
  const placement = fallback ? source.placements?.get(fallback) : undefined;
  if (placement?.accessPolicy && ACCESS_POLICY_IDS.has(finding.id) && logicalId === fallback) return at(source, placement.accessPolicy);
  if (placement?.roleMappings && ROLE_MAPPING_IDS.has(finding.id) && (!logicalId || source.types?.get(logicalId)?.match(/IdentityPool$|identity_pool$/))) {
    return at(source, placement.roleMappings);
  }
  if (!logicalId) return { file: source.file };
  return at(source, logicalId);
}

/**
 * Before deploy, a fix belongs in the code: the commands a live check prints would change
 * resources that do not exist yet (with ids generated here), or be reverted by the next deploy.
 */
function codeFix(fix: Finding['fix'], location: NonNullable<Finding['location']>, source: IacIndex): Finding['fix'] {
  const { commands: _live, ...rest } = fix;
  if (!location.logicalId) return rest;
  const type = source.types?.get(location.logicalId);
  const where = `${location.logicalId}${type ? ` (${type})` : ''} in ${location.file}${location.line !== undefined ? ` line ${location.line}` : ''}`;
  const custom = type && /^Custom::(?:OpenSearch|Elasticsearch)AccessPolicy$/.test(type)
    ? `Change it in ${where}: the CDK writes the Domain construct's accessPolicies there (change them in the app, or with domain.addAccessPolicies); an update-domain-config on the deployed domain would be reverted by the next deploy.`
    : `Change it in ${where}, then deploy.`;
  return { ...rest, iac: fix.iac ? `${custom} ${fix.iac}` : custom };
}

/** A finding of a template or plan: where it is in the code (the domain when nothing closer is found), with its fix placed there. */
export function placeFinding<F extends Finding>(finding: F, source: IacIndex, domainId: string | undefined): F {
  const location = locationOf(finding, source, domainId) ?? { file: source.file };
  return { ...finding, location, fix: codeFix(finding.fix, location, source) };
}

/** Places every finding of a report in the code (see placeFinding). */
export function locateFindings(report: Report, source: IacIndex, domainId: string): Report {
  return { ...report, findings: report.findings.map((f) => placeFinding(f, source, domainId)) };
}
