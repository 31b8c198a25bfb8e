// Identity pool helpers: how STS judges a role's trust for a Cognito login, which roles the
// identity pool hands out, and what an ID token can carry for rule-based role mapping.
import type { MappingRule, RoleMapping } from '@aws-sdk/client-cognito-identity';
import { DataGap, roleNameOf, type CheckContext } from '../engine/context.js';
import type { Fix } from '../engine/types.js';
import { evaluatePolicy, type PolicyDocument, type PolicyEvaluation, type Statement } from '../policy/index.js';
import type { GroupType, Role, Snapshot } from '../snapshot/types.js';
import { accountIdOf, domainArnOf, partitionOf, type DomainPlace } from './domain.js';
import { openSearchClientOf, openSearchRoleMapping, providerNameOf, regionOfPoolId } from './pools.js';
import { sh } from './shell.js';
import { asList, trustPolicyOf, wildcardMatches, type WebIdentityKind } from './trust.js';
import { compareText } from './order.js';

// ---------------------------------------------------------------------------------------------
// Principals

/**
 * The identity-pool principal is `cognito-identity.amazonaws.com` in the commercial partition;
 * GovCloud uses `cognito-identity-us-gov.amazonaws.com` (and per-region names such as
 * `cognito-identity.us-gov-east-1.amazonaws.com`), China templates use both the plain and the
 * `.com.cn` name.
 */
const COGNITO_IDENTITY_NAME = /^cognito-identity(?:-us-gov)?(?:\.[a-z]{2}(?:-gov)?-[a-z]+-\d+)?\.amazonaws\.com(?:\.cn)?$/i;
const COMMERCIAL_COGNITO_IDENTITY = 'cognito-identity.amazonaws.com';

export function isCognitoIdentityPrincipal(id: string): boolean {
  return COGNITO_IDENTITY_NAME.test(id);
}

/** `arn:aws-us-gov:iam::…` → `aws-us-gov`. */
export function partitionOfRoleArn(arn: string | undefined): string {
  return arn?.split(':')[1] || 'aws';
}

/** The identity-pool principal names STS may present in a partition, the usual one first. */
export function cognitoIdentityPrincipalsFor(partition: string): string[] {
  if (partition === 'aws-us-gov') return ['cognito-identity-us-gov.amazonaws.com'];
  if (partition === 'aws-cn') return [COMMERCIAL_COGNITO_IDENTITY, 'cognito-identity.amazonaws.com.cn'];
  return [COMMERCIAL_COGNITO_IDENTITY];
}

/**
 * Whether a Federated name can be the identity-pool principal in the role's partition. Outside the
 * commercial partition every Cognito identity name is accepted: the per-region names are not
 * documented in full, and a false failure is worse than a lenient pass.
 */
function acceptedIn(partition: string, id: string): boolean {
  if (partition === 'aws') return id.toLowerCase() === COMMERCIAL_COGNITO_IDENTITY;
  return isCognitoIdentityPrincipal(id);
}

function principalIds(statement: Statement, kind: 'Federated' | 'Service' | 'AWS'): string[] {
  const principal = statement.Principal;
  if (!principal || typeof principal !== 'object') return [];
  return asList((principal as Record<string, unknown>)[kind]).map(String);
}

/** Cognito identity names a statement lists as Federated principal. */
export function cognitoFederatedNames(statement: Statement): string[] {
  return principalIds(statement, 'Federated').filter(isCognitoIdentityPrincipal);
}

/** Whether a trust policy names the Cognito identity service (Federated, or wrongly as Service). */
export function trustNamesCognitoIdentity(policy: PolicyDocument): boolean {
  return policy.Statement.some(
    (s) => cognitoFederatedNames(s).length > 0 || principalIds(s, 'Service').some(isCognitoIdentityPrincipal),
  );
}

function actionsOf(statement: Statement): string[] {
  return asList(statement.Action).map(String);
}

function allowsAction(statement: Statement, action: string): boolean {
  if (statement.NotAction !== undefined) {
    return !asList(statement.NotAction).some((a) => wildcardMatches(String(a).toLowerCase(), action.toLowerCase()));
  }
  return actionsOf(statement).some((a) => wildcardMatches(a.toLowerCase(), action.toLowerCase()));
}

// ---------------------------------------------------------------------------------------------
// Conditions

const NEGATED_OPERATOR = /^(?:for(?:any|all)value:)?(?:string|arn)not/i;
const LIKE_OPERATOR = /like/i;

export interface CognitoConditionEntry {
  operator: string;
  /** The condition key as written, e.g. `cognito-identity.amazonaws.com:aud`. */
  key: string;
  values: string[];
  negated: boolean;
  like: boolean;
}

/** Every `<cognito-identity principal>:<claim>` condition of a statement, whatever the partition's name. */
export function cognitoConditions(statement: Statement, claim: 'aud' | 'amr'): CognitoConditionEntry[] {
  const found: CognitoConditionEntry[] = [];
  for (const [operator, block] of Object.entries(statement.Condition ?? {})) {
    if (!block || typeof block !== 'object') continue;
    for (const [key, value] of Object.entries(block)) {
      const colon = key.lastIndexOf(':');
      if (colon < 0 || key.slice(colon + 1).toLowerCase() !== claim || !isCognitoIdentityPrincipal(key.slice(0, colon))) continue;
      found.push({ operator, key, values: asList(value).map(String), negated: NEGATED_OPERATOR.test(operator), like: LIKE_OPERATOR.test(operator) });
    }
  }
  return found;
}

