import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import schema from '../../schema/report.schema.json' with { type: 'json' };
import { renderJson } from '../../src/report/json.js';
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
    document.findings.push({ ...(document.findings[0] ?? {}), id: 'x', check: 'x', severity: 'fatal', title: '', symptom: '', message: '', resource: '', evidence: {}, fix: { summary: '' }, docs: [] });
    expect(validate(document)).toBe(false);
  });

  it('is deterministic: two runs give the same bytes', () => {
    for (const fixture of loadFixtures()) {
      expect(renderJson([report(fixture.snapshot)])).toBe(renderJson([report(fixture.snapshot)]));
    }
  });
});
