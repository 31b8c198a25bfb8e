import { evaluatePolicy, parsePolicy, PolicyParseError, type PolicyDocument, type Statement } from '../policy/index.js';
import type { RolePolicies, Snapshot } from '../snapshot/types.js';
import { roleNameOf } from '../util/arn.js';
import { accountIdOf, dashboardsPath, domainArnOf, partitionOf } from './domain.js';
import { cognitoAccessPolicyDocument, isCognitoAccessManagedPolicy } from './service-role.js';

/** The domain access policy, parsed; `undefined` when the domain has none. Throws PolicyParseError. */
export function accessPolicyOf(snapshot: Snapshot): PolicyDocument | undefined {
  const raw = snapshot.domain.AccessPolicies;
  if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) return undefined;
  return parsePolicy(raw);
}

/** The credentials a Cognito user holds: the role's session named CognitoIdentityCredentials. */
export function cognitoSessionArn(snapshot: Snapshot, roleArn: string): string {
  const account = roleArn.split(':')[4] || accountIdOf(snapshot);
  return `arn:${partitionOf(snapshot)}:sts::${account}:assumed-role/${roleNameOf(roleArn)}/CognitoIdentityCredentials`;
}

const ANONYMOUS_PROBE = (snapshot: Snapshot) => ({
  principal: { type: 'Anonymous' as const },
  action: 'es:ESHttpGet',
  resource: `${domainArnOf(snapshot)}${dashboardsPath(snapshot.domain)}`,
  context: {},
});

/** Allows anyone, with no condition at all. */
export function isOpenPolicy(snapshot: Snapshot, policy: PolicyDocument): boolean {
  return evaluatePolicy(policy, ANONYMOUS_PROBE(snapshot), 'resource').decision === 'Allow';
}

function onlySourceIpConditions(statement: Statement): boolean {
  const blocks = Object.values(statement.Condition ?? {});
  return blocks.length > 0 && blocks.every((block) => block && typeof block === 'object' && Object.keys(block).every((k) => k.toLowerCase() === 'aws:sourceip'));
}

/** Allow statements that let unsigned requests in: open ones, or open to a set of IP addresses. */
export function anonymousAllowStatements(snapshot: Snapshot, policy: PolicyDocument): Statement[] {
  return policy.Statement.filter((statement) => {
    if (statement.Effect !== 'Allow') return false;
    const probe = ANONYMOUS_PROBE(snapshot);
    const unconditioned = { ...statement, Condition: undefined };
    if (evaluatePolicy({ Statement: [unconditioned] }, probe, 'resource').decision !== 'Allow') return false;
    return !statement.Condition || Object.keys(statement.Condition).length === 0 || onlySourceIpConditions(statement);
  });
}

/** A role's identity policies as documents, and those that could not be used. */
export interface IdentityPolicies {
  documents: Array<{ name: string; document: PolicyDocument }>;
  /** `name (why)` of each policy whose document is missing or malformed. */
  unread: string[];
}

/**
 * The attached and inline policies of a role (or user, or group). An attached AWS managed policy
 * listed without its document (as list-attached-role-policies gives it) counts with its content
 * when that is known; any other missing document is reported in `unread`, never taken as empty.
 */
export function identityPoliciesOf(policies: RolePolicies, partition = 'aws'): IdentityPolicies {
  const documents: IdentityPolicies['documents'] = [];
  const unread: string[] = [];
  const add = (name: string, raw: unknown) => {
    try {
      documents.push({ name, document: parsePolicy(raw) });
    } catch (error) {
      if (!(error instanceof PolicyParseError)) throw error;
      unread.push(`${name} (${error.message})`);
    }
  };
  // Hand-written snapshots may hold anything there: only lists of objects count.
  const entries = <T>(value: T[] | undefined): T[] => (Array.isArray(value) ? value.filter((p) => p !== null && typeof p === 'object') : []);
  for (const p of entries(policies.attached)) {
    const name = p.PolicyArn ?? p.PolicyName ?? 'attached';
    const known = p.Document === undefined || p.Document === null ? knownManagedPolicy(p.PolicyArn, partition) : undefined;
    if (known) documents.push({ name, document: known });
    else if (p.Document === undefined || p.Document === null) unread.push(`${name} (its document was not read)`);
    else add(name, p.Document);
  }
  for (const p of entries(policies.inline)) add(p.PolicyName ?? 'inline', p.PolicyDocument);
  return { documents, unread };
}

/** AWS managed policies whose content matters here and does not change: Cognito access, and es or everything. */
function knownManagedPolicy(policyArn: string | undefined, partition: string): PolicyDocument | undefined {
  if (isCognitoAccessManagedPolicy(policyArn)) return cognitoAccessPolicyDocument(partition);
  const name = /^arn:[a-z-]+:iam::aws:policy\/([^/]+)$/.exec(policyArn ?? '')?.[1];
  if (name === 'AdministratorAccess') return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
  if (name === 'AmazonOpenSearchServiceFullAccess' || name === 'AmazonESFullAccess') return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'es:*', Resource: '*' }] };
  return undefined;
}
