// One JUnit XML document for a whole sweep, written as it goes: a testsuite per domain whose
// testcases' classname is cogdoctor.<account>.<Region>.<domain> (CI views group by it), then a
// testsuite of the sweep itself: a testcase per account and per Region, an error when it could not
// be read, skipped when the Region is not enabled. The root carries no counts: they are not known
// when it is written; each testsuite has its own.
import { caseXml, countAttrs, counts, junitSuite, type TestCase } from './junit.js';
import { reasonText, type NotRead } from './sweep-common.js';
import { targetId } from './target.js';
import type { SweepSummary, SweepWriter } from './sweep.js';

const HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="cogdoctor sweep">\n';

function readingCases(summary: SweepSummary): TestCase[] {
  return summary.accounts.flatMap((account) => {
    const who: Omit<NotRead, 'status'> = { accountId: account.accountId, ...(account.name !== undefined ? { name: account.name } : {}) };
    const accountCase: TestCase = {
      name: `read account ${account.accountId}${account.name ? ` (${account.name})` : ''}`,
      classname: `cogdoctor.${account.accountId}`,
      outcome:
        account.status === 'unreadable'
          ? {
              kind: 'error',
              message: reasonText({ ...who, status: 'unreadable', ...(account.error ? { error: account.error } : {}) }),
              type: account.error?.code ?? 'unreadable',
            }
          : { kind: 'passed' },
    };
    const regionCases = account.regions.map((r): TestCase => {
      const item: NotRead = {
        ...who,
        region: r.region,
        status: r.status === 'not-enabled' ? 'not-enabled' : 'unreadable',
        ...(r.error ? { error: r.error } : {}),
      };
      const base = {
        name: `read ${r.region} of account ${account.accountId} (${r.domains.length} domain${r.domains.length === 1 ? '' : 's'})`,
        classname: `cogdoctor.${account.accountId}.${r.region}`,
      };
      switch (r.status) {
        case 'read':
          return { ...base, outcome: { kind: 'passed' } };
        case 'not-enabled':
          return { ...base, outcome: { kind: 'skipped', message: `not enabled: ${reasonText(item)}` } };
        case 'unreadable':
          return { ...base, outcome: { kind: 'error', message: reasonText(item), type: r.error?.code ?? 'unreadable' } };
      }
    });
    return [accountCase, ...regionCases];
  });
}

export function junitSweepWriter(): SweepWriter {
  let started = false;
  const begin = () => {
    if (started) return '';
    started = true;
    return HEAD;
  };
  return {
    report(report) {
      const t = report.target;
      const account = t.accountId ?? 'unknown-account';
      const { lines } = junitSuite(report, {
        name: `${targetId(t)} (${account}, ${t.region})`,
        classname: `cogdoctor.${account}.${t.region}.${targetId(t)}`,
      });
      return `${begin()}${lines.join('\n')}\n`;
    },
    end(summary) {
      const cases = readingCases(summary);
      const t = summary.totals;
      const properties = [
        ['accounts', t.accounts],
        ['accountsRead', t.accountsRead],
        ['regions', t.regions],
        ['regionsRead', t.regionsRead],
        ['regionsNotEnabled', t.regionsNotEnabled],
        ['domains', t.domains],
      ] as const;
      const lines = [
        `  <testsuite name="organization sweep" ${countAttrs(counts(cases))}>`,
        '    <properties>',
        ...properties.map(([name, value]) => `      <property name="${name}" value="${value}"/>`),
        '    </properties>',
        ...cases.flatMap(caseXml),
        '  </testsuite>',
        '</testsuites>',
      ];
      return `${begin()}${lines.join('\n')}\n`;
    },
  };
}
