import { defineCheck, domainClientOf, httpUrls, userPoolArnOf, userPoolClientRoundTrip } from '../src/check-kit.js';
import { HTTP_CALLBACK_REJECTED } from '../src/catalog/app-client-modes.js';

export default defineCheck({
  id: 'app-client-https-urls',
  title: 'The OpenSearch app client uses only HTTPS callback and sign-out URLs',
  description:
    'On the OpenSearch app client (decision rule 6): every CallbackURLs, LogoutURLs and DefaultRedirectURI entry that uses http:// must be on a loopback host (localhost, 127.0.0.1, [::1]); Cognito refuses any other plain-HTTP URL, so the client cannot be saved (not even by the fixes cogdoctor prints) until it is changed.',
  reads: ['domain', 'userPoolClients'],
  modes: [
    HTTP_CALLBACK_REJECTED,
  ],
  run(ctx) {
    const client = domainClientOf(ctx);
    const userPoolId = ctx.domain.CognitoOptions?.UserPoolId;
    if (!client?.ClientId || !userPoolId) return []; // opensearch-app-client reports a missing client
    const name = client.ClientName ?? client.ClientId;
    const fields = {
      CallbackURLs: httpUrls(client.CallbackURLs),
      LogoutURLs: httpUrls(client.LogoutURLs),
      DefaultRedirectURI: httpUrls(client.DefaultRedirectURI ? [client.DefaultRedirectURI] : []),
    };
    const bad = [...new Set(Object.values(fields).flat())];
    if (bad.length === 0) return [];
    const where = Object.entries(fields)
      .filter(([, urls]) => urls.length > 0)
      .map(([field]) => field);
    const https = (url: string) => url.replace(/^http:\/\//i, 'https://');
    return [
      {
        id: 'http-callback-rejected',
        message: `The app client ${name} has plain-HTTP ${where.join(' and ')} entr${bad.length > 1 ? 'ies' : 'y'} ${bad.join(', ')}, which Cognito refuses: the client cannot be updated until ${bad.length > 1 ? 'they use' : 'it uses'} HTTPS.`,
        resource: userPoolArnOf(ctx.snapshot, userPoolId),
        evidence: { clientId: client.ClientId, ...Object.fromEntries(Object.entries(fields).filter(([, urls]) => urls.length > 0)), allowedPlainHttpHosts: ['localhost', '127.0.0.1', '[::1]'] },
        fix: {
          summary: `Replace ${bad.join(', ')} with ${bad.map(https).join(', ')} (serve it over HTTPS first) or remove ${bad.length > 1 ? 'them' : 'it'}, keeping every other client setting.`,
          steps: [
            `Amazon Cognito console → User pools → ${userPoolId} → App integration → App clients → ${name} → Login pages → Edit.`,
            `Change ${bad.join(', ')} to https:// (or delete ${bad.length > 1 ? 'them' : 'it'}) under Allowed callback URLs and Allowed sign-out URLs; Save.`,
          ],
          commands: userPoolClientRoundTrip(
            userPoolId,
            client.ClientId,
            'def fix: if (. as $u | $bad | index($u)) then sub("^[Hh][Tt][Tt][Pp]://"; "https://") else . end; .CallbackURLs = ((.CallbackURLs // []) | map(fix) | unique) | .LogoutURLs = ((.LogoutURLs // []) | map(fix) | unique) | if .DefaultRedirectURI then .DefaultRedirectURI |= fix else . end',
            { bad },
          ),
        },
      },
    ];
  },
});
