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
  ListUserPoolClientsCommand,
  DescribeUserPoolClientCommand,
  ListGroupsCommand,
  DescribeUserPoolDomainCommand,
  ListIdentityProvidersCommand,
  DescribeIdentityProviderCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  DescribeManagedLoginBrandingByClientCommand,
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
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  GetRolePolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetUserCommand,
  ListAttachedUserPoliciesCommand,
  ListUserPoliciesCommand,
  GetUserPolicyCommand,
  ListGroupsForUserCommand,
  ListAttachedGroupPoliciesCommand,
  ListGroupPoliciesCommand,
  GetGroupPolicyCommand,
} from '@aws-sdk/client-iam';
export { WAFV2Client, GetWebACLForResourceCommand } from '@aws-sdk/client-wafv2';
export { SignatureV4 } from '@smithy/signature-v4';
