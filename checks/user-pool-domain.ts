import { defineCheck, requireWellFormedUserPoolId, optionalPart, sh, userPoolArnOf } from '../src/check-kit.js';
import { USER_POOL_DOMAIN_MISSING } from '../src/catalog/app-client-modes.js';

/** What is wrong with the pool's hosted-UI domain: none at all, or the described one is not ACTIVE (Status null: it does not exist). */
interface DomainProblem {
  userPoolId: string;
  Domain: string | null;
  CustomDomain: string | null;
  /** With no domain: a prefix to create. */
  suggestedPrefix?: string;
  describedDomain?: string;
  Status?: string | null;
}

function regionOf(userPoolId: string): string {
  return userPoolId.split('_')[0] ?? '';
}

/** A prefix Cognito accepts: lowercase letters, digits, hyphens, none of the reserved words. */
function suggestedPrefixOf(domainName: string, accountId: string): string {
  const base = domainName
    .toLowerCase()
    .replace(/aws|amazon|cognito/g, '')
    .replace(/[^a-z0-9-]/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  return `${base || 'dashboards'}-${accountId}`.slice(0, 63);
}

export default defineCheck({
  id: 'user-pool-domain',
  title: 'The user pool has a hosted-UI domain for the login page',
  description:
    "OpenSearch Service sends users to the user pool's hosted UI: DescribeUserPool must show UserPool.Domain (a prefix domain) or UserPool.CustomDomain. With the optional DescribeUserPoolDomain result, that domain's DomainDescription.Status must be ACTIVE (an empty DomainDescription means the domain does not exist).",
  reads: ['domain', 'userPool', 'userPoolDomain'],
  modes: [USER_POOL_DOMAIN_MISSING],
  messages: {
    'user-pool-domain-missing': {
      message: (d: DomainProblem) =>
        d.describedDomain === undefined
          ? `User pool ${d.userPoolId} has no hosted-UI domain (UserPool.Domain and UserPool.CustomDomain are empty), so there is no login page to send Dashboards users to.`
          : d.Status === null
            ? `The user pool domain ${d.describedDomain} of ${d.userPoolId} does not exist (DescribeUserPoolDomain returned an empty description).`
            : `The user pool domain ${d.describedDomain} of ${d.userPoolId} is ${d.Status}, not ACTIVE, so the hosted login page ${d.Status === 'UPDATING' ? 'may not reflect its settings' : 'is not served'}.`,
      fix: (d: DomainProblem) => {
        const region = regionOf(d.userPoolId);
        const create = (prefix: string) =>
          sh(
            'aws',
            'cognito-idp',
            'create-user-pool-domain',
            '--region',
            region,
            '--user-pool-id',
            d.userPoolId,
            '--domain',
            prefix,
            '--managed-login-version',
            '1',
          );
        const name = d.describedDomain;
        if (name === undefined) {
          const prefix = d.suggestedPrefix ?? d.userPoolId.toLowerCase();
          return {
            summary: `Create a domain for ${d.userPoolId} with the classic hosted UI (the prefix ${prefix} is a suggestion: it must be unique in ${region}).`,
            steps: [
              `Amazon Cognito console → User pools → ${d.userPoolId} → Branding → Domain → Actions → Create Cognito domain.`,
              'Choose a prefix, and "Hosted UI (classic)" as branding version; Save.',
            ],
            commands: [create(prefix)],
          };
        }
        const gone = d.Status === null;
        return {
          summary: gone
            ? `Create the domain again for ${d.userPoolId}.`
            : d.Status === 'FAILED'
              ? `Fix the domain ${name} (for a custom domain: an ACM certificate in us-east-1 and a DNS record for the parent domain), or delete it and create it again.`
              : `Wait for ${name} to become ACTIVE, then check again.`,
          steps: [`Amazon Cognito console → User pools → ${d.userPoolId} → Branding → Domain: check the domain status.`],
          commands: [
            sh('aws', 'cognito-idp', 'describe-user-pool-domain', '--region', region, '--domain', name),
            ...(gone && d.Domain === name ? [create(name)] : []),
          ],
        };
      },
    },
  },
  run(ctx) {
    requireWellFormedUserPoolId(ctx);
    const pool = ctx.userPool();
    const userPoolId = pool.Id ?? ctx.domain.CognitoOptions?.UserPoolId ?? '';
    const resource = userPoolArnOf(ctx.snapshot, userPoolId);
    const names = [pool.Domain, pool.CustomDomain].filter((d): d is string => typeof d === 'string' && d.length > 0);
    const configured = { userPoolId, Domain: pool.Domain ?? null, CustomDomain: pool.CustomDomain ?? null };
    if (names.length === 0) {
      const suggestedPrefix = suggestedPrefixOf(ctx.domain.DomainName, ctx.snapshot.accountId ?? ctx.domain.ARN?.split(':')[4] ?? '123456789012');
      return [{ mode: 'user-pool-domain-missing', resource, data: { ...configured, suggestedPrefix }, evidence: configured }];
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
    // Another domain of the pool may still serve the login page; UPDATING keeps serving the old settings.
    const severity = names.length > 1 || description.Status === 'UPDATING' ? 'warning' : 'error';
    return [
      {
        mode: 'user-pool-domain-missing',
        severity,
        resource,
        data: { ...configured, describedDomain: described ?? names[0]!, Status: description.Status ?? null },
      },
    ];
  },
});
