import { evaluatePolicy, type PolicyDocument, type Statement } from '../../policy/index.js';
import type { Role, Snapshot } from '../../snapshot/types.js';
import { accountIdOf, domainArnOf } from '../domain.js';
import { trustPolicyOf } from '../trust.js';
import { partitionOfRoleArn, trustNamesCognitoIdentity } from './principals.js';
import { COMMERCIAL_COGNITO_IDENTITY, actionsOf, allowsAction, principalIds, unique } from './statements.js';
import { unreadableTrust, type IdentityTrustVerdict } from './trust-verdict.js';

// The CognitoOptions.RoleArn role (catalog A4).

const OPENSEARCH_SERVICE = 'opensearchservice.amazonaws.com';

/** The service principals OpenSearch Service presents when it assumes the Cognito access role. */
export function openSearchServicePrincipals(partition: string): string[] {
  const names = [OPENSEARCH_SERVICE, 'es.amazonaws.com'];
  return partition === 'aws-cn' ? [...names, 'opensearchservice.amazonaws.com.cn', 'es.amazonaws.com.cn'] : names;
}

export function serviceRoleTrustVerdict(role: Role, snapshot: Snapshot): IdentityTrustVerdict {
  const roleArn = role.Arn ?? '';
  const { policy, error } = trustPolicyOf(role);
  if (!policy) return unreadableTrust(role, error);
  const services = openSearchServicePrincipals(partitionOfRoleArn(roleArn));
  // OpenSearch Service may send the confused-deputy keys; supplying them never turns a pass into a failure.
  const context = { 'aws:SourceAccount': accountIdOf(snapshot), 'aws:SourceArn': domainArnOf(snapshot) };
  const evaluations = services.map((id) =>
    evaluatePolicy(policy, { principal: { type: 'Service', id }, action: 'sts:AssumeRole', resource: roleArn, context }, 'resource'),
  );
  const allowStatements = policy.Statement.filter((s) => s.Effect === 'Allow');
  const trusted = unique(allowStatements.flatMap((s) => [...principalIds(s, 'Service'), ...principalIds(s, 'Federated'), ...principalIds(s, 'AWS')]));
  const evidence: Record<string, unknown> = { role: roleArn, expectedPrincipals: services.slice(0, 2), trustedPrincipals: trusted, trustPolicy: policy };
  if (evaluations.some((e) => e.decision === 'Allow')) return { allowed: true, evidence };
  const denies = evaluations.flatMap((e) => e.denies);
  let problem: string;
  const naming = allowStatements.filter((s) => principalIds(s, 'Service').some((id) => services.includes(id.toLowerCase())) || s.Principal === '*');
  if (denies.length > 0) {
    problem = `a Deny statement in its trust policy (${unique(denies.map((d) => d.sid ?? `Statement[${d.index}]`)).join(', ')}) blocks ${OPENSEARCH_SERVICE}`;
  } else if (naming.length === 0) {
    problem = trustNamesCognitoIdentity(policy)
      ? `its trust is written for ${COMMERCIAL_COGNITO_IDENTITY} (an identity-pool role), not for ${OPENSEARCH_SERVICE}`
      : `its trust policy does not trust ${OPENSEARCH_SERVICE} or es.amazonaws.com${trusted.length > 0 ? ` (it trusts ${trusted.join(', ')})` : ''}`;
  } else if (!naming.some((s) => allowsAction(s, 'sts:AssumeRole'))) {
    problem = `its trust allows ${unique(naming.flatMap(actionsOf)).join(', ') || 'no action'} for ${OPENSEARCH_SERVICE}, not sts:AssumeRole`;
  } else {
    problem = `the conditions of its trust policy do not match ${OPENSEARCH_SERVICE} assuming it for this domain`;
  }
  const unsupported = unique(evaluations.flatMap((e) => e.unsupported));
  if (denies.length === 0 && unsupported.length > 0) {
    return {
      allowed: false,
      problem,
      evidence,
      uncertain: `the trust policy of ${roleArn} uses condition operators cogdoctor cannot evaluate (${unsupported.join(', ')}); check it by hand`,
    };
  }
  return { allowed: false, problem, evidence };
}

/** The trust the Cognito access role needs: other statements kept, Cognito identity statements and blocking Denies dropped. */
export function repairedServiceRoleTrust(role: Role | undefined): PolicyDocument {
  const policy = role ? trustPolicyOf(role).policy : undefined;
  const roleArn = role?.Arn ?? '';
  const services = openSearchServicePrincipals(partitionOfRoleArn(roleArn));
  const blocks = (s: Statement) =>
    s.Effect === 'Deny' &&
    services.some(
      (id) =>
        evaluatePolicy({ Statement: [s] }, { principal: { type: 'Service', id }, action: 'sts:AssumeRole', resource: roleArn }, 'resource').denies.length > 0,
    );
  const kept = (policy?.Statement ?? []).filter((s) => !trustNamesCognitoIdentity({ Statement: [s] }) && !blocks(s));
  const alreadyTrusted = kept.some(
    (s) =>
      s.Effect === 'Allow' &&
      !s.Condition &&
      services.some(
        (id) =>
          evaluatePolicy({ Statement: [s] }, { principal: { type: 'Service', id }, action: 'sts:AssumeRole', resource: roleArn }, 'resource').decision ===
          'Allow',
      ),
  );
  const statement: Statement = { Effect: 'Allow', Principal: { Service: OPENSEARCH_SERVICE }, Action: 'sts:AssumeRole' };
  return { Version: '2012-10-17', Statement: alreadyTrusted ? kept : [...kept, statement] };
}
