import { describe, expect, it } from 'vitest';
import { builtinChecks } from '../src/engine/builtin.js';
import { loadFixtures, report } from './helpers.js';

const fixtures = loadFixtures();

describe('every fixture produces exactly the failure ids it declares', () => {
  it.each(fixtures.map((f) => [f.name, f] as const))('%s', (_name, fixture) => {
    const r = report(fixture.snapshot);
    expect(r.checks.filter((c) => c.status === 'error')).toEqual([]);
    expect([...new Set(r.findings.map((f) => f.id))].sort()).toEqual(fixture.expect);
  });
});

describe('healthy fixtures', () => {
  const healthy = fixtures.filter((f) => f.name.startsWith('healthy/'));
  it('there are at least four', () => expect(healthy.length).toBeGreaterThanOrEqual(4));
  it.each(healthy.map((f) => [f.name, f] as const))('%s has no error-level finding and no unknown check', (_name, fixture) => {
    const r = report(fixture.snapshot);
    expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(r.checks.filter((c) => c.status === 'unknown')).toEqual([]);
  });
});

describe('each check, on every fixture, reports only what the fixture expects of it', () => {
  for (const check of builtinChecks) {
    const modes = new Set(check.modes.map((m) => m.id));
    it(`${check.id} fires on its fixtures and stays quiet elsewhere`, () => {
      const fired = fixtures.filter((f) => f.expect.some((id) => modes.has(id)));
      expect(fired.length, `${check.id} has no firing fixture`).toBeGreaterThan(0);
      for (const fixture of fixtures) {
        const ids = [...new Set(report(fixture.snapshot, [check]).findings.map((f) => f.id))].sort();
        expect(ids, fixture.name).toEqual(fixture.expect.filter((id) => modes.has(id)));
      }
    });
  }
});
