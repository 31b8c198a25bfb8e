import {
  defineCheck,
  identityPoolArnOf,
  identityPoolRoundTrip,
  openSearchClientOf,
  providerNameOf,
  regionOfPoolId,
  type IdentityPool,
} from '../src/check-kit.js';

const DOCS = [
  'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/cognito-auth.html',
  'https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_CognitoIdentityProvider.html',
];

/** The identity pool lacks the provider entry of the user pool and the OpenSearch app client. */
interface ProviderMissing {
  identityPoolId: string;
  userPoolId: string;
  /** The entry the identity pool needs. */
  expected: { ProviderName: string; ClientId: string; ServerSideTokenCheck: true };
  openSearchClient: { ClientId: string; ClientName?: string };
  CognitoIdentityProviders: NonNullable<IdentityPool['CognitoIdentityProviders']>;
}

export default defineCheck({
  id: 'identity-pool-providers',
  title: 'The identity pool accepts ID tokens from the OpenSearch app client',
  description:
    'Looks in DescribeIdentityPool.CognitoIdentityProviders for an entry whose ProviderName is cognito-idp.<user pool region>.amazonaws.com/<UserPoolId> and whose ClientId is the OpenSearch app client (the AWSElasticsearch-/AmazonOpenSearchService- client of the domain). An entry for the pool under another region prefix is left to pool-region-mismatch, and a missing app client to opensearch-app-client-deleted-or-bypassed.',
  reads: ['domain', 'userPool', 'userPoolClients', 'identityPool'],
  modes: [
    {
      id: 'token-not-from-supported-provider',
      severity: 'error',
      title: 'The identity pool does not list the OpenSearch app client as a provider',
      symptom: 'NotAuthorizedException: Token is not from a supported provider of this identity pool.',
      cause:
        "The (user pool, app client) pair that issues the Dashboards ID token is not in the identity pool's CognitoIdentityProviders: IaC that manages the identity pool removed the entry OpenSearch Service added (Terraform aws_cognito_identity_pool without that block), the user pool was recreated, or the entry names another client.",
      fix: 'Add {ProviderName: cognito-idp.<region>.amazonaws.com/<UserPoolId>, ClientId: <OpenSearch client>, ServerSideTokenCheck: true} back with a describe → edit → update round trip, or redeploy the domain.',
      docs: DOCS,
    },
  ],
  messages: {
    'token-not-from-supported-provider': {
      message: (d: ProviderMissing) => {
        const samePool = d.CognitoIdentityProviders.filter((p) => p.ProviderName === d.expected.ProviderName);
        return samePool.length > 0
          ? `Identity pool ${d.identityPoolId} lists user pool ${d.userPoolId} only with client ${samePool.map((p) => p.ClientId).join(', ')}, not with the OpenSearch app client ${d.expected.ClientId}.`
          : `Identity pool ${d.identityPoolId} has no authentication provider for user pool ${d.userPoolId} and the OpenSearch app client ${d.expected.ClientId}.`;
      },
      fix: (d: ProviderMissing) => ({
        summary: `Add ${d.expected.ProviderName} with client ${d.expected.ClientId} back to the identity pool's authentication providers, keeping every other pool setting.`,
        steps: [
          `Amazon Cognito console → Identity pools → ${d.identityPoolId} → User access → Add identity provider → Amazon Cognito user pool.`,
          `User pool ID ${d.userPoolId} (region ${regionOfPoolId(d.userPoolId)}), app client ID ${d.expected.ClientId}; keep the role settings, then Save.`,
          'Alternatively, a domain deployment (for example re-submitting the Cognito options) makes OpenSearch Service add the provider again.',
        ],
        commands: identityPoolRoundTrip(
          d.identityPoolId,
          '.CognitoIdentityProviders = (((.CognitoIdentityProviders // []) + [$provider]) | unique_by([.ProviderName, .ClientId]))',
          { provider: d.expected },
        ),
        iac: 'If Terraform manages the identity pool, add cognito_identity_providers to lifecycle.ignore_changes (or declare this provider there); otherwise the next apply removes it again.',
      }),
    },
  },
  run(ctx) {
    const userPoolId = ctx.domain.CognitoOptions?.UserPoolId;
    const identityPoolId = ctx.domain.CognitoOptions?.IdentityPoolId;
    if (!userPoolId || !identityPoolId) return [];
    const client = openSearchClientOf(ctx);
    if (!client?.ClientId) return []; // opensearch-app-client-deleted-or-bypassed
    const providers = ctx.identityPool().CognitoIdentityProviders ?? [];
    const expected = providerNameOf(userPoolId);
    if (providers.some((p) => p.ProviderName === expected && p.ClientId === client.ClientId)) return [];
    // The pool listed under another region's issuer is pool-region-mismatch's finding.
    if (providers.some((p) => p.ClientId === client.ClientId && (p.ProviderName ?? '').endsWith(`/${userPoolId}`))) return [];

    const evidence = {
      identityPoolId,
      expected: { ProviderName: expected, ClientId: client.ClientId, ServerSideTokenCheck: true as const },
      openSearchClient: { ClientId: client.ClientId, ClientName: client.ClientName },
      CognitoIdentityProviders: providers,
    };
    return [
      { mode: 'token-not-from-supported-provider', resource: identityPoolArnOf(ctx.snapshot, identityPoolId), data: { ...evidence, userPoolId }, evidence },
    ];
  },
});
