import { describe, expect, it } from 'vitest';
import type { Snapshot, UserPoolClientType } from '../../src/index.js';
import { loadFixture, runCheck, variant } from '../helpers.js';
import { problemsOf } from '../../src/testing.js';
import check from '../../checks/opensearch-app-client-drift.js';

const CHECK = 'opensearch-app-client-drift';
const ID = 'opensearch-app-client-overwritten';
const UP = 'eu-west-1_Xk2LmQp7A';
const CLIENT = '4q8v2n6k1m3p5r7t9w0y2a4c6e';
const ENDPOINT = 'search-logs-prod-4kq2vqyzt7bxnnyfxm2lyu3ham.eu-west-1.es.amazonaws.com';
const fgac = loadFixture('healthy/opensearch-fgac.json');

/** The OpenSearch client changed after its creation. */
function edited(edit: (client: UserPoolClientType) => void, base: Snapshot = fgac): Snapshot {
  return variant(base, (s) => {
    const client = s.userPoolClients!.find((c) => c.ClientId === CLIENT)!;
    edit(client);
    (client as Record<string, unknown>)['LastModifiedDate'] = '2026-10-02T14:12:09Z';
  });
}

const valid: Array<[string, Snapshot]> = [
  ...['opensearch-fgac', 'custom-endpoint', 'legacy-es-kibana', 'token-groups', 'managed-login'].map((n): [string, Snapshot] => [
    `healthy ${n}`,
    loadFixture(`healthy/${n}.json`),
  ]),
  ["modified, but nothing differs from the service's settings", edited(() => undefined)],
  [
    'scopes differ, but LastModifiedDate equals CreationDate: this is how the service made it',
    variant(fgac, (s) => (s.userPoolClients![0]!.AllowedOAuthScopes = ['email', 'openid'])),
  ],
  ['openid removed: oauth-scopes-missing reports the scopes', edited((c) => (c.AllowedOAuthScopes = ['email', 'phone', 'profile']))],
  ['the implicit flow added: opensearch-client-extra-flows', edited((c) => (c.AllowedOAuthFlows = ['code', 'implicit']))],
  ['code flow gone: oauth-flows-not-enabled', edited((c) => (c.AllowedOAuthFlows = ['implicit']))],
  [
    'a proxy URL on another host',
    edited((c) => ((c.CallbackURLs = [...c.CallbackURLs!, 'https://dashboards.example.com/_dashboards/app/home']), (c.LogoutURLs = c.CallbackURLs))),
  ],
  ['a loopback callback: opensearch-client-extra-flows', edited((c) => (c.CallbackURLs = [...c.CallbackURLs!, 'http://localhost:5601/_dashboards/app/home']))],
  ['the Dashboards URL missing next to a stray one: redirect-mismatch', edited((c) => (c.CallbackURLs = [`https://${ENDPOINT}/_dashboards/`]))],
  ['federated sign-in only (COGNITO removed, a SAML provider kept): a legitimate choice', edited((c) => (c.SupportedIdentityProviders = ['CorpEntraID']))],
  [
    "a hand-made twin found through the identity pool is not the service's client",
    loadFixture('fail/opensearch-app-client-deleted-or-bypassed--hand-made-twin.json'),
  ],
  ['the fixtures of the tier-1 client checks', loadFixture('fail/oauth-flows-not-enabled--partial-update.json')],
  ['the Elasticsearch-era path after an upgrade, without the new one: redirect-mismatch', loadFixture('fail/redirect-mismatch--es-upgrade.json')],
  [
    'upgraded from Elasticsearch: the AWSElasticsearch-… client keeps the Kibana URL the service set, next to the Dashboards one (fixture)',
    loadFixture('healthy/es-upgraded-kibana-callback.json'),
  ],
];

describe(`${CHECK}: stays quiet`, () => {
  it.each(valid)('%s', (_name, snapshot) => {
    expect(runCheck(CHECK, snapshot)).toMatchObject({ status: 'pass', ids: [] });
  });
});

