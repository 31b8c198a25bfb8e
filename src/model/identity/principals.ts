import type { PolicyDocument, Statement } from '../../policy/index.js';
import { asList } from '../trust.js';
import { COMMERCIAL_COGNITO_IDENTITY, allowsAction, isCognitoIdentityPrincipal, principalIds } from './statements.js';

// Principals.

export { isCognitoIdentityPrincipal } from './statements.js';

/** `arn:aws-us-gov:iam::…` → `aws-us-gov`. */
export function partitionOfRoleArn(arn: string | undefined): string {
  return arn?.split(':')[1] || 'aws';
}

/** The identity-pool principal names STS may present in a partition, the usual one first. */
export function cognitoIdentityPrincipalsFor(partition: string): string[] {
  if (partition === 'aws-us-gov') return ['cognito-identity-us-gov.amazonaws.com'];
  if (partition === 'aws-cn') return [COMMERCIAL_COGNITO_IDENTITY, 'cognito-identity.amazonaws.com.cn'];
  return [COMMERCIAL_COGNITO_IDENTITY];
}

/** Cognito identity names a statement lists as Federated principal. */
export function cognitoFederatedNames(statement: Statement): string[] {
  return principalIds(statement, 'Federated').filter(isCognitoIdentityPrincipal);
}

/** Whether a trust policy names the Cognito identity service (Federated, or wrongly as Service). */
export function trustNamesCognitoIdentity(policy: PolicyDocument): boolean {
  return policy.Statement.some((s) => cognitoFederatedNames(s).length > 0 || principalIds(s, 'Service').some(isCognitoIdentityPrincipal));
}

// ---------------------------------------------------------------------------------------------
// Conditions

const NEGATED_OPERATOR = /^(?:for(?:any|all)value:)?(?:string|arn)not/i;
const LIKE_OPERATOR = /like/i;

export interface CognitoConditionEntry {
  operator: string;
  /** The condition key as written, e.g. `cognito-identity.amazonaws.com:aud`. */
  key: string;
  values: string[];
  negated: boolean;
  like: boolean;
}

/** Every `<cognito-identity principal>:<claim>` condition of a statement, whatever the partition's name. */
export function cognitoConditions(statement: Statement, claim: 'aud' | 'amr'): CognitoConditionEntry[] {
  const found: CognitoConditionEntry[] = [];
  for (const [operator, block] of Object.entries(statement.Condition ?? {})) {
    if (!block || typeof block !== 'object') continue;
    for (const [key, value] of Object.entries(block)) {
      const colon = key.lastIndexOf(':');
      if (colon < 0 || key.slice(colon + 1).toLowerCase() !== claim || !isCognitoIdentityPrincipal(key.slice(0, colon))) continue;
      found.push({ operator, key, values: asList(value).map(String), negated: NEGATED_OPERATOR.test(operator), like: LIKE_OPERATOR.test(operator) });
    }
  }
  return found;
}

/** Allow statements that let a Cognito identity principal call sts:AssumeRoleWithWebIdentity. */
export function cognitoWebIdentityAllows(policy: PolicyDocument): Statement[] {
  return policy.Statement.filter((s) => s.Effect === 'Allow' && cognitoFederatedNames(s).length > 0 && allowsAction(s, 'sts:AssumeRoleWithWebIdentity'));
}

/** The identity pools a statement names literally in a positive `aud` condition. */
export function literalAudPools(statement: Statement): string[] {
  return cognitoConditions(statement, 'aud')
    .filter((c) => !c.negated)
    .flatMap((c) => c.values.filter((v) => !(c.like && /[*?]/.test(v))));
}
