// JUnit XML for CI test views: a testsuite per domain, a testcase per check and resource.
// A failing check gives one testcase per resource it found problems on; a check that passed, could
// not decide, or did not apply gives one testcase named after the check.
import type { CheckResult, Finding, Report } from '../engine/types.js';
import { inert, inertLine } from '../util/inert.js';
import { targetId } from './target.js';

/** What XML 1.0 cannot carry at all, even escaped, beyond what inert() shows: lone surrogates, U+FFFE/FFFF. */
const NOT_XML = /[\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The shared sanitizer, then what XML cannot carry: both as visible escapes. */
function visible(text: string): string {
  return inert(text).replace(NOT_XML, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Text content: well-formed for any input (`]]>` included, as `]]&gt;`). */
export function xmlText(text: string): string {
  return visible(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An attribute value in double quotes; line feeds kept as character references (other controls are already escapes). */
export function xmlAttr(text: string): string {
  return xmlText(text).replace(/"/g, '&quot;').replace(/\n/g, '&#10;');
}

export type Outcome =
  | { kind: 'passed' }
  | { kind: 'failure'; message: string; type: string; body: string }
  | { kind: 'error'; message: string; type: string }
  | { kind: 'skipped'; message: string };

export interface TestCase {
  name: string;
  classname: string;
  outcome: Outcome;
}

function findingText(finding: Finding): string {
  const notes = [
    finding.new === false ? 'known from the baseline' : finding.new === true ? 'new since the baseline' : '',
    finding.muted ? `muted: ${finding.muteReason ?? ''}` : '',
    finding.muteExpired ? `mute expired on ${finding.muteExpires}: ${finding.muteReason ?? ''}` : '',
  ].filter(Boolean);
  return [
    inertLine(`${finding.severity} ${finding.id}${notes.length ? ` (${notes.join('; ')})` : ''}`),
    `  ${inertLine(finding.message)}`,
    `  What users see: ${inertLine(finding.symptom)}`,
    `  Fix: ${inertLine(finding.fix.summary)}`,
    ...(finding.fix.commands ?? []).map((command) => `    $ ${inertLine(command)}`),
    `  uid ${finding.uid}`,
  ].join('\n');
}

function resourceCase(check: string, classname: string, resource: string, findings: Finding[]): TestCase {
  const name = `${check} [${resource}]`;
  const open = findings.filter((f) => !f.muted);
  if (open.length === 0) {
    return { name, classname, outcome: { kind: 'skipped', message: `muted: ${[...new Set(findings.map((f) => f.muteReason ?? ''))].join('; ')}` } };
  }
  const ids = [...new Set(open.map((f) => f.id))];
  return {
    name,
    classname,
    outcome: { kind: 'failure', message: open.map((f) => f.message).join(' '), type: ids.join(' '), body: findings.map(findingText).join('\n\n') },
  };
}

function checkCases(result: CheckResult, report: Report, classname: string): TestCase[] {
  switch (result.status) {
    case 'pass':
      return [{ name: result.check, classname, outcome: { kind: 'passed' } }];
    case 'unknown':
    case 'error':
      return [{ name: result.check, classname, outcome: { kind: 'error', message: result.reason ?? result.status, type: result.status } }];
    case 'not-applicable':
    case 'not-evaluated':
      return [{ name: result.check, classname, outcome: { kind: 'skipped', message: `${result.status}: ${result.reason ?? ''}` } }];
    case 'fail': {
      const byResource = new Map<string, Finding[]>();
      for (const finding of report.findings.filter((f) => f.check === result.check)) {
        byResource.set(finding.resource, [...(byResource.get(finding.resource) ?? []), finding]);
      }
      if (byResource.size === 0) return [{ name: result.check, classname, outcome: { kind: 'skipped', message: 'its failure ids were skipped' } }];
      return [...byResource].map(([resource, findings]) => resourceCase(result.check, classname, resource, findings));
    }
  }
}

export function counts(cases: TestCase[]) {
  const count = (kind: Outcome['kind']) => cases.filter((c) => c.outcome.kind === kind).length;
  return { tests: cases.length, failures: count('failure'), errors: count('error'), skipped: count('skipped') };
}

export function countAttrs(c: ReturnType<typeof counts>): string {
  return `tests="${c.tests}" failures="${c.failures}" errors="${c.errors}" skipped="${c.skipped}"`;
}

export function caseXml(test: TestCase): string[] {
  const open = `    <testcase name="${xmlAttr(test.name)}" classname="${xmlAttr(test.classname)}"`;
  const o = test.outcome;
  switch (o.kind) {
    case 'passed':
      return [`${open}/>`];
    case 'failure':
      return [`${open}>`, `      <failure message="${xmlAttr(o.message)}" type="${xmlAttr(o.type)}">${xmlText(o.body)}</failure>`, '    </testcase>'];
    case 'error':
      return [`${open}>`, `      <error message="${xmlAttr(o.message)}" type="${xmlAttr(o.type)}"/>`, '    </testcase>'];
    case 'skipped':
      return [`${open}>`, `      <skipped message="${xmlAttr(o.message)}"/>`, '    </testcase>'];
  }
}

/** How a suite is named: by default its domain (or app client) and Region; a sweep adds the account. */
export interface SuiteNaming {
  name: string;
  classname: string;
}

/** One report's testsuite, as lines of XML, and its counts. */
export function junitSuite(report: Report, naming?: SuiteNaming): { lines: string[]; counts: ReturnType<typeof counts> } {
  const t = report.target;
  const classname = naming?.classname ?? `cogdoctor.${targetId(t)}`;
  const cases = report.checks.flatMap((result) => checkCases(result, report, classname));
  const c = counts(cases);
  const lines = [`  <testsuite name="${xmlAttr(naming?.name ?? `${targetId(t)} (${t.region})`)}" ${countAttrs(c)}>`];
  const properties = [
    ['domain', t.domain],
    ['userPoolId', t.userPoolClient?.userPoolId],
    ['clientId', t.userPoolClient?.clientId],
    ['region', t.region],
    ['accountId', t.accountId],
    ['source', t.file ?? t.source],
    ['baseline', report.baseline?.file],
  ].filter((p): p is [string, string] => p[1] !== undefined);
  lines.push('    <properties>', ...properties.map(([name, value]) => `      <property name="${name}" value="${xmlAttr(value)}"/>`), '    </properties>');
  for (const test of cases) lines.push(...caseXml(test));
  lines.push('  </testsuite>');
  return { lines, counts: c };
}

export function renderJunit(reports: Report[]): string {
  const suites = reports.map((report) => junitSuite(report));
  const total = suites.reduce(
    (sum, { counts: c }) => ({
      tests: sum.tests + c.tests,
      failures: sum.failures + c.failures,
      errors: sum.errors + c.errors,
      skipped: sum.skipped + c.skipped,
    }),
    { tests: 0, failures: 0, errors: 0, skipped: 0 },
  );
  return `${['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="cogdoctor" ${countAttrs(total)}>`, ...suites.flatMap((s) => s.lines), '</testsuites>'].join('\n')}\n`;
}
