import { defineCheck, identityPoolArnOf, identityPoolRolesRoundTrip, identityPoolRoundTrip } from '../src/check-kit.js';

/** Guest access is on and the guest role is the signed-in users' role. */
interface SharedRole {
  identityPoolId: string;
  /** Roles.authenticated, which is also Roles.unauthenticated. */
  RoleArn: string;
  AllowUnauthenticatedIdentities: true;
  AllowClassicFlow: boolean;
}

/** Role names are unique in an account regardless of case, so two spellings of one ARN are one role. */
function sameRole(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

export default defineCheck({
  id: 'identity-pool-guest-role',
  title: 'Guests of the identity pool do not get the signed-in users’ role',
  description:
    'Reads AllowUnauthenticatedIdentities and AllowClassicFlow from DescribeIdentityPool and Roles.authenticated and Roles.unauthenticated from GetIdentityPoolRoles. When guest access is on and both default roles are the same IAM role, every guest identity gets credentials for the role the domain access policy and the Dashboards role mapping grant to signed-in users. Amazon Cognito documents that guest permissions should be more restrictive than those of authenticated identities and that the two roles differ in their trust; that guests can then reach the domain is inferred: the enhanced flow scopes guest sessions down to a fixed list of services, the basic (classic) flow does not.',
  reads: ['domain', 'identityPool', 'identityPoolRoles'],
  modes: [
    {
      id: 'guests-get-authenticated-role',
      severity: 'warning',
      inferred: true,
      title: 'Unauthenticated (guest) identities get the same IAM role as signed-in Dashboards users',
      symptom:
        'Anyone who knows the identity pool id gets AWS credentials for the role that signed-in users get in Dashboards, without signing in to the user pool.',
      cause:
        "AllowUnauthenticatedIdentities is true and the identity pool's unauthenticated role is its authenticated role, so the grants meant for users (the domain access policy, the Dashboards role mapping) are a guest's too; with the basic (classic) flow on, nothing scopes the guest session down.",
      fix: 'Turn guest access off (Dashboards never uses it) and remove the users’ role from the unauthenticated role; a pool that needs guests gets a separate, narrower guest role.',
      docs: [
        'https://docs.aws.amazon.com/cognito/latest/developerguide/iam-roles.html',
        'https://docs.aws.amazon.com/cognito/latest/developerguide/role-trust-and-permissions.html',
        'https://docs.aws.amazon.com/cognito/latest/developerguide/authentication-flow.html',
        'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/cognito-auth.html',
      ],
    },
  ],
  messages: {
    'guests-get-authenticated-role': {
      message: (d: SharedRole) =>
        `Identity pool ${d.identityPoolId} allows unauthenticated identities and gives them ${d.RoleArn}, the same role as signed-in users, so the access policy and role mapping meant for Dashboards users also admit guests${
          d.AllowClassicFlow
            ? '; the basic (classic) flow is on, so a guest can use the role without the enhanced flow’s scope-down.'
            : '; only the enhanced flow’s scope-down of guest sessions (a fixed list of services) stands in between, and turning on the basic (classic) flow would remove it.'
        }`,
      fix: (d: SharedRole) => ({
        summary: `Turn off guest access on ${d.identityPoolId} and remove ${d.RoleArn} as its unauthenticated role, keeping every other identity pool setting.`,
        steps: [
          `Amazon Cognito console → Identity pools → ${d.identityPoolId} → User access → Guest access → Deactivate.`,
          `Remove "unauthenticated" from the cognito-identity.amazonaws.com:amr condition of the trust policy of ${d.RoleArn}.`,
          'If guests are needed elsewhere, give them a separate unauthenticated role that trusts only amr "unauthenticated" and grants no es: actions.',
        ],
        commands: [
          ...identityPoolRoundTrip(d.identityPoolId, '.AllowUnauthenticatedIdentities = false'),
          ...identityPoolRolesRoundTrip(d.identityPoolId, 'del(.Roles.unauthenticated)'),
        ],
        iac: 'Set allow_unauthenticated_identities = false (AllowUnauthenticatedIdentities: false) and drop the unauthenticated role, or point it at a separate guest role, where the identity pool is defined.',
      }),
    },
  },
  run(ctx) {
    const identityPoolId = ctx.domain.CognitoOptions?.IdentityPoolId;
    if (!identityPoolId) return [];
    const pool = ctx.identityPool();
    if (pool.AllowUnauthenticatedIdentities !== true) return [];
    const roles = ctx.identityPoolRoles().Roles ?? {};
    const authenticated = roles['authenticated'];
    const unauthenticated = roles['unauthenticated'];
    if (!authenticated || !unauthenticated || !sameRole(authenticated, unauthenticated)) return [];
    return [
      {
        mode: 'guests-get-authenticated-role',
        resource: identityPoolArnOf(ctx.snapshot, identityPoolId),
        data: { identityPoolId, RoleArn: authenticated, AllowUnauthenticatedIdentities: true, AllowClassicFlow: pool.AllowClassicFlow === true },
        evidence: {
          identityPoolId,
          AllowUnauthenticatedIdentities: true,
          AllowClassicFlow: pool.AllowClassicFlow === true,
          Roles: { authenticated, unauthenticated },
        },
      },
    ];
  },
});
