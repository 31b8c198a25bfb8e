// The plugin API (`import … from 'cogdoctor'`): what a check needs to be written, run and typed, and
// the few model helpers a plugin author needs. Every name here is a promise to plugin authors
// (test/public-api.test.ts lists them); the built-in checks import src/check-kit.ts instead.
// Nothing here loads the AWS SDK.
export { defineCheck } from './engine/define.js';
export { CheckContext, DataGap, type RoleLookup } from './context/check-context.js';
export { runChecks, type RunOptions } from './report/assemble.js';
export type * from './engine/types.js';
export type * from './snapshot/types.js';
// The roles users get at login, and the app client OpenSearch created.
export { openSearchClientOf, rolesUsersGet, type RoleGrant, type RolesUsersGetOptions } from './model/pools.js';
export { dashboardsPath, endpointHosts, type EndpointHost } from './model/domain.js';
export { roleNameOf } from './util/arn.js';
// IAM policy documents: parse the snapshot's (URL-encoded) policies, and evaluate a request against them.
export {
  evaluatePolicy,
  evaluateSameAccountAccess,
  parsePolicy,
  PolicyParseError,
  type AccessEvaluation,
  type AccessRequest,
  type PolicyDocument,
  type PolicyEvaluation,
  type Statement,
  type StatementMatch,
} from './policy/index.js';
// Fix commands with the real ids, safe to paste.
export { accessPolicyUpdate, identityPoolRolesRoundTrip, userPoolClientRoundTrip } from './model/fixes.js';
export { sh } from './model/shell.js';
