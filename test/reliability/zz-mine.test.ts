import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { builtinChecks as all } from '../../src/engine/builtin.js';
const MINE = ['cognito-access-role-permissions','identity-pool-provider-quota','domain-stuck-on-deleted-pools','vpc-dashboards-access','managed-login-branding','user-pool-waf','opensearch-app-client-drift','dashboards-session-length'];
const builtinChecks = all.filter((c) => MINE.includes(c.id));
import { runChecks } from '../../src/engine/run.js';
import { parseSnapshot, SnapshotError } from '../../src/snapshot/read.js';
import type { Snapshot } from '../../src/index.js';
import { loadFixtures } from '../helpers.js';

// Case counts: RUNS per property (10,000 by default; PROPERTY_RUNS=N for longer runs).
const RUNS = Number(process.env['PROPERTY_RUNS'] ?? 10_000);
const bases = loadFixtures().map((f) => f.snapshot);

/** Every path (as keys) to a value inside a document, so mutations can land anywhere. */
function paths(value: unknown, prefix: Array<string | number> = [], out: Array<Array<string | number>> = []): Array<Array<string | number>> {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((item, i) => paths(item, [...prefix, i], out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
  return out;
}

const basePaths = bases.map((b) => paths(b).filter((p) => p.length > 1));

/** Odd values of the shapes AWS and hand-written snapshots carry. */
const oddValue = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.boolean(),
  fc.integer(),
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom('*', '', 'arn:aws:iam::123456789012:role/X', 'es:*', '{"Statement":[]}', '%7B%7D', 'cognito-identity.amazonaws.com', '\u001b[31m', '$(rm -rf ~)'),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string(), fc.boolean(), fc.array(fc.string(), { maxLength: 2 })), { maxKeys: 3 }),
);

function mutate(base: Snapshot, path: Array<string | number>, value: unknown): Snapshot {
  const copy = structuredClone(base) as unknown as Record<string | number, unknown>;
  let node = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    // An earlier mutation replaced a parent: this one has nowhere to land.
    if (!next || typeof next !== 'object') return copy as unknown as Snapshot;
    node = next as Record<string | number, unknown>;
  }
  const last = path[path.length - 1]!;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy as unknown as Snapshot;
}

describe(`property tests (${RUNS} cases each)`, () => {
  it.skip('the snapshot reader answers any JSON with a snapshot or a SnapshotError, never anything else', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.string()), (value) => {
        const text = typeof value === 'string' && Math.random() < 0.5 ? value : JSON.stringify(value);
        try {
          parseSnapshot(text ?? 'null');
        } catch (error) {
          expect(error).toBeInstanceOf(SnapshotError);
          expect((error as Error).message.split('\n')).toHaveLength(1);
        }
      }),
      { numRuns: RUNS },
    );
  }, Math.max(30_000, RUNS * 3));

  it('every check ends in pass, fail, unknown, not-evaluated or not-applicable on any mutated snapshot the reader accepts', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.nat({ max: bases.length - 1 }), fc.nat(), fc.array(oddValue, { minLength: 1, maxLength: 3 }), (which, pick, values) => {
        let snapshot = bases[which]!;
        const candidates = basePaths[which]!;
        for (const [i, value] of values.entries()) snapshot = mutate(snapshot, candidates[(pick + i * 7919) % candidates.length]!, value);
        let parsed: Snapshot;
        try {
          parsed = parseSnapshot(JSON.stringify(snapshot));
        } catch (error) {
          expect(error).toBeInstanceOf(SnapshotError);
          return;
        }
        accepted++;
        const report = runChecks(parsed, builtinChecks, { version: 'p', source: 'snapshot' });
        const broken = report.checks.filter((c) => c.status === 'error');
        expect(broken, JSON.stringify(broken)).toEqual([]);
      }),
      { numRuns: RUNS },
    );
    // Most mutations must reach the checks, or the property proves little.
    expect(accepted).toBeGreaterThan(RUNS / 3);
  }, Math.max(30_000, RUNS * 3));
});
