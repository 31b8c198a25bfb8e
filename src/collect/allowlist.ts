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
  // The Regions enabled for the account, for a sweep of --regions all (opt-in Regions not enabled are skipped).
  account: ['ListRegions'],
  // Who the caller is (needs no permission), and, for a sweep of several accounts, a session in each
  // account's role: it changes nothing in the account, and --session-policy limits it to this list.
  sts: ['GetCallerIdentity', 'AssumeRole'],
  // The accounts of the organization (--organization), from the management or delegated administrator account.
  organizations: ['ListAccounts'],
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

/** What only a sweep of several accounts calls, from the account it starts in (never in a member account). */
const SWEEP_ACTIONS = ['organizations:ListAccounts', 'sts:AssumeRole'];
/** Answered for any caller: no policy can allow or deny it. */
const NEEDS_NO_PERMISSION = ['sts:GetCallerIdentity'];

/** The least-privilege identity policy for running cogdoctor in one account (and for a sweep's member role). */
export function permissionsPolicy() {
  const actions = Object.entries(READ_ONLY_OPERATIONS)
    .flatMap(([service, ops]) => [...ops.map((op) => `${service}:${op}`), ...PERMISSION_ONLY_ACTIONS.filter((action) => action.startsWith(`${service}:`))])
    .filter((action) => !SWEEP_ACTIONS.includes(action) && !NEEDS_NO_PERMISSION.includes(action));
  return {
    Version: '2012-10-17',
    Statement: [{ Sid: 'CogdoctorReadOnly', Effect: 'Allow', Action: actions, Resource: '*' }],
  };
}

/**
 * `permissions --organization`: the policy of the identity that starts a sweep (the management or a
 * delegated administrator account: list the accounts, assume the member role) and, for the role in
 * each member account, its permissions and the trust that lets the sweep assume it.
 */
export function organizationPolicies(options: { roleName: string; managementAccountId?: string; externalId?: string; partition?: string }) {
  const partition = options.partition ?? 'aws';
  const management = options.managementAccountId ?? '<management-account-id>';
  return {
    management: {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'CogdoctorListAccounts', Effect: 'Allow', Action: 'organizations:ListAccounts', Resource: '*' },
        { Sid: 'CogdoctorAssumeMemberRole', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:${partition}:iam::*:role/${options.roleName}` },
      ],
    },
    memberRole: {
      roleName: options.roleName,
      permissions: permissionsPolicy(),
      trust: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: `arn:${partition}:iam::${management}:root` },
            Action: 'sts:AssumeRole',
            ...(options.externalId ? { Condition: { StringEquals: { 'sts:ExternalId': options.externalId } } } : {}),
          },
        ],
      },
    },
  };
}
