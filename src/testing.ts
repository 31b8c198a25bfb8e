// The table-driven helper for check authors, in the spirit of ESLint's RuleTester: cases that must
// stay quiet (`valid`) and cases that must fire (`invalid`), each a snapshot. Framework-agnostic:
// `verifyCheck` returns what went wrong; `testCheck` registers one test per case with your
// framework's describe/it (vitest, jest, node:test).
import { runChecks } from './report/assemble.js';
import { CheckContext } from './context/check-context.js';
import type { Check, CheckStatus, Problem, Severity } from './engine/types.js';
import type { Snapshot } from './snapshot/types.js';

export interface ValidCase {
  name: string;
  snapshot: Snapshot;
  /** The status the check must end in; any status but fail and error by default. */
  status?: CheckStatus;
}

export interface InvalidCase {
  name: string;
  snapshot: Snapshot;
  /** Every failure id the check must report, and no other. */
  ids: string[];
  severity?: Severity;
}

export interface CheckCases {
  valid: ValidCase[];
  invalid: InvalidCase[];
}

/** A deep copy of a snapshot changed by `edit`. */
export function variant(snapshot: Snapshot, edit: (s: Snapshot) => void): Snapshot {
  const copy = structuredClone(snapshot);
  edit(copy);
  return copy;
}

/** What one check makes of one snapshot. */
export function runCheck(check: Check, snapshot: Snapshot) {
  const report = runChecks(snapshot, [check], { version: 'test', source: 'snapshot' });
  const result = report.checks[0]!;
  return { status: result.status, reason: result.reason, ids: report.findings.map((f) => f.id), findings: report.findings };
}

/**
 * The problems a check reports on a snapshot, as `{ mode, data }` before they are worded: tests
 * assert on the values, not on long sentences. A check that cannot decide throws its DataGap.
 */
export function problemsOf(check: Check, snapshot: Snapshot): Problem[] {
  return check.run(new CheckContext(snapshot)).filter((reported): reported is Problem => 'mode' in reported);
}

/** Why a case does not behave, or undefined when it does. */
export function caseProblem(check: Check, testCase: ValidCase | InvalidCase): string | undefined {
  const outcome = runCheck(check, testCase.snapshot);
  if (outcome.status === 'error') return `the check failed: ${outcome.reason}`;
  if ('ids' in testCase) {
    const got = [...new Set(outcome.ids)].sort();
    const want = [...new Set(testCase.ids)].sort();
    if (JSON.stringify(got) !== JSON.stringify(want))
      return `expected ${want.join(', ') || 'no finding'}, got ${got.join(', ') || 'no finding'} (${outcome.status}${outcome.reason ? `: ${outcome.reason}` : ''})`;
    const wrong = testCase.severity && outcome.findings.find((f) => f.severity !== testCase.severity);
    if (wrong) return `expected severity ${testCase.severity}, got ${wrong.severity} for ${wrong.id}`;
    return undefined;
  }
  if (outcome.ids.length > 0) return `expected no finding, got ${outcome.ids.join(', ')}`;
  if (testCase.status && outcome.status !== testCase.status)
    return `expected status ${testCase.status}, got ${outcome.status}${outcome.reason ? `: ${outcome.reason}` : ''}`;
  return undefined;
}

/** Every case that does not behave, with why. */
export function verifyCheck(check: Check, cases: CheckCases): Array<{ name: string; problem: string }> {
  return [...cases.valid, ...cases.invalid].flatMap((testCase) => {
    const problem = caseProblem(check, testCase);
    return problem ? [{ name: testCase.name, problem }] : [];
  });
}

type Describe = (name: string, body: () => void) => unknown;
type It = (name: string, body: () => void) => unknown;

/** One test per case, registered with the framework's describe and it. */
export function testCheck(check: Check, cases: CheckCases, framework: { describe: Describe; it: It }): void {
  framework.describe(check.id, () => {
    for (const testCase of cases.valid) {
      framework.it(`stays quiet: ${testCase.name}`, () => {
        const problem = caseProblem(check, testCase);
        if (problem) throw new Error(problem);
      });
    }
    for (const testCase of cases.invalid) {
      framework.it(`fires: ${testCase.name}`, () => {
        const problem = caseProblem(check, testCase);
        if (problem) throw new Error(problem);
      });
    }
  });
}
