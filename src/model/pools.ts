import type { RoleMapping } from '@aws-sdk/client-cognito-identity';
import { DataGap, type CheckContext } from '../context/check-context.js';
import type { Snapshot, UserPoolClientType } from '../snapshot/types.js';
import { domainClientIdentity } from './client.js';
import { accountIdOf, partitionOf } from './domain.js';

/** `us-east-1_AbC` → `us-east-1`; `us-east-1:guid` → `us-east-1`. */
export function regionOfPoolId(id: string): string {
  return id.split(/[_:]/)[0] ?? '';
}

/** The identity pool's provider name for a user pool. */
export function providerNameOf(userPoolId: string): string {
  return `cognito-idp.${regionOfPoolId(userPoolId)}.amazonaws.com/${userPoolId}`;
}

/** The RoleMappings key for one app client of a user pool. */
export function roleMappingKeyOf(userPoolId: string, clientId: string): string {
  return `${providerNameOf(userPoolId)}:${clientId}`;
}

export function userPoolArnOf(snapshot: Snapshot, userPoolId: string): string {
  return snapshot.userPool?.Arn ?? `arn:${partitionOf(snapshot)}:cognito-idp:${regionOfPoolId(userPoolId)}:${accountIdOf(snapshot)}:userpool/${userPoolId}`;
}

export function identityPoolArnOf(snapshot: Snapshot, identityPoolId: string): string {
  return `arn:${partitionOf(snapshot)}:cognito-identity:${regionOfPoolId(identityPoolId)}:${accountIdOf(snapshot)}:identitypool/${identityPoolId}`;
}

/** Which client is the OpenSearch app client (decision rule 6), or undefined when it is gone. */
export function openSearchClientOf(ctx: CheckContext): UserPoolClientType | undefined {
  return domainClientIdentity(ctx)?.client;
}

/** The role mapping that applies to Dashboards logins, with its key. */
export function openSearchRoleMapping(ctx: CheckContext): { key: string; mapping: RoleMapping } | undefined {
  const userPoolId = ctx.domain.CognitoOptions?.UserPoolId;
  // Without any role mapping the app client does not matter: no need to read it.
  if (Object.keys(ctx.identityPoolRoles().RoleMappings ?? {}).length === 0) return undefined;
  const client = openSearchClientOf(ctx);
  if (!userPoolId || !client?.ClientId) return undefined;
  const key = roleMappingKeyOf(userPoolId, client.ClientId);
  const mapping = ctx.identityPoolRoles().RoleMappings?.[key];
  return mapping ? { key, mapping } : undefined;
}

export interface RoleGrant {
  roleArn: string;
  /** Who receives the role, in words ("every user", "members of group admins"). */
  who: string[];
  via: Array<'default' | 'group' | 'rule'>;
}

export interface RolesUsersGetOptions {
  /**
   * Under a Token mapping whose user pool groups cannot be read (ListGroups denied), note the gap
   * on `ctx` and return the roles that do not depend on the groups (the default role), instead of
   * stopping: the check then judges those and stays unknown for the group roles.
   */
  partial?: boolean;
}

/** The roles users actually get at login (decision rule 3). */
export function rolesUsersGet(ctx: CheckContext, options: RolesUsersGetOptions = {}): RoleGrant[] {
  const roles = ctx.identityPoolRoles();
  const authenticated = roles.Roles?.['authenticated'];
  const grants: RoleGrant[] = [];
  const grant = (roleArn: string | undefined, who: string, via: RoleGrant['via'][number]) => {
    if (!roleArn) return;
    const existing = grants.find((g) => g.roleArn === roleArn);
    if (existing) {
      existing.who.push(who);
      if (!existing.via.includes(via)) existing.via.push(via);
    } else grants.push({ roleArn, who: [who], via: [via] });
  };
  const entry = openSearchRoleMapping(ctx);
  if (!entry) {
    grant(authenticated, 'every user', 'default');
    return grants;
  }
  const { mapping } = entry;
  if (mapping.Type === 'Token') {
    for (const group of groupsOf(ctx, options)) grant(group.RoleArn, `members of group ${group.GroupName}`, 'group');
  } else if (mapping.Type === 'Rules') {
    (mapping.RulesConfiguration?.Rules ?? []).forEach((rule, index) =>
      grant(rule.RoleARN, `users matching rule ${index + 1} (${rule.Claim} ${rule.MatchType} ${rule.Value})`, 'rule'),
    );
  }
  if (mapping.AmbiguousRoleResolution !== 'Deny') {
    grant(authenticated, mapping.Type === 'Token' ? 'users without a group role' : 'users matching no rule', 'default');
  }
  return grants;
}

function groupsOf(ctx: CheckContext, options: RolesUsersGetOptions): ReturnType<CheckContext['userPoolGroups']> {
  if (!options.partial) return ctx.userPoolGroups();
  try {
    return ctx.userPoolGroups();
  } catch (error) {
    if (!(error instanceof DataGap)) throw error;
    // A user pool that does not exist has no groups (user-pool-not-found reports it).
    if (error.gap.kind !== 'not-applicable') ctx.note({ ...error.gap, reason: `the group roles could not be judged: ${error.gap.reason}` });
    return [];
  }
}
