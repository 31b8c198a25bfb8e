import { describe, expect, it } from 'vitest';
import { render } from '../../src/cli/output.js';
import { diffSnapshots } from '../../src/diff/index.js';
import { builtinChecks } from '../../src/engine/builtin.js';
import { defineCheck } from '../../src/engine/define.js';
import type { Report } from '../../src/engine/types.js';
import { redactReport } from '../../src/redact.js';
import { runChecks } from '../../src/report/assemble.js';
import { renderDiffHtml, renderHtml, renderTraceHtml } from '../../src/report/html.js';
import { loginPathOf, loginPathOfTrace } from '../../src/report/login-path.js';
import { SweepTally, sweepWriter } from '../../src/report/sweep.js';
import { identityFromGroups, traceLogin } from '../../src/trace/index.js';
import { gateFixture } from '../gate/fixtures.js';
import { loadFixture, report, variant } from '../helpers.js';
import { HOSTILE, hostileCheck } from './formats.js';
import { expectInertPage, steps, tagsOf } from './html-structure.js';
import { FAILING, STEP_IDS } from './login-steps.js';

const V = { version: '0.0.0-test' };
const page = (r: Report) => renderHtml([redactReport(r)], V);
const demo = report(loadFixture('demo/logs-demo.json'));

/** The finding-link targets of one step of the page. */
function linksOf(html: string, step: string): string[] {
  const item = new RegExp(
    `<li class="step" id="[^"]*" data-step="${step}"[\\s\\S]*?</ul></li>|<li class="step" id="[^"]*" data-step="${step}".*?</li>\\n`,
  ).exec(html)![0];
  return [...item.matchAll(/<a class="finding-link" href="#finding-([^"]+)">/g)].map((m) => m[1]!);
}

