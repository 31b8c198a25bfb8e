// Step 6. The domain access policy, for the Cognito session
import { accessPolicyOf, cognitoSessionArn, dashboardsAccessOf, describeProbes, fgacDecidesAccess } from '../../model/access-policy/index.js';
import { dashboardsPath, domainArnOf } from '../../model/domain.js';
import { PolicyParseError, type PolicyDocument } from '../../policy/index.js';
import { userSees } from '../messages.js';
import type { TraceStep } from '../types.js';
import { Step, type State } from './step.js';

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
  let policy: PolicyDocument | undefined;
  try {
    policy = accessPolicyOf(snapshot);
  } catch (error) {
    if (!(error instanceof PolicyParseError)) throw error;
    step.unknown(`the domain access policy could not be parsed (${error.message})`);
    return step.done();
  }
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
  switch (access.outcome) {
    case 'allowed':
      step.ok(`the access policy lets ${sessionArn} send es:ESHttpGet to ${home}`);
      break;
    case 'explicit-deny':
      step.evidence['denies'] = access.denies.map((d) => ({ in: d.policyName ? `${d.policy} ${d.policyName}` : d.policy, ...(d.sid ? { sid: d.sid } : {}), statement: d.statement }));
      step.fail('explicit-deny-blocks-auth-role', `a Deny matches ${describeProbes(access.requests)} for ${sessionArn}`, userSees.accessDenied(sessionArn, true));
      break;
    case 'boundary':
      step.evidence['permissionsBoundary'] = access.boundary;
      if (access.requests.some((p) => p.resource === home && p.action === 'es:ESHttpGet')) {
        step.fail('explicit-deny-blocks-auth-role', `the permissions boundary ${access.boundary} of the role does not allow es:ESHttpGet on ${home}`, userSees.accessDenied(sessionArn, false));
      } else {
        step.ok(`the access policy lets ${sessionArn} send es:ESHttpGet to ${home}`);
        step.note(`the permissions boundary ${access.boundary} does not allow ${describeProbes(access.requests)}: Dashboards loads, but saving objects fails`, 'explicit-deny-blocks-auth-role');
      }
      break;
    case 'too-narrow': {
      step.evidence['statements'] = access.statements.map((s) => s.statement);
      if (access.notCovered.some((p) => p.resource === home && p.action === 'es:ESHttpGet')) {
        step.fail('access-policy-resource-or-action-too-narrow', `the access policy names the role but does not allow es:ESHttpGet on ${home}`, userSees.accessDenied(sessionArn, false));
      } else {
        step.ok(`the access policy lets ${sessionArn} send es:ESHttpGet to ${home}`);
        step.note(`it does not allow ${describeProbes(access.notCovered)}: Dashboards loads, but saving objects fails`, 'access-policy-resource-or-action-too-narrow');
      }
      break;
    }
    case 'account-only':
    case 'not-in-policy':
      step.fail('auth-role-not-in-access-policy', `no statement of the access policy lets ${sessionArn} use the domain`, userSees.accessDenied(sessionArn, false));
      break;
    case 'undecided':
      step.unknown(access.reason);
      break;
  }
  return step.done();
}
