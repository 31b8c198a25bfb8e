import { describe, expect, it } from 'vitest';
import { builtinChecks } from '../../src/engine/builtin.js';
import { exitCodeOf } from '../../src/engine/exit.js';
import { runChecks } from '../../src/report/assemble.js';
import { findingUid } from '../../src/engine/uid.js';
import { renderJson } from '../../src/report/json.js';
import { applyBaseline, BaselineError, baselineFromReports, gateReport, parseBaseline } from '../../src/gate/index.js';
import { loadFixture, report, variant } from '../helpers.js';
import { gateFixture } from './fixtures.js';

const base = report(gateFixture('base.json'));
const withNewFailure = report(gateFixture('new-failure.json'));
const fixed = report(gateFixture('fixed.json'));
const classicFlow = base.findings.find((f) => f.id === 'classic-flow-enabled')!;
const runSnapshot = (file: string) => (snapshot: Parameters<typeof report>[0]) =>
  runChecks(snapshot, builtinChecks, { version: 't', source: 'snapshot', file });

describe('finding uid', () => {
  it('is 16 hex digits of sha256 over the failure id, the resource and the message', () => {
    for (const finding of withNewFailure.findings) {
      expect(finding.uid).toMatch(/^[0-9a-f]{16}$/);
      expect(finding.uid).toBe(findingUid(finding));
    }
  });

  it('is the same across runs and different between findings', () => {
    expect(report(gateFixture('base.json')).findings.map((f) => f.uid)).toEqual(base.findings.map((f) => f.uid));
    const uids = withNewFailure.findings.map((f) => f.uid);
    expect(new Set(uids).size).toBe(uids.length);
  });

  it('tells two findings of one failure id on one resource apart by what they name', () => {
    // Both endpoints of the custom-endpoint account lose their callback: two redirect findings on one user pool.
    const snapshot = variant(loadFixture('healthy/custom-endpoint.json'), (s) => {
      s.userPoolClients![0]!.CallbackURLs = ['https://proxy.example.com/_dashboards/app/home'];
    });
    const findings = report(snapshot).findings.filter((f) => f.check === 'app-client-callback-urls');
    expect(findings.length).toBe(2);
    expect(findings[0]!.resource).toBe(findings[1]!.resource);
    expect(findings[0]!.uid).not.toBe(findings[1]!.uid);
  });

  it('does not depend on evidence that changes from run to run', () => {
    const f = base.findings[0]!;
    expect(findingUid({ ...f, evidence: { other: 1 } } as typeof f)).toBe(f.uid);
  });
});

describe('baseline', () => {
  const baseline = baselineFromReports('base.json', [base]);

  it('equal to the current state: every finding known, nothing fixed, exit 0', () => {
    const gated = applyBaseline(base, baseline);
    expect(gated.findings.every((f) => f.new === false)).toBe(true);
    expect(gated.baseline).toEqual({ file: 'base.json', fixed: [] });
    expect(gated.summary).toMatchObject({ new: 0, fixed: 0 });
    expect(exitCodeOf([gated], 'error')).toBe(0);
    expect(exitCodeOf([base], 'error')).toBe(1);
  });

  it('one new failure: only it is new, and it fails the run', () => {
    const gated = applyBaseline(withNewFailure, baseline);
    expect(gated.findings.filter((f) => f.new).map((f) => f.id)).toEqual(['redirect-mismatch']);
    expect(gated.summary.new).toBe(1);
    expect(exitCodeOf([gated], 'error')).toBe(1);
  });

  it('a finding gone since the baseline is reported as fixed', () => {
    const gated = applyBaseline(fixed, baseline);
    expect(gated.baseline!.fixed.map((f) => f.id)).toEqual(['classic-flow-enabled']);
    const { uid, id, check, severity, title, message, resource } = classicFlow;
    expect(gated.baseline!.fixed[0]).toEqual({ uid, id, check, severity, title, message, resource });
    expect(gated.summary.fixed).toBe(1);
    // The error the baseline already had does not fail the run.
    expect(exitCodeOf([gated], 'error')).toBe(0);
  });

  it('a finding gone because its check was skipped or could not decide is not fixed', () => {
    const skipped = runChecks(gateFixture('fixed.json'), builtinChecks, { version: 't', source: 'snapshot', skip: [classicFlow.check] });
    expect(applyBaseline(skipped, baseline).baseline!.fixed).toEqual([]);
    const unknown = { ...fixed, checks: fixed.checks.map((c) => (c.check === classicFlow.check ? { ...c, status: 'unknown' as const, reason: 'denied' } : c)) };
    expect(applyBaseline(unknown, baseline).baseline!.fixed).toEqual([]);
  });

  it('matches per domain: a domain the baseline does not have is all new', () => {
    const other = { ...withNewFailure, target: { ...withNewFailure.target, domain: 'logs-staging' } };
    expect(applyBaseline(other, baseline).findings.every((f) => f.new)).toBe(true);
  });

  it('muted and known findings both stay in the report', () => {
    const gated = gateReport(withNewFailure, { baseline, mutes: [{ id: 'redirect-mismatch', reason: 'proxy cut-over tonight' }], today: '2026-01-01' });
    expect(gated.findings.map((f) => f.id).sort()).toEqual(withNewFailure.findings.map((f) => f.id).sort());
    expect(gated.findings.find((f) => f.id === 'redirect-mismatch')).toMatchObject({ new: true, muted: true });
    expect(exitCodeOf([gated], 'error')).toBe(0);
  });
});

