import { defineCheck, domainClientOf, httpUrls, userPoolArnOf, userPoolClientRoundTrip } from '../src/check-kit.js';
import { HTTP_CALLBACK_REJECTED } from '../src/catalog/app-client-modes.js';

/** Plain-HTTP URLs on non-loopback hosts, by the client field that holds them (fields without any left out). */
interface PlainHttpUrls {
  userPoolId: string;
  clientName: string;
  clientId: string;
  CallbackURLs?: string[];
  LogoutURLs?: string[];
  DefaultRedirectURI?: string[];
}

const URL_FIELDS = ['CallbackURLs', 'LogoutURLs', 'DefaultRedirectURI'] as const;

function plainHttpUrlsOf(d: PlainHttpUrls): string[] {
  return [...new Set(URL_FIELDS.flatMap((field) => d[field] ?? []))];
}

export default defineCheck({
  id: 'app-client-https-urls',
  title: 'The OpenSearch app client uses only HTTPS callback and sign-out URLs',
  description:
    'On the OpenSearch app client (decision rule 6): every CallbackURLs, LogoutURLs and DefaultRedirectURI entry that uses http:// must be on a loopback host (localhost, 127.0.0.1, [::1]); Cognito refuses any other plain-HTTP URL, so the client cannot be saved (not even by the fixes cogdoctor prints) until it is changed.',
  reads: ['domain', 'userPool', 'userPoolClients', 'identityPool'],
  modes: [HTTP_CALLBACK_REJECTED],
  messages: {
    'http-callback-rejected': {
      message: (d: PlainHttpUrls) => {
        const bad = plainHttpUrlsOf(d);
        const where = URL_FIELDS.filter((field) => d[field] !== undefined);
        return `The app client ${d.clientName} has plain-HTTP ${where.join(' and ')} entr${bad.length > 1 ? 'ies' : 'y'} ${bad.join(', ')}, which Cognito refuses: the client cannot be updated until ${bad.length > 1 ? 'they use' : 'it uses'} HTTPS.`;
      },
      fix: (d: PlainHttpUrls) => {
        const bad = plainHttpUrlsOf(d);
        const https = (url: string) => url.replace(/^http:\/\//i, 'https://');
        return {
          summary: `Replace ${bad.join(', ')} with ${bad.map(https).join(', ')} (serve it over HTTPS first) or remove ${bad.length > 1 ? 'them' : 'it'}, keeping every other client setting.`,
          steps: [
            `Amazon Cognito console → User pools → ${d.userPoolId} → App integration → App clients → ${d.clientName} → Login pages → Edit.`,
            `Change ${bad.join(', ')} to https:// (or delete ${bad.length > 1 ? 'them' : 'it'}) under Allowed callback URLs and Allowed sign-out URLs; Save.`,
          ],
          commands: userPoolClientRoundTrip(
            d.userPoolId,
            d.clientId,
            'def fix: if (. as $u | $bad | index($u)) then sub("^[Hh][Tt][Tt][Pp]://"; "https://") else . end; .CallbackURLs = ((.CallbackURLs // []) | map(fix) | unique) | .LogoutURLs = ((.LogoutURLs // []) | map(fix) | unique) | if .DefaultRedirectURI then .DefaultRedirectURI |= fix else . end',
            { bad },
          ),
        };
      },
    },
  },
  run(ctx) {
    const client = domainClientOf(ctx);
    const userPoolId = ctx.domain.CognitoOptions?.UserPoolId;
    if (!client?.ClientId || !userPoolId) return []; // opensearch-app-client reports a missing client
    const fields = {
      CallbackURLs: httpUrls(client.CallbackURLs),
      LogoutURLs: httpUrls(client.LogoutURLs),
      DefaultRedirectURI: httpUrls(client.DefaultRedirectURI ? [client.DefaultRedirectURI] : []),
    };
    const found = Object.fromEntries(Object.entries(fields).filter(([, urls]) => urls.length > 0));
    if (Object.keys(found).length === 0) return [];
    return [
      {
        mode: 'http-callback-rejected',
        resource: userPoolArnOf(ctx.snapshot, userPoolId),
        data: { userPoolId, clientName: client.ClientName ?? client.ClientId, clientId: client.ClientId, ...found },
        evidence: { clientId: client.ClientId, ...found, allowedPlainHttpHosts: ['localhost', '127.0.0.1', '[::1]'] },
      },
    ];
  },
});
