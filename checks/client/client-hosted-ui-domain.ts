import { sh } from '../../src/model/shell.js';
import { regionOfPoolId } from '../../src/model/pools.js';
import { gapOfFailedRead, gapOfUncollected } from '../../src/snapshot/gaps.js';
import { defineClientCheck } from '../../src/engine/define.js';
import { USER_POOL_DOMAIN_MISSING } from '../../src/catalog/app-client-modes.js';

/** The user pool's domains: none (with a prefix to suggest), or none of them ACTIVE (with each one's Status). */
interface DomainProblem {
  userPoolId: string;
  clientName: string;
  Domain: string | null;
  CustomDomain: string | null;
  suggestedPrefix?: string;
  Status?: Record<string, string | null>;
}

/** The domains of the pool a relying party may use, the custom one first. */
function namesOf(d: Pick<DomainProblem, 'Domain' | 'CustomDomain'>): string[] {
  return [d.CustomDomain, d.Domain].filter((name): name is string => typeof name === 'string' && name.length > 0);
}

export default defineClientCheck({
  id: 'client-hosted-ui-domain',
  title: 'The user pool has an active domain for the authorize, token and logout endpoints',
  description:
    'DescribeUserPool must show UserPool.Domain (a prefix domain) or UserPool.CustomDomain, and DescribeUserPoolDomain of at least one of them must say Status ACTIVE: the relying party sends users to <domain>/oauth2/authorize and calls <domain>/oauth2/token.',
  reads: ['userPool', 'userPoolDomain'],
  modes: [USER_POOL_DOMAIN_MISSING],
  messages: {
    'user-pool-domain-missing': {
      message: (d: DomainProblem) =>
        d.Status === undefined
          ? `User pool ${d.userPoolId} has no domain (UserPool.Domain and UserPool.CustomDomain are empty), so the app client ${d.clientName} has no authorize, token or logout endpoint.`
          : `No domain of user pool ${d.userPoolId} is ACTIVE (${Object.entries(d.Status)
              .map(([name, status]) => `${name} is ${status ?? 'gone (DescribeUserPoolDomain returned an empty description)'}`)
              .join('; ')}), so its OAuth endpoints are not served.`,
      fix: (d: DomainProblem) => {
        const region = regionOfPoolId(d.userPoolId);
        if (d.Status === undefined) {
          const prefix = d.suggestedPrefix ?? d.userPoolId.toLowerCase();
          return {
            summary: `Create a domain for ${d.userPoolId} (the prefix ${prefix} is a suggestion: it must be unique in ${region}).`,
            steps: [`Amazon Cognito console → User pools → ${d.userPoolId} → Branding → Domain → Actions → Create Cognito domain; choose a prefix; Save.`],
            commands: [sh('aws', 'cognito-idp', 'create-user-pool-domain', '--region', region, '--user-pool-id', d.userPoolId, '--domain', prefix)],
          };
        }
        return {
          summary: `Repair or re-create the domain of ${d.userPoolId} (for a custom domain: an ACM certificate in us-east-1 and the DNS record of the parent domain), or wait for it to become ACTIVE.`,
          steps: [`Amazon Cognito console → User pools → ${d.userPoolId} → Branding → Domain: check the domain status.`],
          commands: namesOf(d).map((name) => sh('aws', 'cognito-idp', 'describe-user-pool-domain', '--region', region, '--domain', name)),
        };
      },
    },
  },
  run(ctx) {
    const pool = ctx.userPool();
    const { userPoolId } = ctx.reads;
    const domains = { Domain: pool.Domain ?? null, CustomDomain: pool.CustomDomain ?? null };
    const names = namesOf(domains);
    if (names.length === 0) {
      const suggestedPrefix = `${
        (pool.Name ?? 'login')
          .toLowerCase()
          .replace(/aws|amazon|cognito/g, '')
          .replace(/[^a-z0-9-]/g, '-')
          .replace(/-+/g, '-')
          .replace(/^-|-$/g, '') || 'login'
      }-${userPoolId.split('_')[1]?.toLowerCase() ?? ''}`.slice(0, 63);
      return [
        {
          mode: 'user-pool-domain-missing',
          resource: ctx.resource,
          data: { userPoolId, clientName: ctx.clientName, ...domains, suggestedPrefix },
          evidence: { userPoolId, ...domains },
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
    return [
      {
        mode: 'user-pool-domain-missing',
        // UPDATING keeps serving the previous settings.
        severity: Object.values(statuses).includes('UPDATING') ? 'warning' : 'error',
        resource: ctx.resource,
        data: { userPoolId, clientName: ctx.clientName, ...domains, Status: statuses },
        evidence: { userPoolId, ...domains, Status: statuses },
      },
    ];
  },
});
