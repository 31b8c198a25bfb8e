import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CheckContext, SNAPSHOT_PARTS } from '../src/context/check-context.js';
import { builtinChecks } from '../src/engine/builtin.js';
import { evaluateChecks } from '../src/engine/run.js';
import type { Check, Snapshot, SnapshotPart } from '../src/engine/types.js';
import { parseSnapshot } from '../src/snapshot/read.js';
import { ROOT } from './helpers.js';

function jsonFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? jsonFiles(join(dir, entry.name)) : entry.name.endsWith('.json') ? [join(dir, entry.name)] : [],
  );
}

/** Every snapshot the repository holds: the catalog fixtures and the test fixtures that are snapshots (not templates, plans or schemas). */
function snapshotFixtures(): Array<{ name: string; snapshot: Snapshot }> {
  return [...jsonFiles(join(ROOT, 'fixtures')), ...jsonFiles(join(ROOT, 'test', 'fixtures'))].sort().flatMap((file) => {
    try {
      return [{ name: relative(ROOT, file), snapshot: parseSnapshot(readFileSync(file, 'utf8')) }];
    } catch {
      return [];
    }
  });
}

/** The parts each check touched, over every snapshot, with one snapshot where it touched each. */
function partsTouched(checks: Check[], snapshots: Array<{ name: string; snapshot: Snapshot }>): Map<string, Map<SnapshotPart, string>> {
  const touched = new Map<string, Map<SnapshotPart, string>>(checks.map((c) => [c.id, new Map()]));
  for (const { name, snapshot } of snapshots) {
    evaluateChecks(snapshot, checks, {
      onReads: (check, parts) => {
        const seen = touched.get(check.id)!;
        for (const part of parts) if (!seen.has(part)) seen.set(part, name);
      },
    });
  }
  return touched;
}

describe("a check's reads", () => {
  const snapshots = snapshotFixtures();

  it('are read from the catalog fixtures and the test fixtures', () => {
    expect(snapshots.length).toBeGreaterThan(100);
    expect(snapshots.some((s) => s.name.startsWith('test/fixtures/'))).toBe(true);
  });

  it('declare every snapshot part the check touches, over every snapshot fixture', () => {
    const touched = partsTouched(builtinChecks, snapshots);
    const undeclared = builtinChecks.flatMap((check) =>
      [...touched.get(check.id)!].filter(([part]) => !check.reads.includes(part)).map(([part, where]) => `${check.id} reads ${part} (e.g. on ${where})`),
    );
    expect(undeclared).toEqual([]);
  });

  it('name only snapshot parts', () => {
    for (const check of builtinChecks)
      expect(
        check.reads.filter((part) => !SNAPSHOT_PARTS.includes(part)),
        check.id,
      ).toEqual([]);
  });
});

describe('the recording context', () => {
  const snapshot = parseSnapshot(readFileSync(join(ROOT, 'fixtures', 'healthy', 'managed-login.json'), 'utf8'));
  const probe = (run: Check['run']): Check => ({ id: 'probe', title: 'probe', description: 'probe', modes: [], reads: [], run });
  const partsOf = (run: Check['run']) => {
    let parts: SnapshotPart[] = [];
    evaluateChecks(snapshot, [probe(run)], { onReads: (_check, read) => (parts = [...read].sort()) });
    return parts;
  };

  it('notes parts read through an accessor, directly, tested for or listed', () => {
    expect(partsOf((ctx) => (ctx.identityPoolRoles(), []))).toEqual(['domain', 'identityPool', 'identityPoolRoles']);
    expect(partsOf((ctx) => (ctx.snapshot.roles, []))).toEqual(['roles']);
    expect(partsOf((ctx) => ('userPoolWebAcl' in ctx.snapshot, []))).toEqual(['userPoolWebAcl']);
    expect(partsOf((ctx) => (Object.hasOwn(ctx.snapshot, 'securityPlugin'), []))).toEqual(['securityPlugin']);
    // The account id, the region and the failed reads are not parts a check declares.
    expect(partsOf((ctx) => (ctx.snapshot.accountId, ctx.snapshot.errors, []))).toEqual([]);
  });

  it('records nothing unless asked: the snapshot is the one given, not a proxy', () => {
    const plain = new CheckContext(snapshot);
    expect(plain.snapshot).toBe(snapshot);
    plain.identityPoolRoles();
    expect(plain.partsRead.size).toBe(0);
    expect(new CheckContext(snapshot, { recordReads: true }).snapshot).not.toBe(snapshot);
  });
});
