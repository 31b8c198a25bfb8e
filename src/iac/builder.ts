// The one builder both pre-deploy readers (CloudFormation templates, Terraform plans) fill a
// snapshot through: each reader turns its resources into API-shaped values, and these functions
// put them where a live read would, with the same entries for what the code leaves open.
import { providerNameOf } from '../model/pools.js';
import type { ReadError, RolePolicies, RolesMappingEntry, Snapshot, UserPoolClientType } from '../snapshot/types.js';
import { clientIdOf, type Json, type Placement } from './common.js';

/** How a reader names itself in the entries it records. */
export interface CodeKind {
  /** `cloudformation` or `terraform`: the `<tool>:Resolve` operation of its entries. */
  tool: string;
  /** `template` or `plan`. */
  what: string;
  /** The code of a value the reader cannot decide (`Unresolvable`, `UnknownAfterApply`). */
  openCode: string;
  /** The code, and the words, of a resource the code names but does not define. */
  absentCode: string;
  absent: string;
}

/** One snapshot being built; `errors` collects what the code leaves open, `notes` what the user should know. */
export class SnapshotBuilder {
  readonly errors: ReadError[] = [];
  readonly notes: string[] = [];

  constructor(
    readonly kind: CodeKind,
    readonly file: string,
  ) {}

  /**
   * Records that the API read `operation` on `apiResource` would give what the code leaves
   * undecided at `where` (a resource, or `Resource.Property`), so the checks needing it name that value.
   */
  undecided(operation: string, apiResource: string, where: string): void {
    recordUndecided(this.errors, { tool: this.kind.tool, file: this.file, what: this.kind.what }, operation, apiResource, where);
  }

  unresolvable(resource: string, reason: string, code = this.kind.openCode): void {
    if (!this.errors.some((e) => e.resource === resource && e.code === code))
      this.errors.push({ operation: `${this.kind.tool}:Resolve`, resource, code, message: reason });
  }

  /** A pool the domain names that the code does not define: what reads it is undecided. */
  notInCode(where: string, what: string, operation: string, apiResource: string): void {
    this.unresolvable(where, `${what} ${this.kind.absent}`, this.kind.absentCode);
    this.undecided(operation, apiResource, where);
  }
}

export function startSnapshot(region: string, accountId: string, domain: Snapshot['domain']): Snapshot {
  return { schema: 'cogdoctor/snapshot/v1', region, accountId, domain };
}

/** The FGAC role mapping the domain starts with (its master user), or the security plugin read left undecided. */
export function setMasterUserMapping(
  b: SnapshotBuilder,
  snapshot: Snapshot,
  master: { arn: string | undefined; name: string | undefined },
  domainArn: string,
  where: string,
): void {
  const mapping = masterUserMapping(master.arn, master.name);
  if (mapping) snapshot.securityPlugin = mapping;
  else b.undecided('es:ESHttpGet', `${domainArn}/_plugins/_security/api/rolesmapping`, where);
}

/** The hosted-UI domain of the user pool: named on the pool (custom or prefix) and described as DescribeUserPoolDomain would. */
export function setUserPoolDomain(
  snapshot: Snapshot,
  userPool: Json,
  domain: { userPoolId: string; accountId: string; prefix: string; customDomainConfig?: unknown; managedLoginVersion?: unknown },
): void {
  const { userPoolId, accountId, prefix, customDomainConfig, managedLoginVersion } = domain;
  userPool[customDomainConfig ? 'CustomDomain' : 'Domain'] = prefix;
  snapshot.userPoolDomain = {
    UserPoolId: userPoolId,
    AWSAccountId: accountId,
    Domain: prefix,
    Status: 'ACTIVE',
    ...(customDomainConfig ? { CustomDomainConfig: customDomainConfig } : {}),
    ...(typeof managedLoginVersion === 'number' ? { ManagedLoginVersion: managedLoginVersion } : {}),
  } as Snapshot['userPoolDomain'];
}

/**
 * The user pool's app clients, with the one OpenSearch Service creates at deploy (serviceClientOf);
 * gives the identity pool's providers after deploy, when the code decides them.
 */
export function setAppClients(b: SnapshotBuilder, snapshot: Snapshot, input: Omit<ServiceClientInput, 'code'>): DeclaredProvider[] | undefined {
  const service = serviceClientOf({ ...input, code: b.kind.what });
  snapshot.userPoolClients = service.clients;
  if (service.serviceClientAtDeploy) snapshot.serviceClientAtDeploy = service.serviceClientAtDeploy;
  b.notes.push(...service.notes);
  return service.providers;
}

