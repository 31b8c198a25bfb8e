// iam read operations on the login path's roles and their policies.
import { createHash } from 'node:crypto';
import type { GroupPolicies, InlinePolicy, Role, User } from '../snapshot/types.js';
import { ApiError } from './errors.js';
import type { Account } from './account.js';
import type { Call, Handler, Params } from './types.js';
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

/**
 * The permission policies of a role the account knows (described in the snapshot, or known only by
 * the policies recorded for it when its GetRole failed). A known role whose policies no snapshot
 * collected is not served as having none.
 */
function policiesOfRole(call: Call, account: Account) {
  const name = requiredString(call.params, 'RoleName', INVALID);
  const policies = account.policiesOfRole(name);
  if (policies) return { name, policies };
  if (account.roles.has(name) || account.namesRole(name)) throw account.notCollected(call);
  throw new ApiError('NoSuchEntity', `The role with name ${name} cannot be found.`);
}

function role(call: Call, account: Account): { name: string; role: Role } {
  const name = requiredString(call.params, 'RoleName', INVALID);
  const found = account.roles.get(name);
  if (found) return { name, role: found };
  if (account.namesRole(name)) throw account.notCollected(call);
  throw new ApiError('NoSuchEntity', `The role with name ${name} cannot be found.`);
}

function listPage<T>(items: T[], call: Call, pageSize: number, of: string) {
  const page = paginate(items, optionalString(call.params, 'Marker'), optionalInt(call.params, 'MaxItems'), pageSize, {
    operation: call.operation,
    of,
    invalidTokenCode: INVALID,
  });
  return { IsTruncated: page.next !== undefined, Marker: page.next, items: page.items };
}

/**
 * A managed policy: AWS managed ones are global; a customer managed one of another account is
 * not readable from this one; a recorded one without its document was not collected.
 */
function managedPolicy(call: Call, account: Account) {
  const arn = requiredString(call.params, 'PolicyArn', INVALID);
  const owner = arn.split(':')[4];
  if (owner !== 'aws' && owner !== account.accountId) throw account.notCollected(call);
  const policy = account.managedPolicy(arn);
  if (!policy) throw new ApiError('NoSuchEntity', `Policy ${arn} does not exist or is not attachable.`);
  return { arn, policy };
}

/** `arn:aws:iam::aws:policy/service-role/X` lives at path `/service-role/`. */
function policyPath(arn: string): string {
  const path = arn.split(':policy')[1] ?? '/';
  return path.slice(0, path.lastIndexOf('/') + 1) || '/';
}

/** The policies of a known IAM user, if a snapshot collected them. */
function policiesOfUser(call: Call, account: Account, name: string) {
  const policies = account.userPolicies.get(name);
  if (!policies) throw account.notCollected(call);
  return policies;
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
  GetRole: (call, { account }) => {
    const found = role(call, account).role;
    return { Role: { ...found, AssumeRolePolicyDocument: encodePolicyDocument(found.AssumeRolePolicyDocument) } };
  },

  ListAttachedRolePolicies: (call, { account, pageSize }) => {
    const { name, policies } = policiesOfRole(call, account);
    const attached = (policies.attached ?? []).map((p) => ({ PolicyName: p.PolicyName, PolicyArn: p.PolicyArn }));
    const { items, ...page } = listPage(attached, call, pageSize, name);
    return { AttachedPolicies: items, ...page };
  },

  ListRolePolicies: (call, { account, pageSize }) => {
    const { name, policies } = policiesOfRole(call, account);
    const names = (policies.inline ?? []).map((p) => p.PolicyName);
    const { items, ...page } = listPage(names, call, pageSize, name);
    return { PolicyNames: items, ...page };
  },

  GetRolePolicy: (call, { account }) => {
    const { name, policies } = policiesOfRole(call, account);
    const policyName = requiredString(call.params, 'PolicyName', INVALID);
    const inline = policies.inline?.find((p) => p.PolicyName === policyName);
    if (!inline) throw new ApiError('NoSuchEntity', `The role policy with name ${policyName} cannot be found.`);
    return { RoleName: name, PolicyName: policyName, PolicyDocument: encodePolicyDocument(inline.PolicyDocument) };
  },

  GetUser: ({ params }, { account }) => {
    const found = user(params, account).user;
    return { User: { ...found, Path: found.Path ?? '/', UserId: found.UserId ?? uniqueId('AIDA', found.Arn ?? '') } };
  },

  ListAttachedUserPolicies: (call, { account, pageSize }) => {
    const { name } = user(call.params, account);
    const attached = (policiesOfUser(call, account, name).attached ?? []).map((p) => ({ PolicyName: p.PolicyName, PolicyArn: p.PolicyArn }));
    const { items, ...page } = listPage(attached, call, pageSize, name);
    return { AttachedPolicies: items, ...page };
  },

  ListUserPolicies: (call, { account, pageSize }) => {
    const { name } = user(call.params, account);
    const { items, ...page } = listPage(
      (policiesOfUser(call, account, name).inline ?? []).map((p) => p.PolicyName),
      call,
      pageSize,
      name,
    );
    return { PolicyNames: items, ...page };
  },

  GetUserPolicy: (call, { account }) => {
    const { name } = user(call.params, account);
    const policyName = requiredString(call.params, 'PolicyName', INVALID);
    return { UserName: name, PolicyName: policyName, PolicyDocument: inlineDocument(policiesOfUser(call, account, name).inline, policyName, 'user') };
  },

  ListGroupsForUser: (call, { account, pageSize }) => {
    const { name } = user(call.params, account);
    const groups = (policiesOfUser(call, account, name).groups ?? []).map((g) => {
      const arn = account.groupArn(g.GroupName ?? '');
      return { Path: '/', GroupName: g.GroupName, GroupId: uniqueId('AGPA', arn), Arn: arn, CreateDate: '2024-01-01T00:00:00Z' };
    });
    const { items, ...page } = listPage(groups, call, pageSize, name);
    return { Groups: items, ...page };
  },

  ListAttachedGroupPolicies: (call, { account, pageSize }) => {
    const { name, group: found } = group(call.params, account);
    const attached = (found.attached ?? []).map((p) => ({ PolicyName: p.PolicyName, PolicyArn: p.PolicyArn }));
    const { items, ...page } = listPage(attached, call, pageSize, name);
    return { AttachedPolicies: items, ...page };
  },

  ListGroupPolicies: (call, { account, pageSize }) => {
    const { name, group: found } = group(call.params, account);
    const { items, ...page } = listPage(
      (found.inline ?? []).map((p) => p.PolicyName),
      call,
      pageSize,
      name,
    );
    return { PolicyNames: items, ...page };
  },

  GetGroupPolicy: ({ params }, { account }) => {
    const { name, group: found } = group(params, account);
    const policyName = requiredString(params, 'PolicyName', INVALID);
    return { GroupName: name, PolicyName: policyName, PolicyDocument: inlineDocument(found.inline, policyName, 'group') };
  },

  GetPolicy: (call, { account }) => {
    const { arn, policy } = managedPolicy(call, account);
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

  GetPolicyVersion: (call, { account }) => {
    const { arn, policy } = managedPolicy(call, account);
    const version = requiredString(call.params, 'VersionId', INVALID);
    // Snapshots keep only the default version's document, which the emulator calls v1.
    if (version !== 'v1') throw new ApiError('NoSuchEntity', `Policy ${arn} version ${version} does not exist.`);
    if (policy.Document === undefined) throw account.notCollected(call);
    return { PolicyVersion: { Document: encodePolicyDocument(policy.Document), VersionId: 'v1', IsDefaultVersion: true } };
  },
};
