import { mkdirSync, mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PERMISSION_ONLY_ACTIONS, READ_ONLY_OPERATIONS } from '../src/collect/allowlist.js';
import { FIXTURES, ROOT, cogdoctor, loadFixture } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'cogdoctor-cli-'));

function writeTmp(name: string, content: string): string {
  const file = join(tmp, name);
  writeFileSync(file, content);
  return file;
}

function expectOneLineError(result: { code: number; stderr: string }, pattern: RegExp) {
  expect(result.code).toBe(2);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^cogdoctor: /);
  expect(lines[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

describe('exit codes', () => {
  it('0 on a healthy snapshot', async () => {
    const r = await cogdoctor(['check', '--snapshot', join(FIXTURES, 'healthy/opensearch-fgac.json')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/checks passed/);
  });

  it('1 when a finding reaches --fail-on, 0 with --fail-on never', async () => {
    const file = join(FIXTURES, 'demo/logs-demo.json');
    expect((await cogdoctor(['check', '--snapshot', file])).code).toBe(1);
    expect((await cogdoctor(['check', '--snapshot', file, '--fail-on', 'never'])).code).toBe(0);
  });

  it('--fail-on warning fails on a warning that --fail-on error lets through', async () => {
    const snapshot = loadFixture('healthy/opensearch-fgac.json');
    // Guest access with the basic flow: warnings, and nothing at error level.
    snapshot.identityPool!.AllowUnauthenticatedIdentities = true;
    snapshot.identityPool!.AllowClassicFlow = true;
    const file = writeTmp('warning-only.json', JSON.stringify(snapshot));
    expect((await cogdoctor(['check', '--snapshot', file])).code).toBe(0);
    expect((await cogdoctor(['check', '--snapshot', file, '--fail-on', 'warning'])).code).toBe(1);
  });

  it('3 when a read failed and nothing fails, naming the permission', async () => {
    const r = await cogdoctor(['check', '--snapshot', join(FIXTURES, 'partial/getrole-denied.json')]);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/iam:GetRole/);
  });

  it('3 when the FGAC mappings could not be read, 0 when they were simply not collected', async () => {
    expect((await cogdoctor(['check', '--snapshot', join(FIXTURES, 'partial/rolesmapping-forbidden.json')])).code).toBe(3);
    const notCollected = await cogdoctor(['check', '--snapshot', join(FIXTURES, 'partial/not-collected.json')]);
    expect(notCollected.code).toBe(0);
    expect(notCollected.stdout).toMatch(/not evaluated/);
  });
});

describe('bad input: one line on stderr, exit 2, no stack trace', () => {
  it('a missing file', async () => {
    expectOneLineError(await cogdoctor(['check', '--snapshot', join(tmp, 'nope.json')]), /cannot read .*nope\.json \(ENOENT\)/);
  });

  it('a 50 MB snapshot, refused by its size before it is read', async () => {
    const file = join(tmp, 'huge.json');
    writeFileSync(file, '');
    truncateSync(file, 50 * 1024 * 1024);
    expectOneLineError(await cogdoctor(['check', '--snapshot', file]), /huge\.json is 50 MB; the limit is 20 MB/);
  });

  it('bad JSON', async () => {
    expectOneLineError(await cogdoctor(['check', '--snapshot', writeTmp('bad.json', '{"schema": ')]), /^cogdoctor: .*bad\.json: \$: not valid JSON/);
  });

  it('a wrong type deep inside names its path', async () => {
    const snapshot = loadFixture('healthy/token-groups.json') as unknown as Record<string, any>;
    snapshot['userPoolGroups'][1].Precedence = 'first';
    expectOneLineError(await cogdoctor(['check', '--snapshot', writeTmp('deep.json', JSON.stringify(snapshot))]), /\$\.userPoolGroups\[1\]\.Precedence/);
  });

  it('an access policy that is not JSON names its path', async () => {
    const snapshot = loadFixture('healthy/opensearch-fgac.json');
    snapshot.domain.AccessPolicies = '{"Version": "2012-10-17", "Statement": [';
    expectOneLineError(await cogdoctor(['check', '--snapshot', writeTmp('policy.json', JSON.stringify(snapshot))]), /\$\.domain\.AccessPolicies/);
  });

  it('a trust policy that is not a policy names its path', async () => {
    const snapshot = loadFixture('healthy/opensearch-fgac.json');
    snapshot.roles![1]!.AssumeRolePolicyDocument = encodeURIComponent('{"Statement":[{"Effect":"Allowed","Action":"sts:AssumeRole"}]}');
    expectOneLineError(await cogdoctor(['check', '--snapshot', writeTmp('trust.json', JSON.stringify(snapshot))]), /\$\.roles\[1\]\.AssumeRolePolicyDocument/);
  });

  it('a missing required field', async () => {
    const snapshot = loadFixture('healthy/opensearch-fgac.json') as unknown as Record<string, unknown>;
    delete snapshot['region'];
    expectOneLineError(await cogdoctor(['check', '--snapshot', writeTmp('noregion.json', JSON.stringify(snapshot))]), /\$\.region: is required/);
  });

  it('an unknown flag, a bad --fail-on, no source, an unknown --only id', async () => {
    expect((await cogdoctor(['check', '--bogus'])).code).toBe(2);
    expect((await cogdoctor(['check', '--snapshot', join(FIXTURES, 'healthy/opensearch-fgac.json'), '--fail-on', 'sometimes'])).code).toBe(2);
    expectOneLineError(await cogdoctor(['check']), /name one source/);
    expectOneLineError(
      await cogdoctor(['check', '--snapshot', join(FIXTURES, 'healthy/opensearch-fgac.json'), '--only', 'no-such-check']),
      /unknown check or failure id no-such-check/,
    );
  });

  it('an unknown failure id for explain', async () => {
    expectOneLineError(await cogdoctor(['explain', 'no-such-failure']), /unknown failure id/);
  });
});

describe('commands', () => {
  it('--version and --help exit 0', async () => {
    const version = await cogdoctor(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
    const help = await cogdoctor(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/check/);
  });

  it('checks lists every check with its failure ids', async () => {
    const r = await cogdoctor(['checks', '--format', 'json']);
    const rows = JSON.parse(r.stdout) as Array<{ id: string; modes: Array<{ id: string; severity: string }> }>;
    expect(rows.map((row) => row.id)).toContain('app-client-callback-urls');
    expect(rows.flatMap((row) => row.modes.map((m) => m.id))).toContain('redirect-mismatch');
  });

  it('explain prints the symptom, the cause and the fix', async () => {
    const r = await cogdoctor(['explain', 'redirect-mismatch']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/An error was encountered with the requested page/);
    expect(r.stdout).toMatch(/Fix:/);
    const undetectable = await cogdoctor(['explain', 'passrole-denied-cognito-access-role']);
    expect(undetectable.stdout).toMatch(/Not detected from the configuration/);
  });

  it('permissions lists every allowlisted operation, the permission-only actions they need, and nothing else', async () => {
    const policy = JSON.parse((await cogdoctor(['permissions'])).stdout);
    const actions = policy.Statement.flatMap((s: { Action: string[] }) => s.Action).sort();
    // A sweep's own calls (list the organization, assume the member role) belong to the other account's
    // policy (permissions --organization); GetCallerIdentity needs no permission.
    const sweepOnly = ['organizations:ListAccounts', 'sts:AssumeRole', 'sts:GetCallerIdentity'];
    const allowlist = Object.entries(READ_ONLY_OPERATIONS)
      .flatMap(([service, ops]) => ops.map((op) => `${service}:${op}`))
      .filter((action) => !sweepOnly.includes(action));
    expect(actions).toEqual([...allowlist, ...PERMISSION_ONLY_ACTIONS].sort());
    expect(actions.every((a: string) => /:(Describe|Get|List|AdminGet|AdminList|ESHttpGet)/.test(a))).toBe(true);
  });

  it('permissions --organization: the management account lists accounts and assumes the member role; the member role reads, and trusts the management account', async () => {
    const r = await cogdoctor(['permissions', '--organization', '--role-name', 'audit-read', '--management-account', '111122223333', '--external-id', 'x-1']);
    expect(r.code).toBe(0);
    const policies = JSON.parse(r.stdout);
    expect(policies.management.Statement).toEqual([
      { Sid: 'CogdoctorListAccounts', Effect: 'Allow', Action: 'organizations:ListAccounts', Resource: '*' },
      { Sid: 'CogdoctorAssumeMemberRole', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: 'arn:aws:iam::*:role/audit-read' },
    ]);
    const single = JSON.parse((await cogdoctor(['permissions'])).stdout);
    expect(policies.memberRole.permissions).toEqual(single);
    expect(policies.memberRole.permissions.Statement[0].Action).toContain('account:ListRegions');
    expect(policies.memberRole.trust.Statement[0]).toEqual({
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111122223333:root' },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'sts:ExternalId': 'x-1' } },
    });
    const wrong = await cogdoctor(['permissions', '--role-name', 'x']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/go with --organization/);
  });

  it('the README prints the same least-privilege policy', async () => {
    const policy = JSON.parse((await cogdoctor(['permissions'])).stdout);
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const block = /### The permissions cogdoctor needs[\s\S]*?```json\n([\s\S]*?)```/.exec(readme)![1]!;
    expect(JSON.parse(block).Statement[0].Action).toEqual(policy.Statement[0].Action);
  });

  it('--format json --output writes the report to a file and nothing to stdout', async () => {
    const out = join(tmp, 'report.json');
    const r = await cogdoctor(['check', '--snapshot', join(FIXTURES, 'demo/logs-demo.json'), '--format', 'json', '--output', out]);
    expect(r.stdout).toBe('');
    expect(JSON.parse(readFileSync(out, 'utf8')).schema).toBe('cogdoctor/report/v1');
  });

  it('colour follows NO_COLOR and FORCE_COLOR', async () => {
    const file = join(FIXTURES, 'demo/logs-demo.json');
    expect((await cogdoctor(['check', '--snapshot', file], { FORCE_COLOR: '1' })).stdout).toMatch(/\u001b\[/);
    expect((await cogdoctor(['check', '--snapshot', file], { FORCE_COLOR: '1', NO_COLOR: '1' })).stdout).not.toMatch(/\u001b\[/);
    expect((await cogdoctor(['check', '--snapshot', file, '--no-color'], { FORCE_COLOR: '1' })).stdout).not.toMatch(/\u001b\[/);
  });

  it('several snapshots give one report each', async () => {
    const r = await cogdoctor([
      'check',
      '--snapshot',
      join(FIXTURES, 'healthy/opensearch-fgac.json'),
      join(FIXTURES, 'healthy/legacy-es-kibana.json'),
      '--format',
      'json',
    ]);
    const reports = r.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { target: { domain: string } });
    expect(reports.map((x) => x.target.domain)).toEqual(['logs-prod', 'kibana-legacy']);
  });

  it('a quoted glob stands for the files it matches, in name order; one that matches nothing is an input error', async () => {
    const dir = mkdtempSync(join(tmp, 'glob-'));
    const snapshot = readFileSync(join(FIXTURES, 'healthy/opensearch-fgac.json'), 'utf8');
    for (const name of ['b.json', 'a.json', 'notes.txt', '.hidden.json', 'nested/c.json', 'nested/deeper/d.json']) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), snapshot);
    }
    const filesOf = async (pattern: string) => {
      const r = await cogdoctor(['check', '--snapshot', pattern, '--format', 'json']);
      expect(r.code).toBe(0);
      return r.stdout
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { target: { file: string } }).target.file.slice(dir.length + 1));
    };
    expect(await filesOf(join(dir, '*.json'))).toEqual(['a.json', 'b.json']);
    expect(await filesOf(join(dir, '?.json'))).toEqual(['a.json', 'b.json']);
    expect(await filesOf(join(dir, '**/*.json'))).toEqual(['a.json', 'b.json', 'nested/c.json', 'nested/deeper/d.json']);
    expect(await filesOf(join(dir, 'nested/*/d.json'))).toEqual(['nested/deeper/d.json']);
    expectOneLineError(await cogdoctor(['check', '--snapshot', join(dir, '*.yaml')]), /no file matches .*\*\.yaml/);
  });
});
