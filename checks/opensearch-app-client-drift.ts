import {
  dashboardsPath,
  defineCheck,
  domainClientMatch,
  endpointHosts,
  isElasticsearch,
  OPENSEARCH_CLIENT_SCOPES,
  requireWellFormedUserPoolId,
  userPoolArnOf,
  userPoolClientRoundTrip,
  type Fix,
} from '../src/check-kit.js';

/** The Kibana URL path the service registers on Elasticsearch domains (catalog 0.2). */
const KIBANA_PATH = '/_plugin/kibana/app/kibana';

/** A timestamp as the SDK (Date) or a snapshot (ISO string) holds it; NaN when unknown. */
function time(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'string') return Date.parse(value);
  return Number.NaN;
}

/** A list of strings from a field a hand-written snapshot may hold in any shape. */
function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function iso(value: unknown): string | null {
  const t = time(value);
  return Number.isFinite(t) ? new Date(t).toISOString() : null;
}

/** The service's client, changed after it was created: the field groups that differ from what the service sets. */
interface ClientOverwritten {
  userPoolId: string;
  clientId: string;
  ClientName: string | null;
  CreationDate: string | null;
  LastModifiedDate: string | null;
  /** Present when the scopes differ: openid and email are there, others removed or added. */
  AllowedOAuthScopes?: { actual: string[]; service: string[]; removed: string[]; added: string[] };
  /** Present when both URL lists hold every expected URL and other HTTPS URLs on the domain's own hostnames. */
  urls?: { expected: string[]; CallbackURLs: string[]; LogoutURLs: string[]; extra: string[] };
}

function deviationsOf(d: ClientOverwritten): string[] {
  const scopes = d.AllowedOAuthScopes;
  return [
    ...(scopes
      ? [
          `scopes ${[scopes.removed.length > 0 ? `without ${scopes.removed.join(', ')}` : '', scopes.added.length > 0 ? `with ${scopes.added.join(', ')} added` : ''].filter(Boolean).join(' and ')}`,
        ]
      : []),
    ...(d.urls ? [`extra callback or sign-out URLs on the domain's own hostnames (${d.urls.extra.join(', ')})`] : []),
  ];
}

function restoreCommands(d: ClientOverwritten): string[] {
  const edits: string[] = [];
  const args: Record<string, unknown> = {};
  if (d.AllowedOAuthScopes) {
    edits.push('.AllowedOAuthScopes = $scopes');
    args['scopes'] = d.AllowedOAuthScopes.service;
  }
  if (d.urls) {
    edits.push('.CallbackURLs = ((.CallbackURLs // []) - $stray) | .LogoutURLs = ((.LogoutURLs // []) - $stray)');
    args['stray'] = d.urls.extra;
  }
  return userPoolClientRoundTrip(d.userPoolId, d.clientId, edits.join(' | '), args);
}

function restoreFix(d: ClientOverwritten): Fix {
  const name = d.ClientName ?? d.clientId;
  return {
    summary: `Put back what OpenSearch Service set on ${name} (every other client setting is kept), then find what changed it: an IaC tool that manages the service-created client, or an update-user-pool-client run without all its fields.`,
    steps: [
      `Amazon Cognito console → User pools → ${d.userPoolId} → App integration → App clients → ${name} → Login pages → Edit: restore the values in the evidence → Save.`,
      'If Terraform imported the client, remove it from the configuration or add lifecycle { ignore_changes = [callback_urls, logout_urls, allowed_oauth_flows, allowed_oauth_scopes, supported_identity_providers] }.',
    ],
    commands: restoreCommands(d),
    iac: 'OpenSearch Service owns this client: keep it out of IaC, or ignore_changes on callback_urls, logout_urls, allowed_oauth_flows, allowed_oauth_scopes and supported_identity_providers; otherwise the next apply overwrites it again.',
  };
}

