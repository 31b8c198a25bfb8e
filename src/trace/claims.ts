// The claims the identity pool reads from a Dashboards login's ID token, built the way Cognito
// builds them, and Cognito's own rules for choosing a role from them.
import type { MappingRule } from '@aws-sdk/client-cognito-identity';
import { clientNameRegions, findDomainClient, identityPoolClientIdsOf, parseProviderName } from '../model/client.js';
import { precedenceTies, roleBearingGroups } from '../model/identity.js';
import { providerNameOf } from '../model/pools.js';
import type { GroupType, Snapshot } from '../snapshot/types.js';
import type { Claims, TokenInfo, TraceIdentity, UserRead } from './types.js';
import { compareText } from '../util/order.js';

/** Input that cannot be traced (an unknown group, a claims set that is not an object): a usage error. */
export class TraceInputError extends Error {}

/** `https://cognito-idp.<region>.amazonaws.com/<pool>`: the `iss` of the pool's tokens. */
export function issuerOf(userPoolId: string): string {
  return `https://${providerNameOf(userPoolId)}`;
}

/** The user pool an issuer names, with the provider name the identity pool lists for it. */
export function poolOfIssuer(iss: unknown): { userPoolId: string; region: string; providerName: string } | undefined {
  if (typeof iss !== 'string' || !iss.startsWith('https://')) return undefined;
  const providerName = iss.slice('https://'.length);
  const parsed = parseProviderName(providerName);
  return parsed ? { ...parsed, providerName } : undefined;
}

/** The OpenSearch app client of the snapshot (decision rule 6), when its clients were read. */
export function openSearchClientIdOf(snapshot: Snapshot): string | undefined {
  return findDomainClient(snapshot.domain, snapshot.userPoolClients ?? [], {
    regions: clientNameRegions(snapshot),
    identityPoolClientIds: identityPoolClientIdsOf(snapshot),
  })?.client.ClientId;
}

export function asStringList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return typeof value === 'string' && value !== '' ? [value] : [];
}

export interface PreferredRole {
  /** Every role of the user's groups, lowest precedence first: `cognito:roles`. */
  roles: string[];
  /** `cognito:preferred_role`, when one role has the single best precedence. */
  preferred?: string;
  /** The role-bearing groups that share the best precedence with different roles. */
  tie?: GroupType[];
}

const rank = (group: GroupType) => (typeof group.Precedence === 'number' ? group.Precedence : Number.POSITIVE_INFINITY);

/**
 * Cognito's rule: the preferred role is the role of the user's group with the lowest Precedence
 * among those that carry a role; groups without a Precedence sort last; when groups with different
 * roles share that lowest value, no preferred role is set (decision rule 16).
 */
export function preferredRoleOf(groups: GroupType[]): PreferredRole {
  const withRoles = [...roleBearingGroups(groups)].sort((a, b) => rank(a) - rank(b) || compareText(a.GroupName ?? '', b.GroupName ?? ''));
  const roles = [...new Set(withRoles.map((g) => g.RoleArn!))];
  const first = withRoles[0];
  if (!first) return { roles };
  const best = typeof first.Precedence === 'number' ? first.Precedence : null;
  const tie = precedenceTies(withRoles).find((t) => t.precedence === best);
  return tie ? { roles, tie: tie.groups } : { roles, preferred: first.RoleArn! };
}

/**
 * The string a rule compares. A list claim (`cognito:groups`, `cognito:roles`) is compared as its
 * members joined with commas, so Contains matches a group name (or part of one) and Equals matches
 * a user in exactly that one group; how Cognito serialises lists is not documented (inferred).
 */
