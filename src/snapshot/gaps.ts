// Decision rule 2, written once: a read that failed (or a value the template or plan leaves
// undecided) makes what depends on it unknown, with the reason and the permission to add; a read
// never attempted makes it not evaluated. Every command words one failed read the same way.
import type { ReadError } from './types.js';

export type GapKind = 'unknown' | 'not-evaluated' | 'not-applicable';

/** Why a check could not decide (or had nothing to decide). */
export interface Gap {
  kind: GapKind;
  reason: string;
  /** The IAM permission that would let cogdoctor read what was missing. */
  permission?: string;
}

const NOT_FOUND_CODES = /NotFound|NoSuchEntity|NotExist/i;
const DENIED_CODES = /denied|unauthori[sz]ed|forbidden/i;
/** Codes `check --cfn` / `--terraform-plan` record for a value the template or plan leaves undecided. */
const UNDECIDED_IN_CODE = /^(?:Unresolvable|UnknownAfterApply|NotInTemplate|NotInPlan)$/;

/** The resource does not exist (as opposed to: could not be read). */
export function isNotFound(code: string): boolean {
  return NOT_FOUND_CODES.test(code);
}

/** The caller lacks a permission. */
export function isDenied(code: string): boolean {
  return DENIED_CODES.test(code);
}

/** A value the template or plan leaves undecided: the reason names it (file, resource, property), never a permission. */
export function undecidedInCode(error: ReadError): Gap | undefined {
  return UNDECIDED_IN_CODE.test(error.code)
    ? { kind: 'unknown', reason: error.message ?? `${error.resource ?? 'a value'} is not decided before deploy` }
    : undefined;
}

/**
 * What a failed read leaves: unknown, saying which call failed on what and, when it was denied,
 * the permission to add (`permission`, by default the call's own action).
 */
export function gapOfFailedRead(error: ReadError, permission: string = error.operation): Gap {
  const undecided = undecidedInCode(error);
  if (undecided) return undecided;
  const on = error.resource ? ` on ${error.resource}` : '';
  if (isDenied(error.code)) return { kind: 'unknown', reason: `${error.operation} denied${on}: add ${permission}`, permission };
  return { kind: 'unknown', reason: `${error.operation} failed${on} (${error.code}${error.message ? `: ${error.message}` : ''})`, permission };
}

/** What a read never attempted leaves: not evaluated, saying what it would have decided and which call reads it. */
export function gapOfUncollected(what: string, operation: string): Gap {
  return { kind: 'not-evaluated', reason: `${what} was not collected: ${operation} would read it`, permission: operation };
}

function operationName(operation: string): string {
  return operation.slice(operation.lastIndexOf(':') + 1).toLowerCase();
}

/** The recorded failure of a read, matched by operation name and by the whole resource name (see namesSameResource). */
export function findReadError(errors: readonly ReadError[] | undefined, operation: string, resource?: string): ReadError | undefined {
  const wanted = operationName(operation);
  return (errors ?? []).find(
    (error) => operationName(error.operation) === wanted && (!resource || !error.resource || namesSameResource(error.resource, resource)),
  );
}

const NAME_CHARACTER = /[A-Za-z0-9+=,.@_-]/;

/** Two recorded resource names (ids, names or ARNs) name the same resource: one stands whole in the other. */
export function namesSameResource(recorded: string, wanted: string): boolean {
  return containsSegment(recorded, wanted) || containsSegment(wanted, recorded);
}

/**
 * `part` stands in `whole` as a whole name: `Admin` in `arn:aws:iam::123456789012:role/Admin` and
 * in `Admin/inline-policy`, but not in `role/AdminReadOnly`, so one role's failed read is never
 * taken for another's. Snapshots record a resource as an id, a name or an ARN.
 */
function containsSegment(whole: string, part: string): boolean {
  for (let at = whole.indexOf(part); at !== -1; at = whole.indexOf(part, at + 1)) {
    const end = at + part.length;
    if ((at === 0 || !NAME_CHARACTER.test(whole[at - 1]!)) && (end === whole.length || !NAME_CHARACTER.test(whole[end]!))) return true;
  }
  return false;
}
