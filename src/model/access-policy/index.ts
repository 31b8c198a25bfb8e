// The one access-policy engine: check, trace and `cogdoctor access` word its verdicts.
export { awsIds, readConditions, stringsOf, withNetworkAllowed } from './conditions.js';
export {
  accessPolicyOf,
  anonymousAllowStatements,
  fgacDecidesAccess,
  identityPoliciesOf,
  isOpenPolicy,
  ownPoliciesOf,
  readAccessPolicy,
  type IdentityPolicies,
} from './documents.js';
export { dashboardsAccessOf, type DashboardsAccess, type DashboardsAccessResult, type PolicyStatementRef } from './dashboards.js';
export {
  evaluateAccessQuestion,
  type AccessAnswer,
  type AccessQuestion,
  type AccessVerdict,
  type NamedPolicy,
  type OwnPolicies,
  type OwnPoliciesRead,
} from './evaluate.js';
export {
  addDenyEdits,
  boundaryFix,
  cognitoRolesStatement,
  COGNITO_ACCESS_SID,
  editedAccessPolicy,
  grantStatement,
  identityPolicyCommand,
  narrowedDeny,
  ownDenySteps,
  rewrittenNotPrincipalDeny,
  type DenyEdits,
  type IamIdentityName,
  type PolicyEdit,
} from './fixes.js';
export {
  cognitoCaller,
  cognitoSessionArn,
  cognitoSessionContext,
  DASHBOARDS_VERBS,
  dashboardsProbes,
  describeProbes,
  principalOf,
  requestContext,
  type AccessCaller,
  type AccessProbe,
} from './requests.js';
export { capitalize, principalsOf, statementEvidence, statementLabel, statementLabels, statementRef, type StatementRef } from './statements.js';
export { anyUnsignedPathToDashboards, openStatements, unsignedDashboardsStatements, type UnsignedStatement } from './unsigned.js';
