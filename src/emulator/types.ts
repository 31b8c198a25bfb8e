import type { Snapshot } from '../snapshot/types.js';
import type { ApiError } from './errors.js';
import type { Account } from './account.js';

export type FaultKind = 'latency' | 'throttle' | 'deny' | 'not-found' | 'server-error' | 'malformed' | 'hang';

export interface FaultRule {
  /** 'opensearch' | 'cognito-idp' | 'cognito-identity' | 'iam' | 'sts' | 'wafv2' | 'es-rest'; absent = all */
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
  snapshots: Snapshot[];
  port?: number;
  faults?: FaultRule[];
  /** service → requests per second; the excess is answered with that service's throttling error */
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

export type ServiceName = 'opensearch' | 'cognito-idp' | 'cognito-identity' | 'iam' | 'sts' | 'wafv2' | 'es-rest';

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
  account: Account;
  pageSize: number;
}

export type Handler = (call: Call, context: ServiceContext) => unknown;
