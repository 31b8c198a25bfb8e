import { evaluateCondition, normalizeContext, type ContextValue } from './conditions.js';
import { stringList, type PolicyDocument, type Statement } from './parse.js';
import { isRoleArn, matchPrincipalElement, type Principal, type PrincipalMatch } from './principals.js';
import { matchesResourcePattern, matchesWildcard } from './wildcard.js';

export interface AccessRequest {
  principal: Principal;
  action: string;
  resource: string;
  /** Keys are case-insensitive; an empty list counts as absent. */
  context?: Record<string, ContextValue>;
}

export interface StatementMatch {
  index: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
  principalMatch?: PrincipalMatch;
  statement: Statement;
}

export interface PolicyEvaluation {
  decision: 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';
  /** Allow statements that fully match the request. */
  allows: StatementMatch[];
  /** Deny statements that fully match the request. */
  denies: StatementMatch[];
  /** Condition operators we could not evaluate in otherwise matching statements (those statements did not match). */
  unsupported: string[];
}

type PolicyKind = 'resource' | 'identity';

/**
 * kind 'resource': statements need Principal/NotPrincipal (trust policies, domain access policies).
 * kind 'identity': Principal is absent and statements apply to the caller.
 * An Allow that matches only through the account ('account') appears in `allows`; whether it grants
 * anything is up to IAM (see evaluateSameAccountAccess).
 */
export function evaluatePolicy(doc: PolicyDocument, req: AccessRequest, kind: PolicyKind): PolicyEvaluation {
  return evaluateStatements(doc, req, kind, false);
}

/**
 * @param notPrincipalDenyHitsEveryone IAM applies a resource policy's Deny with NotPrincipal to every caller
 *   that has a permissions boundary, whatever the NotPrincipal lists.
 */
function evaluateStatements(doc: PolicyDocument, req: AccessRequest, kind: PolicyKind, notPrincipalDenyHitsEveryone: boolean): PolicyEvaluation {
  const context = normalizeContext(req.context);
  const allows: StatementMatch[] = [];
  const denies: StatementMatch[] = [];
  const unsupported = new Set<string>();

  doc.Statement.forEach((statement, index) => {
    const { Effect: effect } = statement;
    if (effect !== 'Allow' && effect !== 'Deny') return;

    let principalMatch: PrincipalMatch | undefined;
    if (kind === 'resource') {
      const hitsEveryone = notPrincipalDenyHitsEveryone && effect === 'Deny' && statement.NotPrincipal !== undefined;
      principalMatch = hitsEveryone ? 'not-principal' : matchStatementPrincipal(statement, req.principal);
      if (principalMatch === undefined) return;
    }
    if (!matchesAction(statement, req.action) || !matchesResource(statement, req.resource)) return;

    const condition = evaluateCondition(statement.Condition, context);
    condition.unsupported.forEach((operator) => unsupported.add(operator));
    if (!condition.matches) return;

    const match: StatementMatch = { index, effect, statement };
    if (statement.Sid !== undefined) match.sid = statement.Sid;
    if (principalMatch !== undefined) match.principalMatch = principalMatch;
    (effect === 'Deny' ? denies : allows).push(match);
  });

  return {
    decision: denies.length > 0 ? 'ExplicitDeny' : allows.length > 0 ? 'Allow' : 'ImplicitDeny',
    allows,
    denies,
    unsupported: [...unsupported],
  };
}

function matchStatementPrincipal(statement: Statement, principal: Principal): PrincipalMatch | undefined {
  if (statement.Principal !== undefined) return matchPrincipalElement(statement.Principal, principal);
  if (statement.NotPrincipal !== undefined) {
    return matchPrincipalElement(statement.NotPrincipal, principal) === undefined ? 'not-principal' : undefined;
  }
  return undefined;
}

/** Actions are case-insensitive. */
function matchesAction(statement: Statement, action: string): boolean {
  const matches = (pattern: string) => matchesWildcard(pattern.toLowerCase(), action.toLowerCase());
  if (statement.Action !== undefined) return stringList(statement.Action).some(matches);
  if (statement.NotAction !== undefined) return !stringList(statement.NotAction).some(matches);
  return false;
}

