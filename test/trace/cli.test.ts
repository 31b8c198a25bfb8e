import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cogdoctor, FIXTURES } from '../helpers.js';
import { fixtureFile } from './helpers.js';
import { minter, type Minter } from './tokens.js';

const tmp = mkdtempSync(join(tmpdir(), 'cogdoctor-trace-'));

function writeTmp(name: string, content: unknown): string {
  const file = join(tmp, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

function expectOneLineError(result: { code: number; stderr: string; stdout: string }, pattern: RegExp) {
  expect(result.code).toBe(2);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^cogdoctor: /);
  expect(lines[0]).toMatch(pattern);
  expect(result.stdout).toBe('');
}

const TOKEN_GROUPS = join(FIXTURES, 'healthy/token-groups.json');

let keys: Minter;
beforeAll(async () => {
  keys = await minter();
});

describe('cogdoctor trace: exit codes and the last line', () => {
  it('0 when the login succeeds', async () => {
    const r = await cogdoctor(['trace', '--snapshot', TOKEN_GROUPS, '--groups', 'dashboards-admins']);
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('login succeeds as role logs-prod-dashboards-admin with security roles all_access, security_manager');
    expect(r.stderr).toBe('');
  });

  it('1 when a step fails, ending with what the user sees', async () => {
    const r = await cogdoctor(['trace', '--snapshot', join(FIXTURES, 'fail/ambiguous-role-mapping-denied.json'), '--groups', '']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^✗ 4 {2}Role selection/m);
    expect(r.stdout).toMatch(/^- 5 {2}STS AssumeRoleWithWebIdentity +the login stops at step 4$/m);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe(
      'the user sees: NotAuthorizedException: The ambiguous role mapping rules for: cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Xk2LmQp7A denied this request.',
    );
  });

  it('3 when a step is unknown and none fails', async () => {
    const r = await cogdoctor(['trace', '--snapshot', join(FIXTURES, 'partial/rolesmapping-forbidden.json'), '--groups', '']);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/^\? 7 {2}Fine-grained access control/m);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(/^the outcome is unknown: step 7 \(Fine-grained access control\) could not be decided: /);
  });

  it('--url traces the address the user opens', async () => {
    const custom = join(FIXTURES, 'fail/custom-endpoint-not-in-callback.json');
    expect(
      (
        await cogdoctor([
          'trace',
          '--snapshot',
          custom,
          '--groups',
          '',
          '--url',
          'https://search-logs-prod-4kq2vqyzt7bxnnyfxm2lyu3ham.eu-west-1.es.amazonaws.com/_dashboards',
        ])
      ).code,
    ).toBe(0);
    const r = await cogdoctor(['trace', '--snapshot', custom, '--groups', '', '--url', 'https://logs.example.com/_dashboards/app/home']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/custom-endpoint-not-in-callback/);
  });

  it('--claims reads a claims set', async () => {
    const claims = writeTmp('claims.json', { 'cognito:username': 'rita', 'cognito:groups': ['dashboards-readers'] });
    const r = await cogdoctor(['trace', '--snapshot', TOKEN_GROUPS, '--claims', claims, '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).outcome.role).toBe('arn:aws:iam::123456789012:role/logs-prod-dashboards-reader');
  });

  it('--token with --jwks is verified, and offline without it only decoded', async () => {
    const token = await keys.mint({
      'cognito:username': 'alice',
      'cognito:groups': ['dashboards-admins'],
      'cognito:preferred_role': 'arn:aws:iam::123456789012:role/logs-prod-dashboards-admin',
    });
    const jwks = writeTmp('jwks.json', keys.jwks);
    const verified = await cogdoctor(['trace', '--snapshot', TOKEN_GROUPS, '--token', token, '--jwks', jwks]);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(new RegExp(`^ {2}Token {9}signature verified against the JWKS in ${jwks.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    const decoded = await cogdoctor(['trace', '--snapshot', TOKEN_GROUPS, '--token', token, '--format', 'json']);
    expect(JSON.parse(decoded.stdout).identity.token.verification).toEqual({
      state: 'decoded',
      reason: "only decoded: offline (--snapshot), the user pool's keys were not fetched; pass --jwks FILE to verify the signature",
    });
  });
});

describe('cogdoctor trace: JSON output', () => {
  it('carries every step with its status, evidence and, on failure, the id and the text', async () => {
    const r = await cogdoctor(['trace', '--snapshot', join(FIXTURES, 'fail/missing-role.json'), '--groups', '', '--format', 'json']);
    expect(r.code).toBe(1);
    const result = JSON.parse(r.stdout);
    expect(result.schema).toBe('cogdoctor/trace/v1');
    expect(result.target).toMatchObject({ domain: 'logs-prod', region: 'eu-west-1', source: 'snapshot' });
    expect(result.steps.map((s: { number: number; status: string }) => `${s.number}:${s.status}`)).toEqual([
      '1:pass',
      '2:skipped',
      '3:pass',
      '4:pass',
      '5:pass',
      '6:pass',
      '7:fail',
    ]);
    for (const step of result.steps) expect(Object.keys(step)).toEqual(expect.arrayContaining(['number', 'name', 'status', 'summary', 'evidence', 'notes']));
    expect(result.steps[6].failure).toEqual({
      id: 'missing-role',
      message: 'role Cognito_logsprodAuth_Role (backend role arn:aws:iam::123456789012:role/Cognito_logsprodAuth_Role) is in no role mapping',
      userSees: 'Missing Role: No roles available for this user, please contact your system administrator.',
    });
    expect(result.outcome).toEqual({
      result: 'failure',
      line: 'the user sees: Missing Role: No roles available for this user, please contact your system administrator.',
      step: 7,
      id: 'missing-role',
      userSees: 'Missing Role: No roles available for this user, please contact your system administrator.',
    });
  });

  it('--output writes the trace to a file and nothing to stdout', async () => {
    const out = join(tmp, 'trace.json');
    const r = await cogdoctor(['trace', '--snapshot', TOKEN_GROUPS, '--groups', 'dashboards-readers', '--format', 'json', '--output', out]);
    expect(r.stdout).toBe('');
    expect(JSON.parse(readFileSync(out, 'utf8')).outcome.result).toBe('success');
  });

  it('colour follows NO_COLOR and FORCE_COLOR', async () => {
    const args = ['trace', '--snapshot', TOKEN_GROUPS, '--groups', ''];
    expect((await cogdoctor(args, { FORCE_COLOR: '1' })).stdout).toMatch(/\u001b\[/);
    expect((await cogdoctor(args, { FORCE_COLOR: '1', NO_COLOR: '1' })).stdout).not.toMatch(/\u001b\[/);
  });

  it('control characters from the snapshot are shown inert', async () => {
    const snapshot = JSON.parse(readFileSync(join(FIXTURES, 'fail/missing-role.json'), 'utf8'));
    snapshot.identityPoolRoles.Roles.authenticated = 'arn:aws:iam::123456789012:role/Evil\u001b[2J';
    const r = await cogdoctor(['trace', '--snapshot', writeTmp('evil.json', snapshot), '--groups', '', '--verbose']);
    expect(r.stdout).not.toContain('\u001b[2J');
    expect(r.stdout).toContain('\\x1b[2J');
  });
});

describe('cogdoctor trace: usage errors exit 2 with one line', () => {
  it('two identity sources, or none', async () => {
    expectOneLineError(await cogdoctor(['trace', '--snapshot', TOKEN_GROUPS, '--groups', 'a', '--claims', 'c.json']), /name only one identity to trace/);
    expectOneLineError(
      await cogdoctor(['trace', '--snapshot', TOKEN_GROUPS]),
      /name one identity to trace: --token JWT, --claims FILE, --user NAME or --groups a,b/,
    );
  });

  it('no source, or two', async () => {
    expectOneLineError(await cogdoctor(['trace', '--groups', '']), /name one source: a domain \(live\) or --snapshot FILE/);
    expectOneLineError(await cogdoctor(['trace', 'logs-prod', '--snapshot', TOKEN_GROUPS, '--groups', '']), /name one source/);
  });

  it('a bad token', async () => {
    expectOneLineError(await cogdoctor(['trace', '--snapshot', TOKEN_GROUPS, '--token', 'not-a-token-at-all']), /--token is not a JSON Web Token/);
    // Three parts that do not decode: named by the fingerprint.
    expectOneLineError(await cogdoctor(['trace', '--snapshot', TOKEN_GROUPS, '--token', 'eyJub3Q.eyJub3Q.c2ln']), /--token eyJ….{6} is not a JSON Web Token/);
  });

  it('a token whose signature does not verify', async () => {
    const foreign = await (await minter()).mint({});
    const jwks = writeTmp('jwks-other.json', keys.jwks);
    expectOneLineError(
      await cogdoctor(['trace', '--snapshot', TOKEN_GROUPS, '--token', foreign, '--jwks', jwks]),
      /the signature does not verify against the JWKS in/,
    );
  });

  it('an unreadable or invalid claims file', async () => {
    expectOneLineError(
      await cogdoctor(['trace', '--snapshot', TOKEN_GROUPS, '--claims', join(tmp, 'nope.json')]),
      /--claims: cannot read .*nope\.json \(ENOENT\)/,
    );
    expectOneLineError(
      await cogdoctor(['trace', '--snapshot', TOKEN_GROUPS, '--claims', writeTmp('bad-claims.json', '{"sub": ')]),
      /--claims: .*bad-claims\.json is not valid JSON/,
    );
    expectOneLineError(
      await cogdoctor(['trace', '--snapshot', TOKEN_GROUPS, '--claims', writeTmp('list-claims.json', [1])]),
      /the claims must be a JSON object/,
    );
  });

  it('--user offline, --jwks without --token, a group the pool lacks, a bad --url', async () => {
    expectOneLineError(await cogdoctor(['trace', '--snapshot', TOKEN_GROUPS, '--user', 'alice']), /--user reads the user live/);
    expectOneLineError(await cogdoctor(['trace', '--snapshot', TOKEN_GROUPS, '--groups', '', '--jwks', 'k.json']), /--jwks verifies --token/);
    expectOneLineError(await cogdoctor(['trace', '--snapshot', TOKEN_GROUPS, '--groups', 'admins']), /--groups: the user pool has no group admins/);
    expectOneLineError(
      await cogdoctor(['trace', '--snapshot', TOKEN_GROUPS, '--groups', '', '--url', 'logs.example.com']),
      /--url "logs\.example\.com" is not an http\(s\) URL/,
    );
  });
});

describe('cogdoctor trace: a token never appears in any output', () => {
  it('text, JSON, verbose, a file, a failing trace and every error keep only its fingerprint', async () => {
    const canary = await keys.mint({ 'cognito:username': 'canary', 'cognito:groups': ['dashboards-readers'], 'custom:note': 'CANARY' });
    const [, payload, signature] = canary.split('.');
    const jwks = writeTmp('jwks-canary.json', keys.jwks);
    const wrongKeys = writeTmp('jwks-wrong.json', (await minter()).jwks);
    const out = join(tmp, 'canary-out.txt');
    const runs = [
      ['trace', '--snapshot', TOKEN_GROUPS, '--token', canary],
      ['trace', '--snapshot', TOKEN_GROUPS, '--token', canary, '--verbose'],
      ['trace', '--snapshot', TOKEN_GROUPS, '--token', canary, '--format', 'json'],
      ['trace', '--snapshot', TOKEN_GROUPS, '--token', canary, '--jwks', jwks, '--verbose', '--format', 'json'],
      ['trace', '--snapshot', fixtureFile('fail/missing-role.json'), '--token', canary, '--verbose'],
      ['trace', '--snapshot', TOKEN_GROUPS, '--token', canary, '--jwks', wrongKeys],
      ['trace', '--snapshot', TOKEN_GROUPS, '--token', `${canary}x.y`],
      ['trace', '--snapshot', TOKEN_GROUPS, '--token', canary, '--groups', 'dashboards-readers'],
      ['trace', '--snapshot', join(tmp, 'missing-snapshot.json'), '--token', canary],
      ['trace', '--snapshot', TOKEN_GROUPS, '--token', canary, '--verbose', '--output', out],
    ];
    let sawFingerprint = false;
    for (const args of runs) {
      const r = await cogdoctor(args);
      const printed = `${r.stdout}\n${r.stderr}`;
      expect(printed, args.join(' ')).not.toContain(canary);
      expect(printed, args.join(' ')).not.toContain(signature!);
      expect(printed, args.join(' ')).not.toContain(payload!);
      if (printed.includes(`eyJ…${canary.slice(-6)}`)) sawFingerprint = true;
    }
    const file = readFileSync(out, 'utf8');
    expect(file).not.toContain(signature!);
    expect(file).not.toContain(payload!);
    expect(file).toContain(`token eyJ…${canary.slice(-6)}`);
    expect(sawFingerprint).toBe(true);
  });
});
