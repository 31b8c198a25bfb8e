import { CheckContext, DataGap } from '../context/check-context.js';
import type {
  Check,
  CheckMeta,
  CheckResult,
  Finding,
  FindingInput,
  Gap,
  MessagesOf,
  Problem,
  Report,
  ReportTarget,
  Severity,
  SnapshotPart,
  Snapshot,
  Summary,
} from './types.js';
import { cognitoEnabled } from '../model/domain.js';
import { findingUid } from './uid.js';
import { compareText } from '../util/order.js';

export interface SelectOptions {
  /** Check ids or failure-mode ids to run (all when empty). */
  only?: string[];
  /** Check ids or failure-mode ids to leave out. */
  skip?: string[];
  /** Told the snapshot parts each check touched (checks run through a recording proxy: for tests and tools). */
  onReads?: (check: Check, parts: ReadonlySet<SnapshotPart>) => void;
}

/** A thrown value as one line of text, whatever it is (`Object.create(null)` has no toString). */
export function describeThrown(error: unknown): string {
  try {
    if (error instanceof Error) return String(error.message).split('\n')[0]!;
    if (typeof error === 'string') return error.split('\n')[0]!;
    const text = JSON.stringify(error);
    return text === undefined ? typeof error : text.slice(0, 200);
  } catch {
    return `a value that cannot be shown (${typeof error})`;
  }
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

function selects(check: Check, ids: string[]): boolean {
  return ids.includes(check.id) || check.modes.some((m) => ids.includes(m.id));
}

/** The first gap that explains why nothing could be decided: unknown beats not-evaluated beats not-applicable. */
function decisiveGap(gaps: Gap[]): Gap | undefined {
  for (const kind of ['unknown', 'not-evaluated', 'not-applicable'] as const) {
    const gap = gaps.find((g) => g.kind === kind);
    if (gap) return gap;
  }
  return undefined;
}

/** A problem worded by the check's messages for its failure mode; a finished finding as it is. */
export function findingInputOf(check: Pick<CheckMeta, 'id'> & { messages?: MessagesOf }, reported: Problem | FindingInput): FindingInput {
  if (!('mode' in reported)) return reported;
  const messages = check.messages?.[reported.mode];
  if (!messages) throw new Error(`check ${check.id} reported ${JSON.stringify(reported.mode)} without messages for it`);
  return {
    id: reported.mode,
    ...(reported.severity ? { severity: reported.severity } : {}),
    message: messages.message(reported.data),
    resource: reported.resource,
    evidence: reported.evidence ?? (reported.data as Record<string, unknown>),
    fix: messages.fix(reported.data),
  };
}

function toFinding(check: CheckMeta & { messages?: MessagesOf }, reported: Problem | FindingInput): Finding {
  const input = findingInputOf(check, reported);
  const mode = check.modes.find((m) => m.id === input.id);
  if (!mode) throw new Error(`check ${check.id} reported ${JSON.stringify(input.id)}, which it does not declare`);
  const severity = input.severity ?? mode.severity;
  if (!(severity in SEVERITY_ORDER))
    throw new Error(`check ${check.id} reported ${input.id} with severity ${JSON.stringify(severity)}, not error, warning or info`);
  return {
    id: input.id,
    uid: findingUid(input),
    check: check.id,
    severity,
    title: mode.title,
    symptom: mode.symptom,
    message: input.message,
    resource: input.resource,
    evidence: input.evidence,
    fix: input.fix,
    docs: mode.docs,
  };
}

function runOne(check: Check, snapshot: Snapshot, onlyModes: string[], onReads?: SelectOptions['onReads']): { result: CheckResult; findings: Finding[] } {
  if (check.scope !== 'domain' && !cognitoEnabled(snapshot.domain)) {
    return { result: { check: check.id, status: 'not-applicable', reason: 'Cognito authentication is off on the domain' }, findings: [] };
  }
  const ctx = onReads ? new CheckContext(snapshot, { recordReads: true }) : new CheckContext(snapshot);
  const outcome = settleCheck(check, ctx, () => check.run(ctx), onlyModes);
  onReads?.(check, ctx.partsRead);
  return outcome;
}

/**
 * Runs one check and decides its status: its findings, or why it could not decide (a DataGap it
 * threw, or the gaps it noted on `ctx`). Shared by the domain checks and the `client` checks.
 */
export function settleCheck(
  check: CheckMeta & { messages?: MessagesOf },
  ctx: { gaps: Gap[] },
  run: () => Array<Problem | FindingInput>,
  onlyModes: string[] = [],
): { result: CheckResult; findings: Finding[] } {
  let findings: Finding[];
  try {
    findings = run().map((input) => toFinding(check, input));
  } catch (error) {
    if (error instanceof DataGap) {
      return {
        result: { check: check.id, status: error.gap.kind, reason: error.gap.reason, ...(error.gap.permission ? { permission: error.gap.permission } : {}) },
        findings: [],
      };
    }
    return { result: { check: check.id, status: 'error', reason: `the check failed: ${describeThrown(error)}` }, findings: [] };
  }
  if (onlyModes.length > 0) findings = findings.filter((f) => onlyModes.includes(f.id));
  if (findings.length > 0) {
    const gap = decisiveGap(ctx.gaps);
    return { result: { check: check.id, status: 'fail', ...(gap ? { reason: `also: ${gap.reason}` } : {}) }, findings };
  }
  const gap = decisiveGap(ctx.gaps.filter((g) => g.kind !== 'not-applicable'));
  if (gap)
    return { result: { check: check.id, status: gap.kind, reason: gap.reason, ...(gap.permission ? { permission: gap.permission } : {}) }, findings: [] };
  return { result: { check: check.id, status: 'pass' }, findings: [] };
}

/** Runs every selected check on one snapshot: their results and findings, in a stable order. */
export function evaluateChecks(snapshot: Snapshot, checks: Check[], options: SelectOptions = {}): { results: CheckResult[]; findings: Finding[] } {
  const only = options.only ?? [];
  const skip = options.skip ?? [];
  const onlyModes = only.filter((id) => checks.some((c) => c.modes.some((m) => m.id === id)));
  const selected = checks.filter((c) => (only.length === 0 || selects(c, only)) && !skip.includes(c.id)).sort((a, b) => compareText(a.id, b.id));
  return collectOutcomes(
    selected.map((check) => runOne(check, snapshot, onlyModes, options.onReads)),
    skip,
  );
}

/** Settled checks' results and findings, in the stable order of every report; findings whose failure id is in `skip` are left out. */
export function collectOutcomes(
  outcomes: Array<{ result: CheckResult; findings: Finding[] }>,
  skip: string[] = [],
): { results: CheckResult[]; findings: Finding[] } {
  const results: CheckResult[] = [];
  const findings: Finding[] = [];
  for (const outcome of outcomes) {
    results.push(outcome.result);
    // One by one: spreading a very long list into push() overflows the stack.
    for (const finding of outcome.findings) if (!skip.includes(finding.id)) findings.push(finding);
  }
  return { results, findings: sortFindings(findings) };
}

/** The report of settled checks: the one assembly of `check`, `diff` and `client` reports. */
export function assembleReport(settled: { results: CheckResult[]; findings: Finding[] }, target: ReportTarget, version: string): Report {
  return {
    schema: 'cogdoctor/report/v1',
    tool: { name: 'cogdoctor', version },
    target,
    summary: summarize(settled.findings, settled.results),
    findings: settled.findings,
    checks: settled.results,
  };
}

/** The stable order of every report: severity, check, failure id, resource, message. */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      compareText(a.check, b.check) ||
      compareText(a.id, b.id) ||
      compareText(a.resource, b.resource) ||
      compareText(a.message, b.message),
  );
}

export function summarize(findings: Finding[], results: CheckResult[]): Summary {
  const count = (status: CheckResult['status']) => results.filter((r) => r.status === status).length;
  return {
    error: findings.filter((f) => f.severity === 'error').length,
    warning: findings.filter((f) => f.severity === 'warning').length,
    info: findings.filter((f) => f.severity === 'info').length,
    passed: count('pass'),
    unknown: count('unknown'),
    notEvaluated: count('not-evaluated'),
    notApplicable: count('not-applicable'),
    errored: count('error'),
  };
}
