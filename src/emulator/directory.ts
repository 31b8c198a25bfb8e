// The accounts the emulator serves and who is calling: a request is answered from the account its
// credentials belong to. Keys the emulator did not issue act as a caller in the management account
// (the only account when there is no organization); keys issued by sts:AssumeRole act as a session
// of the assumed role, in the role's account, until their Expiration, restricted by the role's inline
// policies (when the organization file gives them) and by the session policy given to AssumeRole.
import { randomBytes, randomUUID } from 'node:crypto';
import { evaluatePolicy, parsePolicy, PolicyParseError, type ContextValue, type PolicyDocument } from '../policy/index.js';
import type { Role, Snapshot } from '../snapshot/types.js';
import { Account } from './account.js';
import { ApiError, callerArn, denyCode, iamPrefix } from './errors.js';
import type { Call, Organization, OrganizationRole, Params } from './types.js';

export interface Session {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
  /** The role's account: requests signed with the session's keys are answered from it. */
  accountId: string;
  roleArn: string;
  /** `AROA…:session-name` */
  assumedRoleId: string;
  /** `arn:aws:sts::<account>:assumed-role/<role name>/<session name>` */
  arn: string;
  /** The session policy passed to AssumeRole: every later call of the session must be allowed by it. */
  policy?: PolicyDocument;
  /** The role's own inline policies, when the organization file gives them: every call must be allowed by them too. */
  rolePolicy?: PolicyDocument;
}

export interface Caller {
  accountId: string;
  arn: string;
  userId: string;
  session?: Session;
}

/** The snapshots do not make one consistent set of accounts. */
export class AccountsError extends Error {
  override readonly name = 'SnapshotError';
}

/** IAM's DurationSeconds default and bounds (AssumeRole API reference: 900 to the role's MaxSessionDuration, default 3600). */
const DEFAULT_DURATION_SECONDS = 3600;
const DEFAULT_MAX_SESSION_DURATION = 3600;
/** AssumeRole's DurationSeconds minimum (API reference: valid range 900 to 43200); below it, AWS's validation wording. */
const MIN_DURATION_SECONDS = 900;

/** GetCallerIdentity needs no permission, and a policy cannot deny it (GetCallerIdentity API reference). */
const UNRESTRICTED = new Set(['sts:GetCallerIdentity']);

function accountOf(snapshot: Snapshot): string | undefined {
  return snapshot.accountId ?? snapshot.domain.ARN?.split(':')[4] ?? undefined;
}

/** `[A-Z0-9]` characters, as access key ids have. */
function keyCharacters(length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  return [...randomBytes(length)].map((byte) => alphabet[byte % alphabet.length]).join('');
}

/** A role id IAM would give the role when the organization file gives none: stable, `AROA` and 17 characters. */
function roleIdOf(role: Role): string {
  return (
    role.RoleId ??
    `AROA${Buffer.from(role.Arn ?? '')
      .toString('hex')
      .slice(-17)
      .toUpperCase()
      .padStart(17, '0')}`
  );
}

function numberParam(params: Params, key: string): number | undefined {
  const value = params[key];
  if (value === undefined || value === '') return undefined;
  const parsed = Number(value);
  return Number.isInteger(parsed) ? parsed : NaN;
}

/**
 * A role's inline policies as one document (IAM allows what any of them allows and denies what any
 * denies, so their statements can stand together); none when the file does not give them. Throws
 * what keeps the emulator from knowing the role's permissions as the file gives them.
 */
function rolePermissionsOf(role: OrganizationRole): PolicyDocument | undefined {
  const refuse = (problem: string) => new AccountsError(`role ${role.Arn}: ${problem}`);
  // A managed policy's document is not in RoleDetail: the emulator would have to invent it.
  if ('AttachedManagedPolicies' in role) throw refuse('AttachedManagedPolicies is not served: give the permissions as inline policies (RolePolicyList)');
  if (!role.RolePolicyList) return undefined;
  const statements = role.RolePolicyList.flatMap((policy) => {
    try {
      return parsePolicy(policy.PolicyDocument ?? '').Statement;
    } catch (error) {
      if (error instanceof PolicyParseError) throw refuse(`inline policy ${policy.PolicyName ?? '(unnamed)'}: ${error.message}`);
      throw error;
    }
  });
  return { Version: '2012-10-17', Statement: statements };
}

export class Directory {
  readonly accounts = new Map<string, Account>();
  /** The account callers with keys the emulator did not issue belong to. */
  readonly management: Account;
  private readonly sessions = new Map<string, Session>();
  /** By role ARN: the inline policies the organization file gives a role, read once. */
  private readonly rolePermissions = new Map<string, PolicyDocument>();

