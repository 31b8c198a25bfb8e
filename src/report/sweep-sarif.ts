// One SARIF 2.1.0 log for a whole sweep, written as it goes: the head (tool and rules, from the
// catalog of the checks that run) before the first result, the results one by one, and at the end
// the accounts and Regions that could not be read as the run's invocation.toolExecutionNotifications,
// the place SARIF 2.1.0 gives to conditions met while the tool ran; the invocation is not successful
// when any account or Region could not be read (a Region not enabled is a note, not a failure).
import type { Invocation, Notification, ReportingDescriptor, Result } from 'sarif';
import type { FailureMode } from '../engine/types.js';
import { jsonText } from '../util/inert.js';
import { compareText } from '../util/order.js';
import { SARIF_SCHEMA, sarifResults, sarifRule } from './sarif.js';
import { notRead, reasonText } from './sweep-common.js';
import type { SweepSummary, SweepWriter, SweepWriterOptions } from './sweep.js';

/** The notifications a sweep reports, declared on the driver so each one names its descriptor. */
const NOTIFICATIONS: ReportingDescriptor[] = [
  { id: 'account-unreadable', shortDescription: { text: 'An account could not be read: its domains were not checked.' } },
  { id: 'region-unreadable', shortDescription: { text: 'A Region of an account could not be read: its domains were not checked.' } },
  { id: 'region-not-enabled', shortDescription: { text: 'An opt-in Region is not enabled in the account: it has no domains to check.' } },
];

/** Stands where the results go, so that one serialization gives the text before them and after them. */
const RESULTS_HERE = '\u0000results';

/** The log's text around its results: [before, after]. Results are indented for their place in it. */
function around(rules: ReportingDescriptor[], version: string, invocations: Invocation[]): [string, string] {
  const text = jsonText({
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'cogdoctor', version, semanticVersion: version, rules, notifications: NOTIFICATIONS } },
        columnKind: 'unicodeCodePoints',
        results: [RESULTS_HERE],
        invocations,
      },
    ],
  });
  const marker = text.indexOf(JSON.stringify(RESULTS_HERE));
  const lineStart = text.lastIndexOf('\n', marker) + 1;
  const lineEnd = text.indexOf('\n', marker);
  return [text.slice(0, lineStart), text.slice(lineEnd)];
}

const INDENT = ' '.repeat(8);

function resultText(result: Result): string {
  return jsonText(result)
    .trimEnd()
    .split('\n')
    .map((line) => INDENT + line)
    .join('\n');
}

function notification(item: ReturnType<typeof notRead>[number]): Notification {
  const id = item.region === undefined ? 'account-unreadable' : item.status === 'not-enabled' ? 'region-not-enabled' : 'region-unreadable';
  const where = `account ${item.accountId}${item.name ? ` (${item.name})` : ''}${item.region ? `, Region ${item.region}` : ''}`;
  return {
    level: item.status === 'unreadable' ? 'error' : 'note',
    message: { text: `${item.status === 'unreadable' ? 'Not read' : 'Skipped'}: ${where}: ${reasonText(item)}` },
    descriptor: { id, index: NOTIFICATIONS.findIndex((n) => n.id === id) },
    properties: {
      accountId: item.accountId,
      ...(item.region !== undefined ? { region: item.region } : {}),
      ...(item.error ? { operation: item.error.operation, code: item.error.code } : {}),
    },
  };
}

export function sarifSweepWriter(options: SweepWriterOptions): SweepWriter {
  const modes = new Map<string, FailureMode>();
  for (const mode of options.catalog ?? []) if (!modes.has(mode.id)) modes.set(mode.id, mode);
  const rules = [...modes.values()].sort((a, b) => compareText(a.id, b.id)).map(sarifRule);
  const index = new Map(rules.map((rule, i) => [rule.id, i]));
  let started = false;
  let results = 0;
  /** The head, the first time only: at the first report, or at the end of a sweep that found no domain. */
  const begin = () => {
    if (started) return '';
    started = true;
    return around(rules, options.version, [])[0];
  };
  return {
    report(report) {
      const start = begin();
      const texts = sarifResults(report, (id) => index.get(id), options.sarifLocation).map((result) =>
        resultText({
          ...result,
          properties: { ...result.properties, ...(report.target.accountId !== undefined ? { accountId: report.target.accountId } : {}) },
        }),
      );
      const joined = texts.map((text) => `${results++ > 0 ? ',\n' : ''}${text}`).join('');
      return start + joined;
    },
    end(summary: SweepSummary) {
      const start = begin();
      const missing = notRead(summary);
      const invocation: Invocation = {
        executionSuccessful: missing.every((item) => item.status === 'not-enabled'),
        ...(missing.length ? { toolExecutionNotifications: missing.map(notification) } : {}),
      };
      const tail = around([], options.version, [invocation])[1];
      // The tail starts on the line after the last result; without results, right after the head.
      return `${start}${results > 0 ? tail : tail.slice(1)}`;
    },
  };
}
