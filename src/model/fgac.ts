// The security plugin's role mappings: which security roles a role or user gets once a request is
// past the access policy (fine-grained access control).
import { DataGap, type CheckContext } from '../context/check-context.js';
import { undecidedInCode } from '../snapshot/gaps.js';
import type { RolesMappingEntry, Snapshot } from '../snapshot/types.js';
import { domainArnOf, isElasticsearch, isVpcDomain } from './domain.js';
import { compareText } from '../util/order.js';
import { matchesWildcard } from '../policy/wildcard.js';
import { javaRegexMatches } from './security-regex.js';

/** Security roles that give Dashboards access (decision rule 13). */
export const DASHBOARDS_SECURITY_ROLES = ['all_access', 'opensearch_dashboards_user', 'kibana_user'] as const;

/** The Dashboards role by its engine-era name. */
export function dashboardsSecurityRole(snapshot: Snapshot): 'kibana_user' | 'opensearch_dashboards_user' {
  return isElasticsearch(snapshot.domain) ? 'kibana_user' : 'opensearch_dashboards_user';
}

/** A pattern cogdoctor cannot evaluate, with why. */
export interface UndecidablePattern {
  pattern: string;
  reason: string;
}

/** Whether a security-plugin pattern matches a value: yes, no, or that cannot be told. */
export type PatternVerdict = boolean | UndecidablePattern;

/**
 * The security plugin's matcher: `/regex/` (a Java regular expression matched against the whole
 * value), `*` and `?` wildcards, or an exact, case-sensitive string. Both run in bounded time on
 * any pattern; a regex that needs Java-only or backtracking semantics is undecidable.
 */
export function securityPatternVerdict(pattern: string, value: string): PatternVerdict {
  if (pattern.length > 1 && pattern.startsWith('/') && pattern.endsWith('/')) {
    const verdict = javaRegexMatches(pattern.slice(1, -1), value);
    return 'matches' in verdict ? verdict.matches : { pattern, reason: verdict.undecidable };
  }
  return matchesWildcard(pattern, value);
}

/** Some item matches: yes as soon as one does; undecidable when none does but one cannot be told. */
function some<T>(items: T[], verdict: (item: T) => PatternVerdict): PatternVerdict {
  let open: UndecidablePattern | undefined;
  for (const item of items) {
    const result = verdict(item);
    if (result === true) return true;
    if (result !== false) open ??= result;
  }
  return open ?? false;
}

/** Every item matches: no as soon as one does not; undecidable when none fails but one cannot be told. */
function every<T>(items: T[], verdict: (item: T) => PatternVerdict): PatternVerdict {
  let open: UndecidablePattern | undefined;
  for (const item of items) {
    const result = verdict(item);
    if (result === false) return false;
    if (result !== true) open ??= result;
  }
  return open ?? true;
}

const ROLE_ARN = /^arn:([^:]+):iam::(\d{12}):role\/(?:(.*)\/)?([^/]+)$/;

/** `arn:aws:iam::123456789012:role/dashboards/X` with its parts; undefined for anything else. */
function roleArnParts(arn: string): { partition: string; account: string; path: string; name: string } | undefined {
  const match = ROLE_ARN.exec(arn);
  return match ? { partition: match[1]!, account: match[2]!, path: match[3] ? `/${match[3]}/` : '/', name: match[4]! } : undefined;
}

/**
 * Whether a backend_roles entry names the same role in another IAM path (the ARN without the path,
 * or with a different one): a near miss that never matches the session's backend role.
 */
function namesRoleInOtherPath(pattern: string, roleArn: string): boolean {
  const role = roleArnParts(roleArn);
  if (!role) return false;
  const listed = roleArnParts(pattern);
  if (listed && !/[*?]/.test(pattern))
    return listed.partition === role.partition && listed.account === role.account && listed.name === role.name && listed.path !== role.path;
  // A wildcard or regex written for the ARN without its path.
  const bare = `arn:${role.partition}:iam::${role.account}:role/${role.name}`;
  return bare !== roleArn && securityPatternVerdict(pattern, bare) === true;
}

export interface RoleMappingView {
  /** Security roles whose backend_roles match the role as FGAC sees it. */
  securityRoles: string[];
  /**
   * Near misses: security roles that list the same role in another IAM path (most often the ARN
   * without its path) but not the role's own ARN, with the entry as written.
   */
  otherPath: Array<{ securityRole: string; listed: string }>;
  /** `Cognito/<pool>/<user>` entries in `users`: they map single users, not the role. */
  cognitoUsers: Array<{ securityRole: string; users: string[] }>;
  /**
   * Security roles that list the role ARN under `users`, not `backend_roles`. That matches requests
   * signed with the role itself (their user name is the role ARN), but a Cognito user's user name is
   * `Cognito/<pool>/<user>` and the role arrives as a backend role: IAM role ARNs belong in backend
   * roles (fgac.html, "Mapping roles to users").
   */
  asUser: string[];
  /** Security roles whose patterns cogdoctor cannot evaluate and that may map the role: the answer for them is unknown. */
  undecided: Array<{ securityRole: string } & UndecidablePattern>;
}

