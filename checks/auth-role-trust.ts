import {
  cannot,
  createRoleCommand,
  defaultRoleUse,
  defineCheck,
  identityPoolArnOf,
  identityPoolRolesRoundTrip,
  identityTrustVerdict,
  repairedIdentityTrust,
  roleNameOf,
  suggestedRoleArn,
  TRUST_IAC_HINT,
  trustPolicySteps,
  trustPolicyUpdate,
  fixForRole,
  placeOf,
  type DomainPlace,
  type MessagesOf,
  type PolicyDocument,
  type ProblemOf,
} from '../src/check-kit.js';

const DOCS = [
  'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/cognito-auth.html',
  'https://docs.aws.amazon.com/cognito/latest/developerguide/role-trust-and-permissions.html',
  'https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_GetCredentialsForIdentity.html',
];

/** Why the identity pool cannot hand out its authenticated role to the users who get it by default. */
type UnusableAuthenticatedRole = {
  identityPoolId: string;
  /** Who gets the authenticated role by default. */
  receivesDefaultRole: string;
} & (
  | { kind: 'unset' /** The role to create and set. */; suggestedRole: string }
  | { kind: 'not-found'; place: DomainPlace; authenticatedRole: string; getRole: { code: string; message?: string } }
  | { kind: 'trust-refuses'; place: DomainPlace; authenticatedRole: string; problem: string; repairedTrust: PolicyDocument }
);

const messages = {
  'identity-pool-trust-invalid': {
    message: (d: UnusableAuthenticatedRole) => {
      switch (d.kind) {
        case 'unset':
          return `Identity pool ${d.identityPoolId} has no authenticated role, so ${cannot(d.receivesDefaultRole, 'get credentials after signing in')}.`;
        case 'not-found':
          return `The authenticated role ${d.authenticatedRole} of identity pool ${d.identityPoolId} does not exist (${d.getRole.code}), so ${cannot(d.receivesDefaultRole, 'get credentials after signing in')}.`;
        case 'trust-refuses':
          return `Identity pool ${d.identityPoolId} cannot hand its authenticated role ${roleNameOf(d.authenticatedRole)} to ${d.receivesDefaultRole}: ${d.problem}.`;
      }
    },
    fix: (d: UnusableAuthenticatedRole) => {
      const identityPoolId = d.identityPoolId;
      if (d.kind === 'unset') {
        return {
          summary: `Create (or pick) a role that trusts ${identityPoolId} and set it as the authenticated role, keeping the existing role mappings.`,
          steps: [
            `Amazon Cognito console → Identity pools → ${identityPoolId} → User access → Authenticated access → Edit.`,
            'Choose an existing IAM role whose trust lets this identity pool assume it, or create one, then Save.',
          ],
          commands: [
            createRoleCommand(d.suggestedRole, repairedIdentityTrust(undefined, d.suggestedRole, identityPoolId)),
            ...identityPoolRolesRoundTrip(identityPoolId, '.Roles.authenticated = $arn', { arn: d.suggestedRole }),
          ],
        };
      }
      const role = d.authenticatedRole;
      const name = roleNameOf(role);
      if (d.kind === 'not-found') {
        return fixForRole(d.place, role, {
          summary: `Re-create ${name} with a trust policy for ${identityPoolId} (then give it its Dashboards permissions again), or set another existing role as the authenticated role.`,
          steps: [
            `IAM console → Roles → Create role → Web identity → Identity provider Amazon Cognito, Identity pool ID ${identityPoolId}; name it ${name}.`,
            `Or: Amazon Cognito console → Identity pools → ${identityPoolId} → User access → Authenticated access → Edit, and choose an existing role.`,
          ],
          commands: [createRoleCommand(role, repairedIdentityTrust(undefined, role, identityPoolId))],
          iac: 'If IaC deleted or renamed the role, fix the role reference in the identity pool role attachment (AWS::Cognito::IdentityPoolRoleAttachment / aws_cognito_identity_pool_roles_attachment).',
        });
      }
      return fixForRole(d.place, role, {
        summary: `Replace the trust policy of ${name} so that ${identityPoolId} can assume it for authenticated identities; other statements and the identity pools it already trusted are kept.`,
        steps: trustPolicySteps(
          role,
          `Federated ${String((d.repairedTrust.Statement.at(-1)?.Principal as { Federated?: string } | undefined)?.Federated)}, aud ${identityPoolId}, amr authenticated`,
        ),
        commands: [trustPolicyUpdate(role, d.repairedTrust)],
        iac: TRUST_IAC_HINT,
      });
    },
  },
} satisfies MessagesOf;

