import { CheckContext, DataGap } from './context.js';
import type { Check, CheckMeta, CheckResult, Finding, FindingInput, Gap, MessagesOf, Problem, Report, ReportTarget, Severity, Snapshot, Summary } from './types.js';
import { cognitoEnabled, dashboardsUrl, engineOf, accountIdOf } from '../model/domain.js';
import { clientNameRegions, findDomainClient, identityPoolClientIdsOf, isServiceClientAtDeploy } from '../model/client.js';
import { findingUid } from './uid.js';
import { compareText } from '../model/order.js';

export interface RunOptions {
  version: string;
  source: ReportTarget['source'];
  file?: string;
  /** Check ids or failure-mode ids to run (all when empty). */
  only?: string[];
  /** Check ids or failure-mode ids to leave out. */
  skip?: string[];
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
  if (!(severity in SEVERITY_ORDER)) throw new Error(`check ${check.id} reported ${input.id} with severity ${JSON.stringify(severity)}, not error, warning or info`);
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

function runOne(check: Check, snapshot: Snapshot, onlyModes: string[]): { result: CheckResult; findings: Finding[] } {
  if (check.scope !== 'domain' && !cognitoEnabled(snapshot.domain)) {
    return { result: { check: check.id, status: 'not-applicable', reason: 'Cognito authentication is off on the domain' }, findings: [] };
  }
  const ctx = new CheckContext(snapshot);
  return settleCheck(check, ctx, () => check.run(ctx), onlyModes);
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
      return { result: { check: check.id, status: error.gap.kind, reason: error.gap.reason, ...(error.gap.permission ? { permission: error.gap.permission } : {}) }, findings: [] };
    }
    return { result: { check: check.id, status: 'error', reason: `the check failed: ${describeThrown(error)}` }, findings: [] };
  }
  if (onlyModes.length > 0) findings = findings.filter((f) => onlyModes.includes(f.id));
  if (findings.length > 0) {
    const gap = decisiveGap(ctx.gaps);
    return { result: { check: check.id, status: 'fail', ...(gap ? { reason: `also: ${gap.reason}` } : {}) }, findings };
  }
  const gap = decisiveGap(ctx.gaps.filter((g) => g.kind !== 'not-applicable')) ;
  if (gap) return { result: { check: check.id, status: gap.kind, reason: gap.reason, ...(gap.permission ? { permission: gap.permission } : {}) }, findings: [] };
  return { result: { check: check.id, status: 'pass' }, findings: [] };
}

export function targetOf(snapshot: Snapshot, options: Pick<RunOptions, 'source' | 'file'>): ReportTarget {
  const domain = snapshot.domain;
  const cognito = cognitoEnabled(domain) ? domain.CognitoOptions : undefined;
  const client = snapshot.userPoolClients
    ? findDomainClient(domain, snapshot.userPoolClients, { regions: clientNameRegions(snapshot), identityPoolClientIds: identityPoolClientIdsOf(snapshot) })?.client
    : undefined;
  const target: ReportTarget = {
    domain: domain.DomainName,
    region: snapshot.region,
    accountId: accountIdOf(snapshot),
    source: options.source,
    engine: engineOf(domain),
  };
  if (options.file) target.file = options.file;
  const url = dashboardsUrl(domain);
  if (url) target.dashboardsUrl = url;
  if (cognito?.UserPoolId) target.userPoolId = cognito.UserPoolId;
  if (cognito?.IdentityPoolId) target.identityPoolId = cognito.IdentityPoolId;
  if (client?.ClientId) {
    target.appClient = { id: client.ClientId, ...(client.ClientName ? { name: client.ClientName } : {}), ...(isServiceClientAtDeploy(snapshot, client) ? { createdAtDeploy: true } : {}) };
  }
  const authenticated = snapshot.identityPoolRoles?.Roles?.['authenticated'];
  if (cognito && authenticated) target.authenticatedRole = authenticated;
  return target;
}

/** Runs every selected check on one snapshot and assembles the report, in a stable order. */
export function runChecks(snapshot: Snapshot, checks: Check[], options: RunOptions): Report {
  const only = options.only ?? [];
  const skip = options.skip ?? [];
  const onlyModes = only.filter((id) => checks.some((c) => c.modes.some((m) => m.id === id)));
  const selected = checks
    .filter((c) => (only.length === 0 || selects(c, only)) && !skip.includes(c.id))
    .sort((a, b) => compareText(a.id, b.id));
  const outcomes = selected.map((check) => runOne(check, snapshot, onlyModes));
  return assembleReport(outcomes, targetOf(snapshot, options), options.version, skip);
}

/**
 * The report of settled checks, in a stable order: the one assembly of `check`, `diff` and
 * `client` reports. Findings whose failure id is in `skip` are left out.
 */
export function assembleReport(outcomes: Array<{ result: CheckResult; findings: Finding[] }>, target: ReportTarget, version: string, skip: string[] = []): Report {
  const results: CheckResult[] = [];
  const findings: Finding[] = [];
  for (const outcome of outcomes) {
    results.push(outcome.result);
    // One by one: spreading a very long list into push() overflows the stack.
    for (const finding of outcome.findings) if (!skip.includes(finding.id)) findings.push(finding);
  }
  sortFindings(findings);
  return {
    schema: 'cogdoctor/report/v1',
    tool: { name: 'cogdoctor', version },
    target,
    summary: summarize(findings, results),
    findings,
    checks: results,
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
