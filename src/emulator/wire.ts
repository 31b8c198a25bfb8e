// Helpers shared by the protocol codecs and the service handlers.
import { ApiError } from './errors.js';
import type { Params } from './types.js';

/** decodeURIComponent that keeps a malformed escape as it came instead of throwing. */
export function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function optionalString(params: Params, key: string): string | undefined {
  const value = params[key];
  return typeof value === 'string' ? value : undefined;
}

/** A required string parameter; `code` is the service's validation error. */
export function requiredString(params: Params, key: string, code: string): string {
  const value = optionalString(params, key);
  if (value === undefined || value === '') {
    throw new ApiError(code, `1 validation error detected: Value at '${key}' failed to satisfy constraint: Member must not be null`);
  }
  return value;
}

/** Numbers arrive as JSON numbers (awsJson) or as strings (awsQuery, REST query strings). */
export function optionalInt(params: Params, key: string): number | undefined {
  const value = params[key];
  const parsed = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isInteger(parsed) && parsed > 0 ? parsed : undefined;
}

export interface Page<T> {
  items: T[];
  /** The token for the next page; absent on the last page. */
  next?: string;
}

/**
 * One page of `items`. Tokens are opaque to clients; here they encode the operation, what it lists
 * and the offset, so that a token is accepted only by the call that issued it, as AWS does.
 * The server's page size caps what the client asks for, so small page sizes force pagination.
 */
export function paginate<T>(
  items: T[],
  token: string | undefined,
  requested: number | undefined,
  pageSize: number,
  issuer: { operation: string; of: string; invalidTokenCode: string },
): Page<T> {
  const scope = `${issuer.operation} ${issuer.of}`;
  let start = 0;
  if (token !== undefined) {
    const text = Buffer.from(token, 'base64url').toString();
    const offset = text.startsWith(`${scope} `) ? /^\d+$/.exec(text.slice(scope.length + 1))?.[0] : undefined;
    if (offset === undefined) throw new ApiError(issuer.invalidTokenCode, 'Invalid pagination token');
    start = Number(offset);
  }
  const end = start + Math.min(requested ?? pageSize, pageSize);
  const page: Page<T> = { items: items.slice(start, end) };
  if (end < items.length) page.next = Buffer.from(`${scope} ${end}`).toString('base64url');
  return page;
}
