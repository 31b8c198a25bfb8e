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
import { ApiError, callerArn, iamPrefix } from './errors.js';

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
  /** The Region the domain lives in: its ARN's, else its snapshot's. */
  region: string;
  rolesMapping?: Record<string, RolesMappingEntry>;
}

/** Snapshots that hold the same resource with different content: one account cannot be both. */
export class ConflictingSnapshots extends Error {
  override readonly name = 'SnapshotError';
}

/** The same JSON text for equal values whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, member: unknown) =>
    member && typeof member === 'object' && !Array.isArray(member)
      ? Object.fromEntries(Object.entries(member).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : member,
  );
}

const ORDINALS = ['first', 'second', 'third'];
const ordinal = (index: number) => ORDINALS[index] ?? `${index + 1}th`;

/** Map of maps: outer id (a pool) → inner id → item, in insertion order. */
class Nested<T> {
  private readonly maps = new Map<string, Map<string, T>>();
  set(outer: string, inner: string, value: T): void {
    let map = this.maps.get(outer);
    if (!map) this.maps.set(outer, (map = new Map()));
    map.set(inner, value);
  }
  has(outer: string, inner: string): boolean {
    return this.maps.get(outer)?.has(inner) ?? false;
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

/** Every host name the domain answers on: its endpoints and its custom endpoint. */
function endpointsOf(domain: Domain): string[] {
  return [domain.Endpoint, domain.EndpointV2, ...Object.values(domain.Endpoints ?? {}), domain.DomainEndpointOptions?.CustomEndpoint].filter(
    (e): e is string => typeof e === 'string',
  );
}

/** Domain names are unique within an account and Region: the same name may live in two Regions. */
const domainKey = (region: string, name: string) => `${region}/${name}`;

/** The last `/`-separated segment of an ARN: the name or id of the resource. */
function lastSegment(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/** `eu-west-1_AbC` and `eu-west-1:uuid` carry their region in the prefix. */
export function regionOfPoolId(id: string): string | undefined {
  return /^([a-z]{2}(?:-[a-z]+)+-\d+)[_:]/.exec(id)?.[1];
}

/**
 * What the snapshots hold. A part a snapshot collected (even empty) is served as collected; a part
 * no snapshot collected for a resource they name is answered as a read the caller may not make
 * (see notCollected), never invented, so that a live read reaches the verdict the offline one does.
 */
export class Account {
  readonly accountId: string;
  /** The region of the first snapshot: used only to name resources no snapshot has. */
  readonly region: string;
  /** aws, aws-cn or aws-us-gov: the partition of the account's domains. */
  readonly partition: string;
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
  /** Pools whose client list, group list, identity providers, web ACL, branding or users a snapshot collected. */
  readonly clientListsRead = new Set<string>();
  readonly groupListsRead = new Set<string>();
  readonly providerListsRead = new Set<string>();
  readonly webAclsRead = new Set<string>();
  readonly brandingsRead = new Set<string>();
  readonly usersRead = new Set<string>();
  /** Identity pools whose principal tag maps a snapshot collected. */
  readonly principalTagMapsRead = new Set<string>();
  /** Ids and names the snapshots name (in a domain, an identity pool's roles, a group) without necessarily holding them. */
  private readonly namedUserPools = new Set<string>();
  private readonly namedIdentityPools = new Set<string>();
  private readonly namedRoles = new Set<string>();
  readonly errors: ReadError[] = [];
  /** Which snapshot each resource came from, to name the two that disagree. */
  private readonly origins = new Map<string, { index: number; content: string }>();

  /**
   * Refuses snapshots that disagree: the same resource id with different content. `identity`
   * names the account when the snapshots are not enough to (an organization's account without any).
   */
  constructor(snapshots: Snapshot[], identity?: { accountId: string; partition: string }) {
    const first = snapshots[0];
    this.region = first?.region ?? 'us-east-1';
    this.accountId =
      identity?.accountId ??
      snapshots.find((s) => s.accountId)?.accountId ??
      snapshots.map((s) => s.domain.ARN?.split(':')[4]).find((id) => id) ??
      '000000000000';
    this.partition = snapshots.map((s) => s.domain.ARN?.split(':')[1]).find((p) => p) ?? identity?.partition ?? 'aws';
    snapshots.forEach((snapshot, index) => this.add(snapshot, index));
  }

  /** Records where a resource came from; the same id with other content in another snapshot is a conflict. */
  private claim(what: string, value: unknown, index: number): void {
    const content = canonical(value);
    const earlier = this.origins.get(what);
    if (!earlier) {
      this.origins.set(what, { index, content });
      return;
    }
    if (earlier.content !== content) {
      throw new ConflictingSnapshots(
        `the ${ordinal(earlier.index)} and ${ordinal(index)} snapshots hold different ${what}: serve snapshots of one state of the account (one snapshot per domain)`,
      );
    }
  }

  private add(s: Snapshot, index: number): void {
    const claim = (what: string, value: unknown) => this.claim(what, value, index);
    const domainRegion = s.domain.ARN?.split(':')[3] || s.region;
    claim(`domain ${s.domain.DomainName} in ${domainRegion}`, { domain: s.domain, securityPlugin: s.securityPlugin });
    this.domains.set(domainKey(domainRegion, s.domain.DomainName), { domain: s.domain, region: domainRegion, rolesMapping: s.securityPlugin?.rolesMapping });
    const cognito = s.domain.CognitoOptions;
    if (cognito?.UserPoolId) this.namedUserPools.add(cognito.UserPoolId);
    if (cognito?.IdentityPoolId) this.namedIdentityPools.add(cognito.IdentityPoolId);
    this.nameRole(cognito?.RoleArn);
    const poolId = s.userPool?.Id ?? cognito?.UserPoolId;
    if (s.userPool?.Id) {
      claim(`user pool ${s.userPool.Id}`, s.userPool);
      this.userPools.set(s.userPool.Id, s.userPool);
    }
    if (poolId && s.userPoolWebAcl !== undefined) {
      claim(`web ACL of ${poolId}`, s.userPoolWebAcl);
      this.webAclsRead.add(poolId);
      if (s.userPoolWebAcl) this.webAcls.set(poolId, s.userPoolWebAcl);
    }
    if (s.userPoolDomain) {
      // `{}` records a domain the pool names that does not exist.
      const name = s.userPoolDomain.Domain ?? s.userPool?.CustomDomain ?? s.userPool?.Domain;
      if (name) {
        claim(`user pool domain ${name}`, s.userPoolDomain);
        this.userPoolDomains.set(name, s.userPoolDomain);
      }
    }
    if (poolId && Array.isArray(s.userPoolClients)) this.clientListsRead.add(poolId);
    for (const client of s.userPoolClients ?? []) {
      const pool = client.UserPoolId ?? poolId;
      if (!pool || !client.ClientId) continue;
      claim(`app client ${client.ClientId} of ${pool}`, client);
      this.clients.set(pool, client.ClientId, client);
    }
    if (poolId && Array.isArray(s.userPoolGroups)) this.groupListsRead.add(poolId);
    for (const group of s.userPoolGroups ?? []) {
      const pool = group.UserPoolId ?? poolId;
      this.nameRole(group.RoleArn);
      if (!pool || !group.GroupName) continue;
      claim(`group ${group.GroupName} of ${pool}`, group);
      this.groups.set(pool, group.GroupName, group);
    }
    if (poolId && Array.isArray(s.identityProviders)) this.providerListsRead.add(poolId);
    for (const provider of s.identityProviders ?? []) {
      const pool = provider.UserPoolId ?? poolId;
      if (!pool || !provider.ProviderName) continue;
      claim(`identity provider ${provider.ProviderName} of ${pool}`, provider);
      this.identityProviders.set(pool, provider.ProviderName, provider);
    }
    if (poolId && Array.isArray(s['users'])) this.usersRead.add(poolId);
    for (const user of arrayOf<EmulatedUser>(s['users'])) {
      const pool = user.UserPoolId ?? poolId;
      if (!pool || !user.Username) continue;
      claim(`user ${user.Username} of ${pool}`, user);
      this.users.set(pool, user.Username, user);
    }
    if (poolId && Array.isArray(s.managedLoginBranding)) this.brandingsRead.add(poolId);
    for (const branding of arrayOf<EmulatedBranding>(s.managedLoginBranding)) {
      const pool = branding.UserPoolId ?? poolId;
      if (!pool) continue;
      claim(`managed login branding ${branding.ManagedLoginBrandingId}`, branding);
      if (!this.brandings.some((b) => b.ManagedLoginBrandingId === branding.ManagedLoginBrandingId)) this.brandings.push({ ...branding, UserPoolId: pool });
    }
    const identityPoolId = s.identityPool?.IdentityPoolId ?? cognito?.IdentityPoolId;
    if (s.identityPool?.IdentityPoolId) {
      claim(`identity pool ${s.identityPool.IdentityPoolId}`, s.identityPool);
      this.identityPools.set(s.identityPool.IdentityPoolId, s.identityPool);
    }
    const rolesOf = s.identityPoolRoles?.IdentityPoolId ?? identityPoolId;
    if (s.identityPoolRoles && rolesOf) {
      claim(`roles of identity pool ${rolesOf}`, s.identityPoolRoles);
      this.identityPoolRoles.set(rolesOf, s.identityPoolRoles);
      for (const arn of Object.values(s.identityPoolRoles.Roles ?? {})) this.nameRole(arn);
      for (const mapping of Object.values(s.identityPoolRoles.RoleMappings ?? {})) {
        for (const rule of mapping.RulesConfiguration?.Rules ?? []) this.nameRole(rule.RoleARN);
      }
    }
    if (identityPoolId && Array.isArray(s.principalTagAttributeMaps)) this.principalTagMapsRead.add(identityPoolId);
    for (const map of arrayOf<GetPrincipalTagAttributeMapResponse>(s.principalTagAttributeMaps)) {
      const pool = map.IdentityPoolId ?? identityPoolId;
      if (!pool || !map.IdentityProviderName) continue;
      claim(`principal tag map of ${map.IdentityProviderName} in ${pool}`, map);
      this.principalTagMaps.set(pool, map.IdentityProviderName, map);
    }
    for (const role of s.roles ?? []) {
      if (!role.RoleName) continue;
      claim(`role ${role.RoleName}`, role);
      this.roles.set(role.RoleName, role);
    }
    for (const [roleArn, policies] of Object.entries(s.rolePolicies ?? {})) {
      claim(`permission policies of ${roleArn}`, policies);
      this.rolePolicies.set(lastSegment(roleArn), policies);
      for (const policy of [...(policies.attached ?? []), ...(policies.boundary ? [policies.boundary] : [])]) this.addManagedPolicy(policy);
    }
    for (const user of s.iamUsers ?? []) {
      if (!user.UserName) continue;
      claim(`IAM user ${user.UserName}`, user);
      this.iamUsers.set(user.UserName, user);
    }
    for (const [userArn, policies] of Object.entries(s.userPolicies ?? {})) {
      claim(`permission policies of ${userArn}`, policies);
      this.userPolicies.set(lastSegment(userArn), policies);
      for (const group of policies.groups ?? []) if (group.GroupName) this.iamGroups.set(group.GroupName, group);
      for (const policy of [policies, ...(policies.groups ?? [])].flatMap((p) => p.attached ?? []).concat(policies.boundary ? [policies.boundary] : [])) {
        this.addManagedPolicy(policy);
      }
    }
    this.errors.push(...(s.errors ?? []));
  }

  /** A policy recorded without its document keeps the one another snapshot recorded. */
  private addManagedPolicy(policy: AttachedPolicy): void {
    if (!policy.PolicyArn) return;
    const known = this.managedPolicies.get(policy.PolicyArn);
    if (!known || (known.Document === undefined && policy.Document !== undefined)) this.managedPolicies.set(policy.PolicyArn, policy);
  }

  /** A role of this account that the login path names: by name, since IAM requests name roles. */
  private nameRole(arn: string | undefined): void {
    if (arn && arn.split(':')[4] === this.accountId) this.namedRoles.add(lastSegment(arn));
  }

  /** A role's permission policies, as recorded. */
  policiesOfRole(name: string): RolePolicies | undefined {
    return this.rolePolicies.get(name);
  }

  /**
   * A managed policy of the snapshots with its document, or the AWS managed Cognito access policy,
   * whose content is AWS's and the same in every account.
   */
  managedPolicy(arn: string): AttachedPolicy | undefined {
    if (isCognitoAccessManagedPolicy(arn)) return { PolicyArn: arn, PolicyName: lastSegment(arn), Document: cognitoAccessPolicyDocument(arn.split(':')[1]) };
    return this.managedPolicies.get(arn);
  }

  /** The snapshots name this user pool (a domain's CognitoOptions) without holding it. */
  namesUserPool(id: string): boolean {
    return this.namedUserPools.has(id) && !this.recordedAbsent(id);
  }

  namesIdentityPool(id: string): boolean {
    return this.namedIdentityPools.has(id) && !this.recordedAbsent(id);
  }

  /** The login path names this role of the account, whose GetRole no snapshot recorded. */
  namesRole(name: string): boolean {
    return this.namedRoles.has(name) && !this.roles.has(name);
  }

  /** A read of this resource was recorded as failing because it does not exist. */
  private recordedAbsent(id: string): boolean {
    return this.errors.some((e) => /NotFound|NoSuchEntity/.test(e.code) && e.resource !== undefined && (e.resource === id || e.resource.endsWith(`/${id}`)));
  }

  /**
   * The answer to a read of a part no snapshot collected: what AWS answers a caller who may not
   * make it. The collector records it in `errors`, so the live read is undecided where the offline
   * one is not evaluated, and neither invents a verdict.
   */
  notCollected(call: Call): ApiError {
    const code = call.service === 'iam' || call.service === 'sts' ? 'AccessDenied' : 'AccessDeniedException';
    const resource = call.resources[0] ?? '*';
    return new ApiError(
      code,
      `User: ${call.callerArn ?? callerArn(this.accountId)} is not authorized to perform: ${iamPrefix(call.service)}:${call.operation} on resource: ${resource} because no snapshot served by this emulator holds it`,
    );
  }

  /** The client ids a snapshot recorded a failed DescribeUserPoolClient for: listed, but not described. */
  undescribedClients(pool: string): string[] {
    const prefix = `${pool}/`;
    return this.errors.flatMap((e) =>
      e.operation === 'cognito-idp:DescribeUserPoolClient' && e.resource?.startsWith(prefix) && !this.clients.has(pool, e.resource.slice(prefix.length))
        ? [e.resource.slice(prefix.length)]
        : [],
    );
  }

  /** The id of the pool a hosted UI domain (prefix or custom domain) belongs to. */
  userPoolIdByDomain(domain: string): string | undefined {
    return (
      this.userPoolDomains.get(domain)?.UserPoolId ?? [...this.userPools.values()].find((pool) => pool.Domain === domain || pool.CustomDomain === domain)?.Id
    );
  }

  /** The domain of this name in this Region: a domain lives in one Region. */
  domainIn(name: string, region: string | undefined): EmulatedDomain | undefined {
    return region === undefined ? undefined : this.domains.get(domainKey(region, name));
  }

  /** The domain whose endpoint is this host name, as DNS would route it. */
  domainByHost(host: string | undefined): EmulatedDomain | undefined {
    const hostname = (host ?? '').replace(/:\d+$/, '').toLowerCase();
    return [...this.domains.values()].find((d) => endpointsOf(d.domain).some((e) => e.toLowerCase() === hostname));
  }

  domainArn(name: string, region: string = this.region): string {
    return this.domains.get(domainKey(region, name))?.domain.ARN ?? `arn:${this.partition}:es:${region}:${this.accountId}:domain/${name}`;
  }

  userPoolArn(id: string): string {
    return this.userPools.get(id)?.Arn ?? `arn:${this.partition}:cognito-idp:${regionOfPoolId(id) ?? this.region}:${this.accountId}:userpool/${id}`;
  }

  identityPoolArn(id: string): string {
    return `arn:${this.partition}:cognito-identity:${regionOfPoolId(id) ?? this.region}:${this.accountId}:identitypool/${id}`;
  }

  roleArn(name: string): string {
    return this.roles.get(name)?.Arn ?? `arn:${this.partition}:iam::${this.accountId}:role/${name}`;
  }

  userArn(name: string): string {
    return this.iamUsers.get(name)?.Arn ?? `arn:${this.partition}:iam::${this.accountId}:user/${name}`;
  }

  groupArn(name: string): string {
    return this.iamGroups.get(name)?.Arn ?? `arn:${this.partition}:iam::${this.accountId}:group/${name}`;
  }

  /** The ids, names and ARNs a request addresses, the most specific ARN first. */
  resourceIds(service: string, params: Params, region?: string): string[] {
    const p = (key: string): string | undefined => (typeof params[key] === 'string' ? params[key] : undefined);
    const ids: (string | undefined)[] = [];
    switch (service) {
      case 'opensearch': {
        const names = [p('DomainName'), ...arrayOf<string>(params['DomainNames'])].filter((n) => typeof n === 'string');
        for (const name of names) ids.push(this.domainArn(name, region), name);
        break;
      }
      case 'es-rest': {
        const name = p('DomainName');
        const domain = this.domainByHost(p('host'));
        if (name) ids.push((domain?.domain.ARN ?? this.domainArn(name, region)) + (p('path') ?? ''), name);
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
      case 'sts': {
        // AssumeRole: the role a session is asked in.
        ids.push(p('RoleArn'));
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
