import {
  DASHBOARDS_REQUESTED_SCOPES,
  defineCheck,
  domainClientOf,
  OPENSEARCH_CLIENT_SCOPES,
  RESTORE_OAUTH_EDIT,
  userPoolArnOf,
  userPoolClientRoundTrip,
  type Fix,
} from '../src/check-kit.js';
import { OAUTH_FLOWS_NOT_ENABLED, OAUTH_SCOPES_MISSING } from '../src/catalog/app-client-modes.js';

const IAC =
  'If Terraform or CloudFormation manages this service-created client, it resets these fields on every apply: add allowed_oauth_flows, allowed_oauth_flows_user_pool_client, allowed_oauth_scopes to lifecycle.ignore_changes, or stop managing the client.';

/** What identifies the OpenSearch app client in the fix. */
interface OAuthClient {
  userPoolId: string;
  clientId: string;
  clientName: string;
}

/** OAuth is off on the client, or its flows lack "code". */
interface FlowsNotEnabled extends OAuthClient {
  AllowedOAuthFlowsUserPoolClient: boolean | null;
  AllowedOAuthFlows: string[];
}

/** Scopes Dashboards requests that the client does not allow. */
interface ScopesMissing extends OAuthClient {
  AllowedOAuthScopes: string[];
  missing: string[];
}

/** One edit restores flows and scopes alike. */
function restoreOAuthFix(d: OAuthClient, summary: string): Fix {
  return {
    summary,
    steps: [
      `Amazon Cognito console → User pools → ${d.userPoolId} → App integration → App clients → ${d.clientName} → Login pages → Edit.`,
      'Under OAuth 2.0 grant types choose "Authorization code grant"; under OpenID Connect scopes choose Email, OpenID, Phone and Profile; Save.',
    ],
    commands: userPoolClientRoundTrip(d.userPoolId, d.clientId, RESTORE_OAUTH_EDIT, { scopes: OPENSEARCH_CLIENT_SCOPES }),
    iac: IAC,
  };
}

export default defineCheck({
  id: 'app-client-oauth',
  title: 'The OpenSearch app client allows the authorization code flow and the scopes Dashboards requests',
  description:
    'On the OpenSearch app client (decision rule 6): AllowedOAuthFlowsUserPoolClient must be true and AllowedOAuthFlows must contain "code" (Dashboards uses the authorization code flow); AllowedOAuthScopes must contain "openid" and "email", which Dashboards requests (scope=openid+email). The service sets email, openid, phone and profile.',
  reads: ['domain', 'userPool', 'userPoolClients', 'identityPool'],
  modes: [OAUTH_FLOWS_NOT_ENABLED, OAUTH_SCOPES_MISSING],
  messages: {
    'oauth-flows-not-enabled': {
      message: (d: FlowsNotEnabled) => {
        const problems = [
          d.AllowedOAuthFlowsUserPoolClient === true ? undefined : `AllowedOAuthFlowsUserPoolClient is ${d.AllowedOAuthFlowsUserPoolClient ?? 'unset'}`,
          d.AllowedOAuthFlows.includes('code') ? undefined : `AllowedOAuthFlows is ${JSON.stringify(d.AllowedOAuthFlows)}`,
        ].filter(Boolean);
        return `The app client ${d.clientName} cannot use the authorization code flow Dashboards starts: ${problems.join(' and ')}.`;
      },
      fix: (d: FlowsNotEnabled) =>
        restoreOAuthFix(
          d,
          `Turn OAuth back on for ${d.clientName} with the code flow (and the scopes OAuth needs), keeping every other client setting. If CallbackURLs is empty too, add the Dashboards URL in the same edit.`,
        ),
    },
    'oauth-scopes-missing': {
      message: (d: ScopesMissing) =>
        `The app client ${d.clientName} does not allow the scope${d.missing.length > 1 ? 's' : ''} ${d.missing.join(' and ')} that Dashboards requests (AllowedOAuthScopes is ${JSON.stringify(d.AllowedOAuthScopes)}).`,
      fix: (d: ScopesMissing) =>
        restoreOAuthFix(d, `Add ${OPENSEARCH_CLIENT_SCOPES.join(', ')} to AllowedOAuthScopes of ${d.clientName}, keeping every other client setting.`),
    },
  },
  run(ctx) {
    const client = domainClientOf(ctx);
    const userPoolId = ctx.domain.CognitoOptions?.UserPoolId;
    if (!client?.ClientId || !userPoolId) return []; // opensearch-app-client reports a missing client
    const resource = userPoolArnOf(ctx.snapshot, userPoolId);
    const clientId = client.ClientId;
    const identity = { userPoolId, clientId, clientName: client.ClientName ?? clientId };
    const flows = client.AllowedOAuthFlows ?? [];
    const enabled = client.AllowedOAuthFlowsUserPoolClient === true;
    const scopes = client.AllowedOAuthScopes ?? [];
    const missing = DASHBOARDS_REQUESTED_SCOPES.filter((s) => !scopes.includes(s));
    const flowsSetting = { AllowedOAuthFlowsUserPoolClient: client.AllowedOAuthFlowsUserPoolClient ?? null, AllowedOAuthFlows: flows };
    return [
      ...(!enabled || !flows.includes('code')
        ? [
            {
              mode: 'oauth-flows-not-enabled' as const,
              resource,
              data: { ...identity, ...flowsSetting },
              evidence: { clientId, ...flowsSetting, required: { AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['code'] } },
            },
          ]
        : []),
      ...(missing.length > 0
        ? [
            {
              mode: 'oauth-scopes-missing' as const,
              // Without openid no ID token is issued; without only email the token still comes (inferred impact).
              severity: missing.includes('openid') ? ('error' as const) : ('warning' as const),
              resource,
              data: { ...identity, AllowedOAuthScopes: scopes, missing },
              evidence: { clientId, AllowedOAuthScopes: scopes, missing, requested: DASHBOARDS_REQUESTED_SCOPES },
            },
          ]
        : []),
    ];
  },
});
