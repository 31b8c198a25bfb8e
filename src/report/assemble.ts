import { assembleReport, evaluateChecks, type SelectOptions } from '../engine/run.js';
import type { Check, Report, ReportTarget, Snapshot } from '../engine/types.js';
import { targetOf } from './target.js';

export interface RunOptions extends SelectOptions {
  version: string;
  source: ReportTarget['source'];
  file?: string;
}

/** Runs every selected check on one snapshot and assembles the report: what was inspected, the findings and every check's status. */
export function runChecks(snapshot: Snapshot, checks: Check[], options: RunOptions): Report {
  return assembleReport(evaluateChecks(snapshot, checks, options), targetOf(snapshot, options), options.version);
}