const IDENTITY_POOL_ID = /^[a-z]{2}(?:-gov)?-[a-z]+-\d+:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function looksLikeIdentityPoolId(value: string): boolean {
  return IDENTITY_POOL_ID.test(value);
}

/** Allow statements that let a Cognito identity principal call sts:AssumeRoleWithWebIdentity. */
export function cognitoWebIdentityAllows(policy: PolicyDocument): Statement[] {
  return policy.Statement.filter((s) => s.Effect === 'Allow' && cognitoFederatedNames(s).length > 0 && allowsAction(s, 'sts:AssumeRoleWithWebIdentity'));
}

/** The identity pools a statement names literally in a positive `aud` condition. */
export function literalAudPools(statement: Statement): string[] {
  return cognitoConditions(statement, 'aud')
    .filter((c) => !c.negated)
    .flatMap((c) => c.values.filter((v) => !(c.like && /[*?]/.test(v))));
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

// ---------------------------------------------------------------------------------------------
// Trust verdicts

/** The amr values STS sees for a login through the user pool (enhanced flow). */
function amrFor(kind: WebIdentityKind, userPoolId: string | undefined): string[] {
  if (kind !== 'authenticated') return ['unauthenticated'];
  if (!userPoolId) return ['authenticated'];
  const provider = providerNameOf(userPoolId);
  return ['authenticated', provider, `${provider}:CognitoSignIn:00000000-0000-0000-0000-000000000000`];
}

/**
 * How the trust policy answers the identity pool's request for a login of `kind`: by default
 * sts:AssumeRoleWithWebIdentity, or `action` (sts:TagSession when principal tags are on).
 */
export function webIdentityEvaluations(
  policy: PolicyDocument,
  roleArn: string,
  identityPoolId: string,
  userPoolId: string | undefined,
  kind: WebIdentityKind,
  action = 'sts:AssumeRoleWithWebIdentity',
): PolicyEvaluation[] {
  const partition = partitionOfRoleArn(roleArn);
  const named = unique(policy.Statement.flatMap(cognitoFederatedNames));
  const candidates = partition === 'aws' ? [COMMERCIAL_COGNITO_IDENTITY] : unique([...named, ...cognitoIdentityPrincipalsFor(partition)]);
  const amr = amrFor(kind, userPoolId);
  return candidates.map((principal) => {
    const prefixes = partition === 'aws' ? [principal] : unique([principal, ...named]);
    const context: Record<string, string | string[]> = {};
    for (const prefix of prefixes) {
      context[`${prefix}:aud`] = identityPoolId;
      context[`${prefix}:amr`] = amr;
    }
    return evaluatePolicy(policy, { principal: { type: 'Federated', id: principal }, action, resource: roleArn, context }, 'resource');
  });
}

export interface IdentityTrustVerdict {
  allowed: boolean;
  /** Why not, in words, when not allowed. */
  problem?: string;
  /** Set when the answer rests on condition operators cogdoctor cannot evaluate: neither pass nor fail. */
  uncertain?: string;
  evidence: Record<string, unknown>;
}

/**
 * Can identity pool `identityPoolId` hand this role to its (authenticated or unauthenticated)
 * identities? Accepts the trust as IAM's URL-encoded string or as an object, StringEquals or
 * StringLike, an `aud` list (a role shared by several pools), `sts:*`, and the GovCloud/China
 * principal names (catalog E1/E2).
 */
export function identityTrustVerdict(role: Role, identityPoolId: string, userPoolId: string | undefined, kind: WebIdentityKind = 'authenticated'): IdentityTrustVerdict {
  const roleArn = role.Arn ?? '';
  const { policy, error } = trustPolicyOf(role);
  if (!policy) return { allowed: false, problem: `its trust policy cannot be read: ${error}`, evidence: { role: roleArn, AssumeRolePolicyDocument: role.AssumeRolePolicyDocument } };
  const partition = partitionOfRoleArn(roleArn);
  const evaluations = webIdentityEvaluations(policy, roleArn, identityPoolId, userPoolId, kind);
  const federated = policy.Statement.filter((s) => s.Effect === 'Allow' && cognitoFederatedNames(s).length > 0);
  const accepted = federated.filter((s) => cognitoFederatedNames(s).some((n) => acceptedIn(partition, n)));
  const trustAud = unique(accepted.flatMap((s) => cognitoConditions(s, 'aud').flatMap((c) => c.values)));
  const trustAmr = unique(accepted.flatMap((s) => cognitoConditions(s, 'amr').flatMap((c) => c.values)));
  const evidence: Record<string, unknown> = {
    role: roleArn,
    identityPoolId,
    identities: kind,
    trustedPrincipals: unique(federated.flatMap(cognitoFederatedNames)),
    trustActions: unique(accepted.flatMap(actionsOf)),
    trustAud,
    trustAmr,
    trustPolicy: policy,
  };
  if (evaluations.some((e) => e.decision === 'Allow')) return { allowed: true, evidence };

  const denies = evaluations.flatMap((e) => e.denies);
  if (denies.length > 0) {
    const sids = unique(denies.map((d) => d.sid ?? `Statement[${d.index}]`));
    return { allowed: false, problem: `a Deny statement in its trust policy (${sids.join(', ')}) matches logins from ${identityPoolId}`, evidence: { ...evidence, denyStatements: sids } };
  }

  const asService = policy.Statement.filter((s) => principalIds(s, 'Service').some(isCognitoIdentityPrincipal));
  const expected = cognitoIdentityPrincipalsFor(partition)[0]!;
  let problem: string;
  if (accepted.length === 0) {
    const elsewhere = unique(federated.flatMap(cognitoFederatedNames));
    if (elsewhere.length > 0) problem = `its trust names ${elsewhere.join(', ')}, but identity pools in partition ${partition} present ${expected}`;
    else if (asService.length > 0) problem = `its trust names ${expected} as a Service principal; identity pools need it as the Federated principal`;
    else {
      const others = unique(policy.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) => [...principalIds(s, 'Service'), ...principalIds(s, 'Federated'), ...principalIds(s, 'AWS')]));
      problem = `its trust policy does not trust ${expected}${others.length > 0 ? ` (it trusts ${others.join(', ')})` : ''}`;
    }
  } else if (!accepted.some((s) => allowsAction(s, 'sts:AssumeRoleWithWebIdentity'))) {
    problem = `its trust allows ${unique(accepted.flatMap(actionsOf)).join(', ') || 'no action'} for ${expected}, not sts:AssumeRoleWithWebIdentity`;
  } else {
    const aud = accepted.flatMap((s) => cognitoConditions(s, 'aud').filter((c) => !c.negated));
    const amr = accepted.flatMap((s) => cognitoConditions(s, 'amr').filter((c) => !c.negated));
    const audValues = unique(aud.flatMap((c) => c.values));
    const amrValues = unique(amr.flatMap((c) => c.values));
    const wanted = amrFor(kind, userPoolId);
    if (audValues.length > 0 && !audValues.some((v) => wildcardMatches(v, identityPoolId))) {
      problem = `its trust lets identity pool ${audValues.join(', ')} use it, not ${identityPoolId}`;
    } else if (amrValues.length > 0 && !amrValues.some((v) => wanted.some((w) => wildcardMatches(v, w)))) {
      problem = `its trust accepts only ${amrValues.join(', ')} identities (amr), not ${kind} ones`;
    } else {
      problem = `the conditions of its trust policy do not match a ${kind} login from identity pool ${identityPoolId}`;
    }
  }
  const unsupported = unique(evaluations.flatMap((e) => e.unsupported));
  if (unsupported.length > 0) {
    return {
      allowed: false,
      problem,
      uncertain: `the trust policy of ${roleArn} uses condition operators cogdoctor cannot evaluate (${unsupported.join(', ')}); check it by hand`,
      evidence,
    };
  }
  return { allowed: false, problem, evidence };
}