export function claimString(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.map(String).join(',');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export interface RuleMatch {
  matched: boolean;
  /** The claim's value as compared, or undefined when the token has no such claim. */
  claimValue?: string;
}

/** One rule of a Rules mapping against the claims. A claim the token lacks matches nothing, NotEqual included. */
export function ruleMatches(rule: MappingRule, claims: Claims): RuleMatch {
  const actual = claimString(claims[rule.Claim ?? '']);
  if (actual === undefined) return { matched: false };
  const value = rule.Value ?? '';
  const matched =
    rule.MatchType === 'Equals'
      ? actual === value
      : rule.MatchType === 'Contains'
        ? actual.includes(value)
        : rule.MatchType === 'StartsWith'
          ? actual.startsWith(value)
          : rule.MatchType === 'NotEqual'
            ? actual !== value
            : false;
  return { matched, claimValue: actual };
}

/** The identity provider a user signed in with: the `identities` claim of federated users, else COGNITO. */
export function signInProviderOf(claims: Claims): string {
  let identities = claims['identities'];
  if (typeof identities === 'string') {
    try {
      identities = JSON.parse(identities);
    } catch {
      return 'COGNITO';
    }
  }
  const first = Array.isArray(identities) ? (identities[0] as { providerName?: unknown } | undefined) : undefined;
  return typeof first?.providerName === 'string' ? first.providerName : 'COGNITO';
}

function sortedClaims(claims: Claims): Claims {
  return Object.fromEntries(Object.entries(claims).sort(([a], [b]) => compareText(a, b)));
}

/**
 * Fills in what a Dashboards ID token always carries and a hand-written claims set may leave out:
 * iss and aud (the domain's user pool and OpenSearch client), token_use, and for a user in groups
 * cognito:roles and cognito:preferred_role from the groups' roles and precedence.
 */
function complete(snapshot: Snapshot, claims: Claims, derived: string[], groups: GroupType[] | undefined): Claims {
  const out = { ...claims };
  const userPoolId = snapshot.domain.CognitoOptions?.UserPoolId;
  if (out['iss'] === undefined && userPoolId) {
    out['iss'] = issuerOf(userPoolId);
    derived.push(`iss: the domain's user pool ${userPoolId}`);
  }
  if (out['aud'] === undefined) {
    const clientId = openSearchClientIdOf(snapshot);
    if (clientId) {
      out['aud'] = clientId;
      derived.push(`aud: the domain's OpenSearch app client ${clientId}`);
    }
  }
  if (out['token_use'] === undefined) out['token_use'] = 'id';
  if (groups && out['cognito:roles'] === undefined && out['cognito:preferred_role'] === undefined) {
    const { roles, preferred, tie } = preferredRoleOf(groups);
    if (roles.length > 0) {
      out['cognito:roles'] = roles;
      derived.push("cognito:roles: the roles of the user's groups");
    }
    if (preferred) {
      out['cognito:preferred_role'] = preferred;
      derived.push('cognito:preferred_role: the role of the group with the lowest precedence');
    } else if (tie) {
      derived.push(`no cognito:preferred_role: groups ${tie.map((g) => g.GroupName).join(', ')} tie on the lowest precedence with different roles`);
    }
  }
  return sortedClaims(out);
}

/** The snapshot's groups by name; undefined when the pool's groups were not read. */
function snapshotGroups(snapshot: Snapshot, names: string[]): { found: GroupType[]; missing: string[] } | undefined {
  if (!snapshot.userPoolGroups) return undefined;
  const found: GroupType[] = [];
  const missing: string[] = [];
  for (const name of names) {
    const group = snapshot.userPoolGroups.find((g) => g.GroupName === name);
    if (group) found.push(group);
    else missing.push(name);
  }
  return { found, missing };
}

function listGroupsGap(snapshot: Snapshot): string {
  const failed = (snapshot.errors ?? []).some((e) => e.operation.endsWith(':ListGroups'));
  return failed
    ? "the user pool's groups could not be read (cognito-idp:ListGroups failed), so their roles and precedence are unknown"
    : "the user pool's groups are not in the snapshot (cognito-idp:ListGroups would read them), so their roles and precedence are unknown";
}

/** `--claims FILE`: the claims as given, completed where a real token would say more. */
export function identityFromClaims(snapshot: Snapshot, claims: unknown, file: string): TraceIdentity {
  if (!claims || typeof claims !== 'object' || Array.isArray(claims)) throw new TraceInputError(`${file}: the claims must be a JSON object`);
  const given = claims as Claims;
  const derived: string[] = [];
  const unknown: TraceIdentity['unknown'] = {};
  const names = asStringList(given['cognito:groups']);
  let groups: GroupType[] | undefined;
  if (names.length > 0 && given['cognito:roles'] === undefined && given['cognito:preferred_role'] === undefined) {
    const known = snapshotGroups(snapshot, names);
    if (!known) unknown.groups = listGroupsGap(snapshot);
    else {
      groups = known.found;
      if (known.missing.length > 0) derived.push(`the user pool has no group ${known.missing.join(', ')}: it carries no role`);
    }
  }
  return { source: 'claims', label: `claims from ${file}`, claims: complete(snapshot, given, derived, groups), derived, unknown };
}

/** `--groups a,b`: a what-if user of the domain's user pool in exactly these groups. */
export function identityFromGroups(snapshot: Snapshot, names: string[]): TraceIdentity {
  const derived: string[] = [];
  const unknown: TraceIdentity['unknown'] = {};
  let groups: GroupType[] | undefined;
  const known = snapshotGroups(snapshot, names);
  if (!known) unknown.groups = listGroupsGap(snapshot);
  else if (known.missing.length > 0) {
    const existing = (snapshot.userPoolGroups ?? []).map((g) => g.GroupName).join(', ') || 'none';
    throw new TraceInputError(`--groups: the user pool has no group ${known.missing.join(', ')} (its groups: ${existing})`);
  } else groups = known.found;
  const claims: Claims = { 'cognito:username': '(what-if user)' };
  if (names.length > 0) claims['cognito:groups'] = names;
  const label = names.length > 0 ? `what-if user in groups ${names.join(', ')}` : 'what-if user in no group';
  return { source: 'groups', label, claims: complete(snapshot, claims, derived, groups), derived, unknown };
}

/** Attributes AdminGetUser returns as strings that the ID token carries as booleans or JSON. */
function attributeValue(name: string, value: string): unknown {
  if (name === 'email_verified' || name === 'phone_number_verified') return value === 'true';
  if (name === 'identities') {
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }
  return value;
}

/** `--user NAME`: the claims Cognito puts in the user's ID token, from AdminGetUser and AdminListGroupsForUser. */
export function identityFromUser(snapshot: Snapshot, read: UserRead): TraceIdentity {
  const derived: string[] = [];
  const unknown: TraceIdentity['unknown'] = {};
  const claims: Claims = { 'cognito:username': read.user?.Username ?? read.username, iss: issuerOf(read.userPoolId) };
  if (read.user) {
    // Developer-only attributes never reach a token; custom ones keep their custom: name.
    for (const { Name, Value } of read.user.UserAttributes ?? []) {
      if (Name && Value !== undefined && !Name.startsWith('dev:')) claims[Name] = attributeValue(Name, Value);
    }
  } else
    unknown.attributes = `the user's attributes could not be read (${read.userError?.operation ?? 'cognito-idp:AdminGetUser'} ${read.userError?.code ?? 'failed'})`;
  if (read.groups) {
    if (read.groups.length > 0) claims['cognito:groups'] = read.groups.map((g) => g.GroupName ?? '');
  } else
    unknown.groups = `the user's groups could not be read (${read.groupsError?.operation ?? 'cognito-idp:AdminListGroupsForUser'} ${read.groupsError?.code ?? 'failed'})`;
  const identity = complete(snapshot, claims, derived, read.groups);
  return { source: 'user', label: `user ${read.username}`, claims: identity, derived, unknown, user: read };
}

/** `--token JWT`: the token's own claims; only what Cognito always sets is filled in. */
export function identityFromToken(snapshot: Snapshot, payload: Claims, token: TokenInfo): TraceIdentity {
  const derived: string[] = [];
  const groups = asStringList(payload['cognito:groups']);
  // A token's roles are what Cognito issued at sign-in; say so when the groups now give another.
  const known = groups.length > 0 ? snapshotGroups(snapshot, groups) : undefined;
  if (known) {
    const now = preferredRoleOf(known.found).preferred;
    const issued = payload['cognito:preferred_role'];
    if (now !== issued && (now !== undefined || issued !== undefined)) {
      derived.push(
        `the token's cognito:preferred_role (${String(issued ?? 'none')}) differs from what the groups give today (${now ?? 'none'}): the groups changed after sign-in; signing in again picks that up`,
      );
    }
  }
  return { source: 'token', label: `token ${token.fingerprint}`, claims: sortedClaims({ ...payload }), derived, unknown: {}, token };
}
