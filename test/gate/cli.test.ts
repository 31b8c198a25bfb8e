// The CI gate through the built CLI (node scripts/build.mjs first): baselines, mutes, formats, diff.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { configChanges } from '../../src/diff/changes.js';
import { FIXTURES, loadFixture, loadFixtures, ROOT, variant } from '../helpers.js';
import { withEmulator } from '../live/harness.js';
import { GATE_FIXTURES } from './fixtures.js';
import { cogdoctor } from './run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'cogdoctor-gate-'));
const BASE = join(GATE_FIXTURES, 'base.json');
const NEW_FAILURE = join(GATE_FIXTURES, 'new-failure.json');
const FIXED = join(GATE_FIXTURES, 'fixed.json');

function writeTmp(name: string, content: string): string {
  const file = join(tmp, name);
  writeFileSync(file, content);
  return file;
}

/** A fresh directory, optionally holding a .cogdoctor.yml. */
function workdir(config?: string): string {
  const dir = mkdtempSync(join(tmp, 'cwd-'));
  if (config !== undefined) writeFileSync(join(dir, '.cogdoctor.yml'), config);
  return dir;
}

function expectUsageError(r: { code: number; stderr: string }, pattern: RegExp) {
  expect(r.code).toBe(2);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(pattern);
}

interface JsonFinding {
  id: string;
  uid: string;
  new?: boolean;
  muted?: boolean;
  muteReason?: string;
  muteExpired?: boolean;
}

describe('check --baseline', () => {
  it('equal to the current state: exit 0, whether the baseline is the snapshot or its JSON report', async () => {
    expect((await cogdoctor(['check', '--snapshot', BASE])).code).toBe(1);
    expect((await cogdoctor(['check', '--snapshot', BASE, '--baseline', BASE])).code).toBe(0);
    const reportFile = join(tmp, 'base-report.json');
    await cogdoctor(['check', '--snapshot', BASE, '--format', 'json', '--output', reportFile]);
    const r = await cogdoctor(['check', '--snapshot', BASE, '--baseline', reportFile, '--format', 'json']);
    expect(r.code).toBe(0);
    const findings = JSON.parse(r.stdout).findings as JsonFinding[];
    expect(findings.length).toBe(2);
    expect(findings.every((f) => f.new === false)).toBe(true);
  });

  it('one new failure: exit 1, and only it is listed as a finding to act on', async () => {
    const json = await cogdoctor(['check', '--snapshot', NEW_FAILURE, '--baseline', BASE, '--format', 'json']);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout);
    expect((report.findings as JsonFinding[]).filter((f) => f.new).map((f) => f.id)).toEqual(['redirect-mismatch']);
    expect(report.summary).toMatchObject({ new: 1, fixed: 0 });
    const text = await cogdoctor(['check', '--snapshot', NEW_FAILURE, '--baseline', BASE]);
    expect(text.code).toBe(1);
    const blocks = text.stdout.split('\n').filter((line) => /^[✗!i] /.test(line));
    expect(blocks).toEqual([expect.stringMatching(/^✗ redirect-mismatch {2}\(new\)/)]);
    expect(text.stdout).toMatch(/Known from the baseline \(2\):\n {2}✗ oauth-scopes-missing .*\n {2}! classic-flow-enabled /);
    expect(text.stdout).toMatch(/1 new, 0 fixed since .*base\.json/);
  });

  it('a fixed finding is reported as fixed', async () => {
    const r = await cogdoctor(['check', '--snapshot', FIXED, '--baseline', BASE, '--format', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.baseline.fixed.map((f: { id: string }) => f.id)).toEqual(['classic-flow-enabled']);
    expect(report.summary.fixed).toBe(1);
    const text = await cogdoctor(['check', '--snapshot', FIXED, '--baseline', BASE]);
    expect(text.stdout).toMatch(/Fixed since the baseline \(1\):\n {2}✓ classic-flow-enabled /);
  });

  it('uids do not change between runs, so tickets and baselines de-duplicate', async () => {
    const a = JSON.parse((await cogdoctor(['check', '--snapshot', NEW_FAILURE, '--format', 'json'])).stdout);
    const b = JSON.parse((await cogdoctor(['check', '--snapshot', NEW_FAILURE, '--format', 'json'])).stdout);
    expect(a.findings.map((f: JsonFinding) => f.uid)).toEqual(b.findings.map((f: JsonFinding) => f.uid));
    expect(a.findings.every((f: JsonFinding) => /^[0-9a-f]{16}$/.test(f.uid))).toBe(true);
  });

  it('an unusable baseline is a usage error naming the file and the path', async () => {
    expectUsageError(await cogdoctor(['check', '--snapshot', BASE, '--baseline', join(tmp, 'none.json')]), /^cogdoctor: cannot read .*none\.json \(ENOENT\)$/m);
    expectUsageError(
      await cogdoctor(['check', '--snapshot', BASE, '--baseline', writeTmp('junk.json', '{"a": 1}')]),
      /^cogdoctor: --baseline .*junk\.json: \$: not a cogdoctor report/m,
    );
    const broken = writeTmp(
      'broken-report.json',
      JSON.stringify({ schema: 'cogdoctor/report/v1', target: { domain: 'd', region: 'r' }, findings: [{ id: 'x' }] }),
    );
    expectUsageError(await cogdoctor(['check', '--snapshot', BASE, '--baseline', broken]), /\$\.findings\[0\]\.check: must be a string/);
  });
});

