// What the role in CognitoOptions.RoleArn must be allowed to do (catalog 0.3, A5), and the AWS
// managed policy that grants it.
import { DataGap, type CheckContext } from '../context/check-context.js';
import type { Gap } from '../snapshot/gaps.js';
import { evaluatePolicy, type PolicyDocument } from '../policy/index.js';
import { trustPolicyOf } from './trust.js';

/** The AWS managed policy OpenSearch Service documents for the role, and its Elasticsearch-era name. */
export const COGNITO_ACCESS_POLICY_NAMES = ['AmazonOpenSearchServiceCognitoAccess', 'AmazonESCognitoAccess'] as const;

/** Actions the service calls on the user pool with the role (the managed policy's list, not the guide's prose). */
export const COGNITO_ACCESS_USER_POOL_ACTIONS = [
  'cognito-idp:DescribeUserPool',
  'cognito-idp:CreateUserPoolClient',
  'cognito-idp:DeleteUserPoolClient',
  'cognito-idp:UpdateUserPoolClient',
  'cognito-idp:DescribeUserPoolClient',
  'cognito-idp:AdminInitiateAuth',
  'cognito-idp:AdminUserGlobalSignOut',
  'cognito-idp:ListUserPoolClients',
] as const;

/** Actions the service calls on the identity pool with the role. */
export const COGNITO_ACCESS_IDENTITY_POOL_ACTIONS = [
  'cognito-identity:DescribeIdentityPool',
  'cognito-identity:UpdateIdentityPool',
  'cognito-identity:GetIdentityPoolRoles',
] as const;

/** `arn:<partition>:iam::aws:policy/AmazonOpenSearchServiceCognitoAccess` (or the legacy name, with or without a path). */
export function isCognitoAccessManagedPolicy(policyArn: string | undefined): boolean {
  const match = /^arn:[a-z-]+:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(policyArn ?? '');
  return match !== null && (COGNITO_ACCESS_POLICY_NAMES as readonly string[]).includes(match[1]!);
}

/** The managed policy's document (version 2; AmazonESCognitoAccess holds the same statements). */
export function cognitoAccessPolicyDocument(partition = 'aws'): PolicyDocument {
  const passedTo = partition === 'aws-us-gov' ? ['cognito-identity.amazonaws.com', 'cognito-identity-us-gov.amazonaws.com'] : 'cognito-identity.amazonaws.com';
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: [...COGNITO_ACCESS_USER_POOL_ACTIONS, ...COGNITO_ACCESS_IDENTITY_POOL_ACTIONS],
        Resource: [`arn:${partition}:cognito-idp:*:*:userpool/*`, `arn:${partition}:cognito-identity:*:*:identitypool/*`],
      },
      {
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: `arn:${partition}:iam::*:role/*`,
        Condition: { StringLike: { 'iam:PassedToService': passedTo } },
      },
    ],
  };
}

/** The ids the Cognito identity service goes by as a Federated principal, per partition. */
const COGNITO_IDENTITY_PRINCIPALS = ['cognito-identity.amazonaws.com', 'cognito-identity.amazonaws.com.cn', 'cognito-identity-us-gov.amazonaws.com'];

/**
 * Whether identity-pool users could ever receive `roleArn`: some Allow of its trust policy lets the
 * Cognito identity service call sts:AssumeRoleWithWebIdentity, whatever its conditions. A role that
 * does not exist cannot be received; an unreadable role or trust might be.
 */
function receivableByIdentityPoolUsers(ctx: CheckContext, roleArn: string): boolean {
  const lookup = ctx.lookupRole(roleArn);
  if (lookup.state === 'not-found') return false;
  if (lookup.state === 'unreadable') return true;
  const { policy } = trustPolicyOf(lookup.role);
  if (!policy) return true;
  const allows = { ...policy, Statement: policy.Statement.filter((st) => st.Effect === 'Allow').map((st) => ({ ...st, Condition: undefined })) };
  return COGNITO_IDENTITY_PRINCIPALS.some(
    (id) =>
      evaluatePolicy(allows, { principal: { type: 'Federated', id }, action: 'sts:AssumeRoleWithWebIdentity', resource: roleArn, context: {} }, 'resource')
        .decision === 'Allow',
  );
}

/**
 * Where the identity pool hands `roleArn` (CognitoOptions.RoleArn) to users: the authenticated or
 * unauthenticated role, a user pool group's role, a rule's role (role confusion, catalog A4).
 * Undefined when it is none of them. The groups matter only for a role that trusts the Cognito
 * identity service: when ListGroups could not be read, a role whose trust does not let
 * cognito-identity.amazonaws.com assume it cannot be a role users receive through a group, so the
 * answer does not wait on the groups. Throws DataGap when the identity pool's roles are unreadable,
 * or when the groups are and the role could be a group role.
 */
export function serviceRoleUserUses(ctx: CheckContext, roleArn: string): { uses: string[] } | undefined {
  const roles = ctx.identityPoolRoles();
  const uses: string[] = [];
  if (roles.Roles?.['authenticated'] === roleArn) uses.push('the authenticated role');
  if (roles.Roles?.['unauthenticated'] === roleArn) uses.push('the unauthenticated role');
  let groupsGap: Gap | undefined;
  try {
    ctx.userPool();
    for (const group of ctx.userPoolGroups()) if (group.RoleArn === roleArn) uses.push(`the role of group ${group.GroupName}`);
  } catch (error) {
    if (!(error instanceof DataGap)) throw error;
    // A user pool that does not exist has no groups; user-pool-not-found reports it.
    if (error.gap.kind !== 'not-applicable') groupsGap = error.gap;
  }
  for (const [key, mapping] of Object.entries(roles.RoleMappings ?? {})) {
    (mapping.RulesConfiguration?.Rules ?? []).forEach((rule, index) => {
      if (rule.RoleARN === roleArn) uses.push(`the role of rule ${index + 1} of mapping ${key}`);
    });
  }
  if (uses.length > 0) return { uses };
  if (groupsGap && receivableByIdentityPoolUsers(ctx, roleArn)) throw new DataGap(groupsGap);
  return undefined;
}
