import { describe, expect, it } from 'vitest';
import type { Snapshot, UserPoolClientType } from '../../src/index.js';
import { loadFixture, runCheck, variant } from '../helpers.js';
import { problemsOf } from '../../src/testing.js';
import check from '../../checks/app-client-oauth.js';

const CHECK = 'app-client-oauth';
const fgac = loadFixture('healthy/opensearch-fgac.json');
const UP = 'eu-west-1_Xk2LmQp7A';
const CID = '4q8v2n6k1m3p5r7t9w0y2a4c6e';
const client = (s: Snapshot): UserPoolClientType => s.userPoolClients![0]!;

const valid: Array<[string, Snapshot]> = [
  ['healthy OpenSearch domain', fgac],
  ['healthy legacy Elasticsearch domain', loadFixture('healthy/legacy-es-kibana.json')],
  ['healthy custom endpoint', loadFixture('healthy/custom-endpoint.json')],
  ['code and implicit flows', variant(fgac, (s) => (client(s).AllowedOAuthFlows = ['implicit', 'code']))],
  ['only openid and email', variant(fgac, (s) => (client(s).AllowedOAuthScopes = ['openid', 'email']))],
  ['extra scopes', variant(fgac, (s) => client(s).AllowedOAuthScopes!.push('aws.cognito.signin.user.admin'))],
  [
    'a hand-made client without OAuth next to the service client',
    variant(fgac, (s) =>
      s.userPoolClients!.unshift({
        UserPoolId: UP,
        ClientName: 'cli-tool',
        ClientId: '2b4d6f8h0j2l4n6p8r0t2v4x6z',
        AllowedOAuthFlowsUserPoolClient: false,
        ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH'],
      }),
    ),
  ],
  ['the service client is gone (opensearch-app-client reports it)', variant(fgac, (s) => (s.userPoolClients = []))],
];

describe(`${CHECK}: stays quiet`, () => {
  it.each(valid)('%s', (_name, snapshot) => {
    const r = runCheck(CHECK, snapshot);
    expect(r.ids).toEqual([]);
    expect(r.status).toBe('pass');
  });
});

const invalid: Array<{ name: string; snapshot: Snapshot; ids: string[]; severity: Record<string, string>; evidence: Record<string, Record<string, unknown>> }> =
  [
    {
      name: 'OAuth switched off on the client (fixture)',
      snapshot: loadFixture('fail/oauth-flows-not-enabled.json'),
      ids: ['oauth-flows-not-enabled'],
      severity: { 'oauth-flows-not-enabled': 'error' },
      evidence: { 'oauth-flows-not-enabled': { clientId: CID, AllowedOAuthFlowsUserPoolClient: false, AllowedOAuthFlows: ['code'] } },
    },
    {
      name: 'only the implicit flow (fixture)',
      snapshot: loadFixture('fail/oauth-flows-not-enabled--implicit.json'),
      ids: ['oauth-flows-not-enabled'],
      severity: { 'oauth-flows-not-enabled': 'error' },
      evidence: { 'oauth-flows-not-enabled': { AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['implicit'] } },
    },
    {
      name: 'flag unset after a partial update',
      snapshot: variant(fgac, (s) => delete client(s).AllowedOAuthFlowsUserPoolClient),
      ids: ['oauth-flows-not-enabled'],
      severity: { 'oauth-flows-not-enabled': 'error' },
      evidence: { 'oauth-flows-not-enabled': { AllowedOAuthFlowsUserPoolClient: null } },
    },
    {
      name: 'neither openid nor email (fixture)',
      snapshot: loadFixture('fail/oauth-scopes-missing.json'),
      ids: ['oauth-scopes-missing'],
      severity: { 'oauth-scopes-missing': 'error' },
      evidence: { 'oauth-scopes-missing': { missing: ['openid', 'email'], AllowedOAuthScopes: ['aws.cognito.signin.user.admin'] } },
    },
    {
      name: 'email missing only: a warning (fixture)',
      snapshot: loadFixture('fail/oauth-scopes-missing--email.json'),
      ids: ['oauth-scopes-missing'],
      severity: { 'oauth-scopes-missing': 'warning' },
      evidence: { 'oauth-scopes-missing': { missing: ['email'] } },
    },
    {
      name: 'openid missing only: an error',
      snapshot: variant(fgac, (s) => (client(s).AllowedOAuthScopes = ['email', 'phone', 'profile'])),
      ids: ['oauth-scopes-missing'],
      severity: { 'oauth-scopes-missing': 'error' },
      evidence: { 'oauth-scopes-missing': { missing: ['openid'] } },
    },
    {
      name: 'partial update-user-pool-client reset everything (fixture)',
      snapshot: loadFixture('fail/oauth-flows-not-enabled--partial-update.json'),
      ids: ['oauth-flows-not-enabled', 'oauth-scopes-missing'],
      severity: { 'oauth-flows-not-enabled': 'error', 'oauth-scopes-missing': 'error' },
      evidence: { 'oauth-flows-not-enabled': { AllowedOAuthFlows: [] }, 'oauth-scopes-missing': { AllowedOAuthScopes: [] } },
    },
  ];

