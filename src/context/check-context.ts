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
import { findReadError, gapOfFailedRead, isNotFound, undecidedInCode, type Gap } from '../snapshot/gaps.js';
import { isVpcDomain } from '../snapshot/domain.js';
import type { SnapshotPart } from '../engine/types.js';
import { roleNameOf } from '../util/arn.js';

/** Thrown by a context accessor when a check cannot go on; the engine turns it into a status. */
export class DataGap extends Error {
  constructor(readonly gap: Gap) {
    super(gap.reason);
  }
}

export type RoleLookup = { state: 'found'; role: Role } | { state: 'not-found'; error: ReadError } | { state: 'unreadable'; gap: Gap };

/** Every part a check may declare in `reads`; a record, so that the compiler keeps it in step with `SnapshotPart`. */
const PARTS: Record<SnapshotPart, true> = {
  domain: true,
  userPool: true,
  userPoolClients: true,
  userPoolGroups: true,
  identityPool: true,
  identityPoolRoles: true,
  roles: true,
  rolePolicies: true,
  securityPlugin: true,
  userPoolDomain: true,
  identityProviders: true,
  managedLoginBranding: true,
  principalTagAttributeMaps: true,
  userPoolWebAcl: true,
};

export const SNAPSHOT_PARTS = Object.keys(PARTS) as SnapshotPart[];

function isSnapshotPart(key: string | symbol): key is SnapshotPart {
  return typeof key === 'string' && Object.hasOwn(PARTS, key);
}

/** The snapshot seen through a proxy that notes each part read, tested for or listed. */
function recording(snapshot: Snapshot, read: Set<SnapshotPart>): Snapshot {
  const note = (key: string | symbol) => {
    if (isSnapshotPart(key)) read.add(key);
  };
  return new Proxy(snapshot, {
    get(target, key, receiver) {
      note(key);
      return Reflect.get(target, key, receiver);
    },
    has(target, key) {
      note(key);
      return Reflect.has(target, key);
    },
    getOwnPropertyDescriptor(target, key) {
      note(key);
      return Reflect.getOwnPropertyDescriptor(target, key);
    },
  });
}

const NOTHING_RECORDED: ReadonlySet<SnapshotPart> = new Set();

export interface CheckContextOptions {
  /** Note the snapshot parts the check touches in `partsRead` (a proxy: off unless asked, as it slows every read). */
  recordReads?: boolean;
}

/**
 * What a check sees: the snapshot plus accessors that know which parts are core and which
 * are optional, so a missing read becomes `unknown` or `not evaluated`, never a false pass.
 */
export class CheckContext {
  /** Reads a check could not make but went on without; the engine reports them if nothing fails. */
  readonly gaps: Gap[] = [];
  readonly snapshot: Snapshot;
  /** With `recordReads`: the parts of the snapshot the check touched, through any accessor or directly. */
  readonly partsRead: ReadonlySet<SnapshotPart>;

