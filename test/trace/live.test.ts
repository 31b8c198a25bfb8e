import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TraceResult } from '../../src/trace/index.js';
import { cogdoctor } from '../helpers.js';
import { collector, fullyCollected, withEmulator } from '../live/harness.js';
import { fixture as fixtureOf } from './helpers.js';
import { minter } from './tokens.js';

const ENV = {
  AWS_ACCESS_KEY_ID: 'AKIDTRACETEST0000000',
  AWS_SECRET_ACCESS_KEY: 'trace-test-secret-not-real',
  AWS_CONFIG_FILE: '/nonexistent',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_MAX_ATTEMPTS: '1',
};
const tmp = mkdtempSync(join(tmpdir(), 'cogdoctor-trace-live-'));

/** A trace fixture as an account whose optional parts were all read: the trace, not their absence, is under test. */
const fixture = (name: string) => fullyCollected(fixtureOf(name));

const ISS = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Xk2LmQp7A';
const AUD = '4q8v2n6k1m3p5r7t9w0y2a4c6e';
const ADMIN = 'arn:aws:iam::123456789012:role/logs-prod-dashboards-admin';
const READER = 'arn:aws:iam::123456789012:role/logs-prod-dashboards-reader';

/** The claims Cognito puts in each fixture user's ID token, written out by hand. */
function claimsOf(fixtureName: string, username: string, extra: Record<string, unknown>): Record<string, unknown> {
  const users = fixture(fixtureName)['users'] as Array<{ Username: string; UserAttributes: Array<{ Name: string; Value: string }> }>;
  const sub = users.find((u) => u.Username === username)!.UserAttributes.find((a) => a.Name === 'sub')!.Value;
  return { iss: ISS, aud: AUD, token_use: 'id', sub, 'cognito:username': username, email: `${username}@example.com`, email_verified: true, ...extra };
}

const EQUIVALENT: Array<{ fixture: string; user: string; claims: Record<string, unknown>; exit: number }> = [
  {
    fixture: 'trace/token-groups.json',
    user: 'alice',
    exit: 0,
    claims: { 'cognito:groups': ['dashboards-admins'], 'cognito:roles': [ADMIN], 'cognito:preferred_role': ADMIN },
  },
  {
    fixture: 'trace/token-groups.json',
    user: 'rita',
    exit: 0,
    claims: { 'cognito:groups': ['dashboards-readers'], 'cognito:roles': [READER], 'cognito:preferred_role': READER },
  },
  { fixture: 'trace/token-groups.json', user: 'nora', exit: 0, claims: {} },
  {
    fixture: 'trace/preferred-role-tie-deny.json',
    user: 'bea',
    exit: 1,
    claims: { 'cognito:groups': ['dashboards-admins', 'dashboards-readers'], 'cognito:roles': [ADMIN, READER] },
  },
  {
    fixture: 'trace/rules-first-match.json',
    user: 'paula',
    exit: 0,
    claims: { 'custom:department': 'platform', 'cognito:groups': ['dashboards-readers'], 'cognito:roles': [READER], 'cognito:preferred_role': READER },
  },
  { fixture: 'trace/rules-first-match.json', user: 'tom', exit: 0, claims: { 'custom:team': 'sre' } },
  { fixture: 'trace/rules-first-match.json', user: 'nina', exit: 1, claims: {} },
];

/** A trace without what differs between a live user and a claims file: the user step and where the identity came from. */
function comparable(result: TraceResult) {
  return { steps: result.steps.filter((s) => s.number !== 2), outcome: result.outcome };
}

