import {
  dashboardsPath,
  defineCheck,
  domainClientOf,
  endpointHosts,
  userPoolArnOf,
  userPoolClientRoundTrip,
  type EndpointHost,
  type ModeMessages,
} from '../src/check-kit.js';
import { REDIRECT_MISMATCH } from '../src/catalog/app-client-modes.js';

const DOCS = [
  'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/cognito-auth.html',
  'https://docs.aws.amazon.com/cognito/latest/developerguide/authorization-endpoint.html',
];

/** The Dashboards URL of one endpoint, missing from the client's callback or sign-out URLs. */
interface UrlNotRegistered {
  userPoolId: string;
  clientName: string;
  clientId: string;
  endpoint: string;
  endpointKind: EndpointHost['kind'];
  /** The Dashboards URL of the endpoint. */
  missing: string;
  missingFrom: Array<'CallbackURLs' | 'LogoutURLs'>;
  CallbackURLs: string[];
  LogoutURLs: string[];
}

/** The default and the custom endpoint read alike. */
const URL_NOT_REGISTERED: ModeMessages<UrlNotRegistered> = {
  message: (d) => `The app client ${d.clientName} has no ${d.missingFrom.join(' or ')} entry for ${d.missing}.`,
  fix: (d) => ({
    summary: `Add ${d.missing} to ${d.missingFrom.join(' and ')} of the app client, keeping every other client setting.`,
    steps: [
      `Amazon Cognito console → User pools → ${d.userPoolId} → App integration → App clients → ${d.clientName} → Login pages → Edit.`,
      `Add ${d.missing} to Allowed callback URLs and Allowed sign-out URLs, then Save.`,
    ],
    commands: userPoolClientRoundTrip(
      d.userPoolId,
      d.clientId,
      '.CallbackURLs = ((.CallbackURLs // []) + [$url] | unique) | .LogoutURLs = ((.LogoutURLs // []) + [$url] | unique)',
      { url: d.missing },
    ),
    iac: 'If Terraform manages this client, add callback_urls and logout_urls to lifecycle.ignore_changes (or manage the URLs there); otherwise the next apply removes them again.',
  }),
};

export default defineCheck({
  id: 'app-client-callback-urls',
  title: 'The OpenSearch app client registers every Dashboards URL as callback and sign-out URL',
  description:
    'Builds the URLs Dashboards sends as redirect_uri (each endpoint of the domain plus the Dashboards or Kibana path) and compares them, case-sensitively, with CallbackURLs and LogoutURLs of the OpenSearch app client.',
  reads: ['domain', 'userPool', 'userPoolClients', 'identityPool'],
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
  messages: {
    'redirect-mismatch': URL_NOT_REGISTERED,
    'custom-endpoint-not-in-callback': URL_NOT_REGISTERED,
  },
  run(ctx) {
    // The strict finder: a name-prefix match would take the client of `logs-prod` for `logs`.
    const client = domainClientOf(ctx);
    const userPoolId = ctx.domain.CognitoOptions?.UserPoolId;
    if (!client?.ClientId || !userPoolId) return []; // opensearch-app-client reports a missing client
    const path = dashboardsPath(ctx.domain);
    const callbacks = client.CallbackURLs ?? [];
    const logouts = client.LogoutURLs ?? [];
    const clientId = client.ClientId;
    const clientName = client.ClientName ?? clientId;
    return endpointHosts(ctx.domain).flatMap(({ host, kind }) => {
      const url = `https://${host}${path}`;
      const missingCallback = !callbacks.includes(url);
      const missingLogout = !logouts.includes(url);
      if (!missingCallback && !missingLogout) return [];
      const problem: UrlNotRegistered = {
        userPoolId,
        clientName,
        clientId,
        endpoint: host,
        endpointKind: kind,
        missing: url,
        missingFrom: [...(missingCallback ? (['CallbackURLs'] as const) : []), ...(missingLogout ? (['LogoutURLs'] as const) : [])],
        CallbackURLs: callbacks,
        LogoutURLs: logouts,
      };
      const { userPoolId: _userPoolId, clientName: _clientName, ...evidence } = problem;
      return [
        {
          mode: kind === 'custom' ? ('custom-endpoint-not-in-callback' as const) : ('redirect-mismatch' as const),
          // Only the callback breaks the login; a missing sign-out URL or the dual-stack hostname
          // (which the service may not register itself) is a warning (inferred).
          severity: missingCallback && kind !== 'dual-stack' ? ('error' as const) : ('warning' as const),
          resource: userPoolArnOf(ctx.snapshot, userPoolId),
          data: problem,
          evidence,
        },
      ];
    });
  },
});
