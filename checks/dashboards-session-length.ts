import { defineCheck, domainClientOf, requireWellFormedUserPoolId, userPoolArnOf, userPoolClientRoundTrip } from '../src/check-kit.js';

/** A Dashboards session shorter than a working day sends users back to the login page during the day (inferred threshold). */
const SHORT_SESSION_MINUTES = 8 * 60;

const MINUTES: Record<string, number> = { seconds: 1 / 60, minutes: 1, hours: 60, days: 24 * 60 };

/** A token validity in minutes, with Cognito's defaults for an absent value or unit. */
function minutes(value: unknown, unit: unknown, defaultValue: number, defaultUnit: string): number {
  const amount = typeof value === 'number' && Number.isFinite(value) ? value : defaultValue;
  return amount * ((typeof unit === 'string' && Object.hasOwn(MINUTES, unit) ? MINUTES[unit] : undefined) ?? MINUTES[defaultUnit]!);
}

function spell(total: number): string {
  if (total >= 24 * 60 && total % (24 * 60) === 0) return `${total / (24 * 60)} day${total === 24 * 60 ? '' : 's'}`;
  if (total >= 60 && total % 60 === 0) return `${total / 60} hour${total === 60 ? '' : 's'}`;
  return `${Math.round(total)} minutes`;
}

/** The OpenSearch app client's settings that end Dashboards sessions early. */
interface ShortSessions {
  userPoolId: string;
  ClientId: string;
  ClientName?: string;
  /** The client's ExplicitAuthFlows as strings. */
  flows: string[];
  refreshAllowed: boolean;
  /** Token validities in minutes, with Cognito's defaults. */
  refreshMinutes: number;
  idMinutes: number;
}

export default defineCheck({
  id: 'dashboards-session-length',
  title: 'Dashboards sessions last long enough (refresh tokens allowed, not tiny)',
  description:
    "Signing out of Dashboards calls AdminUserGlobalSignOut, which ends every session of that user (other tabs then report a revoked refresh token): that is by design and reported only when sessions end early anyway. On the OpenSearch app client (decision rule 6): ExplicitAuthFlows must allow refresh (ALLOW_REFRESH_TOKEN_AUTH; an absent list means Cognito's defaults, which include it, and the legacy flow names imply it), otherwise a session lasts only as long as the ID token (IdTokenValidity, default 1 hour); " +
    `with refresh allowed, a RefreshTokenValidity (TokenValidityUnits.RefreshToken, default 30 days) under ${SHORT_SESSION_MINUTES / 60} hours is tiny. The effect on Dashboards sessions is inferred, so this is information.`,
  reads: ['domain', 'userPool', 'userPoolClients', 'identityPool'],
  modes: [
    {
      id: 'global-signout-revokes-sessions',
      severity: 'info',
      inferred: true,
      title: 'Dashboards users are signed out early',
      symptom: 'Users are sent back to the Cognito login page during the day; signing out in one tab makes other tabs say the refresh token has been revoked.',
      cause:
        'The OpenSearch app client does not allow refresh tokens, or lets them expire within hours, so a Dashboards session ends with the ID token; and Dashboards sign-out calls AdminUserGlobalSignOut, which revokes every session of the user by design.',
      fix: 'Allow ALLOW_REFRESH_TOKEN_AUTH on the OpenSearch app client and give refresh tokens a validity of a day or more (30 days is the default); tell users that signing out ends all their sessions.',
      docs: [
        'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/cognito-auth.html',
        'https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-refresh-token.html',
      ],
    },
  ],
  messages: {
    'global-signout-revokes-sessions': {
      message: (d: ShortSessions) => {
        const problems = d.refreshAllowed
          ? `refresh tokens expire after ${spell(d.refreshMinutes)} (RefreshTokenValidity)`
          : `ExplicitAuthFlows (${d.flows.join(', ')}) does not include ALLOW_REFRESH_TOKEN_AUTH, so a session ends with the ID token after ${spell(d.idMinutes)}`;
        return `Dashboards users of ${d.ClientName ?? d.ClientId} are signed out after at most ${spell(d.refreshAllowed ? d.refreshMinutes : d.idMinutes)}: ${problems}; signing out in one tab also ends all of the user's sessions (AdminUserGlobalSignOut).`;
      },
      fix: (d: ShortSessions) => {
        const shortRefresh = d.refreshMinutes < SHORT_SESSION_MINUTES;
        const edits = [
          d.refreshAllowed ? undefined : '.ExplicitAuthFlows = ((.ExplicitAuthFlows // []) + ["ALLOW_REFRESH_TOKEN_AUTH"] | unique)',
          shortRefresh ? '.RefreshTokenValidity = 30 | .TokenValidityUnits.RefreshToken = "days"' : undefined,
        ].filter(Boolean);
        return {
          summary: `${d.refreshAllowed ? '' : "Add ALLOW_REFRESH_TOKEN_AUTH to the client's ExplicitAuthFlows. "}${shortRefresh ? 'Set the refresh token validity to a day or more (30 days is the default). ' : ''}Every other client setting is kept. Signing out of Dashboards still ends all of the user's sessions: that is by design.`,
          steps: [
            `Amazon Cognito console → User pools → ${d.userPoolId} → App integration → App clients → ${d.ClientName ?? d.ClientId} → Edit: authentication flows (refresh token based authentication) and refresh token expiration → Save.`,
          ],
          commands: userPoolClientRoundTrip(d.userPoolId, d.ClientId, edits.join(' | ')),
        };
      },
    },
  },
  run(ctx) {
    const userPoolId = requireWellFormedUserPoolId(ctx);
    const client = domainClientOf(ctx);
    if (typeof client?.ClientId !== 'string' || !client.ClientId) return [];
    const flows = Array.isArray(client.ExplicitAuthFlows) ? (client.ExplicitAuthFlows as unknown[]).filter((f): f is string => typeof f === 'string') : [];
    // The ALLOW_ names replaced the legacy ones, which cannot be mixed with them and always allowed refresh.
    const refresh = flows.length === 0 || !flows.some((f) => f.startsWith('ALLOW_')) || flows.includes('ALLOW_REFRESH_TOKEN_AUTH');
    const units = client.TokenValidityUnits && typeof client.TokenValidityUnits === 'object' ? client.TokenValidityUnits : {};
    const refreshMinutes = minutes(client.RefreshTokenValidity, units.RefreshToken, 30, 'days');
    const idMinutes = minutes(client.IdTokenValidity, units.IdToken, 1, 'hours');
    const session = refresh ? refreshMinutes : idMinutes;
    if (refresh && refreshMinutes >= SHORT_SESSION_MINUTES) return [];
    return [
      {
        mode: 'global-signout-revokes-sessions',
        resource: userPoolArnOf(ctx.snapshot, userPoolId),
        data: {
          userPoolId,
          ClientId: client.ClientId,
          ...(client.ClientName !== undefined ? { ClientName: client.ClientName } : {}),
          flows,
          refreshAllowed: refresh,
          refreshMinutes,
          idMinutes,
        },
        evidence: {
          clientId: client.ClientId,
          ExplicitAuthFlows: client.ExplicitAuthFlows ?? null,
          refreshAllowed: refresh,
          RefreshTokenValidity: client.RefreshTokenValidity ?? null,
          IdTokenValidity: client.IdTokenValidity ?? null,
          TokenValidityUnits: client.TokenValidityUnits ?? null,
          sessionMinutes: Math.round(session),
        },
      },
    ];
  },
});
