// Step 5. STS: AssumeRoleWithWebIdentity (and TagSession with principal tags)
import { roleNameOf } from '../../util/arn.js';
import { identityTrustVerdict, webIdentityEvaluations } from '../../model/identity.js';
import { principalTagMapsOf, principalTagsOn } from '../../model/posture.js';
import { trustPolicyOf } from '../../model/trust.js';
import { userSees } from '../messages.js';
import type { TraceStep } from '../types.js';
import { Step, type State } from './step.js';

export function assumeRole(state: State): TraceStep {
  const { snapshot, ctx } = state;
  const step = new Step(5);
  if (!state.role || !state.token) {
    step.unknown('the role is not known: step 4 could not choose one');
    return step.done();
  }
  const { arn, via } = state.role;
  const identityPoolId = snapshot.domain.CognitoOptions?.IdentityPoolId ?? '';
  const id = via === 'default' ? 'identity-pool-trust-invalid' : 'group-role-trust-invalid';
  Object.assign(step.evidence, {
    role: arn,
    from: via === 'default' ? 'the authenticated role' : via === 'group' ? 'a group role' : 'a rule role',
    identityPoolId,
    amr: 'authenticated',
  });
  const lookup = ctx.lookupRole(arn);
  if (lookup.state === 'not-found') {
    step.fail(id, `role ${arn} does not exist (iam:GetRole ${lookup.error.code}), so STS cannot issue its credentials`, userSees.invalidPool());
    return step.done();
  }
  if (lookup.state === 'unreadable') {
    step.unknown(lookup.gap.reason);
    return step.done();
  }
  const verdict = identityTrustVerdict(lookup.role, identityPoolId, state.token.userPoolId, 'authenticated');
  Object.assign(step.evidence, {
    trustAud: verdict.evidence['trustAud'],
    trustAmr: verdict.evidence['trustAmr'],
    trustActions: verdict.evidence['trustActions'],
  });
  if (verdict.allowed) step.ok(`the trust of ${roleNameOf(arn)} lets identity pool ${identityPoolId} assume it for authenticated users`);
  else if (verdict.uncertain) step.unknown(verdict.uncertain);
  else {
    step.fail(
      id,
      `STS refuses sts:AssumeRoleWithWebIdentity on ${roleNameOf(arn)}: ${verdict.problem ?? 'its trust policy does not allow this login'}`,
      userSees.invalidPool(),
    );
    return step.done();
  }

  // Attributes for access control send session tags: the trust must allow sts:TagSession too.
  const before = ctx.gaps.length;
  const maps = principalTagMapsOf(ctx);
  if (!maps) {
    step.evidence['principalTags'] = 'not read';
    const gap = ctx.gaps[before];
    if (gap?.kind === 'unknown') step.note(`not read: ${gap.reason}`);
    return step.done();
  }
  const map = maps.find((m) => m.IdentityProviderName === state.token!.providerName && (!m.IdentityPoolId || m.IdentityPoolId === identityPoolId));
  const on = principalTagsOn(map);
  step.evidence['principalTags'] = on ? (map?.UseDefaults ? 'default mappings' : map?.PrincipalTags) : 'off';
  const policy = trustPolicyOf(lookup.role).policy;
  if (on && policy) {
    const tagging = webIdentityEvaluations(policy, arn, identityPoolId, state.token.userPoolId, 'authenticated', 'sts:TagSession');
    if (tagging.some((e) => e.decision === 'Allow')) step.ok('and sts:TagSession for the principal tags');
    else
      step.fail(
        'principal-tags-trust-missing-tagsession',
        `principal tags are on for ${state.token.providerName}, and the trust of ${roleNameOf(arn)} does not allow sts:TagSession`,
        userSees.invalidPool(),
      );
  }
  return step.done();
}
