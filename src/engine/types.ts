import type { Snapshot } from '../snapshot/types.js';
import type { CheckContext } from '../context/check-context.js';

export type Severity = 'error' | 'warning' | 'info';

/** The parts of a snapshot a check reads; listed in `cogdoctor checks` and the docs. */
export type SnapshotPart =
  | 'domain'
  | 'userPool'
  | 'userPoolClients'
  | 'userPoolGroups'
  | 'identityPool'
  | 'identityPoolRoles'
  | 'roles'
  | 'rolePolicies'
  | 'securityPlugin'
  | 'userPoolDomain'
  | 'identityProviders'
  | 'managedLoginBranding'
  | 'principalTagAttributeMaps'
  | 'userPoolWebAcl';

/** One entry of the failure-mode catalog, declared by the check that detects it. */
export interface FailureMode {
  id: string;
  severity: Severity;
  title: string;
  /** The exact text the user sees in the browser, the console or an error. */
  symptom: string;
  cause: string;
  /** The fix in one sentence; findings carry the commands with real ids. */
  fix: string;
  docs: string[];
  /** Rests on a reasoned, not documented, fact: severity stays at warning or below. */
  inferred?: boolean;
}

export interface Fix {
  summary: string;
  /** Console steps. */
  steps?: string[];
  /** Commands with the real ids, safe to paste (every value shell-quoted). */
  commands?: string[];
  /** Where the change belongs in infrastructure as code, when it matters. */
  iac?: string;
}

/** What a check returns for each problem it finds. */
export interface FindingInput {
  id: string;
  /** Overrides the failure mode's severity (e.g. only some users affected). */
  severity?: Severity;
  /** One sentence naming the problem with the real values. */
  message: string;
  resource: string;
  evidence: Record<string, unknown>;
  fix: Fix;
}

export interface Finding {
  id: string;
  /** Stable identity across runs (failure id, resource and message, hashed): baselines and tickets match on it. */
  uid: string;
  check: string;
  severity: Severity;
  title: string;
  symptom: string;
  message: string;
  resource: string;
  evidence: Record<string, unknown>;
  fix: Fix;
  docs: string[];
  /** Set by the gate (src/gate) when a mute in the config matched: kept in the report, never fails the run. */
  muted?: boolean;
  muteReason?: string;
  /** The last day the matching mute applies (YYYY-MM-DD). */
  muteExpires?: string;
  /** The matching mute expired: the finding counts again. */
  muteExpired?: boolean;
  /** With --baseline (or in a diff): true when the baseline does not have this finding. */
  new?: boolean;
  /** With --cfn: where in the template the resource is defined. */
  location?: { file: string; line?: number; logicalId?: string };
}

/** A baseline finding that the current run no longer has, its check having decided. */
export type FixedFinding = Pick<Finding, 'uid' | 'id' | 'check' | 'severity' | 'title' | 'message' | 'resource'>;

export type { Gap, GapKind } from '../snapshot/gaps.js';

export type CheckStatus = 'pass' | 'fail' | 'unknown' | 'not-evaluated' | 'not-applicable' | 'error';

export interface CheckMeta {
  /** Stable check id, also its file name in checks/. */
  id: string;
  title: string;
  description: string;
  modes: FailureMode[];
  reads: SnapshotPart[];
  /** 'cognito' (default): not applicable when Cognito is off on the domain. */
  scope?: 'cognito' | 'domain';
  /** Where the check came from: 'builtin' or a plugin file. */
  source?: string;
}

/**
 * How the findings of one failure mode read: the message and the fix, built from a problem's data
 * (as ESLint rules keep their messages in `meta.messages`), so detection stays apart from wording
 * and tests assert on the data.
 */
export interface ModeMessages<Data> {
  /** One sentence naming the problem with the real values. */
  message(data: Data): string;
  fix(data: Data): Fix;
}

/** What a check reports for each problem it finds: the failure mode by id and the values that describe it. */
export interface Problem<Mode extends string = string, Data = unknown> {
  mode: Mode;
  resource: string;
  data: Data;
  /** The finding's evidence (AWS field names and values); the data itself when absent. */
  evidence?: Record<string, unknown>;
  /** Overrides the failure mode's severity (e.g. only some users affected). */
  severity?: Severity;
}

// biome-ignore lint/suspicious/noExplicitAny: each mode has its own data type; ProblemOf recovers it.
export type MessagesOf = Record<string, ModeMessages<any>>;

/** The problems a check with these messages may report: each mode with the data its messages take. */
export type ProblemOf<M extends MessagesOf> = {
  [Mode in keyof M & string]: Problem<Mode, Parameters<M[Mode]['message']>[0]>;
}[keyof M & string];

export interface Check extends CheckMeta {
  /** The wording of each failure mode this check reports as a Problem. */
  messages?: MessagesOf;
  /** Problems (built-in checks), or finished findings (plugins written before messages existed). */
  run(ctx: CheckContext): Array<Problem | FindingInput>;
}

export interface CheckResult {
  check: string;
  status: CheckStatus;
  reason?: string;
  permission?: string;
}

export interface ReportTarget {
  /** The OpenSearch Service domain; absent in a `cogdoctor client` report, which names `userPoolClient` instead. */
  domain?: string;
  region: string;
  accountId?: string;
  source: 'live' | 'snapshot' | 'cfn' | 'terraform';
  file?: string;
  engine?: string;
  dashboardsUrl?: string;
  userPoolId?: string;
  identityPoolId?: string;
  /** `createdAtDeploy`: before deploy, the client OpenSearch Service will create (its id is generated here). */
  appClient?: { id: string; name?: string; createdAtDeploy?: boolean };
  authenticatedRole?: string;
  /** `cogdoctor client`: the app client a relying party (gateway, load balancer, app) uses, and the OIDC endpoints it talks to. */
  userPoolClient?: UserPoolClientTarget;
}

export interface UserPoolClientTarget {
  userPoolId: string;
  clientId: string;
  name?: string;
  /** `https://cognito-idp.<region>.amazonaws.com/<pool id>`: the tokens' `iss`. */
  issuer: string;
  /** `<issuer>/.well-known/openid-configuration`. */
  discoveryUrl: string;
  /** The hosted UI base of the authorize, token and logout endpoints (prefix or custom domain), when the pool has one. */
  hostedUiUrl?: string;
}

export interface Summary {
  error: number;
  warning: number;
  info: number;
  passed: number;
  unknown: number;
  notEvaluated: number;
  notApplicable: number;
  errored: number;
  /** With mutes in the config: findings muted. */
  muted?: number;
  /** With --baseline: findings not in the baseline, and baseline findings gone. */
  new?: number;
  fixed?: number;
}

export interface Report {
  schema: 'cogdoctor/report/v1';
  tool: { name: 'cogdoctor'; version: string };
  target: ReportTarget;
  summary: Summary;
  findings: Finding[];
  checks: CheckResult[];
  /** With --baseline: the file compared against and the findings fixed since. */
  baseline?: { file: string; fixed: FixedFinding[] };
}

export type { Snapshot };
