import { describe, expect, it } from 'vitest';
import { exitCodeOf } from '../../src/engine/exit.js';
import { loadFixture, report } from '../helpers.js';
import { collectLive, comparable } from './harness.js';

// Fixtures that together make the collector use every operation it knows.
const FIXTURES = ['healthy/token-groups.json', 'fail/auth-role-not-in-access-policy--account-principal.json', 'healthy/legacy-es-kibana.json'];
const IAM_PREFIX: Record<string, string> = { opensearch: 'es', 'es-rest': 'es' };

describe('fault injection through the emulator', () => {
  for (const name of FIXTURES) {
    const snapshot = loadFixture(name);

    it(`${name}: denying each operation in turn ends in a finished run naming the permission`, async () => {
      const clean = await collectLive(snapshot);
      const cleanCode = exitCodeOf([clean.report], 'error');
      const operations = [...new Set(clean.log.map((e) => `${e.service} ${e.operation}`))].filter((op) => op !== 'opensearch DescribeDomain');
      expect(operations.length).toBeGreaterThan(4);
      for (const op of operations) {
        const [service, operation] = op.split(' ') as [string, string];
        const permission = `${IAM_PREFIX[service] ?? service}:${operation}`;
        const denied = await collectLive(snapshot, [{ service, operation, kind: 'deny' }]);
        const r = denied.report;
        expect(
          r.checks.filter((c) => c.status === 'error'),
          op,
        ).toEqual([]);
        // 1 while a failure is still visible; 3 when the denied read was all that stood between us and a verdict.
        const stillFails = r.findings.some((f) => f.severity === 'error');
        expect(exitCodeOf([r], 'error'), op).toBe(stillFails ? 1 : 3);
        if (cleanCode !== 1) expect(stillFails, op).toBe(false);
        const named = r.checks.filter((c) => c.status === 'unknown' || c.status === 'fail').map((c) => `${c.permission ?? ''} ${c.reason ?? ''}`);
        expect(
          named.some((text) => text.includes(permission)),
          `${op}: ${JSON.stringify(r.checks)}`,
        ).toBe(true);
        // Nothing that could not be read is reported as a pass it did not earn: no new finding appears.
        expect(
          r.findings.map((f) => f.id).filter((id) => !clean.report.findings.some((f) => f.id === id)),
          op,
        ).toEqual([]);
      }
    });

    it(`${name}: throttling on the first two attempts of every call changes nothing`, async () => {
      // Every call bounces twice whatever the rate, so pacing would only slow this down: retry with backoff alone.
      const throttled = await collectLive(snapshot, [{ kind: 'throttle', times: 2, perCall: true }], { maxAttempts: 3, retryDelayMs: 1, pace: false });
      expect(comparable(throttled.report)).toEqual(comparable(report(snapshot)));
      expect(throttled.log.filter((e) => e.status >= 400).length).toBeGreaterThan(0);
    });
  }

  it("with the SDK's adaptive retry mode instead of the pacer, the SDK makes the retries: throttling twice per call changes nothing", async () => {
    const snapshot = loadFixture('healthy/token-groups.json');
    const throttled = await collectLive(snapshot, [{ service: 'cognito-idp', kind: 'throttle', times: 2, perCall: true }], {
      retry: 'sdk-adaptive',
      maxAttempts: 3,
    });
    expect(comparable(throttled.report)).toEqual(comparable(report(snapshot)));
    const idp = throttled.log.filter((e) => e.service === 'cognito-idp');
    const requestsPerCall = new Map<string, number>();
    for (const e of idp) {
      const call = `${e.operation} ${(e.ids ?? [e.resource]).join(' ')}`;
      requestsPerCall.set(call, (requestsPerCall.get(call) ?? 0) + 1);
    }
    expect(requestsPerCall.size).toBeGreaterThan(3);
    expect([...new Set(requestsPerCall.values())]).toEqual([3]);
    // The collector sent each cognito-idp read once: the two retries of each were the SDK's.
    expect(throttled.calls).toBe(throttled.log.length - idp.length + requestsPerCall.size);
  });

  it('a hang past --timeout makes the affected checks unknown, not a crash', async () => {
    const snapshot = loadFixture('healthy/opensearch-fgac.json');
    const { report: r } = await collectLive(snapshot, [{ service: 'cognito-idp', operation: 'ListGroups', kind: 'hang' }], { timeoutMs: 300 });
    const unknown = r.checks.filter((c) => c.status === 'unknown');
    expect(unknown.length).toBeGreaterThan(0);
    expect(unknown.map((c) => c.reason).join(' ')).toMatch(/ListGroups/);
    expect(exitCodeOf([r], 'error')).toBe(3);
  });
});

describe('every fault kind on every operation the collector calls', () => {
  const KINDS = ['deny', 'not-found', 'server-error', 'malformed', 'hang'] as const;
  for (const name of ['healthy/token-groups.json', 'fail/auth-role-not-in-access-policy--account-principal.json']) {
    it(`${name}: the run finishes, nothing it could not read passes, no stack trace`, async () => {
      const snapshot = loadFixture(name);
      const clean = await collectLive(snapshot);
      const operations = [...new Set(clean.log.map((e) => `${e.service} ${e.operation}`))].filter((op) => op !== 'opensearch DescribeDomain');
      let runs = 0;
      for (const op of operations) {
        const [service, operation] = op.split(' ') as [string, string];
        for (const kind of KINDS) {
          const { report: r } = await collectLive(snapshot, [{ service, operation, kind }], { timeoutMs: 150, maxAttempts: 2, retryDelayMs: 1 });
          runs++;
          const label = `${op} ${kind}`;
          expect(
            r.checks.filter((c) => c.status === 'error'),
            label,
          ).toEqual([]);
          const code = exitCodeOf([r], 'error');
          // A resource reported gone may simply be gone (exit 0); any other failure leaves the run incomplete.
          expect(kind === 'not-found' ? [0, 1, 3] : [1, 3], label).toContain(code);
          // A resource that is gone is a finding of its own (a deleted role, a missing pool); any other
          // failure may hide findings but never invents one.
          if (kind !== 'not-found') {
            expect(
              r.findings.map((f) => f.id).filter((id) => !clean.report.findings.some((f) => f.id === id)),
              label,
            ).toEqual([]);
          }
          for (const c of r.checks) expect(c.reason ?? '', label).not.toMatch(/\n\s+at /);
        }
      }
      expect(runs).toBeGreaterThan(40);
    }, 120_000);
  }
});
