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
  type FindingInput,
  fixForRole,
} from '../src/check-kit.js';

const DOCS = [
  'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/cognito-auth.html',
  'https://docs.aws.amazon.com/cognito/latest/developerguide/role-trust-and-permissions.html',
  'https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_GetCredentialsForIdentity.html',
];

export default defineCheck({
  id: 'auth-role-trust',
  title: 'The identity pool can hand its authenticated role to Dashboards users',
  description:
    'Reads Roles.authenticated from GetIdentityPoolRoles and, when users get it (no role mapping for the OpenSearch provider, or AmbiguousRoleResolution AuthenticatedRole), evaluates the role\'s trust policy (URL-encoded or decoded) for sts:AssumeRoleWithWebIdentity by the Federated principal cognito-identity.amazonaws.com (cognito-identity-us-gov.amazonaws.com in GovCloud) with aud = the identity pool id and amr = authenticated, honouring Deny statements, StringEquals/StringLike, aud lists and sts:*. A role that does not exist (iam:GetRole NoSuchEntity) or an unset authenticated role also fails.',
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
  run(ctx) {
    const identityPoolId = ctx.domain.CognitoOptions?.IdentityPoolId;
    const userPoolId = ctx.domain.CognitoOptions?.UserPoolId;
    if (!identityPoolId) return [];
    const roles = ctx.identityPoolRoles();
    const use = defaultRoleUse(ctx);
    if (!use) return []; // AmbiguousRoleResolution Deny: the role is never handed out (role-resolution reports who is denied)
    const authenticated = roles.Roles?.['authenticated'];
    const poolArn = identityPoolArnOf(ctx.snapshot, identityPoolId);

    if (!authenticated) {
      const name = `Cognito_${(ctx.identityPool().IdentityPoolName ?? 'dashboards').replace(/[^\w+=,.@-]/g, '')}Auth_Role`;
      const arn = suggestedRoleArn(ctx.snapshot, name);
      return [
        {
          id: 'identity-pool-trust-invalid',
          message: `Identity pool ${identityPoolId} has no authenticated role, so ${cannot(use.who, 'get credentials after signing in')}.`,
          resource: poolArn,
          evidence: { identityPoolId, Roles: roles.Roles ?? {}, receivesDefaultRole: use.who },
          fix: {
            summary: `Create (or pick) a role that trusts ${identityPoolId} and set it as the authenticated role, keeping the existing role mappings.`,
            steps: [
              `Amazon Cognito console → Identity pools → ${identityPoolId} → User access → Authenticated access → Edit.`,
              'Choose an existing IAM role whose trust lets this identity pool assume it, or create one, then Save.',
            ],
            commands: [
              createRoleCommand(arn, repairedIdentityTrust(undefined, arn, identityPoolId)),
              ...identityPoolRolesRoundTrip(identityPoolId, '.Roles.authenticated = $arn', { arn }),
            ],
          },
        },
      ];
    }

    const lookup = ctx.lookupRole(authenticated);
    if (lookup.state === 'unreadable') {
      ctx.note(lookup.gap);
      return [];
    }
    const name = roleNameOf(authenticated);
    if (lookup.state === 'not-found') {
      return [
        {
          id: 'identity-pool-trust-invalid',
          message: `The authenticated role ${authenticated} of identity pool ${identityPoolId} does not exist (${lookup.error.code}), so ${cannot(use.who, 'get credentials after signing in')}.`,
          resource: authenticated,
          evidence: { identityPoolId, authenticatedRole: authenticated, getRole: { code: lookup.error.code, message: lookup.error.message }, receivesDefaultRole: use.who },
          fix: fixForRole(ctx.snapshot, authenticated, {
            summary: `Re-create ${name} with a trust policy for ${identityPoolId} (then give it its Dashboards permissions again), or set another existing role as the authenticated role.`,
            steps: [
              `IAM console → Roles → Create role → Web identity → Identity provider Amazon Cognito, Identity pool ID ${identityPoolId}; name it ${name}.`,
              `Or: Amazon Cognito console → Identity pools → ${identityPoolId} → User access → Authenticated access → Edit, and choose an existing role.`,
            ],
            commands: [createRoleCommand(authenticated, repairedIdentityTrust(undefined, authenticated, identityPoolId))],
            iac: 'If IaC deleted or renamed the role, fix the role reference in the identity pool role attachment (AWS::Cognito::IdentityPoolRoleAttachment / aws_cognito_identity_pool_roles_attachment).',
          }),
        },
      ];
    }

    const verdict = identityTrustVerdict(lookup.role, identityPoolId, userPoolId, 'authenticated');
    if (verdict.allowed) return [];
    if (verdict.uncertain) {
      ctx.note({ kind: 'unknown', reason: verdict.uncertain });
      return [];
    }
    const repaired = repairedIdentityTrust(lookup.role, authenticated, identityPoolId, 'authenticated', userPoolId);
    const finding: FindingInput = {
      id: 'identity-pool-trust-invalid',
      message: `Identity pool ${identityPoolId} cannot hand its authenticated role ${name} to ${use.who}: ${verdict.problem}.`,
      resource: authenticated,
      evidence: { ...verdict.evidence, problem: verdict.problem, receivesDefaultRole: use.who },
      fix: fixForRole(ctx.snapshot, authenticated, {
        summary: `Replace the trust policy of ${name} so that ${identityPoolId} can assume it for authenticated identities; other statements and the identity pools it already trusted are kept.`,
        steps: trustPolicySteps(authenticated, `Federated ${String((repaired.Statement.at(-1)?.Principal as { Federated?: string }).Federated)}, aud ${identityPoolId}, amr authenticated`),
        commands: [trustPolicyUpdate(authenticated, repaired)],
        iac: TRUST_IAC_HINT,
      }),
    };
    return [finding];
  },
});
