// The one access evaluation: may this caller (a role session, an IAM user, an unsigned request) send
// these requests to the domain? The access policy and the caller's own policies are read as IAM reads
// them, and the answer is one verdict that names the statements that decide it. `check`, `trace` and
// `access` only word it.
import { evaluatePolicy, evaluateSameAccountAccess, type AccessRequest, type ContextValue, type PolicyDocument, type Statement } from '../../policy/index.js';
import { awsIds, readConditions } from './conditions.js';
import { principalOf, type AccessCaller, type AccessProbe } from './requests.js';
import { statementRef, type StatementRef } from './statements.js';

export interface NamedPolicy {
  name: string;
  document: PolicyDocument;
}

/** The caller's own policies, read. */
export interface OwnPoliciesRead {
  state: 'read';
  policies: NamedPolicy[];
  boundary?: NamedPolicy;
  /** `name (why)` of policies whose document is missing: they may hold an Allow, so the set is incomplete. */
  unread: string[];
}

/** The caller's own policies, as far as the snapshot holds them. */
export type OwnPolicies =
  | OwnPoliciesRead
  /** An IAM caller whose policies were not read: the access policy decides alone where it can. */
  | { state: 'not-read' }
  /** An unsigned request: no IAM identity, no own policies. */
  | { state: 'none' };

export interface AccessQuestion {
  /** The domain access policy as written; undefined when the domain has none. */
  policy: PolicyDocument | undefined;
  caller: AccessCaller;
  own: OwnPolicies;
  /** What IAM knows about the request; keys outside it are unknown to cogdoctor. */
  context: Record<string, ContextValue>;
  /** The requests; the first one decides whether the caller gets in at all. */
  requests: AccessProbe[];
  /** The caller is in another account than the domain: the access policy and its own policies must both allow. */
  crossAccount: boolean;
}

export type AccessVerdict =
  /** `decidedBy`: the statements that let the first request through. */
  | { outcome: 'allowed'; decidedBy: StatementRef[] }
  | {
      outcome: 'explicit-deny';
      denies: StatementRef[];
      /** The requests a Deny matches. */
      requests: AccessProbe[];
      /**
       * The Deny applies only if its NotPrincipal, which names the role or the account but not the
       * session ARN, does not exempt the session (see notPrincipalStrict).
       */
      notPrincipal?: true;
    }
  /** The caller's permissions boundary alone keeps it from these requests (it caps resource-policy grants too). */
  | { outcome: 'boundary'; requests: AccessProbe[]; boundary: string }
  /**
   * Some requests pass and others do not (`firstAllowed`), or access-policy statements name the
   * caller but do not cover the request.
   */
  | { outcome: 'too-narrow'; notCovered: AccessProbe[]; statements: StatementRef[]; firstAllowed: boolean }
  /** The access policy trusts the caller's account, which delegates to IAM, and no own policy allows the request. */
  | { outcome: 'account-only'; statements: StatementRef[] }
  /** No statement names the caller and no own policy allows the request. */
  | { outcome: 'not-in-policy' }
  | { outcome: 'undecided'; reason: string; cause: 'condition-keys' | 'condition-operators' | 'own-policies' };

export interface AccessAnswer {
  verdict: AccessVerdict;
  /** Readings cogdoctor had to make, for the evidence. */
  assumptions: string[];
  /** Conditions on the network (aws:SourceIp…) were read as met. */
  networkRead: boolean;
  /**
   * For an allowed role session: the Denies whose NotPrincipal names the role or its account but not
   * the session, and the requests they would refuse if it does not exempt the session (see notPrincipalStrict).
   */
  notPrincipalDeny?: { denies: StatementRef[]; requests: AccessProbe[] };
}

/** The policies as one reading of their conditions sees them, with the way back to the statements as written. */
interface Reading {
  resource: PolicyDocument | undefined;
  identity: NamedPolicy[];
  boundary: PolicyDocument | undefined;
  /** Each statement of the reading → a reference to the statement as written. */
  refs: Map<Statement, StatementRef>;
  network: boolean;
  unknownKeys: string[];
}

function readAll(question: AccessQuestion, known: Set<string>, favourable: boolean, withBoundary = true): Reading {
  const refs = new Map<Statement, StatementRef>();
  const unknownKeys = new Set<string>();
  let network = false;
  const read = (written: PolicyDocument, source: StatementRef['policy'], name?: string) => {
    const r = readConditions(written, known, favourable);
    for (const [copy, statement] of r.origin) refs.set(copy, statementRef(statement, source, written, name));
    r.unknownKeys.forEach((k) => unknownKeys.add(k));
    if (r.network.length > 0) network = true;
    return r.doc;
  };
  const own = question.own.state === 'read' ? question.own : undefined;
  return {
    resource: question.policy ? read(question.policy, 'access policy') : undefined,
    identity: (own?.policies ?? []).map(({ name, document }) => ({ name, document: read(document, 'identity policy', name) })),
    boundary: own?.boundary && withBoundary ? read(own.boundary.document, 'permissions boundary') : undefined,
    refs,
    network,
    unknownKeys: [...unknownKeys],
  };
}

