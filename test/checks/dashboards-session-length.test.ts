import { describe, expect, it } from 'vitest';
import type { Snapshot, UserPoolClientType } from '../../src/index.js';
import { loadFixture, runCheck, variant } from '../helpers.js';

const CHECK = 'dashboards-session-length';
const ID = 'global-signout-revokes-sessions';
const UP = 'eu-west-1_Xk2LmQp7A';
const CLIENT = '4q8v2n6k1m3p5r7t9w0y2a4c6e';
const fgac = loadFixture('healthy/opensearch-fgac.json');

function client(edit: (c: UserPoolClientType) => void): Snapshot {
  return variant(fgac, (s) => edit(s.userPoolClients!.find((c) => c.ClientId === CLIENT)!));
}

const valid: Array<[string, Snapshot]> = [
  ...['opensearch-fgac', 'custom-endpoint', 'legacy-es-kibana', 'token-groups', 'managed-login'].map((n): [string, Snapshot] => [
    `healthy ${n}`,
    loadFixture(`healthy/${n}.json`),
  ]),
  ["ExplicitAuthFlows absent: Cognito's defaults include refresh", client((c) => delete c.ExplicitAuthFlows)],
  ['legacy flow names only: refresh is implied', client((c) => (c.ExplicitAuthFlows = ['ADMIN_NO_SRP_AUTH']))],
  ['refresh for one day', client((c) => ((c.RefreshTokenValidity = 1), (c.TokenValidityUnits = { RefreshToken: 'days' })))],
  ['refresh for exactly eight hours', client((c) => ((c.RefreshTokenValidity = 8), (c.TokenValidityUnits = { RefreshToken: 'hours' })))],
  ['no validity fields at all: 30 days by default', client((c) => (delete c.RefreshTokenValidity, delete c.TokenValidityUnits))],
  [
    'a 5-minute ID token with refresh allowed',
    client((c) => ((c.IdTokenValidity = 5), (c.TokenValidityUnits = { ...c.TokenValidityUnits, IdToken: 'minutes' }))),
  ],
];

describe(`${CHECK}: stays quiet on sessions that last`, () => {
  it.each(valid)('%s', (_name, snapshot) => {
    expect(runCheck(CHECK, snapshot)).toMatchObject({ status: 'pass', ids: [] });
  });
});

describe(`${CHECK}: fires, as information`, () => {
  it('ALLOW_REFRESH_TOKEN_AUTH removed (fixture)', () => {
    const r = runCheck(CHECK, loadFixture('fail/global-signout-revokes-sessions.json'));
    expect(r.ids).toEqual([ID]);
    const [finding] = r.findings;
    expect(finding!.severity).toBe('info');
    expect(finding!.evidence).toMatchObject({ clientId: CLIENT, refreshAllowed: false, sessionMinutes: 60 });
    expect(finding!.message).toContain('after at most 1 hour');
    expect(finding!.fix.commands).toEqual([
      `aws cognito-idp describe-user-pool-client --region eu-west-1 --user-pool-id ${UP} --client-id ${CLIENT} --query UserPoolClient > client.json`,
      `jq '.ExplicitAuthFlows = ((.ExplicitAuthFlows // []) + ["ALLOW_REFRESH_TOKEN_AUTH"] | unique) | del(.ClientSecret, .CreationDate, .LastModifiedDate)' client.json > client-fixed.json`,
      'aws cognito-idp update-user-pool-client --region eu-west-1 --cli-input-json file://client-fixed.json',
    ]);
  });

  it('refresh tokens cut to 60 minutes (fixture)', () => {
    const r = runCheck(CHECK, loadFixture('fail/global-signout-revokes-sessions--short-refresh.json'));
    expect(r.ids).toEqual([ID]);
    expect(r.findings[0]!.evidence).toMatchObject({ refreshAllowed: true, sessionMinutes: 60 });
    expect(r.findings[0]!.fix.commands![1]).toContain('.RefreshTokenValidity = 30 | .TokenValidityUnits.RefreshToken = "days"');
  });

  it('no refresh and a 5-minute ID token', () => {
    const r = runCheck(
      CHECK,
      client(
        (c) => (
          (c.ExplicitAuthFlows = ['ALLOW_USER_SRP_AUTH']), (c.IdTokenValidity = 5), (c.TokenValidityUnits = { ...c.TokenValidityUnits, IdToken: 'minutes' })
        ),
      ),
    );
    expect(r.findings[0]!.evidence).toMatchObject({ sessionMinutes: 5 });
    expect(r.findings[0]!.message).toContain('after at most 5 minutes');
  });

  it('refresh for four hours, in hours', () => {
    const r = runCheck(
      CHECK,
      client((c) => ((c.RefreshTokenValidity = 4), (c.TokenValidityUnits = { RefreshToken: 'hours' }))),
    );
    expect(r.findings[0]!.message).toContain('after at most 4 hours');
  });
});

describe(`${CHECK}: partial reads`, () => {
  it('DescribeUserPool denied → unknown, naming the permission', () => {
    const r = runCheck(
      CHECK,
      variant(fgac, (s) => {
        delete s.userPool;
        delete s.userPoolClients;
        s.errors = [{ operation: 'cognito-idp:DescribeUserPool', resource: UP, code: 'AccessDeniedException' }];
      }),
    );
    expect(r.status).toBe('unknown');
    expect(r.reason).toContain('cognito-idp:DescribeUserPool');
  });

  it('the OpenSearch client is gone → nothing to say here', () => {
    expect(runCheck(CHECK, loadFixture('fail/opensearch-app-client-deleted-or-bypassed.json')).ids).toEqual([]);
  });
});
