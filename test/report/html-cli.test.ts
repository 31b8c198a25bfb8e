// --format html through the built CLI (node scripts/build.mjs first): check, demo, trace, diff and the sweep.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GATE_FIXTURES } from '../gate/fixtures.js';
import { cogdoctor } from '../gate/run-cli.js';
import { FIXTURES } from '../helpers.js';
import { expectInertPage, steps } from './html-structure.js';

const failed = (html: string) =>
  steps(html)
    .filter((s) => s.status === 'fail')
    .map((s) => s.step);

describe('--format html from the command line', () => {
  it('check: the page of a snapshot, exit code as for any format', async () => {
    const r = await cogdoctor(['check', '--snapshot', join(FIXTURES, 'fail/missing-role.json'), '--format', 'html']);
    expect(r.code).toBe(1);
    expectInertPage(r.stdout);
    expect(failed(r.stdout)).toEqual(['fgac']);
  });

  it('demo: the live demo page is under 200 KB and marks the demo’s broken steps', async () => {
    const r = await cogdoctor(['demo', '--format', 'html']);
    expect(r.code).toBe(0);
    expectInertPage(r.stdout);
    expect(Buffer.byteLength(r.stdout)).toBeLessThan(200 * 1024);
    expect(failed(r.stdout)).toEqual(['hosted-ui', 'role-selection', 'fgac']);
    expect(steps(r.stdout).find((s) => s.step === 'token-exchange')?.status).toBe('warn');
  });

  it('demo --organization: the sweep is one page, a login path per domain, then the summary', async () => {
    const r = await cogdoctor(['demo', '--organization', '--format', 'html']);
    expectInertPage(r.stdout);
    expect(r.stdout.match(/<!DOCTYPE html>/g)).toHaveLength(1);
    expect(r.stdout.match(/<ol class="login-path"/g)!.length).toBeGreaterThan(1);
    expect(r.stdout).toContain('<h2 id="sweep">Organization sweep</h2>');
  });

  it('trace: the trace steps, the failed one marked', async () => {
    const r = await cogdoctor(['trace', '--snapshot', join(FIXTURES, 'fail/missing-role.json'), '--groups', '', '--format', 'html']);
    expect(r.code).toBe(1);
    expectInertPage(r.stdout);
    expect(steps(r.stdout).map((s) => s.step)).toContain('user-account');
    expect(failed(r.stdout)).toEqual(['fgac']);
  });

  it('diff: the step the change breaks', async () => {
    const r = await cogdoctor(['diff', join(GATE_FIXTURES, 'base.json'), join(GATE_FIXTURES, 'new-failure.json'), '--format', 'html']);
    expect(r.code).toBe(1);
    expectInertPage(r.stdout);
    expect(failed(r.stdout)).toEqual(['hosted-ui']);
    expect(r.stdout).toContain('<table class="changes">');
  });

  it('--compact stays a text view', async () => {
    const r = await cogdoctor(['check', '--snapshot', join(FIXTURES, 'demo/logs-demo.json'), '--format', 'html', '--compact']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--compact is a text view');
  });
});
