export type { ContextValue } from './conditions.js';
export {
  evaluatePolicy,
  evaluateSameAccountAccess,
  type AccessEvaluation,
  type AccessRequest,
  type PolicyEvaluation,
  type StatementMatch,
} from './evaluate.js';
export { parsePolicy, PolicyParseError, type PolicyDocument, type Statement } from './parse.js';
export type { Principal, PrincipalMatch } from './principals.js';