  constructor(snapshot: Snapshot, options?: CheckContextOptions) {
    if (options?.recordReads) {
      const read = new Set<SnapshotPart>();
      this.partsRead = read;
      this.snapshot = recording(snapshot, read);
    } else {
      this.partsRead = NOTHING_RECORDED;
      this.snapshot = snapshot;
    }
  }

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
    return findReadError(this.snapshot.errors, operation, resource);
  }

  /** A core part: absent or unreadable stops the check. */
  private core<T>(value: T | null | undefined, operation: string, resource: string | undefined, what: string): T {
    if (value !== undefined && value !== null) return value;
    const error = this.readError(operation, resource);
    if (error && isNotFound(error.code)) {
      throw new DataGap({ kind: 'not-applicable', reason: `${what} does not exist` });
    }
    if (error) throw new DataGap(gapOfFailedRead(error, operation));
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
    if (listError) throw new DataGap(gapOfFailedRead(listError, 'cognito-idp:ListUserPoolClients'));
    const clients = this.core(this.snapshot.userPoolClients, 'cognito-idp:ListUserPoolClients', id, `the app clients of ${id}`);
    const describeError = this.readError('cognito-idp:DescribeUserPoolClient');
    if (describeError) this.gaps.push(gapOfFailedRead(describeError, 'cognito-idp:DescribeUserPoolClient'));
    return clients;
  }

  /** Groups are listed with the pool; a snapshot without them and without a failed read has none. */
  userPoolGroups(): GroupType[] {
    const id = this.domain.CognitoOptions?.UserPoolId;
    // Groups are only read once the pool itself was: a pool that failed leaves no groups, not zero groups.
    this.userPool();
    const error = this.readError('cognito-idp:ListGroups', id);
    if (error) throw new DataGap(gapOfFailedRead(error, 'cognito-idp:ListGroups'));
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

  /**
   * The role an ARN names. IAM role ARNs carry the role's path, and the path is part of the ARN
   * (`role/dashboards/X` is not `role/X`): a role is found only under its own ARN. A bare ARN
   * (`role/X`, as rebuilt from an assumed-role session, which carries no path) may stand for a role
   * in a path, since role names are unique in an account. A role of another account cannot be read
   * with this account's credentials (iam:GetRole looks names up in the caller's account), so unless
   * the snapshot holds it, it is unknown whatever GetRole answered here.
   */
  lookupRole(arn: string): RoleLookup {
    const index = this.roleIndex();
    const exact = index.exact(arn);
    if (exact) return { state: 'found', role: exact };
    const account = arn.split(':')[4] ?? '';
    const home = this.snapshot.accountId ?? this.domain.ARN?.split(':')[4];
    if (home && account !== home) return { state: 'unreadable', gap: otherAccountGap(arn, account, home) };
    const sameName = index.sameName(arn);
    if (sameName && !hasPath(arn)) return { state: 'found', role: sameName };
    if (sameName) {
      // Role names are unique in an account: the role of that name lives in another path, so no role has this ARN.
      return {
        state: 'not-found',
        error: {
          operation: 'iam:GetRole',
          resource: arn,
          code: 'NoSuchEntity',
          message: `the role named ${roleNameOf(arn)} is ${sameName.Arn}, in another path`,
        },
      };
    }
    const error = this.readError('iam:GetRole', arn) ?? this.readError('iam:GetRole', roleNameOf(arn));
    if (error && isNotFound(error.code)) return { state: 'not-found', error };
    if (error) return { state: 'unreadable', gap: gapOfFailedRead({ ...error, resource: error.resource ?? arn }, 'iam:GetRole') };
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
    if (error) this.gaps.push(gapOfFailedRead(error, error.operation));
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
    const undecided = error && undecidedInCode(error);
    if (undecided) throw new DataGap(undecided);
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

function sameAccount(a: string, b: string): boolean {
  return a.split(':')[4] === b.split(':')[4];
}

/** `arn:aws:iam::123456789012:role/dashboards/X` has a path; `…:role/X` has none. */
function hasPath(roleArn: string): boolean {
  return roleArn.split(':').slice(5).join(':').split('/').length > 2;
}

/** Why a role of another account is unknown, naming both accounts. */
export function otherAccountGap(roleArn: string, account: string, home: string): Gap {
  return {
    kind: 'unknown',
    reason:
      `role ${roleArn} is in account ${account}, not in account ${home} that was read: iam:GetRole looks a role up by name in the caller's own account, ` +
      `so whether it exists and what it trusts is unknown; read it with credentials of account ${account} and add it to the snapshot's roles`,
    permission: 'iam:GetRole',
  };
}

/** The snapshot's roles by ARN and by name, built once, so a lookup per role never scans them all. */
class RoleIndex {
  private readonly byArn = new Map<string, Role>();
  private readonly byName = new Map<string, Role[]>();

  constructor(roles: Role[]) {
    for (const role of roles) {
      const arn = role.Arn ?? '';
      if (!this.byArn.has(arn)) this.byArn.set(arn, role);
      const name = roleNameOf(arn);
      const named = this.byName.get(name);
      if (named) named.push(role);
      else this.byName.set(name, [role]);
    }
  }

  exact(arn: string): Role | undefined {
    return this.byArn.get(arn);
  }

  /** The first role of the same name and account (its path may differ). */
  sameName(arn: string): Role | undefined {
    return this.byName.get(roleNameOf(arn))?.find((role) => sameAccount(role.Arn ?? '', arn));
  }
}
