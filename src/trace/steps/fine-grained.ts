// Step 7. Fine-grained access control: backend role → security roles
import { roleNameOf } from '../../util/arn.js';
import { cognitoSessionArn } from '../../model/access-policy/index.js';
import { fgacEnabled } from '../../model/domain.js';
import { DASHBOARDS_SECURITY_ROLES, describeUndecided, mappingsOfRole, readRolesMapping } from '../../model/fgac.js';
import { userSees } from '../messages.js';
import type { TraceStep } from '../types.js';
import { read, skipped, Step, type State } from './step.js';

export function fineGrained(state: State): TraceStep {
  const { snapshot, ctx, identity } = state;
  if (!fgacEnabled(snapshot.domain)) return skipped(7, 'fine-grained access control is off: the access policy alone decides (step 6)');
  const step = new Step(7);
  if (!state.role) {
    step.unknown('the role is not known: step 4 could not choose one');
    return step.done();
  }
  const { arn } = state.role;
  const mapping = read(() => readRolesMapping(ctx));
  if (mapping.gap) {
    step.unknown(mapping.gap.reason);
    return step.done();
  }
  const userPoolId = snapshot.domain.CognitoOptions?.UserPoolId;
  // FGAC sees the role by its full ARN, IAM path included.
  const backendRole = arn;
  const view = mappingsOfRole(mapping.value, arn, userPoolId);
  const username = identity.claims['cognito:username'];
  const asUser =
    typeof username === 'string' ? view.cognitoUsers.filter((e) => e.users.includes(`Cognito/${userPoolId}/${username}`)).map((e) => e.securityRole) : [];
  const securityRoles = [...new Set([...view.securityRoles, ...asUser])].sort();
  Object.assign(step.evidence, {
    backendRole,
    securityRoles,
    ...(asUser.length > 0 ? { mappedAsUser: asUser } : {}),
    ...(view.otherPath.length > 0 ? { nearMisses: view.otherPath } : {}),
  });
  if (view.otherPath.length > 0) {
    step.note(
      `${view.otherPath.map((m) => `${m.securityRole} lists ${m.listed}`).join('; ')}: the same role name in another IAM path, which does not match the backend role ${backendRole}`,
      'missing-role',
    );
  }
  if (view.undecided.length > 0 && !securityRoles.some((r) => (DASHBOARDS_SECURITY_ROLES as readonly string[]).includes(r))) {
    step.unknown(`whether role ${roleNameOf(arn)} (backend role ${backendRole}) is mapped is unknown: ${describeUndecided(view.undecided)}`);
  } else if (securityRoles.length === 0) {
    step.fail('missing-role', `role ${roleNameOf(arn)} (backend role ${backendRole}) is in no role mapping`, userSees.missingRole());
  } else if (!securityRoles.some((r) => (DASHBOARDS_SECURITY_ROLES as readonly string[]).includes(r))) {
    step.fail(
      'dashboards-permissions-not-mapped',
      `role ${roleNameOf(arn)} maps to ${securityRoles.join(', ')}, none of ${DASHBOARDS_SECURITY_ROLES.join(', ')}`,
      userSees.noDashboardsPermissions(cognitoSessionArn(snapshot, arn), backendRole),
    );
  } else {
    state.securityRoles = securityRoles;
    step.ok(`role ${roleNameOf(arn)} maps to ${securityRoles.join(', ')}`);
  }
  return step.done();
}
