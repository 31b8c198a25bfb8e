import {
  DASHBOARDS_REQUESTED_SCOPES,
  defineCheck,
  domainClientOf,
  OPENSEARCH_CLIENT_SCOPES,
  RESTORE_OAUTH_EDIT,
  userPoolArnOf,
  userPoolClientRoundTrip,
  type FindingInput,
} from '../src/check-kit.js';
import { OAUTH_FLOWS_NOT_ENABLED, OAUTH_SCOPES_MISSING } from '../src/catalog/app-client-modes.js';

const IAC =
  'If Terraform or CloudFormation manages this service-created client, it resets these fields on every apply: add allowed_oauth_flows, allowed_oauth_flows_user_pool_client, allowed_oauth_scopes to lifecycle.ignore_changes, or stop managing the client.';

export default defineCheck({
  id: 'app-client-oauth',
  title: 'The OpenSearch app client allows the authorization code flow and the scopes Dashboards requests',
  description:
    'On the OpenSearch app client (decision rule 6): AllowedOAuthFlowsUserPoolClient must be true and AllowedOAuthFlows must contain "code" (Dashboards uses the authorization code flow); AllowedOAuthScopes must contain "openid" and "email", which Dashboards requests (scope=openid+email). The service sets email, openid, phone and profile.',
  reads: ['domain', 'userPoolClients'],
  modes: [OAUTH_FLOWS_NOT_ENABLED, OAUTH_SCOPES_MISSING],
  run(ctx) {
    const client = domainClientOf(ctx);
    const userPoolId = ctx.domain.CognitoOptions?.UserPoolId;
    if (!client?.ClientId || !userPoolId) return []; // opensearch-app-client reports a missing client
    const name = client.ClientName ?? client.ClientId;
    const resource = userPoolArnOf(ctx.snapshot, userPoolId);
    const commands = userPoolClientRoundTrip(userPoolId, client.ClientId, RESTORE_OAUTH_EDIT, { scopes: OPENSEARCH_CLIENT_SCOPES });
    const steps = [
      `Amazon Cognito console → User pools → ${userPoolId} → App integration → App clients → ${name} → Login pages → Edit.`,
      'Under OAuth 2.0 grant types choose "Authorization code grant"; under OpenID Connect scopes choose Email, OpenID, Phone and Profile; Save.',
    ];
    const findings: FindingInput[] = [];
    const flows = client.AllowedOAuthFlows ?? [];
    const enabled = client.AllowedOAuthFlowsUserPoolClient === true;
    if (!enabled || !flows.includes('code')) {
      const problems = [
        enabled ? undefined : `AllowedOAuthFlowsUserPoolClient is ${client.AllowedOAuthFlowsUserPoolClient ?? 'unset'}`,
        flows.includes('code') ? undefined : `AllowedOAuthFlows is ${JSON.stringify(flows)}`,
      ].filter(Boolean);
      findings.push({
        id: 'oauth-flows-not-enabled',
        message: `The app client ${name} cannot use the authorization code flow Dashboards starts: ${problems.join(' and ')}.`,
        resource,
        evidence: { clientId: client.ClientId, AllowedOAuthFlowsUserPoolClient: client.AllowedOAuthFlowsUserPoolClient ?? null, AllowedOAuthFlows: flows, required: { AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['code'] } },
        fix: {
          summary: `Turn OAuth back on for ${name} with the code flow (and the scopes OAuth needs), keeping every other client setting. If CallbackURLs is empty too, add the Dashboards URL in the same edit.`,
          steps,
          commands,
          iac: IAC,
        },
      });
    }
    const scopes = client.AllowedOAuthScopes ?? [];
    const missing = DASHBOARDS_REQUESTED_SCOPES.filter((s) => !scopes.includes(s));
    if (missing.length > 0) {
      // Without openid no ID token is issued; without only email the token still comes (inferred impact).
      const severity = missing.includes('openid') ? 'error' : 'warning';
      findings.push({
        id: 'oauth-scopes-missing',
        severity,
        message: `The app client ${name} does not allow the scope${missing.length > 1 ? 's' : ''} ${missing.join(' and ')} that Dashboards requests (AllowedOAuthScopes is ${JSON.stringify(scopes)}).`,
        resource,
        evidence: { clientId: client.ClientId, AllowedOAuthScopes: scopes, missing, requested: DASHBOARDS_REQUESTED_SCOPES },
        fix: {
          summary: `Add ${OPENSEARCH_CLIENT_SCOPES.join(', ')} to AllowedOAuthScopes of ${name}, keeping every other client setting.`,
          steps,
          commands,
          iac: IAC,
        },
      });
    }
    return findings;
  },
});