describe('check --format html', () => {
  it('the demo: every step with its status, the failed ones linked to their findings, under 200 KB', () => {
    const html = page(demo);
    expectInertPage(html);
    expect(steps(html)).toEqual([
      { step: 'hosted-ui', status: 'fail' },
      { step: 'token-exchange', status: 'warn' },
      { step: 'role-selection', status: 'fail' },
      { step: 'trust', status: 'pass' },
      { step: 'access-policy', status: 'pass' },
      { step: 'fgac', status: 'fail' },
    ]);
    const uid = (id: string) => demo.findings.find((f) => f.id === id)!.uid;
    expect(linksOf(html, 'hosted-ui')).toEqual([uid('custom-endpoint-not-in-callback')]);
    // A posture warning does not fail the login at its step: passed, with the warning linked.
    expect(linksOf(html, 'token-exchange')).toEqual([uid('unauth-identities-enabled')]);
    expect(linksOf(html, 'fgac')).toEqual([uid('missing-role')]);
    expect(linksOf(html, 'trust')).toEqual([]);
    for (const f of demo.findings) {
      expect(html).toContain(`<article class="finding fid-`);
      expect(html).toMatch(new RegExp(`<article class="finding fid-\\d+" id="finding-${f.uid}" data-id="${f.id}" data-severity="${f.severity}">`));
    }
    // The fix commands, in a copyable block.
    const commands = demo.findings.find((f) => f.id === 'custom-endpoint-not-in-callback')!.fix.commands!;
    expect(html).toContain(`<pre><code class="fix">aws cognito-idp describe-user-pool-client`);
    expect(html.match(/<pre><code class="fix">([\s\S]*?)<\/code><\/pre>/)![1]!.split('\n')).toHaveLength(commands.length);
    // Each step names its resources, and its status in words, not only by colour.
    expect(html).toMatch(/data-step="role-selection" data-status="fail">.*<span class="status">failed<\/span>.*identity pool: <code>eu-west-1:5f0c7a3e/);
    expect(html).toMatch(/data-step="token-exchange" data-status="warn">.*<span class="status">with warnings<\/span>/);
    expect(html).toMatch(
      /<ol class="login-path" aria-label="Login path of domain logs-prod: Hosted UI failed, Token exchange with warnings, .*Trust \(STS\) passed/,
    );
    expect(Buffer.byteLength(html)).toBeLessThan(200 * 1024);
  });

  it('a healthy domain: every step passed, no finding links', () => {
    const html = page(report(loadFixture('healthy/opensearch-fgac.json')));
    expectInertPage(html);
    expect(steps(html)).toEqual(STEP_IDS.map((step) => ({ step, status: 'pass' })));
    expect(html).not.toContain('finding-link');
  });

  it.each(FAILING)('%s: %s fails at that step only, linked to each of its findings', (step, fixture) => {
    const r = report(loadFixture(fixture));
    const html = page(r);
    expectInertPage(html);
    const statuses = steps(html);
    expect(statuses.map((s) => s.step)).toEqual(STEP_IDS);
    expect(statuses.filter((s) => s.status === 'fail').map((s) => s.step)).toEqual([step]);
    expect(linksOf(html, step).sort()).toEqual(r.findings.map((f) => f.uid).sort());
  });

  it('a check that could not decide marks its step unknown; a step whose checks did not run is not evaluated', () => {
    const r = report(loadFixture('healthy/opensearch-fgac.json'));
    const checks = r.checks.map((c) =>
      c.check === 'auth-role-trust' ? { ...c, status: 'unknown' as const } : c.check === 'fgac-role-mappings' ? { ...c, status: 'not-evaluated' as const } : c,
    );
    expect(steps(page({ ...r, checks })).map((s) => s.status)).toEqual(['pass', 'pass', 'pass', 'unknown', 'pass', 'not-evaluated']);
  });

  it('an error fails its step; warnings alone pass it with warnings; information alone passes it; an unknown check outranks warnings', () => {
    const r = report(loadFixture('healthy/opensearch-fgac.json'));
    const finding = (check: string, severity: 'error' | 'warning' | 'info', uid: string) => ({ ...demo.findings[0]!, check, severity, uid });
    const statusOf = (findings: Report['findings'], checks = r.checks) => loginPathOf({ ...r, checks, findings })!.steps.find((s) => s.id === 'trust')!;
    expect(statusOf([finding('trust-policy-conditions', 'info', 'a1')]).status).toBe('pass');
    expect(statusOf([finding('trust-policy-conditions', 'info', 'a1')]).findings.map((f) => f.uid)).toEqual(['a1']);
    expect(statusOf([finding('trust-policy-conditions', 'warning', 'a1')]).status).toBe('warn');
    expect(statusOf([finding('trust-policy-conditions', 'warning', 'a1'), finding('auth-role-trust', 'error', 'a2')]).status).toBe('fail');
    const oneUnknown = r.checks.map((c) => (c.check === 'auth-role-trust' ? { ...c, status: 'unknown' as const } : c));
    expect(statusOf([finding('trust-policy-conditions', 'warning', 'a1')], oneUnknown).status).toBe('unknown');
  });

  it('muted findings and findings known from the baseline do not fail their step', () => {
    const r = report(loadFixture('fail/missing-role.json'));
    const muted = { ...r, findings: r.findings.map((f) => ({ ...f, muted: true })) };
    expect(loginPathOf(muted)!.steps.find((s) => s.id === 'fgac')!.status).toBe('pass');
    const known = { ...r, findings: r.findings.map((f) => ({ ...f, new: false })) };
    expect(loginPathOf(known)!.steps.find((s) => s.id === 'fgac')!.status).toBe('pass');
  });

  it('filters by severity and failure id are inputs keyboard users reach, applied by CSS alone', () => {
    const html = page(demo);
    const inputs = tagsOf(html).filter((t) => t.name === 'input');
    expect(inputs.map((t) => t.attributes['id'])).toEqual(['sev-error', 'sev-warning', 'sev-info', 'fid-all', 'fid-0', 'fid-1', 'fid-2', 'fid-3']);
    const ids = [...demo.findings.map((f) => f.id)].sort();
    ids.forEach((id, i) => {
      expect(html).toContain(`<input type="radio" name="fid" id="fid-${i}"> ${id}</label>`);
      expect(html).toContain(`body:has(#fid-${i}:checked) .finding:not(.fid-${i}){display:none}`);
      expect(html).toMatch(new RegExp(`<article class="finding fid-${i}" id="finding-[0-9a-f]+" data-id="${id}"`));
    });
    expect(html).toContain('body:has(#sev-warning:not(:checked)) .finding[data-severity=warning]{display:none}');
    // Visible focus, both colour schemes, and print shows every finding without the filters.
    expect(html).toContain(':focus-visible{outline:3px solid');
    expect(html).toContain('@media (prefers-color-scheme:dark)');
    expect(html).toMatch(/@media print\{\.filters,\.skip\{display:none\}\.finding\{display:block!important/);
  });

  it('the same reports give the same bytes', () => {
    expect(page(demo)).toBe(page(report(loadFixture('demo/logs-demo.json'))));
  });

  it('names, URLs and messages from a hostile account stay text: no script, no handler, no javascript: link', () => {
    const snapshot = variant(loadFixture('demo/logs-demo.json'), (s) => {
      s.domain.DomainName = '<script>alert(1)</script>';
      s.domain.DomainEndpointOptions!.CustomEndpoint = 'javascript:alert(1)//"onerror="alert(1)';
      s.userPoolClients![0]!.ClientName = '"><img src=x onerror=alert(1)>';
    });
    const linky = defineCheck({
      id: 'hostile-docs',
      title: 'Hostile docs',
      description: 'test only',
      reads: ['domain'],
      scope: 'domain',
      modes: [
        {
          id: 'hostile-docs',
          severity: 'warning',
          title: '<script>alert(1)</script>',
          symptom: 's',
          cause: 'c',
          fix: 'f',
          docs: ['javascript:alert(1)', 'https://example.com/"><script>alert(1)</script>', 'data:text/html,<script>alert(1)</script>'],
        },
      ],
      run: () => [{ id: 'hostile-docs', message: 'javascript:alert(1)', resource: '"onerror=alert(1)', evidence: {}, fix: { summary: 'x' } }],
    });
    const r = runChecks(snapshot, [...builtinChecks, hostileCheck, linky], { version: 't', source: 'snapshot', file: `dir/${HOSTILE}.json` });
    const html = page(r);
    expectInertPage(html);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toMatch(/href="(?!#|https?:\/\/)/);
    // The one docs link that is http(s) keeps its quotes escaped inside the attribute.
    expect(html).toContain('<a href="https://example.com/&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" rel="noreferrer">');
    expect(html).toContain('<code>javascript:alert(1)</code>');
    expect(html).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  });

  it('render() redacts: a client secret or token in a finding never reaches the page', async () => {
    const secret = 'CANARY-client-secret-7f3a9c';
    const token = 'eyJhbGciOiJIUzI1NiJ9.eyJjYW5hcnkiOiJ0b2tlbi1jYW5hcnkifQ.c2lnbmF0dXJlLWNhbmFyeQ';
    const leaky = defineCheck({
      id: 'leaky-evidence',
      title: 'Leaky',
      description: 'test only',
      reads: ['userPoolClients'],
      modes: [{ id: 'leaky-evidence', severity: 'error', title: 'Leaky', symptom: 's', cause: 'c', fix: 'f', docs: [] }],
      run: (ctx) => [
        {
          id: 'leaky-evidence',
          message: `Authorization: Bearer ${token}`,
          resource: 'r',
          evidence: { client: ctx.snapshot.userPoolClients![0], IdToken: token },
          fix: { summary: 's', commands: [`curl -H 'Authorization: Bearer ${token}' https://example.com`] },
        },
      ],
    });
    const snapshot = variant(loadFixture('healthy/opensearch-fgac.json'), (s) => {
      s.userPoolClients![0]!.ClientSecret = secret;
    });
    const html = await render([runChecks(snapshot, [...builtinChecks, leaky], { version: 't', source: 'snapshot' })], { format: 'html' });
    expectInertPage(html);
    expect(html).toContain('leaky-evidence');
    expect(html).not.toContain(secret);
    expect(html).not.toContain('eyJjYW5hcnkiOiJ0b2tlbi1jYW5hcnkifQ');
  });

  it('several reports: one page, a login path each, anchors kept apart', () => {
    const other = report(loadFixture('fail/missing-role.json'));
    const html = renderHtml([redactReport(demo), redactReport(other)], V);
    expectInertPage(html);
    expect(steps(html)).toHaveLength(12);
    expect(html).toContain('id="report-1-fgac"');
    expect(html).toContain('id="report-2-fgac"');
  });
});

describe('trace --format html', () => {
  const trace = (fixture: string) => {
    const snapshot = loadFixture(fixture);
    return traceLogin(snapshot, identityFromGroups(snapshot, []), { now: new Date('2026-06-01T00:00:00Z'), version: 't', source: 'snapshot', file: fixture });
  };

  it('the trace steps, with the user-account step; the failed one linked to its failure', () => {
    const result = trace('fail/missing-role.json');
    const html = renderTraceHtml(redactReport(result), V);
    expectInertPage(html);
    expect(steps(html)).toEqual([
      { step: 'hosted-ui', status: 'pass' },
      // A what-if list of groups names no user to read: that step is skipped.
      { step: 'user-account', status: 'not-evaluated' },
      { step: 'token-exchange', status: 'pass' },
      { step: 'role-selection', status: 'pass' },
      { step: 'trust', status: 'pass' },
      { step: 'access-policy', status: 'pass' },
      { step: 'fgac', status: 'fail' },
    ]);
    expect(linksOf(html, 'fgac')).toEqual(['step-7']);
    expect(html).toContain('<article class="finding fid-0" id="finding-step-7" data-id="missing-role" data-severity="error">');
    expect(loginPathOfTrace(result).steps.map((s) => s.status)).toEqual(steps(html).map((s) => s.status));
  });

  it('each step names the resources its evidence names: pools, the role, the security roles', () => {
    const path = loginPathOfTrace(trace('healthy/opensearch-fgac.json'));
    const named = (id: string) => path.steps.find((s) => s.id === id)!.resources.map((r) => `${r.kind} ${r.value}`);
    expect(named('hosted-ui')).toContain('user pool eu-west-1_Xk2LmQp7A');
    expect(named('token-exchange')).toContain('identity pool eu-west-1:5f0c7a3e-2b1d-4e8f-9a6c-3d7e1b2f4a90');
    expect(named('trust')).toContain('role arn:aws:iam::123456789012:role/Cognito_logsprodAuth_Role');
    expect(named('fgac')).toEqual([
      'backend role arn:aws:iam::123456789012:role/Cognito_logsprodAuth_Role',
      'security role all_access',
      'security role security_manager',
    ]);
    const html = renderTraceHtml(redactReport(trace('healthy/opensearch-fgac.json')), V);
    expectInertPage(html);
    expect(html).toContain('<li>security role: <code>all_access</code></li>');
  });

  it('after a failed step the rest are not evaluated', () => {
    const html = renderTraceHtml(redactReport(trace('fail/redirect-mismatch.json')), V);
    expectInertPage(html);
    const statuses = steps(html).map((s) => s.status);
    expect(statuses[0]).toBe('fail');
    expect(new Set(statuses.slice(1))).toEqual(new Set(['not-evaluated']));
  });
});

describe('diff --format html', () => {
  it('marks the step the change breaks, each changed field beside the findings it adds, and back', () => {
    const diff = diffSnapshots(gateFixture('base.json'), gateFixture('new-failure.json'), builtinChecks, {
      version: 't',
      oldFile: 'base.json',
      newFile: 'new-failure.json',
    });
    const newChecks = runChecks(gateFixture('new-failure.json'), builtinChecks, { version: 't', source: 'snapshot' }).checks;
    const html = renderDiffHtml(redactReport(diff), { ...V, newChecks });
    expectInertPage(html);
    const added = diff.findings.added.find((f) => f.id === 'redirect-mismatch')!;
    expect(steps(html).filter((s) => s.status === 'fail')).toEqual([{ step: 'hosted-ui', status: 'fail' }]);
    expect(linksOf(html, 'hosted-ui')).toEqual([added.uid]);
    const row = html.split('\n').find((line) => line.includes(`<a class="finding-link" href="#finding-${added.uid}">redirect-mismatch</a></td></tr>`))!;
    const change = /<tr id="(change-\d+)"><td><code>([^<]+)<\/code>/.exec(row)!;
    expect(added.causedBy).toContain(change[2]);
    expect(html).toContain(`<a href="#${change[1]}">${change[2]}</a>`);
  });
});

describe('sweep --format html', () => {
  it('streams one page: the reports as they come, then the summary; the filter offers the catalog ids', () => {
    const catalog = builtinChecks.flatMap((c) => c.modes);
    const writer = sweepWriter('html', { version: 't', catalog });
    const tally = new SweepTally();
    const reports = [demo, report(loadFixture('fail/missing-role.json'))];
    let html = '';
    for (const r of reports) {
      tally.add(r);
      html += writer.report(r);
    }
    html += writer.end(tally.summary([], { version: 't' }));
    expectInertPage(html);
    expect(html.match(/<!DOCTYPE html>/g)).toHaveLength(1);
    expect(steps(html)).toHaveLength(12);
    expect(html).toContain('<h2 id="sweep">Organization sweep</h2>');
    expect(tagsOf(html).filter((t) => t.name === 'input' && t.attributes['name'] === 'fid')).toHaveLength(new Set(catalog.map((m) => m.id)).size + 1);
  });

  it('a sweep without a domain is still one whole page', () => {
    const html = sweepWriter('html', { version: 't', catalog: [] }).end(new SweepTally().summary([], { version: 't' }));
    expectInertPage(html);
    expect(html.endsWith('</html>\n')).toBe(true);
  });
});
