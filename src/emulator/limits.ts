// The documented input constraints of the served operations (the "Request Parameters" of each API
// reference page: length, pattern, range, required), checked as the services check them, before
// anything is looked up, and answered with each service's validation error.
import { ApiError } from './errors.js';
import type { Call, ServiceName } from './types.js';

interface Constraint {
  required?: boolean;
  /** string length */
  length?: [number, number];
  pattern?: RegExp;
  /** integer range */
  range?: [number, number];
}

/** The code each service answers a request that breaks its input constraints with. */
const VALIDATION_CODES: Partial<Record<ServiceName, string>> = {
  'cognito-idp': 'InvalidParameterException',
  // inferred: Cognito identity pools document InvalidParameterException for "missing or bad input parameter(s)"
  'cognito-identity': 'InvalidParameterException',
  iam: 'ValidationError',
  sts: 'ValidationError',
  opensearch: 'ValidationException',
  wafv2: 'WAFInvalidParameterException',
  organizations: 'InvalidInputException',
  account: 'ValidationException',
};

const USER_POOL_ID: Constraint = { required: true, length: [1, 55], pattern: /^[\w-]+_[0-9a-zA-Z]+$/ };
const CLIENT_ID: Constraint = { required: true, length: [1, 128], pattern: /^[\w+]+$/ };
const COGNITO_NAME: Constraint = { required: true, length: [1, 128], pattern: /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u };
const COGNITO_TOKEN: Constraint = { length: [1, 131072], pattern: /^\S+$/ };
const IDENTITY_POOL_ID: Constraint = { required: true, length: [1, 55], pattern: /^[\w-]+:[0-9a-f-]+$/ };
const IAM_NAME = (max: number): Constraint => ({ required: true, length: [1, max], pattern: /^[\w+=,.@-]+$/ });
const IAM_PAGING = { Marker: { length: [1, 320], pattern: /^[\u0020-\u00FF]+$/ }, MaxItems: { range: [1, 1000] } } satisfies Record<string, Constraint>;
const POLICY_ARN: Constraint = { required: true, length: [20, 2048] };
const DOMAIN_NAME: Constraint = { required: true, length: [3, 28], pattern: /^[a-z][a-z0-9-]+$/ };

const CONSTRAINTS: Partial<Record<ServiceName, Record<string, Record<string, Constraint>>>> = {
  'cognito-idp': {
    DescribeUserPool: { UserPoolId: USER_POOL_ID },
    ListUserPoolClients: { UserPoolId: USER_POOL_ID, MaxResults: { range: [1, 60] }, NextToken: COGNITO_TOKEN },
    DescribeUserPoolClient: { UserPoolId: USER_POOL_ID, ClientId: CLIENT_ID },
    ListGroups: { UserPoolId: USER_POOL_ID, Limit: { range: [0, 60] }, NextToken: COGNITO_TOKEN },
    DescribeUserPoolDomain: {
      Domain: { required: true, length: [1, 63], pattern: /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/ },
    },
    ListIdentityProviders: { UserPoolId: USER_POOL_ID, MaxResults: { range: [1, 60] }, NextToken: COGNITO_TOKEN },
    DescribeIdentityProvider: { UserPoolId: USER_POOL_ID, ProviderName: { ...COGNITO_NAME, length: [1, 32] } },
    DescribeManagedLoginBrandingByClient: { UserPoolId: USER_POOL_ID, ClientId: CLIENT_ID },
    AdminGetUser: { UserPoolId: USER_POOL_ID, Username: COGNITO_NAME },
    AdminListGroupsForUser: { UserPoolId: USER_POOL_ID, Username: COGNITO_NAME, Limit: { range: [0, 60] }, NextToken: COGNITO_TOKEN },
  },
  'cognito-identity': {
    DescribeIdentityPool: { IdentityPoolId: IDENTITY_POOL_ID },
    GetIdentityPoolRoles: { IdentityPoolId: IDENTITY_POOL_ID },
    ListIdentityPools: { MaxResults: { required: true, range: [1, 60] }, NextToken: { length: [1, 65535], pattern: /^[\S]+$/ } },
    GetPrincipalTagAttributeMap: { IdentityPoolId: IDENTITY_POOL_ID, IdentityProviderName: { required: true, length: [1, 128] } },
  },
  iam: {
    GetRole: { RoleName: IAM_NAME(64) },
    ListAttachedRolePolicies: { RoleName: IAM_NAME(64), ...IAM_PAGING },
    ListRolePolicies: { RoleName: IAM_NAME(64), ...IAM_PAGING },
    GetRolePolicy: { RoleName: IAM_NAME(64), PolicyName: IAM_NAME(128) },
    GetUser: { UserName: { ...IAM_NAME(64), required: false } },
    ListAttachedUserPolicies: { UserName: IAM_NAME(64), ...IAM_PAGING },
    ListUserPolicies: { UserName: IAM_NAME(64), ...IAM_PAGING },
    GetUserPolicy: { UserName: IAM_NAME(64), PolicyName: IAM_NAME(128) },
    ListGroupsForUser: { UserName: IAM_NAME(64), ...IAM_PAGING },
    ListAttachedGroupPolicies: { GroupName: IAM_NAME(128), ...IAM_PAGING },
    ListGroupPolicies: { GroupName: IAM_NAME(128), ...IAM_PAGING },
    GetGroupPolicy: { GroupName: IAM_NAME(128), PolicyName: IAM_NAME(128) },
    GetPolicy: { PolicyArn: POLICY_ARN },
    GetPolicyVersion: { PolicyArn: POLICY_ARN, VersionId: { required: true, pattern: /^v[1-9][0-9]*(\.[A-Za-z0-9-]*)?$/ } },
  },
  opensearch: {
    DescribeDomain: { DomainName: DOMAIN_NAME },
    DescribeElasticsearchDomain: { DomainName: DOMAIN_NAME },
  },
  wafv2: { GetWebACLForResource: { ResourceArn: { required: true, length: [20, 2048], pattern: /^.*\S.*$/ } } },
  sts: {
    AssumeRole: {
      RoleArn: { required: true, length: [20, 2048] },
      RoleSessionName: { required: true, length: [2, 64], pattern: /^[\w+=,.@-]*$/ },
      Policy: { length: [1, 2048] },
      DurationSeconds: { range: [900, 43200] },
      ExternalId: { length: [2, 1224], pattern: /^[\w+=,.@:/-]*$/ },
    },
  },
  organizations: { ListAccounts: { MaxResults: { range: [1, 20] }, NextToken: { length: [0, 100000] } } },
  account: { ListRegions: { AccountId: { pattern: /^\d{12}$/ }, MaxResults: { range: [1, 50] }, NextToken: { length: [0, 1000] } } },
};