export interface IdentityPoolFields {
  IdentityPoolId: string;
  IdentityPoolName: string;
  AllowUnauthenticatedIdentities: boolean;
  AllowClassicFlow: boolean;
  /** Undefined when the code does not decide them (then left out, as a failed read would). */
  CognitoIdentityProviders?: DeclaredProvider[] | unknown[] | undefined;
  SupportedLoginProviders?: Record<string, string> | undefined;
  SamlProviderARNs?: string[] | undefined;
  OpenIdConnectProviderARNs?: string[] | undefined;
}

export function setIdentityPool(snapshot: Snapshot, fields: IdentityPoolFields): void {
  const { CognitoIdentityProviders, SupportedLoginProviders, SamlProviderARNs, OpenIdConnectProviderARNs, ...always } = fields;
  snapshot.identityPool = {
    ...always,
    ...(CognitoIdentityProviders ? { CognitoIdentityProviders: CognitoIdentityProviders as never } : {}),
    ...(SupportedLoginProviders ? { SupportedLoginProviders } : {}),
    ...(SamlProviderARNs ? { SamlProviderARNs } : {}),
    ...(OpenIdConnectProviderARNs ? { OpenIdConnectProviderARNs } : {}),
  };
}

/** The identity pool's roles and role mappings (keyed by provider, as GetIdentityPoolRoles gives them). */
export function setIdentityPoolRoles(snapshot: Snapshot, identityPoolId: string, roles: Record<string, string>, roleMappings: Json): void {
  snapshot.identityPoolRoles = {
    IdentityPoolId: identityPoolId,
    Roles: roles,
    ...(Object.keys(roleMappings).length > 0 ? { RoleMappings: roleMappings as never } : {}),
  };
}

/** An identity pool whose roles the code attaches nowhere: GetIdentityPoolRoles is undecided. */
export function noRoleAttachment(b: SnapshotBuilder, where: string, attachmentType: string, identityPoolId: string): void {
  b.unresolvable(where, `no ${attachmentType} for the identity pool in the ${b.kind.what}`, b.kind.absentCode);
  b.undecided('cognito-identity:GetIdentityPoolRoles', identityPoolId, where);
}

/** A role as GetRole gives it. */
export function roleOf(role: {
  Path: string;
  RoleName: string;
  RoleId: unknown;
  Arn: string;
  AssumeRolePolicyDocument: unknown;
  MaxSessionDuration?: number | undefined;
  boundary?: string | undefined;
}): NonNullable<Snapshot['roles']>[number] {
  const { MaxSessionDuration, boundary, ...fields } = role;
  return {
    ...fields,
    ...(MaxSessionDuration !== undefined ? { MaxSessionDuration } : {}),
    ...(boundary ? { PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: boundary } } : {}),
  } as never;
}

/** A managed policy attached to a role; no document for one whose content cogdoctor knows. */
export function attachedPolicyOf(policyArn: string, document?: unknown): NonNullable<RolePolicies['attached']>[number] {
  return { PolicyArn: policyArn, PolicyName: policyArn.slice(policyArn.lastIndexOf('/') + 1), ...(document !== undefined ? { Document: document } : {}) };
}

/**
 * Ends a snapshot: the roles and their policies, what the code leaves open, the account left
 * undecided when the code names several, and the roles the login path names outside the code.
 */
export function finishSnapshot(
  b: SnapshotBuilder,
  snapshot: Snapshot,
  parts: {
    roles: NonNullable<Snapshot['roles']>;
    rolePolicies: Record<string, RolePolicies>;
    undecidedAccounts: string[] | undefined;
    accessPolicyAt: string;
    accountParameter: string;
  },
): void {
  snapshot.roles = parts.roles;
  snapshot.rolePolicies = parts.rolePolicies;
  snapshot.errors = b.errors;
  if (parts.undecidedAccounts) {
    leaveAccountUndecided(snapshot, parts.undecidedAccounts, {
      tool: b.kind.tool,
      file: b.file,
      what: b.kind.what,
      accessPolicyAt: parts.accessPolicyAt,
      parameter: parts.accountParameter,
    });
  }
  recordRolesOutside(snapshot, { file: b.file, what: b.kind.what, errorCode: b.kind.absentCode });
}

export function placementOf(accessPolicy: string | undefined, roleMappings: string | undefined): Placement {
  return { ...(accessPolicy ? { accessPolicy } : {}), ...(roleMappings ? { roleMappings } : {}) };
}

