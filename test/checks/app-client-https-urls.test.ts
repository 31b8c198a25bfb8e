import { describe, expect, it } from 'vitest';
import type { Snapshot, UserPoolClientType } from '../../src/index.js';
import { loadFixture, runCheck, variant } from '../helpers.js';
import { problemsOf } from '../../src/testing.js';
import check from '../../checks/app-client-https-urls.js';

const CHECK = 'app-client-https-urls';
const ID = 'http-callback-rejected';
const fgac = loadFixture('healthy/opensearch-fgac.json');
const UP = 'eu-west-1_Xk2LmQp7A';
const CID = '4q8v2n6k1m3p5r7t9w0y2a4c6e';
const PROXY = 'http://dashboards.internal.example.com/_dashboards/app/home';
const client = (s: Snapshot): UserPoolClientType => s.userPoolClients![0]!;
const addCallback = (url: string) => variant(fgac, (s) => client(s).CallbackURLs!.push(url));

const valid: Array<[string, Snapshot]> = [
  ['healthy OpenSearch domain', fgac],
  ['healthy legacy Elasticsearch domain', loadFixture('healthy/legacy-es-kibana.json')],
  ['http://localhost with a port', addCallback('http://localhost:5601/_dashboards/app/home')],
  ['http://127.0.0.1', addCallback('http://127.0.0.1:9200/_dashboards/app/home')],
  ['http://[::1]', addCallback('http://[::1]:5601/_dashboards/app/home')],
  ['HTTP://LOCALHOST in capitals', addCallback('HTTP://LOCALHOST/_dashboards/app/home')],
  ['a custom-scheme app URL', addCallback('myapp://callback')],
  [
    'a plain-HTTP URL on a hand-made client, not the OpenSearch one',
    variant(fgac, (s) =>
      s.userPoolClients!.push({ UserPoolId: UP, ClientName: 'legacy-intranet', ClientId: '2b4d6f8h0j2l4n6p8r0t2v4x6z', CallbackURLs: [PROXY] }),
    ),
  ],
];

describe(`${CHECK}: stays quiet`, () => {
  it.each(valid)('%s', (_name, snapshot) => {
    const r = runCheck(CHECK, snapshot);
    expect(r.ids).toEqual([]);
    expect(r.status).toBe('pass');
  });
});

const invalid: Array<[string, Snapshot, Record<string, unknown>]> = [
  [
    'a plain-HTTP proxy callback and sign-out URL (fixture)',
    loadFixture('fail/http-callback-rejected.json'),
    { clientId: CID, CallbackURLs: [PROXY], LogoutURLs: [PROXY] },
  ],
  [
    'a sign-out URL only',
    variant(fgac, (s) => client(s).LogoutURLs!.push('http://logs.example.com/logout')),
    { LogoutURLs: ['http://logs.example.com/logout'] },
  ],
  [
    'a DefaultRedirectURI',
    variant(fgac, (s) => (client(s).DefaultRedirectURI = 'http://logs.example.com/')),
    { DefaultRedirectURI: ['http://logs.example.com/'] },
  ],
  ['upper-case scheme', addCallback('HTTP://logs.example.com/_dashboards/app/home'), { CallbackURLs: ['HTTP://logs.example.com/_dashboards/app/home'] }],
  ['a host that only starts with localhost', addCallback('http://localhost.example.com/cb'), { CallbackURLs: ['http://localhost.example.com/cb'] }],
];

describe(`${CHECK}: fires`, () => {
  it.each(invalid)('%s', (_name, snapshot, evidence) => {
    const r = runCheck(CHECK, snapshot);
    expect(r.status).toBe('fail');
    expect(r.ids).toEqual([ID]);
    expect(r.findings[0]!.severity).toBe('error');
    expect(r.findings[0]!.evidence).toMatchObject(evidence);
  });

  it('the fix round-trips the real client and rewrites only the listed URLs to https', () => {
    const [finding] = runCheck(CHECK, loadFixture('fail/http-callback-rejected.json')).findings;
    const commands = finding!.fix.commands!;
    expect(commands[0]).toContain(`--user-pool-id ${UP} --client-id ${CID}`);
    expect(commands[1]).toContain(`--argjson bad '["${PROXY}"]'`);
    expect(commands[1]).toContain('sub("^[Hh][Tt][Tt][Pp]://"; "https://")');
    expect(finding!.fix.summary).toContain('https://dashboards.internal.example.com/_dashboards/app/home');
  });
});

describe(`${CHECK}: partial reads`, () => {
  it('ListUserPoolClients denied → unknown, naming the permission', () => {
    const r = runCheck(
      CHECK,
      variant(fgac, (s) => {
        delete s.userPoolClients;
        s.errors = [{ operation: 'cognito-idp:ListUserPoolClients', resource: UP, code: 'AccessDeniedException' }];
      }),
    );
    expect(r.status).toBe('unknown');
    expect(r.reason).toContain('cognito-idp:ListUserPoolClients');
  });
});

describe(`${CHECK}: problems and their wording`, () => {
  it('http-callback-rejected: the data the message is worded from', () => {
    const snapshot = loadFixture('fail/http-callback-rejected.json');
    expect(problemsOf(check, snapshot).find((p) => p.mode === 'http-callback-rejected')).toMatchObject({
      data: {
        CallbackURLs: ['http://dashboards.internal.example.com/_dashboards/app/home'],
        LogoutURLs: ['http://dashboards.internal.example.com/_dashboards/app/home'],
      },
    });
    expect(runCheck(CHECK, snapshot).findings.find((f) => f.id === 'http-callback-rejected')!.message).toBe(
      'The app client AmazonOpenSearchService-logs-prod-eu-west-1-4kq2vqyzt7bxnnyfxm2lyu3ham has plain-HTTP CallbackURLs and LogoutURLs entry http://dashboards.internal.example.com/_dashboards/app/home, which Cognito refuses: the client cannot be updated until it uses HTTPS.',
    );
  });
});
