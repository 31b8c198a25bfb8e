import { builtinChecks } from '../engine/builtin.js';
import { UNDETECTED_MODES } from '../catalog.js';
import { UsageError } from './errors.js';
import { checksFor } from './check.js';
import { loadGateConfig } from './gate.js';

export async function runChecksCommand(options: { format?: string; checksDir?: string[]; config?: string }): Promise<number> {
  const config = await loadGateConfig(options.config);
  const checks = [...(await checksFor(options.checksDir, config))].sort((a, b) => a.id.localeCompare(b.id));
  if (options.format === 'json') {
    const rows = checks.map((c) => ({ id: c.id, title: c.title, source: c.source, reads: c.reads, modes: c.modes.map((m) => ({ id: m.id, severity: m.severity })) }));
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  const lines: string[] = [];
  for (const check of checks) {
    lines.push(`${check.id}${check.source && check.source !== 'builtin' ? `  (${check.source})` : ''}`);
    lines.push(`  ${check.title}`);
    for (const mode of check.modes) lines.push(`    ${mode.severity.padEnd(8)}${mode.id}`);
  }
  lines.push('', `${checks.length} checks, ${checks.reduce((n, c) => n + c.modes.length, 0)} failure ids. Not detected from configuration (see cogdoctor explain): ${UNDETECTED_MODES.map((m) => m.id).join(', ')}.`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

export function runExplainCommand(id: string, options: { format?: string }): number {
  const check = builtinChecks.find((c) => c.modes.some((m) => m.id === id));
  const mode = check?.modes.find((m) => m.id === id) ?? UNDETECTED_MODES.find((m) => m.id === id);
  if (!mode) {
    const ids = [...builtinChecks.flatMap((c) => c.modes.map((m) => m.id)), ...UNDETECTED_MODES.map((m) => m.id)].sort();
    throw new UsageError(`unknown failure id ${JSON.stringify(id)}; known ids: ${ids.join(', ')}`);
  }
  const undetected = UNDETECTED_MODES.find((m) => m.id === id);
  const detection = check
    ? `Detected by the check ${check.id}: ${check.description}`
    : `Not detected from the configuration: ${undetected?.why ?? ''}`;
  if (options.format === 'json') {
    process.stdout.write(`${JSON.stringify({ ...mode, check: check?.id ?? null, detection, confirm: undetected?.confirm ?? [] }, null, 2)}\n`);
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
