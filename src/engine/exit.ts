import type { Report, Severity } from './types.js';

export type FailOn = Severity | 'never';

const RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

/** 1 when a finding reaches --fail-on, else 3 when a read failed (unknown) or a check broke, else 0. */
export function exitCodeOf(reports: Report[], failOn: FailOn): 0 | 1 | 3 {
  const threshold = failOn === 'never' ? Infinity : RANK[failOn];
  if (reports.some((r) => r.findings.some((f) => RANK[f.severity] >= threshold && !(f as { muted?: boolean }).muted))) return 1;
  if (reports.some((r) => r.summary.unknown > 0 || r.summary.errored > 0)) return 3;
  return 0;
}
