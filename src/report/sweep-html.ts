import { codeHtml, escLine, filterIdsOf, PAGE_END, pageStart } from './html-page.js';
import { reportSectionHtml } from './html.js';
import { countsText, notRead, reasonText, scopeText, sweepRows } from './sweep-common.js';
import type { SweepSummary, SweepWriter, SweepWriterOptions } from './sweep.js';

/** Every account × Region with its counts, what could not be read and why, counts by failure id. */
function summaryHtml(summary: SweepSummary): string {
  const rows = sweepRows(summary).map(
    (r) =>
      `<tr><td>${codeHtml(r.accountId)}</td><td>${r.name ? codeHtml(r.name) : ''}</td><td>${r.region ? codeHtml(r.region) : ''}</td><td>${escLine(r.status)}</td><td>${r.domains}</td><td>${r.error}</td><td>${r.warning}</td><td>${r.unknown}</td></tr>`,
  );
  const missing = notRead(summary).map(
    (item) =>
      `<li>Account ${codeHtml(item.accountId)}${item.name ? ` (${codeHtml(item.name)})` : ''}${item.region ? `, Region ${codeHtml(item.region)}` : ''}: <strong>${item.status === 'unreadable' ? 'unreadable' : 'not enabled'}</strong>: ${escLine(reasonText(item))}</li>`,
  );
  const ids = Object.entries(summary.byId).map(
    ([id, n]) => `<tr><td>${codeHtml(id)}</td><td>${n.severity}</td><td>${n.findings}</td><td>${n.domains}</td><td>${n.muted}</td></tr>`,
  );
  return [
    '<section class="sweep" aria-labelledby="sweep">',
    '<h2 id="sweep">Organization sweep</h2>',
    `<p>${escLine(scopeText(summary))}: ${escLine(countsText(summary.totals))}.</p>`,
    '<table><thead><tr><th scope="col">Account</th><th scope="col">Name</th><th scope="col">Region</th><th scope="col">Status</th><th scope="col">Domains</th><th scope="col">Errors</th><th scope="col">Warnings</th><th scope="col">Unknown</th></tr></thead><tbody>',
    ...rows,
    '</tbody></table>',
    missing.length ? `<h3>Not read</h3><ul>${missing.join('')}</ul>` : '',
    ids.length
      ? `<h3>By failure id</h3><table><thead><tr><th scope="col">Failure id</th><th scope="col">Severity</th><th scope="col">Findings</th><th scope="col">Domains</th><th scope="col">Muted</th></tr></thead><tbody>${ids.join('')}</tbody></table>`
      : '',
    '</section>\n',
  ]
    .filter(Boolean)
    .join('\n');
}

/**
 * One page streamed a domain at a time: the page opens with the first report, so its filter offers
 * every failure id of the catalog (the ids to come are not known yet), and closes with the summary.
 */
export function htmlSweepWriter(options: SweepWriterOptions): SweepWriter {
  const filterIds = filterIdsOf((options.catalog ?? []).map((mode) => mode.id));
  let reports = 0;
  const start = () => `${pageStart('cogdoctor: organization sweep', filterIds)}<div id="findings">\n`;
  return {
    report: (report) => `${reports++ === 0 ? start() : ''}${reportSectionHtml(report, reports, filterIds, options.version)}`,
    end: (summary) => `${reports === 0 ? start() : ''}</div>\n${summaryHtml(summary)}${PAGE_END}`,
  };
}
