import { Chalk, type ChalkInstance } from 'chalk';
import type { CheckResult, Finding, Report } from '../engine/types.js';
import { areaVerdictLines } from './areas.js';
import { inertLine } from '../util/inert.js';
import { targetName, targetPlace } from './target.js';

const MARK = { error: '✗', warning: '!', info: 'i' } as const;

function paint(chalk: ChalkInstance) {
  return {
    error: chalk.red.bold,
    warning: chalk.yellow.bold,
    info: chalk.cyan,
    pass: chalk.green,
    unknown: chalk.magenta,
    dim: chalk.dim,
    bold: chalk.bold,
    code: chalk.cyan,
  };
}

function shortRole(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

function header(report: Report, c: ReturnType<typeof paint>, version: string): string[] {
  const t = report.target;
  const lines = [
    `${c.bold(`cogdoctor ${version}`)}  ·  ${c.bold(inertLine(targetName(t)))} (${targetPlace(t)})${t.file ? c.dim(`  from ${inertLine(t.file)}`) : ''}`,
  ];
  const row = (label: string, value: string) => lines.push(`  ${label.padEnd(14)}${value}`);
  if (t.userPoolClient) {
    row('Issuer', inertLine(t.userPoolClient.issuer));
    row('Discovery', inertLine(t.userPoolClient.discoveryUrl));
    row(
      'Hosted UI',
      t.userPoolClient.hostedUiUrl
        ? `${inertLine(t.userPoolClient.hostedUiUrl)}  (/oauth2/authorize, /oauth2/token, /logout)`
        : c.dim('none: the user pool has no domain'),
    );
  }
  if (t.engine) row('Engine', inertLine(t.engine));
  if (t.dashboardsUrl) row('Dashboards', inertLine(t.dashboardsUrl));
  if (t.userPoolId) {
    const client = t.appClient?.createdAtDeploy
      ? '  (app client: created by OpenSearch Service at deploy)'
      : t.appClient
        ? `  (app client ${inertLine(t.appClient.id)}${t.appClient.name ? ` "${inertLine(t.appClient.name)}"` : ''})`
        : '';
    row('User pool', `${inertLine(t.userPoolId)}${client}`);
  }
  if (t.identityPoolId)
    row('Identity pool', `${inertLine(t.identityPoolId)}${t.authenticatedRole ? `  (authenticated role ${inertLine(shortRole(t.authenticatedRole))})` : ''}`);
  return lines;
}

function evidenceLines(evidence: Record<string, unknown>): string[] {
  return Object.entries(evidence).map(([key, value]) => `${inertLine(key)}: ${inertLine(typeof value === 'string' ? value : JSON.stringify(value))}`);
}

function findingBlock(finding: Finding, c: ReturnType<typeof paint>, verbose: boolean): string[] {
  const mark = c[finding.severity](MARK[finding.severity]);
  const tag = finding.new === true ? `  ${c.bold('(new)')}` : '';
  const lines = [`${mark} ${c[finding.severity](inertLine(finding.id))}${tag}  ${c.dim(`"${inertLine(finding.symptom)}"`)}`];
  lines.push(`    ${inertLine(finding.message)}`);
  if (finding.location) {
    const where = `${finding.location.file}${finding.location.line !== undefined ? `:${finding.location.line}` : ''}${finding.location.logicalId ? ` (${finding.location.logicalId})` : ''}`;
    lines.push(`    ${c.dim(`at ${inertLine(where)}`)}`);
  }
  if (finding.muteExpired) lines.push(`    ${c.warning(`Mute expired on ${finding.muteExpires}:`)} ${inertLine(finding.muteReason ?? '')}`);
  const evidence = evidenceLines(finding.evidence);
  if (verbose || evidence.length <= 4) {
    lines.push(`    ${c.dim('Evidence:')}`);
    for (const line of evidence) lines.push(`      ${c.dim(line)}`);
  }
  lines.push(`    ${c.bold('Fix:')} ${inertLine(finding.fix.summary)}`);
  for (const step of finding.fix.steps ?? []) lines.push(`      - ${inertLine(step)}`);
  for (const command of finding.fix.commands ?? []) lines.push(`      $ ${c.code(inertLine(command))}`);
  if (finding.fix.iac) lines.push(`      ${c.dim(`IaC: ${inertLine(finding.fix.iac)}`)}`);
  if (verbose) for (const doc of finding.docs) lines.push(`      ${c.dim(inertLine(doc))}`);
  return lines;
}

function statusNote(results: CheckResult[], status: CheckResult['status']): string[] {
  return results.filter((r) => r.status === status).map((r) => `${inertLine(r.check)}: ${inertLine(r.reason ?? status)}`);
}

export interface TextOptions {
  color: boolean;
  verbose: boolean;
  version: string;
}

export function renderText(reports: Report[], options: TextOptions): string {
  const c = paint(new Chalk({ level: options.color ? 1 : 0 }));
  const blocks = reports.map((report) => {
    const lines = [...header(report, c, options.version), ''];
    // Findings that count are shown in full; muted ones and ones the baseline knows, one line each.
    for (const finding of report.findings.filter((f) => !f.muted && f.new !== false)) lines.push(...findingBlock(finding, c, options.verbose), '');
    const known = report.findings.filter((f) => !f.muted && f.new === false);
    if (known.length)
      lines.push(
        c.dim(`Known from the baseline (${known.length}):`),
        ...known.map((f) => `  ${c[f.severity](MARK[f.severity])} ${inertLine(f.id)}  ${c.dim(inertLine(f.message))}`),
        '',
      );
    const muted = report.findings.filter((f) => f.muted);
    if (muted.length)
      lines.push(
        c.dim(`Muted (${muted.length}):`),
        ...muted.map((f) => `  ~ ${inertLine(f.id)}  ${c.dim(`${inertLine(f.muteReason ?? '')}${f.muteExpires ? ` (until ${f.muteExpires})` : ''}`)}`),
        '',
      );
    const fixed = report.baseline?.fixed ?? [];
    if (fixed.length)
      lines.push(
        c.pass(`Fixed since the baseline (${fixed.length}):`),
        ...fixed.map((f) => `  ${c.pass('✓')} ${inertLine(f.id)}  ${c.dim(inertLine(f.message))}`),
        '',
      );
    const s = report.summary;
    const parts = [c.pass(`✓ ${s.passed} checks passed`)];
    if (s.error) parts.push(c.error(`✗ ${s.error} error${s.error > 1 ? 's' : ''}`));
    if (s.warning) parts.push(c.warning(`! ${s.warning} warning${s.warning > 1 ? 's' : ''}`));
    if (s.info) parts.push(c.info(`i ${s.info} info`));
    if (s.unknown) parts.push(c.unknown(`? ${s.unknown} unknown`));
    if (s.errored) parts.push(c.error(`‼ ${s.errored} check error${s.errored > 1 ? 's' : ''}`));
    if (s.notEvaluated) parts.push(c.dim(`- ${s.notEvaluated} not evaluated`));
    if (s.notApplicable) parts.push(c.dim(`${s.notApplicable} not applicable`));
    if (s.muted) parts.push(c.dim(`~ ${s.muted} muted`));
    if (report.baseline) parts.push(`${s.new ?? 0} new, ${s.fixed ?? 0} fixed since ${inertLine(report.baseline.file)}`);
    lines.push(parts.join('   '));
    for (const note of statusNote(report.checks, 'unknown')) lines.push(`  ${c.unknown('?')} ${note}`);
    for (const note of statusNote(report.checks, 'error')) lines.push(`  ${c.error('‼')} ${note}`);
    for (const note of statusNote(report.checks, 'not-evaluated')) lines.push(`  ${c.dim(`- ${note}`)}`);
    if (options.verbose) for (const note of statusNote(report.checks, 'not-applicable')) lines.push(`  ${c.dim(`  ${note}`)}`);
    lines.push(...areaVerdictLines(report, options.verbose));
    return lines.join('\n');
  });
  return `${blocks.join('\n\n')}\n`;
}
