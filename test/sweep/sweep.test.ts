// A sweep of several accounts and Regions, through the real SDK clients and the built CLI against the
// emulator serving an organization: one member whose role cannot be assumed, one Region not enabled.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { parse as parseYaml } from 'yaml';
import { ROOT, cogdoctor, terminalEnv } from '../helpers.js';
import { MANAGEMENT, ROLE, organizationOf, relocated } from './organization.js';
import { permissionsPolicy } from '../../src/collect/allowlist.js';

const HEALTHY = 'healthy/opensearch-fgac.json';
const BROKEN = 'fail/custom-endpoint-not-in-callback.json';
const ENV = {
  AWS_ACCESS_KEY_ID: 'AKIDSWEEPTEST0000000',
  AWS_SECRET_ACCESS_KEY: 'sweep-test-secret',
  AWS_CONFIG_FILE: '/nonexistent',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_PROFILE: '',
  AWS_REGION: '',
  AWS_DEFAULT_REGION: '',
};

const execFileAsync = promisify(execFile);

const A = '200000000001'; // two domains: healthy in eu-west-1, broken in eu-south-1 (an opt-in Region it enabled)
const B = '200000000002'; // its role trusts another account: cannot be assumed
const C = '200000000003'; // the opt-in eu-south-1 not enabled; healthy in eu-west-1
const D = '200000000004'; // suspended: not swept

const members = organizationOf([
  {
    accountId: A,
    name: 'team-a',
    role: 'trusts-management',
    regions: { 'eu-west-1': 'ENABLED_BY_DEFAULT', 'eu-south-1': 'ENABLED', 'us-east-1': 'ENABLED_BY_DEFAULT' },
  },
  {
    accountId: B,
    name: 'team-b',
    role: 'trusts-another-account',
    regions: { 'eu-west-1': 'ENABLED_BY_DEFAULT', 'eu-south-1': 'ENABLED', 'us-east-1': 'ENABLED_BY_DEFAULT' },
  },
  {
    accountId: C,
    name: 'team-c',
    role: 'trusts-management',
    regions: { 'eu-west-1': 'ENABLED_BY_DEFAULT', 'eu-south-1': 'DISABLED', 'us-east-1': 'ENABLED_BY_DEFAULT' },
  },
  { accountId: D, name: 'team-d', role: 'trusts-management', state: 'SUSPENDED', regions: { 'eu-west-1': 'ENABLED_BY_DEFAULT' } },
]);
const snapshots = [
  relocated(HEALTHY, MANAGEMENT, 'eu-west-1', 'central-logs'),
  relocated(HEALTHY, A, 'eu-west-1'),
  relocated(BROKEN, A, 'eu-south-1', 'orders'),
  relocated(HEALTHY, B, 'eu-west-1'),
  relocated(HEALTHY, C, 'eu-west-1'),
  relocated(HEALTHY, C, 'eu-south-1', 'staging'),
  relocated(HEALTHY, D, 'eu-west-1'),
];

let emulator: Emulator;
let tmp: string;
beforeAll(async () => {
  emulator = await startEmulator({ snapshots, organization: members });
  tmp = mkdtempSync(join(tmpdir(), 'cogdoctor-sweep-'));
});
afterAll(() => emulator.close());

const sweepArgs = ['check', '--all', '--organization', '--role-name', ROLE, '--regions', 'eu-west-1,eu-south-1', '--region', 'us-east-1'];
const run = (args: string[]) => cogdoctor([...args, '--endpoint-url', emulator.url, '--quiet'], ENV);
const jsonLines = (text: string) =>
  text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));

