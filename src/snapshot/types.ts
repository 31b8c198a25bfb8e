// The snapshot keeps the exact shapes the AWS APIs return; these are the SDK's own types.
// Timestamps arrive as strings in JSON where the SDK would give a Date: checks never read them.
import type { DomainStatus } from '@aws-sdk/client-opensearch';
import type {
  GroupType,
  UserPoolClientType,
  UserPoolType,
  DomainDescriptionType,
  IdentityProviderType,
  ManagedLoginBrandingType,
} from '@aws-sdk/client-cognito-identity-provider';
import type { IdentityPool, GetIdentityPoolRolesResponse, GetPrincipalTagAttributeMapResponse } from '@aws-sdk/client-cognito-identity';
import type { Role, User } from '@aws-sdk/client-iam';
import type { WebACL } from '@aws-sdk/client-wafv2';

export type { DomainStatus, GroupType, UserPoolClientType, UserPoolType, IdentityPool, Role, User, WebACL };

/** DescribeManagedLoginBrandingByClient → .ManagedLoginBranding (asset bytes left out); timestamps as JSON strings. */
export type ManagedLoginBranding = Omit<ManagedLoginBrandingType, 'CreationDate' | 'LastModifiedDate'> & {
  CreationDate?: Date | string;
  LastModifiedDate?: Date | string;
  /** Not in the API's shape: a hand-written snapshot may name the client the style is assigned to. */
  ClientId?: string;
};

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

/** An IAM group of a user, with its permission policies (ListGroupsForUser, then the group's policies). */
export interface GroupPolicies {
  GroupName?: string;
  Arn?: string;
  attached?: AttachedPolicy[];
  inline?: InlinePolicy[];
}

/** An IAM user's own permission policies, its boundary and the policies of its groups. */
export interface UserPolicies extends RolePolicies {
  groups?: GroupPolicies[];
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
  /**
   * Optional: DescribeManagedLoginBrandingByClient for the OpenSearch app client → .ManagedLoginBranding,
   * read only when the user pool domain uses managed login (ManagedLoginVersion 2). `[]`: the client has
   * no branding style (the API answered ResourceNotFoundException).
   */
  managedLoginBranding?: ManagedLoginBranding[] | null;
  /**
   * Optional: GetPrincipalTagAttributeMap for the identity pool and the OpenSearch provider
   * (cognito-idp.<region>.amazonaws.com/<UserPoolId>). `[]`: no map was ever set for the provider.
   */
  principalTagAttributeMaps?: Omit<GetPrincipalTagAttributeMapResponse, '$metadata'>[] | null;
  /** Optional: wafv2 GetWebACLForResource on the user pool ARN → .WebACL; `null` when no web ACL is associated. */
  userPoolWebAcl?: WebACL | null;
  /** Optional (`cogdoctor access --principal` on an IAM user): GetUser → .User */
  iamUsers?: User[] | null;
  /** Optional: each such user's policies, keyed by user ARN */
  userPolicies?: Record<string, UserPolicies> | null;
  errors?: ReadError[];
  /**
   * Pre-deploy only (`check --cfn`, `--terraform-plan`): the ClientId standing for the app client
   * OpenSearch Service creates when it enables Cognito, which no template or plan defines. Checks of
   * its settings do not apply (they are the service's); checks that need to know which client it
   * is reason about this id.
   */
  serviceClientAtDeploy?: string;
  [extra: string]: unknown;
}
