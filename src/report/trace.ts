import { Chalk, type ChalkInstance } from 'chalk';
import type { StepStatus, TraceResult, TraceStep } from '../trace/types.js';
import { inertLine, jsonText } from '../util/inert.js';

const MARK: Record<StepStatus, string> = { pass: '✓', fail: '✗', unknown: '?', skipped: '-' };

function paint(chalk: ChalkInstance) {
  return {
    pass: chalk.green,
    fail: chalk.red.bold,
    unknown: chalk.magenta,
    skipped: chalk.dim,
    note: chalk.yellow,
    dim: chalk.dim,
    bold: chalk.bold,
  };
}

export interface TraceTextOptions {
  color: boolean;
  verbose: boolean;
}

function value(v: unknown): string {
  return inertLine(typeof v === 'string' ? v : JSON.stringify(v));
}

function header(result: TraceResult, c: ReturnType<typeof paint>): string[] {
  const t = result.target;
  const where = [t.region, t.accountId]
    .filter(Boolean)
    .map((v) => inertLine(v!))
    .join(', ');
  const lines = [
    `${c.bold(`cogdoctor ${result.tool.version}`)}  ·  trace of one login to domain ${c.bold(inertLine(t.domain))} (${where})${t.file ? c.dim(`  from ${inertLine(t.file)}`) : ''}`,
  ];
  const row = (label: string, text: string) => lines.push(`  ${label.padEnd(14)}${text}`);
  const id = result.identity;
  row('Identity', inertLine(id.label));
  if (id.token) row('Token', `${inertLine(id.token.verification.reason)}`);
  if (t.url) row('Dashboards', `${inertLine(t.url)}${t.redirectUri ? c.dim(`  (redirect_uri ${inertLine(t.redirectUri)})`) : ''}`);
  for (const derived of id.derived) row('', c.dim(inertLine(derived)));
  return lines;
}

function stepBlock(step: TraceStep, c: ReturnType<typeof paint>, verbose: boolean): string[] {
  const status = step.status;
  const lines = [
    `${c[status](MARK[status])} ${step.number}  ${c.bold(step.name.padEnd(30))}${status === 'skipped' ? c.dim(inertLine(step.summary)) : inertLine(step.summary)}`,
  ];
  if (step.failure) {
    lines.push(`      ${c.fail(step.failure.id)}`);
    lines.push(`      the user sees: ${inertLine(step.failure.userSees)}`);
  }
  for (const note of step.notes) lines.push(`      ${c.note('!')} ${note.id ? `${c.note(note.id)}: ` : ''}${inertLine(note.text)}`);
  // Evidence for what went wrong; for every step with --verbose.
  if (status !== 'skipped' && (verbose || status === 'fail' || status === 'unknown')) {
    for (const [key, v] of Object.entries(step.evidence)) lines.push(`      ${c.dim(`${inertLine(key)}: ${value(v)}`)}`);
  }
  return lines;
}

export function renderTraceText(result: TraceResult, options: TraceTextOptions): string {
  const c = paint(new Chalk({ level: options.color ? 1 : 0 }));
  const lines = [...header(result, c), ''];
  for (const step of result.steps) lines.push(...stepBlock(step, c, options.verbose));
  if (options.verbose) lines.push('', c.dim(`claims: ${value(result.identity.claims)}`));
  const outcome = result.outcome;
  const paintOutcome = outcome.result === 'success' ? c.pass : outcome.result === 'failure' ? c.fail : c.unknown;
  lines.push('', paintOutcome(inertLine(outcome.line)));
  return `${lines.join('\n')}\n`;
}

export function renderTraceJson(result: TraceResult): string {
  return jsonText(result);
}