function matchesRequest(statement: Statement, roleArn: string, identityPoolId: string, userPoolId: string | undefined, kind: WebIdentityKind): boolean {
  return webIdentityEvaluations({ Statement: [statement] }, roleArn, identityPoolId, userPoolId, kind).some((e) => e.denies.length > 0 || e.allows.length > 0);
}

/**
 * The role's trust policy repaired for `identityPoolId`: statements about other principals are
 * kept, a Cognito Deny is kept unless it blocks this pool, and the Cognito Allow statements become
 * one statement with the partition's principal, an `aud` that keeps every identity pool the role
 * already trusted (a shared role keeps working) plus this one, and `amr` = `kind`. Pass the user
 * pool so that a Deny on its provider's amr is recognised as blocking.
 */
export function repairedIdentityTrust(
  role: Role | undefined,
  roleArn: string,
  identityPoolId: string,
  kind: WebIdentityKind | WebIdentityKind[] = 'authenticated',
  userPoolId?: string,
): PolicyDocument {
  const kinds = asList(kind) as WebIdentityKind[];
  const partition = partitionOfRoleArn(roleArn);
  const policy = role ? trustPolicyOf(role).policy : undefined;
  const statements = policy?.Statement ?? [];
  const isCognito = (s: Statement) => cognitoFederatedNames(s).length > 0 || principalIds(s, 'Service').some(isCognitoIdentityPrincipal);
  const cognitoAllows = statements.filter((s) => s.Effect === 'Allow' && cognitoFederatedNames(s).length > 0);
  const principal =
    cognitoAllows.flatMap(cognitoFederatedNames).find((n) => acceptedIn(partition, n)) ?? cognitoIdentityPrincipalsFor(partition)[0]!;
  const pools = unique([...cognitoAllows.flatMap(literalAudPools).filter(looksLikeIdentityPoolId), identityPoolId]);
  const tagSession = cognitoAllows.some((s) => actionsOf(s).some((a) => a.toLowerCase() === 'sts:tagsession'));
  const kept = statements.filter((s) => !isCognito(s) || (s.Effect === 'Deny' && !kinds.some((k) => matchesRequest(s, roleArn, identityPoolId, userPoolId, k))));
  const actions = tagSession ? ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'] : 'sts:AssumeRoleWithWebIdentity';
  const statement: Statement = {
    Effect: 'Allow',
    Principal: { Federated: principal },
    Action: actions,
    Condition: {
      StringEquals: { [`${principal}:aud`]: pools.length === 1 ? pools[0]! : pools },
      'ForAnyValue:StringLike': { [`${principal}:amr`]: kinds.length === 1 ? kinds[0]! : kinds },
    },
  };
  return { Version: '2012-10-17', Statement: [...kept, statement] };
}