/**
 * The FGAC role mapping the domain starts with: at creation the service maps the master user
 * (MasterUserOptions) to all_access and security_manager.
 */
export function masterUserMapping(masterUserArn: string | undefined, masterUserName: string | undefined): Snapshot['securityPlugin'] | undefined {
  const entry: RolesMappingEntry | undefined = masterUserArn
    ? { backend_roles: [masterUserArn], users: [], hosts: [] }
    : masterUserName
      ? { backend_roles: [], users: [masterUserName], hosts: [] }
      : undefined;
  return entry ? { rolesMapping: { all_access: { ...entry }, security_manager: { ...entry } } } : undefined;
}

/**
 * Records that the API read `operation` on `apiResource` would give what the code leaves undecided
 * at `where` (a resource, or `Resource.Property`), so the checks needing it name that value and
 * never an IAM permission. The cause is the reader's own entry (operation `<tool>:Resolve`) for it.
 */
export function recordUndecided(
  errors: ReadError[],
  code: { tool: string; file: string; what: string },
  operation: string,
  apiResource: string,
  where: string,
): void {
  const cause = errors.find((e) => e.operation === `${code.tool}:Resolve` && (e.resource === where || e.resource?.startsWith(`${where}.`)));
  const message = `${cause?.resource ?? where} in ${code.file} is not decided by the ${code.what}: ${cause?.message ?? 'known only at deploy'}`;
  if (!errors.some((e) => e.operation === operation && e.resource === apiResource))
    errors.push({ operation, resource: apiResource, code: cause?.code ?? 'Unresolvable', message });
}

/**
 * The roles the login path names that the code does not define (an ARN written out, a parameter):
 * their trust and permissions are not decided by it, and the checks reading them say which role.
 */
export function recordRolesOutside(snapshot: Snapshot, code: { file: string; what: string; errorCode: string }): void {
  const defined = new Set((snapshot.roles ?? []).map((r) => r.Arn));
  const named = new Set<string>();
  const add = (arn: unknown) => {
    if (typeof arn === 'string' && arn.startsWith('arn:')) named.add(arn);
  };
  add(snapshot.domain.CognitoOptions?.RoleArn);
  for (const arn of Object.values(snapshot.identityPoolRoles?.Roles ?? {})) add(arn);
  for (const mapping of Object.values(snapshot.identityPoolRoles?.RoleMappings ?? {}))
    for (const rule of mapping.RulesConfiguration?.Rules ?? []) add(rule.RoleARN);
  for (const group of snapshot.userPoolGroups ?? []) add(group.RoleArn);
  const errors = (snapshot.errors ??= []);
  for (const arn of [...named].sort()) {
    if (defined.has(arn) || errors.some((e) => e.operation === 'iam:GetRole' && e.resource === arn)) continue;
    errors.push({
      operation: 'iam:GetRole',
      resource: arn,
      code: code.errorCode,
      message: `role ${arn} is not defined in ${code.file}: the ${code.what} does not decide its trust policy`,
    });
  }
}

/**
 * When the code names several accounts in written-out ARNs and nothing says which one it deploys
 * to, an ARN built from the account pseudo parameter cannot be compared with them: the access
 * policy and the FGAC master mapping (where such ARNs meet) are left undecided, naming why, rather
 * than compared against a placeholder account.
 */
export function leaveAccountUndecided(
  snapshot: Snapshot,
  accounts: string[],
  code: { tool: string; file: string; what: string; accessPolicyAt: string; parameter: string },
): void {
  const why = `the ${code.what} names accounts ${accounts.join(', ')} and does not say which one it deploys to, so ARNs built from the account cannot be compared with them (${code.parameter})`;
  const errors = (snapshot.errors ??= []);
  if (snapshot.domain.AccessPolicies !== undefined && /:\d{12}:/.test(snapshot.domain.AccessPolicies)) {
    delete snapshot.domain.AccessPolicies;
    errors.push({ operation: `${code.tool}:Resolve`, resource: code.accessPolicyAt, code: 'Unresolvable', message: why });
  }
  if (snapshot.securityPlugin) {
    delete snapshot.securityPlugin;
    const arn = snapshot.domain.ARN ?? snapshot.domain.DomainName;
    errors.push({
      operation: 'es:ESHttpGet',
      resource: `${arn}/_plugins/_security/api/rolesmapping`,
      code: 'Unresolvable',
      message: `the FGAC master user mapping in ${code.file} is not decided: ${why}`,
    });
  }
}

