// iam read operations on the login path's roles and their policies.
import { createHash } from 'node:crypto';
import type { Role } from '../snapshot/types.js';
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

  GetPolicy: ({ params }, { account }) => {
    const { arn, policy } = managedPolicy(params, account);
    const attachments = [...account.rolePolicies.values()].filter((p) => p.attached?.some((a) => a.PolicyArn === arn)).length;
    return {
      Policy: {
        PolicyName: policy.PolicyName ?? arn.slice(arn.lastIndexOf('/') + 1),
        PolicyId: 'ANPA' + createHash('sha256').update(arn).digest('hex').slice(0, 17).toUpperCase(),
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
