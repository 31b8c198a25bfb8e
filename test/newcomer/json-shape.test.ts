import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it, vi } from 'vitest';
import schema from '../../schema/report.schema.json' with { type: 'json' };
import { cogdoctor, FIXTURES } from '../helpers.js';

const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
const ONE = [join(FIXTURES, 'demo/logs-demo.json')];
// Two domains (a baseline tells reports apart by domain and region).
const SEVERAL = [join(FIXTURES, 'demo/logs-demo.json'), join(FIXTURES, 'fail/access-policy-open-no-fgac.json')];

describe('--format json has one shape for any number of inputs: JSON Lines of reports', () => {
  it.each([
    ['one input', ONE],
    ['several inputs', SEVERAL],
  ])('%s: one schema-valid report per line', async (_name, files) => {
    const r = await cogdoctor(['check', '--snapshot', ...files, '--format', 'json', '--fail-on', 'never']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n').slice(0, -1);
    expect(lines).toHaveLength(files.length);
    for (const line of lines) expect(validate(JSON.parse(line)), JSON.stringify(validate.errors)).toBe(true);
  });

  it("the README's `jq .findings` reads one input and several alike", async () => {
    for (const files of [ONE, SEVERAL]) {
      const r = await cogdoctor(['check', '--snapshot', ...files, '--format', 'json', '--fail-on', 'never']);
      const ids = execFileSync('jq', ['-c', '[.findings[].id]'], { input: r.stdout }).toString().trim().split('\n');
      expect(ids).toHaveLength(files.length);
      expect(JSON.parse(ids[0]!)).toContain('group-roles-ignored');
    }
  });

  it('a report of several inputs serves as --baseline', async () => {
    const report = await cogdoctor(['check', '--snapshot', ...SEVERAL, '--format', 'json', '--fail-on', 'never']);
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'cogdoctor-shape-'));
    try {
      writeFileSync(join(dir, 'baseline.json'), report.stdout);
      const gated = await cogdoctor(['check', '--snapshot', ...SEVERAL, '--baseline', join(dir, 'baseline.json')]);
      expect(gated.stderr).toBe('');
      expect(gated.code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('schema/report.schema.json', () => {
  it('compiles with a plain validator, without a warning (no format it would need a plugin for)', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      new Ajv({ strict: false }).compile(schema);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });
});
