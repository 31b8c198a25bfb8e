// The SDK clients and commands cogdoctor uses, re-exported from one module so the bundle puts
// them in a chunk that only live commands load.
export {
  OpenSearchClient,
  DescribeDomainCommand,
  DescribeDomainsCommand,
  ListDomainNamesCommand,
} from '@aws-sdk/client-opensearch';
export {
  CognitoIdentityProviderClient,
  DescribeUserPoolCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolDomainCommand,
  DescribeIdentityProviderCommand,
  AdminGetUserCommand,
  DescribeManagedLoginBrandingByClientCommand,
  paginateListUserPoolClients,
  paginateListGroups,
  paginateListIdentityProviders,
  paginateAdminListGroupsForUser,
} from '@aws-sdk/client-cognito-identity-provider';
export {
  CognitoIdentityClient,
  DescribeIdentityPoolCommand,
  GetIdentityPoolRolesCommand,
  GetPrincipalTagAttributeMapCommand,
} from '@aws-sdk/client-cognito-identity';
export {
  IAMClient,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  GetGroupPolicyCommand,
  paginateListAttachedRolePolicies,
  paginateListRolePolicies,
  paginateListAttachedUserPolicies,
  paginateListUserPolicies,
  paginateListGroupsForUser,
  paginateListAttachedGroupPolicies,
  paginateListGroupPolicies,
} from '@aws-sdk/client-iam';
export { WAFV2Client, GetWebACLForResourceCommand } from '@aws-sdk/client-wafv2';
export { STSClient, AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
export { OrganizationsClient, paginateListAccounts } from '@aws-sdk/client-organizations';
export { AccountClient, paginateListRegions } from '@aws-sdk/client-account';
export { SignatureV4 } from '@smithy/signature-v4';
// A session credential renewed before it expires (a sweep can outlast one AssumeRole session).
export { memoizeIdentityProvider, isIdentityExpired, doesIdentityRequireRefresh } from '@smithy/core';