describe('.cogdoctor.yml and --config', () => {
  const mutes = (expires: string) => `mutes:
  - id: oauth-scopes-missing
    resource: "arn:aws:cognito-idp:eu-west-1:*:userpool/*"
    reason: scopes are set by the platform team's module (PLAT-123)
    expires: ${expires}
`;

  it('a mute read from the current directory keeps the finding, marks it and does not fail the run', async () => {
    const r = await cogdoctor(['check', '--snapshot', BASE, '--format', 'json'], { cwd: workdir(mutes('2999-12-31')) });
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.findings.find((f: JsonFinding) => f.id === 'oauth-scopes-missing')).toMatchObject({
      muted: true,
      muteReason: "scopes are set by the platform team's module (PLAT-123)",
      muteExpires: '2999-12-31',
    });
    expect(report.summary.muted).toBe(1);
    const text = await cogdoctor(['check', '--snapshot', BASE], { cwd: workdir(mutes('2999-12-31')) });
    expect(text.stdout).toMatch(/Muted \(1\):\n {2}~ oauth-scopes-missing {2}scopes are set by the platform team's module \(PLAT-123\) \(until 2999-12-31\)/);
  });

  it('an expired mute stops muting and says so', async () => {
    const r = await cogdoctor(['check', '--snapshot', BASE], { cwd: workdir(mutes('2001-01-01')) });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ oauth-scopes-missing.*\n.*\n {4}Mute expired on 2001-01-01: scopes are set by the platform team's module/);
  });

  it('fail-on from the config applies unless --fail-on is given; skip adds to --skip', async () => {
    const dir = workdir('fail-on: warning\nmutes:\n  - id: oauth-scopes-missing\n    reason: known\n');
    expect((await cogdoctor(['check', '--snapshot', BASE], { cwd: dir })).code).toBe(1);
    expect((await cogdoctor(['check', '--snapshot', BASE, '--fail-on', 'error'], { cwd: dir })).code).toBe(0);
    const skipping = workdir('fail-on: warning\nskip: [classic-flow-enabled]\nmutes:\n  - id: oauth-scopes-missing\n    reason: known\n');
    const r = await cogdoctor(['check', '--snapshot', BASE, '--format', 'json'], { cwd: skipping });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).findings.map((f: JsonFinding) => f.id)).toEqual(['oauth-scopes-missing']);
  });

  it('--config FILE instead of .cogdoctor.yml', async () => {
    const file = writeTmp('ci.yml', mutes('2999-12-31'));
    const dir = workdir('fail-on: never\n');
    const r = await cogdoctor(['check', '--snapshot', BASE, '--config', file, '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).summary.muted).toBe(1);
  });

  it('an invalid config exits 2 with the path of the bad field', async () => {
    expectUsageError(
      await cogdoctor(['check', '--snapshot', BASE], { cwd: workdir('mutes:\n  - id: oauth-scopes-missing\n') }),
      /^cogdoctor: \.cogdoctor\.yml: \$\.mutes\[0\]\.reason: is required$/m,
    );
    expectUsageError(
      await cogdoctor(['check', '--snapshot', BASE, '--config', writeTmp('typo.yml', 'mutes:\n  - id: oauth-scope-missing\n    reason: x\n')]),
      /typo\.yml: \$\.mutes\[0\]\.id: unknown failure id "oauth-scope-missing"/,
    );
    expectUsageError(
      await cogdoctor(['check', '--snapshot', BASE, '--config', writeTmp('yaml.yml', 'mutes: [\n')]),
      /yaml\.yml: \$: not valid YAML \(line 2, column 1\)/,
    );
    expectUsageError(await cogdoctor(['check', '--snapshot', BASE, '--config', join(tmp, 'absent.yml')]), /cannot read .*absent\.yml \(ENOENT\)/);
    expectUsageError(await cogdoctor(['diff', BASE, NEW_FAILURE], { cwd: workdir('fail-on: sometimes\n') }), /\$\["fail-on"\]: must be one of/);
  });
});