// ---------------------------------------------------------------------------------------------
// The CognitoOptions.RoleArn role (catalog A4)

const OPENSEARCH_SERVICE = 'opensearchservice.amazonaws.com';

/** The service principals OpenSearch Service presents when it assumes the Cognito access role. */
export function openSearchServicePrincipals(partition: string): string[] {
  const names = [OPENSEARCH_SERVICE, 'es.amazonaws.com'];
  return partition === 'aws-cn' ? [...names, 'opensearchservice.amazonaws.com.cn', 'es.amazonaws.com.cn'] : names;
}

export function serviceRoleTrustVerdict(role: Role, snapshot: Snapshot): IdentityTrustVerdict {
  const roleArn = role.Arn ?? '';
  const { policy, error } = trustPolicyOf(role);
  if (!policy) return { allowed: false, problem: `its trust policy cannot be read: ${error}`, evidence: { role: roleArn, AssumeRolePolicyDocument: role.AssumeRolePolicyDocument } };
  const services = openSearchServicePrincipals(partitionOfRoleArn(roleArn));
  // OpenSearch Service may send the confused-deputy keys; supplying them never turns a pass into a failure.
  const context = { 'aws:SourceAccount': accountIdOf(snapshot), 'aws:SourceArn': domainArnOf(snapshot) };
  const evaluations = services.map((id) =>
    evaluatePolicy(policy, { principal: { type: 'Service', id }, action: 'sts:AssumeRole', resource: roleArn, context }, 'resource'),
  );
  const allowStatements = policy.Statement.filter((s) => s.Effect === 'Allow');
  const trusted = unique(allowStatements.flatMap((s) => [...principalIds(s, 'Service'), ...principalIds(s, 'Federated'), ...principalIds(s, 'AWS')]));
  const evidence: Record<string, unknown> = { role: roleArn, expectedPrincipals: services.slice(0, 2), trustedPrincipals: trusted, trustPolicy: policy };
  if (evaluations.some((e) => e.decision === 'Allow')) return { allowed: true, evidence };
  const denies = evaluations.flatMap((e) => e.denies);
  let problem: string;
  const naming = allowStatements.filter((s) => principalIds(s, 'Service').some((id) => services.includes(id.toLowerCase())) || s.Principal === '*');
  if (denies.length > 0) {
    problem = `a Deny statement in its trust policy (${unique(denies.map((d) => d.sid ?? `Statement[${d.index}]`)).join(', ')}) blocks ${OPENSEARCH_SERVICE}`;
  } else if (naming.length === 0) {
    problem = trustNamesCognitoIdentity(policy)
      ? `its trust is written for ${COMMERCIAL_COGNITO_IDENTITY} (an identity-pool role), not for ${OPENSEARCH_SERVICE}`
      : `its trust policy does not trust ${OPENSEARCH_SERVICE} or es.amazonaws.com${trusted.length > 0 ? ` (it trusts ${trusted.join(', ')})` : ''}`;
  } else if (!naming.some((s) => allowsAction(s, 'sts:AssumeRole'))) {
    problem = `its trust allows ${unique(naming.flatMap(actionsOf)).join(', ') || 'no action'} for ${OPENSEARCH_SERVICE}, not sts:AssumeRole`;
  } else {
    problem = `the conditions of its trust policy do not match ${OPENSEARCH_SERVICE} assuming it for this domain`;
  }
  const unsupported = unique(evaluations.flatMap((e) => e.unsupported));
  if (denies.length === 0 && unsupported.length > 0) {
    return { allowed: false, problem, evidence, uncertain: `the trust policy of ${roleArn} uses condition operators cogdoctor cannot evaluate (${unsupported.join(', ')}); check it by hand` };
  }
  return { allowed: false, problem, evidence };
}

