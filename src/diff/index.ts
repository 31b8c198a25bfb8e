// `cogdoctor diff`: what changed between two snapshots of a domain, and what each change does to login.
// The checks run on both sides; a finding only the new side has is attributed to the changed fields
// that plausibly cause it: fields in the parts its check reads (a built-in check's `reads` are held
// to the parts it touches, test/reads.test.ts), narrowed to those its message or evidence mentions
// when any does.
import { failsRun, type FailOn } from '../engine/exit.js';
import { runChecks, type RunOptions } from '../report/assemble.js';
import type { Check, Finding, FixedFinding, Report, ReportTarget, Summary } from '../engine/types.js';
import { baselineFromReports, gateReport, type Mute } from '../gate/index.js';
import type { Snapshot } from '../snapshot/types.js';
import { configChanges, type ConfigChange } from './changes.js';

export type { ConfigChange } from './changes.js';

export interface AttributedChange extends ConfigChange {
  /** Failure ids of the added findings this change plausibly causes. */
  causes: string[];
}

export interface AddedFinding extends Finding {
  /** Paths of the changes that plausibly cause it; empty when none of the compared fields explains it. */
  causedBy: string[];
}

export interface DiffSide {
  target: ReportTarget;
  summary: Summary;
}

export interface DiffReport {
  schema: 'cogdoctor/diff/v1';
  tool: { name: 'cogdoctor'; version: string };
  old: DiffSide;
  new: DiffSide;
  changes: AttributedChange[];
  findings: { added: AddedFinding[]; removed: FixedFinding[] };
}

export interface DiffOptions extends Pick<RunOptions, 'version' | 'only' | 'skip'> {
  /** File of each side; a live side has none. */
  oldFile?: string;
  newFile?: string;
  /** What each file is (default: a snapshot). */
  oldSource?: ReportTarget['source'];
  newSource?: ReportTarget['source'];
  mutes?: Mute[];
  today?: string;
}

// Field names too common in evidence to say anything about a finding.
const VAGUE = new Set(['Enabled', 'Type', 'Status', 'Name', 'Id', 'Arn', 'ARN', 'Domain']);

/**
 * Words a change would leave in a finding it causes: the names of the fields it changed and their
 * values; the key of an object only when the object itself came or went (the key of the object a
 * changed field belongs to names the object, not the change: a finding about that app client need
 * not be about its CallbackURLs).
 */
function tokensOf(change: ConfigChange): string[] {
  const names = [...change.path.matchAll(/(?:^|\.)([A-Za-z_]\w*)/g)]
    .map((m) => m[1]!)
    .slice(1)
    .filter((n) => !VAGUE.has(n));
  const whole = /\[([^\]]+)\]$/.exec(change.path)?.[1];
  const values = [change.before, change.after, ...(change.lost ?? []), ...(change.gained ?? [])]
    .filter((v): v is string | number => typeof v === 'string' || typeof v === 'number')
    .map(String);
  return [...names, ...(whole !== undefined ? [whole] : []), ...values].filter((t) => t.length >= 4);
}

/**
 * The changes, in the parts the finding's check reads, whose fields or values the finding names;
 * when it names none, every change in those parts (one of them caused it).
 */
function attribute(finding: Finding, changes: ConfigChange[], checks: Check[]): string[] {
  const reads = new Set<string>(checks.find((c) => c.id === finding.check)?.reads ?? []);
  const relevant = changes.filter((c) => reads.has(c.part) || c.part === 'errors');
  const text = `${finding.message}\n${JSON.stringify(finding.evidence)}`;
  const mentioned = relevant.filter((c) => tokensOf(c).some((token) => text.includes(token)));
  const causes = mentioned.length > 0 ? mentioned : relevant.filter((c) => c.part !== 'errors');
  return causes.map((c) => c.path);
}

export function diffSnapshots(before: Snapshot, after: Snapshot, checks: Check[], options: DiffOptions): DiffReport {
  const run = { version: options.version, only: options.only, skip: options.skip };
  const side = (file: string | undefined, source: ReportTarget['source'] = 'snapshot') => (file ? { source, file } : { source: 'live' as const });
  const oldReport = runChecks(before, checks, { ...run, ...side(options.oldFile, options.oldSource) });
  const newReport = runChecks(after, checks, { ...run, ...side(options.newFile, options.newSource) });
  // The old side is the baseline of the new one, whatever the domains are called.
  const baseline = baselineFromReports(options.oldFile ?? 'old', [{ ...oldReport, target: newReport.target }]);
  const gated: Report = gateReport(newReport, {
    baseline,
    ...(options.mutes ? { mutes: options.mutes } : {}),
    ...(options.today ? { today: options.today } : {}),
  });
  const changes = configChanges(before, after);
  const added = gated.findings
    .filter((f) => f.new)
    .map((f): AddedFinding => {
      const { new: _new, ...finding } = f;
      return { ...finding, causedBy: attribute(f, changes, checks) };
    });
  return {
    schema: 'cogdoctor/diff/v1',
    tool: { name: 'cogdoctor', version: options.version },
    old: { target: oldReport.target, summary: oldReport.summary },
    new: { target: gated.target, summary: newReport.summary },
    changes: changes.map((c) => ({ ...c, causes: [...new Set(added.filter((f) => f.causedBy.includes(c.path)).map((f) => f.id))].sort() })),
    findings: { added, removed: gated.baseline?.fixed ?? [] },
  };
}

/** 1 when the new side has a finding the old one had not at or above --fail-on (and not muted); 3 when the new side is incomplete. */
export function diffExitCode(diff: DiffReport, failOn: FailOn): 0 | 1 | 3 {
  if (diff.findings.added.some((f) => failsRun(f, failOn))) return 1;
  if (diff.new.summary.unknown > 0 || diff.new.summary.errored > 0) return 3;
  return 0;
}
