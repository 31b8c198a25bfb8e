import type { GroupType, ReadError } from '../snapshot/types.js';

/** The claims of a user pool ID token, as the identity pool reads them. */
export type Claims = Record<string, unknown>;

export type StepStatus = 'pass' | 'fail' | 'unknown' | 'skipped';

/** Something worth knowing about a step that does not decide it; `id` names a related failure mode. */
export interface TraceNote {
  text: string;
  id?: string;
}

export interface TraceFailure {
  /** The failure id from the catalog. */
  id: string;
  /** What is wrong, with the real values. */
  message: string;
  /** The exact text the user sees in the browser. */
  userSees: string;
}

export interface TraceStep {
  number: number;
  name: string;
  status: StepStatus;
  /** One line: what passed, what failed, or why the step could not be decided or was skipped. */
  summary: string;
  evidence: Record<string, unknown>;
  notes: TraceNote[];
  failure?: TraceFailure;
}

export interface TraceOutcome {
  result: 'success' | 'failure' | 'unknown';
  /** The last line of the text output. */
  line: string;
  step?: number;
  id?: string;
  userSees?: string;
  role?: string;
  /** FGAC security roles; absent when FGAC is off. */
  securityRoles?: string[];
}

/** Whether a token's signature was checked, and why (not). */
export interface TokenVerification {
  state: 'verified' | 'decoded';
  reason: string;
}

export interface TokenInfo {
  /** `eyJ…<last 6 characters>`: enough to tell tokens apart, never the token. */
  fingerprint: string;
  verification: TokenVerification;
  header: { alg?: string; kid?: string };
}

/** What AdminGetUser returned, with timestamps as ISO strings. */
export interface UserRecord {
  Username?: string;
  UserStatus?: string;
  Enabled?: boolean;
  UserCreateDate?: string;
  UserLastModifiedDate?: string;
  UserAttributes?: Array<{ Name?: string; Value?: string }>;
}

/** The live reads behind `trace --user`: each either a value or the failure the snapshot would record. */
export interface UserRead {
  username: string;
  userPoolId: string;
  user?: UserRecord;
  userError?: ReadError;
  groups?: GroupType[];
  groupsError?: ReadError;
}

export type IdentitySource = 'token' | 'claims' | 'user' | 'groups';

/** The one user a trace follows, as the identity pool will see them. */
export interface TraceIdentity {
  source: IdentitySource;
  /** In words: `token eyJ…a1b2c3`, `claims from alice.json`, `user alice`, `what-if groups a, b`. */
  label: string;
  claims: Claims;
  /** Claims cogdoctor filled in, as Cognito would have, and from what. */
  derived: string[];
  /** Claims that could not be known (a failed read), keyed by what they cover: `groups`, `attributes`. */
  unknown: { groups?: string; attributes?: string };
  token?: TokenInfo;
  user?: UserRead;
}

export interface TraceResult {
  schema: 'cogdoctor/trace/v1';
  tool: { name: 'cogdoctor'; version: string };
  target: {
    domain: string;
    region: string;
    accountId?: string;
    source: 'live' | 'snapshot';
    file?: string;
    /** The Dashboards URL the trace opens, and the redirect_uri Dashboards sends for it. */
    url?: string;
    redirectUri?: string;
  };
  identity: {
    source: IdentitySource;
    label: string;
    token?: TokenInfo;
    claims: Claims;
    derived: string[];
  };
  steps: TraceStep[];
  outcome: TraceOutcome;
}