export default defineCheck({
  id: 'auth-role-trust',
  title: 'The identity pool can hand its authenticated role to Dashboards users',
  description:
    "Reads Roles.authenticated from GetIdentityPoolRoles and, when users get it (no role mapping for the OpenSearch provider, or AmbiguousRoleResolution AuthenticatedRole), evaluates the role's trust policy (URL-encoded or decoded) for sts:AssumeRoleWithWebIdentity by the Federated principal cognito-identity.amazonaws.com (cognito-identity-us-gov.amazonaws.com in GovCloud) with aud = the identity pool id and amr = authenticated, honouring Deny statements, StringEquals/StringLike, aud lists and sts:*. A role that does not exist (iam:GetRole NoSuchEntity) or an unset authenticated role also fails.",
  reads: ['domain', 'userPool', 'userPoolClients', 'userPoolGroups', 'identityPool', 'identityPoolRoles', 'roles'],
  modes: [
    {
      id: 'identity-pool-trust-invalid',
      severity: 'error',
      title: 'The identity pool cannot hand out its authenticated role',
      symptom:
        'com.amazonaws.services.cognitoidentity.model.InvalidIdentityPoolConfigurationException: Invalid identity pool configuration. Check assigned IAM roles for this pool. (Service: AmazonCognitoIdentity; Status Code: 400; Error Code: InvalidIdentityPoolConfigurationException ...)',
      cause:
        'The identity pool has no authenticated role, the role was deleted, or STS refuses it: its trust names cognito-identity.amazonaws.com as a Service instead of a Federated principal, its aud names another identity pool (the role was reused or the pool recreated), its amr accepts only unauthenticated identities, a Deny statement matches, or it does not allow sts:AssumeRoleWithWebIdentity.',
      fix: 'Give the role a trust policy that lets this identity pool assume it with sts:AssumeRoleWithWebIdentity for authenticated identities, or set an existing role that does.',
      docs: DOCS,
    },
  ],
  messages,
  run(ctx): ProblemOf<typeof messages>[] {
    const identityPoolId = ctx.domain.CognitoOptions?.IdentityPoolId;
    const userPoolId = ctx.domain.CognitoOptions?.UserPoolId;
    if (!identityPoolId) return [];
    const roles = ctx.identityPoolRoles();
    const use = defaultRoleUse(ctx);
    if (!use) return []; // AmbiguousRoleResolution Deny: the role is never handed out (role-resolution reports who is denied)
    const authenticated = roles.Roles?.['authenticated'];
    const receivesDefaultRole = use.who;

    if (!authenticated) {
      const name = `Cognito_${(ctx.identityPool().IdentityPoolName ?? 'dashboards').replace(/[^\w+=,.@-]/g, '')}Auth_Role`;
      return [
        {
          mode: 'identity-pool-trust-invalid',
          resource: identityPoolArnOf(ctx.snapshot, identityPoolId),
          data: { kind: 'unset', identityPoolId, receivesDefaultRole, suggestedRole: suggestedRoleArn(ctx.snapshot, name) },
          evidence: { identityPoolId, Roles: roles.Roles ?? {}, receivesDefaultRole },
        },
      ];
    }

    const lookup = ctx.lookupRole(authenticated);
    if (lookup.state === 'unreadable') {
      ctx.note(lookup.gap);
      return [];
    }
    const place = placeOf(ctx.snapshot);
    if (lookup.state === 'not-found') {
      const getRole = { code: lookup.error.code, message: lookup.error.message };
      return [
        {
          mode: 'identity-pool-trust-invalid',
          resource: authenticated,
          data: { kind: 'not-found', identityPoolId, receivesDefaultRole, place, authenticatedRole: authenticated, getRole },
          evidence: { identityPoolId, authenticatedRole: authenticated, getRole, receivesDefaultRole },
        },
      ];
    }

    const verdict = identityTrustVerdict(lookup.role, identityPoolId, userPoolId, 'authenticated');
    if (verdict.allowed) return [];
    if (verdict.uncertain) {
      ctx.note({ kind: 'unknown', reason: verdict.uncertain });
      return [];
    }
    const problem = verdict.problem ?? '';
    return [
      {
        mode: 'identity-pool-trust-invalid',
        resource: authenticated,
        data: {
          kind: 'trust-refuses',
          identityPoolId,
          receivesDefaultRole,
          place,
          authenticatedRole: authenticated,
          problem,
          repairedTrust: repairedIdentityTrust(lookup.role, authenticated, identityPoolId, 'authenticated', userPoolId),
        },
        evidence: { ...verdict.evidence, problem: verdict.problem, receivesDefaultRole },
      },
    ];
  },
});
