import { Chalk } from 'chalk';
import { renderCompact } from './compact.js';
import { renderText } from './text.js';
import { inertLine } from '../util/inert.js';
import { countsText, notRead, reasonText, scopeText, sweepRows } from './sweep-common.js';
import type { SweepSummary, SweepWriter, SweepWriterOptions } from './sweep.js';

/** Account names are the organization's own: long ones are cut so the table stays readable. */
const MAX_NAME = 32;

function cell(text: string, max = Number.POSITIVE_INFINITY): string {
  const line = inertLine(text);
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** Left-aligned text columns, right-aligned numbers; two spaces between columns. */
function table(head: string[], rows: Array<Array<string | number>>): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => String(row[i]).length)));
  const line = (row: Array<string | number>) =>
    `  ${row
      .map((value, i) => (typeof value === 'number' ? String(value).padStart(widths[i]!) : value.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd()}`;
  return [line(head), ...rows.map(line)];
}

function summaryText(summary: SweepSummary, color: boolean): string {
  const c = new Chalk({ level: color ? 1 : 0 });
  const lines = [c.bold(`Organization sweep: ${scopeText(summary)}`), `  ${countsText(summary.totals)}`, ''];
  const rows = sweepRows(summary).map((r) => [
    cell(r.accountId),
    cell(r.name, MAX_NAME),
    cell(r.region || '-'),
    r.status,
    r.domains,
    r.error,
    r.warning,
    r.unknown,
  ]);
  lines.push(...table(['Account', 'Name', 'Region', 'Status', 'Domains', 'Errors', 'Warnings', 'Unknown'], rows), '');
  const missing = notRead(summary);
  if (missing.length) {
    lines.push(c.bold('Not read:'));
    for (const item of missing) {
      const where = `${inertLine(item.accountId)}${item.name ? ` (${cell(item.name, MAX_NAME)})` : ''}${item.region ? ` ${inertLine(item.region)}` : ''}`;
      const mark = item.status === 'unreadable' ? c.red('✗') : c.dim('-');
      lines.push(`  ${mark} ${where}: ${item.status === 'unreadable' ? 'unreadable' : 'not enabled'}: ${inertLine(reasonText(item))}`);
    }
    lines.push('');
  }
  const ids = Object.entries(summary.byId);
  if (ids.length) {
    lines.push(c.bold('By failure id:'));
    lines.push(
      ...table(
        ['Failure id', 'Severity', 'Findings', 'Domains', 'Muted'],
        ids.map(([id, n]) => [inertLine(id), n.severity, n.findings, n.domains, n.muted]),
      ),
    );
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** Each report as `check` prints it (or --compact), a blank line between, then the sweep's table. */
export function textSweepWriter(options: SweepWriterOptions): SweepWriter {
  const color = options.color === true;
  let reports = 0;
  return {
    report(report) {
      const text = options.compact
        ? renderCompact([report], { color })
        : renderText([report], { color, verbose: options.verbose === true, version: options.version });
      return `${reports++ > 0 ? '\n' : ''}${text}`;
    },
    end: (summary) => `${reports > 0 ? '\n' : ''}${summaryText(summary, color)}`,
  };
}
