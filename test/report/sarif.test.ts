import { Ajv } from 'ajv';
import type { Log } from 'sarif';
import { describe, expect, it } from 'vitest';
// The OASIS SARIF 2.1.0 JSON Schema, draft-07 edition ($id …/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json),
// copied unchanged from the npm package @datadog/datadog-ci@2.48.0 (Apache-2.0), file
// dist/commands/sarif/json-schema/sarif-schema-2.1.0.json, which ships it to validate SARIF uploads.
// It names suppression.status `state`; the output leaves that property out, valid under either name.
import sarifSchema from '../fixtures/sarif-schema-2.1.0.json' with { type: 'json' };
import { FINGERPRINT_KEY, renderSarif } from '../../src/report/sarif.js';
import { loadFixtures, report } from '../helpers.js';
import { CATALOG, gatedReport, hostileReport, renderAll } from './formats.js';

// Draft-07 is Ajv's default dialect. The schema uses three formats; checked here with the URL parser
// rather than a formats plugin.
const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addFormat('uri', (value: string) => URL.canParse(value));
ajv.addFormat('uri-reference', (value: string) => !/\s/.test(value) && URL.canParse(value, 'file:///base/'));
ajv.addFormat('date-time', (value: string) => !Number.isNaN(Date.parse(value)));
const validate = ajv.compile(sarifSchema);

function expectValid(text: string): Log {
  const log = JSON.parse(text) as Log;
  const valid = validate(log);
  expect(validate.errors ?? []).toEqual([]);
  expect(valid).toBe(true);
  return log;
}

describe('SARIF output validates against the SARIF 2.1.0 JSON Schema', () => {
  it('the schema is the real one: it refuses a log without runs', () => {
    expect(validate({ version: '2.1.0' })).toBe(false);
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: { text: 'm' }, level: 'fatal' }] }] })).toBe(false);
  });

  it.each(loadFixtures().map((f) => [f.name, f] as const))('%s', (_name, fixture) => {
    const r = report(fixture.snapshot);
    const log = expectValid(renderSarif([{ ...r, target: { ...r.target, file: `fixtures/${fixture.name}` } }], { version: '1.0.0', catalog: CATALOG }));
    expect(log.runs[0]!.results!.map((x) => x.ruleId).sort()).toEqual(r.findings.map((f) => f.id).sort());
  });

  it('with mutes, a baseline, several domains, hostile text and --sarif-location', () => {
    expectValid(renderAll([gatedReport(), hostileReport()], 'infra/opensearch.tf').sarif);
    expectValid(renderAll([hostileReport()], '/abs path/with spaces/main.tf').sarif);
    expectValid(renderAll([{ ...gatedReport(), target: { ...gatedReport().target, file: undefined, source: 'live' } }]).sarif);
  });
});

describe('SARIF content', () => {
  const gated = gatedReport();
  const log = JSON.parse(renderAll([gated], 'infra/opensearch.tf').sarif) as Log;
  const run = log.runs[0]!;

  it('one rule per failure id, with descriptions, Markdown help and security-severity', () => {
    const ids = [...new Set(gated.findings.map((f) => f.id))].sort();
    expect(run.tool.driver.rules!.map((r) => r.id)).toEqual(ids);
    for (const rule of run.tool.driver.rules!) {
      const mode = CATALOG.find((m) => m.id === rule.id)!;
      expect(rule.shortDescription!.text).toBe(mode.title);
      expect(rule.fullDescription!.text).toBe(mode.cause);
      expect(rule.help!.markdown).toContain(mode.symptom);
      expect(rule.properties!['security-severity']).toMatch(/^\d+\.\d$/);
      expect(rule.properties!['tags']).toContain('security');
    }
  });

  it('results: ruleId and ruleIndex, level from severity, the uid as fingerprint, baseline state, logical and physical locations', () => {
    expect(run.results).toHaveLength(gated.findings.length);
    for (const [i, result] of run.results!.entries()) {
      const finding = gated.findings[i]!;
      expect(result.ruleId).toBe(finding.id);
      expect(run.tool.driver.rules![result.ruleIndex!]!.id).toBe(finding.id);
      expect(result.level).toBe({ error: 'error', warning: 'warning', info: 'note' }[finding.severity]);
      expect(result.partialFingerprints).toEqual({ [FINGERPRINT_KEY]: finding.uid });
      expect(result.baselineState).toBe(finding.new ? 'new' : 'unchanged');
      expect(result.locations![0]!.logicalLocations).toEqual([expect.objectContaining({ fullyQualifiedName: finding.resource, kind: 'resource' })]);
      expect(result.locations![0]!.physicalLocation!.artifactLocation).toEqual({ uri: 'infra/opensearch.tf', uriBaseId: '%SRCROOT%' });
    }
  });

  it('a muted finding is a suppressed result; an expired mute is not', () => {
    const muted = run.results!.find((r) => r.ruleId === 'classic-flow-enabled')!;
    expect(muted.suppressions).toEqual([{ kind: 'external', justification: 'legacy importer still uses the basic flow' }]);
    const expired = run.results!.find((r) => r.ruleId === 'oauth-scopes-missing')!;
    expect(expired.suppressions).toBeUndefined();
    expect(expired.properties!['muteExpired']).toBe('2000-01-01');
  });

  it('points at the snapshot file without --sarif-location, and at the baseline on a live run', () => {
    const fromSnapshot = JSON.parse(renderAll([gated]).sarif) as Log;
    expect(fromSnapshot.runs[0]!.results![0]!.locations![0]!.physicalLocation!.artifactLocation!.uri).toBe('test/fixtures/gate/new-failure.json');
    const live = { ...gated, target: { ...gated.target, source: 'live' as const, file: undefined } };
    const fromBaseline = JSON.parse(renderAll([live]).sarif) as Log;
    expect(fromBaseline.runs[0]!.results![0]!.locations![0]!.physicalLocation!.artifactLocation!.uri).toBe('test/fixtures/gate/base.json');
    const nowhere = { ...live, baseline: undefined };
    expect((JSON.parse(renderAll([nowhere]).sarif) as Log).runs[0]!.results![0]!.locations![0]!.physicalLocation).toBeUndefined();
  });

  it('an absolute location is a file URI, percent-encoded', () => {
    const abs = JSON.parse(renderAll([gated], '/srv/iac dir/main.tf').sarif) as Log;
    expect(abs.runs[0]!.results![0]!.locations![0]!.physicalLocation!.artifactLocation).toEqual({ uri: 'file:///srv/iac%20dir/main.tf' });
  });

  it('a file name with a lone surrogate is still a location: U+FFFD stands for it', () => {
    for (const name of ['iac/\uD800main.tf', '/srv/\uDC00main.tf']) {
      const log = JSON.parse(renderAll([{ ...gated, target: { ...gated.target, file: name } }]).sarif) as Log;
      expect(log.runs[0]!.results![0]!.locations![0]!.physicalLocation!.artifactLocation!.uri).toContain('%EF%BF%BDmain.tf');
    }
  });
});
