import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testCheck, variant } from '../src/testing.js';
import type { Check } from '../src/index.js';
import { FIXTURES, ROOT, cogdoctor, loadFixture, loadFixtures } from './helpers.js';

const EXAMPLES = join(ROOT, 'examples/checks');
const PLUGINS = join(ROOT, 'test/fixtures/plugins');
// A plain .mjs plugin, as users write them: loaded by path so the type checker does not need its types.
const EXAMPLE_MODULE = join(ROOT, 'examples/checks/auth-role-naming.mjs');
const tmp = mkdtempSync(join(tmpdir(), 'cogdoctor-plugins-'));

const offConvention = variant(loadFixture('healthy/token-groups.json'), (s) => {
  const old = 'arn:aws:iam::123456789012:role/logs-prod-dashboards-reader';
  const renamed = 'arn:aws:iam::123456789012:role/ReadersRole';
  s.userPoolGroups![1]!.RoleArn = renamed;
  const role = s.roles!.find((r) => r.Arn === old)!;
  role.Arn = renamed;
  role.RoleName = 'ReadersRole';
  s.securityPlugin!.rolesMapping!['readall']!.backend_roles = [renamed, s.identityPoolRoles!.Roles!['authenticated']!];
  s.securityPlugin!.rolesMapping!['opensearch_dashboards_user']!.backend_roles = [renamed, s.identityPoolRoles!.Roles!['authenticated']!];
});
const offConventionFile = join(tmp, 'off-convention.json');
writeFileSync(offConventionFile, JSON.stringify(offConvention));

describe('the example plugin, loaded with --checks-dir', () => {
  it('fires on a role named off convention, in JSON and text output', async () => {
    const json = await cogdoctor(['check', '--snapshot', offConventionFile, '--checks-dir', EXAMPLES, '--format', 'json']);
    const report = JSON.parse(json.stdout);
    expect(report.findings.map((f: { id: string }) => f.id)).toEqual(['auth-role-naming/role-name-off-convention']);
    expect(report.checks.find((c: { check: string }) => c.check === 'auth-role-naming').status).toBe('fail');
    const text = await cogdoctor(['check', '--snapshot', offConventionFile, '--checks-dir', EXAMPLES]);
    expect(text.stdout).toMatch(/! auth-role-naming\/role-name-off-convention/);
    expect(text.stdout).toMatch(/ReadersRole/);
  });

  it('stays quiet on every healthy fixture', async () => {
    for (const fixture of loadFixtures().filter((f) => f.name.startsWith('healthy/'))) {
      const r = await cogdoctor(['check', '--snapshot', fixture.file, '--checks-dir', EXAMPLES, '--format', 'json']);
      const report = JSON.parse(r.stdout);
      expect(report.findings, fixture.name).toEqual([]);
      expect(report.checks.find((c: { check: string }) => c.check === 'auth-role-naming').status).toBe('pass');
    }
  });

  it('is listed by `cogdoctor checks` with its source, and loads from checks-dirs in .cogdoctor.yml', async () => {
    const listed = JSON.parse((await cogdoctor(['checks', '--format', 'json', '--checks-dir', EXAMPLES])).stdout);
    const plugin = listed.find((c: { id: string }) => c.id === 'auth-role-naming');
    expect(plugin.source).toBe(join(EXAMPLES, 'auth-role-naming.mjs'));
    expect(plugin.modes).toEqual([{ id: 'auth-role-naming/role-name-off-convention', severity: 'warning' }]);
    const config = join(tmp, 'cogdoctor.yml');
    writeFileSync(
      config,
      `checks-dirs:\n  - ${EXAMPLES}\nmutes:\n  - id: auth-role-naming/role-name-off-convention\n    reason: legacy readers role, renamed next quarter\n`,
    );
    const r = await cogdoctor(['check', '--snapshot', offConventionFile, '--config', config, '--format', 'json', '--fail-on', 'warning']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).findings[0].muted).toBe(true);
  });

  it('passes its table of cases through the exported tester', async () => {
    const { default: check } = (await import(EXAMPLE_MODULE)) as { default: Check };
    const { verifyCheck } = await import('../src/testing.js');
    const healthy = loadFixtures().filter((f) => f.name.startsWith('healthy/'));
    // The plugin declares its ids without the namespace; the loader adds it.
    expect(
      verifyCheck(check, {
        valid: healthy.map((f) => ({ name: f.name, snapshot: f.snapshot })),
        invalid: [{ name: 'off convention', snapshot: offConvention, ids: ['role-name-off-convention'], severity: 'warning' }],
      }),
    ).toEqual([]);
  });
});

describe('broken plugins', () => {
  it('a syntax error and a throwing run are errors of those checks; the built-in checks still run', async () => {
    const r = await cogdoctor([
      'check',
      '--snapshot',
      join(FIXTURES, 'healthy/opensearch-fgac.json'),
      '--checks-dir',
      join(PLUGINS, 'broken'),
      '--format',
      'json',
    ]);
    const report = JSON.parse(r.stdout);
    const status = (id: string) => report.checks.find((c: { check: string }) => c.check === id);
    expect(status('plugin:a-syntax-error.mjs').status).toBe('error');
    expect(status('plugin:a-syntax-error.mjs').reason).toMatch(/could not be loaded/);
    expect(status('always-throws')).toEqual({ check: 'always-throws', status: 'error', reason: 'the check failed: boom from the plugin' });
    expect(status('app-client-oauth').status).toBe('pass');
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      ['a-syntax-error.mjs', 'b-throws.mjs']
        .map((file) => `cogdoctor: loading plugin ${JSON.stringify(join(PLUGINS, 'broken', file))} (--checks-dir)\n`)
        .join(''),
    );
  });

  it('an id that collides with a built-in check is a usage error', async () => {
    const r = await cogdoctor(['check', '--snapshot', join(FIXTURES, 'healthy/opensearch-fgac.json'), '--checks-dir', join(PLUGINS, 'duplicate')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n').at(-1)).toMatch(/^cogdoctor: ".*same-id\.mjs": check id app-client-oauth is already used by a built-in check$/);
  });

  it('a folder that does not exist is a usage error', async () => {
    const r = await cogdoctor(['check', '--snapshot', join(FIXTURES, 'healthy/opensearch-fgac.json'), '--checks-dir', join(tmp, 'nope')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--checks-dir .*nope: cannot read it \(ENOENT\)/);
  });
});

// The built-in checks' table-driven helper is the same one plugins get from cogdoctor/testing.
const { default: exampleCheck } = (await import(EXAMPLE_MODULE)) as { default: Check };
testCheck(
  exampleCheck,
  {
    valid: [{ name: 'token-groups', snapshot: loadFixture('healthy/token-groups.json'), status: 'pass' }],
    invalid: [{ name: 'a reader role named ReadersRole', snapshot: offConvention, ids: ['role-name-off-convention'] }],
  },
  { describe, it },
);
