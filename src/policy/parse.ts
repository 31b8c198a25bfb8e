import { isRecord } from '../util/records.js';

export interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: unknown;
  NotPrincipal?: unknown;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

/** A validated policy; `Statement` is always an array, other fields are kept as written. */
export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement: Statement[];
}

export class PolicyParseError extends Error {
  /** Where in the document the problem is, e.g. "Statement[2].Effect"; "" for the document itself. */
  readonly path: string;

  constructor(path: string, problem: string) {
    super(path === '' ? problem : `${path}: ${problem}`);
    this.name = 'PolicyParseError';
    this.path = path;
  }
}

const MAX_NESTING = 64;
// Real policies are at most a few thousand values; the cap keeps hostile object graphs cheap to reject.
const MAX_VALUES = 100_000;

const DOCUMENT_KEYS = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);
const PRINCIPAL_TYPES = new Set(['AWS', 'Federated', 'Service', 'CanonicalUser']);
const VERSIONS = new Set(['2012-10-17', '2008-10-17']);

/**
 * Accepts an object, a JSON string, or the URL-encoded JSON string IAM's GetRole returns.
 * Throws only PolicyParseError.
 */
export function parsePolicy(input: unknown): PolicyDocument {
  const raw = typeof input === 'string' ? parseJsonText(input) : input;
  checkNesting(raw);
  return readDocument(raw);
}

function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // GetRole returns the trust policy URL-encoded; plain JSON is tried first because decoding could alter it.
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(text);
  } catch {
    throw new PolicyParseError('', 'not valid JSON (nor URL-encoded JSON)');
  }
  try {
    return JSON.parse(decoded);
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/\s+/g, ' ') : String(error);
    throw new PolicyParseError('', `not valid JSON: ${reason}`);
  }
}

/** Iterative, so that hostile nesting cannot overflow the stack before we reject it. */
function checkNesting(root: unknown): void {
  const pending: Array<{ value: unknown; depth: number; path: string }> = [{ value: root, depth: 1, path: '' }];
  let seen = 0;
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    const { value, depth, path } = item;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > MAX_NESTING) {
      throw new PolicyParseError(path, `nested deeper than ${MAX_NESTING} levels`);
    }
    const isArray = Array.isArray(value);
    for (const [key, child] of Object.entries(value)) {
      seen += 1;
      if (seen > MAX_VALUES) throw new PolicyParseError('', `more than ${MAX_VALUES} values`);
      pending.push({ value: child, depth: depth + 1, path: isArray ? `${path}[${key}]` : joinPath(path, key) });
    }
  }
}

function joinPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function rejectUnknownKeys(value: Record<string, unknown>, allowed: Set<string>, path: string, what: string): void {
  for (const key of Object.keys(value)) {
    if (!allowed.has(key)) throw new PolicyParseError(joinPath(path, key), `unknown ${what} element`);
  }
}

function readDocument(raw: unknown): PolicyDocument {
  if (!isRecord(raw)) throw new PolicyParseError('', 'a policy must be a JSON object');
  rejectUnknownKeys(raw, DOCUMENT_KEYS, '', 'policy');

  const { Version, Id, Statement } = raw;
  if (Version !== undefined && (typeof Version !== 'string' || !VERSIONS.has(Version))) {
    throw new PolicyParseError('Version', 'must be "2012-10-17" or "2008-10-17"');
  }
  if (Id !== undefined && typeof Id !== 'string') throw new PolicyParseError('Id', 'must be a string');
  if (Statement === undefined) throw new PolicyParseError('Statement', 'is required');

  let statements: Statement[];
  if (Array.isArray(Statement)) {
    statements = Statement.map((entry, index) => readStatement(entry, `Statement[${index}]`));
  } else if (isRecord(Statement)) {
    statements = [readStatement(Statement, 'Statement')];
  } else {
    throw new PolicyParseError('Statement', 'must be an object or a list of objects');
  }

  return {
    ...(Version !== undefined && { Version }),
    ...(Id !== undefined && { Id }),
    Statement: statements,
  };
}

function readStatement(raw: unknown, path: string): Statement {
  if (!isRecord(raw)) throw new PolicyParseError(path, 'a statement must be an object');
  rejectUnknownKeys(raw, STATEMENT_KEYS, path, 'statement');

  const { Sid, Effect } = raw;
  if (Sid !== undefined && typeof Sid !== 'string') throw new PolicyParseError(`${path}.Sid`, 'must be a string');
  if (Effect !== 'Allow' && Effect !== 'Deny') {
    throw new PolicyParseError(`${path}.Effect`, 'must be exactly "Allow" or "Deny"');
  }
  requireAtMostOne(raw, 'Principal', 'NotPrincipal', path);
  requireAtMostOne(raw, 'Resource', 'NotResource', path);
  requireAtMostOne(raw, 'Action', 'NotAction', path);
  if (raw.Action === undefined && raw.NotAction === undefined) {
    throw new PolicyParseError(path, 'needs Action or NotAction');
  }

  const statement: Statement = { Effect };
  if (Sid !== undefined) statement.Sid = Sid;
  for (const field of ['Action', 'NotAction', 'Resource', 'NotResource'] as const) {
    const value = raw[field];
    if (value !== undefined) statement[field] = readStringOrList(value, `${path}.${field}`);
  }
  for (const field of ['Principal', 'NotPrincipal'] as const) {
    const value = raw[field];
    if (value !== undefined) statement[field] = readPrincipal(value, `${path}.${field}`);
  }
  if (raw.Condition !== undefined) statement.Condition = readCondition(raw.Condition, `${path}.Condition`);
  return statement;
}

function requireAtMostOne(raw: Record<string, unknown>, field: string, negated: string, path: string): void {
  if (raw[field] !== undefined && raw[negated] !== undefined) {
    throw new PolicyParseError(path, `cannot have both ${field} and ${negated}`);
  }
}

function readStringOrList(value: unknown, path: string): string | string[] {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value) || value.length === 0) {
    throw new PolicyParseError(path, 'must be a string or a non-empty list of strings');
  }
  value.forEach((entry, index) => {
    if (typeof entry !== 'string') throw new PolicyParseError(`${path}[${index}]`, 'must be a string');
  });
  return value as string[];
}

function readPrincipal(value: unknown, path: string): unknown {
  if (value === '*') return value;
  if (!isRecord(value)) throw new PolicyParseError(path, 'must be "*" or an object such as {"AWS": "..."}');
  rejectUnknownKeys(value, PRINCIPAL_TYPES, path, 'principal type');
  for (const [type, ids] of Object.entries(value)) readStringOrList(ids, `${path}.${type}`);
  return value;
}

function readCondition(value: unknown, path: string): Record<string, Record<string, unknown>> {
  if (!isRecord(value)) throw new PolicyParseError(path, 'must be an object of condition operators');
  const condition: Record<string, Record<string, unknown>> = {};
  for (const [operator, keys] of Object.entries(value)) {
    const operatorPath = `${path}.${operator}`;
    if (!isRecord(keys)) throw new PolicyParseError(operatorPath, 'must be an object of condition keys');
    for (const [key, values] of Object.entries(keys)) {
      const entries = Array.isArray(values) ? values : [values];
      entries.forEach((entry) => {
        if (!['string', 'number', 'boolean'].includes(typeof entry)) {
          throw new PolicyParseError(`${operatorPath}.${key}`, 'values must be strings, numbers or booleans');
        }
      });
    }
    condition[operator] = keys;
  }
  return condition;
}

/** The strings of a string-or-list field; tolerant, because evaluation also accepts hand-built documents. */
export function stringList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : [];
}
