// Step 6. The domain access policy, for the Cognito session
import {
  cognitoSessionArn,
  dashboardsAccessOf,
  describeProbes,
  fgacDecidesAccess,
  readAccessPolicy,
  statementEvidence,
  statementLabels,
  type AccessProbe,
} from '../../model/access-policy/index.js';
import { dashboardsPath, domainArnOf } from '../../model/domain.js';
import { userSees } from '../messages.js';
import type { TraceStep } from '../types.js';
import { read, Step, type State } from './step.js';

export function accessPolicy(state: State): TraceStep {
  const { snapshot, ctx } = state;
  const step = new Step(6);
  if (!state.role) {
    step.unknown('the role is not known: step 4 could not choose one');
    return step.done();
  }
  const { arn } = state.role;
  const sessionArn = cognitoSessionArn(snapshot, arn);
  const home = `${domainArnOf(snapshot)}${dashboardsPath(snapshot.domain)}`;
  Object.assign(step.evidence, { principal: sessionArn, action: 'es:ESHttpGet', resource: home });
  const written = read(() => readAccessPolicy(snapshot));
  if (written.gap) {
    step.unknown(written.gap.reason);
    return step.done();
  }
  const policy = written.value;
  if (fgacDecidesAccess(snapshot, policy)) {
    step.ok('fine-grained access control is on and the access policy admits every caller: FGAC decides (step 7)');
    return step.done();
  }
  const lookup = ctx.lookupRole(arn);
  const before = ctx.gaps.length;
  const result = dashboardsAccessOf(snapshot, policy, arn, ctx.rolePolicies(arn), lookup.state === 'found' ? lookup.role : undefined);
  for (const gap of ctx.gaps.slice(before)) step.note(`not read: ${gap.reason}`);
  for (const assumption of result.assumptions) step.note(assumption);
  const access = result.access;
  const lets = `the access policy lets ${sessionArn} send es:ESHttpGet to ${home}`;
  // The login needs the home page; what else is refused shows later, when saving objects fails.
  const blocksLogin = (requests: AccessProbe[]) => requests.some((p) => p.resource === home && p.action === 'es:ESHttpGet');
  const afterLogin = (requests: AccessProbe[]) => `${describeProbes(requests)}: Dashboards loads, but saving objects fails`;
  switch (access.outcome) {
    case 'allowed':
      step.ok(lets);
      break;
    case 'explicit-deny':
      step.evidence['denies'] = access.denies.map(statementEvidence);
      if (access.notPrincipal) {
        // How the domain treats NotPrincipal is not documented (ac.html does not support it): a caveat, not a failure.
        step.ok(lets);
        step.note(
          `${statementLabels(access.denies)} may deny ${describeProbes(access.requests)}: its NotPrincipal names the role or its account, not ${sessionArn}, and OpenSearch Service does not support NotPrincipal`,
          'explicit-deny-blocks-auth-role',
        );
      } else if (blocksLogin(access.requests)) {
        step.fail(
          'explicit-deny-blocks-auth-role',
          `a Deny matches ${describeProbes(access.requests)} for ${sessionArn}`,
          userSees.accessDenied(sessionArn, true),
        );
      } else {
        step.ok(lets);
        step.note(`a Deny matches ${afterLogin(access.requests)}`, 'explicit-deny-blocks-auth-role');
      }
      break;
    case 'boundary':
      step.evidence['permissionsBoundary'] = access.boundary;
      if (blocksLogin(access.requests)) {
        step.fail(
          'explicit-deny-blocks-auth-role',
          `the permissions boundary ${access.boundary} of the role does not allow es:ESHttpGet on ${home}`,
          userSees.accessDenied(sessionArn, false),
        );
      } else {
        step.ok(lets);
        step.note(`the permissions boundary ${access.boundary} does not allow ${afterLogin(access.requests)}`, 'explicit-deny-blocks-auth-role');
      }
      break;
    case 'too-narrow':
      step.evidence['statements'] = access.statements.map((s) => s.statement);
      if (blocksLogin(access.notCovered)) {
        step.fail(
          'access-policy-resource-or-action-too-narrow',
          `the access policy names the role but does not allow es:ESHttpGet on ${home}`,
          userSees.accessDenied(sessionArn, false),
        );
      } else {
        step.ok(lets);
        step.note(`it does not allow ${afterLogin(access.notCovered)}`, 'access-policy-resource-or-action-too-narrow');
      }
      break;
    case 'account-only':
    case 'not-in-policy':
      step.fail(
        'auth-role-not-in-access-policy',
        `no statement of the access policy lets ${sessionArn} use the domain`,
        userSees.accessDenied(sessionArn, false),
      );
      break;
    case 'undecided':
      step.unknown(access.reason);
      break;
  }
  return step.done();
}
