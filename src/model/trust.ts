import { evaluatePolicy, parsePolicy, PolicyParseError, type PolicyDocument, type Statement } from '../policy/index.js';
import type { Role } from '../snapshot/types.js';
import { regionOfPoolId } from './pools.js';

export const COGNITO_IDENTITY = 'cognito-identity.amazonaws.com';
export const AUD_KEY = 'cognito-identity.amazonaws.com:aud';
export const AMR_KEY = 'cognito-identity.amazonaws.com:amr';

/** The role's trust policy, decoded from the URL-encoded string IAM returns or taken as an object. */
export function trustPolicyOf(role: Role): { policy?: PolicyDocument; error?: string } {
  try {
    return { policy: parsePolicy(role.AssumeRolePolicyDocument) };
  } catch (error) {
    return { error: error instanceof PolicyParseError ? error.message : String(error) };
  }
}

export function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function principalValues(statement: Statement, kind: 'Federated' | 'Service' | 'AWS'): string[] {
  const principal = statement.Principal;
  if (principal === '*') return ['*'];
  if (!principal || typeof principal !== 'object') return [];
  return asList((principal as Record<string, unknown>)[kind]).map(String);
}

/** Statements that name the Cognito identity service, as Federated or (wrongly) as Service. */
export function cognitoStatements(policy: PolicyDocument): { federated: Statement[]; asService: Statement[] } {
  const names = (values: string[]) => values.some((v) => v.toLowerCase() === COGNITO_IDENTITY);
  return {
    federated: policy.Statement.filter((s) => names(principalValues(s, 'Federated'))),
    asService: policy.Statement.filter((s) => names(principalValues(s, 'Service'))),
  };
}

/** Every value of a condition key across operators, e.g. all `aud` values a trust lists. */
export function conditionValues(statement: Statement, key: string): Array<{ operator: string; values: string[] }> {
  const found: Array<{ operator: string; values: string[] }> = [];
  for (const [operator, block] of Object.entries(statement.Condition ?? {})) {
    if (!block || typeof block !== 'object') continue;
    for (const [k, v] of Object.entries(block)) {
      if (k.toLowerCase() === key.toLowerCase()) found.push({ operator, values: asList(v).map(String) });
    }
  }
  return found;
}

/** IAM's StringLike: `*` any run of characters, `?` one character. */
export function wildcardMatches(pattern: string, value: string): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 's').test(value);
}

export type WebIdentityKind = 'authenticated' | 'unauthenticated';

/** The request STS evaluates when Cognito hands a user the role (enhanced flow). */
export function webIdentityRequest(roleArn: string, identityPoolId: string, userPoolId: string | undefined, kind: WebIdentityKind, action = 'sts:AssumeRoleWithWebIdentity') {
  const amr = kind === 'authenticated' && userPoolId
    ? ['authenticated', `cognito-idp.${regionOfPoolId(userPoolId)}.amazonaws.com/${userPoolId}`, `cognito-idp.${regionOfPoolId(userPoolId)}.amazonaws.com/${userPoolId}:CognitoSignIn:00000000-0000-0000-0000-000000000000`]
    : [kind];
  return {
    principal: { type: 'Federated' as const, id: COGNITO_IDENTITY },
    action,
    resource: roleArn,
    context: { [AUD_KEY]: identityPoolId, [AMR_KEY]: amr },
  };
}

export interface TrustVerdict {
  allowed: boolean;
  /** Why not, in words, when not allowed. */
  problem?: string;
  evidence: Record<string, unknown>;
}

/** Can Cognito identity pool `identityPoolId` hand this role to its users? (catalog E1/E2) */
export function cognitoTrustVerdict(role: Role, identityPoolId: string, userPoolId: string | undefined, kind: WebIdentityKind = 'authenticated'): TrustVerdict {
  const { policy, error } = trustPolicyOf(role);
  if (!policy) return { allowed: false, problem: `its trust policy cannot be read: ${error}`, evidence: { role: role.Arn } };
  const result = evaluatePolicy(policy, webIdentityRequest(role.Arn ?? '', identityPoolId, userPoolId, kind), 'resource');
  const { federated, asService } = cognitoStatements(policy);
  const audValues = federated.flatMap((s) => conditionValues(s, AUD_KEY).flatMap((c) => c.values));
  const amrValues = federated.flatMap((s) => conditionValues(s, AMR_KEY).flatMap((c) => c.values));
  const evidence: Record<string, unknown> = { role: role.Arn, identityPoolId, trustAud: audValues, trustAmr: amrValues };
  if (result.decision === 'Allow') return { allowed: true, evidence };
  let problem: string;
  if (result.decision === 'ExplicitDeny') problem = 'a Deny statement in its trust policy matches';
  else if (federated.length === 0 && asService.length > 0) problem = `its trust names ${COGNITO_IDENTITY} as a Service principal; it must be Federated`;
  else if (federated.length === 0) problem = `its trust policy does not trust ${COGNITO_IDENTITY}`;
  else if (audValues.length > 0 && !audValues.some((v) => wildcardMatches(v, identityPoolId))) {
    problem = `its trust allows identity pool ${audValues.join(', ')}, not ${identityPoolId}`;
  } else if (amrValues.length > 0 && !amrValues.some((v) => v === kind || v === '*')) problem = `its trust allows only ${amrValues.join(', ')} identities, not ${kind}`;
  else if (!federated.some((s) => asList(s.Action).some((a) => /^sts:(AssumeRoleWithWebIdentity|\*)$|^\*$/i.test(String(a))))) {
    problem = 'its trust does not allow sts:AssumeRoleWithWebIdentity';
  } else problem = 'its trust policy does not allow this identity pool';
  if (result.unsupported.length > 0) problem += ` (condition operators not evaluated: ${result.unsupported.join(', ')})`;
  return { allowed: false, problem, evidence };
}

/** The trust statement identity-pool roles need, for fix commands. */
export function cognitoTrustStatement(identityPoolId: string, kind: WebIdentityKind = 'authenticated', actions: string[] = ['sts:AssumeRoleWithWebIdentity']): Statement {
  return {
    Effect: 'Allow',
    Principal: { Federated: COGNITO_IDENTITY },
    Action: actions.length === 1 ? actions[0]! : actions,
    Condition: {
      StringEquals: { [AUD_KEY]: identityPoolId },
      'ForAnyValue:StringLike': { [AMR_KEY]: kind },
    },
  };
}

/** The trust policy with the Cognito statements replaced by a correct one; other statements kept. */
export function repairedCognitoTrust(role: Role, identityPoolId: string, kind: WebIdentityKind = 'authenticated', actions?: string[]): PolicyDocument {
  const { policy } = trustPolicyOf(role);
  const kept = (policy?.Statement ?? []).filter((s) => {
    const { federated, asService } = cognitoStatements({ Statement: [s] });
    return federated.length === 0 && asService.length === 0;
  });
  return { Version: '2012-10-17', Statement: [...kept, cognitoTrustStatement(identityPoolId, kind, actions)] };
}