describe('formats through the CLI', () => {
  it('markdown, sarif and junit are printed from the same report, to stdout or --output', async () => {
    const json = JSON.parse((await cogdoctor(['check', '--snapshot', NEW_FAILURE, '--format', 'json'])).stdout);
    const ids = json.findings.map((f: JsonFinding) => f.id);
    const markdown = await cogdoctor(['check', '--snapshot', NEW_FAILURE, '--format', 'markdown']);
    expect(markdown.code).toBe(1);
    expect(markdown.stdout.split('\n')[0]).toBe('# cogdoctor: 2 errors, 1 warning on logs-prod (eu-west-1)');
    for (const id of ids) expect(markdown.stdout).toContain(`\`${id}\``);
    const sarifFile = join(tmp, 'out.sarif');
    const sarif = await cogdoctor([
      'check',
      '--snapshot',
      NEW_FAILURE,
      '--baseline',
      BASE,
      '--format',
      'sarif',
      '--sarif-location',
      'infra/opensearch.tf',
      '-o',
      sarifFile,
    ]);
    expect(sarif.code).toBe(1);
    expect(sarif.stdout).toBe('');
    const log = JSON.parse(readFileSync(sarifFile, 'utf8'));
    expect(log.runs[0].results.map((r: { ruleId: string }) => r.ruleId)).toEqual(ids);
    expect(log.runs[0].results.map((r: { baselineState: string }) => r.baselineState)).toEqual(['new', 'unchanged', 'unchanged']);
    expect(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('infra/opensearch.tf');
    const junit = await cogdoctor(['check', '--snapshot', NEW_FAILURE, '--format', 'junit']);
    expect(junit.code).toBe(1);
    expect(XMLValidator.validate(junit.stdout)).toBe(true);
    expect(junit.stdout).toMatch(/<testsuite name="logs-prod \(eu-west-1\)" tests="\d+" failures="3" errors="0" skipped="\d+">/);
  });

  it('an unknown format is a usage error', async () => {
    expect((await cogdoctor(['check', '--snapshot', BASE, '--format', 'yaml'])).code).toBe(2);
    expect((await cogdoctor(['diff', BASE, NEW_FAILURE, '--format', 'sarif'])).code).toBe(2);
  });

  it('no format prints a planted client secret or token', async () => {
    const SECRET = 'CANARY-cli-secret-4e1d';
    const PAYLOAD = 'eyJjYW5hcnkiOiJjbGktdG9rZW4ifQ';
    const TOKEN = `eyJhbGciOiJSUzI1NiJ9.${PAYLOAD}.Y2xpLWNhbmFyeS1zaWc`;
    // A callback URL that carries a token (pasted from a browser) travels into the evidence, the message and the diff.
    const leaky = variant(loadFixture('healthy/opensearch-fgac.json'), (s) => {
      s.userPoolClients![0]!.ClientSecret = SECRET;
      s.userPoolClients![0]!.CallbackURLs = [`https://dashboards.example.com/_dashboards/app/home#id_token=${TOKEN}`];
    });
    const file = writeTmp('leaky.json', JSON.stringify(leaky));
    expect(readFileSync(file, 'utf8')).toContain(SECRET);
    const outputs = await Promise.all([
      ...['text', 'json', 'markdown', 'sarif', 'junit'].map((format) => cogdoctor(['check', '--snapshot', file, '--format', format, '--verbose'])),
      cogdoctor(['diff', join(FIXTURES, 'healthy/opensearch-fgac.json'), file]),
      cogdoctor(['diff', join(FIXTURES, 'healthy/opensearch-fgac.json'), file, '--format', 'json']),
    ]);
    for (const r of outputs) {
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/redirect-mismatch/);
      expect(r.stdout + r.stderr).not.toContain(SECRET);
      expect(r.stdout + r.stderr).not.toContain(PAYLOAD);
    }
  });
});

