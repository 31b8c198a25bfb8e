import {
  createRoleCommand,
  DataGap,
  defineCheck,
  domainArnOf,
  partitionOf,
  placeOf,
  repairedServiceRoleTrust,
  roleNameOf,
  serviceRoleTrustVerdict,
  serviceRoleUserUses,
  sh,
  suggestedRoleArn,
  TRUST_IAC_HINT,
  trustPolicySteps,
  trustPolicyUpdate,
  type DomainPlace,
  type PolicyDocument,
  fixForRole,
} from '../src/check-kit.js';

const DOCS = [
  'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/cognito-auth.html',
  'https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonOpenSearchServiceCognitoAccess.html',
];

const SERVICE_ROLE_NAME = 'CognitoAccessForAmazonOpenSearch';

/** Why OpenSearch Service cannot use the role: it is also a users' role, it does not exist, or its trust refuses the service. */
type UntrustedRole = AlsoUsersRole | RoleNotFound | TrustRefusesService;

interface AlsoUsersRole {
  why: 'also-users-role';
  RoleArn: string;
  /** The identity pool's uses of the role, in words. */
  alsoUsedAs: string[];
  CognitoOptions: { UserPoolId?: string; IdentityPoolId?: string };
  /** The dedicated service role to create instead. */
  dedicatedRoleArn: string;
  place: DomainPlace;
}

interface RoleNotFound {
  why: 'not-found';
  RoleArn: string;
  getRole: { code: string; message?: string };
  place: DomainPlace;
}

interface TrustRefusesService {
  why: 'trust';
  RoleArn: string;
  problem: string;
  /** The trust policy that lets the service assume the role, keeping the other statements. */
  repairedTrust: PolicyDocument;
  place: DomainPlace;
}

function attachManagedPolicy(roleArn: string, place: DomainPlace): string {
  return sh(
    'aws',
    'iam',
    'attach-role-policy',
    '--role-name',
    roleNameOf(roleArn),
    '--policy-arn',
    `arn:${partitionOf(place)}:iam::aws:policy/AmazonOpenSearchServiceCognitoAccess`,
  );
}