/**
 * How the role mappings treat a role. FGAC sees a Cognito session's role as a backend role written
 * as the IAM role ARN with its path (`arn:<partition>:iam::<account>:role/<path>/<name>`): the
 * assumed-role session ARN carries no path, but the security plugin's own errors name the backend
 * role with it (`backend_roles=[arn:aws:iam::…:role/service-role/KinesisFirehoseServiceRole-…]`,
 * `backend_roles=[arn:aws:iam::…:role/aws-reserved/sso.amazonaws.com/…/AWSReservedSSO_…]`), so a
 * mapping matches the full ARN only.
 */
export function mappingsOfRole(rolesMapping: Record<string, RolesMappingEntry>, roleArn: string, userPoolId?: string): RoleMappingView {
  const view: RoleMappingView = { securityRoles: [], otherPath: [], cognitoUsers: [], asUser: [], undecided: [] };
  // Two unrelated user names: a users pattern that matches both maps every user of the pool.
  const anyUsers = [`Cognito/${userPoolId ?? 'pool'}/a`, `Cognito/${userPoolId ?? 'pool'}/zq-9e1f7c2b-user@example.com`];
  for (const [securityRole, entry] of Object.entries(rolesMapping).sort(([a], [b]) => compareText(a, b))) {
    const patterns = entry.backend_roles ?? [];
    const users = entry.users ?? [];
    const allOf = entry.and_backend_roles ?? [];
    const maps = some<() => PatternVerdict>(
      [
        () => some(patterns, (p) => securityPatternVerdict(p, roleArn)),
        // and_backend_roles maps users who hold every role it lists; a Cognito user holds just this one.
        () => (allOf.length > 0 ? every(allOf, (p) => securityPatternVerdict(p, roleArn)) : false),
        // users: ["*"] (or Cognito/<pool>/*) maps every user, Cognito users included, whatever their backend roles.
        () => some(users, (u) => every(anyUsers, (name) => securityPatternVerdict(u, name))),
      ],
      (verdict) => verdict(),
    );
    if (maps === true) view.securityRoles.push(securityRole);
    else {
      if (maps !== false) view.undecided.push({ securityRole, ...maps });
      const listed = [...patterns, ...allOf].find((p) => namesRoleInOtherPath(p, roleArn));
      if (listed !== undefined) view.otherPath.push({ securityRole, listed });
    }
    const prefix = userPoolId ? `Cognito/${userPoolId}/` : 'Cognito/';
    const cognitoUsers = users.filter((u) => u.startsWith(prefix));
    if (cognitoUsers.length > 0) view.cognitoUsers.push({ securityRole, users: cognitoUsers });
    if (users.includes(roleArn)) view.asUser.push(securityRole);
  }
  return view;
}

/** "all_access lists /(a)\\1/, which cogdoctor cannot evaluate (backreference …)", for an unknown's reason. */
export function describeUndecided(undecided: RoleMappingView['undecided']): string {
  return undecided.map((u) => `${u.securityRole} lists ${u.pattern}, which cogdoctor cannot evaluate (${u.reason})`).join('; ');
}

/** The security roles whose users or backend_roles patterns match a value (an IAM user ARN), and those that cannot be told. */
export function securityRolesMatching(
  rolesMapping: Record<string, RolesMappingEntry>,
  value: string,
): { securityRoles: string[]; undecided: Array<{ securityRole: string } & UndecidablePattern> } {
  const securityRoles: string[] = [];
  const undecided: Array<{ securityRole: string } & UndecidablePattern> = [];
  for (const [securityRole, entry] of Object.entries(rolesMapping).sort(([a], [b]) => compareText(a, b))) {
    const verdict = some([...(entry.users ?? []), ...(entry.backend_roles ?? [])], (p) => securityPatternVerdict(p, value));
    if (verdict === true) securityRoles.push(securityRole);
    else if (verdict !== false) undecided.push({ securityRole, ...verdict });
  }
  return { securityRoles, undecided };
}

/** Whether the code of a failed security-plugin read says the network, rather than the caller, is the problem. */
function unreachable(code: string): boolean {
  return /timeout|timedout|econn|enotfound|ehostunreach|network|socket/i.test(code);
}

/**
 * The FGAC role mappings (decision rule 14). Not collected → not evaluated; a failed read → unknown,
 * naming what is missing: a caller mapped to all_access or security_manager, and network reach for
 * VPC domains.
 */
export function readRolesMapping(ctx: CheckContext): Record<string, RolesMappingEntry> {
  try {
    return ctx.rolesMapping();
  } catch (error) {
    if (!(error instanceof DataGap) || error.gap.kind !== 'unknown') throw error;
    const failure = ctx.rolesMappingError();
    if (failure && undecidedInCode(failure)) throw error;
    const where = failure?.resource ?? `${domainArnOf(ctx.snapshot)}/_plugins/_security/api/rolesmapping`;
    const code = failure?.code ?? 'an error';
    const vpc = isVpcDomain(ctx.domain);
    const caller = 'run cogdoctor as a principal mapped to all_access or security_manager';
    const reach = vpc ? ' from a host that reaches the VPC endpoint' : '';
    const reason = unreachable(code)
      ? `the security plugin at ${where} could not be reached (${code}): ${caller}${reach}`
      : `the security plugin at ${where} answered ${code}: ${caller}${reach}`;
    throw new DataGap({ kind: 'unknown', reason, permission: 'es:ESHttpGet' });
  }
}
