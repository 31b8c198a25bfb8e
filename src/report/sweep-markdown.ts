import { code, prose, renderMarkdown } from './markdown.js';
import { countsText, notRead, reasonText, scopeText, sweepRows } from './sweep-common.js';
import type { SweepSummary, SweepWriter, SweepWriterOptions } from './sweep.js';

/** The section a ticket needs: every account × Region with its counts, what could not be read and why, counts by failure id. */
function summaryMarkdown(summary: SweepSummary): string[] {
  const lines = ['## Organization sweep', '', `${prose(scopeText(summary))}: ${prose(countsText(summary.totals))}.`, ''];
  lines.push('| Account | Name | Region | Status | Domains | Errors | Warnings | Unknown |', '| --- | --- | --- | --- | ---: | ---: | ---: | ---: |');
  for (const r of sweepRows(summary)) {
    lines.push(
      `| ${code(r.accountId, true)} | ${r.name ? code(r.name, true) : ''} | ${r.region ? code(r.region, true) : ''} | ${r.status} | ${r.domains} | ${r.error} | ${r.warning} | ${r.unknown} |`,
    );
  }
  lines.push('');
  const missing = notRead(summary);
  if (missing.length) {
    lines.push('### Not read', '');
    for (const item of missing) {
      const who = `Account ${code(item.accountId)}${item.name ? ` (${code(item.name)})` : ''}${item.region ? `, Region ${code(item.region)}` : ''}`;
      lines.push(`- ${who}: ${item.status === 'unreadable' ? '**unreadable**' : 'not enabled'}: ${prose(reasonText(item))}`);
    }
    lines.push('');
  }
  const ids = Object.entries(summary.byId);
  if (ids.length) {
    lines.push('### By failure id', '', '| Failure id | Severity | Findings | Domains | Muted |', '| --- | --- | ---: | ---: | ---: |');
    for (const [id, n] of ids) lines.push(`| ${code(id, true)} | ${n.severity} | ${n.findings} | ${n.domains} | ${n.muted} |`);
    lines.push('');
  }
  return lines;
}

/** A thematic break between the reports and before the sweep's section, so that each stands apart in a long ticket. */
const BREAK = '\n---\n\n';

/** Each report as `check --format markdown` prints it, then the sweep's section. */
export function markdownSweepWriter(options: SweepWriterOptions): SweepWriter {
  let reports = 0;
  return {
    report: (report) => `${reports++ > 0 ? BREAK : ''}${renderMarkdown([report], { version: options.version })}`,
    end(summary) {
      // Without any domain the section is the whole ticket: it needs a title line of its own.
      const head = reports > 0 ? [BREAK.trimEnd()] : [`# cogdoctor: organization sweep of ${prose(scopeText(summary))}`, ''];
      return `${[...head, ...summaryMarkdown(summary)].join('\n').trimEnd()}\n`;
    },
  };
}