  constructor(
    snapshots: Snapshot[],
    readonly organization?: Organization,
  ) {
    if (!organization) {
      const ids = [...new Set(snapshots.map(accountOf).filter((id) => id !== undefined))];
      if (ids.length > 1) {
        throw new AccountsError(
          `the snapshots belong to ${ids.length} accounts (${ids.join(', ')}): serve several accounts with an organization file (--organization)`,
        );
      }
      this.management = new Account(snapshots);
      this.accounts.set(this.management.accountId, this.management);
      return;
    }
    const byAccount = new Map(organization.accounts.flatMap((a) => (a.Id ? [[a.Id, [] as Snapshot[]] as const] : [])));
    for (const snapshot of snapshots) {
      const id = accountOf(snapshot);
      const list = id === undefined ? undefined : byAccount.get(id);
      if (!list) {
        throw new AccountsError(
          id === undefined
            ? `the snapshot of ${snapshot.domain.DomainName} names no account (accountId or the domain's ARN): with an organization, each snapshot must`
            : `the snapshot of ${snapshot.domain.DomainName} is of account ${id}, which the organization does not list`,
        );
      }
      list.push(snapshot);
    }
    for (const [id, list] of byAccount) {
      const partition = organization.accounts.find((a) => a.Id === id)?.Arn?.split(':')[1] ?? 'aws';
      this.accounts.set(id, new Account(list, { accountId: id, partition }));
    }
    for (const role of organization.roles ?? []) {
      const permissions = rolePermissionsOf(role);
      if (permissions && role.Arn) this.rolePermissions.set(role.Arn, permissions);
    }
    const management = this.accounts.get(organization.managementAccountId);
    if (!management) throw new AccountsError(`the management account ${organization.managementAccountId} is not among the organization's accounts`);
    this.management = management;
  }

  /** The caller a request's access key (and session token) stands for; undefined for a temporary key the emulator never issued. */
  identify(accessKeyId: string | undefined, sessionToken: string | undefined): Caller | undefined {
    if (accessKeyId?.startsWith('ASIA')) {
      const session = this.sessions.get(accessKeyId);
      if (!session || session.sessionToken !== sessionToken) return undefined;
      return { accountId: session.accountId, arn: session.arn, userId: session.assumedRoleId, session };
    }
    const accountId = this.management.accountId;
    return { accountId, arn: callerArn(accountId), userId: 'AIDACOGDOCTOREMULATOR' };
  }

  accountOf(caller: Caller): Account {
    return this.accounts.get(caller.accountId) ?? this.management;
  }

  /**
   * An opt-in Region the account has not enabled (DISABLED, or still DISABLING): AWS does not know
   * the account's credentials there.
   */
  regionDisabled(accountId: string, region: string | undefined): boolean {
    const status = this.organization?.regions?.[accountId]?.find((r) => r.RegionName === region)?.RegionOptStatus;
    return status === 'DISABLED' || status === 'DISABLING';
  }

  /**
   * A call the session may not make: its role's inline policies (when the organization file gives
   * them) or its session policy do not allow it. Worded as AWS words it ("because no identity-based
   * policy allows the <action> action", "because no session policy allows …", "with an explicit deny
   * in a …": IAM User Guide, "Troubleshooting access denied error messages").
   */
  sessionDenial(caller: Caller, call: Call): ApiError | undefined {
    const session = caller.session;
    if (!session || call.service === 'unknown') return undefined;
    const action = `${iamPrefix(call.service)}:${call.operation}`;
    if (UNRESTRICTED.has(action)) return undefined;
    const resource = call.resources.find((id) => id.startsWith('arn:')) ?? '*';
    const policies = [
      { document: session.rolePolicy, kind: 'identity-based policy' },
      { document: session.policy, kind: 'session policy' },
    ];
    for (const { document, kind } of policies) {
      if (!document) continue;
      const { decision } = evaluatePolicy(document, { principal: { type: 'AWS', arn: caller.arn }, action, resource }, 'identity');
      if (decision === 'Allow') continue;
      const why = decision === 'ExplicitDeny' ? `with an explicit deny in an ${kind}` : `because no ${kind} allows the ${action} action`;
      return new ApiError(denyCode(call.service), `User: ${caller.arn} is not authorized to perform: ${action} on resource: ${resource} ${why}`);
    }
    return undefined;
  }

