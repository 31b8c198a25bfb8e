import { evaluatePolicy, parsePolicy, type AccessRequest, type ContextValue, type Principal } from '../../src/policy/index.js';

export const ACCOUNT = '123456789012';
export const OTHER_ACCOUNT = '210987654321';
export const ROLE_NAME = 'Cognito_AuthRole';
export const ROLE = `arn:aws:iam::${ACCOUNT}:role/${ROLE_NAME}`;
export const SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/${ROLE_NAME}/CognitoIdentityCredentials`;
export const OTHER_SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/OtherRole/admin`;
export const USER = `arn:aws:iam::${ACCOUNT}:user/alice`;
export const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
export const DOMAIN = `arn:aws:es:us-east-1:${ACCOUNT}:domain/logs`;
export const DASHBOARDS = `${DOMAIN}/_dashboards/app/home`;
export const COGNITO = 'cognito-identity.amazonaws.com';
export const POOL = 'us-east-1:11111111-2222-3333-4444-555555555555';

export const session: Principal = { type: 'AWS', arn: SESSION };
export const cognito: Principal = { type: 'Federated', id: COGNITO };
export const anonymous: Principal = { type: 'Anonymous' };

export const dashboardsGet: AccessRequest = { principal: session, action: 'es:ESHttpGet', resource: DASHBOARDS };

export function policyOf(...statements: object[]) {
  return parsePolicy({ Version: '2012-10-17', Statement: statements });
}

/** Whether `condition` holds for `context`, through an identity policy that allows everything under it. */
export function conditionHolds(condition: object, context: Record<string, ContextValue>): boolean {
  const policy = policyOf({ Effect: 'Allow', Action: '*', Resource: '*', Condition: condition });
  return evaluatePolicy(policy, { ...dashboardsGet, context }, 'identity').decision === 'Allow';
}
