import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Log } from 'sarif';
import { describe, expect, it } from 'vitest';
import reportSchema from '../../schema/report.schema.json' with { type: 'json' };
import sweepSchema from '../../schema/sweep.schema.json' with { type: 'json' };
import { builtinChecks } from '../../src/engine/builtin.js';
import type { Report } from '../../src/engine/types.js';
import { gateReport } from '../../src/gate/index.js';
import { runChecks } from '../../src/report/assemble.js';
import { type SweepAccount, type SweepFormat, type SweepSummary, SweepTally, sweepWriter } from '../../src/report/sweep.js';
import { parseSnapshot } from '../../src/snapshot/read.js';
// The OASIS SARIF 2.1.0 JSON Schema, as test/report/sarif.test.ts uses it.
import sarifSchema from '../fixtures/sarif-schema-2.1.0.json' with { type: 'json' };
import { FIXTURES, ROOT } from '../helpers.js';
import { CATALOG, HOSTILE } from './formats.js';

const FORMATS: SweepFormat[] = ['text', 'json', 'markdown', 'sarif', 'junit'];
const SECRET_CANARY = 'CANARY-sweep-secret-4b1d77';
/** A JWT whose payload is the canary: an STS error echoing a web identity token. */
const TOKEN_CANARY_PAYLOAD = 'eyJjYW5hcnkiOiJzd2VlcC10b2tlbiJ9';
const TOKEN_CANARY = `eyJhbGciOiJSUzI1NiJ9.${TOKEN_CANARY_PAYLOAD}.c2lnbmF0dXJlLWNhbmFyeQ`;
const KEY_CANARY = 'ASIAZZZZCANARY123456';

/** A snapshot file as another account's domain in another Region: every id and ARN in it rewritten. */
function domainIn(file: string, accountId: string, region: string, domain?: string): Report {
  let text = readFileSync(file, 'utf8').replaceAll('123456789012', accountId).replaceAll('eu-west-1', region);
  if (domain) text = text.replace(/"DomainName": "[^"]*"/, `"DomainName": "${domain}"`);
  return runChecks(parseSnapshot(text), builtinChecks, { version: 't', source: 'live' });
}

const healthy = join(FIXTURES, 'healthy/opensearch-fgac.json');
const broken = join(FIXTURES, 'fail/access-policy-open-no-fgac.json');
const partial = join(FIXTURES, 'partial/getrole-denied.json');
const gateBase = join(ROOT, 'test/fixtures/gate/base.json');

/** Three accounts × two Regions: one account whose role cannot be assumed, one opt-in Region not enabled, a Region that could not be listed. */
function sweep(): { reports: Report[]; accounts: SweepAccount[] } {
  const mutes = [{ id: 'classic-flow-enabled', account: '222222222222', reason: 'sandbox keeps the basic flow' }];
  const reports = [
    domainIn(healthy, '111111111111', 'eu-west-1', 'logs-prod'),
    domainIn(broken, '111111111111', 'eu-west-1', 'search-prod'),
    domainIn(partial, '111111111111', 'us-east-1', 'logs-us'),
    domainIn(gateBase, '222222222222', 'eu-west-1', 'logs-prod'),
  ].map((r) => gateReport(r, { mutes, today: '2026-06-01' }));
  const accounts: SweepAccount[] = [
    // Given out of order, as accounts finish: the summary orders them.
    {
      accountId: '333333333333',
      name: `Sandbox ${HOSTILE}`,
      status: 'unreadable',
      error: {
        operation: 'sts:AssumeRole',
        resource: 'arn:aws:iam::333333333333:role/cogdoctor-read',
        code: 'AccessDenied',
        message: `User: arn:aws:sts::999999999999:assumed-role/ci/${SECRET_CANARY} is not authorized to perform: sts:AssumeRole with token ${TOKEN_CANARY} key ${KEY_CANARY} | ${HOSTILE}`,
      },
      regions: [],
    },
    {
      accountId: '111111111111',
      name: 'Production',
      status: 'read',
      regions: [
        { region: 'us-east-1', status: 'read', domains: ['logs-us'] },
        { region: 'eu-west-1', status: 'read', domains: ['search-prod', 'logs-prod'] },
      ],
    },
    {
      accountId: '222222222222',
      name: 'Staging',
      status: 'read',
      regions: [
        { region: 'eu-west-1', status: 'read', domains: ['logs-prod'] },
        { region: 'ap-east-1', status: 'not-enabled', domains: [] },
        {
          region: 'us-east-1',
          status: 'unreadable',
          error: { operation: 'es:ListDomainNames', code: 'ThrottlingException', message: `Rate exceeded ${SECRET_CANARY}` },
          domains: [],
        },
      ],
    },
  ];
  return { reports, accounts };
}

