// The login path as the HTML report and the Mermaid diagram draw it: the steps of a Dashboards
// login in order, each with its status, the resources it involves and the findings that break it.
// A report's steps are the check areas of areas.ts (one verdict logic for every format); a trace's
// are its own steps.
import type { CheckResult, Finding, ReportTarget, Severity } from '../engine/types.js';
import type { StepStatus as TraceStepStatus, TraceResult } from '../trace/types.js';
import { AREAS, areaVerdict, countingFindings, type Verdict, worstSeverityByCheck } from './areas.js';

/** `warn`: its checks gave warnings only: the login goes on there, some users (or security) are at risk. */
export type PathStatus = 'pass' | 'warn' | 'fail' | 'unknown' | 'not-evaluated';

/** A resource named at a step: what it is (`user pool`) and its id, name or ARN. */
export interface PathResource {
  kind: string;
  value: string;
}

/** A finding that breaks a step; `uid` is the anchor of its article (`#finding-<uid>`). */
export interface PathFinding {
  uid: string;
  id: string;
  severity: Severity;
}

export interface PathStep {
  /** `hosted-ui`, `token-exchange`, `role-selection`, `trust`, `access-policy`, `fgac`; a trace adds `user-account`. */
  id: string;
  name: string;
  status: PathStatus;
  resources: PathResource[];
  findings: PathFinding[];
  /** A trace step's one-line account of what passed or failed. */
  summary?: string;
}

export interface LoginPath {
  steps: PathStep[];
}

/** Each status in words: the diagram never tells a status by colour alone. */
export const STATUS_WORDS: Record<PathStatus, string> = {
  pass: 'passed',
  warn: 'with warnings',
  fail: 'failed',
  unknown: 'unknown',
  'not-evaluated': 'not evaluated',
};

/** Each status as a mark beside the step's name (the words say it too). */
export const STATUS_MARKS: Record<PathStatus, string> = { pass: '✓', warn: '!', fail: '✗', unknown: '?', 'not-evaluated': '–' };

const VERDICT_STATUS: Record<Verdict, PathStatus> = { issues: 'fail', warnings: 'warn', unknown: 'unknown', ok: 'pass', 'not checked': 'not-evaluated' };

/** `hosted UI` → `hosted-ui`, `FGAC` → `fgac`. */
const stepIdOf = (areaName: string) => areaName.toLowerCase().replace(/\s+/g, '-');

const STEP_NAMES: Record<string, string> = {
  'hosted-ui': 'Hosted UI',
  'user-account': 'User account',
  'token-exchange': 'Token exchange',
  'role-selection': 'Role selection',
  trust: 'Trust (STS)',
  'access-policy': 'Access policy',
  fgac: 'Fine-grained access control',
};

/** The resources each step involves, from what the report names of its target. */
function resourcesOf(stepId: string, t: ReportTarget): PathResource[] {
  const userPool = t.userPoolId ? [{ kind: 'user pool', value: t.userPoolId }] : [];
  const appClient = t.appClient ? [{ kind: 'app client', value: t.appClient.name ? `${t.appClient.id} (${t.appClient.name})` : t.appClient.id }] : [];
  const identityPool = t.identityPoolId ? [{ kind: 'identity pool', value: t.identityPoolId }] : [];
  const role = t.authenticatedRole ? [{ kind: 'authenticated role', value: t.authenticatedRole }] : [];
  const domain = t.domain ?? '';
  switch (stepId) {
    case 'hosted-ui':
      return [{ kind: 'domain', value: domain }, ...(t.dashboardsUrl ? [{ kind: 'Dashboards URL', value: t.dashboardsUrl }] : []), ...userPool, ...appClient];
    case 'token-exchange':
      return [...userPool, ...appClient, ...identityPool];
    case 'role-selection':
      return [...identityPool, ...role];
    case 'trust':
      return role;
    case 'access-policy':
      return [{ kind: 'access policy of domain', value: domain }];
    default:
      return [{ kind: 'FGAC role mappings of domain', value: domain }];
  }
}

