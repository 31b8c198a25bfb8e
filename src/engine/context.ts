import type { GetIdentityPoolRolesResponse } from '@aws-sdk/client-cognito-identity';
import type {
  Domain,
  GroupType,
  IdentityPool,
  ReadError,
  Role,
  RolePolicies,
  RolesMappingEntry,
  Snapshot,
  UserPoolClientType,
  UserPoolType,
} from '../snapshot/types.js';
import type { Gap } from './types.js';
import { isVpcDomain } from '../model/domain.js';

/** Thrown by a context accessor when a check cannot go on; the engine turns it into a status. */
export class DataGap extends Error {
  constructor(readonly gap: Gap) {
    super(gap.reason);
  }
}

const NOT_FOUND_CODES = /NotFound|NoSuchEntity|NotExist/i;

function operationName(operation: string): string {
  return operation.slice(operation.lastIndexOf(':') + 1).toLowerCase();
}

function describeFailure(error: ReadError, permission: string): Gap {
  const on = error.resource ? ` on ${error.resource}` : '';
  if (/denied|unauthori[sz]ed|forbidden/i.test(error.code)) {
    return { kind: 'unknown', reason: `${error.operation} denied${on}: add ${permission}`, permission };
  }
  return {
    kind: 'unknown',
    reason: `${error.operation} failed${on} (${error.code}${error.message ? `: ${error.message}` : ''})`,
    permission,
  };
}

export type RoleLookup =
  | { state: 'found'; role: Role }
  | { state: 'not-found'; error: ReadError }
  | { state: 'unreadable'; gap: Gap };

/**
 * What a check sees: the snapshot plus accessors that know which parts are core and which
 * are optional, so a missing read becomes `unknown` or `not evaluated`, never a false pass.
 */
export class CheckContext {
  /** Reads a check could not make but went on without; the engine reports them if nothing fails. */
  readonly gaps: Gap[] = [];

  constructor(readonly snapshot: Snapshot) {}

  private roles?: RoleIndex;

  /** Built once: checks look up every group's and rule's role, and accounts have hundreds of thousands. */
  private roleIndex(): RoleIndex {
    return (this.roles ??= new RoleIndex(this.snapshot.roles ?? []));
  }

  get domain(): Domain {
    return this.snapshot.domain;
  }

  /** The recorded failure of a read, matched by operation name and (loosely) by resource. */
  readError(operation: string, resource?: string): ReadError | undefined {
    const wanted = operationName(operation);
    return (this.snapshot.errors ?? []).find((error) => {
      if (operationName(error.operation) !== wanted) return false;
      if (!resource || !error.resource) return true;
      return namesSameResource(error.resource, resource);
    });
  }

  /** A core part: absent or unreadable stops the check. */
  private core<T>(value: T | null | undefined, operation: string, resource: string | undefined, what: string): T {
    if (value !== undefined && value !== null) return value;
    const error = this.readError(operation, resource);
    if (error && NOT_FOUND_CODES.test(error.code)) {
      throw new DataGap({ kind: 'not-applicable', reason: `${what} does not exist` });
    }
    if (error) throw new DataGap(describeFailure(error, operation));
    throw new DataGap({ kind: 'unknown', reason: `${what} is missing from the snapshot: ${operation} would read it`, permission: operation });
  }

  userPool(): UserPoolType {
    const id = this.domain.CognitoOptions?.UserPoolId;
    return this.core(this.snapshot.userPool, 'cognito-idp:DescribeUserPool', id, `user pool ${id ?? ''}`.trim());
  }

  userPoolClients(): UserPoolClientType[] {
    const id = this.domain.CognitoOptions?.UserPoolId;
    this.userPool();
    const listError = this.readError('cognito-idp:ListUserPoolClients', id);
    if (listError) throw new DataGap(describeFailure(listError, 'cognito-idp:ListUserPoolClients'));
    const clients = this.core(this.snapshot.userPoolClients, 'cognito-idp:ListUserPoolClients', id, `the app clients of ${id}`);
    const describeError = this.readError('cognito-idp:DescribeUserPoolClient');
    if (describeError) this.gaps.push(describeFailure(describeError, 'cognito-idp:DescribeUserPoolClient'));
    return clients;
  }

  /** Groups are listed with the pool; a snapshot without them and without a failed read has none. */
  userPoolGroups(): GroupType[] {
    const id = this.domain.CognitoOptions?.UserPoolId;
    // Groups are only read once the pool itself was: a pool that failed leaves no groups, not zero groups.
    this.userPool();
    const error = this.readError('cognito-idp:ListGroups', id);
    if (error) throw new DataGap(describeFailure(error, 'cognito-idp:ListGroups'));
    return this.snapshot.userPoolGroups ?? [];
  }

  identityPool(): IdentityPool {
    const id = this.domain.CognitoOptions?.IdentityPoolId;
    return this.core(this.snapshot.identityPool, 'cognito-identity:DescribeIdentityPool', id, `identity pool ${id ?? ''}`.trim());
  }

  identityPoolRoles(): GetIdentityPoolRolesResponse {
    const id = this.domain.CognitoOptions?.IdentityPoolId;
    this.identityPool();
    return this.core(this.snapshot.identityPoolRoles, 'cognito-identity:GetIdentityPoolRoles', id, `the roles of identity pool ${id ?? ''}`.trim());
  }

