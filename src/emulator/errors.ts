import { modeledStatus } from './shapes.js';
import type { Call, FaultKind, ServiceName } from './types.js';

/** An error answer, independent of protocol; each codec encodes it the way its service does. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** When absent, the status the service uses for this code (see statusFor). */
    readonly status?: number,
  ) {
    super(message);
  }
}

/**
 * The HTTP status each service answers an error code with: its model's, for the errors it models;
 * for AWS's common errors, the measured cases (aws-wire-notes.md §1d).
 */
export function statusFor(service: string, code: string): number {
  const modeled = modeledStatus(service, code);
  if (modeled !== undefined) return modeled;
  // These awsJson services answer client errors, access denied included, with 400.
  const cognito = service === 'cognito-idp' || service === 'cognito-identity' || service === 'wafv2';
  if (/^(Throttling|TooManyRequests)/.test(code)) return service === 'es-rest' ? 429 : 400;
  if (code === 'Unauthorized') return 401;
  if (/^(AccessDenied|Forbidden|InvalidClientTokenId)/.test(code)) return cognito ? 400 : 403;
  if (/NotFound|NoSuchEntity/.test(code)) {
    if (service === 'opensearch') return 409;
    return cognito ? 400 : 404;
  }
  if (code === 'ServiceUnavailable') return 503;
  if (/^(Internal|ServiceFailure|WAFInternalError)/.test(code)) return 500;
  if (code === 'RequestEntityTooLarge') return 413;
  return 400;
}

/**
 * Codes a collector records when the network, not the service, failed (Node's ECONNREFUSED,
 * the SDK's TimeoutError): those are replayed by resetting the connection.
 */
export function isNetworkCode(code: string): boolean {
  return /^E[A-Z]{3,}$/.test(code) || code === 'TimeoutError';
}

/** The service prefix of IAM actions: opensearch and the domain's own REST API both use `es`. */
export function iamPrefix(service: string): string {
  return service === 'opensearch' || service === 'es-rest' ? 'es' : service;
}

export function callerArn(accountId: string): string {
  return `arn:aws:iam::${accountId}:user/cogdoctor-emulator`;
}

type ErrorFault = Exclude<FaultKind, 'latency' | 'malformed' | 'hang'>;

/** Each service's real error codes for the injectable faults. */
const FAULT_CODES: Record<ServiceName, Record<ErrorFault, string>> = {
  opensearch: {
    throttle: 'ThrottlingException',
    deny: 'AccessDeniedException',
    'not-found': 'ResourceNotFoundException',
    'server-error': 'InternalException',
  },
  'cognito-idp': {
    throttle: 'TooManyRequestsException',
    deny: 'AccessDeniedException',
    'not-found': 'ResourceNotFoundException',
    'server-error': 'InternalErrorException',
  },
  'cognito-identity': {
    throttle: 'TooManyRequestsException',
    deny: 'AccessDeniedException',
    'not-found': 'ResourceNotFoundException',
    'server-error': 'InternalErrorException',
  },
  iam: { throttle: 'Throttling', deny: 'AccessDenied', 'not-found': 'NoSuchEntity', 'server-error': 'ServiceFailure' },
  // GetCallerIdentity has no "not found": an unknown access key is the nearest thing.
  sts: { throttle: 'Throttling', deny: 'AccessDenied', 'not-found': 'InvalidClientTokenId', 'server-error': 'InternalFailure' },
  wafv2: {
    throttle: 'ThrottlingException',
    deny: 'AccessDeniedException',
    'not-found': 'WAFNonexistentItemException',
    'server-error': 'WAFInternalErrorException',
  },
  'es-rest': { throttle: 'TooManyRequests', deny: 'AccessDenied', 'not-found': 'NotFound', 'server-error': 'InternalServerError' },
  organizations: {
    throttle: 'TooManyRequestsException',
    deny: 'AccessDeniedException',
    'not-found': 'AccountNotFoundException',
    'server-error': 'ServiceException',
  },
  account: {
    throttle: 'TooManyRequestsException',
    deny: 'AccessDeniedException',
    'not-found': 'ResourceNotFoundException',
    'server-error': 'InternalServerException',
  },
};

/** The code a service answers a caller its policies do not allow with. */
export function denyCode(service: ServiceName): string {
  return FAULT_CODES[service].deny;
}

export function faultError(kind: ErrorFault, call: Call, service: ServiceName, accountId: string): ApiError {
  let code = FAULT_CODES[service][kind];
  const resource = call.resources[0] ?? '*';
  switch (kind) {
    case 'throttle':
      return new ApiError(code, 'Rate exceeded');
    case 'deny':
      return new ApiError(
        code,
        `User: ${call.callerArn ?? callerArn(accountId)} is not authorized to perform: ${iamPrefix(service)}:${call.operation} on resource: ${resource}`,
      );
    case 'not-found':
      if (service === 'cognito-idp' && call.operation.startsWith('Admin')) code = 'UserNotFoundException';
      if (service === 'sts') return new ApiError(code, 'The security token included in the request is invalid.');
      return new ApiError(code, `Resource not found: ${resource}`);
    case 'server-error':
      return new ApiError(code, 'We encountered an internal error. Please try again.');
  }
}

export function throttleError(service: ServiceName): ApiError {
  return new ApiError(FAULT_CODES[service].throttle, 'Rate exceeded');
}
