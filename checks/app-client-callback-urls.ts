import {
  dashboardsPath,
  defineCheck,
  domainClientOf,
  endpointHosts,
  userPoolArnOf,
  userPoolClientRoundTrip,
  type FindingInput,
} from '../src/check-kit.js';
import { REDIRECT_MISMATCH } from '../src/catalog/app-client-modes.js';

const DOCS = [
  'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/cognito-auth.html',
  'https://docs.aws.amazon.com/cognito/latest/developerguide/authorization-endpoint.html',
];

export default defineCheck({
  id: 'app-client-callback-urls',
  title: 'The OpenSearch app client registers every Dashboards URL as callback and sign-out URL',
  description:
    'Builds the URLs Dashboards sends as redirect_uri (each endpoint of the domain plus the Dashboards or Kibana path) and compares them, case-sensitively, with CallbackURLs and LogoutURLs of the OpenSearch app client.',
  reads: ['domain', 'userPoolClients'],
  modes: [
    REDIRECT_MISMATCH,
    {
      id: 'custom-endpoint-not-in-callback',
      severity: 'error',
      title: 'Callback URL missing for the custom endpoint',
      symptom: 'Login works on the search-….es.amazonaws.com URL but the custom hostname shows: An error was encountered with the requested page.',
      cause:
        'The custom endpoint was added after Cognito was enabled; OpenSearch Service does not update the app client it generated, so the custom hostname is not a registered callback.',
      fix: 'Add the custom endpoint URL to CallbackURLs and LogoutURLs with a describe → edit → update round trip.',
      docs: [...DOCS, 'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/customendpoint.html'],
    },
  ],
  run(ctx) {
    // The strict finder: a name-prefix match would take the client of `logs-prod` for `logs`.
    const client = domainClientOf(ctx);
    const userPoolId = ctx.domain.CognitoOptions?.UserPoolId;
    if (!client?.ClientId || !userPoolId) return []; // opensearch-app-client reports a missing client
    const path = dashboardsPath(ctx.domain);
    const callbacks = client.CallbackURLs ?? [];
    const logouts = client.LogoutURLs ?? [];
    const findings: FindingInput[] = [];
    for (const { host, kind } of endpointHosts(ctx.domain)) {
      const url = `https://${host}${path}`;
      const missingCallback = !callbacks.includes(url);
      const missingLogout = !logouts.includes(url);
      if (!missingCallback && !missingLogout) continue;
      const fields = [missingCallback ? 'CallbackURLs' : undefined, missingLogout ? 'LogoutURLs' : undefined].filter(Boolean) as string[];
      const id = kind === 'custom' ? 'custom-endpoint-not-in-callback' : 'redirect-mismatch';
      // Only the callback breaks the login; a missing sign-out URL or the dual-stack hostname
      // (which the service may not register itself) is a warning (inferred).
      const severity = missingCallback && kind !== 'dual-stack' ? 'error' : 'warning';
      findings.push({
        id,
        severity,
        message: `The app client ${client.ClientName ?? client.ClientId} has no ${fields.join(' or ')} entry for ${url}.`,
        resource: userPoolArnOf(ctx.snapshot, userPoolId),
        evidence: { clientId: client.ClientId, endpoint: host, endpointKind: kind, missing: url, missingFrom: fields, CallbackURLs: callbacks, LogoutURLs: logouts },
        fix: {
          summary: `Add ${url} to ${fields.join(' and ')} of the app client, keeping every other client setting.`,
          steps: [
            `Amazon Cognito console → User pools → ${userPoolId} → App integration → App clients → ${client.ClientName ?? client.ClientId} → Login pages → Edit.`,
            `Add ${url} to Allowed callback URLs and Allowed sign-out URLs, then Save.`,
          ],
          commands: userPoolClientRoundTrip(userPoolId, client.ClientId, '.CallbackURLs = ((.CallbackURLs // []) + [$url] | unique) | .LogoutURLs = ((.LogoutURLs // []) + [$url] | unique)', { url }),
          iac: 'If Terraform manages this client, add callback_urls and logout_urls to lifecycle.ignore_changes (or manage the URLs there); otherwise the next apply removes them again.',
        },
      });
    }
    return findings;
  },
});
