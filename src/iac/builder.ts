// The one builder both pre-deploy readers (CloudFormation templates, Terraform plans) fill a
// snapshot through: each reader turns its resources into API-shaped values, and these functions
// put them where a live read would, with the same entries for what the code leaves open.
import type { ReadError, RolePolicies, Snapshot } from '../snapshot/types.js';
import {
  leaveAccountUndecided,
  masterUserMapping,
  recordRolesOutside,
  recordUndecided,
  serviceClientOf,
  type DeclaredProvider,
  type Json,
  type Placement,
  type ServiceClientInput,
} from './common.js';

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
    if (!this.errors.some((e) => e.resource === resource && e.code === code)) this.errors.push({ operation: `${this.kind.tool}:Resolve`, resource, code, message: reason });
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
export function setMasterUserMapping(b: SnapshotBuilder, snapshot: Snapshot, master: { arn: string | undefined; name: string | undefined }, domainArn: string, where: string): void {
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
  snapshot.identityPoolRoles = { IdentityPoolId: identityPoolId, Roles: roles, ...(Object.keys(roleMappings).length > 0 ? { RoleMappings: roleMappings as never } : {}) };
}

/** An identity pool whose roles the code attaches nowhere: GetIdentityPoolRoles is undecided. */
export function noRoleAttachment(b: SnapshotBuilder, where: string, attachmentType: string, identityPoolId: string): void {
  b.unresolvable(where, `no ${attachmentType} for the identity pool in the ${b.kind.what}`, b.kind.absentCode);
  b.undecided('cognito-identity:GetIdentityPoolRoles', identityPoolId, where);
}

/** A role as GetRole gives it. */
export function roleOf(role: { Path: string; RoleName: string; RoleId: unknown; Arn: string; AssumeRolePolicyDocument: unknown; MaxSessionDuration?: number | undefined; boundary?: string | undefined }): NonNullable<Snapshot['roles']>[number] {
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
  parts: { roles: NonNullable<Snapshot['roles']>; rolePolicies: Record<string, RolePolicies>; undecidedAccounts: string[] | undefined; accessPolicyAt: string; accountParameter: string },
): void {
  snapshot.roles = parts.roles;
  snapshot.rolePolicies = parts.rolePolicies;
  snapshot.errors = b.errors;
  if (parts.undecidedAccounts) {
    leaveAccountUndecided(snapshot, parts.undecidedAccounts, { tool: b.kind.tool, file: b.file, what: b.kind.what, accessPolicyAt: parts.accessPolicyAt, parameter: parts.accountParameter });
  }
  recordRolesOutside(snapshot, { file: b.file, what: b.kind.what, errorCode: b.kind.absentCode });
}

export function placementOf(accessPolicy: string | undefined, roleMappings: string | undefined): Placement {
  return { ...(accessPolicy ? { accessPolicy } : {}), ...(roleMappings ? { roleMappings } : {}) };
}

