import { builtinChecks } from '../engine/builtin.js';
import { ACCESS_MODES, UNDETECTED_MODES } from '../catalog.js';
import { RELYING_PARTY_CHECKS } from '../relying-party/checks/index.js';
import { UsageError } from '../errors.js';
import { checksFor } from './check.js';
import { loadGateConfig } from './gate.js';
import { compareText } from '../util/order.js';
import { inertLine } from '../util/inert.js';

export async function runChecksCommand(options: { format?: string; checksDir?: string[]; config?: string }): Promise<number> {
  const config = await loadGateConfig(options.config);
  const checks = [...(await checksFor(options.checksDir, config))].sort((a, b) => compareText(a.id, b.id));
  // A plugin file that failed to load stands as a check without failure ids: said on stderr too.
  const broken = checks.filter((c) => c.source && c.source !== 'builtin' && c.modes.length === 0);
  for (const check of broken) process.stderr.write(`cogdoctor: ${inertLine(check.description)}\n`);
  if (options.format === 'json') {
    const rows = checks.map((c) => ({ id: c.id, title: c.title, source: c.source, reads: c.reads, modes: c.modes.map((m) => ({ id: m.id, severity: m.severity })) }));
    // The checks of `cogdoctor client` run on one app client, not on a domain.
    rows.push(...RELYING_PARTY_CHECKS.map((c) => ({ id: c.id, title: c.title, source: c.source, reads: c.reads, command: 'client', modes: c.modes.map((m) => ({ id: m.id, severity: m.severity })) })));
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
  lines.push('', `${checks.length} checks, ${checks.reduce((n, c) => n + c.modes.length, 0)} failure ids. Not detected from configuration (see cogdoctor explain): ${UNDETECTED_MODES.map((m) => m.id).join(', ')}.`);
  lines.push('', 'cogdoctor client (one app client, for any OIDC relying party):');
  for (const check of RELYING_PARTY_CHECKS) {
    lines.push(check.id, `  ${check.title}`);
    for (const mode of check.modes) lines.push(`    ${mode.severity.padEnd(8)}${mode.id}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  return broken.length > 0 ? 3 : 0;
}

export function runExplainCommand(id: string, options: { format?: string }): number {
  // A domain check first: the ids both kinds report keep the catalog's explanation.
  const check = builtinChecks.find((c) => c.modes.some((m) => m.id === id)) ?? RELYING_PARTY_CHECKS.find((c) => c.modes.some((m) => m.id === id));
  const access = ACCESS_MODES.find((m) => m.id === id);
  const mode = check?.modes.find((m) => m.id === id) ?? UNDETECTED_MODES.find((m) => m.id === id) ?? access;
  if (!mode) {
    const ids = [...new Set([...builtinChecks, ...RELYING_PARTY_CHECKS].flatMap((c) => c.modes.map((m) => m.id)).concat(UNDETECTED_MODES.map((m) => m.id), ACCESS_MODES.map((m) => m.id)))].sort();
    throw new UsageError(`unknown failure id ${JSON.stringify(id)}; known ids: ${ids.join(', ')}`);
  }
  const undetected = UNDETECTED_MODES.find((m) => m.id === id);
  const detection = check
    ? `Detected by the check ${check.id}${RELYING_PARTY_CHECKS.some((c) => c.id === check.id) ? ' of cogdoctor client' : ''}: ${check.description}`
    : access
      ? `Detected by cogdoctor access <domain> --principal ARN: ${access.detection}`
      : `Not detected from the configuration: ${undetected?.why ?? ''}`;
  if (options.format === 'json') {
    const { detection: _detection, ...fields } = mode as typeof mode & { detection?: string };
    process.stdout.write(`${JSON.stringify({ ...fields, check: check?.id ?? null, ...(access ? { command: 'access' } : RELYING_PARTY_CHECKS.some((c) => c.id === check?.id) ? { command: 'client' } : {}), detection, confirm: undetected?.confirm ?? [] }, null, 2)}\n`);
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
