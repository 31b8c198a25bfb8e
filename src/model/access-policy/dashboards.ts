// The question check and trace ask: can Cognito users holding a role use Dashboards?
import type { PolicyDocument } from '../../policy/index.js';
import type { Role, RolePolicies, Snapshot } from '../../snapshot/types.js';
import { domainArnOf, partitionOf } from '../domain.js';
import { ownPoliciesOf } from './documents.js';
import { evaluateAccessQuestion, type AccessVerdict } from './evaluate.js';
import { cognitoCaller, dashboardsProbes, requestContext } from './requests.js';
import type { StatementRef } from './statements.js';

/** The verdict for a Cognito role's session (the names check plugins have imported). */
export type DashboardsAccess = AccessVerdict;
export type PolicyStatementRef = StatementRef;

export interface DashboardsAccessResult {
  access: DashboardsAccess;
  sessionArn: string;
  /** Readings cogdoctor had to make, for the evidence. */
  assumptions: string[];
}

/**
 * Can Cognito users holding `roleArn` use Dashboards (decision rules 5 and 10)? The requests are
 * the home page and every verb on the Dashboards index, sent as the role's CognitoIdentityCredentials
 * session with the context IAM would know. A Cognito user reaches Dashboards over HTTPS even when
 * the domain does not enforce it: Cognito sends the browser back only to an https:// callback URL,
 * and Dashboards' requests go to that origin, so aws:SecureTransport is true on this path (a "deny
 * unless HTTPS" statement is met). A Deny whose NotPrincipal names the role or its account but not
 * the session counts as matching (see notPrincipalStrict).
 */
export function dashboardsAccessOf(
  snapshot: Snapshot,
  policy: PolicyDocument | undefined,
  roleArn: string,
  rolePolicies: RolePolicies | undefined,
  role?: Role,
): DashboardsAccessResult {
  const caller = cognitoCaller(snapshot, roleArn, role);
  const context = { ...requestContext(snapshot, caller, roleArn), 'aws:SecureTransport': 'true' };
  const answer = evaluateAccessQuestion({
    policy,
    caller,
    own: rolePolicies ? ownPoliciesOf(rolePolicies, partitionOf(snapshot), '(its ARN not recorded)') : { state: 'not-read' },
    context,
    requests: dashboardsProbes(snapshot),
    crossAccount: caller.account !== '' && caller.account !== domainArnOf(snapshot).split(':')[4],
  });
  const assumptions = [
    ...(rolePolicies ? [] : ["the role's own policies were not read: decided on the access policy alone"]),
    ...answer.assumptions,
    ...(answer.networkRead ? ['network conditions (aws:SourceIp, aws:SourceVpc…) were read as met: cogdoctor cannot know where users connect from'] : []),
  ];
  const access: DashboardsAccess = answer.notPrincipalDeny ? { outcome: 'explicit-deny', ...answer.notPrincipalDeny, notPrincipal: true } : answer.verdict;
  return { access, sessionArn: caller.sessionArn, assumptions };
}
