// The statement that decides, named the same way in every command: where it is, how to call it, and
// what the evidence records of it.
import type { PolicyDocument, Statement } from '../../policy/index.js';
import { compareText } from '../../util/order.js';

export interface StatementRef {
  /** Where the statement is: the domain access policy, or a principal's policy or boundary. */
  policy: 'access policy' | 'identity policy' | 'permissions boundary';
  /** The identity policy's ARN or name (`group <name>: <policy>` for a user's group), or the boundary's ARN. */
  policyName?: string;
  sid?: string;
  /** Its position in the policy as written. */
  index?: number;
  effect: 'Allow' | 'Deny';
  /** The statement as written. */
  statement: Statement;
}

/** A reference to `statement` (as written), at its position in `written` when that holds it. */
export function statementRef(statement: Statement, policy: StatementRef['policy'], written?: PolicyDocument, policyName?: string): StatementRef {
  const ref: StatementRef = { policy, effect: statement.Effect === 'Deny' ? 'Deny' : 'Allow', statement };
  if (policyName) ref.policyName = policyName;
  if (statement.Sid) ref.sid = statement.Sid;
  const index = written?.Statement.indexOf(statement) ?? -1;
  if (index >= 0) ref.index = index;
  return ref;
}

function policyLabel(ref: StatementRef): string {
  return ref.policy === 'access policy' ? 'the access policy' : `${ref.policy} ${ref.policyName ?? ''}`.trim();
}

/** "statement Sid of the access policy", "statement 2 of identity policy <name>". */
export function statementLabel(ref: StatementRef): string {
  const which = ref.sid ? `statement ${ref.sid}` : ref.index !== undefined ? `statement ${ref.index + 1}` : 'a statement';
  return `${which} of ${policyLabel(ref)}`;
}

/** "Statement A of the access policy and statement B of …", for the start of a sentence. */
export function statementLabels(refs: StatementRef[]): string {
  return capitalize(refs.map(statementLabel).join(' and '));
}

/** What a finding's evidence records of a statement. */
export function statementEvidence(ref: StatementRef): Record<string, unknown> {
  return {
    in: ref.policy === 'access policy' ? 'access policy' : `${ref.policy} ${ref.policyName ?? ''}`.trim(),
    ...(ref.sid ? { sid: ref.sid } : {}),
    ...(ref.index !== undefined ? { index: ref.index } : {}),
    statement: ref.statement,
  };
}

/**
 * The principals the Allow statements of a policy name, sorted: AWS principals by their ARN or
 * account, `*` for everyone, other kinds with their type (`Service:es.amazonaws.com`).
 */
export function principalsOf(policy: PolicyDocument | undefined): string[] {
  const names = new Set<string>();
  for (const s of policy?.Statement ?? []) {
    if (s.Effect !== 'Allow') continue;
    if (s.Principal === '*') names.add('*');
    else if (s.Principal && typeof s.Principal === 'object') {
      for (const [type, ids] of Object.entries(s.Principal as Record<string, unknown>)) {
        for (const id of typeof ids === 'string' ? [ids] : Array.isArray(ids) ? ids : []) names.add(type === 'AWS' ? String(id) : `${type}:${String(id)}`);
      }
    }
  }
  return [...names].sort(compareText);
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
