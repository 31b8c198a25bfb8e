import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import schema from '../../schema/report.schema.json' with { type: 'json' };
import { readFileSync } from 'node:fs';
import { render, type OutputOptions } from '../../src/cli/output.js';
import { sortSnapshot } from '../../src/collect/collector.js';
import { builtinChecks } from '../../src/engine/builtin.js';
import type { Snapshot } from '../../src/index.js';
import { renderJson } from '../../src/report/json.js';
import { parseSnapshot } from '../../src/snapshot/read.js';
import { loadFixtures, report } from '../helpers.js';
import { CASES, runCase } from '../client/cases.js';

const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);

describe('the JSON report validates against schema/report.schema.json', () => {
  it.each(loadFixtures().map((f) => [f.name, f] as const))('%s', (_name, fixture) => {
    const document = JSON.parse(renderJson([report(fixture.snapshot)]));
    const valid = validate(document);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('cogdoctor client: %s', (_name, c) => {
    const document = JSON.parse(renderJson([runCase(c)]));
    expect(validate(document), JSON.stringify(validate.errors)).toBe(true);
  });

  it('rejects a target that names neither a domain nor a user pool client', () => {
    const document = JSON.parse(renderJson([runCase(CASES[0]!)]));
    delete document.target.userPoolClient;
    expect(validate(document)).toBe(false);
  });

  it('rejects a report with an unknown severity', () => {
    const document = JSON.parse(renderJson([report(loadFixtures()[0]!.snapshot)]));
    document.findings.push({
      ...(document.findings[0] ?? {}),
      id: 'x',
      check: 'x',
      severity: 'fatal',
      title: '',
      symptom: '',
      message: '',
      resource: '',
      evidence: {},
      fix: { summary: '' },
      docs: [],
    });
    expect(validate(document)).toBe(false);
  });
});

describe('the report is deterministic', () => {
  const catalog = builtinChecks.flatMap((check) => check.modes);
  const VIEWS: OutputOptions[] = [
    { format: 'json' },
    { format: 'text', color: false },
    { format: 'text', color: false, verbose: true },
    { format: 'text', color: false, compact: true },
    { format: 'markdown' },
    { format: 'sarif' },
    { format: 'junit' },
  ];
  /** One whole run: the snapshot file read and parsed, the checks run, every format printed. */
  const run = (snapshotText: string) => {
    const reports = [report(parseSnapshot(snapshotText))];
    return Promise.all(VIEWS.map((view) => render(reports, view, catalog)));
  };
  const fixtures = loadFixtures().map((f) => [f.name, readFileSync(f.file, 'utf8')] as const);

  it.each(fixtures)('%s: two runs on two reads of the file print the same bytes in every format', async (_name, text) => {
    const first = await run(text);
    expect(await run(text)).toEqual(first);
  });

  // The engine reads lists in snapshot order (a message names groups in that order), so the order
  // is fixed where a live read makes it: the collector writes every list sorted (sortSnapshot), and
  // two reads whose answers arrived in different orders give the same snapshot file, hence the
  // same bytes above.
  it.each(fixtures)('%s: lists read in another order are written as the same snapshot file', (_name, text) => {
    const arrived = parseSnapshot(text) as unknown as Record<string, unknown>;
    for (const [part, value] of Object.entries(arrived)) if (part !== 'errors' && Array.isArray(value)) value.reverse();
    const written = (snapshot: unknown) => JSON.stringify(sortSnapshot(snapshot as Snapshot));
    expect(written(arrived)).toBe(written(parseSnapshot(text)));
  });
});
