import { describe, expect, it } from 'vitest';
import { loadFixtures, report } from '../helpers.js';
import { collectLive, comparable } from './harness.js';

// The key invariant: reading an account live (real SDK clients over HTTP against the emulator
// loaded with a fixture) gives the same report as reading the fixture offline.
describe('check <domain> against the emulator equals check --snapshot', () => {
  it.each(loadFixtures().map((f) => [f.name, f] as const))('%s', async (_name, fixture) => {
    // A fixture without FGAC mappings and no failed read of them was taken without --deep.
    const deep = Boolean(fixture.snapshot.securityPlugin) || (fixture.snapshot.errors ?? []).some((e) => e.operation.endsWith('ESHttpGet'));
    const { report: live, log } = await collectLive(fixture.snapshot, [], { deep });
    expect(comparable(live)).toEqual(comparable(report(fixture.snapshot)));
    expect(log.filter((entry) => entry.mutating)).toEqual([]);
  });
});
