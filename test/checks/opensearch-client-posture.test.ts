import { describe, expect, it } from 'vitest';
import type { Snapshot, UserPoolClientType } from '../../src/index.js';
import { loadFixture, runCheck, variant } from '../helpers.js';
import { problemsOf } from '../../src/testing.js';
import check from '../../checks/opensearch-client-posture.js';

const CHECK = 'opensearch-client-posture';
const UP = 'eu-west-1_Xk2LmQp7A';
const CID = '4q8v2n6k1m3p5r7t9w0y2a4c6e';
const fgac = loadFixture('healthy/opensearch-fgac.json');
const legacy = loadFixture('healthy/legacy-es-kibana.json');
const client = (s: Snapshot): UserPoolClientType => s.userPoolClients![0]!;
const ENDPOINT = 'https://search-logs-prod-4kq2vqyzt7bxnnyfxm2lyu3ham.eu-west-1.es.amazonaws.com/_dashboards/app/home';

const valid: Array<[string, Snapshot]> = [
  ['healthy OpenSearch domain', fgac],
  ['healthy legacy domain', legacy],
  ['healthy custom endpoint', loadFixture('healthy/custom-endpoint.json')],
  ['healthy token groups', loadFixture('healthy/token-groups.json')],
  ['a plain-HTTP proxy URL (http-callback-rejected reports it)', loadFixture('fail/http-callback-rejected.json')],
  ['an HTTPS proxy in front of Dashboards on another host', loadFixture('fail/redirect-mismatch.json')],
  [
    'a Kibana proxy on another host (legacy path)',
    variant(legacy, (s) => client(s).CallbackURLs!.push('https://kibana.internal.example.com/_plugin/kibana/app/kibana')),
  ],
  ['VPC endpoint callbacks', loadFixture('fail/redirect-mismatch--vpc.json')],
  ['implicit without code (oauth-flows-not-enabled reports it)', loadFixture('fail/oauth-flows-not-enabled--implicit.json')],
  [
    'a hand-made client without a secret, found through the identity pool',
    variant(loadFixture('fail/opensearch-app-client-deleted-or-bypassed--hand-made-twin.json'), (s) => delete client(s).ClientSecret),
  ],
  [
    'another app client without a secret and with implicit',
    variant(fgac, (s) => {
      s.userPoolClients!.push({
        UserPoolId: UP,
        ClientName: 'logs-portal-web',
        ClientId: '7c3e9g1j5l7n9p1r3t5v7x9z1b',
        AllowedOAuthFlows: ['implicit'],
        CallbackURLs: ['http://localhost:3000/'],
      });
    }),
  ],
  ['a malformed callback URL (the callback checks report it)', variant(fgac, (s) => client(s).CallbackURLs!.push('not a url'))],
];

describe(`${CHECK}: stays quiet`, () => {
  it.each(valid)('%s', (_name, snapshot) => {
    const r = runCheck(CHECK, snapshot);
    expect(r.ids).toEqual([]);
    expect(r.status).toBe('pass');
  });
});

describe(`${CHECK}: opensearch-client-extra-flows`, () => {
  it.each([
    [
      'implicit and http://localhost (fixture)',
      loadFixture('fail/opensearch-client-extra-flows.json'),
      { implicit: true, extraCallbacks: [{ url: 'http://localhost:5601/_dashboards/app/home', kind: 'loopback' }] },
    ],
    [
      "another application's callback (fixture)",
      loadFixture('fail/opensearch-client-extra-flows--other-app.json'),
      { implicit: false, extraCallbacks: [{ url: 'https://portal.example.com/auth/callback', kind: 'other-app' }] },
    ],
    [
      'https://127.0.0.1 with any path',
      variant(fgac, (s) => client(s).CallbackURLs!.push('https://127.0.0.1:8443/callback')),
      { extraCallbacks: [{ url: 'https://127.0.0.1:8443/callback', kind: 'loopback' }] },
    ],
    ['implicit next to code only', variant(fgac, (s) => (client(s).AllowedOAuthFlows = ['implicit', 'code'])), { implicit: true, extraCallbacks: [] }],
  ] as const)('%s', (_name, snapshot, evidence) => {
    const r = runCheck(CHECK, snapshot);
    expect(r.status).toBe('fail');
    expect(r.ids).toEqual(['opensearch-client-extra-flows']);
    expect(r.findings[0]!.severity).toBe('warning');
    expect(r.findings[0]!.evidence).toMatchObject({ clientId: CID, ...evidence });
  });

  it('the fix round-trips the real client, removing the flow and the URLs', () => {
    const [finding] = runCheck(CHECK, loadFixture('fail/opensearch-client-extra-flows.json')).findings;
    const commands = finding!.fix.commands!;
    expect(commands[0]).toContain(`--user-pool-id ${UP} --client-id ${CID}`);
    expect(commands[1]).toContain(`--argjson flows '["implicit"]' --argjson urls '["http://localhost:5601/_dashboards/app/home"]'`);
    expect(commands[1]).not.toContain(ENDPOINT);
    expect(commands[2]).toContain('update-user-pool-client');
  });
});

