import { evaluateChecks, summarize, type SelectOptions } from '../engine/run.js';
import type { Check, Report, ReportTarget, Snapshot } from '../engine/types.js';
import { targetOf } from './target.js';

export interface RunOptions extends SelectOptions {
  version: string;
  source: ReportTarget['source'];
  file?: string;
}

/** Runs every selected check on one snapshot and assembles the report: what was inspected, the findings and every check's status. */
export function runChecks(snapshot: Snapshot, checks: Check[], options: RunOptions): Report {
  const { results, findings } = evaluateChecks(snapshot, checks, options);
  return {
    schema: 'cogdoctor/report/v1',
    tool: { name: 'cogdoctor', version: options.version },
    target: targetOf(snapshot, options),
    summary: summarize(findings, results),
    findings,
    checks: results,
  };
}