/** The trust the Cognito access role needs: other statements kept, Cognito identity statements and blocking Denies dropped. */
export function repairedServiceRoleTrust(role: Role | undefined): PolicyDocument {
  const policy = role ? trustPolicyOf(role).policy : undefined;
  const roleArn = role?.Arn ?? '';
  const services = openSearchServicePrincipals(partitionOfRoleArn(roleArn));
  const blocks = (s: Statement) =>
    s.Effect === 'Deny' &&
    services.some((id) => evaluatePolicy({ Statement: [s] }, { principal: { type: 'Service', id }, action: 'sts:AssumeRole', resource: roleArn }, 'resource').denies.length > 0);
  const kept = (policy?.Statement ?? []).filter((s) => !trustNamesCognitoIdentity({ Statement: [s] }) && !blocks(s));
  const alreadyTrusted = kept.some(
    (s) => s.Effect === 'Allow' && !s.Condition && services.some((id) => evaluatePolicy({ Statement: [s] }, { principal: { type: 'Service', id }, action: 'sts:AssumeRole', resource: roleArn }, 'resource').decision === 'Allow'),
  );
  const statement: Statement = { Effect: 'Allow', Principal: { Service: OPENSEARCH_SERVICE }, Action: 'sts:AssumeRole' };
  return { Version: '2012-10-17', Statement: alreadyTrusted ? kept : [...kept, statement] };
}

// ---------------------------------------------------------------------------------------------
// Which roles the identity pool names and hands out

/** The user pool groups, or [] with a gap noted when they cannot be known. */
export function userPoolGroupsOrGap(ctx: CheckContext): GroupType[] {
  try {
    ctx.userPool();
    return ctx.userPoolGroups();
  } catch (error) {
    if (!(error instanceof DataGap)) throw error;
    // A user pool that does not exist has no groups; user-pool-not-found reports it.
    if (error.gap.kind !== 'not-applicable') ctx.note(error.gap);
    return [];
  }
}

export interface IdentityPoolRoleUse {
  roleArn: string;
  /** Where the identity pool names it, in words. */
  uses: string[];
  /** Handed to signed-in users: the authenticated role, a group role or a rule role. */
  authenticated: boolean;
  unauthenticated: boolean;
}

/** Every role the identity pool and the user pool groups name, whether or not it is handed out. */
export function identityPoolRoleUses(ctx: CheckContext): IdentityPoolRoleUse[] {
  const roles = ctx.identityPoolRoles();
  // By ARN, in first-seen order: an account can have a role per group, hundreds of thousands of them.
  const uses = new Map<string, IdentityPoolRoleUse>();
  const add = (roleArn: string | undefined, use: string, kind: 'authenticated' | 'unauthenticated') => {
    if (!roleArn) return;
    let entry = uses.get(roleArn);
    if (!entry) uses.set(roleArn, (entry = { roleArn, uses: [], authenticated: false, unauthenticated: false }));
    entry.uses.push(use);
    entry[kind] = true;
  };
  add(roles.Roles?.['authenticated'], 'the authenticated role', 'authenticated');
  add(roles.Roles?.['unauthenticated'], 'the unauthenticated role', 'unauthenticated');
  for (const group of userPoolGroupsOrGap(ctx)) add(group.RoleArn, `the role of group ${group.GroupName}`, 'authenticated');
  for (const [key, mapping] of Object.entries(roles.RoleMappings ?? {})) {
    (mapping.RulesConfiguration?.Rules ?? []).forEach((rule, index) => add(rule.RoleARN, `the role of rule ${index + 1} of mapping ${key}`, 'authenticated'));
  }
  return [...uses.values()];
}

/** Groups that carry a role. */
export function roleBearingGroups(groups: GroupType[]): GroupType[] {
  return groups.filter((g) => Boolean(g.RoleArn));
}

/**
 * Who receives `Roles.authenticated` at a Dashboards login (decision rule 3), or undefined when
 * the mapping for the OpenSearch provider denies instead.
 */
export function defaultRoleUse(ctx: CheckContext): { who: string; mapping?: { key: string; mapping: RoleMapping } } | undefined {
  const mappings = Object.values(ctx.identityPoolRoles().RoleMappings ?? {});
  if (mappings.length === 0) return { who: 'every user' };
  let entry: { key: string; mapping: RoleMapping } | undefined;
  try {
    entry = openSearchRoleMapping(ctx);
  } catch (error) {
    // Which mapping applies depends on the app client; when none of them denies, the default role is handed out anyway.
    if (error instanceof DataGap && mappings.every((m) => m.AmbiguousRoleResolution !== 'Deny')) return { who: 'users whom no role mapping gives another role' };
    throw error;
  }
  if (!entry) return { who: 'every user' };
  const { mapping } = entry;
  if (mapping.AmbiguousRoleResolution === 'Deny') return undefined;
  if (mapping.Type === 'Token') {
    let groups: GroupType[];
    try {
      groups = ctx.userPoolGroups();
    } catch (error) {
      // The groups only decide the wording: whoever has no group role still gets the default role.
      if (error instanceof DataGap) return { who: 'users without a group role', mapping: entry };
      throw error;
    }
    return { who: roleBearingGroups(groups).length > 0 ? 'users without a group role' : 'every user', mapping: entry };
  }
  return { who: 'users matching no rule', mapping: entry };
}

// ---------------------------------------------------------------------------------------------
// Token-based mapping: group precedence (catalog E7, decision rule 16)

export interface PrecedenceTie {
  /** The shared precedence, or null for groups without one. */
  precedence: number | null;
  groups: GroupType[];
}

