// One account's resources, merged from one or more snapshots and indexed by id.
import type { GetIdentityPoolRolesResponse, GetPrincipalTagAttributeMapResponse } from '@aws-sdk/client-cognito-identity';
import type { DomainDescriptionType, IdentityProviderType } from '@aws-sdk/client-cognito-identity-provider';
import { cognitoAccessPolicyDocument, isCognitoAccessManagedPolicy } from '../model/service-role.js';
import type {
  AttachedPolicy,
  Domain,
  GroupType,
  IdentityPool,
  ReadError,
  Role,
  RolePolicies,
  RolesMappingEntry,
  Snapshot,
  User,
  UserPolicies,
  GroupPolicies,
  UserPoolClientType,
  UserPoolType,
  WebACL,
} from '../snapshot/types.js';
import type { Call, Params } from './types.js';
import { iamPrefix } from './errors.js';

/** Optional snapshot key `users`: what AdminGetUser returns, plus the user's group names. */
export interface EmulatedUser {
  Username: string;
  UserPoolId?: string;
  UserStatus?: string;
  Enabled?: boolean;
  UserCreateDate?: string;
  UserLastModifiedDate?: string;
  UserAttributes?: { Name: string; Value?: string }[];
  Groups?: string[];
}

/** Optional snapshot key `managedLoginBranding`; an entry without ClientId applies to every client of its pool. */
export interface EmulatedBranding {
  ManagedLoginBrandingId: string;
  UserPoolId: string;
  ClientId?: string;
  [field: string]: unknown;
}

export interface EmulatedDomain {
  domain: Domain;
  rolesMapping?: Record<string, RolesMappingEntry>;
}

/** Map of maps: outer id (a pool) → inner id → item, in insertion order. */
class Nested<T> {
  private readonly maps = new Map<string, Map<string, T>>();
  set(outer: string, inner: string, value: T): void {
    let map = this.maps.get(outer);
    if (!map) this.maps.set(outer, (map = new Map()));
    map.set(inner, value);
  }
  get(outer: string, inner: string): T | undefined {
    return this.maps.get(outer)?.get(inner);
  }
  list(outer: string): T[] {
    return [...(this.maps.get(outer)?.values() ?? [])];
  }
}

function arrayOf<T>(value: unknown): T[] {
  return Array.isArray(value) ? (value as T[]) : [];
}

