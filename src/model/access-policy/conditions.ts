// How cogdoctor reads the conditions of a policy it cannot settle from the snapshot alone.
import type { PolicyDocument, Statement } from '../../policy/index.js';

/** A policy element as a list of strings (a single string, or the strings of an array). */
export function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** The AWS principals a Principal or NotPrincipal element lists. */
export function awsIds(element: unknown): string[] {
  if (!element || typeof element !== 'object') return [];
  return stringsOf((element as Record<string, unknown>)['AWS']);
}

/** Keys a request only has on the network path: the snapshot cannot know where users connect from. */
const NETWORK_KEYS = new Set(['aws:sourceip', 'aws:sourcevpc', 'aws:sourcevpce', 'aws:vpcsourceip']);

/** The condition keys a statement tests, lower-cased. */
export function conditionKeys(statement: Statement): string[] {
  return Object.values(statement.Condition ?? {})
    .flatMap((block) => (block && typeof block === 'object' ? Object.keys(block) : []))
    .map((k) => k.toLowerCase());
}

/** The statement without the condition keys `drop` picks (an operator left empty goes too). */
export function withoutKeys(statement: Statement, drop: (key: string) => boolean): Statement {
  const condition: Record<string, Record<string, unknown>> = {};
  for (const [operator, block] of Object.entries(statement.Condition ?? {})) {
    const kept = Object.fromEntries(Object.entries(block ?? {}).filter(([key]) => !drop(key.toLowerCase())));
    if (Object.keys(kept).length > 0) condition[operator] = kept;
  }
  const copy: Statement = { ...statement };
  if (Object.keys(condition).length > 0) copy.Condition = condition;
  else delete copy.Condition;
  return copy;
}

/**
 * Reads the conditions the snapshot cannot settle. Network conditions (aws:SourceIp, aws:SourceVpc…)
 * are always read as the users' network allows: an address restriction is a deliberate boundary,
 * not a login failure. Other keys outside `known` are read `favourably` (Allow holds, Deny does not
 * apply) or not, so a caller can tell "fails whatever the values" from "depends on them".
 */
export function readConditions(
  doc: PolicyDocument,
  known: Set<string>,
  favourable: boolean,
): { doc: PolicyDocument; origin: Map<Statement, Statement>; network: Statement[]; unknownKeys: string[] } {
  const network: Statement[] = [];
  const unknownKeys = new Set<string>();
  const statements: Statement[] = [];
  const origin = new Map<Statement, Statement>();
  for (const statement of doc.Statement) {
    const keys = conditionKeys(statement);
    const networkKeys = keys.filter((k) => NETWORK_KEYS.has(k));
    const unknown = keys.filter((k) => !NETWORK_KEYS.has(k) && !known.has(k));
    unknown.forEach((k) => unknownKeys.add(k));
    if (networkKeys.length > 0) network.push(statement);
    const deny = statement.Effect === 'Deny';
    if (deny && networkKeys.length > 0) continue;
    if (unknown.length > 0 && (deny ? favourable : !favourable)) continue;
    const read = withoutKeys(statement, (k) => NETWORK_KEYS.has(k) || (unknown.includes(k) && (deny ? !favourable : favourable)));
    origin.set(read, statement);
    statements.push(read);
  }
  return { doc: { ...doc, Statement: statements }, origin, network, unknownKeys: [...unknownKeys] };
}

/** The policy as a user on an allowed network meets it (network conditions met, network Denies not applying). */
export function withNetworkAllowed(doc: PolicyDocument): PolicyDocument {
  const every = new Set(doc.Statement.flatMap(conditionKeys));
  return readConditions(doc, every, true).doc;
}
