// An example plugin check: every IAM role Cognito hands to Dashboards users must follow the
// team's naming convention, so that the roles show up in access reviews.
//
// Load it with: cogdoctor check <domain> --checks-dir examples/checks
// Its failure id is namespaced by the file name: auth-role-naming/role-name-off-convention.
import { defineCheck, roleNameOf, rolesUsersGet } from 'cogdoctor';

const CONVENTION = /^(Cognito_[A-Za-z0-9]+Auth_Role|[a-z0-9]+(-[a-z0-9]+)*-dashboards-[a-z]+)$/;

export default defineCheck({
  id: 'auth-role-naming',
  title: 'Dashboards roles follow the naming convention',
  description: 'Every role users get at login (decision rule 3 of the catalog) is named Cognito_<pool>Auth_Role or <team>-dashboards-<level>.',
  reads: ['identityPoolRoles', 'userPoolGroups', 'userPoolClients'],
  modes: [
    {
      id: 'role-name-off-convention',
      severity: 'warning',
      title: 'A Dashboards role is named outside the convention',
      symptom: 'The role does not show up in the quarterly access review.',
      cause: 'The role was created by hand or by a template that does not follow the naming convention.',
      fix: 'Recreate the role under a conforming name and point the identity pool or group at it.',
      docs: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-names'],
    },
  ],
  // How each failure mode reads, built from the values run() reports.
  messages: {
    'role-name-off-convention': {
      message: ({ role, who }) => `Role ${roleNameOf(role)}, which ${who.join(' and ')} get, is named outside the convention.`,
      fix: ({ role }) => ({
        summary: `Rename ${roleNameOf(role)} to follow the convention (IAM roles cannot be renamed: create the new role, then move the mapping).`,
      }),
    },
  },
  run(ctx) {
    return rolesUsersGet(ctx)
      .filter((grant) => !CONVENTION.test(roleNameOf(grant.roleArn)))
      .map((grant) => ({
        mode: 'role-name-off-convention',
        resource: grant.roleArn,
        data: { role: grant.roleArn, who: grant.who, convention: CONVENTION.source },
      }));
  },
});