/** The last `/`-separated segment of an ARN: the name or id of the resource. */
function lastSegment(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/** `eu-west-1_AbC` and `eu-west-1:uuid` carry their region in the prefix. */
function regionOfPoolId(id: string): string | undefined {
  return /^([a-z]{2}(?:-[a-z]+)+-\d+)[_:]/.exec(id)?.[1];
}

export class Account {
  readonly accountId: string;
  /** The region of the first snapshot: used only to name resources no snapshot has. */
  readonly region: string;
  readonly domains = new Map<string, EmulatedDomain>();
  readonly userPools = new Map<string, UserPoolType>();
  readonly userPoolDomains = new Map<string, DomainDescriptionType>();
  readonly clients = new Nested<UserPoolClientType>();
  readonly groups = new Nested<GroupType>();
  readonly identityProviders = new Nested<IdentityProviderType>();
  readonly users = new Nested<EmulatedUser>();
  readonly brandings: EmulatedBranding[] = [];
  readonly identityPools = new Map<string, IdentityPool>();
  readonly identityPoolRoles = new Map<string, GetIdentityPoolRolesResponse>();
  readonly principalTagMaps = new Nested<GetPrincipalTagAttributeMapResponse>();
  readonly roles = new Map<string, Role>();
  /** by role name, since IAM requests name roles, not ARNs */
  readonly rolePolicies = new Map<string, RolePolicies>();
  readonly managedPolicies = new Map<string, AttachedPolicy>();
  /** IAM users (optional snapshot parts `iamUsers` + `userPolicies`), their policies and their groups, by name */
  readonly iamUsers = new Map<string, User>();
  readonly userPolicies = new Map<string, UserPolicies>();
  readonly iamGroups = new Map<string, GroupPolicies>();
  /** by user pool id: the web ACL associated with the pool (optional snapshot key `userPoolWebAcl`) */
  readonly webAcls = new Map<string, WebACL>();
  /** names of the roles a domain names in CognitoOptions.RoleArn, with their ARNs */
  private readonly serviceRoles = new Map<string, string>();
  readonly errors: ReadError[] = [];

  constructor(snapshots: Snapshot[]) {
    const first = snapshots[0];
    this.region = first?.region ?? 'us-east-1';
    this.accountId =
      snapshots.find((s) => s.accountId)?.accountId ??
      snapshots.map((s) => s.domain.ARN?.split(':')[4]).find((id) => id) ??
      '000000000000';
    for (const snapshot of snapshots) this.add(snapshot);
  }

  private add(s: Snapshot): void {
    this.domains.set(s.domain.DomainName, { domain: s.domain, rolesMapping: s.securityPlugin?.rolesMapping });
    const serviceRole = s.domain.CognitoOptions?.RoleArn;
    if (serviceRole) this.serviceRoles.set(lastSegment(serviceRole), serviceRole);
    const poolId = s.userPool?.Id;
    if (s.userPool && poolId) this.userPools.set(poolId, s.userPool);
    if (s.userPoolWebAcl && poolId) this.webAcls.set(poolId, s.userPoolWebAcl);
    if (s.userPoolDomain?.Domain) this.userPoolDomains.set(s.userPoolDomain.Domain, s.userPoolDomain);
    for (const client of s.userPoolClients ?? []) {
      const pool = client.UserPoolId ?? poolId;
      if (pool && client.ClientId) this.clients.set(pool, client.ClientId, client);
    }
    for (const group of s.userPoolGroups ?? []) {
      const pool = group.UserPoolId ?? poolId;
      if (pool && group.GroupName) this.groups.set(pool, group.GroupName, group);
    }
    for (const provider of s.identityProviders ?? []) {
      const pool = provider.UserPoolId ?? poolId;
      if (pool && provider.ProviderName) this.identityProviders.set(pool, provider.ProviderName, provider);
    }
    for (const user of arrayOf<EmulatedUser>(s['users'])) {
      const pool = user.UserPoolId ?? poolId;
      if (pool && user.Username) this.users.set(pool, user.Username, user);
    }
    this.brandings.push(...arrayOf<EmulatedBranding>(s['managedLoginBranding']));
    const identityPoolId = s.identityPool?.IdentityPoolId;
    if (s.identityPool && identityPoolId) this.identityPools.set(identityPoolId, s.identityPool);
    const rolesOf = s.identityPoolRoles?.IdentityPoolId ?? identityPoolId;
    if (s.identityPoolRoles && rolesOf) this.identityPoolRoles.set(rolesOf, s.identityPoolRoles);
    for (const map of arrayOf<GetPrincipalTagAttributeMapResponse>(s['principalTagAttributeMaps'])) {
      const pool = map.IdentityPoolId ?? identityPoolId;
      if (pool && map.IdentityProviderName) this.principalTagMaps.set(pool, map.IdentityProviderName, map);
    }
    for (const role of s.roles ?? []) if (role.RoleName) this.roles.set(role.RoleName, role);
    for (const [roleArn, policies] of Object.entries(s.rolePolicies ?? {})) {
      this.rolePolicies.set(lastSegment(roleArn), policies);
      for (const policy of [...(policies.attached ?? []), ...(policies.boundary ? [policies.boundary] : [])]) {
        if (policy.PolicyArn) this.managedPolicies.set(policy.PolicyArn, policy);
      }
    }
    for (const user of s.iamUsers ?? []) if (user.UserName) this.iamUsers.set(user.UserName, user);
    for (const [userArn, policies] of Object.entries(s.userPolicies ?? {})) {
      this.userPolicies.set(lastSegment(userArn), policies);
      for (const group of policies.groups ?? []) if (group.GroupName) this.iamGroups.set(group.GroupName, group);
      for (const policy of [policies, ...(policies.groups ?? [])].flatMap((p) => p.attached ?? []).concat(policies.boundary ? [policies.boundary] : [])) {
        if (policy.PolicyArn) this.managedPolicies.set(policy.PolicyArn, policy);
      }
    }
    this.errors.push(...(s.errors ?? []));
  }

  /**
   * A role's permission policies. CognitoOptions.RoleArn without any in the snapshots has what the
   * console gives it: the AWS managed AmazonOpenSearchServiceCognitoAccess policy.
   */
  policiesOfRole(name: string): RolePolicies | undefined {
    const recorded = this.rolePolicies.get(name);
    if (recorded) return recorded;
    const serviceRole = this.serviceRoles.get(name);
    if (!serviceRole) return undefined;
    const partition = serviceRole.split(':')[1] ?? 'aws';
    return {
      attached: [{ PolicyArn: `arn:${partition}:iam::aws:policy/AmazonOpenSearchServiceCognitoAccess`, PolicyName: 'AmazonOpenSearchServiceCognitoAccess' }],
      inline: [],
    };
  }

  /** A managed policy of the snapshots, or the AWS managed Cognito access policy, which every account has. */
  managedPolicy(arn: string): AttachedPolicy | undefined {
    const recorded = this.managedPolicies.get(arn);
    if (recorded) return recorded;
    if (!isCognitoAccessManagedPolicy(arn)) return undefined;
    return { PolicyArn: arn, PolicyName: lastSegment(arn), Document: cognitoAccessPolicyDocument(arn.split(':')[1]) };
  }

  /** The id of the pool a hosted UI domain (prefix or custom domain) belongs to. */
  userPoolIdByDomain(domain: string): string | undefined {
    return (
      this.userPoolDomains.get(domain)?.UserPoolId ??
      [...this.userPools.values()].find((pool) => pool.Domain === domain || pool.CustomDomain === domain)?.Id
    );
  }

  domainArn(name: string): string {
    return this.domains.get(name)?.domain.ARN ?? `arn:aws:es:${this.region}:${this.accountId}:domain/${name}`;
  }

  userPoolArn(id: string): string {
    return this.userPools.get(id)?.Arn ?? `arn:aws:cognito-idp:${regionOfPoolId(id) ?? this.region}:${this.accountId}:userpool/${id}`;
  }

  identityPoolArn(id: string): string {
    return `arn:aws:cognito-identity:${regionOfPoolId(id) ?? this.region}:${this.accountId}:identitypool/${id}`;
  }

  roleArn(name: string): string {
    return this.roles.get(name)?.Arn ?? `arn:aws:iam::${this.accountId}:role/${name}`;
  }

  userArn(name: string): string {
    return this.iamUsers.get(name)?.Arn ?? `arn:aws:iam::${this.accountId}:user/${name}`;
  }

  groupArn(name: string): string {
    return this.iamGroups.get(name)?.Arn ?? `arn:aws:iam::${this.accountId}:group/${name}`;
  }

  /** The ids, names and ARNs a request addresses, the most specific ARN first. */
  resourceIds(service: string, params: Params): string[] {
    const p = (key: string): string | undefined => (typeof params[key] === 'string' ? params[key] : undefined);
    const ids: (string | undefined)[] = [];
    switch (service) {
      case 'opensearch': {
        const names = [p('DomainName'), ...arrayOf<string>(params['DomainNames'])].filter((n) => typeof n === 'string');
        for (const name of names) ids.push(this.domainArn(name), name);
        break;
      }
      case 'es-rest': {
        const name = p('DomainName');
        if (name) ids.push(this.domainArn(name) + (p('path') ?? ''), name);
        break;
      }
      case 'cognito-idp': {
        const domain = p('Domain');
        const pool = p('UserPoolId') ?? (domain === undefined ? undefined : this.userPoolIdByDomain(domain));
        ids.push(pool && this.userPoolArn(pool), pool, p('ClientId'), p('Username'), p('GroupName'), p('ProviderName'), domain);
        break;
      }
      case 'cognito-identity': {
        const pool = p('IdentityPoolId');
        ids.push(pool && this.identityPoolArn(pool), pool, p('IdentityProviderName'));
        break;
      }
      case 'iam': {
        const role = p('RoleName');
        const user = p('UserName');
        const group = p('GroupName');
        ids.push(role && this.roleArn(role), role, user && this.userArn(user), user, group && this.groupArn(group), group, p('PolicyArn'), p('PolicyName'));
        break;
      }
      case 'wafv2': {
        const arn = p('ResourceArn');
        ids.push(arn, arn === undefined ? undefined : lastSegment(arn));
        break;
      }
    }
    return ids.filter((id): id is string => typeof id === 'string' && id !== '');
  }

  /**
   * The snapshot's record of this read failing, if any: same operation, and a resource that the
   * request addresses (equal, contained in one of its ids, or an ARN naming one of them).
   */
  recordedError(call: Call): ReadError | undefined {
    const names = new Set([`${iamPrefix(call.service)}:${call.operation}`, `${call.service}:${call.operation}`]);
    return this.errors.find(({ operation, resource }) => {
      if (!names.has(operation)) return false;
      if (!resource) return true;
      return call.resources.some((id) => id.includes(resource)) || call.resources.includes(lastSegment(resource));
    });
  }
}
