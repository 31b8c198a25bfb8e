import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { builtinChecks } from '../../src/engine/builtin.js';
import { defineCheck } from '../../src/engine/define.js';
import { redactReport, redactText } from '../../src/redact.js';
import { renderAll } from '../report/formats.js';
import { runChecks } from '../../src/report/assemble.js';
import { parseSnapshot, SnapshotError } from '../../src/snapshot/read.js';
import type { Snapshot } from '../../src/index.js';
import { loadFixtures } from '../helpers.js';

// Case counts: RUNS per property (10,000 by default; PROPERTY_RUNS=N for longer runs).
const RUNS = Number(process.env['PROPERTY_RUNS'] ?? 10_000);
/** A hang guard, not a speed limit: generous enough for a loaded 2-core machine (speed is measured in bench/). */
const CASE_BUDGET_MS = Math.max(120_000, RUNS * 30);
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
  fc.constantFrom(
    '*',
    '',
    'arn:aws:iam::123456789012:role/X',
    'es:*',
    '{"Statement":[]}',
    '%7B%7D',
    'cognito-identity.amazonaws.com',
    '\u001b[31m',
    '$(rm -rf ~)',
  ),
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
  it(
    'the snapshot reader answers any JSON with a snapshot or a SnapshotError, never anything else',
    () => {
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
    },
    CASE_BUDGET_MS,
  );

  it(
    'every check ends in pass, fail, unknown, not-evaluated or not-applicable on any mutated snapshot the reader accepts',
    () => {
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
    },
    CASE_BUDGET_MS,
  );
});

describe(`output sanitizer (${Math.round(RUNS / 20)} cases)`, () => {
  // Characters that rewrite a terminal or make text read as something else: C0 (a line feed is checked per format), DEL, C1, bidi, zero-width, U+2028/2029, BOM.
  const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/;
  const hostileChar = fc.constantFrom(
    '\u001b[2J',
    '\u001b]0;title\u0007',
    '\u009b31m',
    '\u0085',
    '\u007f',
    '\u202e',
    '\u2066',
    '\u2069',
    '\u200b',
    '\u200e',
    '\u2028',
    '\u2029',
    '\ufeff',
    '\r',
    '\t',
    '\n',
    '\n$ rm -rf ~ #',
  );
  const hostileText = fc
    .array(fc.oneof(hostileChar, fc.string({ maxLength: 4 }), fc.string({ unit: 'binary', maxLength: 3 })), { minLength: 1, maxLength: 6 })
    .map((parts) => parts.join(''));

  /** A plugin-like check that puts the value everywhere a finding carries text. */
  const carrying = (value: string) =>
    defineCheck({
      id: 'carrier',
      title: 'carrier',
      description: 'test only',
      reads: ['domain'],
      modes: [{ id: 'carrier', severity: 'error', title: 't', symptom: 's', cause: 'c', fix: 'f', docs: [] }],
      run: () => [
        {
          id: 'carrier',
          message: value,
          resource: `arn:aws:es:eu-west-1:123456789012:domain/${value}`,
          evidence: { [value]: value },
          fix: { summary: value, steps: [value], commands: [`echo ${value}`], iac: value },
        },
      ],
    });
  const base = loadFixtures().find((f) => f.name === 'healthy/opensearch-fgac.json')!.snapshot;

  it(
    'no format carries a raw control, bidi or invisible character, and no value breaks a text line',
    () => {
      fc.assert(
        fc.property(hostileText, (value) => {
          const r = runChecks(base, [carrying(value)], { version: 'p', source: 'snapshot', file: `dir/${value}.json` });
          const outputs = renderAll([r]);
          for (const [format, output] of Object.entries(outputs)) expect(UNSAFE.test(output), format).toBe(false);
          // Text: every finding line stays one line; JSON keeps the value exact.
          expect(outputs.text.split('\n').filter((line) => /^\s*\$ /.test(line))).toHaveLength(1);
          expect((JSON.parse(outputs.json) as { findings: Array<{ message: string }> }).findings[0]!.message).toBe(redactReport({ m: value }).m);
        }),
        { numRuns: Math.round(RUNS / 20) },
      );
    },
    CASE_BUDGET_MS,
  );

  it(
    'snapshot and policy errors printed on stderr are one inert line',
    () => {
      fc.assert(
        fc.property(hostileText, (key) => {
          const snapshot = JSON.parse(JSON.stringify(base)) as Snapshot;
          snapshot.domain.AccessPolicies = JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: '*', Action: 'es:*', [key]: 1 }],
          });
          for (const text of [JSON.stringify(snapshot), `{"domain": ${JSON.stringify(key)}`]) {
            try {
              parseSnapshot(text);
            } catch (error) {
              expect(error).toBeInstanceOf(SnapshotError);
              const message = redactText((error as Error).message);
              expect(message).not.toMatch(/\n/);
              expect(UNSAFE.test(message)).toBe(false);
            }
          }
        }),
        { numRuns: Math.round(RUNS / 20) },
      );
    },
    CASE_BUDGET_MS,
  );
});