/**
 * Role-bearing groups that share a precedence while carrying different roles: a user in two of
 * them (and in no role group with a lower value) gets no cognito:preferred_role. Groups with the
 * same role do not tie (the role is still preferred). Groups without a precedence rank after every
 * numbered group (decision rule 16), so they tie only with each other.
 */
export function precedenceTies(groups: GroupType[]): PrecedenceTie[] {
  const byPrecedence = new Map<number | null, GroupType[]>();
  for (const group of roleBearingGroups(groups)) {
    const precedence = typeof group.Precedence === 'number' ? group.Precedence : null;
    byPrecedence.set(precedence, [...(byPrecedence.get(precedence) ?? []), group]);
  }
  return [...byPrecedence.entries()]
    .filter(([, members]) => new Set(members.map((g) => g.RoleArn)).size > 1)
    .map(([precedence, members]) => ({ precedence, groups: [...members].sort((a, b) => compareText(a.GroupName ?? '', b.GroupName ?? '')) }))
    .sort((a, b) => (a.precedence ?? Number.MAX_SAFE_INTEGER) - (b.precedence ?? Number.MAX_SAFE_INTEGER));
}

/** Precedence values not used by any group, from `after` up, for a suggested fix. */
export function freePrecedences(groups: GroupType[], after: number, count: number): number[] {
  const used = new Set(groups.map((g) => g.Precedence).filter((p): p is number => typeof p === 'number'));
  const free: number[] = [];
  for (let p = after + 1; free.length < count; p += 1) if (!used.has(p)) free.push(p);
  return free;
}

// ---------------------------------------------------------------------------------------------
// Rule-based mapping: which claims an ID token carries (catalog E8, decision rule 15)

/** Claims of a Cognito user pool ID token that rules can test, besides the pool's own attributes. */
export const ID_TOKEN_CLAIMS: ReadonlySet<string> = new Set([
  'sub', 'aud', 'iss', 'token_use', 'auth_time', 'exp', 'iat', 'jti', 'origin_jti', 'event_id', 'at_hash', 'nonce',
  'identities', 'cognito:username', 'cognito:groups', 'cognito:roles', 'cognito:preferred_role',
  'email', 'email_verified', 'phone_number', 'phone_number_verified', 'name', 'given_name', 'family_name',
  'middle_name', 'nickname', 'preferred_username', 'profile', 'picture', 'website', 'gender', 'birthdate',
  'zoneinfo', 'locale', 'address', 'updated_at',
]);

/** Claims every ID token carries, so a NotEqual rule on them is always evaluated. */
const ALWAYS_PRESENT = new Set(['sub', 'aud', 'iss', 'token_use', 'auth_time', 'exp', 'iat', 'jti', 'origin_jti', 'event_id', 'cognito:username']);

// Claim names people write for what the ID token calls otherwise.
const CLAIM_SUGGESTIONS: Record<string, string> = {
  username: 'cognito:username',
  'cognito:user': 'cognito:username',
  groups: 'cognito:groups',
  group: 'cognito:groups',
  'cognito:group': 'cognito:groups',
  roles: 'cognito:roles',
  preferred_role: 'cognito:preferred_role',
  email_address: 'email',
  mail: 'email',
  phone: 'phone_number',
};

export interface RuleClaimProblem {
  severity: 'error' | 'warning';
  /** Why the rule cannot match (or may not be evaluated), in words. */
  reason: string;
  /** A claim name that would work, when one is obvious. */
  suggestion?: string;
  /** The custom: attribute the rule tests and the user pool lacks: adding it is the fix (catalog D3). */
  missingCustomAttribute?: string;
}

/**
 * Whether SchemaAttributes is the pool's full schema as DescribeUserPool returns it (every pool has
 * the standard sub attribute), not an empty or hand-trimmed list.
 */
function schemaRead(schema: Array<{ Name?: string }>): boolean {
  return schema.some((a) => a.Name === 'sub');
}

