// A ticket body (GitHub / GitLab issue, pull-request comment): the first line is the title, then a
// summary table and each finding with its symptom, evidence and fix. Values from AWS are escaped so
// they cannot turn into markup, links or HTML.
import type { CheckResult, Finding, Report, Severity } from '../engine/types.js';
import { inert, inertLine } from '../util/inert.js';
import { mermaidOf } from './mermaid.js';
import { targetId } from './target.js';

export interface MarkdownOptions {
  version: string;
}

const MARK: Record<Severity, string> = { error: '✗', warning: '!', info: 'i' };

/** A code span that holds any text: a backtick run longer than any inside, and no line breaks. */
export function code(text: string, inTable = false): string {
  const value = inertLine(text);
  const longest = Math.max(0, ...(value.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = '`'.repeat(longest + 1);
  const padded = value.startsWith('`') || value.endsWith('`') || value === '' ? ` ${value} ` : value;
  return `${ticks}${inTable ? padded.replace(/\|/g, '\\|') : padded}${ticks}`;
}

/** A fenced block that holds any text: a fence longer than any backtick run inside. */
function fenced(language: string, text: string): string[] {
  const value = inert(text);
  const longest = Math.max(2, ...(value.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return [`${fence}${language}`, value, fence];
}

/** A clickable autolink for a plain https URL, a code span for anything else. */
function link(url: string): string {
  return /^https:\/\/[^\s<>\\`]+$/.test(url) && inertLine(url) === url ? `<${url}>` : code(url);
}

function escapeProse(text: string): string {
  return text.replace(/[\\`*_{}[\]<>|~&]/g, (c) => `\\${c}`);
}

// URLs and ARNs go in code spans: escaped characters inside a bare URL would break its autolink.
const LITERAL = /\b(?:https?:\/\/|arn:)[^\s<>"'`]+/g;

/** One line of prose from AWS values, safe to put anywhere a paragraph or list item goes. */
export function prose(text: string): string {
  const line = inertLine(text);
  let out = '';
  let last = 0;
  for (const match of line.matchAll(LITERAL)) {
    const literal = match[0].replace(/[.,;:)\]]+$/, '');
    out += escapeProse(line.slice(last, match.index)) + code(literal);
    last = match.index + literal.length;
  }
  out += escapeProse(line.slice(last));
  // A line must not start a heading, quote, list or table by accident.
  return out.replace(/^(\s*)([#>+=-]|\d+[.)])/, (_m, space: string, marker: string) => `${space}\\${marker}`);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function counts(reports: Report[]): string {
  const total = (key: Severity) => reports.reduce((n, r) => n + r.findings.filter((f) => f.severity === key && !f.muted).length, 0);
  const parts = [
    total('error') ? plural(total('error'), 'error') : '',
    total('warning') ? plural(total('warning'), 'warning') : '',
    total('info') ? `${total('info')} info` : '',
  ].filter(Boolean);
  const muted = reports.reduce((n, r) => n + r.findings.filter((f) => f.muted).length, 0);
  return `${parts.length ? parts.join(', ') : 'no findings'}${muted ? ` (${muted} muted)` : ''}`;
}

function title(reports: Report[]): string {
  const where = reports.length === 1 ? `${targetId(reports[0]!.target)} (${reports[0]!.target.region})` : `${reports.length} domains`;
  return `# cogdoctor: ${counts(reports)} on ${inertLine(where)}`;
}

function status(finding: Finding): string {
  if (finding.muted) return `muted${finding.muteExpires ? ` until ${finding.muteExpires}` : ''}`;
  const parts = [finding.new === true ? 'new' : finding.new === false ? 'known' : ''];
  if (finding.muteExpired) parts.push(`mute expired ${finding.muteExpires}`);
  return parts.filter(Boolean).join(', ');
}

function targetLines(report: Report, version: string): string[] {
  const t = report.target;
  const what = t.userPoolClient
    ? `the app client ${code(t.userPoolClient.clientId)}${t.userPoolClient.name ? ` (${code(t.userPoolClient.name)})` : ''} of the user pool ${code(t.userPoolClient.userPoolId)}`
    : `the OpenSearch Service domain ${code(t.domain ?? '')}`;
  const intro = `cogdoctor ${inertLine(version)} checked ${what} in ${code(t.region)}${t.accountId ? `, account ${code(t.accountId)}` : ''}${t.file ? `, from ${code(t.file)}` : ` (${t.source})`}.`;
  const items: string[] = [];
  if (t.userPoolClient) {
    items.push(`- Issuer: ${code(t.userPoolClient.issuer)}`, `- Discovery: ${code(t.userPoolClient.discoveryUrl)}`);
    items.push(`- Hosted UI: ${t.userPoolClient.hostedUiUrl ? code(t.userPoolClient.hostedUiUrl) : 'none (the user pool has no domain)'}`);
  }
  if (t.dashboardsUrl) items.push(`- Dashboards: ${code(t.dashboardsUrl)}`);
  if (t.userPoolId)
    items.push(
      `- User pool: ${code(t.userPoolId)}${t.appClient?.createdAtDeploy ? ', app client created by OpenSearch Service at deploy' : t.appClient ? `, app client ${code(t.appClient.id)}${t.appClient.name ? ` (${code(t.appClient.name)})` : ''}` : ''}`,
    );
  if (t.identityPoolId)
    items.push(`- Identity pool: ${code(t.identityPoolId)}${t.authenticatedRole ? `, authenticated role ${code(t.authenticatedRole)}` : ''}`);
  if (report.baseline) items.push(`- Baseline: ${code(report.baseline.file)}`);
  return items.length ? [intro, '', ...items, ''] : [intro, ''];
}

/** The login path as a Mermaid flowchart, which GitHub and GitLab draw; a report of no login has none. */
function diagram(report: Report): string[] {
  const chart = mermaidOf(report);
  return chart ? [...fenced('mermaid', chart), ''] : [];
}

function summaryTable(report: Report): string[] {
  if (report.findings.length === 0) return ['No findings.', ''];
  // The status column only when a baseline or a mute gives one.
  const withStatus = report.findings.some((f) => status(f) !== '');
  const rows = report.findings.map(
    (f) => `| ${MARK[f.severity]} | ${code(f.id, true)} | ${f.severity} | ${code(f.resource, true)} |${withStatus ? ` ${status(f)} |` : ''}`,
  );
  const head = withStatus
    ? ['| | Failure id | Severity | Resource | Status |', '| --- | --- | --- | --- | --- |']
    : ['| | Failure id | Severity | Resource |', '| --- | --- | --- | --- |'];
  return [...head, ...rows, ''];
}

function checkLine(report: Report): string[] {
  const s = report.summary;
  const parts = [`${s.passed} passed`];
  if (s.unknown) parts.push(`${s.unknown} unknown`);
  if (s.errored) parts.push(`${s.errored} failed to run`);
  if (s.notEvaluated) parts.push(`${s.notEvaluated} not evaluated`);
  if (s.notApplicable) parts.push(`${s.notApplicable} not applicable`);
  const undecided = report.checks.filter((r: CheckResult) => r.status === 'unknown' || r.status === 'error' || r.status === 'not-evaluated');
  return [
    `**Checks:** ${parts.join(' · ')}`,
    '',
    ...undecided.map((r) => `- ${code(r.check)} ${r.status}: ${prose(r.reason ?? r.status)}`),
    ...(undecided.length ? [''] : []),
  ];
}

function findingSection(finding: Finding, level: string): string[] {
  const lines = [`${level} ${MARK[finding.severity]} ${code(finding.id)}: ${prose(finding.title)}`, ''];
  lines.push(`**What users see:** ${prose(finding.symptom)}`, '');
  lines.push(prose(finding.message), '');
  if (finding.muted) lines.push(`**Muted**${finding.muteExpires ? ` until ${finding.muteExpires}` : ''}: ${prose(finding.muteReason ?? '')}`, '');
  if (finding.muteExpired) lines.push(`**Mute expired** on ${finding.muteExpires}: ${prose(finding.muteReason ?? '')}`, '');
  lines.push(
    `Severity ${finding.severity} · check ${code(finding.check)} · resource ${code(finding.resource)} · uid ${code(finding.uid)}${finding.new === true ? ' · new since the baseline' : ''}`,
    '',
  );
  if (Object.keys(finding.evidence).length > 0) lines.push('**Evidence**', '', ...fenced('json', JSON.stringify(finding.evidence, null, 2)), '');
  lines.push(`**Fix:** ${prose(finding.fix.summary)}`, '');
  const steps = finding.fix.steps ?? [];
  if (steps.length > 0) lines.push(...steps.map((step, i) => `${i + 1}. ${prose(step)}`), '');
  const commands = finding.fix.commands ?? [];
  // One command per line: a line break inside a value must not start a command of its own.
  if (commands.length > 0) lines.push(...fenced('sh', commands.map(inertLine).join('\n')), '');
  if (finding.fix.iac) lines.push(`IaC: ${prose(finding.fix.iac)}`, '');
  if (finding.docs.length > 0) lines.push('Docs:', ...finding.docs.map((doc) => `- ${link(doc)}`), '');
  return lines;
}

function fixedSection(report: Report, level: string): string[] {
  const fixed = report.baseline?.fixed ?? [];
  if (fixed.length === 0) return [];
  return [`${level} Fixed since the baseline`, '', ...fixed.map((f) => `- ✓ ${code(f.id)} on ${code(f.resource)}: ${prose(f.message)}`), ''];
}

export function renderMarkdown(reports: Report[], options: MarkdownOptions): string {
  const several = reports.length > 1;
  const lines = [title(reports), ''];
  for (const report of reports) {
    if (several) lines.push(`## ${code(targetId(report.target))} (${code(report.target.region)})`, '');
    const level = several ? '###' : '##';
    lines.push(...targetLines(report, options.version), ...diagram(report), ...summaryTable(report), ...checkLine(report));
    for (const finding of report.findings) lines.push(...findingSection(finding, level));
    lines.push(...fixedSection(report, level));
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