/**
 * The path of a set of check results: each area's verdict, with the findings given (those that
 * count) under the area of their check, and the resources they name beside the target's.
 */
export function loginPathOfChecks(checks: CheckResult[], findings: Finding[], target: ReportTarget): LoginPath {
  const worst = worstSeverityByCheck(findings);
  const status = new Map(checks.map((c) => [c.check, c.status]));
  return {
    steps: AREAS.map((area) => {
      const id = stepIdOf(area.name);
      const own = findings.filter((f) => area.checks.includes(f.check));
      const resources = resourcesOf(id, target);
      // A finding's resource is often the ARN of one already named (…/userpool/<id>): named once.
      for (const resource of new Set(own.map((f) => f.resource))) {
        if (!resources.some((r) => resource === r.value || resource.endsWith(`/${r.value}`))) resources.push({ kind: 'with a finding', value: resource });
      }
      return {
        id,
        name: STEP_NAMES[id] ?? area.name,
        status: VERDICT_STATUS[areaVerdict(area.checks, worst, status)],
        resources,
        findings: own.map((f) => ({ uid: f.uid, id: f.id, severity: f.severity })),
      };
    }),
  };
}

/** A report's path; none for a report of no login (`cogdoctor client` reads an app client, not a domain). */
export function loginPathOf(report: { checks: CheckResult[]; findings: Finding[]; target: ReportTarget }): LoginPath | undefined {
  if (report.target.userPoolClient) return undefined;
  return loginPathOfChecks(report.checks, countingFindings(report), report.target);
}

// The trace's steps in order (STEP_NAMES of src/trace/steps/step.ts): its STS step is the trust step.
const TRACE_STEP_IDS = ['hosted-ui', 'user-account', 'token-exchange', 'role-selection', 'trust', 'access-policy', 'fgac'];
const TRACE_STATUS: Record<TraceStepStatus, PathStatus> = { pass: 'pass', fail: 'fail', unknown: 'unknown', skipped: 'not-evaluated' };

/** The anchor of a trace step's failure: a trace has no finding uids, one failure per step at most. */
export const traceFailureUid = (stepNumber: number) => `step-${stepNumber}`;

// The evidence fields of a trace step that name a resource, and what each is.
const TRACE_RESOURCE_FIELDS: Record<string, string> = {
  userPoolId: 'user pool',
  hostedUi: 'hosted UI',
  identityPoolId: 'identity pool',
  role: 'role',
  backendRole: 'backend role',
  securityRoles: 'security role',
};

/** A trace's path: its own seven steps (with `user-account`), a failed step linked to its failure. */
export function loginPathOfTrace(trace: TraceResult): LoginPath {
  const t = trace.target;
  const named: Record<string, PathResource[]> = {
    'hosted-ui': [
      { kind: 'domain', value: t.domain },
      ...(t.url ? [{ kind: 'Dashboards URL', value: t.url }] : []),
      ...(t.redirectUri ? [{ kind: 'redirect_uri', value: t.redirectUri }] : []),
    ],
    'user-account': [{ kind: 'identity', value: trace.identity.label }],
    'access-policy': [{ kind: 'access policy of domain', value: t.domain }],
  };
  return {
    steps: trace.steps.map((step) => {
      const id = TRACE_STEP_IDS[step.number - 1] ?? `step-${step.number}`;
      const fromEvidence = Object.entries(TRACE_RESOURCE_FIELDS).flatMap(([field, kind]) => {
        const value = step.evidence[field];
        const values = Array.isArray(value) ? value : [value];
        return values.filter((v): v is string => typeof v === 'string').map((v) => ({ kind, value: v }));
      });
      return {
        id,
        name: step.name,
        status: TRACE_STATUS[step.status],
        resources: [...(named[id] ?? []), ...fromEvidence],
        findings: step.failure ? [{ uid: traceFailureUid(step.number), id: step.failure.id, severity: 'error' as const }] : [],
        summary: step.summary,
      };
    }),
  };
}