/** The wire name of a member in validation messages: `maxResults` for MaxResults, as the services write it. */
const wireName = (member: string) => member.charAt(0).toLowerCase() + member.slice(1);

function violation(member: string, value: unknown, constraint: Constraint): string | undefined {
  const at = `at '${wireName(member)}'`;
  if (value === undefined || value === null || value === '') {
    return constraint.required ? `Value null ${at} failed to satisfy constraint: Member must not be null` : undefined;
  }
  if (constraint.range) {
    const number = typeof value === 'number' ? value : Number(value);
    const [min, max] = constraint.range;
    if (!Number.isInteger(number)) return `Value '${String(value)}' ${at} failed to satisfy constraint: Member must be an integer`;
    if (number < min) return `Value '${number}' ${at} failed to satisfy constraint: Member must have value greater than or equal to ${min}`;
    if (number > max) return `Value '${number}' ${at} failed to satisfy constraint: Member must have value less than or equal to ${max}`;
    return undefined;
  }
  if (typeof value !== 'string') return `Value ${at} failed to satisfy constraint: Member must be a string`;
  if (constraint.length) {
    const [min, max] = constraint.length;
    if ([...value].length < min) return `Value '${value}' ${at} failed to satisfy constraint: Member must have length greater than or equal to ${min}`;
    if ([...value].length > max) return `Value ${at} failed to satisfy constraint: Member must have length less than or equal to ${max}`;
  }
  if (constraint.pattern && !constraint.pattern.test(value)) {
    return `Value '${value}' ${at} failed to satisfy constraint: Member must satisfy regular expression pattern: ${constraint.pattern.source.replace(/^\^|\$$/g, '')}`;
  }
  return undefined;
}

/** The validation error a request breaking its operation's documented constraints gets, if any. */
export function inputViolation(call: Call): ApiError | undefined {
  if (call.service === 'unknown') return undefined;
  const operations = CONSTRAINTS[call.service];
  const members = operations && Object.hasOwn(operations, call.operation) ? operations[call.operation] : undefined;
  if (!members) return undefined;
  const found = Object.entries(members).flatMap(([member, constraint]) => violation(member, call.params[member], constraint) ?? []);
  if (found.length === 0) return undefined;
  const code = VALIDATION_CODES[call.service] ?? 'ValidationException';
  return new ApiError(code, `${found.length} validation error${found.length > 1 ? 's' : ''} detected: ${found.join('; ')}`);
}
