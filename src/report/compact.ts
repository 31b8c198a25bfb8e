import { Chalk } from 'chalk';
import type { Report } from '../engine/types.js';
import { areaVerdictLines } from './areas.js';
import { inertLine } from '../util/inert.js';
import { targetName, targetPlace } from './target.js';

const MARK = { error: '✗', warning: '!', info: 'i' } as const;
/** Long enough for the first sentence of most messages; the full text is in the other formats. */
const MAX_MESSAGE = 140;

function firstSentence(message: string): string {
  const line = inertLine(message);
  const end = line.search(/\.(\s|$)/);
  const sentence = end >= 0 ? line.slice(0, end + 1) : line;
  return sentence.length > MAX_MESSAGE ? `${sentence.slice(0, MAX_MESSAGE - 1)}…` : sentence;
}

/**
 * --compact: per report, one line naming the target, one line per finding that counts (mark,
 * failure id, first sentence of its message), then the counts and the verdict by area.
 */
export function renderCompact(reports: Report[], options: { color: boolean }): string {
  const chalk = new Chalk({ level: options.color ? 1 : 0 });
  const paint = { error: chalk.red.bold, warning: chalk.yellow.bold, info: chalk.cyan };
  const blocks = reports.map((report) => {
    const t = report.target;
    const lines = [chalk.bold(`${inertLine(targetName(t))} (${targetPlace(t)})${t.file ? `  ${inertLine(t.file)}` : ''}`)];
    const counting = report.findings.filter((f) => !f.muted && f.new !== false);
    for (const f of counting) lines.push(`${paint[f.severity](`${MARK[f.severity]} ${f.id}`)}  ${firstSentence(f.message)}`);
    const s = report.summary;
    const others = report.findings.length - counting.length;
    const counts = [
      `${s.passed} passed`,
      s.error && `${s.error} error${s.error > 1 ? 's' : ''}`,
      s.warning && `${s.warning} warning${s.warning > 1 ? 's' : ''}`,
      s.info && `${s.info} info`,
      s.unknown && `${s.unknown} unknown`,
      s.errored && `${s.errored} check errors`,
      others && `${others} muted or known`,
    ];
    lines.push(counts.filter(Boolean).join(', '), ...areaVerdictLines(report, false));
    return lines.join('\n');
  });
  return `${blocks.join('\n\n')}\n`;
}