describe(`${CHECK}: fires`, () => {
  it('Terraform applied its own scopes: phone and profile gone (fixture)', () => {
    const r = runCheck(CHECK, loadFixture('fail/opensearch-app-client-overwritten.json'));
    expect(r.ids).toEqual([ID]);
    const [finding] = r.findings;
    expect(finding!.severity).toBe('warning');
    expect(finding!.resource).toBe(`arn:aws:cognito-idp:eu-west-1:123456789012:userpool/${UP}`);
    expect(finding!.evidence).toMatchObject({
      clientId: CLIENT,
      LastModifiedDate: '2026-10-02T14:12:09.000Z',
      AllowedOAuthScopes: { removed: ['phone', 'profile'], added: [] },
    });
    expect(finding!.message).toContain('scopes without phone, profile');
    expect(problemsOf(check, loadFixture('fail/opensearch-app-client-overwritten.json'))).toMatchObject([
      { mode: ID, data: { userPoolId: UP, clientId: CLIENT, AllowedOAuthScopes: { removed: ['phone', 'profile'], added: [] } } },
    ]);
  });

  it('an Elasticsearch-era client keeps its Kibana URL, but another path on the domain still counts', () => {
    const s = variant(loadFixture('healthy/es-upgraded-kibana-callback.json'), (x) => {
      const client = x.userPoolClients![0]!;
      client.CallbackURLs = [...client.CallbackURLs!, `https://${ENDPOINT}/_dashboards/`];
    });
    const r = runCheck(CHECK, s);
    expect(r.ids).toEqual([ID]);
    expect(r.findings[0]!.evidence).toMatchObject({ urls: { extra: [`https://${ENDPOINT}/_dashboards/`] } });
  });

  it('the old Kibana path next to the Dashboards URL (fixture)', () => {
    const r = runCheck(CHECK, loadFixture('fail/opensearch-app-client-overwritten--kibana-path.json'));
    expect(r.ids).toEqual([ID]);
    expect(r.findings[0]!.evidence).toMatchObject({ urls: { extra: [`https://${ENDPOINT}/_plugin/kibana/app/kibana`] } });
  });

  it('a scope added', () => {
    const r = runCheck(
      CHECK,
      edited((c) => (c.AllowedOAuthScopes = [...c.AllowedOAuthScopes!, 'aws.cognito.signin.user.admin'])),
    );
    expect(r.findings[0]!.evidence).toMatchObject({ AllowedOAuthScopes: { removed: [], added: ['aws.cognito.signin.user.admin'] } });
  });

  it('a hand-written snapshot without dates still compares the settings', () => {
    const s = variant(loadFixture('fail/opensearch-app-client-overwritten.json'), (x) => {
      delete x.userPoolClients![0]!.CreationDate;
      delete x.userPoolClients![0]!.LastModifiedDate;
    });
    expect(runCheck(CHECK, s).ids).toEqual([ID]);
  });

  it('the fix restores the scopes on the real client with a round trip', () => {
    const [finding] = runCheck(CHECK, loadFixture('fail/opensearch-app-client-overwritten.json')).findings;
    expect(finding!.fix.commands).toEqual([
      `aws cognito-idp describe-user-pool-client --region eu-west-1 --user-pool-id ${UP} --client-id ${CLIENT} --query UserPoolClient > client.json`,
      `jq --argjson scopes '["email","openid","phone","profile"]' '.AllowedOAuthScopes = $scopes | del(.ClientSecret, .CreationDate, .LastModifiedDate)' client.json > client-fixed.json`,
      'aws cognito-idp update-user-pool-client --region eu-west-1 --cli-input-json file://client-fixed.json',
    ]);
  });

  it('the fix removes only the stray URLs', () => {
    const [finding] = runCheck(CHECK, loadFixture('fail/opensearch-app-client-overwritten--kibana-path.json')).findings;
    expect(finding!.fix.commands![1]).toContain('.CallbackURLs = ((.CallbackURLs // []) - $stray)');
    expect(finding!.fix.commands![1]).toContain(`/_plugin/kibana/app/kibana`);
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