describe('reading a baseline file', () => {
  it('a JSON report, as --format json writes it', () => {
    const parsed = parseBaseline(renderJson([base]), 'base-report.json', runSnapshot('x'));
    expect(parsed).toEqual(baselineFromReports('base-report.json', [base]));
  });

  it('JSON Lines of reports (several domains), as --format json writes them', () => {
    const parsed = parseBaseline(renderJson([base, { ...fixed, target: { ...fixed.target, domain: 'other' } }]), 'all.json', runSnapshot('x'));
    expect(parsed.entries.map((e) => e.domain)).toEqual(['logs-prod', 'other']);
  });

  it('an array of reports, as earlier versions wrote several domains', () => {
    const parsed = parseBaseline(JSON.stringify([base, { ...fixed, target: { ...fixed.target, domain: 'other' } }], null, 2), 'all.json', runSnapshot('x'));
    expect(parsed.entries.map((e) => e.domain)).toEqual(['logs-prod', 'other']);
  });

  it('a bad line of JSON Lines is named by its number', () => {
    expect(() => parseBaseline(`${JSON.stringify(base)}\n{"broken": \n`, 'all.json', runSnapshot('x'))).toThrow(/^all\.json: line 2: not valid JSON/);
  });

  it('a report written before findings had a uid: the uid is computed', () => {
    const old = JSON.parse(renderJson([base]));
    for (const finding of old.findings) delete finding.uid;
    const parsed = parseBaseline(JSON.stringify(old), 'old.json', runSnapshot('x'));
    expect(parsed.entries[0]!.findings.map((f) => f.uid)).toEqual(base.findings.map((f) => f.uid));
  });

  it('a snapshot: checked with the same checks', () => {
    const text = JSON.stringify(gateFixture('base.json'));
    const parsed = parseBaseline(text, 'base.json', runSnapshot('base.json'));
    expect(parsed.entries[0]!.findings.map((f) => f.uid)).toEqual(base.findings.map((f) => f.uid));
  });

  it.each([
    ['not JSON', '{', /^b\.json: \$: not valid JSON/],
    ['something else', '{"hello": 1}', /^b\.json: \$: not a cogdoctor report \(--format json\) or snapshot$/],
    ['a report without findings', '{"schema": "cogdoctor/report/v1", "target": {"domain": "d", "region": "r"}}', /^b\.json: \$\.findings: must be an array$/],
    [
      'a finding without a resource',
      '[{"schema": "cogdoctor/report/v1", "target": {"domain": "d", "region": "r"}, "findings": [{"id": "x", "check": "c", "severity": "error", "title": "t", "message": "m"}]}]',
      /^b\.json: \$\[0\]\.findings\[0\]\.resource: must be a string$/,
    ],
    ['a broken snapshot', '{"schema": "cogdoctor/snapshot/v1", "domain": {"DomainName": "d"}}', /^b\.json: \$\.region: is required$/],
  ])('refuses %s, naming the path', (_what, text, pattern) => {
    expect(() => parseBaseline(text, 'b.json', runSnapshot('b.json'))).toThrow(BaselineError);
    expect(() => parseBaseline(text, 'b.json', runSnapshot('b.json'))).toThrow(pattern);
  });
});