  /** sts:AssumeRole: the role must be one the organization holds, and its trust policy must allow the caller. */
  assumeRole(caller: Caller, params: Params) {
    const roleArn = String(params['RoleArn'] ?? '');
    const sessionName = String(params['RoleSessionName'] ?? '');
    const externalId = typeof params['ExternalId'] === 'string' ? params['ExternalId'] : undefined;
    // AWS answers a role that does not exist exactly as one whose trust policy does not allow the caller
    // (AssumeRole API reference, Errors; IAM User Guide, "I can't assume a role").
    const denied = new ApiError('AccessDenied', `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
    const role = this.organization?.roles?.find((r) => r.Arn === roleArn);
    if (!role?.Arn || !role.RoleName) throw denied;

    let policy: PolicyDocument | undefined;
    if (typeof params['Policy'] === 'string') {
      try {
        policy = parsePolicy(params['Policy']);
      } catch (error) {
        if (error instanceof PolicyParseError) throw new ApiError('MalformedPolicyDocument', `The policy is not in the valid JSON format: ${error.message}`);
        throw error;
      }
    }
    if (Object.keys(params).some((key) => key.startsWith('PolicyArns.'))) {
      throw new ApiError('InvalidParameterValue', 'PolicyArns: the emulator honours an inline session policy (Policy) only');
    }
    const duration = numberParam(params, 'DurationSeconds') ?? DEFAULT_DURATION_SECONDS;
    if (!(duration >= MIN_DURATION_SECONDS)) {
      throw new ApiError(
        'ValidationError',
        `1 validation error detected: Value '${params['DurationSeconds']}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to ${MIN_DURATION_SECONDS}`,
      );
    }
    const maximum = role.MaxSessionDuration ?? DEFAULT_MAX_SESSION_DURATION;
    if (duration > maximum) {
      throw new ApiError('ValidationError', `The requested DurationSeconds exceeds the MaxSessionDuration set for this role.`);
    }

    const roleAccount = role.Arn.split(':')[4] ?? '';
    if (!this.accounts.has(roleAccount) || !this.trusts(role, caller, sessionName, externalId)) throw denied;

    const partition = role.Arn.split(':')[1] ?? 'aws';
    const assumedRoleId = `${roleIdOf(role)}:${sessionName}`;
    const rolePolicy = this.rolePermissions.get(roleArn);
    const session: Session = {
      accessKeyId: `ASIA${keyCharacters(16)}`,
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: Buffer.from(`${randomUUID()}${randomUUID()}${roleArn}`).toString('base64'),
      expiration: new Date(Math.floor(Date.now() / 1000 + duration) * 1000),
      accountId: roleAccount,
      roleArn,
      assumedRoleId,
      arn: `arn:${partition}:sts::${roleAccount}:assumed-role/${role.RoleName}/${sessionName}`,
      ...(policy ? { policy } : {}),
      ...(rolePolicy ? { rolePolicy } : {}),
    };
    this.sessions.set(session.accessKeyId, session);
    const { accessKeyId, secretAccessKey, sessionToken, expiration } = session;
    return {
      Credentials: { AccessKeyId: accessKeyId, SecretAccessKey: secretAccessKey, SessionToken: sessionToken, Expiration: expiration },
      AssumedRoleUser: { AssumedRoleId: assumedRoleId, Arn: session.arn },
      // The share of the packed session policy size limit the policy uses, in percent.
      ...(typeof params['Policy'] === 'string' ? { PackedPolicySize: Math.ceil((params['Policy'].length / 2048) * 100) } : {}),
    };
  }

  /**
   * The role's trust policy allows the caller: a statement naming the caller, its account or its
   * role, whose conditions hold (`sts:ExternalId` is the ExternalId sent). The caller's own
   * permission to call sts:AssumeRole is not modeled: it is taken as granted.
   */
  private trusts(role: Role, caller: Caller, sessionName: string, externalId: string | undefined): boolean {
    if (role.AssumeRolePolicyDocument === undefined) return false;
    let trust: PolicyDocument;
    try {
      trust = parsePolicy(role.AssumeRolePolicyDocument);
    } catch {
      return false;
    }
    const context: Record<string, ContextValue> = {
      'aws:PrincipalAccount': caller.accountId,
      'aws:PrincipalArn': caller.session?.roleArn ?? caller.arn,
      'aws:PrincipalType': caller.session ? 'AssumedRole' : 'User',
      'sts:RoleSessionName': sessionName,
      ...(externalId === undefined ? {} : { 'sts:ExternalId': externalId }),
    };
    const evaluation = evaluatePolicy(
      trust,
      { principal: { type: 'AWS', arn: caller.arn }, action: 'sts:AssumeRole', resource: role.Arn ?? '*', context },
      'resource',
    );
    return evaluation.decision === 'Allow';
  }
}