export default defineCheck({
  id: 'cognito-access-role-trust',
  title: 'OpenSearch Service can assume the Cognito access role (CognitoOptions.RoleArn)',
  description:
    "Reads CognitoOptions.RoleArn, fetches the role (iam:GetRole; NoSuchEntity fails) and evaluates its trust policy (URL-encoded or decoded) for sts:AssumeRole by the service principal opensearchservice.amazonaws.com or the legacy es.amazonaws.com. Also fails when RoleArn is one of the roles the identity pool hands to users (Roles.authenticated/unauthenticated, a group RoleArn or a rule RoleARN): that role confusion gives every signed-in user the service role's Cognito administration permissions. When the user pool groups could not be listed, a service role whose trust does not let cognito-identity.amazonaws.com assume it cannot be a group role users receive, so the check still decides.",
  reads: ['domain', 'userPool', 'userPoolGroups', 'identityPool', 'identityPoolRoles', 'roles'],
  modes: [
    {
      id: 'cognito-access-role-untrusted',
      severity: 'error',
      title: 'OpenSearch Service cannot assume the Cognito access role',
      symptom: 'An error occurred (ValidationException) when calling the CreateDomain operation: OpenSearch Service must be allowed to use the passed role',
      cause:
        "The trust policy of the role in CognitoOptions.RoleArn does not let opensearchservice.amazonaws.com (or es.amazonaws.com) call sts:AssumeRole: it was written for cognito-identity.amazonaws.com, the role was deleted, or the identity pool's authenticated role was passed as RoleArn by mistake.",
      fix: 'Give the role the trust {"Service":"opensearchservice.amazonaws.com"} sts:AssumeRole, or point CognitoOptions.RoleArn at a dedicated CognitoAccessForAmazonOpenSearch role.',
      docs: DOCS,
    },
  ],
  messages: {
    'cognito-access-role-untrusted': {
      message: (d: UntrustedRole) => {
        const domainName = d.place.domain.DomainName;
        if (d.why === 'also-users-role') {
          return `CognitoOptions.RoleArn of ${domainName} is ${d.RoleArn}, which is also ${d.alsoUsedAs.join(' and ')} of identity pool ${d.CognitoOptions.IdentityPoolId}: the service role and the users' role must be different roles.`;
        }
        if (d.why === 'not-found') return `CognitoOptions.RoleArn of ${domainName} names ${d.RoleArn}, which does not exist (${d.getRole.code}).`;
        return `OpenSearch Service cannot assume ${d.RoleArn} (CognitoOptions.RoleArn of ${domainName}): ${d.problem}.`;
      },
      fix: (d: UntrustedRole) => {
        const name = roleNameOf(d.RoleArn);
        if (d.why === 'also-users-role') {
          const dedicated = d.dedicatedRoleArn;
          return {
            summary: `Create a dedicated role that trusts opensearchservice.amazonaws.com with the AmazonOpenSearchServiceCognitoAccess policy and set it as CognitoOptions.RoleArn; keep ${name} for the identity pool only.`,
            steps: [
              `IAM console → Roles → Create role → AWS service → OpenSearch Service; attach AmazonOpenSearchServiceCognitoAccess; name it ${roleNameOf(dedicated)}.`,
              `OpenSearch Service console → ${d.place.domain.DomainName} → Security configuration → Edit → Amazon Cognito authentication → IAM role: choose ${roleNameOf(dedicated)}.`,
            ],
            commands: [
              createRoleCommand(dedicated, repairedServiceRoleTrust(undefined)),
              attachManagedPolicy(dedicated, d.place),
              sh(
                'aws',
                'opensearch',
                'update-domain-config',
                '--region',
                d.place.region,
                '--domain-name',
                d.place.domain.DomainName,
                '--cognito-options',
                JSON.stringify({ Enabled: true, UserPoolId: d.CognitoOptions.UserPoolId, IdentityPoolId: d.CognitoOptions.IdentityPoolId, RoleArn: dedicated }),
              ),
            ],
          };
        }
        if (d.why === 'not-found') {
          return fixForRole(d.place, d.RoleArn, {
            summary: `Re-create ${name} with the OpenSearch Service trust and the AmazonOpenSearchServiceCognitoAccess policy.`,
            steps: [
              `IAM console → Roles → Create role → AWS service → OpenSearch Service; attach AmazonOpenSearchServiceCognitoAccess; name it ${name} (path ${d.RoleArn.includes('/service-role/') ? '/service-role/' : '/'}).`,
            ],
            commands: [createRoleCommand(d.RoleArn, repairedServiceRoleTrust(undefined)), attachManagedPolicy(d.RoleArn, d.place)],
          });
        }
        return fixForRole(d.place, d.RoleArn, {
          summary: `Replace the trust policy of ${name} so that opensearchservice.amazonaws.com can assume it; statements for other principals are kept, statements trusting the Cognito identity service are dropped.`,
          steps: trustPolicySteps(d.RoleArn, 'Service opensearchservice.amazonaws.com, sts:AssumeRole'),
          commands: [trustPolicyUpdate(d.RoleArn, d.repairedTrust)],
          iac: TRUST_IAC_HINT,
        });
      },
    },
  },
  run(ctx) {
    const options = ctx.domain.CognitoOptions;
    const roleArn = options?.RoleArn;
    if (!roleArn) return [];
    const snapshot = ctx.snapshot;
    const place = placeOf(snapshot);

    // Role confusion: the service role is also a role identity-pool users receive.
    let confused: { uses: string[] } | undefined;
    try {
      confused = serviceRoleUserUses(ctx, roleArn);
    } catch (error) {
      if (!(error instanceof DataGap)) throw error;
      if (error.gap.kind !== 'not-applicable') ctx.note(error.gap);
    }
    if (confused) {
      const dedicatedRoleArn = suggestedRoleArn(
        snapshot,
        roleNameOf(roleArn) === SERVICE_ROLE_NAME ? `${SERVICE_ROLE_NAME}-${snapshot.domain.DomainName}` : SERVICE_ROLE_NAME,
        '/service-role/',
      );
      return [
        {
          mode: 'cognito-access-role-untrusted',
          resource: domainArnOf(snapshot),
          data: {
            why: 'also-users-role',
            RoleArn: roleArn,
            alsoUsedAs: confused.uses,
            CognitoOptions: { UserPoolId: options?.UserPoolId, IdentityPoolId: options?.IdentityPoolId },
            dedicatedRoleArn,
            place,
          },
          evidence: { RoleArn: roleArn, alsoUsedAs: confused.uses, identityPoolId: options?.IdentityPoolId },
        },
      ];
    }

    const lookup = ctx.lookupRole(roleArn);
    if (lookup.state === 'unreadable') {
      ctx.note(lookup.gap);
      return [];
    }
    if (lookup.state === 'not-found') {
      const getRole = { code: lookup.error.code, message: lookup.error.message };
      return [
        {
          mode: 'cognito-access-role-untrusted',
          resource: roleArn,
          data: { why: 'not-found', RoleArn: roleArn, getRole, place },
          evidence: { RoleArn: roleArn, getRole },
        },
      ];
    }

    const verdict = serviceRoleTrustVerdict(lookup.role, snapshot);
    if (verdict.allowed) return [];
    if (verdict.uncertain) {
      ctx.note({ kind: 'unknown', reason: verdict.uncertain });
      return [];
    }
    return [
      {
        mode: 'cognito-access-role-untrusted',
        resource: roleArn,
        data: { why: 'trust', RoleArn: roleArn, problem: verdict.problem, repairedTrust: repairedServiceRoleTrust(lookup.role), place },
        evidence: { RoleArn: roleArn, ...verdict.evidence, problem: verdict.problem },
      },
    ];
  },
});
