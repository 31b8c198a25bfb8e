import { CATALOG } from '../catalog/index.js';
import { UsageError } from '../errors.js';
import { allChecksFor } from './client.js';
import { loadGateConfig } from './gate.js';
import { compareText } from '../util/order.js';
import { inertLine } from '../util/inert.js';

export async function runChecksCommand(options: { format?: string; checksDir?: string[]; config?: string }): Promise<number> {
  const config = await loadGateConfig(options.config);
  const all = await allChecksFor(options.checksDir, config);
  const checks = [...all.checks].sort((a, b) => compareText(a.id, b.id));
  // A plugin file that failed to load is listed once, with the domain checks.
  const clientChecks = all.clientChecks.filter((c) => c.source === 'builtin' || c.modes.length > 0).sort((a, b) => compareText(a.id, b.id));
  // A plugin file that failed to load stands as a check without failure ids: said on stderr too.
  const broken = checks.filter((c) => c.source && c.source !== 'builtin' && c.modes.length === 0);
  for (const check of broken) process.stderr.write(`cogdoctor: ${inertLine(check.description)}\n`);
  if (options.format === 'json') {
    const rows = checks.map((c) => ({
      id: c.id,
      title: c.title,
      source: c.source,
      reads: c.reads,
      modes: c.modes.map((m) => ({ id: m.id, severity: m.severity })),
    }));
    // The checks of `cogdoctor client` run on one app client, not on a domain.
    rows.push(
      ...clientChecks.map((c) => ({
        id: c.id,
        title: c.title,
        source: c.source,
        reads: c.reads,
        command: 'client',
        modes: c.modes.map((m) => ({ id: m.id, severity: m.severity })),
      })),
    );
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return broken.length > 0 ? 3 : 0;
  }
  const lines: string[] = [];
  for (const check of checks) {
    if (broken.includes(check)) {
      lines.push(`${check.id}  (${check.source})`, `  NOT LOADED: ${inertLine(check.description)}`);
      continue;
    }
    lines.push(`${check.id}${check.source && check.source !== 'builtin' ? `  (${check.source})` : ''}`);
    lines.push(`  ${check.title}`);
    for (const mode of check.modes) lines.push(`    ${mode.severity.padEnd(8)}${mode.id}`);
  }
  lines.push(
    '',
    `${checks.length} checks, ${checks.reduce((n, c) => n + c.modes.length, 0)} failure ids. Not detected from configuration (see cogdoctor explain): ${undetectedIds().join(', ')}.`,
  );
  lines.push('', 'cogdoctor client (one app client, for any OIDC relying party):');
  for (const check of clientChecks) {
    lines.push(`${check.id}${check.source && check.source !== 'builtin' ? `  (${check.source})` : ''}`, `  ${check.title}`);
    for (const mode of check.modes) lines.push(`    ${mode.severity.padEnd(8)}${mode.id}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  return broken.length > 0 ? 3 : 0;
}

/** The catalog ids no check detects, in the order they are declared. */
function undetectedIds(): string[] {
  return [...CATALOG.values()].filter((entry) => entry.declaredBy[0]!.kind === 'undetected').map((entry) => entry.mode.id);
}

export function runExplainCommand(id: string, options: { format?: string }): number {
  const entry = CATALOG.get(id);
  if (!entry) throw new UsageError(`unknown failure id ${JSON.stringify(id)}; known ids: ${[...CATALOG.keys()].sort().join(', ')}`);
  // The first declaration: a domain check before a client check, for the ids both kinds report.
  const declared = entry.declaredBy[0]!;
  const mode = declared.mode;
  const check = declared.kind === 'check' ? declared.check : undefined;
  const undetected = declared.kind === 'undetected' ? declared.mode : undefined;
  const detection =
    declared.kind === 'check'
      ? `Detected by the check ${declared.check.id}${declared.command === 'client' ? ' of cogdoctor client' : ''}: ${declared.check.description}`
      : declared.kind === 'access'
        ? `Detected by cogdoctor access <domain> --principal ARN: ${declared.mode.detection}`
        : `Not detected from the configuration: ${declared.mode.why}`;
  if (options.format === 'json') {
    const { detection: _detection, ...fields } = mode as typeof mode & { detection?: string };
    const command =
      declared.kind === 'access' ? { command: 'access' } : declared.kind === 'check' && declared.command === 'client' ? { command: 'client' } : {};
    process.stdout.write(`${JSON.stringify({ ...fields, check: check?.id ?? null, ...command, detection, confirm: undetected?.confirm ?? [] }, null, 2)}\n`);
    return 0;
  }
  const lines = [
    `${mode.id}  (${mode.severity}${mode.inferred ? ', rests on an inferred fact' : ''})`,
    `  ${mode.title}`,
    '',
    `What the user sees:  ${mode.symptom}`,
    `Why:                 ${mode.cause}`,
    `How cogdoctor knows: ${detection}`,
    ...(undetected ? ['Confirm by hand:', ...undetected.confirm.map((c) => `  ${c}`)] : []),
    `Fix:                 ${mode.fix}`,
    'Docs:',
    ...mode.docs.map((d) => `  ${d}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