describe(`${CHECK}: client-secret-placement`, () => {
  it.each([
    ['ClientSecret absent (fixture)', loadFixture('fail/client-secret-placement.json')],
    ['ClientSecret empty', variant(fgac, (s) => (client(s).ClientSecret = ''))],
    ['legacy client without a secret', variant(legacy, (s) => delete client(s).ClientSecret)],
  ])('%s', (_name, snapshot) => {
    const r = runCheck(CHECK, snapshot);
    expect(r.ids).toEqual(['client-secret-placement']);
    expect(r.findings[0]!.severity).toBe('warning');
    expect(r.findings[0]!.evidence).toMatchObject({ ClientSecret: 'absent' });
  });

  it('the fix has the service re-create its client, with the real pools and role', () => {
    const [finding] = runCheck(CHECK, loadFixture('fail/client-secret-placement.json')).findings;
    expect(finding!.fix.commands).toEqual([
      `aws opensearch update-domain-config --region eu-west-1 --domain-name logs-prod --cognito-options '{"Enabled":false}'`,
      `aws opensearch update-domain-config --region eu-west-1 --domain-name logs-prod --cognito-options '{"Enabled":true,"UserPoolId":"${UP}","IdentityPoolId":"eu-west-1:5f0c7a3e-2b1d-4e8f-9a6c-3d7e1b2f4a90","RoleArn":"arn:aws:iam::123456789012:role/service-role/CognitoAccessForAmazonOpenSearch"}'`,
    ]);
  });

  it('both findings on one client', () => {
    const r = runCheck(
      CHECK,
      variant(loadFixture('fail/opensearch-client-extra-flows.json'), (s) => delete client(s).ClientSecret),
    );
    expect(r.ids.sort()).toEqual(['client-secret-placement', 'opensearch-client-extra-flows']);
  });
});

describe(`${CHECK}: partial reads`, () => {
  it('ListUserPoolClients denied → unknown', () => {
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

  it('the OpenSearch client is gone → pass (opensearch-app-client reports it)', () => {
    expect(runCheck(CHECK, loadFixture('fail/opensearch-app-client-deleted-or-bypassed.json')).status).toBe('pass');
  });
});

describe(`${CHECK}: problems and their wording`, () => {
  it('opensearch-client-extra-flows: the data the message is worded from', () => {
    const snapshot = loadFixture('fail/opensearch-client-extra-flows.json');
    expect(problemsOf(check, snapshot).find((p) => p.mode === 'opensearch-client-extra-flows')).toMatchObject({
      data: { implicit: true, extraCallbacks: [{ url: 'http://localhost:5601/_dashboards/app/home', kind: 'loopback' }] },
    });
    expect(runCheck(CHECK, snapshot).findings.find((f) => f.id === 'opensearch-client-extra-flows')!.message).toBe(
      'The OpenSearch app client AmazonOpenSearchService-logs-prod-eu-west-1-4kq2vqyzt7bxnnyfxm2lyu3ham allows the implicit flow and loopback callback URLs (http://localhost:5601/_dashboards/app/home), beyond the code flow to the domain that Dashboards needs.',
    );
  });
  it('client-secret-placement: the data the message is worded from', () => {
    const snapshot = loadFixture('fail/client-secret-placement.json');
    expect(problemsOf(check, snapshot).find((p) => p.mode === 'client-secret-placement')).toMatchObject({
      data: { clientId: '4q8v2n6k1m3p5r7t9w0y2a4c6e', domainName: 'logs-prod', domainRegion: 'eu-west-1' },
    });
    expect(runCheck(CHECK, snapshot).findings.find((f) => f.id === 'client-secret-placement')!.message).toBe(
      'The OpenSearch app client AmazonOpenSearchService-logs-prod-eu-west-1-4kq2vqyzt7bxnnyfxm2lyu3ham (4q8v2n6k1m3p5r7t9w0y2a4c6e) has no client secret (DescribeUserPoolClient returned no ClientSecret), so it is not the confidential client OpenSearch Service creates.',
    );
  });
});
