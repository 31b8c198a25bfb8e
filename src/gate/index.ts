// The CI gate: what in a report counts against the run. Mutes from the config and a baseline mark
// findings (muted, new/known) and list the fixed ones; src/engine/exit.ts turns the marks into the
// exit code and the reporters print them. Nothing here removes a finding from the report.
import type { Report } from '../engine/types.js';
import { applyBaseline, type Baseline } from './baseline.js';
import type { Mute } from './config.js';
import { applyMutes, utcToday } from './mutes.js';

export { applyBaseline, baselineFromReports, BaselineError, parseBaseline, type Baseline } from './baseline.js';
// The config parser (YAML, JSON Schema) is imported from './config.js' where needed: only a run with a config loads it.
export type { GateConfig, KnownIds, Mute } from './config.js';
export { applyMutes, utcToday } from './mutes.js';

export interface GateOptions {
  mutes?: Mute[];
  baseline?: Baseline;
  /** YYYY-MM-DD (UTC) against which mute expiry dates are read; today by default. */
  today?: string;
}

export function gateReport(report: Report, options: GateOptions): Report {
  const muted = applyMutes(report, options.mutes ?? [], options.today ?? utcToday());
  return options.baseline ? applyBaseline(muted, options.baseline) : muted;
}
