import { Chalk } from 'chalk';
import type { AttributedChange, DiffReport, DiffSide } from './index.js';
import type { Severity } from '../engine/types.js';
import { inertLine, jsonText } from '../util/inert.js';
import { targetId, targetName } from '../report/target.js';

const MARK: Record<Severity, string> = { error: '✗', warning: '!', info: 'i' };
const MAX_VALUE = 160;

function value(v: unknown): string {
  const text = inertLine(typeof v === 'string' ? v : JSON.stringify(v));
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

function describe(change: AttributedChange): string {
  const path = inertLine(change.path);
  switch (change.kind) {
    case 'added':
      return `${path} added: ${value(change.after)}`;
    case 'removed':
      return `${path} removed (was ${value(change.before)})`;
    case 'changed': {
      if (change.lost || change.gained) {
        const parts = [change.lost ? `lost ${change.lost.map(value).join(', ')}` : '', change.gained ? `gained ${change.gained.map(value).join(', ')}` : ''];
        return `${path} ${parts.filter(Boolean).join('; ')}`;
      }
      return `${path} changed ${value(change.before)} → ${value(change.after)}`;
    }
  }
}

function sideLabel(side: DiffSide): string {
  return side.target.file ? inertLine(side.target.file) : `live: ${inertLine(targetName(side.target))} (${inertLine(side.target.region)})`;
}

export function renderDiffText(diff: DiffReport, options: { color: boolean; verbose?: boolean }): string {
  const chalk = new Chalk({ level: options.color ? 1 : 0 });
  const severity = { error: chalk.red.bold, warning: chalk.yellow.bold, info: chalk.cyan };
  const t = diff.new.target;
  const renamed = diff.old.target.domain !== t.domain ? `${inertLine(targetId(diff.old.target))} → ` : '';
  const lines = [
    `${chalk.bold(`cogdoctor ${inertLine(diff.tool.version)} diff`)}  ·  domain ${renamed}${chalk.bold(inertLine(targetId(t)))} (${[t.region, t.accountId]
      .filter(Boolean)
      .map((v) => inertLine(v!))
      .join(', ')})`,
    `  old  ${sideLabel(diff.old)}`,
    `  new  ${sideLabel(diff.new)}`,
    '',
  ];
  lines.push(diff.changes.length ? chalk.bold(`Changes that matter to login (${diff.changes.length}):`) : 'No change in the fields that matter to login.');
  for (const change of diff.changes) {
    lines.push(`  ~ ${describe(change)}${change.causes.length ? `  ${chalk.bold('→')} ${change.causes.map((id) => chalk.red(id)).join(', ')}` : ''}`);
  }
  const { added, removed } = diff.findings;
  lines.push('', chalk.bold(`Findings added (${added.length})${added.length ? ':' : ''}`));
  for (const f of added) {
    lines.push(
      `  ${severity[f.severity](`${MARK[f.severity]} ${inertLine(f.id)}`)}${f.muted ? chalk.dim(`  (muted: ${inertLine(f.muteReason ?? '')})`) : ''}  ${inertLine(f.message)}`,
    );
    lines.push(chalk.dim(`      ${f.causedBy.length ? `caused by ${f.causedBy.map(inertLine).join(', ')}` : 'not explained by the compared fields'}`));
    if (f.location)
      lines.push(
        chalk.dim(
          `      at ${inertLine(f.location.file)}${f.location.line !== undefined ? `:${f.location.line}` : ''}${f.location.logicalId ? ` (${inertLine(f.location.logicalId)})` : ''}`,
        ),
      );
    if (options.verbose) {
      lines.push(`      Fix: ${inertLine(f.fix.summary)}`);
      for (const step of f.fix.steps ?? []) lines.push(`        - ${inertLine(step)}`);
      for (const command of f.fix.commands ?? []) lines.push(`        $ ${inertLine(command)}`);
      if (f.fix.iac) lines.push(`        IaC: ${inertLine(f.fix.iac)}`);
    }
  }
  lines.push('', chalk.bold(`Findings removed (${removed.length})${removed.length ? ':' : ''}`));
  for (const f of removed) lines.push(`  ${chalk.green('✓')} ${inertLine(f.id)}  ${chalk.dim(inertLine(f.message))}`);
  const s = diff.new.summary;
  if (s.unknown || s.errored)
    lines.push('', chalk.magenta(`? the new side has ${s.unknown + s.errored} check(s) that could not decide: run cogdoctor check on it for the reasons`));
  return `${lines.join('\n')}\n`;
}

export function renderDiffJson(diff: DiffReport): string {
  return jsonText(diff);
}
