import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/engine/types.js';
import { renderJunit, xmlAttr, xmlText } from '../../src/report/junit.js';
import { loadFixtures, report } from '../helpers.js';
import { gatedReport, HOSTILE, hostileReport } from './formats.js';

// XML 1.0 Char production: anything else makes the document ill-formed, escaped or not.
const NOT_XML_CHAR =
  /[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\ud800-\udbff\udc00-\udfff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name) });

interface TestCase {
  name: string;
  classname: string;
  failure?: { message: string; type: string; '#text'?: string };
  error?: { message: string; type: string };
  skipped?: { message: string };
}
interface Suite {
  name: string;
  tests: string;
  failures: string;
  errors: string;
  skipped: string;
  testcase: TestCase[];
}

function parse(xml: string): { testsuites: { tests: string; failures: string; errors: string; skipped: string; testsuite: Suite[] } } {
  expect(XMLValidator.validate(xml)).toBe(true);
  expect(NOT_XML_CHAR.test(xml)).toBe(false);
  return parser.parse(xml);
}

/** What the counts must be, from the report alone. */
function expected(r: Report) {
  const byCheck = (status: string) => r.checks.filter((c) => c.status === status).map((c) => c.check);
  const pairs = (muted: boolean) =>
    new Set(r.findings.filter((f) => byCheck('fail').includes(f.check) && Boolean(f.muted) === muted).map((f) => `${f.check} ${f.resource}`));
  const failing = pairs(false);
  const onlyMuted = [...pairs(true)].filter((p) => !failing.has(p));
  const failCases = new Set(r.findings.map((f) => `${f.check} ${f.resource}`)).size;
  return {
    tests: r.checks.filter((c) => c.status !== 'fail').length + failCases,
    failures: failing.size,
    errors: byCheck('unknown').length + byCheck('error').length,
    skipped: byCheck('not-applicable').length + byCheck('not-evaluated').length + onlyMuted.length,
  };
}

function expectCounts(suite: Pick<Suite, 'tests' | 'failures' | 'errors' | 'skipped'>, counts: ReturnType<typeof expected>) {
  expect({ tests: Number(suite.tests), failures: Number(suite.failures), errors: Number(suite.errors), skipped: Number(suite.skipped) }).toEqual(counts);
}

describe('JUnit output', () => {
  it.each(loadFixtures().map((f) => [f.name, f] as const))('%s: well-formed, counts match the report', (_name, fixture) => {
    const r = report(fixture.snapshot);
    const doc = parse(renderJunit([r]));
    const suite = doc.testsuites.testsuite[0]!;
    expectCounts(suite, expected(r));
    expectCounts(doc.testsuites, expected(r));
    expect(suite.testcase).toHaveLength(expected(r).tests);
    expect(
      suite.testcase
        .filter((t) => t.failure)
        .map((t) => t.failure!.type)
        .join(' ')
        .split(' ')
        .filter(Boolean)
        .sort(),
    ).toEqual([...new Set(r.findings.map((f) => `${f.check} ${f.resource} ${f.id}`))].map((k) => k.split(' ')[2]).sort());
  });

  it('a testsuite per domain, totals on testsuites', () => {
    const a = report(loadFixtures().find((f) => f.name === 'demo/logs-demo.json')!.snapshot);
    const b = report(loadFixtures().find((f) => f.name === 'healthy/legacy-es-kibana.json')!.snapshot);
    const doc = parse(renderJunit([a, b]));
    expect(doc.testsuites.testsuite.map((s) => s.name)).toEqual([`${a.target.domain} (eu-west-1)`, `${b.target.domain} (${b.target.region})`]);
    expect(Number(doc.testsuites.tests)).toBe(expected(a).tests + expected(b).tests);
    expect(Number(doc.testsuites.failures)).toBe(expected(a).failures + expected(b).failures);
  });

  it('muted findings are skipped, known and new ones fail, an expired mute says so', () => {
    const gated = gatedReport();
    const doc = parse(renderJunit([gated]));
    const cases = doc.testsuites.testsuite[0]!.testcase;
    const classic = gated.findings.find((f) => f.id === 'classic-flow-enabled')!;
    const scopes = gated.findings.find((f) => f.id === 'oauth-scopes-missing')!;
    expect(cases.find((t) => t.name === `${classic.check} [${classic.resource}]`)!.skipped!.message).toBe('muted: legacy importer still uses the basic flow');
    const scopesCase = cases.find((t) => t.name === `${scopes.check} [${scopes.resource}]`)!;
    expect(scopesCase.failure!.type).toBe('oauth-scopes-missing');
    expect(scopesCase.failure!['#text']).toMatch(/known from the baseline; mute expired on 2000-01-01: waiting for the IaC change/);
    const redirect = gated.findings.find((f) => f.id === 'redirect-mismatch')!;
    expect(cases.find((t) => t.name === `${redirect.check} [${redirect.resource}]`)!.failure!['#text']).toMatch(/new since the baseline/);
    expectCounts(doc.testsuites.testsuite[0]!, expected(gated));
  });

  it('unknown and errored checks are errors with their reason', () => {
    const r = report(loadFixtures().find((f) => f.name === 'partial/getrole-denied.json')!.snapshot);
    const doc = parse(renderJunit([r]));
    const errors = doc.testsuites.testsuite[0]!.testcase.filter((t) => t.error);
    expect(errors.map((t) => t.name).sort()).toEqual(
      r.checks
        .filter((c) => c.status === 'unknown')
        .map((c) => c.check)
        .sort(),
    );
    expect(errors[0]!.error!.message).toMatch(/iam:GetRole/);
  });

  it('well-formed for any text: control characters, lone surrogates, ]]>, quotes, markup', () => {
    const xml = renderJunit([hostileReport()]);
    const doc = parse(xml);
    const hostile = doc.testsuites.testsuite[0]!.testcase.find((t) => t.name.startsWith('hostile-text'))!;
    expect(hostile.failure!.message).toContain('<img src=x onerror=alert(1)>');
    expect(hostile.failure!.message).toContain(']]>');
    expect(xml).not.toContain(']]>');
    expect(xml).not.toMatch(/\u001b/);
  });

  it('escapes every value the same way, with line breaks kept in attributes', () => {
    expect(xmlText('a < b && c > d ]]>')).toBe('a &lt; b &amp;&amp; c &gt; d ]]&gt;');
    expect(xmlAttr('say "hi"\n\tthere')).toBe('say &quot;hi&quot;&#10;\\x09there');
    expect(xmlText('\u0000\u001b\ud800x\uffff')).toBe('\\x00\\x1b\\ud800x\\uffff');
    // C1, DEL, bidi and zero-width characters are shown too, as in every other format.
    expect(xmlText('\u009b2J\u007f\u202eevil\u2066\u200b')).toBe('\\x9b2J\\x7f\\u202eevil\\u2066\\u200b');
    expect(xmlText('😀')).toBe('😀');
    expect(NOT_XML_CHAR.test(xmlAttr(HOSTILE))).toBe(false);
  });
});
