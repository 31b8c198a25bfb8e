import {
  cognitoOptionsUpdate,
  defineCheck,
  domainArnOf,
  domainRegionOf,
  isIdentityPoolId,
  isUserPoolId,
  poolReadOutcome,
  sh,
} from '../src/check-kit.js';

/** A timestamp as the SDK (Date) or a snapshot (ISO string) holds it, in one spelling. */
function iso(value: unknown): string | null {
  const time = value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return Number.isFinite(time) ? new Date(time).toISOString() : null;
}

export default defineCheck({
  id: 'domain-stuck-on-deleted-pools',
  title: 'A domain in Processing does not depend on a deleted Cognito pool',
  description:
    'When DescribeDomain.Processing is true and CognitoOptions.Enabled, looks at the reads of the pools CognitoOptions names: DescribeUserPool or DescribeIdentityPool recorded as ResourceNotFoundException means the pool was deleted while the domain still references it, and the configuration change (or the deletion of the domain) cannot finish. ' +
    'A domain that is not in Processing is left to user-pool-not-found / identity-pool-not-found, which say the same thing for a settled domain; a pool read that failed otherwise makes this check unknown.',
  reads: ['domain', 'userPool', 'identityPool'],
  modes: [
    {
      id: 'cognito-resources-deleted-before-domain',
      severity: 'error',
      title: 'The domain is stuck in Processing on a deleted Cognito pool',
      symptom: 'The domain stays in Processing (during a configuration change or its deletion).',
      cause:
        'The user pool or identity pool was deleted while the domain still uses it for Cognito authentication; AWS asks to delete domains before their pools.',
      fix: 'Turn Cognito authentication off on the domain (or point it at pools that exist); contact AWS Support if it stays in Processing.',
      docs: [
        'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/cognito-auth.html',
        'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/managedomains-configuration-changes.html',
      ],
    },
  ],
  run(ctx) {
    if (ctx.domain.Processing !== true) return [];
    const options = ctx.domain.CognitoOptions ?? {};
    const gone: Array<{ kind: 'user pool' | 'identity pool'; id: string; code: string; message?: string }> = [];
    const pools = [
      { kind: 'user pool' as const, id: options.UserPoolId, operation: 'cognito-idp:DescribeUserPool', read: ctx.snapshot.userPool, wellFormed: isUserPoolId(options.UserPoolId) },
      { kind: 'identity pool' as const, id: options.IdentityPoolId, operation: 'cognito-identity:DescribeIdentityPool', read: ctx.snapshot.identityPool, wellFormed: isIdentityPoolId(options.IdentityPoolId) },
    ];
    for (const pool of pools) {
      // A malformed id is cognito-pools-exist's finding; a pool that was read exists.
      if (!pool.id || !pool.wellFormed || pool.read) continue;
      const outcome = poolReadOutcome(ctx, pool.operation, pool.id);
      if (outcome.state === 'not-found') gone.push({ kind: pool.kind, id: pool.id, code: outcome.code, ...(outcome.message ? { message: outcome.message } : {}) });
      else if (outcome.state === 'unreadable') ctx.note(outcome.gap);
      else ctx.note({ kind: 'unknown', reason: `${pool.kind} ${pool.id} is missing from the snapshot: ${pool.operation} would read it`, permission: pool.operation });
    }
    if (gone.length === 0) return [];
    const domainName = ctx.domain.DomainName;
    const change = ctx.domain.ChangeProgressDetails;
    const what = gone.map((g) => `${g.kind} ${g.id}`).join(' and ');
    return [
      {
        id: 'cognito-resources-deleted-before-domain',
        message: `${domainName} is in Processing while its Cognito options name ${what}, which ${gone.length > 1 ? 'no longer exist' : 'no longer exists'}: the change cannot finish until the domain stops depending on ${gone.length > 1 ? 'them' : 'it'}.`,
        resource: domainArnOf(ctx.snapshot),
        evidence: {
          Processing: true,
          CognitoOptions: options,
          deleted: gone,
          ...(change ? { change: { ConfigChangeStatus: change.ConfigChangeStatus ?? null, Message: change.Message ?? null, StartTime: iso(change.StartTime) } } : {}),
        },
        fix: {
          summary: `Turn Cognito authentication off on ${domainName} (or point it at a user pool and identity pool that exist) and wait for Processing to end; if the domain stays in Processing, contact AWS Support. Delete domains before their pools, and turn on deletion protection for the user pool.`,
          steps: [
            `OpenSearch Service console → Domains → ${domainName} → Security configuration → Edit → clear "Enable Amazon Cognito authentication" (or choose existing pools) → Save.`,
            'Watch the change with describe-domain-change-progress; open an AWS Support case if it does not progress.',
          ],
          commands: [
            cognitoOptionsUpdate(ctx.snapshot, { Enabled: false }),
            sh('aws', 'opensearch', 'describe-domain-change-progress', '--region', domainRegionOf(ctx.snapshot), '--domain-name', domainName),
          ],
        },
      },
    ];
  },
});
