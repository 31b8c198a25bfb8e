// The snapshot keeps the exact shapes the AWS APIs return; these are the SDK's own types.
// Timestamps arrive as strings in JSON where the SDK would give a Date: checks never read them.
import type { DomainStatus } from '@aws-sdk/client-opensearch';
import type {
  GroupType,
  UserPoolClientType,
  UserPoolType,
  DomainDescriptionType,
  IdentityProviderType,
} from '@aws-sdk/client-cognito-identity-provider';
import type { IdentityPool, GetIdentityPoolRolesResponse } from '@aws-sdk/client-cognito-identity';
import type { Role } from '@aws-sdk/client-iam';

export type { DomainStatus, GroupType, UserPoolClientType, UserPoolType, IdentityPool, Role };

/** A domain as DescribeDomain returns it, or as the legacy es DescribeElasticsearchDomain does. */
export type Domain = Partial<DomainStatus> & {
  DomainName: string;
  /** Legacy Elasticsearch Service shape: the engine version without the `Elasticsearch_` prefix. */
  ElasticsearchVersion?: string;
};

export interface RolesMappingEntry {
  backend_roles?: string[];
  users?: string[];
  hosts?: string[];
  and_backend_roles?: string[];
  reserved?: boolean;
  hidden?: boolean;
  description?: string;
}

export interface AttachedPolicy {
  PolicyArn?: string;
  PolicyName?: string;
  /** The default version's document, decoded or URL-encoded as IAM returns it. */
  Document?: unknown;
}

export interface InlinePolicy {
  PolicyName?: string;
  PolicyDocument?: unknown;
}

export interface RolePolicies {
  attached?: AttachedPolicy[];
  inline?: InlinePolicy[];
  /** The role's permissions boundary document, when it has one. */
  boundary?: AttachedPolicy;
}

/** One read that failed, so that checks can answer "unknown" with the reason. */
export interface ReadError {
  /** The IAM action of the call, e.g. `iam:GetRole`, `cognito-idp:DescribeUserPool`. */
  operation: string;
  resource?: string;
  code: string;
  message?: string;
}

export interface Snapshot {
  schema: 'cogdoctor/snapshot/v1';
  capturedAt?: string;
  region: string;
  accountId?: string;
  domain: Domain;
  userPool?: UserPoolType | null;
  userPoolClients?: UserPoolClientType[] | null;
  userPoolGroups?: GroupType[] | null;
  identityPool?: IdentityPool | null;
  identityPoolRoles?: GetIdentityPoolRolesResponse | null;
  roles?: Role[] | null;
  rolePolicies?: Record<string, RolePolicies> | null;
  securityPlugin?: { rolesMapping?: Record<string, RolesMappingEntry> } | null;
  /** Optional (catalog tier 2): DescribeUserPoolDomain → .DomainDescription */
  userPoolDomain?: DomainDescriptionType | null;
  /** Optional (catalog tier 2): DescribeIdentityProvider → .IdentityProvider, one per provider */
  identityProviders?: IdentityProviderType[] | null;
  errors?: ReadError[];
  [extra: string]: unknown;
}
