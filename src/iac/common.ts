// What the CloudFormation and Terraform readers share besides the snapshot builder (builder.ts): the
// ids AWS would assign, generated deterministically from a resource's name in the code, and
// locating findings at the resource that defines them.
import { createHash } from 'node:crypto';
import type { Finding, Report } from '../engine/types.js';

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
  return BigInt(`0x${digest(name)}`)
    .toString(36)
    .slice(0, 26)
    .padStart(26, '0');
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
  const custom =
    type && /^Custom::(?:OpenSearch|Elasticsearch)AccessPolicy$/.test(type)
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
