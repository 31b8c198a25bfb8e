// The failure-mode catalog: every id cogdoctor knows, gathered from where it is declared (the modes
// of every built-in check, domain and client, the causes of `cogdoctor access`, and the ids no check
// can detect). `explain`, `checks`, trace's texts, SARIF rules, the docs and the tests read it here.
import { ACCESS_MODES, type AccessMode } from '../access/modes.js';
import { builtinChecks } from '../engine/builtin.js';
import { builtinClientChecks } from '../engine/builtin-client.js';
import type { CheckMeta, FailureMode } from '../engine/types.js';
import { UNDETECTED_MODES, type UndetectedMode } from './undetected.js';

export type { UndetectedMode } from './undetected.js';
export { ACCESS_MODES, type AccessMode } from '../access/modes.js';
export { UNDETECTED_MODES } from './undetected.js';

/** The command whose checks report an id: `check` (a domain) or `client` (one app client). */
export type CheckCommand = 'check' | 'client';

/** Who declares a failure mode: one or more checks, `cogdoctor access`, or nothing that can detect it. */
export type Declaration =
  | { kind: 'check'; command: CheckCommand; check: Pick<CheckMeta, 'id' | 'description'>; mode: FailureMode }
  | { kind: 'access'; mode: AccessMode }
  | { kind: 'undetected'; mode: UndetectedMode };

export interface CatalogEntry {
  mode: FailureMode;
  /** Every declaration of the id, domain checks first: all carry the same mode data. */
  declaredBy: Declaration[];
}

export type Catalog = ReadonlyMap<string, CatalogEntry>;

/** The fields that make a failure mode; two declarations of one id must agree on all of them. */
export function modeData(mode: FailureMode): FailureMode {
  return {
    id: mode.id,
    severity: mode.severity,
    title: mode.title,
    symptom: mode.symptom,
    cause: mode.cause,
    fix: mode.fix,
    docs: [...mode.docs],
    ...(mode.inferred ? { inferred: true } : {}),
  };
}

function describe(declaration: Declaration): string {
  if (declaration.kind === 'check') return `the ${declaration.command === 'client' ? 'client ' : ''}check ${declaration.check.id}`;
  return declaration.kind === 'access' ? 'cogdoctor access' : 'the undetected modes';
}

/**
 * Gathers failure modes into one catalog, in the order they are declared. An id declared twice must be declared with
 * the same data by checks (a shared module both import); an id of `cogdoctor access` or an undetected
 * one is declared once. Anything else is refused, so two texts for one id cannot exist.
 */
export function buildCatalog(declarations: Array<{ mode: FailureMode; by: Declaration }>): Catalog {
  const entries = new Map<string, CatalogEntry>();
  for (const { mode, by } of declarations) {
    const entry = entries.get(mode.id);
    if (!entry) {
      entries.set(mode.id, { mode: modeData(mode), declaredBy: [by] });
      continue;
    }
    const first = entry.declaredBy[0]!;
    if (JSON.stringify(entry.mode) !== JSON.stringify(modeData(mode))) {
      throw new Error(
        `failure mode ${mode.id} is declared by ${describe(first)} and by ${describe(by)} with different data: declare it once and import it in both`,
      );
    }
    if (first.kind !== 'check' || by.kind !== 'check') {
      throw new Error(
        `failure mode ${mode.id} is declared by ${describe(first)} and by ${describe(by)}: only checks share an id, one that cogdoctor access reports or none detects is declared once`,
      );
    }
    entry.declaredBy.push(by);
  }
  return entries;
}

function checkDeclarations(checks: CheckMeta[], command: CheckCommand) {
  return checks.flatMap((check) => check.modes.map((mode) => ({ mode, by: { kind: 'check', command, check, mode } as Declaration })));
}

/** The catalog of the built-in checks, `cogdoctor access` and the undetected ids. */
export const CATALOG: Catalog = buildCatalog([
  ...checkDeclarations(builtinChecks, 'check'),
  ...checkDeclarations(builtinClientChecks, 'client'),
  ...ACCESS_MODES.map((mode) => ({ mode, by: { kind: 'access', mode } as Declaration })),
  ...UNDETECTED_MODES.map((mode) => ({ mode, by: { kind: 'undetected', mode } as Declaration })),
]);

/** The catalog's mode for an id, if it has one. */
export function modeOf(id: string): FailureMode | undefined {
  return CATALOG.get(id)?.mode;
}
