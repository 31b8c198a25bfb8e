import {
  evaluatePolicy,
  evaluateSameAccountAccess,
  parsePolicy,
  PolicyParseError,
  type PolicyDocument,
  type Statement,
} from '../policy/index.js';
import type { RolePolicies, Snapshot } from '../snapshot/types.js';
import { roleNameOf } from '../engine/context.js';
import { accountIdOf, dashboardsPath, domainArnOf, fgacEnabled, partitionOf } from './domain.js';

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

/** FGAC on with an open policy: FGAC decides, the access policy lets everyone reach it (rule 5). */
export function fgacDecides(snapshot: Snapshot, policy: PolicyDocument | undefined): boolean {
  return fgacEnabled(snapshot.domain) && policy !== undefined && isOpenPolicy(snapshot, policy);
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

const DASHBOARDS_VERBS = ['ESHttpGet', 'ESHttpPost', 'ESHttpPut', 'ESHttpDelete', 'ESHttpHead'] as const;

export type RoleAccess =
  | { outcome: 'allowed' }
  | { outcome: 'explicit-deny'; statements: Statement[] }
  | { outcome: 'too-narrow'; deniedVerbs: string[]; statements: Statement[] }
  | { outcome: 'not-in-policy' }
  /** Only an account-wide principal admits the role, and the role's own policies were not read. */
  | { outcome: 'undecided' };

/**
 * Can Cognito users holding `roleArn` use Dashboards (decision rules 5 and 10)? The identity
 * policies count when they were read; otherwise the access policy decides alone.
 */
export function roleAccess(snapshot: Snapshot, policy: PolicyDocument | undefined, roleArn: string, rolePolicies: RolePolicies | undefined): RoleAccess {
  const domainArn = domainArnOf(snapshot);
  const identityPolicies = rolePolicies ? identityPoliciesOf(rolePolicies) : [];
  const boundary = rolePolicies?.boundary?.Document !== undefined ? safeParse(rolePolicies.boundary.Document) : undefined;
  const session = { type: 'AWS' as const, arn: cognitoSessionArn(snapshot, roleArn) };
  const decide = (action: string, resource: string) =>
    evaluateSameAccountAccess({ resourcePolicy: policy, identityPolicies, boundary, request: { principal: session, action, resource, context: {} } });

  const home = decide('es:ESHttpGet', `${domainArn}${dashboardsPath(snapshot.domain)}`);
  if (home.decision === 'ExplicitDeny') {
    return { outcome: 'explicit-deny', statements: home.decidedBy.map((d) => d.match.statement) };
  }
  const naming = policy ? statementsNaming(policy, session) : [];
  if (home.decision === 'Allow') {
    const deniedVerbs = DASHBOARDS_VERBS.filter((verb) => decide(`es:${verb}`, `${domainArn}/.kibana/_search`).decision !== 'Allow').map((v) => `es:${v}`);
    return deniedVerbs.length === 0 ? { outcome: 'allowed' } : { outcome: 'too-narrow', deniedVerbs, statements: naming };
  }
  if (!rolePolicies && policy && delegatesToAccount(policy, session.arn, action(snapshot))) return { outcome: 'undecided' };
  if (naming.length > 0) return { outcome: 'too-narrow', deniedVerbs: ['es:ESHttpGet'], statements: naming };
  return { outcome: 'not-in-policy' };
}

function action(snapshot: Snapshot) {
  return { action: 'es:ESHttpGet', resource: `${domainArnOf(snapshot)}${dashboardsPath(snapshot.domain)}` };
}

function delegatesToAccount(policy: PolicyDocument, sessionArn: string, request: { action: string; resource: string }): boolean {
  const result = evaluatePolicy(policy, { principal: { type: 'AWS', arn: sessionArn }, ...request, context: {} }, 'resource');
  return result.allows.some((m) => m.principalMatch === 'account');
}

function safeParse(raw: unknown): PolicyDocument | undefined {
  try {
    return parsePolicy(raw);
  } catch {
    return undefined;
  }
}

/** Allow statements whose principal covers the session, whatever their action and resource. */
function statementsNaming(policy: PolicyDocument, principal: { type: 'AWS'; arn: string }): Statement[] {
  return policy.Statement.filter((statement) => {
    if (statement.Effect !== 'Allow') return false;
    const widened: Statement = { ...statement, Action: '*', NotAction: undefined, Resource: '*', NotResource: undefined, Condition: undefined };
    const match = evaluatePolicy({ Statement: [widened] }, { principal, action: 'es:ESHttpGet', resource: '*', context: {} }, 'resource');
    return match.allows.some((m) => m.principalMatch !== 'account');
  });
}
