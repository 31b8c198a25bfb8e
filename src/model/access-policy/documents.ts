// The policies an access decision reads: the domain access policy and a principal's own policies.
import { DataGap } from '../../context/check-context.js';
import { evaluatePolicy, parsePolicy, PolicyParseError, type PolicyDocument, type Statement } from '../../policy/index.js';
import type { RolePolicies, Snapshot } from '../../snapshot/types.js';
import { dashboardsPath, domainArnOf, fgacEnabled } from '../domain.js';
import { cognitoAccessPolicyDocument, isCognitoAccessManagedPolicy } from '../service-role.js';
import { withNetworkAllowed } from './conditions.js';
import type { NamedPolicy, OwnPoliciesRead } from './evaluate.js';

/** The domain access policy, parsed; `undefined` when the domain has none. Throws PolicyParseError. */
export function accessPolicyOf(snapshot: Snapshot): PolicyDocument | undefined {
  const raw = snapshot.domain.AccessPolicies;
  if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) return undefined;
  return parsePolicy(raw);
}

/** The domain access policy; a document that does not parse leaves the checks undecided. */
export function readAccessPolicy(snapshot: Snapshot): PolicyDocument | undefined {
  // Before deploy, a policy the template or plan does not decide is left out: that is not "no policy".
  const unresolved = snapshot.errors?.find((e) => e.operation.endsWith(':Resolve') && /\.(?:AccessPolicies|access_policies)$/.test(e.resource ?? ''));
  if (unresolved)
    throw new DataGap({
      kind: 'unknown',
      reason: `the domain access policy is not decided before deploy (${unresolved.resource}: ${unresolved.message ?? unresolved.code})`,
    });
  try {
    return accessPolicyOf(snapshot);
  } catch (error) {
    if (error instanceof PolicyParseError) {
      throw new DataGap({ kind: 'unknown', reason: `the domain access policy could not be parsed (${error.message})` });
    }
    throw error;
  }
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
  return (
    blocks.length > 0 && blocks.every((block) => block && typeof block === 'object' && Object.keys(block).every((k) => k.toLowerCase() === 'aws:sourceip'))
  );
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

/**
 * FGAC on and a policy that admits every caller (from the listed networks, for an IP-based one):
 * FGAC decides who gets in (decision rule 5; the catalog's F1 entry skips IP-based policies too).
 */
export function fgacDecidesAccess(snapshot: Snapshot, policy: PolicyDocument | undefined): boolean {
  return fgacEnabled(snapshot.domain) && policy !== undefined && isOpenPolicy(snapshot, withNetworkAllowed(policy));
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
  if (name === 'AmazonOpenSearchServiceFullAccess' || name === 'AmazonESFullAccess')
    return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'es:*', Resource: '*' }] };
  return undefined;
}

/** A permissions boundary's document, named by its ARN (else `unnamed`); undefined when it was not read or does not parse. */
function boundaryOf(policies: RolePolicies, unnamed: string): NamedPolicy | undefined {
  const raw = policies.boundary?.Document;
  if (raw === undefined || raw === null) return undefined;
  try {
    return { name: policies.boundary?.PolicyArn ?? unnamed, document: parsePolicy(raw) };
  } catch (error) {
    if (error instanceof PolicyParseError) return undefined;
    throw error;
  }
}

/** A role's or user's own policies as the evaluation reads them (a user's group policies are passed in `policies`). */
export function ownPoliciesOf(policies: RolePolicies, partition: string, unnamedBoundary = 'permissions boundary', extra: NamedPolicy[] = []): OwnPoliciesRead {
  const { documents, unread } = identityPoliciesOf(policies, partition);
  const boundary = boundaryOf(policies, unnamedBoundary);
  return { state: 'read', policies: [...documents, ...extra], unread, ...(boundary ? { boundary } : {}) };
}
