import { defineCheck, requireWellFormedUserPoolId, optionalPart, sh, userPoolArnOf, type FindingInput } from '../src/check-kit.js';

const DOCS = [
  'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/cognito-auth.html',
  'https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-assign-domain.html',
];

/** A prefix Cognito accepts: lowercase letters, digits, hyphens, none of the reserved words. */
function suggestedPrefix(domainName: string, accountId: string): string {
  const base = domainName.toLowerCase().replace(/aws|amazon|cognito/g, '').replace(/[^a-z0-9-]/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '');
  return `${base || 'dashboards'}-${accountId}`.slice(0, 63);
}

export default defineCheck({
  id: 'user-pool-domain',
  title: 'The user pool has a hosted-UI domain for the login page',
  description:
    'OpenSearch Service sends users to the user pool\'s hosted UI: DescribeUserPool must show UserPool.Domain (a prefix domain) or UserPool.CustomDomain. With the optional DescribeUserPoolDomain result, that domain\'s DomainDescription.Status must be ACTIVE (an empty DomainDescription means the domain does not exist).',
  reads: ['domain', 'userPool', 'userPoolDomain'],
  modes: [
    {
      id: 'user-pool-domain-missing',
      severity: 'error',
      title: 'The user pool has no (active) hosted-UI domain',
      symptom: 'ValidationException ... Domain needs to be specified for user pool (when the domain is removed later, the hosted login page can no longer be served)',
      cause: 'The user pool has no hosted-UI domain, or its domain is not ACTIVE; OpenSearch Service redirects users to that domain to sign in.',
      fix: 'Create a user pool domain (classic hosted UI) with create-user-pool-domain, or wait for / repair the existing one.',
      docs: DOCS,
    },
  ],
  run(ctx) {
    requireWellFormedUserPoolId(ctx);
    const pool = ctx.userPool();
    const userPoolId = pool.Id ?? ctx.domain.CognitoOptions?.UserPoolId ?? '';
    const region = userPoolId.split('_')[0] ?? ctx.snapshot.region;
    const resource = userPoolArnOf(ctx.snapshot, userPoolId);
    const names = [pool.Domain, pool.CustomDomain].filter((d): d is string => typeof d === 'string' && d.length > 0);
    if (names.length === 0) {
      const prefix = suggestedPrefix(ctx.domain.DomainName, ctx.snapshot.accountId ?? ctx.domain.ARN?.split(':')[4] ?? '123456789012');
      return [
        {
          id: 'user-pool-domain-missing',
          message: `User pool ${userPoolId} has no hosted-UI domain (UserPool.Domain and UserPool.CustomDomain are empty), so there is no login page to send Dashboards users to.`,
          resource,
          evidence: { userPoolId, Domain: pool.Domain ?? null, CustomDomain: pool.CustomDomain ?? null },
          fix: {
            summary: `Create a domain for ${userPoolId} with the classic hosted UI (the prefix ${prefix} is a suggestion: it must be unique in ${region}).`,
            steps: [
              `Amazon Cognito console → User pools → ${userPoolId} → Branding → Domain → Actions → Create Cognito domain.`,
              'Choose a prefix, and "Hosted UI (classic)" as branding version; Save.',
            ],
            commands: [sh('aws', 'cognito-idp', 'create-user-pool-domain', '--region', region, '--user-pool-id', userPoolId, '--domain', prefix, '--managed-login-version', '1')],
          },
        },
      ];
    }
    const description = optionalPart(ctx, ctx.snapshot.userPoolDomain, {
      operations: ['cognito-idp:DescribeUserPoolDomain'],
      resource: names[0],
      notCollected: `the status of the user pool domain ${names.join(' / ')} was not collected: cognito-idp:DescribeUserPoolDomain would read it`,
    });
    if (!description) return [];
    const described = description.Domain;
    // A description of another pool's domain says nothing about this one.
    if (described && !names.includes(described)) return [];
    if (description.Status === 'ACTIVE') return [];
    const name = described ?? names[0]!;
    const gone = !description.Status;
    // Another domain of the pool may still serve the login page; UPDATING keeps serving the old settings.
    const severity = names.length > 1 || description.Status === 'UPDATING' ? 'warning' : 'error';
    const finding: FindingInput = {
      id: 'user-pool-domain-missing',
      severity,
      message: gone
        ? `The user pool domain ${name} of ${userPoolId} does not exist (DescribeUserPoolDomain returned an empty description).`
        : `The user pool domain ${name} of ${userPoolId} is ${description.Status}, not ACTIVE, so the hosted login page ${description.Status === 'UPDATING' ? 'may not reflect its settings' : 'is not served'}.`,
      resource,
      evidence: { userPoolId, Domain: pool.Domain ?? null, CustomDomain: pool.CustomDomain ?? null, describedDomain: name, Status: description.Status ?? null },
      fix: {
        summary: gone
          ? `Create the domain again for ${userPoolId}.`
          : description.Status === 'FAILED'
            ? `Fix the domain ${name} (for a custom domain: an ACM certificate in us-east-1 and a DNS record for the parent domain), or delete it and create it again.`
            : `Wait for ${name} to become ACTIVE, then check again.`,
        steps: [`Amazon Cognito console → User pools → ${userPoolId} → Branding → Domain: check the domain status.`],
        commands: [
          sh('aws', 'cognito-idp', 'describe-user-pool-domain', '--region', region, '--domain', name),
          ...(gone && pool.Domain === name ? [sh('aws', 'cognito-idp', 'create-user-pool-domain', '--region', region, '--user-pool-id', userPoolId, '--domain', name, '--managed-login-version', '1')] : []),
        ],
      },
    };
    return [finding];
  },
});
