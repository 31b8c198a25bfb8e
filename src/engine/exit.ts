import type { Finding, Report, Severity } from './types.js';

export type FailOn = Severity | 'never';

/** How severe each severity is: a higher rank is worse. */
export const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

/** Whether a finding fails a run at this --fail-on: muted ones and ones the baseline already had do not. */
export function failsRun(finding: Finding, failOn: FailOn): boolean {
  return failOn !== 'never' && SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[failOn] && finding.muted !== true && finding.new !== false;
}

/** 1 when a finding reaches --fail-on, else 3 when a read failed (unknown) or a check broke, else 0. */
export function exitCodeOf(reports: Report[], failOn: FailOn): 0 | 1 | 3 {
  if (reports.some((r) => r.findings.some((f) => failsRun(f, failOn)))) return 1;
  if (reports.some((r) => r.summary.unknown > 0 || r.summary.errored > 0)) return 3;
  return 0;
}