interface Decision {
  decision: 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';
  decidedBy: StatementRef[];
  unsupported: string[];
}

/**
 * Same account: IAM's rule (evaluateSameAccountAccess). Another account: the access policy must
 * allow (naming the principal or its account) and so must the principal's own policies.
 */
function decide(reading: Reading, question: AccessQuestion, request: AccessRequest): Decision {
  const refOf = (statement: Statement): StatementRef => reading.refs.get(statement)!;
  if (!question.crossAccount) {
    const result = evaluateSameAccountAccess({ resourcePolicy: reading.resource, identityPolicies: reading.identity, boundary: reading.boundary, request });
    return { decision: result.decision, decidedBy: result.decidedBy.map((d) => refOf(d.match.statement)), unsupported: result.unsupported };
  }
  const res = reading.resource ? evaluatePolicy(reading.resource, request, 'resource') : undefined;
  const ids = reading.identity.map(({ document }) => evaluatePolicy(document, request, 'identity'));
  const bound = reading.boundary ? evaluatePolicy(reading.boundary, request, 'identity') : undefined;
  const unsupported = [...new Set([...(res?.unsupported ?? []), ...ids.flatMap((i) => i.unsupported), ...(bound?.unsupported ?? [])])];
  const denies = [...(res?.denies ?? []), ...ids.flatMap((i) => i.denies), ...(bound?.denies ?? [])].map((m) => refOf(m.statement));
  if (denies.length > 0) return { decision: 'ExplicitDeny', decidedBy: denies, unsupported };
  const resourceAllows = (res?.allows ?? []).map((m) => refOf(m.statement));
  const identityAllows = ids.flatMap((i) => i.allows).map((m) => refOf(m.statement));
  // Own policies not read: the access policy decides alone, and the caller says what is left open.
  const identityOk = question.own.state === 'not-read' || identityAllows.length > 0;
  const boundaryOk = !bound || bound.allows.length > 0;
  const allowed = resourceAllows.length > 0 && identityOk && boundaryOk;
  return { decision: allowed ? 'Allow' : 'ImplicitDeny', decidedBy: allowed ? [...resourceAllows, ...identityAllows] : resourceAllows, unsupported };
}

/** Allow statements of the access policy whose principal covers the caller, whatever their action, resource and condition. */
function statementsNaming(policy: PolicyDocument | undefined, question: AccessQuestion, accountOnly: boolean): StatementRef[] {
  return (policy?.Statement ?? [])
    .filter((statement) => {
      if (statement.Effect !== 'Allow') return false;
      const widened: Statement = { ...statement, Action: '*', Resource: '*' };
      delete widened.NotAction;
      delete widened.NotResource;
      delete widened.Condition;
      const match = evaluatePolicy(
        { Statement: [widened] },
        { principal: principalOf(question.caller), action: 'es:ESHttpGet', resource: '*', context: {} },
        'resource',
      );
      return match.allows.some((m) => (accountOnly ? m.principalMatch === 'account' : m.principalMatch !== 'account'));
    })
    .map((statement) => statementRef(statement, 'access policy', policy));
}

/** Whether the access policy lets the request in only through the account principal: then the own policies decide. */
function delegatesToAccount(reading: Reading, _question: AccessQuestion, request: AccessRequest): boolean {
  if (!reading.resource) return false;
  return evaluatePolicy(reading.resource, request, 'resource').allows.some((m) => m.principalMatch === 'account');
}

/** Every own policy was read, so an identity Allow that is not there does not exist. */
function ownComplete(own: OwnPolicies): boolean {
  return own.state === 'read' && own.unread.length === 0;
}

