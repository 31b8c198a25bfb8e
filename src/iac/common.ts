// What the CloudFormation and Terraform readers share: the ids AWS would assign, generated
// deterministically from a resource's name in the code; the pieces of a snapshot that follow from
// the service's own behaviour; and locating findings at the resource that defines them.
import { createHash } from 'node:crypto';
import type { Finding, Report } from '../engine/types.js';
import type { RolesMappingEntry, Snapshot } from '../snapshot/types.js';

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
 * The OpenSearch Service app client is created at deploy, so it is not in the code: a client the
 * code defines that the identity pool lists, or named like the service's, stands in for it.
 */
export function domainClientOf<T extends { ClientName: string; ClientId: string }>(domainName: string, clients: T[], listedClientIds: Set<string>): T | undefined {
  const named = new RegExp(`^(?:AWSElasticsearch|AmazonOpenSearchService)-${domainName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-`);
  return clients.find((c) => named.test(c.ClientName) || listedClientIds.has(c.ClientId));
}

/** `code`: what defines the client, e.g. `template` or `plan`. */
export function domainClientNote(clientName: string, code: string): string {
  return `the ${code}'s app client ${clientName} is taken as the domain's app client: OpenSearch Service creates its own at deploy and points the identity pool at it, unless the ${code} (or a later step) manages that`;
}

/** Where resources are defined: generated ids and ARNs → the resource's name in the code, and that name → its line. */
export interface IacIndex {
  index: Map<string, string>;
  lines: Map<string, number>;
  file: string;
}

/** Where a finding's resource is defined: its resource id, else the longest generated id it contains. */
export function locationOf(finding: Pick<Finding, 'resource'>, source: IacIndex, fallback?: string): Finding['location'] {
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
  if (!logicalId) return { file: source.file };
  const line = source.lines.get(logicalId);
  return { file: source.file, ...(line !== undefined ? { line } : {}), logicalId };
}

/** Fills `location` on every finding of a report (the domain when nothing closer is found). */
export function locateFindings(report: Report, source: IacIndex, domainId: string): Report {
  return { ...report, findings: report.findings.map((f) => ({ ...f, location: locationOf(f, source, domainId) })) };
}
