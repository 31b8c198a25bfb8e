import {
  cognitoOptionsUpdate,
  defineCheck,
  domainArnOf,
  domainRegionOf,
  isIdentityPoolId,
  isUserPoolId,
  placeOf,
  poolReadOutcome,
  sh,
  type Domain,
  type DomainPlace,
} from '../src/check-kit.js';

/** A timestamp as the SDK (Date) or a snapshot (ISO string) holds it, in one spelling. */
function iso(value: unknown): string | null {
  const time = value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return Number.isFinite(time) ? new Date(time).toISOString() : null;
}

/** A domain in Processing whose Cognito options name pools that are gone. */
interface StuckOnDeletedPools {
  Processing: true;
  CognitoOptions: NonNullable<Domain['CognitoOptions']>;
  deleted: Array<{ kind: 'user pool' | 'identity pool'; id: string; code: string; message?: string }>;
  change?: { ConfigChangeStatus: string | null; Message: string | null; StartTime: string | null };
  place: DomainPlace;
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
  messages: {
    'cognito-resources-deleted-before-domain': {
      message: (d: StuckOnDeletedPools) => {
        const what = d.deleted.map((g) => `${g.kind} ${g.id}`).join(' and ');
        const several = d.deleted.length > 1;
        return `${d.place.domain.DomainName} is in Processing while its Cognito options name ${what}, which ${several ? 'no longer exist' : 'no longer exists'}: the change cannot finish until the domain stops depending on ${several ? 'them' : 'it'}.`;
      },
      fix: (d: StuckOnDeletedPools) => {
        const domainName = d.place.domain.DomainName;
        return {
          summary: `Turn Cognito authentication off on ${domainName} (or point it at a user pool and identity pool that exist) and wait for Processing to end; if the domain stays in Processing, contact AWS Support. Delete domains before their pools, and turn on deletion protection for the user pool.`,
          steps: [
            `OpenSearch Service console → Domains → ${domainName} → Security configuration → Edit → clear "Enable Amazon Cognito authentication" (or choose existing pools) → Save.`,
            'Watch the change with describe-domain-change-progress; open an AWS Support case if it does not progress.',
          ],
          commands: [
            cognitoOptionsUpdate(d.place, { Enabled: false }),
            sh('aws', 'opensearch', 'describe-domain-change-progress', '--region', domainRegionOf(d.place), '--domain-name', domainName),
          ],
        };
      },
    },
  },
  run(ctx) {
    if (ctx.domain.Processing !== true) return [];
    const options = ctx.domain.CognitoOptions ?? {};
    const gone: Array<{ kind: 'user pool' | 'identity pool'; id: string; code: string; message?: string }> = [];
    const pools = [
      {
        kind: 'user pool' as const,
        id: options.UserPoolId,
        operation: 'cognito-idp:DescribeUserPool',
        read: ctx.snapshot.userPool,
        wellFormed: isUserPoolId(options.UserPoolId),
      },
      {
        kind: 'identity pool' as const,
        id: options.IdentityPoolId,
        operation: 'cognito-identity:DescribeIdentityPool',
        read: ctx.snapshot.identityPool,
        wellFormed: isIdentityPoolId(options.IdentityPoolId),
      },
    ];
    for (const pool of pools) {
      // A malformed id is cognito-pools-exist's finding; a pool that was read exists.
      if (!pool.id || !pool.wellFormed || pool.read) continue;
      const outcome = poolReadOutcome(ctx, pool.operation, pool.id);
      if (outcome.state === 'not-found')
        gone.push({ kind: pool.kind, id: pool.id, code: outcome.code, ...(outcome.message ? { message: outcome.message } : {}) });
      else if (outcome.state === 'unreadable') ctx.note(outcome.gap);
      else
        ctx.note({
          kind: 'unknown',
          reason: `${pool.kind} ${pool.id} is missing from the snapshot: ${pool.operation} would read it`,
          permission: pool.operation,
        });
    }
    if (gone.length === 0) return [];
    const change = ctx.domain.ChangeProgressDetails;
    const evidence = {
      Processing: true as const,
      CognitoOptions: options,
      deleted: gone,
      ...(change
        ? { change: { ConfigChangeStatus: change.ConfigChangeStatus ?? null, Message: change.Message ?? null, StartTime: iso(change.StartTime) } }
        : {}),
    };
    return [
      { mode: 'cognito-resources-deleted-before-domain', resource: domainArnOf(ctx.snapshot), data: { ...evidence, place: placeOf(ctx.snapshot) }, evidence },
    ];
  },
});
