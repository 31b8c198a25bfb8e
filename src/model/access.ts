import { evaluatePolicy, parsePolicy, PolicyParseError, type PolicyDocument, type Statement } from '../policy/index.js';
import type { RolePolicies, Snapshot } from '../snapshot/types.js';
import { roleNameOf } from '../engine/context.js';
import { accountIdOf, dashboardsPath, domainArnOf, partitionOf } from './domain.js';

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

export function identityPoliciesOf(policies: RolePolicies): Array<{ name: string; document: PolicyDocument }> {
  const documents: Array<{ name: string; document: PolicyDocument }> = [];
  const add = (name: string, raw: unknown) => {
    try {
      documents.push({ name, document: parsePolicy(raw) });
    } catch (error) {
      if (!(error instanceof PolicyParseError)) throw error;
    }
  };
  for (const p of policies.attached ?? []) if (p.Document !== undefined) add(p.PolicyArn ?? p.PolicyName ?? 'attached', p.Document);
  for (const p of policies.inline ?? []) add(p.PolicyName ?? 'inline', p.PolicyDocument);
  return documents;
}
