import { BlockList, isIP } from 'node:net';
import { isRecord } from '../util/records.js';
import { matchesArnPattern, matchesWildcard } from './wildcard.js';

export type ContextValue = string | number | boolean | string[] | undefined;

/** Request context keyed by lower-cased key; a key with no values is absent. */
export type NormalizedContext = ReadonlyMap<string, string[]>;

export function normalizeContext(context: Record<string, ContextValue> | undefined): NormalizedContext {
  const normalized = new Map<string, string[]>();
  for (const [key, value] of Object.entries(context ?? {})) {
    const values = Array.isArray(value) ? value.map(String) : value === undefined ? [] : [String(value)];
    if (values.length > 0) normalized.set(key.toLowerCase(), values);
  }
  return normalized;
}

export interface ConditionResult {
  matches: boolean;
  /** Operators we cannot evaluate; only reported when they are what leaves the result open. */
  unsupported: string[];
}

interface ValueOperator {
  kind: 'value';
  /** Negated operators (StringNotEquals, ...) hold when the value matches none of the policy values. */
  negated: boolean;
  test: (contextValue: string, policyValue: string) => boolean;
}
type BaseOperator = ValueOperator | { kind: 'null' };

interface Operator {
  base: BaseOperator;
  setOperator?: 'ForAnyValue' | 'ForAllValues';
  ifExists: boolean;
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
const EPOCH_SECONDS = /^\d+$/;

function parseNumber(text: string): number | undefined {
  return NUMBER.test(text.trim()) ? Number(text) : undefined;
}

function parseDate(text: string): number | undefined {
  if (EPOCH_SECONDS.test(text)) return Number(text) * 1000;
  const time = Date.parse(text);
  return Number.isNaN(time) ? undefined : time;
}

function compareAs(parse: (text: string) => number | undefined, compare: (context: number, policy: number) => boolean) {
  return (contextValue: string, policyValue: string): boolean => {
    const context = parse(contextValue);
    const policy = parse(policyValue);
    return context !== undefined && policy !== undefined && compare(context, policy);
  };
}

function isBoolean(text: string): boolean {
  const lower = text.toLowerCase();
  return lower === 'true' || lower === 'false';
}

/** `range` is a CIDR or a bare address (a /32 or /128). */
function ipInRange(address: string, range: string): boolean {
  const family = isIP(address);
  const [network = '', prefixText, ...extra] = range.split('/');
  const rangeFamily = isIP(network);
  if (family === 0 || rangeFamily === 0 || extra.length > 0) return false;
  const maxPrefix = rangeFamily === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? maxPrefix : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : -1;
  if (prefix < 0 || prefix > maxPrefix) return false;
  const block = new BlockList();
  block.addSubnet(network, prefix, rangeFamily === 4 ? 'ipv4' : 'ipv6');
  return block.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

const equals = (a: string, b: string) => a === b;
const equalsIgnoreCase = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const like = (contextValue: string, pattern: string) => matchesWildcard(pattern, contextValue);
const arnLike = (contextValue: string, pattern: string) => matchesArnPattern(pattern, contextValue);
const numeric = (compare: (a: number, b: number) => boolean) => compareAs(parseNumber, compare);
const date = (compare: (a: number, b: number) => boolean) => compareAs(parseDate, compare);

function valueOperator(negated: boolean, test: ValueOperator['test']): ValueOperator {
  return { kind: 'value', negated, test };
}

/** Keyed by lower-cased name; ArnEquals takes wildcards just like ArnLike, as IAM documents. */
const OPERATORS = new Map<string, BaseOperator>([
  ['stringequals', valueOperator(false, equals)],
  ['stringnotequals', valueOperator(true, equals)],
  ['stringequalsignorecase', valueOperator(false, equalsIgnoreCase)],
  ['stringnotequalsignorecase', valueOperator(true, equalsIgnoreCase)],
  ['stringlike', valueOperator(false, like)],
  ['stringnotlike', valueOperator(true, like)],
  [
    'numericequals',
    valueOperator(
      false,
      numeric((a, b) => a === b),
    ),
  ],
  [
    'numericnotequals',
    valueOperator(
      true,
      numeric((a, b) => a === b),
    ),
  ],
  [
    'numericlessthan',
    valueOperator(
      false,
      numeric((a, b) => a < b),
    ),
  ],
  [
    'numericlessthanequals',
    valueOperator(
      false,
      numeric((a, b) => a <= b),
    ),
  ],
  [
    'numericgreaterthan',
    valueOperator(
      false,
      numeric((a, b) => a > b),
    ),
  ],
  [
    'numericgreaterthanequals',
    valueOperator(
      false,
      numeric((a, b) => a >= b),
    ),
  ],
  [
    'dateequals',
    valueOperator(
      false,
      date((a, b) => a === b),
    ),
  ],
  [
    'datenotequals',
    valueOperator(
      true,
      date((a, b) => a === b),
    ),
  ],
  [
    'datelessthan',
    valueOperator(
      false,
      date((a, b) => a < b),
    ),
  ],
  [
    'datelessthanequals',
    valueOperator(
      false,
      date((a, b) => a <= b),
    ),
  ],
  [
    'dategreaterthan',
    valueOperator(
      false,
      date((a, b) => a > b),
    ),
  ],
  [
    'dategreaterthanequals',
    valueOperator(
      false,
      date((a, b) => a >= b),
    ),
  ],
  ['bool', valueOperator(false, (a, b) => isBoolean(a) && equalsIgnoreCase(a, b))],
  ['arnequals', valueOperator(false, arnLike)],
  ['arnlike', valueOperator(false, arnLike)],
  ['arnnotequals', valueOperator(true, arnLike)],
  ['arnnotlike', valueOperator(true, arnLike)],
  ['ipaddress', valueOperator(false, ipInRange)],
  ['notipaddress', valueOperator(true, ipInRange)],
  ['null', { kind: 'null' }],
]);

const IF_EXISTS = 'ifexists';

function parseOperator(name: string): Operator | undefined {
  const colon = name.indexOf(':');
  const prefix = colon === -1 ? undefined : name.slice(0, colon).toLowerCase();
  const setOperator = prefix === 'foranyvalue' ? 'ForAnyValue' : prefix === 'forallvalues' ? 'ForAllValues' : undefined;
  if (prefix !== undefined && setOperator === undefined) return undefined;

  const rest = name.slice(colon + 1).toLowerCase();
  const ifExists = rest.endsWith(IF_EXISTS) && rest.length > IF_EXISTS.length;
  const base = OPERATORS.get(ifExists ? rest.slice(0, -IF_EXISTS.length) : rest);
  return base && { base, setOperator, ifExists };
}

/** Numbers and booleans compare as their JSON text (`true` is "true"); other types never match. */
function policyValues(raw: unknown): string[] {
  const values = Array.isArray(raw) ? raw : [raw];
  return values.flatMap((value) => (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? [String(value)] : []));
}

function keyConditionHolds(operator: Operator, contextValues: string[] | undefined, values: string[]): boolean {
  const { base } = operator;
  if (base.kind === 'null') {
    const absent = String(contextValues === undefined);
    return values.some((value) => value.toLowerCase() === absent);
  }

  const satisfies = (contextValue: string): boolean => {
    const matchesAny = values.some((value) => base.test(contextValue, value));
    return base.negated ? !matchesAny : matchesAny;
  };

  if (contextValues === undefined) {
    if (operator.setOperator === 'ForAllValues') return true;
    // ForAnyValue loops over the request's values, so with none there is nothing for IfExists to excuse.
    if (operator.setOperator === 'ForAnyValue') return false;
    return operator.ifExists || base.negated;
  }
  if (operator.setOperator === 'ForAllValues') return contextValues.every(satisfies);
  if (operator.setOperator === 'ForAnyValue') return contextValues.some(satisfies);
  // No set operator on a multi-valued key: a positive operator needs one matching value, a negated one needs none.
  return base.negated ? contextValues.every(satisfies) : contextValues.some(satisfies);
}

/** Operators AND, keys within an operator AND, values for one key OR (NOR for negated operators). */
export function evaluateCondition(condition: unknown, context: NormalizedContext): ConditionResult {
  if (condition === undefined) return { matches: true, unsupported: [] };
  if (!isRecord(condition)) return { matches: false, unsupported: ['Condition'] };

  const unsupported: string[] = [];
  for (const [name, keys] of Object.entries(condition)) {
    const operator = parseOperator(name);
    if (operator === undefined || !isRecord(keys)) {
      unsupported.push(name);
      continue;
    }
    for (const [key, raw] of Object.entries(keys)) {
      if (!keyConditionHolds(operator, context.get(key.toLowerCase()), policyValues(raw))) {
        return { matches: false, unsupported: [] };
      }
    }
  }
  return { matches: unsupported.length === 0, unsupported };
}
