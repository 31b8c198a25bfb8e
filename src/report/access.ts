import { Chalk, type ChalkInstance } from 'chalk';
import type { AccessResult } from '../access/index.js';
import { statementLabel } from '../model/access-policy/statements.js';
import { inertLine, jsonText } from '../util/inert.js';

export interface AccessTextOptions {
  color: boolean;
  verbose: boolean;
}

function paint(chalk: ChalkInstance) {
  return { allowed: chalk.green, denied: chalk.red.bold, unknown: chalk.magenta, note: chalk.yellow, dim: chalk.dim, bold: chalk.bold };
}

const MARK = { allowed: '✓', denied: '✗', unknown: '?' } as const;

export function renderAccessText(result: AccessResult, options: AccessTextOptions): string {
  const c = paint(new Chalk({ level: options.color ? 1 : 0 }));
  const t = result.target;
  const r = result.request;
  const lines = [
    `${c.bold(`cogdoctor ${result.tool.version}`)}  ·  access to domain ${c.bold(inertLine(t.domain))} (${inertLine(t.region)}, ${inertLine(t.accountId)})${t.file ? c.dim(`  from ${inertLine(t.file)}`) : ''}`,
    `  Principal     ${inertLine(r.principal)}${r.caller !== r.principal ? c.dim(`  (IAM sees ${inertLine(r.caller)})`) : ''}`,
    `  Request       ${inertLine(r.action)} on ${inertLine(r.resource)}`,
  ];
  if (result.identityPolicies) lines.push(`  Own policies  ${result.identityPolicies.length > 0 ? inertLine(result.identityPolicies.join(', ')) : 'none'}`);
  lines.push('', `${c[result.verdict](`${MARK[result.verdict]} ${result.verdict}`)}  ${inertLine(result.line)}`);
  for (const ref of result.decidedBy) {
    lines.push(`    decided by ${inertLine(`${ref.effect} ${statementLabel(ref)}`)}`);
    if (options.verbose) lines.push(`      ${c.dim(inertLine(JSON.stringify(ref.statement)))}`);
  }
  if (result.unknown) lines.push(`    ${c.unknown('?')} ${inertLine(result.unknown.reason)}`);
  for (const finding of result.findings) {
    lines.push(
      '',
      `${c.denied('✗')} ${c.bold(finding.id)}  ${c.dim(inertLine(finding.symptom))}`,
      `    ${inertLine(finding.message)}`,
      `    Fix: ${inertLine(finding.fix.summary)}`,
    );
    for (const step of finding.fix.steps ?? []) lines.push(`      - ${inertLine(step)}`);
    for (const command of finding.fix.commands ?? []) lines.push(`      $ ${inertLine(command)}`);
    if (options.verbose)
      for (const [key, value] of Object.entries(finding.evidence)) lines.push(`      ${c.dim(`${inertLine(key)}: ${inertLine(JSON.stringify(value))}`)}`);
  }
  const notes = [
    ...result.notes,
    ...(result.fgac && !result.fgac.rolesMappingRead && result.fgac.decides ? [`FGAC role mappings not known: ${result.fgac.reason ?? ''}`] : []),
    ...result.assumptions,
  ];
  if (notes.length > 0) lines.push('');
  for (const note of notes) lines.push(`${c.note('!')} ${inertLine(note)}`);
  return `${lines.join('\n')}\n`;
}

export function renderAccessJson(result: AccessResult): string {
  return jsonText(result);
}
