import type { RoleMapping } from '@aws-sdk/client-cognito-identity';
import { DataGap, type CheckContext } from '../../context/check-context.js';
import type { GroupType } from '../../snapshot/types.js';
import { openSearchRoleMapping } from '../pools.js';

// Which roles the identity pool names and hands out.

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
    if (error instanceof DataGap && mappings.every((m) => m.AmbiguousRoleResolution !== 'Deny'))
      return { who: 'users whom no role mapping gives another role' };
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
