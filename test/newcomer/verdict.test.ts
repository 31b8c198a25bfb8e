import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cogdoctor, FIXTURES } from '../helpers.js';

const HEALTHY = join(FIXTURES, 'healthy/opensearch-fgac.json');
const DEMO = join(FIXTURES, 'demo/logs-demo.json');
const WARNINGS_ONLY = join(FIXTURES, 'fail/classic-flow-enabled.json');
const AREAS = ['hosted UI', 'token exchange', 'role selection', 'trust', 'access policy', 'FGAC'];

describe('the text report ends with a verdict by area', () => {
  it('a healthy run: every area passed, and "No issues found."', async () => {
    const r = await cogdoctor(['check', '--snapshot', HEALTHY]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Areas: ${AREAS.map((a) => `✓ ${a}`).join('   ')}`);
    expect(r.stdout.trimEnd().endsWith('No issues found.')).toBe(true);
    expect(r.stdout).not.toMatch(/ passed: /);
  });

  it('--verbose lists the checks that passed in each area', async () => {
    const r = await cogdoctor(['check', '--snapshot', HEALTHY, '-v']);
    expect(r.stdout).toMatch(/^ {2}FGAC passed: fgac-role-mappings$/m);
    expect(r.stdout).toMatch(/^ {2}trust passed: .*auth-role-trust/m);
  });

  it('a run with findings marks the areas they are in, and does not say "No issues found"', async () => {
    const r = await cogdoctor(['check', '--snapshot', DEMO]);
    expect(r.stdout).toMatch(/Areas: .*✗ FGAC/);
    expect(r.stdout).toMatch(/Areas: .*✓ access policy/);
    expect(r.stdout).not.toMatch(/No issues found/);
  });

  it('an area with warnings only is marked !, and the run ends "No errors found"', async () => {
    const r = await cogdoctor(['check', '--snapshot', DEMO]);
    // The demo's one warning (unauthenticated identities) is in token exchange, beside no error.
    expect(r.stdout).toMatch(/Areas: .*! token exchange/);
    const warned = await cogdoctor(['check', '--snapshot', WARNINGS_ONLY]);
    expect(warned.code).toBe(0);
    expect(warned.stdout).toMatch(/^Areas: (?!.*[✗?] ).*! /m);
    expect(warned.stdout.trimEnd().endsWith('No errors found; see the warnings above.')).toBe(true);
  });
});

describe('--compact', () => {
  it('one line per finding, then the counts and the areas', async () => {
    const full = await cogdoctor(['check', '--snapshot', DEMO, '--format', 'json']);
    const findings = (JSON.parse(full.stdout) as { findings: { id: string }[] }).findings;
    const r = await cogdoctor(['check', '--snapshot', DEMO, '--compact']);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1 + findings.length + 2);
    findings.forEach((f, i) => expect(lines[1 + i]).toMatch(new RegExp(`^[✗!i] ${f.id}  `)));
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(200);
    expect(lines.at(-1)).toMatch(/^Areas: /);
  });

  it('is a text view: with another format it is a usage error', async () => {
    const r = await cogdoctor(['check', '--snapshot', DEMO, '--compact', '--format', 'json']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('cogdoctor: --compact is a text view: drop it or --format json');
  });
});
