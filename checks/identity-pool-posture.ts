import { DataGap, defineCheck, identityPoolArnOf, identityPoolRoundTrip, type FindingInput } from '../src/check-kit.js';

export default defineCheck({
  id: 'identity-pool-posture',
  title: 'The identity pool allows neither guest identities nor the basic (classic) flow',
  description:
    'Reads AllowUnauthenticatedIdentities and AllowClassicFlow from DescribeIdentityPool (and Roles.unauthenticated from GetIdentityPoolRoles). OpenSearch Service turns guest access off when it configures the pool, so true means someone turned it back on. Guest access without an unauthenticated role hands guests no credentials (GetCredentialsForIdentity refuses them), so it is only info, unless the basic flow is also on.',
  reads: ['domain', 'identityPool', 'identityPoolRoles'],
  modes: [
    {
      id: 'unauth-identities-enabled',
      severity: 'warning',
      title: 'The identity pool hands out credentials to unauthenticated (guest) identities',
      symptom: 'Anyone who knows the identity pool id can get AWS credentials for its unauthenticated role without signing in.',
      cause:
        'AllowUnauthenticatedIdentities is true. OpenSearch Service disables it after it configures the identity pool, so it was re-enabled (by hand or by IaC); the unauthenticated role\'s permissions are open to everyone.',
      fix: 'Turn guest access off with a describe → edit → update round trip of the identity pool.',
      docs: [
        'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/cognito-auth.html',
        'https://docs.aws.amazon.com/cognito/latest/developerguide/identity-pools-security-best-practices.html',
      ],
    },
    {
      id: 'classic-flow-enabled',
      severity: 'warning',
      title: 'The identity pool allows the basic (classic) authentication flow',
      symptom: 'Callers can exchange identity-pool tokens for credentials with sts:AssumeRoleWithWebIdentity directly, without the enhanced flow\'s session policy.',
      cause:
        'AllowClassicFlow is true. The basic flow skips the scope-down policy the enhanced flow applies (which for guests allows only a fixed list of services), so the roles\' full permissions are reachable; with guest access and a broad unauthenticated role that is anonymous data access.',
      fix: 'Turn the basic flow off with a describe → edit → update round trip of the identity pool.',
      docs: [
        'https://docs.aws.amazon.com/cognito/latest/developerguide/authentication-flow.html',
        'https://docs.aws.amazon.com/cognito/latest/developerguide/identity-pools-security-best-practices.html',
      ],
    },
  ],
  run(ctx) {
    const identityPoolId = ctx.domain.CognitoOptions?.IdentityPoolId;
    if (!identityPoolId) return [];
    const pool = ctx.identityPool();
    let unauthenticatedRole: string | undefined;
    let rolesRead = false;
    try {
      unauthenticatedRole = ctx.identityPoolRoles().Roles?.['unauthenticated'];
      rolesRead = true;
    } catch (error) {
      if (!(error instanceof DataGap)) throw error; // only evidence: the flags decide
    }
    const resource = identityPoolArnOf(ctx.snapshot, identityPoolId);
    const findings: FindingInput[] = [];
    if (pool.AllowUnauthenticatedIdentities === true) {
      // Guest access with no unauthenticated role: GetId still creates guest identities, but
      // GetCredentialsForIdentity refuses them (InvalidIdentityPoolConfigurationException: "the identity
      // pool has no unauthenticated role configured"), so no credentials leak through the enhanced flow.
      // With the basic flow on, a guest's GetOpenIdToken token can still be presented to STS for any role
      // whose trust accepts it, so it stays a warning then.
      const noGuestRole = rolesRead && !unauthenticatedRole;
      const quiet = noGuestRole && pool.AllowClassicFlow !== true;
      findings.push({
        id: 'unauth-identities-enabled',
        ...(quiet ? { severity: 'info' as const } : {}),
        message: unauthenticatedRole
          ? `Identity pool ${identityPoolId} allows unauthenticated identities, which get credentials for ${unauthenticatedRole} without signing in.`
          : noGuestRole
            ? quiet
              ? `Identity pool ${identityPoolId} allows unauthenticated identities but has no unauthenticated role, so guests get an identity id and no AWS credentials (GetCredentialsForIdentity fails with InvalidIdentityPoolConfigurationException); setting a guest role later would hand its credentials to anyone.`
              : `Identity pool ${identityPoolId} allows unauthenticated identities and has no unauthenticated role, but the basic (classic) flow is on: a guest's OpenID token (GetOpenIdToken) can be exchanged with sts:AssumeRoleWithWebIdentity for any role whose trust accepts this pool without requiring amr authenticated.`
            : `Identity pool ${identityPoolId} allows unauthenticated identities (its roles could not be read, so which role guests get is not known).`,
        resource,
        evidence: { identityPoolId, AllowUnauthenticatedIdentities: true, unauthenticatedRole: unauthenticatedRole ?? null },
        fix: {
          summary: `Turn off guest access on ${identityPoolId}, keeping every other identity pool setting.`,
          steps: [`Amazon Cognito console → Identity pools → ${identityPoolId} → User access → Guest access → Deactivate.`],
          commands: identityPoolRoundTrip(identityPoolId, '.AllowUnauthenticatedIdentities = false'),
          iac: 'Set allow_unauthenticated_identities = false (AllowUnauthenticatedIdentities: false) where the identity pool is defined.',
        },
      });
    }
    if (pool.AllowClassicFlow === true) {
      findings.push({
        id: 'classic-flow-enabled',
        message: `Identity pool ${identityPoolId} allows the basic (classic) authentication flow.`,
        resource,
        evidence: { identityPoolId, AllowClassicFlow: true, AllowUnauthenticatedIdentities: pool.AllowUnauthenticatedIdentities ?? false },
        fix: {
          summary: `Turn off the basic flow on ${identityPoolId}, keeping every other identity pool setting (Dashboards uses the enhanced flow).`,
          steps: [`Amazon Cognito console → Identity pools → ${identityPoolId} → Identity pool properties → Basic (classic) authentication → Edit → Deactivate.`],
          commands: identityPoolRoundTrip(identityPoolId, '.AllowClassicFlow = false'),
          iac: 'Set allow_classic_flow = false (AllowClassicFlow: false) where the identity pool is defined.',
        },
      });
    }
    return findings;
  },
});
