import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cogdoctor, FIXTURES, ROOT } from '../helpers.js';

// Outside the repository: no node_modules above it holds cogdoctor.
const outside = mkdtempSync(join(tmpdir(), 'cogdoctor-plugin-'));
afterAll(() => rmSync(outside, { recursive: true, force: true }));

describe('plugins', () => {
  it("the example plugin copied out of the repository imports the running cogdoctor's API", async () => {
    const dir = mkdtempSync(join(outside, 'copied-'));
    copyFileSync(join(ROOT, 'examples/checks/auth-role-naming.mjs'), join(dir, 'auth-role-naming.mjs'));
    const r = await cogdoctor(['check', '--snapshot', join(FIXTURES, 'demo/logs-demo.json'), '--checks-dir', dir, '--format', 'json', '--fail-on', 'never']);
    // The one line on stderr names the plugin file loaded (every plugin file is named).
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^cogdoctor: loading plugin .*auth-role-naming\.mjs/)]);
    const report = JSON.parse(r.stdout) as { checks: { check: string; status: string }[] };
    expect(report.checks.find((c) => c.check === 'auth-role-naming')?.status).toMatch(/^(pass|fail)$/);
    expect(report.checks.some((c) => c.status === 'error')).toBe(false);
  });

  it('checks --checks-dir shows a plugin that failed to load, on stdout and stderr, and exits 3', async () => {
    const dir = mkdtempSync(join(outside, 'broken-'));
    writeFileSync(join(dir, 'broken.mjs'), "import { nothing } from 'no-such-package';\nexport default nothing;\n");
    const r = await cogdoctor(['checks', '--checks-dir', dir]);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/^plugin:broken\.mjs .*\n {2}NOT LOADED: .*Cannot find package 'no-such-package'/m);
    expect(r.stderr).toMatch(/^cogdoctor: the plugin file .*broken\.mjs.* could not be loaded: .*Cannot find package 'no-such-package'/m);
  });
});