function classify(reading: Reading, question: AccessQuestion, known: Set<string>, favourable: boolean): AccessVerdict & { unsupported: string[] } {
  const principal = principalOf(question.caller);
  const requests = question.requests.map((probe) => ({ principal, ...probe, context: question.context }));
  const results = requests.map((request) => decide(reading, question, request));
  const unsupported = [...new Set(results.flatMap((r) => r.unsupported))];

  const denied = results.flatMap((result, i) => (result.decision === 'ExplicitDeny' ? [{ result, probe: question.requests[i]! }] : []));
  if (denied.length > 0) {
    const denies: StatementRef[] = [];
    for (const { result } of denied)
      for (const ref of result.decidedBy)
        if (!denies.includes(ref) && !denies.some((d) => d.statement === ref.statement && d.policyName === ref.policyName)) denies.push(ref);
    return { outcome: 'explicit-deny', denies, requests: denied.map((d) => d.probe), unsupported };
  }

  const notCovered = question.requests.filter((_, i) => results[i]!.decision !== 'Allow');
  // A permissions boundary caps the caller, grants of the access policy included: when it alone
  // stands in the way, it is the cause, not the access policy (catalog F3).
  if (reading.boundary && notCovered.length > 0 && question.own.state === 'read' && question.own.boundary) {
    const unbounded = readAll(question, known, favourable, false);
    if (notCovered.every((probe) => decide(unbounded, question, { principal, ...probe, context: question.context }).decision === 'Allow')) {
      return { outcome: 'boundary', requests: notCovered, boundary: question.own.boundary.name, unsupported };
    }
  }
  if (results[0]!.decision === 'Allow') {
    if (notCovered.length === 0) return { outcome: 'allowed', decidedBy: results[0]!.decidedBy, unsupported };
    return { outcome: 'too-narrow', notCovered, statements: statementsNaming(question.policy, question, false), firstAllowed: true, unsupported };
  }
  if (!ownComplete(question.own) && question.own.state !== 'none' && delegatesToAccount(reading, question, requests[0]!)) {
    return {
      outcome: 'undecided',
      reason: 'the access policy admits the caller only through its account principal, so its own policies decide, and they were not read',
      cause: 'own-policies',
      unsupported,
    };
  }
  const naming = statementsNaming(question.policy, question, false);
  if (naming.length > 0) return { outcome: 'too-narrow', notCovered, statements: naming, firstAllowed: false, unsupported };
  const account = statementsNaming(question.policy, question, true);
  if (account.length > 0 && ownComplete(question.own) && !question.crossAccount) return { outcome: 'account-only', statements: account, unsupported };
  return { outcome: 'not-in-policy', unsupported };
}

function withoutUnsupported({ unsupported: _, ...verdict }: AccessVerdict & { unsupported: string[] }): AccessVerdict {
  return verdict as AccessVerdict;
}

/**
 * The access policy read with NotPrincipal as IAM documents it for Deny: an assumed-role session is
 * exempt only when its own session ARN is listed; naming the role (or the account) may not be
 * enough ("If the NotPrincipal element was missing the ARN of the assumed-role user…", IAM User
 * Guide, NotPrincipal). OpenSearch Service does not support NotPrincipal at all (ac.md, "Policy
 * element reference"), so how the domain treats such a statement is not documented either way.
 * Undefined when no Deny of the access policy has a NotPrincipal that leaves the session out.
 */
function notPrincipalStrict(reading: Reading, sessionArn: string): Reading | undefined {
  if (!reading.resource) return undefined;
  const refs = new Map(reading.refs);
  let changed = false;
  const statements = reading.resource.Statement.map((statement) => {
    if (statement.Effect !== 'Deny' || statement.NotPrincipal === undefined) return statement;
    if (statement.NotPrincipal === '*' || awsIds(statement.NotPrincipal).includes(sessionArn)) return statement;
    const strict: Statement = { ...statement, Principal: '*' };
    delete strict.NotPrincipal;
    refs.set(strict, reading.refs.get(statement)!);
    changed = true;
    return strict;
  });
  return changed ? { ...reading, resource: { ...reading.resource, Statement: statements }, refs } : undefined;
}

/**
 * May the caller send the requests? Conditions on the network are read as met; a decision that
 * hangs on a condition key nobody can know, or on an operator cogdoctor cannot evaluate, is
 * undecided unless a Deny settles it.
 */
export function evaluateAccessQuestion(question: AccessQuestion): AccessAnswer {
  const known = new Set(Object.keys(question.context).map((k) => k.toLowerCase()));
  const assumptions: string[] = [];
  if (question.own.state === 'read' && question.own.unread.length > 0)
    assumptions.push(`not in the snapshot, so not counted: ${question.own.unread.join(', ')}`);
  const favourable = readAll(question, known, true);

  const best = classify(favourable, question, known, true);
  // Worked out before the unknown keys, so a caller that reads NotPrincipal strictly gets it whatever they say.
  let notPrincipalDeny: AccessAnswer['notPrincipalDeny'];
  if (best.outcome === 'allowed' && question.caller.kind === 'role') {
    const strict = notPrincipalStrict(favourable, question.caller.sessionArn);
    const denied = strict ? classify(strict, question, known, true) : undefined;
    if (denied?.outcome === 'explicit-deny') notPrincipalDeny = { denies: denied.denies, requests: denied.requests };
  }
  const answer = (verdict: AccessVerdict): AccessAnswer => ({
    verdict,
    assumptions,
    networkRead: favourable.network,
    ...(notPrincipalDeny ? { notPrincipalDeny } : {}),
  });
  if (
    best.outcome === 'allowed' &&
    favourable.unknownKeys.length > 0 &&
    classify(readAll(question, known, false), question, known, false).outcome !== 'allowed'
  ) {
    return answer({
      outcome: 'undecided',
      reason: `the decision depends on condition keys cogdoctor cannot know (${favourable.unknownKeys.join(', ')})`,
      cause: 'condition-keys',
    });
  }
  if (best.outcome !== 'explicit-deny' && best.unsupported.length > 0) {
    return answer({
      outcome: 'undecided',
      reason: `a policy uses condition operators cogdoctor cannot evaluate (${best.unsupported.join(', ')}); check it by hand`,
      cause: 'condition-operators',
    });
  }
  return answer(withoutUnsupported(best));
}
