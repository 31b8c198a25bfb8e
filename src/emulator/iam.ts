// iam read operations on the login path's roles and their policies.
import { createHash } from 'node:crypto';
import type { GroupPolicies, InlinePolicy, Role, User } from '../snapshot/types.js';
import { ApiError } from './errors.js';
import type { Account } from './account.js';
import type { Handler, Params } from './types.js';
import { optionalInt, optionalString, paginate, requiredString } from './wire.js';

const INVALID = 'ValidationError';

/**
 * Policy documents travel URL-encoded, exactly as `encodeURIComponent(JSON.stringify(doc))`.
 * Snapshots hold them decoded (object or JSON text) or already encoded; never encode twice.
 */
export function encodePolicyDocument(document: unknown): string | undefined {
  if (document === undefined || document === null) return undefined;
  if (typeof document !== 'string') return encodeURIComponent(JSON.stringify(document));
  return document.trimStart().startsWith('{') ? encodeURIComponent(document) : document;
}

/** A role the account knows: described in the snapshot, or known only by the policies recorded for it (its GetRole failed). */
function knownRoleName(params: Params, account: Account): string {
  const name = requiredString(params, 'RoleName', INVALID);
  if (!account.roles.has(name) && !account.rolePolicies.has(name)) throw new ApiError('NoSuchEntity', `The role with name ${name} cannot be found.`);
  return name;
}

function role(params: Params, account: Account): { name: string; role: Role } {
  const name = requiredString(params, 'RoleName', INVALID);
  const found = account.roles.get(name);
  if (!found) throw new ApiError('NoSuchEntity', `The role with name ${name} cannot be found.`);
  return { name, role: found };
}

function listPage<T>(items: T[], params: Params, pageSize: number) {
  const page = paginate(items, optionalString(params, 'Marker'), optionalInt(params, 'MaxItems'), pageSize, INVALID);
  return { IsTruncated: page.next !== undefined, Marker: page.next, items: page.items };
}

function managedPolicy(params: Params, account: Account) {
  const arn = requiredString(params, 'PolicyArn', INVALID);
  const policy = account.managedPolicy(arn);
  if (!policy) throw new ApiError('NoSuchEntity', `Policy ${arn} does not exist or is not attachable.`);
  return { arn, policy };
}

/** `arn:aws:iam::aws:policy/service-role/X` lives at path `/service-role/`. */
function policyPath(arn: string): string {
  const path = arn.split(':policy')[1] ?? '/';
  return path.slice(0, path.lastIndexOf('/') + 1) || '/';
}

function user(params: Params, account: Account): { name: string; user: User } {
  const name = requiredString(params, 'UserName', INVALID);
  const found = account.iamUsers.get(name);
  if (!found) throw new ApiError('NoSuchEntity', `The user with name ${name} cannot be found.`);
  return { name, user: found };
}

function group(params: Params, account: Account): { name: string; group: GroupPolicies } {
  const name = requiredString(params, 'GroupName', INVALID);
  const found = account.iamGroups.get(name);
  if (!found) throw new ApiError('NoSuchEntity', `The group with name ${name} cannot be found.`);
  return { name, group: found };
}

/** A stable IAM unique id for a resource the snapshot does not give one to. */
function uniqueId(prefix: string, arn: string): string {
  return prefix + createHash('sha256').update(arn).digest('hex').slice(0, 17).toUpperCase();
}

function inlineDocument(inline: InlinePolicy[] | undefined, policyName: string, what: string) {
  const found = inline?.find((p) => p.PolicyName === policyName);
  if (!found) throw new ApiError('NoSuchEntity', `The ${what} policy with name ${policyName} cannot be found.`);
  return encodePolicyDocument(found.PolicyDocument);
}