describe('check --all across an organization', () => {
  it('reports every domain it can read, names the account it cannot and the Region not enabled, and exits 1 on the broken domain', async () => {
    emulator.log.length = 0;
    const r = await run([...sweepArgs, '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const lines = jsonLines(r.stdout);
    const reports = lines.filter((l) => l.schema === 'cogdoctor/report/v1');
    const summary = lines.at(-1);
    expect(summary.schema).toBe('cogdoctor/sweep/v1');
    expect(reports.map((rep) => `${rep.target.accountId} ${rep.target.region} ${rep.target.domain}`).sort()).toEqual([
      `${MANAGEMENT} eu-west-1 central-logs`,
      `${A} eu-south-1 orders`,
      `${A} eu-west-1 logs-prod`,
      `${C} eu-west-1 logs-prod`,
    ]);
    const broken = reports.find((rep) => rep.target.accountId === A && rep.target.region === 'eu-south-1');
    expect(broken.findings.map((f: { id: string }) => f.id)).toContain('custom-endpoint-not-in-callback');
    for (const rep of reports.filter((x) => x !== broken)) expect(rep.summary.error).toBe(0);

    const byId = Object.fromEntries(summary.accounts.map((a: { accountId: string }) => [a.accountId, a]));
    // Active accounts only: the suspended one is not swept.
    expect(Object.keys(byId).sort()).toEqual([MANAGEMENT, A, B, C]);
    expect(byId[MANAGEMENT].regions.map((r: { status: string }) => r.status)).toEqual(['read', 'read']);
    expect(byId[B].status).toBe('unreadable');
    expect(byId[B].error).toMatchObject({ operation: 'sts:AssumeRole', resource: `arn:aws:iam::${B}:role/${ROLE}` });
    expect(byId[B].error.code).toMatch(/AccessDenied/);
    expect(byId[C].regions.map(({ region, status, domains }: { region: string; status: string; domains: string[] }) => ({ region, status, domains }))).toEqual([
      { region: 'eu-south-1', status: 'not-enabled', domains: [] },
      { region: 'eu-west-1', status: 'read', domains: ['logs-prod'] },
    ]);
    expect(byId[A].name).toBe('team-a');
    // Nothing was read in the Region C has not enabled, nor in B.
    expect(emulator.log.some((e) => e.accountId === C && e.region === 'eu-south-1')).toBe(false);
    expect(emulator.log.some((e) => e.accountId === B && e.service !== 'sts')).toBe(false);
  });

  it('exits 3 when nothing fails but an account could not be read', async () => {
    const r = await run([...sweepArgs, '--format', 'json', '--fail-on', 'never']);
    expect(r.code).toBe(3);
  });

  it('reads every resource once, each in the account it belongs to', async () => {
    emulator.log.length = 0;
    const r = await run([...sweepArgs, '--format', 'json', '--session-policy']);
    expect(r.code).toBe(1);
    const served = emulator.log.filter((e) => e.status === 200 && e.service !== 'sts');
    const keys = served.map(
      (e) => `${e.accountId} ${e.service === 'iam' ? '' : e.region} ${e.service} ${e.operation} ${(e.ids ?? [e.resource ?? '']).join(' ')}`,
    );
    expect(keys.length).toBeGreaterThan(20);
    expect(new Set(keys).size).toBe(keys.length);
    // The session policy holds every read a sweep makes: no read was refused (a 404 is an answer: no tag map set).
    expect(emulator.log.filter((e) => e.status === 403 && e.service !== 'sts')).toEqual([]);
    expect(emulator.log.filter((e) => e.service !== 'sts').length).toBeGreaterThan(20);
  });

  it('--max-accounts-in-flight 1 reads one account after another', async () => {
    emulator.log.length = 0;
    const r = await run([...sweepArgs, '--format', 'json', '--max-accounts-in-flight', '1']);
    expect(r.code).toBe(1);
    // Each account's calls (its session included) form one unbroken run in the emulator's log.
    const order = emulator.log.filter((e) => e.accountId !== MANAGEMENT || e.service !== 'sts').map((e) => e.accountId);
    const runs = order.filter((id, i) => i === 0 || id !== order[i - 1]);
    expect(new Set(runs).size).toBe(runs.length);
    expect(runs.length).toBeGreaterThanOrEqual(3);
  });

  it.skipIf(!existsSync('/usr/bin/script'))('on a terminal, stderr shows the progress and stdout carries only the report', async () => {
    // script(1) gives the command a terminal; stdout is redirected to a file, so the terminal sees stderr alone.
    const out = join(tmp, 'progress.jsonl');
    // A sized terminal: one that reports no width gets no spinner at all.
    const command = `stty cols 120 rows 40; ${[process.execPath, join(ROOT, 'bin/cogdoctor'), ...sweepArgs, '--endpoint-url', emulator.url, '--format', 'json']
      .map((word) => `'${word}'`)
      .join(' ')} > '${out}'`;
    const { stdout: terminal } = await execFileAsync('script', ['-qfec', command, '/dev/null'], {
      env: terminalEnv({ ...process.env, ...ENV, NO_COLOR: '1' }),
    }).catch((error: { stdout: string }) => error);
    expect(terminal).toMatch(/accounts \d+\/4 · \d+ domains · \d+ requests in flight · \d+ throttled answers/);
    expect(jsonLines(readFileSync(out, 'utf8')).at(-1).schema).toBe('cogdoctor/sweep/v1');
  });

  it("without --accounts or --organization, --regions sweeps the caller's own account", async () => {
    emulator.log.length = 0;
    const all = await run(['check', '--all', '--regions', 'all', '--region', 'us-east-1', '--format', 'json']);
    expect(all.code).toBe(0);
    const summary = jsonLines(all.stdout).at(-1);
    expect(summary.accounts.map((a: { accountId: string }) => a.accountId)).toEqual([MANAGEMENT]);
    expect(summary.accounts[0].regions.map((r: { region: string; domains: string[] }) => [r.region, r.domains])).toEqual([
      ['eu-south-1', []],
      ['eu-west-1', ['central-logs']],
      ['us-east-1', []],
    ]);
    // No session is taken: the caller reads its own account with its own credentials.
    expect(emulator.log.filter((e) => e.operation === 'AssumeRole')).toEqual([]);
    expect(emulator.log.every((e) => e.accountId === MANAGEMENT)).toBe(true);
  });

  it('--accounts names the accounts to read, without the organization', async () => {
    const r = await run(['check', '--all', '--accounts', C, '--role-name', ROLE, '--regions', 'eu-west-1', '--region', 'us-east-1', '--format', 'json']);
    expect(r.code).toBe(0);
    const lines = jsonLines(r.stdout);
    expect(lines.filter((l) => l.schema === 'cogdoctor/report/v1').map((l) => l.target.accountId)).toEqual([C]);
  });

  it('--role-arn with placeholders and --external-id reach a role whose trust needs one', async () => {
    const org = organizationOf([
      {
        accountId: A,
        name: 'team-a',
        role: 'trusts-management',
        externalId: 'ext-42',
        regions: { 'eu-west-1': 'ENABLED_BY_DEFAULT', 'us-east-1': 'ENABLED_BY_DEFAULT' },
      },
    ]);
    const own = await startEmulator({ snapshots: [relocated(HEALTHY, A, 'eu-west-1')], organization: org });
    try {
      const args = [
        'check',
        '--all',
        '--accounts',
        A,
        '--role-arn',
        `arn:{partition}:iam::{account}:role/${ROLE}`,
        '--regions',
        'all',
        '--region',
        'eu-west-1',
      ];
      const denied = await cogdoctor([...args, '--endpoint-url', own.url, '--quiet', '--format', 'json'], ENV);
      expect(denied.code).toBe(3);
      expect(jsonLines(denied.stdout).at(-1).accounts[0]).toMatchObject({ status: 'unreadable', error: { operation: 'sts:AssumeRole' } });
      const allowed = await cogdoctor([...args, '--external-id', 'ext-42', '--endpoint-url', own.url, '--quiet', '--format', 'json'], ENV);
      expect(allowed.code).toBe(0);
      // --regions all: every Region the account has enabled, domains or not.
      expect(
        jsonLines(allowed.stdout)
          .at(-1)
          .accounts[0].regions.map((r: { region: string; domains: string[] }) => [r.region, r.domains]),
      ).toEqual([
        ['eu-west-1', ['logs-prod']],
        ['us-east-1', []],
      ]);
    } finally {
      await own.close();
    }
  });

  it('writes -o FILE whole at the end, and Markdown ends with the sweep table', async () => {
    const out = join(tmp, 'sweep.md');
    const r = await run([...sweepArgs, '--format', 'markdown', '-o', out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const text = readFileSync(out, 'utf8');
    expect(text).toContain(A);
    expect(text).toContain(B);
    expect(text).toMatch(/sts:AssumeRole/);
  });

  it('a mute naming an account pattern mutes that account only', async () => {
    const config = join(tmp, 'mute.yml');
    writeFileSync(config, `mutes:\n  - id: custom-endpoint-not-in-callback\n    account: "${A.slice(0, 6)}*"\n    reason: the custom endpoint is retired\n`);
    const r = await run([...sweepArgs, '--format', 'json', '--config', config]);
    // The broken domain's finding is muted; B still cannot be read: incomplete, not failed.
    expect(r.code).toBe(3);
    const broken = jsonLines(r.stdout).find((l) => l.schema === 'cogdoctor/report/v1' && l.target.region === 'eu-south-1');
    expect(broken.findings.find((f: { id: string }) => f.id === 'custom-endpoint-not-in-callback').muted).toBe(true);
  });

  it('refuses bad sweep flags in one line, before reading anything', async () => {
    emulator.log.length = 0;
    const cases: Array<[string[], RegExp]> = [
      [['check', '--regions', 'all', '--region', 'us-east-1'], /go with --all/],
      [['check', '--all', '--accounts', '12345', '--role-name', ROLE], /not an AWS account id/],
      [['check', '--all', '--accounts', A, '--organization', '--role-name', ROLE], /not both/],
      [['check', '--all', '--regions', 'all,eu-west-1'], /all, or a list/],
      [['check', '--all', '--organization', '--external-id', 'x'], /go with --role-name/],
      [['check', '--all', '--session-policy'], /go with --role-name/],
      [['check', 'logs-prod', '--session-policy'], /go with --all/],
      [['check', '--all', '--accounts', A, '--role-arn', 'arn:aws:iam::{account}:user/x'], /not a role ARN template/],
    ];
    for (const [args, message] of cases) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(emulator.log).toEqual([]);
  });

  it('reading other accounts without a role is a usage error naming the flag', async () => {
    const r = await run(['check', '--all', '--accounts', A, '--regions', 'eu-west-1', '--region', 'us-east-1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--role-name/);
  });

  it('--organization from an account that is not the management account is a setup error', async () => {
    const single = await startEmulator({ snapshots: [relocated(HEALTHY, A, 'eu-west-1')] });
    try {
      const r = await cogdoctor(
        ['check', '--all', '--organization', '--role-name', ROLE, '--region', 'eu-west-1', '--endpoint-url', single.url, '--quiet'],
        ENV,
      );
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/organizations:ListAccounts/);
    } finally {
      await single.close();
    }
  });

  it("the example workflow's sweep runs as written: SARIF with account and Region on every result, gated on a baseline of a previous sweep", async () => {
    const workflow = parseYaml(readFileSync(join(ROOT, 'examples/github-actions/cogdoctor-organization-sweep.yml'), 'utf8'));
    const step = workflow.jobs.sweep.steps.find((s: { id?: string }) => s.id === 'sweep');
    const command = (step.run as string)
      .replaceAll('\\\n', ' ')
      .split('\n')
      .find((line) => line.trim().startsWith('cogdoctor check'))!;
    const env: Record<string, string> = { MEMBER_ROLE: ROLE, IAC_FILE: 'infra/opensearch.tf' };
    const args = command
      .trim()
      .replace(/\s*\|\|.*$/, '')
      .split(/\s+/)
      .slice(1)
      .map((word) => word.replace(/^"\$(\w+)"$/, (_m, name: string) => env[name]!));
    expect(args).toContain('--organization');
    // The baseline the set-up commits: the same sweep as JSON, before any baseline.
    const withoutFlags = (flags: string[]) => args.filter((a, i) => !flags.includes(a) && !flags.includes(args[i - 1]!));
    const baseline = join(tmp, 'sweep-baseline.json');
    const first = await run([
      ...withoutFlags(['--baseline', '--format', '--sarif-location', '--output']),
      '--format',
      'json',
      '--region',
      'us-east-1',
      '-o',
      baseline,
    ]);
    expect(first.code).toBe(1);
    const sarifFile = join(tmp, 'cogdoctor.sarif');
    const gated = await run([
      ...args.map((a) => (a === '.cogdoctor/sweep-baseline.json' ? baseline : a === 'cogdoctor.sarif' ? sarifFile : a)),
      '--region',
      'us-east-1',
    ]);
    // Nothing is new against the baseline; the account that cannot be read leaves the run incomplete.
    expect(gated.code).toBe(3);
    const sarif = JSON.parse(readFileSync(sarifFile, 'utf8'));
    const results = sarif.runs[0].results;
    expect(results.length).toBeGreaterThan(0);
    for (const result of results) expect(result.properties).toMatchObject({ accountId: expect.stringMatching(/^\d{12}$/), region: expect.any(String) });
  });
});

describe('demo --organization', () => {
  it('sweeps the built-in organization: every domain reported, the account that cannot be assumed and the Region not enabled named', async () => {
    const r = await cogdoctor(['demo', '--organization', '--format', 'json'], ENV);
    // The demo does not fail on findings (--fail-on never); one account cannot be read: incomplete.
    expect(r.code).toBe(3);
    const lines = jsonLines(r.stdout);
    const reports = lines.filter((l) => l.schema === 'cogdoctor/report/v1');
    const folder = join(ROOT, 'fixtures/demo/organization/snapshots');
    const served = readdirSync(folder).map((file) => JSON.parse(readFileSync(join(folder, file), 'utf8')));
    const readable = served.filter((s) => s.accountId !== '222233334444');
    expect(reports.map((rep) => `${rep.target.accountId} ${rep.target.region} ${rep.target.domain}`).sort()).toEqual(
      readable.map((s) => `${s.accountId} ${s.region} ${s.domain.DomainName}`).sort(),
    );
    // Each domain gets the findings its source fixture expects, nothing left unknown.
    for (const rep of reports) {
      const source = readable.find((s) => s.accountId === rep.target.accountId && s.domain.DomainName === rep.target.domain)!;
      expect([...new Set(rep.findings.map((f: { id: string }) => f.id))].sort()).toEqual(source.fixture.expect);
      expect(rep.summary.unknown).toBe(0);
    }
    const summary = lines.at(-1);
    expect(summary.accounts.find((a: { accountId: string }) => a.accountId === '222233334444')).toMatchObject({ status: 'unreadable' });
    expect(summary.accounts.find((a: { accountId: string }) => a.accountId === '555566667777')).toBeUndefined();
  });
});

describe("a member role's own permissions", () => {
  const FULL = '200000000011'; // its role holds the permissions policy cogdoctor prints
  const SHORT = '200000000012'; // the same policy, and a Deny of cognito-idp:ListGroups
  const policy = permissionsPolicy();
  const noListGroups = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'cognito-idp:ListGroups', Resource: '*' }] };
  const regions = { 'eu-west-1': 'ENABLED_BY_DEFAULT', 'us-east-1': 'ENABLED_BY_DEFAULT' } as const;
  let served: Emulator;
  beforeAll(async () => {
    served = await startEmulator({
      organization: organizationOf([
        { accountId: FULL, name: 'full', role: 'trusts-management', regions, policies: [policy] },
        { accountId: SHORT, name: 'short', role: 'trusts-management', regions, policies: [policy, noListGroups] },
      ]),
      snapshots: [relocated('healthy/token-groups.json', FULL, 'eu-west-1'), relocated('healthy/token-groups.json', SHORT, 'eu-west-1')],
    });
  });
  afterAll(() => served.close());

  it('a read the role may not make leaves the checks that need it unknown in that account only, naming the permission', async () => {
    const args = ['check', '--all', '--accounts', `${FULL},${SHORT}`, '--role-name', ROLE, '--regions', 'eu-west-1', '--region', 'us-east-1'];
    const r = await cogdoctor([...args, '--format', 'json', '--endpoint-url', served.url, '--quiet'], ENV);
    expect(r.code).toBe(3);
    const reports = jsonLines(r.stdout).filter((l) => l.schema === 'cogdoctor/report/v1');
    const of = (account: string) => reports.find((rep) => rep.target.accountId === account);
    expect(of(FULL).summary).toMatchObject({ error: 0, unknown: 0 });
    const unknown = of(SHORT).checks.filter((c: { status: string }) => c.status === 'unknown');
    expect(unknown.length).toBeGreaterThan(0);
    for (const c of unknown) expect(c).toMatchObject({ permission: 'cognito-idp:ListGroups' });
    expect(of(SHORT).findings).toEqual([]);
  });
});