/** The whole output of one sweep in one format, as the CLI prints it piece by piece. */
function run(format: SweepFormat, input = sweep(), version = '0.0.0-test'): { text: string; summary: SweepSummary; pieces: string[] } {
  const writer = sweepWriter(format, { version, color: false, catalog: CATALOG });
  const tally = new SweepTally();
  const pieces = input.reports.map((report) => {
    tally.add(report);
    return writer.report(report);
  });
  const summary = tally.summary(input.accounts, { version });
  pieces.push(writer.end(summary));
  return { text: pieces.join(''), summary, pieces };
}

describe('the sweep summary', () => {
  const { reports } = sweep();
  const { summary } = run('json');

  it('orders accounts by id and Regions by name, and counts per account and Region', () => {
    expect(summary.accounts.map((a) => a.accountId)).toEqual(['111111111111', '222222222222', '333333333333']);
    expect(summary.accounts[1]!.regions.map((r) => [r.region, r.status])).toEqual([
      ['ap-east-1', 'not-enabled'],
      ['eu-west-1', 'read'],
      ['us-east-1', 'unreadable'],
    ]);
    const euWest = summary.accounts[0]!.regions.find((r) => r.region === 'eu-west-1')!;
    expect(euWest.domains).toEqual(['logs-prod', 'search-prod']);
    const [healthyReport, brokenReport] = reports;
    expect(euWest.counts.warning).toBe(healthyReport!.summary.warning + brokenReport!.summary.warning);
    expect(euWest.counts.warning).toBeGreaterThan(0);
    const usEast = summary.accounts[0]!.regions.find((r) => r.region === 'us-east-1')!;
    expect(usEast.counts.unknown).toBe(reports[2]!.summary.unknown);
    expect(usEast.counts.unknown).toBeGreaterThan(0);
  });

  it('totals: accounts, Regions, domains and findings', () => {
    const sum = (key: 'error' | 'warning' | 'info' | 'unknown' | 'muted') => reports.reduce((n, r) => n + (r.summary[key] ?? 0), 0);
    expect(summary.totals).toEqual({
      accounts: 3,
      accountsRead: 2,
      regions: 5,
      regionsRead: 3,
      regionsNotEnabled: 1,
      domains: 4,
      error: sum('error'),
      warning: sum('warning'),
      info: sum('info'),
      unknown: sum('unknown'),
      errored: 0,
      muted: sum('muted'),
    });
    // The mute names account 222222222222: it muted there only.
    expect(summary.totals.muted).toBe(1);
  });

  it('counts by failure id: findings, domains, muted', () => {
    const classic = summary.byId['classic-flow-enabled']!;
    expect(classic.muted).toBe(1);
    for (const [id, count] of Object.entries(summary.byId)) {
      const findings = reports.flatMap((r) => r.findings.filter((f) => f.id === id && !f.muted));
      expect(count.findings).toBe(findings.length);
      expect(count.domains).toBe(reports.filter((r) => r.findings.some((f) => f.id === id && !f.muted)).length);
    }
    expect(Object.keys(summary.byId)).toEqual(Object.keys(summary.byId).sort());
  });

  it('a report of an account the outcomes do not name still counts, in a row of its own', () => {
    const tally = new SweepTally();
    tally.add(reports[0]!);
    const alone = tally.summary([], { version: 't' });
    expect(alone.accounts).toEqual([
      { accountId: '111111111111', status: 'read', regions: [{ region: 'eu-west-1', status: 'read', domains: ['logs-prod'], counts: expect.any(Object) }] },
    ]);
    expect(alone.totals.domains).toBe(1);
  });

  it('with a baseline, counts new and fixed', () => {
    const tally = new SweepTally();
    const baseline = { file: 'b.json', entries: [] };
    tally.add(gateReport(reports[1]!, { baseline }));
    const withBaseline = tally.summary([], { version: 't' });
    expect(withBaseline.totals.new).toBe(reports[1]!.findings.length);
    expect(withBaseline.totals.fixed).toBe(0);
  });
});