/** Whether a rule can ever match a Dashboards login's ID token; undefined when it can. */
export function ruleClaimProblem(rule: MappingRule, ctx: CheckContext): RuleClaimProblem | undefined {
  const claim = rule.Claim ?? '';
  const schema = ctx.userPool().SchemaAttributes ?? [];
  const attribute = schema.find((a) => a.Name === claim);
  const lambda = ctx.userPool().LambdaConfig;
  const preToken = Boolean(lambda?.PreTokenGeneration || lambda?.PreTokenGenerationConfig?.LambdaArn);
  let problem: RuleClaimProblem | undefined;
  if (attribute?.DeveloperOnlyAttribute || claim.startsWith('dev:')) {
    problem = { severity: 'error', reason: `${claim} is a developer-only attribute, which ID tokens never carry` };
  } else if (!ID_TOKEN_CLAIMS.has(claim) && !claim.startsWith('custom:') && !attribute) {
    const custom = schema.find((a) => a.Name === `custom:${claim}`);
    const caseFix = [...ID_TOKEN_CLAIMS, ...schema.map((a) => a.Name ?? '')].find((n) => n.toLowerCase() === claim.toLowerCase());
    const suggestion = custom?.Name ?? CLAIM_SUGGESTIONS[claim.toLowerCase()] ?? caseFix;
    problem = custom
      ? { severity: 'error', reason: `${claim} is a custom attribute; the ID token names it ${custom.Name}`, suggestion }
      : { severity: 'error', reason: `no ID token from ${ctx.domain.CognitoOptions?.UserPoolId ?? 'the user pool'} has a ${claim} claim (it is neither a standard claim nor in the pool's SchemaAttributes)`, ...(suggestion ? { suggestion } : {}) };
    // A pre token generation Lambda can add any claim: the rule may match after all.
    if (preToken) problem = { ...problem, severity: 'warning', reason: `${problem.reason}, unless the pre token generation Lambda adds it` };
  } else if (claim.startsWith('custom:') && !attribute && schemaRead(schema) && !preToken) {
    // DescribeUserPool lists every custom attribute the pool has, so a custom: claim it does not list is in
    // no ID token. A pre token generation Lambda could add it, so then the rule stays possible.
    const caseFix = schema.map((a) => a.Name ?? '').find((n) => n.toLowerCase() === claim.toLowerCase());
    const customs = schema.filter((a) => a.Name?.startsWith('custom:')).map((a) => a.Name ?? '');
    problem = {
      severity: 'error',
      reason: `${ctx.domain.CognitoOptions?.UserPoolId ?? 'the user pool'} has no ${claim} attribute (its SchemaAttributes list ${customs.length > 0 ? `only the custom attributes ${customs.join(', ')}` : 'no custom attribute'}) and no pre token generation Lambda, so no ID token has that claim`,
      ...(caseFix ? { suggestion: caseFix } : { missingCustomAttribute: claim }),
    };
  } else if (rule.MatchType === 'NotEqual' && !ALWAYS_PRESENT.has(claim)) {
    problem = { severity: 'warning', reason: `a NotEqual rule is not evaluated when the token has no ${claim} claim, so users without it do not match` };
  }
  return problem;
}

/** A rule that every Dashboards login matches (so no user falls through to the ambiguous resolution). */
export function ruleMatchesEveryone(rule: MappingRule, clientId: string | undefined, userPoolId: string): boolean {
  const value = rule.Value ?? '';
  const issuer = `https://cognito-idp.${regionOfPoolId(userPoolId)}.amazonaws.com/${userPoolId}`;
  const target = rule.Claim === 'aud' ? clientId : rule.Claim === 'iss' ? issuer : rule.Claim === 'token_use' ? 'id' : undefined;
  if (!target) return false;
  if (rule.MatchType === 'Equals') return value === target;
  if (rule.MatchType === 'StartsWith') return target.startsWith(value);
  if (rule.MatchType === 'Contains') return target.includes(value);
  return false;
}

/** Claims that carry a list; how Cognito serialises them for a rule's comparison is not documented. */
const LIST_CLAIMS = new Set(['cognito:groups', 'cognito:roles', 'identities']);

export interface RuleShadow {
  /** The index of the earlier rule that catches every login this one matches. */
  by: number;
  /** `error` when certain; `warning` when it rests on how a list claim is compared (inferred). */
  severity: 'error' | 'warning';
  reason: string;
}

/**
 * Whether an earlier rule of the same mapping matches every token this rule matches, so this rule
 * is never the first match ("Rules are evaluated in order. The first one to match specifies the
 * role."). Only reported when the earlier rule hands out another role.
 */
export function ruleShadowedBy(
  rules: MappingRule[],
  index: number,
  clientId: string | undefined,
  userPoolId: string,
  neverMatches: (index: number) => boolean = () => false,
): RuleShadow | undefined {
  const rule = rules[index];
  if (!rule) return undefined;
  const v = rule.Value ?? '';
  for (let i = 0; i < index; i += 1) {
    const earlier = rules[i]!;
    if (earlier.RoleARN === rule.RoleARN || neverMatches(i)) continue;
    const label = `rule ${i + 1} (${earlier.Claim} ${earlier.MatchType} ${earlier.Value})`;
    if (ruleMatchesEveryone(earlier, clientId, userPoolId)) {
      return { by: i, severity: 'error', reason: `${label} comes first and matches every Dashboards login, and the first matching rule wins` };
    }
    if (earlier.Claim !== rule.Claim) continue;
    const e = earlier.Value ?? '';
    const t = rule.MatchType;
    let covers = false;
    if (earlier.MatchType === rule.MatchType && e === v) covers = true;
    else if (earlier.MatchType === 'Contains') covers = (t === 'Equals' || t === 'Contains' || t === 'StartsWith') && v.includes(e);
    else if (earlier.MatchType === 'StartsWith') covers = (t === 'Equals' || t === 'StartsWith') && v.startsWith(e);
    else if (earlier.MatchType === 'NotEqual') covers = t === 'Equals' && v !== e;
    if (!covers) continue;
    const list = LIST_CLAIMS.has(rule.Claim ?? '');
    const how = earlier.MatchType === rule.MatchType && e === v ? 'the same test' : `a test that every ${rule.Claim} value matching this rule also passes`;
    return {
      by: i,
      severity: list ? 'warning' : 'error',
      reason: `${label} comes first with ${how}, and the first matching rule wins${list ? ` (assuming Cognito compares ${rule.Claim} as text, as for Contains on group names; not documented)` : ''}`,
    };
  }
  return undefined;
}

