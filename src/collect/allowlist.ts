// Every AWS operation cogdoctor may call: all reads. The read-only guard refuses anything else
// before it is signed or sent, and `cogdoctor permissions` prints exactly this list as a policy.
export const READ_ONLY_OPERATIONS = {
  es: ['DescribeDomain', 'DescribeDomains', 'ListDomainNames', 'ESHttpGet'],
  'cognito-idp': ['DescribeUserPool', 'ListUserPoolClients', 'DescribeUserPoolClient', 'ListGroups', 'DescribeUserPoolDomain', 'ListIdentityProviders', 'DescribeIdentityProvider'],
  'cognito-identity': ['DescribeIdentityPool', 'GetIdentityPoolRoles'],
  iam: ['GetRole', 'ListAttachedRolePolicies', 'ListRolePolicies', 'GetRolePolicy', 'GetPolicy', 'GetPolicyVersion'],
} as const satisfies Record<string, readonly string[]>;

export type IamService = keyof typeof READ_ONLY_OPERATIONS;

export function isAllowed(service: string, operation: string): boolean {
  const allowed: readonly string[] | undefined = READ_ONLY_OPERATIONS[service as IamService];
  return allowed !== undefined && allowed.includes(operation);
}

/** The least-privilege identity policy for running cogdoctor. */
export function permissionsPolicy() {
  const actions = Object.entries(READ_ONLY_OPERATIONS).flatMap(([service, ops]) => ops.map((op) => `${service}:${op}`));
  return {
    Version: '2012-10-17',
    Statement: [{ Sid: 'CogdoctorReadOnly', Effect: 'Allow', Action: actions, Resource: '*' }],
  };
}
