import { httpUrls } from '../../src/model/client.js';
import { userPoolClientRoundTrip } from '../../src/model/fixes.js';
import type { FindingInput } from '../../src/engine/types.js';
import { DataGap } from '../../src/engine/context.js';
import { defineClientCheck } from '../../src/engine/define.js';
import { describeDifference, nearestUrl } from '../../src/client/urls.js';
import { REDIRECT_MISMATCH } from '../../src/catalog/app-client-modes.js';
import { HTTP_CALLBACK_REJECTED } from '../../src/catalog/app-client-modes.js';

const DOCS = [
  'https://docs.aws.amazon.com/cognito/latest/developerguide/authorization-endpoint.html',
  'https://docs.aws.amazon.com/cognito/latest/developerguide/logout-endpoint.html',
  'https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-app-idp-settings.html',
];

const ADD_URL = (field: 'CallbackURLs' | 'LogoutURLs') => `.${field} = ((.${field} // []) + [$url] | unique)`;

export default defineClientCheck({
  id: 'client-urls',
  title: "The app client registers the relying party's redirect and sign-out URLs exactly, over HTTPS",
  description:
    'Each --redirect-uri must be in CallbackURLs and each --logout-uri in LogoutURLs as the same string (scheme, host, port, path, trailing slash and case all count); a miss names the nearest registered URL and what differs. A plain-HTTP URL other than http://localhost (or the loopback address) cannot be registered at all, and neither can one already in the client.',
  reads: ['userPoolClients'],
  modes: [
    REDIRECT_MISMATCH,
    {
      id: 'logout-url-not-registered',
      severity: 'error',
      title: "The relying party's sign-out URL is not a registered LogoutURLs entry",
      symptom: 'Signing out shows: An error was encountered with the requested page. (/logout?client_id=…&logout_uri=…)',
      cause: 'The logout endpoint redirects only to a logout_uri that is exactly one of the LogoutURLs of the client.',
      fix: 'Register the exact sign-out URL in LogoutURLs with a describe → edit → update round trip, or make the relying party send the registered one.',
      docs: DOCS,
    },
    HTTP_CALLBACK_REJECTED,
  ],
  run(ctx) {
    const { party } = ctx;
    if (party.flow === 'client_credentials') throw new DataGap({ kind: 'not-applicable', reason: 'client_credentials redirects no browser' });
    const client = ctx.client();
    const { userPoolId, clientId } = ctx.reads;
    const name = ctx.clientName;
    const findings: FindingInput[] = [];
    const registeredHttp = [...new Set([...httpUrls(client.CallbackURLs), ...httpUrls(client.LogoutURLs)])];
    const sentHttp = [...new Set([...httpUrls(party.redirectUris), ...httpUrls(party.logoutUris)])];
    for (const url of sentHttp) {
      findings.push({
        id: 'http-callback-rejected',
        message: `The relying party uses ${url}, which Cognito refuses to register: only http://localhost may use plain HTTP.`,
        resource: ctx.resource,
        evidence: { clientId, url, allowedPlainHttpHosts: ['localhost', '127.0.0.1', '[::1]'] },
        fix: {
          summary: `Serve the relying party over HTTPS and use ${url.replace(/^http:/i, 'https:')} (then register that URL).`,
          steps: ['Terminate TLS in front of the relying party (a load balancer listener, the gateway), then change its redirect URL to https://.'],
        },
      });
    }
    if (registeredHttp.length > 0) {
      findings.push({
        id: 'http-callback-rejected',
        message: `The app client ${name} has plain-HTTP URL${registeredHttp.length > 1 ? 's' : ''} ${registeredHttp.join(', ')}, which Cognito refuses: the client cannot be updated until ${registeredHttp.length > 1 ? 'they use' : 'it uses'} HTTPS.`,
        resource: ctx.resource,
        evidence: { clientId, httpUrls: registeredHttp },
        fix: {
          summary: `Replace ${registeredHttp.join(', ')} with the https:// form, keeping every other client setting.`,
          steps: [ctx.consoleSteps, 'Change the http:// URLs to https:// under Allowed callback URLs and Allowed sign-out URLs; Save.'],
          commands: userPoolClientRoundTrip(
            userPoolId,
            clientId,
            'def fix: if (. as $u | $bad | index($u)) then sub("^[Hh][Tt][Tt][Pp]://"; "https://") else . end; .CallbackURLs = ((.CallbackURLs // []) | map(fix) | unique) | .LogoutURLs = ((.LogoutURLs // []) | map(fix) | unique)',
            { bad: registeredHttp },
          ),
        },
      });
    }
    const fields = [
      { id: 'redirect-mismatch', field: 'CallbackURLs', flag: '--redirect-uri', sent: party.redirectUris, registered: client.CallbackURLs ?? [] },
      { id: 'logout-url-not-registered', field: 'LogoutURLs', flag: '--logout-uri', sent: party.logoutUris, registered: client.LogoutURLs ?? [] },
    ] as const;
    for (const { id, field, sent, registered } of fields) {
      for (const url of sent) {
        if (sentHttp.includes(url) || registered.includes(url)) continue;
        const nearest = nearestUrl(url, registered);
        const differences = nearest?.differences.map(describeDifference) ?? [];
        const near = nearest ? ` The nearest registered URL is ${nearest.url} (${differences.join(', ')}).` : ` ${field} is empty.`;
        findings.push({
          id,
          message: `The app client ${name} has no ${field} entry ${url}.${near}`,
          resource: ctx.resource,
          evidence: { clientId, sent: url, [field]: registered, ...(nearest ? { nearest: nearest.url, differences: nearest.differences } : {}) },
          fix: {
            summary: nearest
              ? `Add ${url} to ${field} of ${name} (keeping every other client setting), or make the relying party send ${nearest.url}.`
              : `Add ${url} to ${field} of ${name}, keeping every other client setting.`,
            steps: [ctx.consoleSteps, `Add ${url} under Allowed ${field === 'CallbackURLs' ? 'callback' : 'sign-out'} URLs, exactly as the relying party sends it; Save.`],
            commands: userPoolClientRoundTrip(userPoolId, clientId, ADD_URL(field), { url }),
          },
        });
      }
    }
    if (party.redirectUris.length === 0 && party.logoutUris.length === 0 && findings.length === 0) {
      ctx.note({ kind: 'not-evaluated', reason: 'no --redirect-uri or --logout-uri was given: pass the URLs the relying party sends to compare them with the client' });
    }
    return findings;
  },
});
