import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import schema from '../../schema/report.schema.json' with { type: 'json' };
import { applyBaseline, baselineFromReports } from '../../src/gate/index.js';
import { renderJson } from '../../src/report/json.js';
import { gateFixture } from '../gate/fixtures.js';
import { report } from '../helpers.js';
import { gatedReport } from './formats.js';

const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addFormat('uri', (value: string) => URL.canParse(value));
const validate = ajv.compile(schema);

function expectValid(document: unknown) {
  const valid = validate(document);
  expect(validate.errors ?? []).toEqual([]);
  expect(valid).toBe(true);
}

describe('a gated report still validates against schema/report.schema.json', () => {
  it('with muted, expired-mute, new and known findings', () => {
    expectValid(JSON.parse(renderJson([gatedReport()])));
  });

  it('with fixed findings', () => {
    const fixed = applyBaseline(report(gateFixture('fixed.json')), baselineFromReports('base.json', [report(gateFixture('base.json'))]));
    expect(fixed.baseline!.fixed).toHaveLength(1);
    expectValid(JSON.parse(renderJson([fixed])));
  });

  it('refuses a finding without a uid, or with a malformed one', () => {
    const document = JSON.parse(renderJson([gatedReport()]));
    delete document.findings[0].uid;
    expect(validate(document)).toBe(false);
    document.findings[0].uid = 'not-hex';
    expect(validate(document)).toBe(false);
  });
});
