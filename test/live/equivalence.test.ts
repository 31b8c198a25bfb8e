import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/index.js';
import { parseSnapshot } from '../../src/snapshot/read.js';
import { FIXTURES, isSnapshotFile, report, ROOT } from '../helpers.js';
import { collectLive, comparable } from './harness.js';

/** Every snapshot a test reads: the catalog fixtures, and the access and trace fixtures. */
function snapshotFixtures(): Array<[name: string, snapshot: Snapshot]> {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : isSnapshotFile(e.name) ? [join(dir, e.name)] : []));
  const dirs = [FIXTURES, join(ROOT, 'test', 'fixtures', 'access'), join(ROOT, 'test', 'fixtures', 'trace')];
  return dirs
    .flatMap(walk)
    .sort()
    .map((file) => [relative(ROOT, file), parseSnapshot(readFileSync(file, 'utf8'))]);
}

// The key invariant: reading an account live (real SDK clients over HTTP against the emulator
// loaded with a fixture) reaches the verdicts that reading the fixture offline reaches.
describe('check <domain> against the emulator reaches the verdicts of check --snapshot', () => {
  it.each(snapshotFixtures())('%s', async (_name, snapshot) => {
    // A fixture without FGAC mappings and no failed read of them was taken without --deep.
    const deep = Boolean(snapshot.securityPlugin) || (snapshot.errors ?? []).some((e) => e.operation.endsWith('ESHttpGet'));
    const { report: live, log } = await collectLive(snapshot, [], { deep });
    // Each check fires, stays quiet or is undecided on both paths; where it fires, both say the same thing.
    expect(comparable(live)).toEqual(comparable(report(snapshot)));
    expect(log.filter((entry) => entry.mutating)).toEqual([]);
  });
});
