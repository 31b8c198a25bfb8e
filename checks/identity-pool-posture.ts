import { DataGap, defineCheck, identityPoolArnOf, identityPoolRoundTrip } from '../src/check-kit.js';

/** Guest access is on; whether guests get credentials depends on the guest role and the basic flow. */
interface GuestAccess {
  identityPoolId: string;
  AllowUnauthenticatedIdentities: true;
  /** Roles.unauthenticated; null when there is none or the roles could not be read. */
  unauthenticatedRole: string | null;
  rolesRead: boolean;
  AllowClassicFlow: boolean;
}

/** The basic (classic) flow is on. */
interface ClassicFlow {
  identityPoolId: string;
  AllowClassicFlow: true;
  AllowUnauthenticatedIdentities: boolean;
}

/** The roles were read and there is no guest role. */
function noGuestRole(d: GuestAccess): boolean {
  return d.rolesRead && !d.unauthenticatedRole;
}

/**
 * Guest access with no unauthenticated role: GetId still creates guest identities, but
 * GetCredentialsForIdentity refuses them (InvalidIdentityPoolConfigurationException: "the identity
 * pool has no unauthenticated role configured"), so no credentials leak through the enhanced flow.
 * With the basic flow on, a guest's GetOpenIdToken token can still be presented to STS for any role
 * whose trust accepts it, so it stays a warning then.
 */
function guestsGetNothing(d: GuestAccess): boolean {
  return noGuestRole(d) && !d.AllowClassicFlow;
}

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
        "AllowUnauthenticatedIdentities is true. OpenSearch Service disables it after it configures the identity pool, so it was re-enabled (by hand or by IaC); the unauthenticated role's permissions are open to everyone.",
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
      symptom:
        "Callers can exchange identity-pool tokens for credentials with sts:AssumeRoleWithWebIdentity directly, without the enhanced flow's session policy.",
      cause:
        "AllowClassicFlow is true. The basic flow skips the scope-down policy the enhanced flow applies (which for guests allows only a fixed list of services), so the roles' full permissions are reachable; with guest access and a broad unauthenticated role that is anonymous data access.",
      fix: 'Turn the basic flow off with a describe → edit → update round trip of the identity pool.',
      docs: [
        'https://docs.aws.amazon.com/cognito/latest/developerguide/authentication-flow.html',
        'https://docs.aws.amazon.com/cognito/latest/developerguide/identity-pools-security-best-practices.html',
      ],
    },
  ],
  messages: {
    'unauth-identities-enabled': {
      message: (d: GuestAccess) =>
        d.unauthenticatedRole
          ? `Identity pool ${d.identityPoolId} allows unauthenticated identities, which get credentials for ${d.unauthenticatedRole} without signing in.`
          : noGuestRole(d)
            ? guestsGetNothing(d)
              ? `Identity pool ${d.identityPoolId} allows unauthenticated identities but has no unauthenticated role, so guests get an identity id and no AWS credentials (GetCredentialsForIdentity fails with InvalidIdentityPoolConfigurationException); setting a guest role later would hand its credentials to anyone.`
              : `Identity pool ${d.identityPoolId} allows unauthenticated identities and has no unauthenticated role, but the basic (classic) flow is on: a guest's OpenID token (GetOpenIdToken) can be exchanged with sts:AssumeRoleWithWebIdentity for any role whose trust accepts this pool without requiring amr authenticated.`
            : `Identity pool ${d.identityPoolId} allows unauthenticated identities (its roles could not be read, so which role guests get is not known).`,
      fix: (d: GuestAccess) => ({
        summary: `Turn off guest access on ${d.identityPoolId}, keeping every other identity pool setting.`,
        steps: [`Amazon Cognito console → Identity pools → ${d.identityPoolId} → User access → Guest access → Deactivate.`],
        commands: identityPoolRoundTrip(d.identityPoolId, '.AllowUnauthenticatedIdentities = false'),
        iac: 'Set allow_unauthenticated_identities = false (AllowUnauthenticatedIdentities: false) where the identity pool is defined.',
      }),
    },
    'classic-flow-enabled': {
      message: (d: ClassicFlow) => `Identity pool ${d.identityPoolId} allows the basic (classic) authentication flow.`,
      fix: (d: ClassicFlow) => ({
        summary: `Turn off the basic flow on ${d.identityPoolId}, keeping every other identity pool setting (Dashboards uses the enhanced flow).`,
        steps: [
          `Amazon Cognito console → Identity pools → ${d.identityPoolId} → Identity pool properties → Basic (classic) authentication → Edit → Deactivate.`,
        ],
        commands: identityPoolRoundTrip(d.identityPoolId, '.AllowClassicFlow = false'),
        iac: 'Set allow_classic_flow = false (AllowClassicFlow: false) where the identity pool is defined.',
      }),
    },
  },
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
    const problems: Array<
      | { mode: 'unauth-identities-enabled'; severity?: 'info'; resource: string; data: GuestAccess; evidence: Record<string, unknown> }
      | { mode: 'classic-flow-enabled'; resource: string; data: ClassicFlow }
    > = [];
    if (pool.AllowUnauthenticatedIdentities === true) {
      const data: GuestAccess = {
        identityPoolId,
        AllowUnauthenticatedIdentities: true,
        unauthenticatedRole: unauthenticatedRole ?? null,
        rolesRead,
        AllowClassicFlow: pool.AllowClassicFlow === true,
      };
      problems.push({
        mode: 'unauth-identities-enabled',
        ...(guestsGetNothing(data) ? { severity: 'info' as const } : {}),
        resource,
        data,
        evidence: { identityPoolId, AllowUnauthenticatedIdentities: true, unauthenticatedRole: data.unauthenticatedRole },
      });
    }
    if (pool.AllowClassicFlow === true) {
      problems.push({
        mode: 'classic-flow-enabled',
        resource,
        data: { identityPoolId, AllowClassicFlow: true, AllowUnauthenticatedIdentities: pool.AllowUnauthenticatedIdentities ?? false },
      });
    }
    return problems;
  },
});
