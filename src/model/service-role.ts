// What the role in CognitoOptions.RoleArn must be allowed to do (catalog 0.3, A5), and the AWS
// managed policy that grants it.
import type { PolicyDocument } from '../policy/index.js';

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