  lookupRole(arn: string): RoleLookup {
    const role = this.roleIndex().find(arn);
    if (role) return { state: 'found', role };
    const error = this.readError('iam:GetRole', arn) ?? this.readError('iam:GetRole', roleNameOf(arn));
    if (error && NOT_FOUND_CODES.test(error.code)) return { state: 'not-found', error };
    if (error) return { state: 'unreadable', gap: describeFailure({ ...error, resource: error.resource ?? arn }, 'iam:GetRole') };
    return {
      state: 'unreadable',
      gap: { kind: 'unknown', reason: `role ${arn} is missing from the snapshot: iam:GetRole would read it`, permission: 'iam:GetRole' },
    };
  }

  /** Optional per-role permission policies: absent means not collected. */
  rolePolicies(arn: string): RolePolicies | undefined {
    const policies = this.snapshot.rolePolicies?.[arn];
    // A failed list or inline read of this role leaves its policies incomplete, whatever part of them is recorded.
    const roleError =
      this.readError('iam:ListAttachedRolePolicies', roleNameOf(arn)) ??
      this.readError('iam:ListRolePolicies', roleNameOf(arn)) ??
      this.readError('iam:GetRolePolicy', roleNameOf(arn));
    if (policies && !roleError) return policies;
    const error =
      roleError ??
      // Managed policy reads are recorded against the policy, shared by roles: any failure may be this role's.
      this.readError('iam:GetPolicy') ??
      this.readError('iam:GetPolicyVersion');
    if (error) this.gaps.push(describeFailure(error, error.operation));
    return undefined;
  }

  /**
   * The failed read of the role mappings: recorded against the rolesmapping path, or (a hand-written
   * snapshot) against the domain; cogdoctor makes no other es:ESHttpGet read.
   */
  rolesMappingError(): ReadError | undefined {
    return this.readError('es:ESHttpGet', 'rolesmapping') ?? this.readError('es:ESHttpGet');
  }

  /** The FGAC role mappings, read from the domain's security plugin (optional, `--deep`). */
  rolesMapping(): Record<string, RolesMappingEntry> {
    const mapping = this.snapshot.securityPlugin?.rolesMapping;
    if (mapping) return mapping;
    const error = this.rolesMappingError();
    if (error) {
      const vpc = isVpcDomain(this.domain) ? ' from inside the VPC' : '';
      throw new DataGap({
        kind: 'unknown',
        reason: `${error.resource ?? 'the security plugin'} answered ${error.code}: run cogdoctor${vpc} as a principal mapped to all_access or security_manager`,
        permission: 'es:ESHttpGet',
      });
    }
    throw new DataGap({
      kind: 'not-evaluated',
      reason: 'the FGAC role mappings were not read: run live with --deep as a principal mapped to all_access or security_manager',
      permission: 'es:ESHttpGet',
    });
  }

  /** Let a check skip one item it cannot read and still report the rest. */
  note(gap: Gap): void {
    this.gaps.push(gap);
  }
}

export function roleNameOf(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

function sameAccount(a: string, b: string): boolean {
  return a.split(':')[4] === b.split(':')[4];
}

/** The snapshot's roles by ARN and by name, each with its position, so a lookup takes the first match as a scan would. */
class RoleIndex {
  private readonly byArn = new Map<string, number>();
  private readonly byName = new Map<string, number[]>();

  constructor(private readonly roles: Role[]) {
    roles.forEach((role, index) => {
      const arn = role.Arn ?? '';
      if (!this.byArn.has(arn)) this.byArn.set(arn, index);
      const name = roleNameOf(arn);
      const named = this.byName.get(name);
      if (named) named.push(index);
      else this.byName.set(name, [index]);
    });
  }

  /** The first role whose ARN is `arn`, or whose name and account are its (the ARN may carry a path the other lacks). */
  find(arn: string): Role | undefined {
    const exact = this.byArn.get(arn) ?? Infinity;
    const sameName = this.byName.get(roleNameOf(arn))?.find((index) => sameAccount(this.roles[index]!.Arn ?? '', arn)) ?? Infinity;
    const first = Math.min(exact, sameName);
    return first === Infinity ? undefined : this.roles[first];
  }
}

/** A character that can be part of an id or a name (IAM names allow +=,.@_-): anything else separates. */
const NAME_CHARACTER = /[A-Za-z0-9+=,.@_-]/;

/** Whether a recorded failure's resource and the resource asked about name the same thing. */
export function namesSameResource(recorded: string, wanted: string): boolean {
  return containsSegment(recorded, wanted) || containsSegment(wanted, recorded);
}

/**
 * `part` stands in `whole` as a whole name: `Admin` in `arn:aws:iam::123456789012:role/Admin` and
 * in `Admin/inline-policy`, but not in `role/AdminReadOnly`, so one role's failed read is never
 * taken for another's. Snapshots record a resource as an id, a name or an ARN.
 */
function containsSegment(whole: string, part: string): boolean {
  for (let at = whole.indexOf(part); at !== -1; at = whole.indexOf(part, at + 1)) {
    const end = at + part.length;
    if ((at === 0 || !NAME_CHARACTER.test(whole[at - 1]!)) && (end === whole.length || !NAME_CHARACTER.test(whole[end]!))) return true;
  }
  return false;
}
