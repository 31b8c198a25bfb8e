import type { Account as OrganizationAccount } from '@aws-sdk/client-organizations';
import type { Role, Snapshot } from '../snapshot/types.js';
import type { ApiError } from './errors.js';
import type { Account } from './account.js';
import type { Caller, Directory } from './directory.js';

/** An account's opt-in status for one Region, in account:ListRegions' Region shape. */
export interface RegionOptStatus {
  RegionName: string;
  /** ENABLED | ENABLING | DISABLING | DISABLED | ENABLED_BY_DEFAULT */
  RegionOptStatus: string;
}

/** An AWS Organization for the emulator to serve (file format `cogdoctor/organization/v1`, schema/organization.schema.json). */
export interface Organization {
  schema: 'cogdoctor/organization/v1';
  /** The account the caller's own credentials belong to: it answers organizations:ListAccounts. */
  managementAccountId: string;
  /** organizations:ListAccounts, in the API's Account shape (Id, Arn, Email, Name, Status, State, JoinedMethod, JoinedTimestamp). */
  accounts: OrganizationAccount[];
  /** Roles sts:AssumeRole can assume, in IAM's Role shape (Arn, RoleName, Path, AssumeRolePolicyDocument URL-encoded as GetRole returns it). */
  roles?: OrganizationRole[];
  /** account:ListRegions per account id. */
  regions?: Record<string, RegionOptStatus[]>;
}

/**
 * A role of the organization file. `RolePolicyList` is its inline policies as IAM's
 * GetAccountAuthorizationDetails gives them (RoleDetail): when present, every call of a session of
 * the role must be allowed by them; without it the role's permissions are not known and not enforced.
 */
export type OrganizationRole = Role & { RolePolicyList?: Array<{ PolicyName?: string; PolicyDocument?: string }> };

export type FaultKind = 'latency' | 'throttle' | 'deny' | 'not-found' | 'server-error' | 'malformed' | 'hang';

export interface FaultRule {
  /** 'opensearch' | 'cognito-idp' | 'cognito-identity' | 'iam' | 'sts' | 'wafv2' | 'es-rest' | 'organizations' | 'account'; absent = all */
  service?: string;
  /** e.g. 'GetRole'; '*' or absent = all */
  operation?: string;
  /** substring of the request's resource id, name or ARN */
  resource?: string;
  kind: FaultKind;
  /** only the first N matching requests; absent = every one */
  times?: number;
  /** count `times` for each distinct call (operation and resource) instead of across all: "the first two attempts of every call" */
  perCall?: boolean;
  /** latency in milliseconds (default 1000) */
  ms?: number;
}

export interface EmulatorOptions {
  /** Snapshots of one account, or of the organization's accounts (each carries its accountId). */
  snapshots: Snapshot[];
  /** Serves several accounts: ListAccounts, AssumeRole into their roles, ListRegions. */
  organization?: Organization;
  port?: number;
  faults?: FaultRule[];
  /**
   * service → requests per second, counted apart for each account and Region (AWS quotas are per
   * account and Region); the excess is answered with that service's throttling error
   */
  rateLimits?: Record<string, number>;
  /** page size for paginated list operations, default 60 */
  pageSize?: number;
}

export interface ServedRequest {
  service: string;
  operation: string;
  /** HTTP status sent; 0 while unanswered (hang) or when the connection was reset */
  status: number;
  mutating: boolean;
  resource?: string;
  /** every id the request names (pool, client, role, policy…): what makes two reads the same read */
  ids?: string[];
  /** The account the request's credentials belong to (the one it is answered from). */
  accountId: string;
  /** The Region the request is signed for; absent when it is unsigned. */
  region?: string;
  at: number;
}

export interface Emulator {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  log: ServedRequest[];
  setFaults(rules: FaultRule[]): void;
  close(): Promise<void>;
}

export type ServiceName = 'opensearch' | 'cognito-idp' | 'cognito-identity' | 'iam' | 'sts' | 'wafv2' | 'es-rest' | 'organizations' | 'account';

/** How a request is encoded, which decides how its answer and its errors are encoded. */
export type Protocol = 'json' | 'query' | 'rest-json' | 'es-rest';

export type Params = Record<string, unknown>;

/** One classified request. */
export interface Call {
  protocol: Protocol;
  service: ServiceName | 'unknown';
  operation: string;
  params: Params;
  mutating: boolean;
  /** ids, names and ARNs the request addresses, most specific ARN first */
  resources: string[];
  /** The SigV4 credential scope and signed headers, if the request is signed. */
  scope?: SigningScope;
  /** The ARN of the caller its credentials stand for, once they are known: what access denials name. */
  callerArn?: string;
  /** Set when the request itself is unusable (bad JSON, too large): answered with this error. */
  rejection?: ApiError;
}

/** `Credential=AKID/20261122/eu-west-1/iam/aws4_request, SignedHeaders=host;x-amz-date, ...` */
export interface SigningScope {
  accessKeyId: string;
  date: string;
  /** The Region the request is signed for: the Region whose endpoint it addresses. */
  region: string;
  service: string;
  signedHeaders: string[];
}

export interface HttpReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface Codec {
  result(call: Call, data: unknown): HttpReply;
  error(call: Call, error: ApiError): HttpReply;
}

export interface ServiceContext {
  /** The account the caller's credentials belong to. */
  account: Account;
  caller: Caller;
  directory: Directory;
  pageSize: number;
}

export type Handler = (call: Call, context: ServiceContext) => unknown;
