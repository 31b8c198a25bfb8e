import { httpUrls } from '../../src/model/client.js';
import { userPoolClientRoundTrip } from '../../src/model/fixes.js';
import { DataGap } from '../../src/check-kit.js';
import { defineClientCheck } from '../../src/engine/define.js';
import { consoleStepsOf, type ClientRef } from '../../src/engine/client-context.js';
import { describeDifference, nearestUrl, type UrlDifference } from '../../src/client/urls.js';
import { REDIRECT_MISMATCH } from '../../src/catalog/app-client-modes.js';
import { HTTP_CALLBACK_REJECTED } from '../../src/catalog/app-client-modes.js';

const DOCS = [
  'https://docs.aws.amazon.com/cognito/latest/developerguide/authorization-endpoint.html',
  'https://docs.aws.amazon.com/cognito/latest/developerguide/logout-endpoint.html',
  'https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-app-idp-settings.html',
];

const ADD_URL = (field: 'CallbackURLs' | 'LogoutURLs') => `.${field} = ((.${field} // []) + [$url] | unique)`;

/** A URL the relying party sends that the client does not register, and the registered URL nearest to it. */
interface UrlProblem extends ClientRef {
  field: 'CallbackURLs' | 'LogoutURLs';
  url: string;
  nearest?: { url: string; differences: UrlDifference[] };
}

/** A plain-HTTP URL the relying party sends (`sent`), or the plain-HTTP URLs the client already has. */
interface HttpProblem extends ClientRef {
  sent?: string;
  registered: string[];
}

/** The wording of a redirect or sign-out URL the client does not register. */
const NOT_REGISTERED = {
  message: (d: UrlProblem) =>
    `The app client ${d.clientName} has no ${d.field} entry ${d.url}.${
      d.nearest ? ` The nearest registered URL is ${d.nearest.url} (${d.nearest.differences.map(describeDifference).join(', ')}).` : ` ${d.field} is empty.`
    }`,
  fix: (d: UrlProblem) => ({
    summary: d.nearest
      ? `Add ${d.url} to ${d.field} of ${d.clientName} (keeping every other client setting), or make the relying party send ${d.nearest.url}.`
      : `Add ${d.url} to ${d.field} of ${d.clientName}, keeping every other client setting.`,
    steps: [
      consoleStepsOf(d),
      `Add ${d.url} under Allowed ${d.field === 'CallbackURLs' ? 'callback' : 'sign-out'} URLs, exactly as the relying party sends it; Save.`,
    ],
    commands: userPoolClientRoundTrip(d.userPoolId, d.clientId, ADD_URL(d.field), { url: d.url }),
  }),
};

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
  messages: {
    'redirect-mismatch': NOT_REGISTERED,
    'logout-url-not-registered': NOT_REGISTERED,
    'http-callback-rejected': {
      message: (d: HttpProblem) =>
        d.sent !== undefined
          ? `The relying party uses ${d.sent}, which Cognito refuses to register: only http://localhost may use plain HTTP.`
          : `The app client ${d.clientName} has plain-HTTP URL${d.registered.length > 1 ? 's' : ''} ${d.registered.join(', ')}, which Cognito refuses: the client cannot be updated until ${d.registered.length > 1 ? 'they use' : 'it uses'} HTTPS.`,
      fix: (d: HttpProblem) =>
        d.sent !== undefined
          ? {
              summary: `Serve the relying party over HTTPS and use ${d.sent.replace(/^http:/i, 'https:')} (then register that URL).`,
              steps: ['Terminate TLS in front of the relying party (a load balancer listener, the gateway), then change its redirect URL to https://.'],
            }
          : {
              summary: `Replace ${d.registered.join(', ')} with the https:// form, keeping every other client setting.`,
              steps: [consoleStepsOf(d), 'Change the http:// URLs to https:// under Allowed callback URLs and Allowed sign-out URLs; Save.'],
              commands: userPoolClientRoundTrip(
                d.userPoolId,
                d.clientId,
                'def fix: if (. as $u | $bad | index($u)) then sub("^[Hh][Tt][Tt][Pp]://"; "https://") else . end; .CallbackURLs = ((.CallbackURLs // []) | map(fix) | unique) | .LogoutURLs = ((.LogoutURLs // []) | map(fix) | unique)',
                { bad: d.registered },
              ),
            },
    },
  },
  run(ctx) {
    const { party } = ctx;
    if (party.flow === 'client_credentials') throw new DataGap({ kind: 'not-applicable', reason: 'client_credentials redirects no browser' });
    const client = ctx.client();
    const { clientId } = ctx.reads;
    const problems = [];
    const registeredHttp = [...new Set([...httpUrls(client.CallbackURLs), ...httpUrls(client.LogoutURLs)])];
    const sentHttp = [...new Set([...httpUrls(party.redirectUris), ...httpUrls(party.logoutUris)])];
    for (const url of sentHttp) {
      problems.push({
        mode: 'http-callback-rejected' as const,
        resource: ctx.resource,
        data: { ...ctx.ref, sent: url, registered: [] } as HttpProblem,
        evidence: { clientId, url, allowedPlainHttpHosts: ['localhost', '127.0.0.1', '[::1]'] },
      });
    }
    if (registeredHttp.length > 0) {
      problems.push({
        mode: 'http-callback-rejected' as const,
        resource: ctx.resource,
        data: { ...ctx.ref, registered: registeredHttp } as HttpProblem,
        evidence: { clientId, httpUrls: registeredHttp },
      });
    }
    const fields = [
      { mode: 'redirect-mismatch', field: 'CallbackURLs', sent: party.redirectUris, registered: client.CallbackURLs ?? [] },
      { mode: 'logout-url-not-registered', field: 'LogoutURLs', sent: party.logoutUris, registered: client.LogoutURLs ?? [] },
    ] as const;
    for (const { mode, field, sent, registered } of fields) {
      for (const url of sent) {
        if (sentHttp.includes(url) || registered.includes(url)) continue;
        const nearest = nearestUrl(url, registered);
        problems.push({
          mode,
          resource: ctx.resource,
          data: { ...ctx.ref, field, url, ...(nearest ? { nearest } : {}) } as UrlProblem,
          evidence: { clientId, sent: url, [field]: registered, ...(nearest ? { nearest: nearest.url, differences: nearest.differences } : {}) },
        });
      }
    }
    if (party.redirectUris.length === 0 && party.logoutUris.length === 0 && problems.length === 0) {
      ctx.note({
        kind: 'not-evaluated',
        reason: 'no --redirect-uri or --logout-uri was given: pass the URLs the relying party sends to compare them with the client',
      });
    }
    return problems;
  },
});