export default defineCheck({
  id: 'opensearch-app-client-drift',
  title: 'The OpenSearch app client still has the settings the service gave it',
  description:
    "Compares the app client OpenSearch Service created (decision rule 6, found by its name; a client found only through the identity pool is not the service's) with what the service sets (catalog 0.2): scopes email, openid, phone and profile; callback and sign-out URLs = the Dashboards URL of each endpoint of the domain. " +
    'Rule, so that nothing is reported twice: a field group that another check already reports is skipped here. Flows: "code" missing or the OAuth flag off is oauth-flows-not-enabled, an added implicit flow is opensearch-client-extra-flows: no flows deviation is left for this check. Scopes: only when openid and email are both there (otherwise oauth-scopes-missing) does a difference from email, openid, phone, profile count (phone or profile removed, other scopes added). ' +
    "Callback set: only when every expected URL is in both CallbackURLs and LogoutURLs (otherwise redirect-mismatch / custom-endpoint-not-in-callback) do other URLs on the domain's own hostnames count (another path, such as /_dashboards/ or a trailing slash). On an OpenSearch domain whose client carries the Elasticsearch-era name AWSElasticsearch-…, the Kibana URL (/_plugin/kibana/app/kibana) of its own hostnames is not one: the service created that client, with that URL, while the domain ran Elasticsearch, and the domain kept it through the upgrade to OpenSearch (under an AmazonOpenSearchService-… client the Kibana URL was added later and counts). URLs on other hosts are a proxy or opensearch-client-extra-flows, plain-HTTP ones http-callback-rejected. Identity providers: every deviation is either idp-not-enabled-on-app-client or a legitimate choice (federated sign-in only), so none is reported here. " +
    'That a drifted client was overwritten is inferred: the finding also needs LastModifiedDate later than CreationDate (when both are known), since the service writes its client when it creates it; hence a warning.',
  reads: ['domain', 'userPool', 'userPoolClients', 'identityPool'],
  modes: [
    {
      id: 'opensearch-app-client-overwritten',
      severity: 'warning',
      inferred: true,
      title: 'The OpenSearch app client was changed from what the service created',
      symptom: 'Login worked after the domain was set up and broke after an IaC apply or a manual update-user-pool-client; or the next such change breaks it.',
      cause:
        'The app client OpenSearch Service created was imported into Terraform, CDK or CloudFormation, or edited with update-user-pool-client without all its fields (omitted fields reset to defaults); the tool now drifts it back to its own values.',
      fix: "Restore the service's settings with a describe → edit → update round trip, and stop IaC from managing the client (or ignore_changes on its URLs, scopes, flows and identity providers).",
      docs: [
        'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/cognito-auth.html',
        'https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-updating.html',
      ],
    },
  ],
  messages: {
    'opensearch-app-client-overwritten': {
      message: (d: ClientOverwritten) => {
        const when = d.CreationDate !== null && d.LastModifiedDate !== null ? ` (last modified ${d.LastModifiedDate}, created ${d.CreationDate})` : '';
        return `The OpenSearch app client ${d.ClientName ?? d.clientId} was changed after OpenSearch Service created it${when} and now differs from what the service sets: ${deviationsOf(d).join('; ')}.`;
      },
      fix: restoreFix,
    },
  },
  run(ctx) {
    const userPoolId = requireWellFormedUserPoolId(ctx);
    const match = domainClientMatch(ctx);
    if (typeof match?.client.ClientId !== 'string' || !match.client.ClientId || match.by !== 'name') return [];
    const client = match.client;
    const clientId = match.client.ClientId;
    const created = time(client.CreationDate);
    const modified = time(client.LastModifiedDate);
    // Unchanged since the service wrote it: whatever it holds is what the service set.
    if (Number.isFinite(created) && Number.isFinite(modified) && modified <= created) return [];

    const problem: ClientOverwritten = {
      userPoolId,
      clientId,
      ClientName: client.ClientName ?? null,
      CreationDate: iso(client.CreationDate),
      LastModifiedDate: iso(client.LastModifiedDate),
    };

    const scopes = strings(client.AllowedOAuthScopes);
    if (scopes.includes('openid') && scopes.includes('email')) {
      const removed = OPENSEARCH_CLIENT_SCOPES.filter((s) => !scopes.includes(s));
      const added = scopes.filter((s) => !OPENSEARCH_CLIENT_SCOPES.includes(s));
      if (removed.length > 0 || added.length > 0) problem.AllowedOAuthScopes = { actual: scopes, service: OPENSEARCH_CLIENT_SCOPES, removed, added };
    }

    const hosts = endpointHosts(ctx.domain);
    const expected = hosts.map((h) => `https://${h.host}${dashboardsPath(ctx.domain)}`);
    // A client the service created while the domain ran Elasticsearch keeps the Kibana URL it set then.
    const createdOnElasticsearch = !isElasticsearch(ctx.domain) && (client.ClientName ?? '').startsWith('AWSElasticsearch-');
    const legacy = createdOnElasticsearch ? hosts.map((h) => `https://${h.host}${KIBANA_PATH}`) : [];
    const callbacks = strings(client.CallbackURLs);
    const logouts = strings(client.LogoutURLs);
    if (expected.length > 0 && expected.every((url) => callbacks.includes(url) && logouts.includes(url))) {
      const own = new Set(hosts.map((h) => h.host.toLowerCase()));
      const strays = (urls: string[]) =>
        urls.filter((url) => {
          if (expected.includes(url) || legacy.includes(url)) return false;
          try {
            const parsed = new URL(url);
            return parsed.protocol === 'https:' && own.has(parsed.host.toLowerCase());
          } catch {
            return false;
          }
        });
      const stray = [...new Set([...strays(callbacks), ...strays(logouts)])];
      if (stray.length > 0) problem.urls = { expected, CallbackURLs: callbacks, LogoutURLs: logouts, extra: stray };
    }
    if (!problem.AllowedOAuthScopes && !problem.urls) return [];

    // The evidence names the client; the pool is the resource.
    const { userPoolId: _userPoolId, ...evidence } = problem;
    return [{ mode: 'opensearch-app-client-overwritten', resource: userPoolArnOf(ctx.snapshot, userPoolId), data: problem, evidence }];
  },
});