describe('cogdoctor diff', () => {
  const fixtures = loadFixtures();
  const healthy = fixtures.filter((f) => f.name.startsWith('healthy/'));
  const broken = fixtures.filter((f) => f.name.startsWith('fail/'));

  // Discovered at test time: failing fixtures keep arriving as checks are written. Each is diffed
  // against the healthy account it was made from (the one it differs least from).
  it.each(broken.map((f) => [f.name, f] as const))('healthy → %s names the changed field and the failure id it causes', async (_name, fixture) => {
    const base = healthy.map((h) => ({ h, n: configChanges(h.snapshot, fixture.snapshot).length })).sort((a, b) => a.n - b.n)[0]!.h;
    const r = await cogdoctor(['diff', relative(ROOT, base.file), relative(ROOT, fixture.file), '--format', 'json', '--fail-on', 'info']);
    const diff = JSON.parse(r.stdout);
    expect(r.code).toBe(fixture.expect.length > 0 ? 1 : 0);
    expect(diff.changes.length).toBeGreaterThan(0);
    for (const id of fixture.expect) {
      const causing = diff.changes.filter((c: { causes: string[] }) => c.causes.includes(id));
      expect(causing.length, `${id}: ${JSON.stringify(diff.changes.map((c: { path: string; causes: string[] }) => [c.path, c.causes]))}`).toBeGreaterThan(0);
      for (const change of causing) expect(change.path).toContain(change.field);
      expect(diff.findings.added.map((f: JsonFinding) => f.id)).toContain(id);
    }
  });

  it('text: each change with its consequence, then findings added and removed', async () => {
    const r = await cogdoctor(['diff', 'fixtures/healthy/custom-endpoint.json', 'fixtures/fail/custom-endpoint-not-in-callback.json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      '  ~ userPoolClients[4q8v2n6k1m3p5r7t9w0y2a4c6e].CallbackURLs lost https://logs.example.com/_dashboards/app/home  → custom-endpoint-not-in-callback',
    );
    expect(r.stdout).toMatch(
      /Findings added \(1\):\n {2}✗ custom-endpoint-not-in-callback {2}The app client .*\n {6}caused by userPoolClients\[4q8v2n6k1m3p5r7t9w0y2a4c6e\]\.CallbackURLs/,
    );
    expect(r.stdout).toContain('Findings removed (0)');
    const back = await cogdoctor(['diff', 'fixtures/fail/custom-endpoint-not-in-callback.json', 'fixtures/healthy/custom-endpoint.json']);
    expect(back.code).toBe(0);
    expect(back.stdout).toMatch(/Findings removed \(1\):\n {2}✓ custom-endpoint-not-in-callback/);
  });

  it('exit 1 only for an added finding at or above --fail-on, and not when it is muted', async () => {
    expect((await cogdoctor(['diff', BASE, NEW_FAILURE])).code).toBe(1);
    expect((await cogdoctor(['diff', BASE, NEW_FAILURE, '--fail-on', 'never'])).code).toBe(0);
    expect((await cogdoctor(['diff', FIXED, BASE])).code).toBe(0);
    expect((await cogdoctor(['diff', FIXED, BASE, '--fail-on', 'warning'])).code).toBe(1);
    const dir = workdir('mutes:\n  - id: redirect-mismatch\n    reason: proxy cut-over\n');
    expect((await cogdoctor(['diff', BASE, NEW_FAILURE], { cwd: dir })).code).toBe(0);
  });

  it('a side that is neither a readable snapshot nor a domain name is a usage error', async () => {
    expectUsageError(await cogdoctor(['diff', join(tmp, 'missing.json'), BASE]), /cannot read .*missing\.json \(ENOENT\)/);
    expectUsageError(await cogdoctor(['diff', BASE, writeTmp('bad.json', '{')]), /\$: not valid JSON/);
  });

  it('a side that is a domain name is read live; a live SARIF run asks for --sarif-location', async () => {
    const ENV = {
      AWS_ACCESS_KEY_ID: 'AKIDGATETEST00000000',
      AWS_SECRET_ACCESS_KEY: 'gate-test-secret-not-real',
      AWS_CONFIG_FILE: '/nonexistent',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_MAX_ATTEMPTS: '1',
    };
    await withEmulator([loadFixture('fail/redirect-mismatch.json')], async (emulator) => {
      const r = await cogdoctor(
        ['diff', 'fixtures/healthy/opensearch-fgac.json', 'logs-prod', '--region', 'eu-west-1', '--endpoint-url', emulator.url, '--format', 'json'],
        { env: ENV },
      );
      expect(r.stderr).toBe('');
      expect(r.code).toBe(1);
      const diff = JSON.parse(r.stdout);
      expect(diff.new.target.source).toBe('live');
      expect(diff.new.target.file).toBeUndefined();
      expect(diff.changes.find((c: { path: string }) => c.path.endsWith('.CallbackURLs')).causes).toEqual(['redirect-mismatch']);
      // A live check has no file for SARIF results to point at, unless --sarif-location names one.
      const live = ['check', 'logs-prod', '--region', 'eu-west-1', '--endpoint-url', emulator.url, '--format', 'sarif'];
      const bare = await cogdoctor(live, { env: ENV });
      expect(bare.stderr).toMatch(/^cogdoctor: the SARIF results of a live run point at no file, .* pass --sarif-location FILE/);
      expect(JSON.parse(bare.stdout).runs[0].results[0].locations[0].physicalLocation).toBeUndefined();
      const located = await cogdoctor([...live, '--sarif-location', 'infra/main.tf'], { env: ENV });
      expect(located.stderr).toBe('');
      expect(JSON.parse(located.stdout).runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('infra/main.tf');
    });
  });
});