export const iamOperations: Record<string, Handler> = {
  GetRole: ({ params }, { account }) => {
    const found = role(params, account).role;
    return { Role: { ...found, AssumeRolePolicyDocument: encodePolicyDocument(found.AssumeRolePolicyDocument) } };
  },

  ListAttachedRolePolicies: ({ params }, { account, pageSize }) => {
    const name = knownRoleName(params, account);
    const attached = (account.policiesOfRole(name)?.attached ?? []).map((p) => ({ PolicyName: p.PolicyName, PolicyArn: p.PolicyArn }));
    const { items, ...page } = listPage(attached, params, pageSize);
    return { AttachedPolicies: items, ...page };
  },

  ListRolePolicies: ({ params }, { account, pageSize }) => {
    const name = knownRoleName(params, account);
    const names = (account.policiesOfRole(name)?.inline ?? []).map((p) => p.PolicyName);
    const { items, ...page } = listPage(names, params, pageSize);
    return { PolicyNames: items, ...page };
  },

  GetRolePolicy: ({ params }, { account }) => {
    const name = knownRoleName(params, account);
    const policyName = requiredString(params, 'PolicyName', INVALID);
    const inline = account.policiesOfRole(name)?.inline?.find((p) => p.PolicyName === policyName);
    if (!inline) throw new ApiError('NoSuchEntity', `The role policy with name ${policyName} cannot be found.`);
    return { RoleName: name, PolicyName: policyName, PolicyDocument: encodePolicyDocument(inline.PolicyDocument) };
  },

  GetUser: ({ params }, { account }) => {
    const found = user(params, account).user;
    return { User: { ...found, Path: found.Path ?? '/', UserId: found.UserId ?? uniqueId('AIDA', found.Arn ?? '') } };
  },

  ListAttachedUserPolicies: ({ params }, { account, pageSize }) => {
    const { name } = user(params, account);
    const attached = (account.userPolicies.get(name)?.attached ?? []).map((p) => ({ PolicyName: p.PolicyName, PolicyArn: p.PolicyArn }));
    const { items, ...page } = listPage(attached, params, pageSize);
    return { AttachedPolicies: items, ...page };
  },

  ListUserPolicies: ({ params }, { account, pageSize }) => {
    const { name } = user(params, account);
    const { items, ...page } = listPage((account.userPolicies.get(name)?.inline ?? []).map((p) => p.PolicyName), params, pageSize);
    return { PolicyNames: items, ...page };
  },

  GetUserPolicy: ({ params }, { account }) => {
    const { name } = user(params, account);
    const policyName = requiredString(params, 'PolicyName', INVALID);
    return { UserName: name, PolicyName: policyName, PolicyDocument: inlineDocument(account.userPolicies.get(name)?.inline, policyName, 'user') };
  },

  ListGroupsForUser: ({ params }, { account, pageSize }) => {
    const { name } = user(params, account);
    const groups = (account.userPolicies.get(name)?.groups ?? []).map((g) => {
      const arn = account.groupArn(g.GroupName ?? '');
      return { Path: '/', GroupName: g.GroupName, GroupId: uniqueId('AGPA', arn), Arn: arn, CreateDate: '2024-01-01T00:00:00Z' };
    });
    const { items, ...page } = listPage(groups, params, pageSize);
    return { Groups: items, ...page };
  },

  ListAttachedGroupPolicies: ({ params }, { account, pageSize }) => {
    const attached = (group(params, account).group.attached ?? []).map((p) => ({ PolicyName: p.PolicyName, PolicyArn: p.PolicyArn }));
    const { items, ...page } = listPage(attached, params, pageSize);
    return { AttachedPolicies: items, ...page };
  },

  ListGroupPolicies: ({ params }, { account, pageSize }) => {
    const { items, ...page } = listPage((group(params, account).group.inline ?? []).map((p) => p.PolicyName), params, pageSize);
    return { PolicyNames: items, ...page };
  },

  GetGroupPolicy: ({ params }, { account }) => {
    const { name, group: found } = group(params, account);
    const policyName = requiredString(params, 'PolicyName', INVALID);
    return { GroupName: name, PolicyName: policyName, PolicyDocument: inlineDocument(found.inline, policyName, 'group') };
  },

  GetPolicy: ({ params }, { account }) => {
    const { arn, policy } = managedPolicy(params, account);
    const attachments = [...account.rolePolicies.values()].filter((p) => p.attached?.some((a) => a.PolicyArn === arn)).length;
    return {
      Policy: {
        PolicyName: policy.PolicyName ?? arn.slice(arn.lastIndexOf('/') + 1),
        PolicyId: uniqueId('ANPA', arn),
        Arn: arn,
        Path: policyPath(arn),
        DefaultVersionId: 'v1',
        AttachmentCount: attachments,
        IsAttachable: true,
      },
    };
  },

  GetPolicyVersion: ({ params }, { account }) => {
    const { arn, policy } = managedPolicy(params, account);
    const version = requiredString(params, 'VersionId', INVALID);
    // Snapshots keep only the default version's document, which the emulator calls v1.
    if (version !== 'v1') throw new ApiError('NoSuchEntity', `Policy ${arn} version ${version} does not exist.`);
    return { PolicyVersion: { Document: encodePolicyDocument(policy.Document), VersionId: 'v1', IsDefaultVersion: true } };
  },
};
