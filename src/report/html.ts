// One self-contained HTML file per run: the login path drawn with the broken step marked and linked
// to its findings, the findings filterable by severity and id (CSS only: the page has no script
// and its Content-Security-Policy allows none), readable in light and dark schemes and in print.
// Nothing in it loads anything; every value from AWS is escaped (html-page.ts).
import type { CheckResult, Finding, FixedFinding, Report, ReportTarget, Severity } from '../engine/types.js';
import type { TraceResult } from '../trace/types.js';
import { countingFindings } from './areas.js';
import { codeHtml, esc, escLine, filterIdsOf, findingAttributes, findingHtml, fixedHtml, PAGE_END, pageStart, pathHtml } from './html-page.js';
import { loginPathOf, loginPathOfChecks, loginPathOfTrace, traceFailureUid } from './login-path.js';
import { targetId, targetName } from './target.js';

export interface HtmlOptions {
  version: string;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `3 errors, 1 warning (1 muted)`: the findings not muted by severity. */
function countsOf(reports: Pick<Report, 'findings'>[]): string {
  const total = (s: Severity) => reports.reduce((n, r) => n + r.findings.filter((f) => f.severity === s && !f.muted).length, 0);
  const parts = [
    total('error') ? plural(total('error'), 'error') : '',
    total('warning') ? plural(total('warning'), 'warning') : '',
    total('info') ? `${total('info')} info` : '',
  ];
  const muted = reports.reduce((n, r) => n + r.findings.filter((f) => f.muted).length, 0);
  return `${parts.filter(Boolean).join(', ') || 'no findings'}${muted ? ` (${muted} muted)` : ''}`;
}

function targetHtml(report: Report, version: string): string {
  const t = report.target;
  const rows: [string, string][] = [['Checked by', `cogdoctor ${escLine(version)}, ${t.file ? `from ${codeHtml(t.file)}` : escLine(t.source)}`]];
  rows.push(['Region', `${codeHtml(t.region)}${t.accountId ? `, account ${codeHtml(t.accountId)}` : ''}`]);
  if (t.dashboardsUrl) rows.push(['Dashboards', codeHtml(t.dashboardsUrl)]);
  if (t.userPoolClient) {
    rows.push(['Issuer', codeHtml(t.userPoolClient.issuer)], ['Discovery', codeHtml(t.userPoolClient.discoveryUrl)]);
    if (t.userPoolClient.hostedUiUrl) rows.push(['Hosted UI', codeHtml(t.userPoolClient.hostedUiUrl)]);
  }
  if (report.baseline) rows.push(['Baseline', codeHtml(report.baseline.file)]);
  return `<dl class="target">${rows.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>\n`;
}

function checksHtml(checks: CheckResult[], passed: number): string {
  const undecided = checks.filter((c) => c.status === 'unknown' || c.status === 'error' || c.status === 'not-evaluated');
  const items = undecided.map((c) => `<li>${codeHtml(c.check)} ${c.status}: ${escLine(c.reason ?? c.status)}</li>`).join('');
  return `<p>Checks: ${passed} passed${undecided.length ? `, ${undecided.length} could not decide or were not evaluated:` : ''}</p>${items ? `<ul class="undecided">${items}</ul>` : ''}\n`;
}

/** One report's section: what was checked, its login path, its findings; `index` keeps anchors apart when a page has several. */
export function reportSectionHtml(report: Report, index: number, filterIds: string[], version: string): string {
  const name = targetName(report.target);
  const path = loginPathOf(report);
  const fixed = report.baseline?.fixed ?? [];
  return [
    `<section class="report" aria-labelledby="report-${index}">`,
    `<h2 id="report-${index}">${escLine(name)} (${escLine(report.target.region)}): ${escLine(countsOf([report]))}</h2>`,
    targetHtml(report, version),
    path ? `<h3>Login path</h3>\n${pathHtml(path, name, `report-${index}`)}` : '',
    checksHtml(report.checks, report.summary.passed),
    report.findings.length ? report.findings.map((f) => findingHtml(f, filterIds)).join('\n') : '<p>No findings.</p>',
    fixed.length ? `<h3>Fixed since the baseline</h3>\n${fixed.map((f) => fixedHtml(f, filterIds)).join('\n')}` : '',
    '</section>\n',
  ]
    .filter(Boolean)
    .join('\n');
}

/** `check --format html`: one page for one or several reports (already redacted, as render() gives them). */
export function renderHtml(reports: Report[], options: HtmlOptions): string {
  const where = reports.length === 1 ? `${targetId(reports[0]!.target)} (${reports[0]!.target.region})` : `${reports.length} domains`;
  const filterIds = filterIdsOf(reports.flatMap((r) => [...r.findings.map((f) => f.id), ...(r.baseline?.fixed ?? []).map((f) => f.id)]));
  const sections = reports.map((r, i) => reportSectionHtml(r, i + 1, filterIds, options.version)).join('\n');
  return `${pageStart(`cogdoctor: ${countsOf(reports)} on ${where}`, filterIds)}<div id="findings">\n${sections}</div>\n${PAGE_END}`;
}

/** `trace --format html`: the trace's own steps, the failed one linked to its failure. */
export function renderTraceHtml(trace: TraceResult, options: HtmlOptions): string {
  const t = trace.target;
  const failed = trace.steps.filter((s) => s.failure);
  const filterIds = filterIdsOf(failed.map((s) => s.failure!.id));
  const rows: [string, string][] = [
    ['Identity', escLine(trace.identity.label)],
    ['Region', `${codeHtml(t.region)}${t.accountId ? `, account ${codeHtml(t.accountId)}` : ''}`],
    ['Checked by', `cogdoctor ${escLine(options.version)}, ${t.file ? `from ${codeHtml(t.file)}` : escLine(t.source)}`],
  ];
  if (trace.identity.token) rows.push(['Token', escLine(trace.identity.token.verification.reason)]);
  for (const derived of trace.identity.derived) rows.push(['Derived', escLine(derived)]);
  const notes = trace.steps.flatMap((s) => s.notes.map((n) => `<li>Step ${s.number}: ${n.id ? `${codeHtml(n.id)}: ` : ''}${escLine(n.text)}</li>`));
  const failures = failed.map((s) =>
    [
      `<article ${findingAttributes({ uid: traceFailureUid(s.number), id: s.failure!.id, severity: 'error' }, filterIds)}>`,
      `<h3><span class="sev">error</span> ${codeHtml(s.failure!.id)} at step ${s.number}, ${escLine(s.name)}</h3>`,
      `<p><strong>What the user sees:</strong> ${escLine(s.failure!.userSees)}</p>`,
      `<p>${escLine(s.failure!.message)}</p>`,
      Object.keys(s.evidence).length ? `<h4>Evidence</h4><pre><code class="evidence">${esc(JSON.stringify(s.evidence, null, 2))}</code></pre>` : '',
      `<p>For the fix: ${codeHtml(`cogdoctor explain ${s.failure!.id}`)}</p>`,
      '</article>',
    ]
      .filter(Boolean)
      .join('\n'),
  );
  return [
    pageStart(`cogdoctor trace: ${trace.outcome.result} on ${t.domain} (${t.region})`, filterIds),
    `<section class="report" aria-labelledby="trace">`,
    `<h2 id="trace">Trace of one login to domain ${escLine(t.domain)}</h2>`,
    `<dl class="target">${rows.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>`,
    `<p class="outcome"><strong>Outcome:</strong> ${escLine(trace.outcome.line)}</p>`,
    `<h3>Login path</h3>`,
    pathHtml(loginPathOfTrace(trace), `domain ${t.domain}`, 'trace'),
    notes.length ? `<h3>Notes</h3><ul class="notes">${notes.join('')}</ul>` : '',
    `<div id="findings">`,
    failures.length ? failures.join('\n') : '<p>No step failed.</p>',
    '</div>',
    '</section>',
    PAGE_END,
  ]
    .filter(Boolean)
    .join('\n');
}

/** A changed field, as src/diff reports it. */
interface PageChange {
  path: string;
  kind: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
  lost?: unknown[];
  gained?: unknown[];
}

interface PageSide {
  target: ReportTarget;
}

/**
 * What the page shows of a diff: the shape of src/diff's DiffReport, spelled out here because the
 * reports sit below the diff (test/layers.test.ts); the diff command hands its report in as is.
 */
export interface DiffPage {
  old: PageSide;
  new: PageSide;
  changes: PageChange[];
  findings: { added: Array<Finding & { causedBy: string[] }>; removed: FixedFinding[] };
}

export interface DiffHtmlOptions extends HtmlOptions {
  /** The check results of the new side: the steps the change leaves undecided or passing. */
  newChecks: CheckResult[];
}

const MAX_VALUE = 160;
function valueHtml(v: unknown): string {
  const text = typeof v === 'string' ? v : (JSON.stringify(v) ?? '');
  return codeHtml(text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text);
}

function changeHtml(change: PageChange): string {
  switch (change.kind) {
    case 'added':
      return `added: ${valueHtml(change.after)}`;
    case 'removed':
      return `removed (was ${valueHtml(change.before)})`;
    case 'changed':
      if (change.lost || change.gained) {
        return [change.lost ? `lost ${change.lost.map(valueHtml).join(', ')}` : '', change.gained ? `gained ${change.gained.map(valueHtml).join(', ')}` : '']
          .filter(Boolean)
          .join('; ');
      }
      return `${valueHtml(change.before)} → ${valueHtml(change.after)}`;
  }
}

function sideHtml(side: PageSide): string {
  return side.target.file ? codeHtml(side.target.file) : `live: ${escLine(targetName(side.target))} (${escLine(side.target.region)})`;
}

/**
 * `diff --format html`: the new side's login path with the steps the change breaks marked (a step
 * fails only for a finding the change adds), each changed field beside the findings it adds, and
 * the findings added and removed.
 */
export function renderDiffHtml(diff: DiffPage, options: DiffHtmlOptions): string {
  const { added, removed } = diff.findings;
  const filterIds = filterIdsOf([...added.map((f) => f.id), ...removed.map((f) => f.id)]);
  const t = diff.new.target;
  const name = targetName(t);
  const changeIndex = new Map(diff.changes.map((c, i) => [c.path, i + 1]));
  const rows = diff.changes.map((c, i) => {
    const links = added
      .filter((f) => f.causedBy.includes(c.path))
      .map((f) => `<a class="finding-link" href="#finding-${escLine(f.uid)}">${escLine(f.id)}</a>`)
      .join(', ');
    return `<tr id="change-${i + 1}"><td>${codeHtml(c.path)}</td><td>${changeHtml(c)}</td><td>${links || '–'}</td></tr>`;
  });
  const addedHtml = added.map((f) => {
    const causes = f.causedBy
      .map((path) => (changeIndex.has(path) ? `<a href="#change-${changeIndex.get(path)}">${escLine(path)}</a>` : codeHtml(path)))
      .join(', ');
    return findingHtml(f, filterIds, `<p class="caused-by">${causes ? `Caused by ${causes}` : 'Not explained by the compared fields'}</p>`);
  });
  const path = loginPathOfChecks(options.newChecks, countingFindings({ findings: added }), t);
  return [
    pageStart(`cogdoctor diff: ${added.length} added, ${removed.length} removed on ${targetId(t)} (${t.region})`, filterIds),
    `<section class="report" aria-labelledby="diff">`,
    `<h2 id="diff">What the change does to login on ${escLine(name)}</h2>`,
    `<dl class="target"><dt>Old</dt><dd>${sideHtml(diff.old)}</dd><dt>New</dt><dd>${sideHtml(diff.new)}</dd><dt>Checked by</dt><dd>cogdoctor ${escLine(options.version)}</dd></dl>`,
    `<h3>Login path after the change: a step fails only for a finding the change adds</h3>`,
    pathHtml(path, name, 'diff'),
    `<h3>Changes that matter to login (${diff.changes.length})</h3>`,
    rows.length
      ? `<table class="changes"><thead><tr><th scope="col">Field</th><th scope="col">Change</th><th scope="col">Findings it adds</th></tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`
      : '<p>No change in the fields that matter to login.</p>',
    `<div id="findings">`,
    `<h3>Findings added (${added.length})</h3>`,
    ...addedHtml,
    `<h3>Findings removed (${removed.length})</h3>`,
    ...removed.map((f) => fixedHtml(f, filterIds)),
    '</div>',
    '</section>',
    PAGE_END,
  ].join('\n');
}
