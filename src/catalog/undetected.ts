import type { FailureMode } from '../engine/types.js';

/**
 * Catalog ids that no check reports, with how to confirm them by hand: the configuration cannot
 * show them (decision rule 9), or they need one user (`cogdoctor trace`).
 */
export interface UndetectedMode extends FailureMode {
  why: string;
  confirm: string[];
}

const COGNITO_AUTH = 'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/cognito-auth.html';

export const UNDETECTED_MODES: UndetectedMode[] = [
  {
    id: 'console-cannot-create-role',
    severity: 'error',
    title: 'The console cannot create the Cognito access role',
    symptom: "OpenSearch Service can't create the role",
    cause: 'The console user lacks iam:CreateRole / iam:AttachRolePolicy (and the read permissions the console needs).',
    fix: 'Grant the permissions from the developer guide, or pre-create CognitoAccessForAmazonOpenSearch and pass it with the CLI.',
    docs: [COGNITO_AUTH],
    why: 'It is a permission of the person enabling Cognito, not a property of the domain or the pools.',
    confirm: [
      'aws iam simulate-principal-policy --policy-source-arn <your-user-or-role-arn> --action-names iam:CreateRole iam:AttachRolePolicy iam:PassRole iam:GetRole cognito-identity:ListIdentityPools cognito-idp:ListUserPools ec2:DescribeVpcs',
    ],
  },
  {
    id: 'passrole-denied-cognito-access-role',
    severity: 'error',
    title: 'The caller may not pass the Cognito access role',
    symptom: 'User is not authorized to perform: iam:PassRole on resource CognitoAccessForAmazonOpenSearch',
    cause: 'The principal that enables Cognito on the domain has no iam:PassRole on the role named in CognitoOptions.RoleArn.',
    fix: 'Allow iam:PassRole on that role for the principal that updates the domain.',
    docs: [COGNITO_AUTH],
    why: 'It depends on who calls CreateDomain / UpdateDomainConfig, which the configuration does not record.',
    confirm: ['aws iam simulate-principal-policy --policy-source-arn <caller-arn> --action-names iam:PassRole --resource-arns <CognitoOptions.RoleArn>'],
  },
  {
    id: 'caller-lacks-cognito-read',
    severity: 'error',
    title: 'The console user cannot list the Cognito pools',
    symptom: 'User is not authorized to perform: cognito-identity:ListIdentityPools on resource',
    cause: 'The console user lacks Cognito read permissions.',
    fix: 'Attach AmazonCognitoReadOnly to the console user or role.',
    docs: [COGNITO_AUTH],
    why: 'It is a permission of the console user, not a property of the domain or the pools.',
    confirm: ['aws iam simulate-principal-policy --policy-source-arn <caller-arn> --action-names cognito-identity:ListIdentityPools cognito-idp:ListUserPools'],
  },
  {
    id: 'login-page-bypassed-signed-proxy',
    severity: 'warning',
    title: 'A SigV4 signing proxy skips the Cognito login',
    symptom: 'Dashboards opens without the Cognito login page, only for people using a signing proxy or browser plugin',
    cause: "The proxy's IAM credentials satisfy the access policy, so Cognito never runs.",
    fix: 'Stop using the signing proxy for Dashboards; keep IAM principals for API clients only.',
    docs: ['https://repost.aws/knowledge-center/opensearch-dashboards-authentication'],
    why: 'Whether a person reaches Dashboards through a signing proxy is not visible in any configuration.',
    confirm: ['Open the Dashboards URL in a private browser window without the proxy: the Cognito login page must appear.'],
  },
  {
    id: 'user-not-confirmed-or-disabled',
    severity: 'error',
    title: 'The user is not confirmed or is disabled',
    symptom: 'Incorrect username or password. / User is not confirmed. / User is disabled.',
    cause: 'The account is UNCONFIRMED or disabled.',
    fix: 'aws cognito-idp admin-confirm-sign-up / admin-enable-user for that user.',
    docs: [COGNITO_AUTH],
    why: 'It concerns one user, not the configuration: `cogdoctor trace <domain> --user <name>` checks it (step 2).',
    confirm: [
      'cogdoctor trace <domain> --user <user>',
      'aws cognito-idp admin-get-user --user-pool-id <UserPoolId> --username <user>   (UserStatus must be CONFIRMED, Enabled true)',
    ],
  },
  {
    id: 'temporary-password-expired',
    severity: 'error',
    title: "The invited user's temporary password expired",
    symptom: 'NotAuthorizedException: Temporary password has expired and must be reset by an administrator.',
    cause: 'The user is still FORCE_CHANGE_PASSWORD after TemporaryPasswordValidityDays.',
    fix: 'aws cognito-idp admin-create-user --message-action RESEND, or admin-set-user-password --permanent.',
    docs: ['https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_PasswordPolicyType.html'],
    why: 'It concerns one user, not the configuration: `cogdoctor trace <domain> --user <name>` checks it (step 2).',
    confirm: [
      'cogdoctor trace <domain> --user <user>',
      'aws cognito-idp admin-get-user --user-pool-id <UserPoolId> --username <user>   (FORCE_CHANGE_PASSWORD and UserCreateDate older than TemporaryPasswordValidityDays)',
    ],
  },
];
