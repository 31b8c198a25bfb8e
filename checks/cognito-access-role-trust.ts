import {
  createRoleCommand,
  DataGap,
  defineCheck,
  domainArnOf,
  partitionOf,
  repairedServiceRoleTrust,
  roleNameOf,
  serviceRoleTrustVerdict,
  serviceRoleUserUses,
  sh,
  suggestedRoleArn,
  TRUST_IAC_HINT,
  trustPolicySteps,
  trustPolicyUpdate,
  type FindingInput,
  fixForRole,
} from '../src/check-kit.js';

const DOCS = [
  'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/cognito-auth.html',
  'https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonOpenSearchServiceCognitoAccess.html',
];

const SERVICE_ROLE_NAME = 'CognitoAccessForAmazonOpenSearch';

export default defineCheck({
  id: 'cognito-access-role-trust',
  title: 'OpenSearch Service can assume the Cognito access role (CognitoOptions.RoleArn)',
  description:
    'Reads CognitoOptions.RoleArn, fetches the role (iam:GetRole; NoSuchEntity fails) and evaluates its trust policy (URL-encoded or decoded) for sts:AssumeRole by the service principal opensearchservice.amazonaws.com or the legacy es.amazonaws.com. Also fails when RoleArn is one of the roles the identity pool hands to users (Roles.authenticated/unauthenticated, a group RoleArn or a rule RoleARN): that role confusion gives every signed-in user the service role\'s Cognito administration permissions. When the user pool groups could not be listed, a service role whose trust does not let cognito-identity.amazonaws.com assume it cannot be a group role users receive, so the check still decides.',
  reads: ['domain', 'userPool', 'userPoolGroups', 'identityPool', 'identityPoolRoles', 'roles'],
  modes: [
    {
      id: 'cognito-access-role-untrusted',
      severity: 'error',
      title: 'OpenSearch Service cannot assume the Cognito access role',
      symptom: 'An error occurred (ValidationException) when calling the CreateDomain operation: OpenSearch Service must be allowed to use the passed role',
      cause:
        'The trust policy of the role in CognitoOptions.RoleArn does not let opensearchservice.amazonaws.com (or es.amazonaws.com) call sts:AssumeRole: it was written for cognito-identity.amazonaws.com, the role was deleted, or the identity pool\'s authenticated role was passed as RoleArn by mistake.',
      fix: 'Give the role the trust {"Service":"opensearchservice.amazonaws.com"} sts:AssumeRole, or point CognitoOptions.RoleArn at a dedicated CognitoAccessForAmazonOpenSearch role.',
      docs: DOCS,
    },
  ],
  run(ctx) {
    const options = ctx.domain.CognitoOptions;
    const roleArn = options?.RoleArn;
    if (!roleArn) return [];
    const snapshot = ctx.snapshot;
    const domainName = snapshot.domain.DomainName;
    const findings: FindingInput[] = [];

    // Role confusion: the service role is also a role identity-pool users receive.
    let confused: { uses: string[] } | undefined;
    try {
      confused = serviceRoleUserUses(ctx, roleArn);
    } catch (error) {
      if (!(error instanceof DataGap)) throw error;
      if (error.gap.kind !== 'not-applicable') ctx.note(error.gap);
    }
    const dedicated = suggestedRoleArn(snapshot, roleNameOf(roleArn) === SERVICE_ROLE_NAME ? `${SERVICE_ROLE_NAME}-${domainName}` : SERVICE_ROLE_NAME, '/service-role/');
    const dedicatedCommands = [
      createRoleCommand(dedicated, repairedServiceRoleTrust(undefined)),
      sh('aws', 'iam', 'attach-role-policy', '--role-name', roleNameOf(dedicated), '--policy-arn', `arn:${partitionOf(snapshot)}:iam::aws:policy/AmazonOpenSearchServiceCognitoAccess`),
      sh(
        'aws', 'opensearch', 'update-domain-config', '--region', snapshot.region, '--domain-name', domainName, '--cognito-options',
        JSON.stringify({ Enabled: true, UserPoolId: options?.UserPoolId, IdentityPoolId: options?.IdentityPoolId, RoleArn: dedicated }),
      ),
    ];
    if (confused) {
      findings.push({
        id: 'cognito-access-role-untrusted',
        message: `CognitoOptions.RoleArn of ${domainName} is ${roleArn}, which is also ${confused.uses.join(' and ')} of identity pool ${options?.IdentityPoolId}: the service role and the users' role must be different roles.`,
        resource: domainArnOf(snapshot),
        evidence: { RoleArn: roleArn, alsoUsedAs: confused.uses, identityPoolId: options?.IdentityPoolId },
        fix: {
          summary: `Create a dedicated role that trusts opensearchservice.amazonaws.com with the AmazonOpenSearchServiceCognitoAccess policy and set it as CognitoOptions.RoleArn; keep ${roleNameOf(roleArn)} for the identity pool only.`,
          steps: [
            `IAM console → Roles → Create role → AWS service → OpenSearch Service; attach AmazonOpenSearchServiceCognitoAccess; name it ${roleNameOf(dedicated)}.`,
            `OpenSearch Service console → ${domainName} → Security configuration → Edit → Amazon Cognito authentication → IAM role: choose ${roleNameOf(dedicated)}.`,
          ],
          commands: dedicatedCommands,
        },
      });
      return findings;
    }

    const lookup = ctx.lookupRole(roleArn);
    if (lookup.state === 'unreadable') {
      ctx.note(lookup.gap);
      return findings;
    }
    if (lookup.state === 'not-found') {
      findings.push({
        id: 'cognito-access-role-untrusted',
        message: `CognitoOptions.RoleArn of ${domainName} names ${roleArn}, which does not exist (${lookup.error.code}).`,
        resource: roleArn,
        evidence: { RoleArn: roleArn, getRole: { code: lookup.error.code, message: lookup.error.message } },
        fix: fixForRole(snapshot, roleArn, {
          summary: `Re-create ${roleNameOf(roleArn)} with the OpenSearch Service trust and the AmazonOpenSearchServiceCognitoAccess policy.`,
          steps: [`IAM console → Roles → Create role → AWS service → OpenSearch Service; attach AmazonOpenSearchServiceCognitoAccess; name it ${roleNameOf(roleArn)} (path ${roleArn.includes('/service-role/') ? '/service-role/' : '/'}).`],
          commands: [
            createRoleCommand(roleArn, repairedServiceRoleTrust(undefined)),
            sh('aws', 'iam', 'attach-role-policy', '--role-name', roleNameOf(roleArn), '--policy-arn', `arn:${partitionOf(snapshot)}:iam::aws:policy/AmazonOpenSearchServiceCognitoAccess`),
          ],
        }),
      });
      return findings;
    }

    const verdict = serviceRoleTrustVerdict(lookup.role, snapshot);
    if (verdict.allowed) return findings;
    if (verdict.uncertain) {
      ctx.note({ kind: 'unknown', reason: verdict.uncertain });
      return findings;
    }
    const repaired = repairedServiceRoleTrust(lookup.role);
    findings.push({
      id: 'cognito-access-role-untrusted',
      message: `OpenSearch Service cannot assume ${roleArn} (CognitoOptions.RoleArn of ${domainName}): ${verdict.problem}.`,
      resource: roleArn,
      evidence: { RoleArn: roleArn, ...verdict.evidence, problem: verdict.problem },
      fix: fixForRole(snapshot, roleArn, {
        summary: `Replace the trust policy of ${roleNameOf(roleArn)} so that opensearchservice.amazonaws.com can assume it; statements for other principals are kept, statements trusting the Cognito identity service are dropped.`,
        steps: trustPolicySteps(roleArn, 'Service opensearchservice.amazonaws.com, sts:AssumeRole'),
        commands: [trustPolicyUpdate(roleArn, repaired)],
        iac: TRUST_IAC_HINT,
      }),
    });
    return findings;
  },
});