/** Whether a client the code defines is the service's own, imported (named as the service names it). */
export function isServiceNamed(domainName: string, clientName: string): boolean {
  return clientName.startsWith(`AmazonOpenSearchService-${domainName}-`) || clientName.startsWith(`AWSElasticsearch-${domainName}-`);
}

/** An identity-pool provider as the code declares it; `ClientId` undefined when only known at deploy. */
export interface DeclaredProvider {
  ProviderName?: string;
  ClientId?: string;
  ServerSideTokenCheck?: boolean;
}

export interface ServiceClientInput {
  domainName: string;
  /** The domain's Region: the service names its client after it. */
  domainRegion: string;
  userPoolId: string;
  /** The clients the code defines in the user pool. */
  clients: UserPoolClientType[];
  /** The identity pool's providers as the code declares them; undefined when the identity pool is not in the code. */
  declared: DeclaredProvider[] | undefined;
  /** A provider the plan removes from the identity pool (in `before`, not in `after`) whose client the code does not define. */
  removed?: DeclaredProvider | undefined;
  /** What the generated id is derived from (the domain's logical id or address). */
  seed: string;
  /** `template` or `plan`, for the notes. */
  code: string;
}

export interface ServiceClientPlan {
  clients: UserPoolClientType[];
  /** The identity pool's providers after deploy (undefined when the code does not decide them). */
  providers: DeclaredProvider[] | undefined;
  /** The stand-in's ClientId, when the service creates the client at deploy. */
  serviceClientAtDeploy?: string;
  notes: string[];
}

/**
 * The app client OpenSearch Service creates when it enables Cognito (decision rule 6) is in no
 * template or plan: it comes with the service's settings, and the service adds it to the identity
 * pool as a provider. A client the code creates is never it, unless it is the service's client
 * imported (named `AmazonOpenSearchService-<domain>-…` / `AWSElasticsearch-<domain>-…`): then the
 * code manages it, and the identity pool gets only the providers the code declares.
 */
export function serviceClientOf(input: ServiceClientInput): ServiceClientPlan {
  const { domainName, userPoolId, clients, declared } = input;
  const imported = clients.find((c) => isServiceNamed(domainName, c.ClientName ?? ''));
  const provider = providerNameOf(userPoolId);
  const complete = (list: DeclaredProvider[] | undefined) => list?.every((p) => p.ClientId !== undefined) ?? false;
  if (imported) {
    return { clients, providers: complete(declared) ? declared : undefined, notes: [] };
  }
  const own = new Set(clients.map((c) => c.ClientId));
  const forPool = (declared ?? []).filter((p) => p.ProviderName === provider || p.ProviderName === undefined);
  // A provider the code declares with a client it does not create (a literal id, a parameter, a
  // value only known at deploy) is the service's client, wired up by hand.
  const wired = forPool.find((p) => p.ClientId === undefined || !own.has(p.ClientId));
  const seeded = clientIdOf(`${input.seed}#opensearch-service-client`);
  const clientId = input.removed?.ClientId ?? wired?.ClientId ?? seeded;
  const serviceClient: UserPoolClientType = {
    UserPoolId: userPoolId,
    ClientId: clientId,
    ClientName: `AmazonOpenSearchService-${domainName}-${input.domainRegion}-${seeded.slice(0, 26)}`,
    ClientSecret: '<redacted>',
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ['code'],
    AllowedOAuthScopes: ['email', 'openid', 'phone', 'profile'],
    SupportedIdentityProviders: ['COGNITO'],
  };
  const notes: string[] = [];
  let providers: DeclaredProvider[] | undefined;
  if (declared !== undefined) {
    providers = declared.map((p) => (p === wired && p.ClientId === undefined ? { ...p, ProviderName: p.ProviderName ?? provider, ClientId: clientId } : p));
    if (input.removed) {
      notes.push(
        `the ${input.code} removes the provider ${provider} with client ${clientId} from the identity pool: OpenSearch Service added it for its app client`,
      );
    } else if (!wired) {
      // The service adds its provider when it enables Cognito on the domain.
      providers = [...providers, { ProviderName: provider, ClientId: clientId, ServerSideTokenCheck: true }];
      if (declared.length > 0) {
        notes.push(
          `the identity pool lists only app clients the ${input.code} creates; OpenSearch Service adds its own client as a provider at deploy, and an update of the identity pool's providers by the ${input.code} would remove it again`,
        );
      }
    }
    if (providers.some((p) => p.ClientId === undefined)) providers = undefined;
  }
  return { clients: [...clients, serviceClient], providers, serviceClientAtDeploy: clientId, notes };
}