describe('JSON Lines', () => {
  const ajv = new Ajv({ strict: false, allErrors: true });
  const validateReport = ajv.compile(reportSchema);
  const validateSweep = ajv.compile(sweepSchema);
  const { text, pieces } = run('json');
  const lines = text.trimEnd().split('\n');

  it('one report per line, as it is done, then the summary last', () => {
    expect(pieces.slice(0, -1).every((piece) => piece.endsWith('\n') && piece.split('\n').length === 2)).toBe(true);
    expect(lines.length).toBe(5);
    for (const line of lines.slice(0, -1)) {
      const document = JSON.parse(line);
      expect(validateReport(document), JSON.stringify(validateReport.errors)).toBe(true);
    }
  });

  it('the summary validates against schema/sweep.schema.json', () => {
    const summary = JSON.parse(lines.at(-1)!);
    expect(summary.schema).toBe('cogdoctor/sweep/v1');
    expect(validateSweep(summary), JSON.stringify(validateSweep.errors)).toBe(true);
    const withBaseline = new SweepTally();
    withBaseline.add(gateReport(sweep().reports[0]!, { baseline: { file: 'b.json', entries: [] } }));
    const document = JSON.parse(sweepWriter('json', { version: 't' }).end(withBaseline.summary([], { version: 't' })));
    expect(validateSweep(document), JSON.stringify(validateSweep.errors)).toBe(true);
  });

  it('the schema is strict: it refuses an unknown status and a missing count', () => {
    const summary = JSON.parse(lines.at(-1)!);
    expect(validateSweep({ ...summary, accounts: [{ ...summary.accounts[0], status: 'skipped' }] })).toBe(false);
    const { muted: _muted, ...fewer } = summary.totals;
    expect(validateSweep({ ...summary, totals: fewer })).toBe(false);
    expect(validateSweep({ ...summary, totals: { ...summary.totals, extra: 1 } })).toBe(false);
  });

  it('a sweep that found no domain prints the summary alone', () => {
    const empty = run('json', { reports: [], accounts: sweep().accounts });
    expect(empty.text.split('\n').filter(Boolean).length).toBe(1);
    expect(validateSweep(JSON.parse(empty.text))).toBe(true);
  });
});

describe('SARIF', () => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addFormat('uri', (value: string) => URL.canParse(value));
  ajv.addFormat('uri-reference', (value: string) => !/\s/.test(value) && URL.canParse(value, 'file:///base/'));
  ajv.addFormat('date-time', (value: string) => !Number.isNaN(Date.parse(value)));
  const validate = ajv.compile(sarifSchema);
  const expectValid = (text: string): Log => {
    const log = JSON.parse(text) as Log;
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    return log;
  };
  const { reports } = sweep();
  const { text, pieces } = run('sarif');
  const log = expectValid(text);
  const sarifRun = log.runs[0]!;

  it('is one log whose head comes with the first report', () => {
    expect(log.runs.length).toBe(1);
    expect(pieces[0]).toMatch(/^\{\n {2}"\$schema"/);
    expect(pieces[0]).toContain('"results": [');
  });

  it('one result per finding, each with its account, Region and domain', () => {
    const expected = reports.flatMap((r) => r.findings.map((f) => [f.id, r.target.accountId, r.target.region, r.target.domain]));
    expect(sarifRun.results!.map((r) => [r.ruleId, r.properties!['accountId'], r.properties!['region'], r.properties!['domain']])).toEqual(expected);
  });

  it('rules are the catalog, and each result points at its own', () => {
    const ids = [...new Set(CATALOG.map((m) => m.id))].sort();
    expect(sarifRun.tool.driver.rules!.map((r) => r.id)).toEqual(ids);
    for (const result of sarifRun.results!) expect(sarifRun.tool.driver.rules![result.ruleIndex!]!.id).toBe(result.ruleId);
  });

  it('the accounts and Regions not read are notifications of the run', () => {
    const invocation = sarifRun.invocations![0]!;
    expect(invocation.executionSuccessful).toBe(false);
    const notes = invocation.toolExecutionNotifications!;
    expect(notes.map((n) => [n.level, n.descriptor!.id, n.properties!['accountId'], n.properties!['region']])).toEqual([
      ['note', 'region-not-enabled', '222222222222', 'ap-east-1'],
      ['error', 'region-unreadable', '222222222222', 'us-east-1'],
      ['error', 'account-unreadable', '333333333333', undefined],
    ]);
    expect(notes[2]!.message.text).toContain('sts:AssumeRole AccessDenied');
    for (const note of notes) expect(sarifRun.tool.driver.notifications![note.descriptor!.index!]!.id).toBe(note.descriptor!.id);
  });

  it('without a domain, or without anything unread, still one valid log', () => {
    const none = expectValid(run('sarif', { reports: [], accounts: sweep().accounts }).text);
    expect(none.runs[0]!.results).toEqual([]);
    const allRead = expectValid(run('sarif', { reports: sweep().reports, accounts: [] }).text);
    expect(allRead.runs[0]!.invocations![0]).toEqual({ executionSuccessful: true });
  });
});

