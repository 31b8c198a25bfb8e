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
 * One page of `items`. Tokens are opaque to clients; here they encode the offset.
 * The server's page size caps what the client asks for, so small page sizes force pagination.
 */
export function paginate<T>(items: T[], token: string | undefined, requested: number | undefined, pageSize: number, invalidTokenCode: string): Page<T> {
  let start = 0;
  if (token !== undefined) {
    const decoded = /^offset-(\d+)$/.exec(Buffer.from(token, 'base64url').toString());
    if (!decoded?.[1]) throw new ApiError(invalidTokenCode, 'Invalid pagination token');
    start = Number(decoded[1]);
  }
  const end = start + Math.min(requested ?? pageSize, pageSize);
  const page: Page<T> = { items: items.slice(start, end) };
  if (end < items.length) page.next = Buffer.from(`offset-${end}`).toString('base64url');
  return page;
}

/** Members that are timestamps in the shapes the emulator serves. */
const TIMESTAMP_KEYS = new Set([
  'CreationDate',
  'LastModifiedDate',
  'UserCreateDate',
  'UserLastModifiedDate',
  'StartTime',
  'LastUpdatedTime',
  'AutomatedUpdateDate',
  'CreateDate',
  'UpdateDate',
  'LastUsedDate',
]);

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T/;

/**
 * JSON for the awsJson and restJson protocols. Snapshots hold timestamps as ISO strings (or Dates),
 * but these protocols send epoch seconds, and the SDK rejects anything else.
 */
export function toJsonBody(value: unknown): string {
  return JSON.stringify(value, (key, member: unknown) =>
    TIMESTAMP_KEYS.has(key) && typeof member === 'string' && ISO_DATE.test(member) ? Date.parse(member) / 1000 : member,
  );
}

/** An XML timestamp (awsQuery sends ISO 8601); numbers are taken as epoch seconds. */
export function xmlTimestamp(key: string, value: unknown): string | undefined {
  if (!TIMESTAMP_KEYS.has(key)) return undefined;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number') return new Date(value * 1000).toISOString();
  return undefined;
}
