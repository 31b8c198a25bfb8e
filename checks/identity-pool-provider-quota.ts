import { defineCheck, identityPoolArnOf, regionOfPoolId, sh } from '../src/check-kit.js';

/** The quota the OpenSearch Service guide cites for user pool providers per identity pool. */
const PROVIDER_QUOTA = 10;

/** The identity pool is at the provider quota. */
interface AtProviderQuota {
  identityPoolId: string;
  IdentityPoolName?: string;
  /** How many providers the pool lists. */
  providers: number;
  quota: number;
  Processing: boolean | null;
  /** `<ProviderName>:<ClientId>` of each provider. */
  CognitoIdentityProviders: string[];
  DomainName: string;
}

export default defineCheck({
  id: 'identity-pool-provider-quota',
  title: "The identity pool has room for the domain's authentication provider",
  description:
    `Each domain with Cognito authentication adds its app client to the identity pool as an authentication provider. Counts DescribeIdentityPool.CognitoIdentityProviders: at ${PROVIDER_QUOTA} or more, the pool is at the "Amazon Cognito user pool providers per identity pool" quota the OpenSearch Service guide cites, so enabling Cognito on one more domain leaves it in Processing. ` +
    'The current Service Quotas value may differ (inferred), so this is a warning; with DescribeDomain.Processing true the message names the quota as the likely reason the domain is stuck.',
  reads: ['domain', 'identityPool'],
  modes: [
    {
      id: 'identity-pool-provider-limit',
      severity: 'warning',
      inferred: true,
      title: 'The identity pool is at its quota of authentication providers',
      symptom: 'The domain stays in Processing after Cognito authentication is enabled.',
      cause:
        'Every domain that uses the identity pool adds an app client as an authentication provider; at the quota of user pool providers per identity pool, the domain cannot add its own and its configuration change does not finish.',
      fix: 'Use a separate identity pool for some of the domains, remove providers of deleted domains, or request a quota increase.',
      docs: [
        'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/cognito-auth.html',
        'https://docs.aws.amazon.com/cognito/latest/developerguide/quotas.html',
      ],
    },
  ],
  messages: {
    'identity-pool-provider-limit': {
      message: (d: AtProviderQuota) =>
        d.Processing === true
          ? `Identity pool ${d.identityPoolId} has ${d.providers} authentication providers, at the quota of ${d.quota} the OpenSearch Service guide cites, and ${d.DomainName} is stuck in Processing: adding its provider most likely hit the quota.`
          : `Identity pool ${d.identityPoolId} has ${d.providers} authentication providers, at the quota of ${d.quota} the OpenSearch Service guide cites: the next domain that enables Cognito authentication with this pool will stay in Processing.`,
      fix: (d: AtProviderQuota) => ({
        summary: `Give some of the domains their own identity pool, or remove the providers of domains and app clients that no longer exist from ${d.identityPoolId} (keep the one of ${d.DomainName}); if you need more, check the current quota in Service Quotas and request an increase.`,
        steps: [
          `Amazon Cognito console → Identity pools → ${d.IdentityPoolName ?? d.identityPoolId} → User access → Identity providers: review the Amazon Cognito user pool providers; remove those whose app client or domain is gone.`,
          'Service Quotas console → Amazon Cognito Identity (identity pools) → check the quota of user pool providers per identity pool; request an increase if needed.',
        ],
        commands: [
          sh(
            'aws',
            'cognito-identity',
            'describe-identity-pool',
            '--region',
            regionOfPoolId(d.identityPoolId),
            '--identity-pool-id',
            d.identityPoolId,
            '--query',
            'CognitoIdentityProviders',
          ),
        ],
        iac: 'If IaC defines the identity pool, split the domains across pools there; keep ignore_changes on cognito_identity_providers so the service-added providers are not dropped.',
      }),
    },
  },
  run(ctx) {
    const identityPoolId = ctx.domain.CognitoOptions?.IdentityPoolId;
    if (typeof identityPoolId !== 'string' || !identityPoolId) return [];
    const pool = ctx.identityPool();
    const providers = Array.isArray(pool.CognitoIdentityProviders) ? pool.CognitoIdentityProviders.filter((p) => p && typeof p === 'object') : [];
    if (providers.length < PROVIDER_QUOTA) return [];
    const evidence = {
      identityPoolId,
      providers: providers.length,
      quota: PROVIDER_QUOTA,
      Processing: ctx.domain.Processing ?? null,
      CognitoIdentityProviders: providers.map((p) => `${p.ProviderName ?? ''}:${p.ClientId ?? ''}`),
    };
    return [
      {
        mode: 'identity-pool-provider-limit',
        resource: identityPoolArnOf(ctx.snapshot, identityPoolId),
        data: { ...evidence, ...(pool.IdentityPoolName !== undefined ? { IdentityPoolName: pool.IdentityPoolName } : {}), DomainName: ctx.domain.DomainName },
        evidence,
      },
    ];
  },
});