/** A statement without Resource (a trust policy's usual form) is about the resource the policy is attached to. */
function matchesResource(statement: Statement, resource: string): boolean {
  const matches = (pattern: string) => matchesResourcePattern(pattern, resource);
  if (statement.Resource !== undefined) return stringList(statement.Resource).some(matches);
  if (statement.NotResource !== undefined) return !stringList(statement.NotResource).some(matches);
  return true;
}

export interface AccessEvaluation {
  decision: 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';
  decidedBy: Array<{ source: 'resource' | 'identity' | 'boundary'; policyName?: string; match: StatementMatch }>;
  unsupported: string[];
}

type Decider = AccessEvaluation['decidedBy'][number];

/**
 * IAM's same-account rule. An explicit Deny anywhere wins. Otherwise the request is allowed by an identity-policy
 * Allow (which, with a permissions boundary, also needs a boundary Allow) or by a resource-policy Allow that names
 * the caller ('exact', 'session-of-role', 'wildcard', 'not-principal'). A resource-policy Allow that matches only
 * through the account delegates to IAM and needs an identity Allow as well.
 *
 * Two IAM exceptions apply. A role's trust policy must itself trust the caller: an identity Allow for
 * sts:AssumeRole* counts only when the trust policy trusts the caller's account. And when the boundary does not
 * allow, a resource-policy Allow naming the role (rather than the session) is limited by the boundary too.
 */
export function evaluateSameAccountAccess(input: {
  resourcePolicy?: PolicyDocument;
  identityPolicies?: Array<{ name: string; document: PolicyDocument }>;
  boundary?: PolicyDocument;
  request: AccessRequest;
}): AccessEvaluation {
  const { request } = input;
  // Only IAM users and role sessions carry identity policies and permissions boundaries.
  const isIamIdentity = request.principal.type === 'AWS';
  const boundaryDocument = isIamIdentity ? input.boundary : undefined;

  const resource = input.resourcePolicy ? evaluateStatements(input.resourcePolicy, request, 'resource', boundaryDocument !== undefined) : undefined;
  const identities = (isIamIdentity ? (input.identityPolicies ?? []) : []).map(({ name, document }) => ({
    name,
    evaluation: evaluatePolicy(document, request, 'identity'),
  }));
  const boundary = boundaryDocument && evaluatePolicy(boundaryDocument, request, 'identity');

  const unsupported = [
    ...new Set([...(resource?.unsupported ?? []), ...identities.flatMap(({ evaluation }) => evaluation.unsupported), ...(boundary?.unsupported ?? [])]),
  ];
  const fromResource = (match: StatementMatch): Decider => ({ source: 'resource', match });
  const fromBoundary = (match: StatementMatch): Decider => ({ source: 'boundary', match });
  const fromIdentities = (pick: (evaluation: PolicyEvaluation) => StatementMatch[]): Decider[] =>
    identities.flatMap(({ name, evaluation }) => pick(evaluation).map((match): Decider => ({ source: 'identity', policyName: name, match })));

  const denies = [
    ...(resource?.denies ?? []).map(fromResource),
    ...fromIdentities((evaluation) => evaluation.denies),
    ...(boundary?.denies ?? []).map(fromBoundary),
  ];
  if (denies.length > 0) return { decision: 'ExplicitDeny', decidedBy: denies, unsupported };

  const boundaryAllows = boundary === undefined || boundary.allows.length > 0;
  const resourceAllows = resource?.allows ?? [];
  const namesCaller = resourceAllows.filter(({ principalMatch }) => (principalMatch === 'session-of-role' ? boundaryAllows : principalMatch !== 'account'));
  const trustsAccount = resourceAllows.filter(({ principalMatch }) => principalMatch === 'account');
  const identityAllows = fromIdentities((evaluation) => evaluation.allows);
  const isRoleTrust = resource !== undefined && isRoleArn(request.resource);
  const identityCounts = identityAllows.length > 0 && boundaryAllows && (!isRoleTrust || trustsAccount.length > 0);

  const decidedBy = [
    ...namesCaller.map(fromResource),
    ...(identityCounts ? [...trustsAccount.map(fromResource), ...identityAllows, ...(boundary?.allows ?? []).map(fromBoundary)] : []),
  ];
  return { decision: decidedBy.length > 0 ? 'Allow' : 'ImplicitDeny', decidedBy, unsupported };
}