/** The OpenSearch app client id, or undefined when it cannot be found or read (other checks report that). */
export function openSearchClientIdOrGap(ctx: CheckContext): string | undefined {
  try {
    return openSearchClientOf(ctx)?.ClientId;
  } catch (error) {
    if (!(error instanceof DataGap)) throw error;
    if (error.gap.kind !== 'not-applicable') ctx.note(error.gap);
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Fix commands

/** `arn:aws:iam::123456789012:role/service-role/X` → `/service-role/`. */
export function rolePathOf(roleArn: string): string {
  const resource = roleArn.split(':').slice(5).join(':');
  const parts = resource.split('/').slice(1, -1);
  return parts.length > 0 ? `/${parts.join('/')}/` : '/';
}

/** Custom attribute names: 1 to 20 characters after the custom: prefix (CustomAttributeNameType). */
const CUSTOM_ATTRIBUTE_NAME = /^custom:([^\s]{1,20})$/u;

/**
 * Adds a custom attribute to the user pool: a mutable String, since Cognito rewrites attributes an
 * identity provider maps at every federated sign-in. Undefined for a name Cognito would refuse.
 * Custom attributes cannot be removed or renamed afterwards.
 */
export function addCustomAttributeCommand(userPoolId: string, attribute: string): string | undefined {
  const name = CUSTOM_ATTRIBUTE_NAME.exec(attribute)?.[1];
  if (!name) return undefined;
  return sh(
    'aws', 'cognito-idp', 'add-custom-attributes', '--region', regionOfPoolId(userPoolId), '--user-pool-id', userPoolId,
    '--custom-attributes', JSON.stringify([{ Name: name, AttributeDataType: 'String', Mutable: true }]),
  );
}

/** Creates a missing role with the given trust policy (its permissions are attached separately). */
export function createRoleCommand(roleArn: string, trust: PolicyDocument): string {
  const path = rolePathOf(roleArn);
  return sh('aws', 'iam', 'create-role', '--role-name', roleNameOf(roleArn), ...(path !== '/' ? ['--path', path] : []), '--assume-role-policy-document', JSON.stringify(trust));
}

/** The ARN of a role cogdoctor suggests creating, in the domain's account and partition. */
export function suggestedRoleArn(snapshot: DomainPlace, name: string, path = '/'): string {
  return `arn:${partitionOf(snapshot)}:iam::${accountIdOf(snapshot)}:role${path}${name}`;
}

/**
 * The account a role lives in when it is not the account that was read: IAM commands for that role
 * must run with that account's credentials. Undefined for a role of the account read.
 */
export function otherAccountOfRole(snapshot: DomainPlace, roleArn: string): string | undefined {
  const account = roleArn.split(':')[4];
  const home = snapshot.accountId ?? snapshot.domain.ARN?.split(':')[4];
  return account && home && account !== home ? account : undefined;
}

/**
 * IAM commands that act on a role. For a role of another account they are no commands to paste
 * here: the credentials that read this account would act on this account (a role of the same name,
 * or NoSuchEntity), so they become steps that say which account's credentials run them.
 */
export function roleCommands(snapshot: DomainPlace, roleArn: string, commands: string[]): { commands: string[]; steps: string[] } {
  const account = otherAccountOfRole(snapshot, roleArn);
  if (!account) return { commands, steps: [] };
  return {
    commands: [],
    steps: commands.map((command) => `${roleNameOf(roleArn)} is in account ${account}, not in ${accountIdOf(snapshot)}: run this with credentials of account ${account} (e.g. --profile <a profile of ${account}>): ${command}`),
  };
}

/** A fix whose commands all act on the role: for a role of another account they become steps naming that account. */
export function fixForRole(snapshot: DomainPlace, roleArn: string, fix: Fix): Fix {
  const { steps } = roleCommands(snapshot, roleArn, fix.commands ?? []);
  if (steps.length === 0) return fix;
  const { commands: _elsewhere, ...rest } = fix;
  return { ...rest, steps: [...(fix.steps ?? []), ...steps] };
}

/** The IAM console steps that replace a role's trust policy. */
export function trustPolicySteps(roleArn: string, what: string): string[] {
  return [
    `IAM console → Roles → ${roleNameOf(roleArn)} → Trust relationships → Edit trust policy.`,
    `Replace the document with the policy in the command below (${what}), then Update policy.`,
  ];
}

/** "every user" → "no user can …"; otherwise "<who> cannot …". */
export function cannot(who: string, what: string): string {
  return who === 'every user' ? `no user can ${what}` : `${who} cannot ${what}`;
}

export const TRUST_IAC_HINT =
  'If CloudFormation, CDK or Terraform manages this role, change its AssumeRolePolicyDocument (aws_iam_role.assume_role_policy) there, or the next deployment puts the old trust back.';