describe('JUnit', () => {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name) });
  interface Case {
    name: string;
    classname: string;
    error?: { message: string; type: string };
    skipped?: { message: string };
    failure?: { message: string };
  }
  const parse = (xml: string) => {
    expect(XMLValidator.validate(xml)).toBe(true);
    return parser.parse(xml) as { testsuites: { testsuite: Array<{ name: string; testcase: Case[]; errors: string; skipped: string }> } };
  };
  const { reports } = sweep();
  const suites = parse(run('junit').text).testsuites.testsuite;

  it('one testsuite per domain, every testcase named by account, Region and domain', () => {
    expect(suites.length).toBe(reports.length + 1);
    reports.forEach((report, i) => {
      const { accountId, region, domain } = report.target;
      expect(suites[i]!.name).toBe(`${domain} (${accountId}, ${region})`);
      expect(suites[i]!.testcase.length).toBeGreaterThan(0);
      for (const test of suites[i]!.testcase) expect(test.classname).toBe(`cogdoctor.${accountId}.${region}.${domain}`);
    });
  });

  it('unreadable accounts and Regions are errors, a Region not enabled is skipped', () => {
    const sweepSuite = suites.at(-1)!;
    expect(sweepSuite.name).toBe('organization sweep');
    const outcome = (c: Case) => (c.error ? `error ${c.error.type}` : c.skipped ? 'skipped' : c.failure ? 'failure' : 'passed');
    expect(sweepSuite.testcase.map((c) => [c.classname, outcome(c)])).toEqual([
      ['cogdoctor.111111111111', 'passed'],
      ['cogdoctor.111111111111.eu-west-1', 'passed'],
      ['cogdoctor.111111111111.us-east-1', 'passed'],
      ['cogdoctor.222222222222', 'passed'],
      ['cogdoctor.222222222222.ap-east-1', 'skipped'],
      ['cogdoctor.222222222222.eu-west-1', 'passed'],
      ['cogdoctor.222222222222.us-east-1', 'error ThrottlingException'],
      ['cogdoctor.333333333333', 'error AccessDenied'],
    ]);
    expect(sweepSuite.errors).toBe('2');
    expect(sweepSuite.skipped).toBe('1');
    expect(sweepSuite.testcase.at(-1)!.error!.message).toContain('sts:AssumeRole AccessDenied on arn:aws:iam::333333333333:role/cogdoctor-read');
  });

  it('without a domain, still one well-formed document', () => {
    const none = parse(run('junit', { reports: [], accounts: sweep().accounts }).text);
    expect(none.testsuites.testsuite.map((s) => s.name)).toEqual(['organization sweep']);
  });
});

