// Every AWS operation cogdoctor may call: all reads. The read-only guard refuses anything else
// before it is signed or sent, and `cogdoctor permissions` prints exactly this list as a policy.
export const READ_ONLY_OPERATIONS = {
  es: ['DescribeDomain', 'DescribeDomains', 'ListDomainNames', 'ESHttpGet'],
  'cognito-idp': [
    'DescribeUserPool',
    'ListUserPoolClients',
    'DescribeUserPoolClient',
    'ListGroups',
    'DescribeUserPoolDomain',
    'ListIdentityProviders',
    'DescribeIdentityProvider',
    // The branding style of the OpenSearch app client, read only when the domain uses managed login.
    'DescribeManagedLoginBrandingByClient',
    // One user and its groups, for `cogdoctor trace --user`: reads despite the Admin prefix.
    'AdminGetUser',
    'AdminListGroupsForUser',
  ],
  'cognito-identity': ['DescribeIdentityPool', 'GetIdentityPoolRoles', 'GetPrincipalTagAttributeMap'],
  iam: [
    'GetRole',
    'ListAttachedRolePolicies',
    'ListRolePolicies',
    'GetRolePolicy',
    'GetPolicy',
    'GetPolicyVersion',
    // An IAM user and its groups, for `cogdoctor access --principal <user ARN>`.
    'GetUser',
    'ListAttachedUserPolicies',
    'ListUserPolicies',
    'GetUserPolicy',
    'ListGroupsForUser',
    'ListAttachedGroupPolicies',
    'ListGroupPolicies',
    'GetGroupPolicy',
  ],
  // The web ACL associated with the user pool (a Cognito user pool is a WAF regional resource).
  wafv2: ['GetWebACLForResource'],
} as const satisfies Record<string, readonly string[]>;

/**
 * IAM actions that reads above also need though cogdoctor never sends them (permission-only, or
 * checked by the service on the caller's behalf): WAF authorizes GetWebACLForResource on a user
 * pool with wafv2:GetWebACL and cognito-idp:GetWebACLForResource too.
 */
export const PERMISSION_ONLY_ACTIONS = ['cognito-idp:GetWebACLForResource', 'wafv2:GetWebACL'] as const;

export type IamService = keyof typeof READ_ONLY_OPERATIONS;

export function isAllowed(service: string, operation: string): boolean {
  const allowed: readonly string[] | undefined = READ_ONLY_OPERATIONS[service as IamService];
  return allowed?.includes(operation);
}

/** The least-privilege identity policy for running cogdoctor. */
export function permissionsPolicy() {
  const actions = Object.entries(READ_ONLY_OPERATIONS).flatMap(([service, ops]) => [
    ...ops.map((op) => `${service}:${op}`),
    ...PERMISSION_ONLY_ACTIONS.filter((action) => action.startsWith(`${service}:`)),
  ]);
  return {
    Version: '2012-10-17',
    Statement: [{ Sid: 'CogdoctorReadOnly', Effect: 'Allow', Action: actions, Resource: '*' }],
  };
}
