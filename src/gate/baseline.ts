import type { CheckStatus, FixedFinding, Report, Severity } from '../engine/types.js';
import { findingUid } from '../engine/uid.js';
import { jsonErrorMessage } from '../snapshot/input.js';
import { inertLine } from '../util/inert.js';
import { parseSnapshot } from '../snapshot/read.js';
import type { Snapshot } from '../snapshot/types.js';
import { compareText } from '../util/order.js';

/** The findings a baseline had, per domain: an account, a Region and a domain name (reports written before accounts were swept may lack the account). */
export interface Baseline {
  file: string;
  entries: Array<{ accountId?: string; domain?: string; region: string; findings: FixedFinding[] }>;
}

/** A baseline file cogdoctor cannot use: neither a cogdoctor report nor a snapshot, or a malformed one. */
export class BaselineError extends Error {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(inertLine(`${file}: ${problem}`));
    this.name = 'BaselineError';
  }
}

// A baseline finding is fixed only when its check ran and decided; gone because the check was
// skipped or could not read what it needed is not fixed.
const DECIDED: ReadonlySet<CheckStatus> = new Set(['pass', 'fail', 'not-applicable']);
const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

function byReportOrder(a: FixedFinding, b: FixedFinding): number {
  return (
    SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
    compareText(a.check, b.check) ||
    compareText(a.id, b.id) ||
    compareText(a.resource, b.resource) ||
    compareText(a.message, b.message)
  );
}

function fixedFinding(f: Omit<FixedFinding, 'uid'> & { uid?: string }): FixedFinding {
  return { uid: f.uid ?? findingUid(f), id: f.id, check: f.check, severity: f.severity, title: f.title, message: f.message, resource: f.resource };
}

export function baselineFromReports(file: string, reports: Report[]): Baseline {
  return {
    file,
    entries: reports.map((r) => ({
      ...(r.target.accountId !== undefined ? { accountId: r.target.accountId } : {}),
      domain: r.target.domain,
      region: r.target.region,
      findings: r.findings.map(fixedFinding),
    })),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks the parts of a report a baseline uses; reports written before findings had a uid still serve. */
function readReport(document: Record<string, unknown>, at: string, file: string): Report {
  const fail = (path: string, problem: string) => new BaselineError(file, `${at}${path}: ${problem}`);
  const target = document['target'];
  if (!isObject(target) || typeof target['domain'] !== 'string' || typeof target['region'] !== 'string')
    throw fail('.target', 'must name the domain and region');
  if (target['accountId'] !== undefined && typeof target['accountId'] !== 'string') throw fail('.target.accountId', 'must be a string');
  const findings = document['findings'];
  if (!Array.isArray(findings)) throw fail('.findings', 'must be an array');
  findings.forEach((finding: unknown, index) => {
    if (!isObject(finding)) throw fail(`.findings[${index}]`, 'must be an object');
    for (const key of ['id', 'check', 'title', 'message', 'resource']) {
      if (typeof finding[key] !== 'string') throw fail(`.findings[${index}].${key}`, 'must be a string');
    }
    if (!SEVERITIES.includes(finding['severity'] as Severity)) throw fail(`.findings[${index}].severity`, `must be one of ${SEVERITIES.join(', ')}`);
    if (finding['uid'] !== undefined && typeof finding['uid'] !== 'string') throw fail(`.findings[${index}].uid`, 'must be a string');
  });
  return document as unknown as Report;
}

/**
 * The documents of a baseline file: one JSON document (a report, a snapshot, or the array of
 * reports earlier versions printed for several inputs), or JSON Lines of reports, which
 * `--format json` prints. `at` names a document in errors: `$`, `$[1]`, `line 2`.
 */
function parseDocuments(text: string, file: string): { document?: unknown; documents: unknown[]; at: (index: number) => string } {
  try {
    const document: unknown = JSON.parse(text);
    return Array.isArray(document) ? { document, documents: document, at: (i) => `$[${i}]` } : { document, documents: [document], at: () => '$' };
  } catch (error) {
    const lines = text
      .split('\n')
      .map((line, index) => ({ line, number: index + 1 }))
      .filter(({ line }) => line.trim() !== '');
    if (lines.length < 2) throw new BaselineError(file, `$: ${jsonErrorMessage(error)}`);
    const documents = lines.map(({ line, number }) => {
      try {
        return JSON.parse(line) as unknown;
      } catch (lineError) {
        throw new BaselineError(file, `line ${number}: ${jsonErrorMessage(lineError)}`);
      }
    });
    return { documents, at: (i) => `line ${lines[i]!.number}` };
  }
}

/**
 * Reads a baseline: a JSON report of an earlier run (one report or an array of them, or the JSON
 * Lines of an organization sweep, whose summary line it passes over), or a snapshot, which
 * `runSnapshot` turns into a report with the same checks as the current run.
 */
export function parseBaseline(text: string, file: string, runSnapshot: (snapshot: Snapshot) => Report): Baseline {
  const { document, documents, at: atOf } = parseDocuments(text, file);
  const reports = documents.flatMap((item: unknown, index) => {
    const at = atOf(index);
    const schema = isObject(item) ? item['schema'] : undefined;
    if (schema === 'cogdoctor/report/v1') return [readReport(item as Record<string, unknown>, at, file)];
    // The sweep summary holds counts, no findings.
    if (schema === 'cogdoctor/sweep/v1') return [];
    if (schema === 'cogdoctor/snapshot/v1' && documents.length === 1 && document !== undefined && !Array.isArray(document)) {
      try {
        return [runSnapshot(parseSnapshot(text))];
      } catch (error) {
        if ((error as Error).name === 'SnapshotError') throw new BaselineError(file, (error as Error).message);
        throw error;
      }
    }
    throw new BaselineError(file, `${at}: not a cogdoctor report (--format json) or snapshot`);
  });
  return baselineFromReports(file, reports);
}

/**
 * The baseline entry of a report's domain: same account, Region and name. Two domains of one name in
 * two accounts are two entries; an entry or a report without an account (written before accounts were
 * swept, or a snapshot that does not say) matches by Region and name, after an exact match.
 */
function entryOf(baseline: Baseline, target: Report['target']): Baseline['entries'][number] | undefined {
  const sameName = baseline.entries.filter((e) => e.domain === target.domain && e.region === target.region);
  return (
    sameName.find((e) => e.accountId !== undefined && e.accountId === target.accountId) ??
    sameName.find((e) => e.accountId === undefined || target.accountId === undefined)
  );
}

/**
 * Marks each finding new or known against the baseline of the same domain, and lists the baseline's
 * findings that are gone. A domain the baseline does not have is all new.
 */
export function applyBaseline(report: Report, baseline: Baseline): Report {
  const entry = entryOf(baseline, report.target);
  const known = new Map((entry?.findings ?? []).map((f) => [f.uid, f]));
  const current = new Set(report.findings.map((f) => f.uid));
  const decided = new Set(report.checks.filter((c) => DECIDED.has(c.status)).map((c) => c.check));
  const fixed = [...known.values()].filter((f) => !current.has(f.uid) && decided.has(f.check)).sort(byReportOrder);
  const findings = report.findings.map((f) => ({ ...f, new: !known.has(f.uid) }));
  return {
    ...report,
    findings,
    summary: { ...report.summary, new: findings.filter((f) => f.new).length, fixed: fixed.length },
    baseline: { file: baseline.file, fixed },
  };
}