describe('Markdown', () => {
  const { text } = run('markdown');

  it('each report as check prints it, then the sweep section', () => {
    expect(text.match(/^# cogdoctor: /gm)!.length).toBe(4);
    const section = text.slice(text.indexOf('## Organization sweep'));
    expect(text.indexOf('## Organization sweep')).toBeGreaterThan(text.lastIndexOf('# cogdoctor: '));
    expect(section).toContain('3 accounts (2 read), 5 Regions (3 read, 1 not enabled, 1 unreadable), 4 domains');
    expect(section).toContain('| Account | Name | Region | Status | Domains | Errors | Warnings | Unknown |');
    expect(section).toMatch(/\| `111111111111` \| `Production` \| `eu-west-1` \| read \| 2 \| \d+ \| \d+ \| 0 \|/);
    expect(section).toMatch(/\| `222222222222` \| `Staging` \| `ap-east-1` \| not-enabled \| 0 \| 0 \| 0 \| 0 \|/);
    expect(section).toContain('### Not read');
    expect(section).toContain(
      '- Account `222222222222` (`Staging`), Region `us-east-1`: **unreadable**: es:ListDomainNames ThrottlingException: Rate exceeded',
    );
    expect(section).toContain('### By failure id');
    expect(section).toMatch(/\| `classic-flow-enabled` \| warning \| 0 \| 0 \| 1 \|/);
  });

  it('a hostile account name stays inside its cell and makes no markup', () => {
    const section = text.slice(text.indexOf('## Organization sweep'));
    const row = section.split('\n').find((line) => line.startsWith('| `333333333333`'))!;
    // Eight cells: the name's | is escaped, its line breaks and controls are visible escapes.
    expect(row.split(/(?<!\\)\|/).length).toBe(10);
    // The name is a code span (a fence longer than its own backtick run); in prose every markup character is escaped.
    expect(row).toContain('| ````Sandbox a\\|b `tick` ``` <img src=x onerror=alert(1)> *bold* _i_ [link](http://evil) ]]> & "q" \'s\' \\x1b[31m\\x00\\x07');
    const why = section.split('\n').find((line) => line.startsWith('- Account `333333333333`'))!;
    expect(why).toContain('\\<img src=x onerror=alert(1)\\> \\*bold\\* \\_i\\_ \\[link\\](`http://evil`)');
    expect(section).not.toContain('\u001b');
    expect(section).not.toMatch(/^# heading/m);
  });

  it('a sweep that found no domain is a ticket of its own, with a title', () => {
    const none = run('markdown', { reports: [], accounts: sweep().accounts }).text;
    expect(none.split('\n')[0]).toBe('# cogdoctor: organization sweep of 3 accounts (2 read), 5 Regions (3 read, 1 not enabled, 1 unreadable), 4 domains');
    expect(none).toContain('\n## Organization sweep\n');
  });
});

describe('text', () => {
  const { pieces } = run('text');

  it('each report streams as check prints it, then the summary table', () => {
    expect(pieces[0]).toMatch(/^cogdoctor 0\.0\.0-test {2}· {2}domain logs-prod \(eu-west-1, 111111111111\)/);
    expect(pieces[1]).toMatch(/^\ncogdoctor 0\.0\.0-test {2}· {2}domain search-prod/);
    const summary = pieces.at(-1)!;
    expect(summary).toMatch(/^\nOrganization sweep: 3 accounts \(2 read\), 5 Regions \(3 read, 1 not enabled, 1 unreadable\), 4 domains\n/);
    expect(summary).toMatch(/ muted\n\n {2}Account +Name +Region +Status +Domains {2}Errors {2}Warnings {2}Unknown\n/);
    expect(summary).toMatch(/\n {2}222222222222 +Staging +ap-east-1 +not-enabled +0 +0 +0 +0\n/);
    expect(summary).toContain('  ✗ 222222222222 (Staging) us-east-1: unreadable: es:ListDomainNames ThrottlingException: Rate exceeded');
    expect(summary).toContain('  - 222222222222 (Staging) ap-east-1: not enabled: opt-in Region not enabled in the account');
    expect(summary).toMatch(/By failure id:\n {2}Failure id +Severity +Findings +Domains +Muted\n/);
  });

  it('--compact prints one line per finding per report, each report headed by its domain, Region and account', () => {
    const writer = sweepWriter('text', { version: 't', compact: true });
    const reports = sweep().reports;
    expect(writer.report(reports[0]!).split('\n')[0]).toBe('domain logs-prod (eu-west-1, 111111111111)');
    expect(writer.report(reports[1]!).split('\n')[1]).toMatch(/^domain search-prod \(eu-west-1, 111111111111\)$/);
    expect(() => sweepWriter('json', { version: 't', compact: true })).toThrow(/--compact is a text view/);
  });

  it('a hostile account name cannot start a line or reach the terminal raw', () => {
    const summary = pieces.at(-1)!;
    expect(summary).not.toContain('\u001b');
    expect(summary).not.toMatch(/^# heading/m);
    expect(summary.split('\n').filter((line) => line.includes('333333333333')).length).toBe(2);
  });
});

describe('every format', () => {
  it.each(FORMATS)('%s: no secret from an error message is printed', (format) => {
    const input = sweep();
    expect(JSON.stringify(input.accounts)).toContain(SECRET_CANARY);
    process.env['AWS_SECRET_ACCESS_KEY'] = SECRET_CANARY;
    try {
      const { text } = run(format, input);
      expect(text).not.toContain(SECRET_CANARY);
      expect(text).not.toContain(TOKEN_CANARY_PAYLOAD);
      expect(text).not.toContain(KEY_CANARY);
      expect(text).toMatch(/<redacted>|&lt;redacted&gt;|\\<redacted\\>/);
    } finally {
      delete process.env['AWS_SECRET_ACCESS_KEY'];
    }
  });

  it.each(FORMATS)('%s: the same sweep prints the same bytes', (format) => {
    expect(run(format).text).toBe(run(format).text);
    // Accounts given in another order are printed in the same order.
    const reordered = sweep();
    reordered.accounts.reverse();
    expect(run(format, reordered).text).toBe(run(format).text);
  });
});