describe('trace --user against the emulator', () => {
  for (const c of EQUIVALENT) {
    it(`${c.fixture}: ${c.user} gives the same trace as --claims with the same claims`, async () => {
      const claims = claimsOf(c.fixture, c.user, c.claims);
      const file = join(tmp, `${c.user}.json`);
      writeFileSync(file, JSON.stringify(claims));
      await withEmulator([fixture(c.fixture)], async (emulator) => {
        const live = await cogdoctor(
          ['trace', 'logs-prod', '--user', c.user, '--region', 'eu-west-1', '--endpoint-url', emulator.url, '--format', 'json'],
          ENV,
        );
        // The offline side traces what the live run read (a live read also collects optional parts).
        const snapshot = join(tmp, `${c.user}-snapshot.json`);
        expect((await cogdoctor(['snapshot', 'logs-prod', '--region', 'eu-west-1', '--endpoint-url', emulator.url, '-o', snapshot], ENV)).code).toBe(0);
        const offline = await cogdoctor(['trace', '--snapshot', snapshot, '--claims', file, '--format', 'json'], ENV);
        expect(live.stderr).toBe('');
        expect([live.code, offline.code]).toEqual([c.exit, c.exit]);
        const liveResult = JSON.parse(live.stdout) as TraceResult;
        const offlineResult = JSON.parse(offline.stdout) as TraceResult;
        expect(liveResult.identity.claims).toEqual(claims);
        expect(liveResult.steps[1]!.status).toBe('pass');
        expect(comparable(liveResult)).toEqual(comparable(offlineResult));
        // Only reads were made, these two among them.
        const ops = emulator.log.map((e) => e.operation);
        expect(ops).toEqual(expect.arrayContaining(['AdminGetUser', 'AdminListGroupsForUser']));
        expect(emulator.log.every((e) => !e.mutating)).toBe(true);
      });
    });
  }

  it('stops at the user step for a disabled, an unconfirmed and an expired user', async () => {
    await withEmulator([fixture('trace/token-groups.json')], async (emulator) => {
      const expected: Record<string, [string, string]> = {
        dan: ['user-not-confirmed-or-disabled', 'User is disabled.'],
        uma: ['user-not-confirmed-or-disabled', 'User is not confirmed.'],
        tess: ['temporary-password-expired', 'NotAuthorizedException: Temporary password has expired and must be reset by an administrator.'],
      };
      for (const [user, [id, text]] of Object.entries(expected)) {
        const r = await cogdoctor(['trace', 'logs-prod', '--user', user, '--region', 'eu-west-1', '--endpoint-url', emulator.url, '--format', 'json'], ENV);
        expect(r.code).toBe(1);
        expect(JSON.parse(r.stdout).outcome).toMatchObject({ step: 2, id, userSees: text });
      }
    });
  });

  it('a user the pool does not have is a usage error', async () => {
    await withEmulator([fixture('trace/token-groups.json')], async (emulator) => {
      const r = await cogdoctor(['trace', 'logs-prod', '--user', 'zoe', '--region', 'eu-west-1', '--endpoint-url', emulator.url], ENV);
      expect(r.code).toBe(2);
      expect(r.stderr.trim()).toBe('cogdoctor: --user zoe: user pool eu-west-1_Xk2LmQp7A has no such user');
    });
  });

  it('a denied AdminListGroupsForUser leaves role selection unknown (exit 3), naming the read', async () => {
    const faults = [{ service: 'cognito-idp', operation: 'AdminListGroupsForUser', kind: 'deny' as const }];
    await withEmulator(
      [fixture('trace/token-groups.json')],
      async (emulator) => {
        const r = await cogdoctor(['trace', 'logs-prod', '--user', 'alice', '--region', 'eu-west-1', '--endpoint-url', emulator.url, '--format', 'json'], ENV);
        expect(r.code).toBe(3);
        const result = JSON.parse(r.stdout) as TraceResult;
        expect(result.steps[3]).toMatchObject({ status: 'unknown', summary: expect.stringMatching(/cognito-idp:AdminListGroupsForUser AccessDenied/) });
      },
      faults,
    );
  });

  it('the Collector reads the user through the guarded clients', async () => {
    await withEmulator([fixture('trace/token-groups.json')], async (emulator) => {
      const c = collector(emulator, 'eu-west-1');
      try {
        const read = await c.user('eu-west-1_Xk2LmQp7A', 'tess');
        expect(read.user).toMatchObject({ Username: 'tess', UserStatus: 'FORCE_CHANGE_PASSWORD', Enabled: true, UserCreateDate: '2025-01-06T08:00:00.000Z' });
        expect(read.groups).toEqual([{ GroupName: 'dashboards-readers', RoleArn: READER, Precedence: 10 }]);
      } finally {
        c.close();
      }
    });
  });

  it('live, a token is only decoded when AWS calls go to an emulator, and never printed', async () => {
    const token = await (await minter()).mint({ 'cognito:username': 'alice' });
    await withEmulator([fixture('trace/token-groups.json')], async (emulator) => {
      const r = await cogdoctor(['trace', 'logs-prod', '--token', token, '--region', 'eu-west-1', '--endpoint-url', emulator.url, '--format', 'json'], ENV);
      expect(JSON.parse(r.stdout).identity.token.verification.reason).toBe(
        "only decoded: AWS calls go to --endpoint-url, so the user pool's public keys were not fetched; pass --jwks FILE to verify the signature",
      );
      // A token pasted where the domain goes comes back in the error only as a redacted prefix.
      const misplaced = await cogdoctor(['trace', token, '--groups', '', '--region', 'eu-west-1', '--endpoint-url', emulator.url], ENV);
      expect(misplaced.code).toBe(2);
      for (const part of token.split('.').slice(1)) expect(`${misplaced.stdout}${misplaced.stderr}${r.stdout}${r.stderr}`).not.toContain(part);
    });
  });
});
