// Plugins that loop, exit, throw oddities, flood, lie about severity or namespace, escape the
// terminal, print on stdout, write to the snapshot or look for credentials: each ends as that
// check's error (or is kept from harm), and the run and every built-in check go on unchanged.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult, Report } from '../src/index.js';
import { FIXTURES, ROOT, cogdoctor } from './helpers.js';

const PLUGINS = join(ROOT, 'test/fixtures/plugins');
const SNAPSHOT = join(FIXTURES, 'healthy/opensearch-fgac.json');
const statusOf = (report: Report, id: string) => report.checks.find((c) => c.check === id);
const builtinResults = (report: Report, builtinIds: Set<string>) => report.checks.filter((c) => builtinIds.has(c.check));

let baseline: Report;
let builtinIds: Set<string>;

beforeAll(async () => {
  baseline = JSON.parse((await cogdoctor(['check', '--snapshot', SNAPSHOT, '--format', 'json'])).stdout) as Report;
  builtinIds = new Set(baseline.checks.map((c) => c.check));
});

describe('hostile plugins', () => {
  let run: { code: number; stdout: string; stderr: string };
  let report: Report;

  beforeAll(async () => {
    run = await cogdoctor(['check', '--snapshot', SNAPSHOT, '--checks-dir', join(PLUGINS, 'hostile'), '--format', 'json']);
    report = JSON.parse(run.stdout) as Report;
  }, 120_000);

  const ERRORS: Array<[string, RegExp]> = [
    ['plugin:hang-at-import.mjs', /could not be loaded: it did not finish loading within 5000 ms/],
    ['hangs', /the check failed: it did not answer within 5000 ms/],
    ['hogs-memory', /the check failed: it did not answer within 5000 ms \(it loops, ran out of memory or ended its worker\)/],
    ['plugin:exits-at-import.mjs', /could not be loaded: the plugin called process\.exit\(0\)/],
    ['exits', /the check failed: the plugin called process\.exit\(0\)/],
    ['throws-bare-object', /^the check failed: \{\}$/],
    ['floods', /returned 200000 findings, more than the 1000 a plugin check may report/],
    ['bad-severity', /severity "critical", not error, warning or info/],
    ['claims-namespace', /finding "auth-role-naming\/role-name-off-convention" is outside the plugin's namespace claims-namespace\//],
    ['declares-foreign-mode', /failure mode "auth-role-naming\/role-name-off-convention" is outside the plugin's namespace declares-foreign-mode\//],
    ['escapes-mode', /failure mode ".*" must be lower-case words joined by hyphens/],
  ];
  for (const [id, reason] of ERRORS) {
    it(`${id} ends as that check's error`, () => {
      const result = statusOf(report, id) as CheckResult;
      expect(result.status).toBe('error');
      expect(result.reason).toMatch(reason);
    });
  }

  it('the run ends with the report on stdout and exit 3, whatever the plugins did', () => {
    expect(run.code).toBe(3);
    expect(report.schema).toBe('cogdoctor/report/v1');
  });

  it('the built-in checks give the same results as without the plugins', () => {
    expect(builtinResults(report, builtinIds)).toEqual(builtinResults(baseline, builtinIds));
  });

  it('what a plugin prints goes to stderr, and its findings still count', () => {
    expect(run.stderr).toContain('{"not": "the report"}');
    expect(run.stderr).toContain('still not the report');
    expect(statusOf(report, 'prints')).toEqual({ check: 'prints', status: 'fail' });
    expect(report.findings.map((f) => f.id)).toEqual(['prints/found']);
  });

  it('no escape sequence from a plugin reaches the terminal', async () => {
    expect(run.stdout).not.toContain('\u001b');
    expect(run.stderr).not.toContain('\u001b');
    const text = await cogdoctor(['check', '--snapshot', SNAPSHOT, '--checks-dir', join(PLUGINS, 'hostile'), '--skip', 'hangs']);
    expect(text.stdout + text.stderr).not.toContain('\u001b');
  }, 60_000);

  it('every plugin file loaded is named on stderr', () => {
    for (const file of [
      'bad-severity',
      'claims-namespace',
      'declares-foreign-mode',
      'escapes-mode',
      'exits-at-import',
      'exits',
      'floods',
      'hang-at-import',
      'hangs',
      'hogs-memory',
      'prints',
      'throws-bare-object',
    ]) {
      expect(run.stderr).toContain(`cogdoctor: loading plugin ${JSON.stringify(join(PLUGINS, 'hostile', `${file}.mjs`))} (--checks-dir)\n`);
    }
  });
});

describe('what a plugin can reach', () => {
  it('a plugin writing to the snapshot fails alone: the checks after it read the snapshot as it was', async () => {
    const r = await cogdoctor(['check', '--snapshot', SNAPSHOT, '--checks-dir', join(PLUGINS, 'contained'), '--format', 'json']);
    const report = JSON.parse(r.stdout) as Report;
    expect(statusOf(report, 'aaa-mutates-snapshot')).toMatchObject({
      status: 'error',
      reason: expect.stringMatching(/read only|read-only|Cannot assign|not extensible/),
    });
    expect(builtinResults(report, builtinIds)).toEqual(builtinResults(baseline, builtinIds));
    expect(report.findings).toEqual(baseline.findings);
  });

  it("a plugin does not see the caller's AWS credentials", async () => {
    const r = await cogdoctor(['check', '--snapshot', SNAPSHOT, '--checks-dir', join(PLUGINS, 'contained'), '--format', 'json'], {
      AWS_ACCESS_KEY_ID: 'AKIACANARYCANARY0000',
      AWS_SECRET_ACCESS_KEY: 'canary-secret-canary-secret',
      AWS_SESSION_TOKEN: 'canary-session-token',
      AWS_PROFILE: 'canary',
    });
    const report = JSON.parse(r.stdout) as Report;
    expect(statusOf(report, 'sees-credentials')).toEqual({ check: 'sees-credentials', status: 'pass' });
  });
});

describe('a .cogdoctor.yml in the working directory that loads code', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cogdoctor-plugin-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('says so loudly on stderr, naming the file and the plugin', async () => {
    writeFileSync(join(dir, '.cogdoctor.yml'), `checks-dirs:\n  - ${join(ROOT, 'examples/checks')}\n`);
    const { stderr } = await promisify(execFile)('node', [join(ROOT, 'bin', 'cogdoctor'), 'check', '--snapshot', SNAPSHOT, '--format', 'json'], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '0' },
    });
    expect(stderr).toContain(
      `cogdoctor: WARNING: running plugin code ${JSON.stringify(join(ROOT, 'examples/checks/auth-role-naming.mjs'))} because ${JSON.stringify(join(dir, '.cogdoctor.yml'))} in the working directory names it in checks-dirs.`,
    );
  });
});
