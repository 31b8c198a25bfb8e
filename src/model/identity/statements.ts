// Reading trust-policy statements: shared by the identity modules, not exported beyond them.
import type { Statement } from '../../policy/index.js';
import { asList, wildcardMatches } from '../trust.js';

/**
 * The identity-pool principal is `cognito-identity.amazonaws.com` in the commercial partition;
 * GovCloud uses `cognito-identity-us-gov.amazonaws.com` (and per-region names such as
 * `cognito-identity.us-gov-east-1.amazonaws.com`), China templates use both the plain and the
 * `.com.cn` name.
 */
const COGNITO_IDENTITY_NAME = /^cognito-identity(?:-us-gov)?(?:\.[a-z]{2}(?:-gov)?-[a-z]+-\d+)?\.amazonaws\.com(?:\.cn)?$/i;

export const IDENTITY_POOL_ID = /^[a-z]{2}(?:-gov)?-[a-z]+-\d+:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const COMMERCIAL_COGNITO_IDENTITY = 'cognito-identity.amazonaws.com';

export function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

export function principalIds(statement: Statement, kind: 'Federated' | 'Service' | 'AWS'): string[] {
  const principal = statement.Principal;
  if (!principal || typeof principal !== 'object') return [];
  return asList((principal as Record<string, unknown>)[kind]).map(String);
}

export function actionsOf(statement: Statement): string[] {
  return asList(statement.Action).map(String);
}

export function allowsAction(statement: Statement, action: string): boolean {
  if (statement.NotAction !== undefined) {
    return !asList(statement.NotAction).some((a) => wildcardMatches(String(a).toLowerCase(), action.toLowerCase()));
  }
  return actionsOf(statement).some((a) => wildcardMatches(a.toLowerCase(), action.toLowerCase()));
}

/**
 * Whether a Federated name can be the identity-pool principal in the role's partition. Outside the
 * commercial partition every Cognito identity name is accepted: the per-region names are not
 * documented in full, and a false failure is worse than a lenient pass.
 */

export function acceptedIn(partition: string, id: string): boolean {
  if (partition === 'aws') return id.toLowerCase() === COMMERCIAL_COGNITO_IDENTITY;
  return isCognitoIdentityPrincipal(id);
}

export function looksLikeIdentityPoolId(value: string): boolean {
  return IDENTITY_POOL_ID.test(value);
}

export function isCognitoIdentityPrincipal(id: string): boolean {
  return COGNITO_IDENTITY_NAME.test(id);
}
