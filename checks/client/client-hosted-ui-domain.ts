import { sh } from '../../src/model/shell.js';
import { regionOfPoolId } from '../../src/model/pools.js';
import { gapOfFailedRead, gapOfUncollected } from '../../src/snapshot/gaps.js';
import { defineClientCheck } from '../../src/engine/define.js';
import { USER_POOL_DOMAIN_MISSING } from '../../src/catalog/app-client-modes.js';

export default defineClientCheck({
  id: 'client-hosted-ui-domain',
  title: 'The user pool has an active domain for the authorize, token and logout endpoints',
  description:
    'DescribeUserPool must show UserPool.Domain (a prefix domain) or UserPool.CustomDomain, and DescribeUserPoolDomain of at least one of them must say Status ACTIVE: the relying party sends users to <domain>/oauth2/authorize and calls <domain>/oauth2/token.',
  reads: ['userPool', 'userPoolDomain'],
  modes: [
    USER_POOL_DOMAIN_MISSING,
  ],
  run(ctx) {
    const pool = ctx.userPool();
    const { userPoolId } = ctx.reads;
    const region = regionOfPoolId(userPoolId);
    const names = [pool.CustomDomain, pool.Domain].filter((d): d is string => typeof d === 'string' && d.length > 0);
    if (names.length === 0) {
      const prefix = `${(pool.Name ?? 'login').toLowerCase().replace(/aws|amazon|cognito/g, '').replace(/[^a-z0-9-]/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '') || 'login'}-${userPoolId.split('_')[1]?.toLowerCase() ?? ''}`.slice(0, 63);
      return [
        {
          id: 'user-pool-domain-missing',
          message: `User pool ${userPoolId} has no domain (UserPool.Domain and UserPool.CustomDomain are empty), so the app client ${ctx.clientName} has no authorize, token or logout endpoint.`,
          resource: ctx.resource,
          evidence: { userPoolId, Domain: pool.Domain ?? null, CustomDomain: pool.CustomDomain ?? null },
          fix: {
            summary: `Create a domain for ${userPoolId} (the prefix ${prefix} is a suggestion: it must be unique in ${region}).`,
            steps: [`Amazon Cognito console → User pools → ${userPoolId} → Branding → Domain → Actions → Create Cognito domain; choose a prefix; Save.`],
            commands: [sh('aws', 'cognito-idp', 'create-user-pool-domain', '--region', region, '--user-pool-id', userPoolId, '--domain', prefix)],
          },
        },
      ];
    }
    const statuses: Record<string, string | null> = {};
    let undecided = false;
    for (const name of names) {
      const description = ctx.reads.domains.find((d) => d.Domain === name);
      if (description) {
        statuses[name] = description.Status ?? null;
        continue;
      }
      const error = ctx.readError('cognito-idp:DescribeUserPoolDomain', name);
      ctx.note(error ? gapOfFailedRead(error) : gapOfUncollected(`the user pool domain ${name}`, 'cognito-idp:DescribeUserPoolDomain'));
      undecided = true;
    }
    if (Object.values(statuses).includes('ACTIVE') || undecided) return [];
    const described = Object.entries(statuses).map(([name, status]) => `${name} is ${status ?? 'gone (DescribeUserPoolDomain returned an empty description)'}`);
    return [
      {
        id: 'user-pool-domain-missing',
        // UPDATING keeps serving the previous settings.
        severity: Object.values(statuses).includes('UPDATING') ? 'warning' : 'error',
        message: `No domain of user pool ${userPoolId} is ACTIVE (${described.join('; ')}), so its OAuth endpoints are not served.`,
        resource: ctx.resource,
        evidence: { userPoolId, Domain: pool.Domain ?? null, CustomDomain: pool.CustomDomain ?? null, Status: statuses },
        fix: {
          summary: `Repair or re-create the domain of ${userPoolId} (for a custom domain: an ACM certificate in us-east-1 and the DNS record of the parent domain), or wait for it to become ACTIVE.`,
          steps: [`Amazon Cognito console → User pools → ${userPoolId} → Branding → Domain: check the domain status.`],
          commands: names.map((name) => sh('aws', 'cognito-idp', 'describe-user-pool-domain', '--region', region, '--domain', name)),
        },
      },
    ];
  },
});