describe(`${CHECK}: fires`, () => {
  it.each(invalid.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const r = runCheck(CHECK, c.snapshot);
    expect(r.status).toBe('fail');
    expect([...r.ids].sort()).toEqual(c.ids);
    for (const finding of r.findings) {
      expect(finding.severity).toBe(c.severity[finding.id]);
      expect(finding.evidence).toMatchObject(c.evidence[finding.id]!);
    }
  });

  it('the fix is a round trip on the real client that restores code flow and the service scopes', () => {
    const [finding] = runCheck(CHECK, loadFixture('fail/oauth-flows-not-enabled.json')).findings;
    const commands = finding!.fix.commands!;
    expect(commands[0]).toContain(`--user-pool-id ${UP} --client-id ${CID}`);
    expect(commands[1]).toContain(`--argjson scopes '["email","openid","phone","profile"]'`);
    expect(commands[1]).toContain('.AllowedOAuthFlowsUserPoolClient = true');
    expect(commands[1]).toContain('del(.ClientSecret, .CreationDate, .LastModifiedDate)');
    expect(commands[2]).toContain('update-user-pool-client --region eu-west-1 --cli-input-json file://client-fixed.json');
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

  it('user pool deleted → not applicable', () => {
    const r = runCheck(CHECK, loadFixture('fail/user-pool-not-found.json'));
    expect(r.status).toBe('not-applicable');
  });
});

describe(`${CHECK}: problems and their wording`, () => {
  it('oauth-flows-not-enabled: the data the message is worded from', () => {
    const snapshot = loadFixture('fail/oauth-flows-not-enabled.json');
    expect(problemsOf(check, snapshot).find((p) => p.mode === 'oauth-flows-not-enabled')).toMatchObject({ data: { AllowedOAuthFlowsUserPoolClient: false } });
    expect(runCheck(CHECK, snapshot).findings.find((f) => f.id === 'oauth-flows-not-enabled')!.message).toBe(
      'The app client AmazonOpenSearchService-logs-prod-eu-west-1-4kq2vqyzt7bxnnyfxm2lyu3ham cannot use the authorization code flow Dashboards starts: AllowedOAuthFlowsUserPoolClient is false.',
    );
  });
  it('oauth-scopes-missing: the data the message is worded from', () => {
    const snapshot = loadFixture('fail/oauth-scopes-missing--email.json');
    expect(problemsOf(check, snapshot).find((p) => p.mode === 'oauth-scopes-missing')).toMatchObject({
      data: { AllowedOAuthScopes: ['openid', 'profile'], missing: ['email'] },
    });
    expect(runCheck(CHECK, snapshot).findings.find((f) => f.id === 'oauth-scopes-missing')!.message).toBe(
      'The app client AmazonOpenSearchService-logs-prod-eu-west-1-4kq2vqyzt7bxnnyfxm2lyu3ham does not allow the scope email that Dashboards requests (AllowedOAuthScopes is ["openid","profile"]).',
    );
  });
});
