// cogdoctor trace: one user's Dashboards login, step by step. Pure except token verification.
export { traceLogin, STEP_NAMES, type TraceOptions } from './trace.js';
export {
  identityFromClaims,
  identityFromGroups,
  identityFromToken,
  identityFromUser,
  issuerOf,
  preferredRoleOf,
  ruleMatches,
  claimString,
  TraceInputError,
} from './claims.js';
export { decodeToken, verifyToken, tokenInfo, fingerprintOf, jwksUrlOf, type DecodedToken, type KeySource } from './token.js';
export type * from './types.js';
