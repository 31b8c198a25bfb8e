import {
  cognitoOptionsUpdate,
  DataGap,
  defineCheck,
  identityPoolArnOf,
  identityPoolRoundTrip,
  isIdentityPoolId,
  isUserPoolId,
  parseProviderName,
  placeOf,
  providerNameOf,
  regionOfPoolId,
  sh,
  type DomainPlace,
  type IdentityPool,
} from '../src/check-kit.js';

const DOCS = [
  'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/cognito-auth.html',
  'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/fgac-walkthrough-iam.html',
];

/** The user pool and the identity pool are in different Regions. */
interface PoolsApart {
  why: 'pools-apart';
  userPoolId: string;
  userPoolRegion: string;
  identityPoolId: string;
  identityPoolRegion: string;
  domainRegion: string;
  /** The name for the identity pool to create in the user pool's Region. */
  IdentityPoolName: string;
  RoleArn?: string;
  place: DomainPlace;
}

/** The identity pool names the user pool with a provider name of another Region. */
interface ProviderInOtherRegion {
  why: 'provider-name';
  identityPoolId: string;
  ProviderName?: string;
  ClientId?: string;
  expectedProviderName: string;
  userPoolId: string;
  userPoolRegion: string;
}

export default defineCheck({
  id: 'cognito-pool-regions',
  title: "The user pool and identity pool are in the same Region, and the provider entry names the pool's Region",
  description:
    'The Region prefix of CognitoOptions.UserPoolId (`<region>_…`) must equal that of CognitoOptions.IdentityPoolId (`<region>:…`); the domain itself may be in another Region. Each CognitoIdentityProviders entry of the identity pool for the user pool must be named `cognito-idp.<region of the user pool id>.amazonaws.com/<user pool id>`. Malformed ids are left to cognito-pools-exist.',
  reads: ['domain', 'identityPool'],
  modes: [
    {
      id: 'pool-region-mismatch',
      severity: 'error',
      title: 'The user pool and identity pool are in different Regions',
      symptom:
        'NotAuthorizedException: Token is not from a supported provider of this identity pool. / Invalid login token. Issuer doesn\'t match providerName (or the domain configuration fails with "User pool does not exist" / "IdentityPool not found")',
      cause:
        "OpenSearch Service requires the user pool and the identity pool in the same Region; a provider entry whose name carries another Region than the user pool never matches the tokens' issuer.",
      fix: "Re-create the identity pool in the user pool's Region and point the domain at it, or correct the provider name.",
      docs: DOCS,
    },
  ],
  messages: {
    'pool-region-mismatch': {
      message: (d: PoolsApart | ProviderInOtherRegion) =>
        d.why === 'pools-apart'
          ? `The user pool ${d.userPoolId} is in ${d.userPoolRegion} but the identity pool ${d.identityPoolId} is in ${d.identityPoolRegion}; OpenSearch Service needs both in one Region.`
          : `The identity pool ${d.identityPoolId} lists ${d.userPoolId} as provider ${d.ProviderName}, whose Region does not match the pool's (${d.userPoolRegion}); tokens from the pool are issued by ${d.expectedProviderName}.`,
      fix: (d: PoolsApart | ProviderInOtherRegion) =>
        d.why === 'pools-apart'
          ? {
              summary: `Create an identity pool in ${d.userPoolRegion} (there is no way to move one), give it the authenticated role (update that role's trust policy aud to the new pool id), and point the domain at it (replace <new-identity-pool-id>); OpenSearch Service adds its provider entry. This is a blue/green deployment.`,
              steps: [
                `Amazon Cognito console (Region ${d.userPoolRegion}) → Identity pools → Create identity pool, with authenticated access only.`,
                `OpenSearch Service console → Domains → ${d.place.domain.DomainName} → Security configuration → Edit: choose the new identity pool; Save.`,
              ],
              commands: [
                sh(
                  'aws',
                  'cognito-identity',
                  'create-identity-pool',
                  '--region',
                  d.userPoolRegion,
                  '--identity-pool-name',
                  d.IdentityPoolName,
                  '--no-allow-unauthenticated-identities',
                ),
                cognitoOptionsUpdate(d.place, { Enabled: true, UserPoolId: d.userPoolId, IdentityPoolId: '<new-identity-pool-id>', RoleArn: d.RoleArn }),
              ],
            }
          : {
              summary: `Rename the provider entry to ${d.expectedProviderName}, keeping the rest of the identity pool.`,
              steps: [
                `Amazon Cognito console → Identity pools → ${d.identityPoolId} → User access → Identity providers: remove the entry ${d.ProviderName} and add user pool ${d.userPoolId} with app client ${d.ClientId ?? ''}.`,
              ],
              commands: identityPoolRoundTrip(
                d.identityPoolId,
                '.CognitoIdentityProviders = (.CognitoIdentityProviders | map(if .ProviderName == $wrong then .ProviderName = $right else . end))',
                { wrong: d.ProviderName, right: d.expectedProviderName },
              ),
              iac: 'Build the provider name from the user pool resource (Terraform: the endpoint attribute of aws_cognito_user_pool) instead of a hard-coded Region.',
            },
    },
  },
  run(ctx) {
    const cognito = ctx.domain.CognitoOptions ?? {};
    const userPoolId = cognito.UserPoolId;
    const identityPoolId = cognito.IdentityPoolId;
    if (!isUserPoolId(userPoolId)) return []; // cognito-pools-exist reports it
    const userRegion = regionOfPoolId(userPoolId);
    const problems: Array<{ mode: 'pool-region-mismatch'; resource: string; data: PoolsApart | ProviderInOtherRegion; evidence: Record<string, unknown> }> = [];

    if (isIdentityPoolId(identityPoolId) && regionOfPoolId(identityPoolId) !== userRegion) {
      const evidence = {
        userPoolId,
        userPoolRegion: userRegion,
        identityPoolId,
        identityPoolRegion: regionOfPoolId(identityPoolId),
        domainRegion: ctx.snapshot.region,
      };
      problems.push({
        mode: 'pool-region-mismatch',
        resource: identityPoolArnOf(ctx.snapshot, identityPoolId),
        data: {
          why: 'pools-apart',
          ...evidence,
          IdentityPoolName: ctx.snapshot.identityPool?.IdentityPoolName ?? `${ctx.domain.DomainName.replace(/[^\w]/g, '_')}_identity`,
          RoleArn: cognito.RoleArn,
          place: placeOf(ctx.snapshot),
        },
        evidence,
      });
    }

    // Not found or malformed: cognito-pools-exist reports it.
    let pool: IdentityPool | undefined;
    if (isIdentityPoolId(identityPoolId)) {
      try {
        pool = ctx.identityPool();
      } catch (error) {
        if (!(error instanceof DataGap)) throw error;
        if (error.gap.kind !== 'not-applicable') ctx.note(error.gap);
      }
    }
    const expected = providerNameOf(userPoolId);
    const wrong = (pool?.CognitoIdentityProviders ?? []).filter((p) => {
      const parsed = parseProviderName(p.ProviderName);
      return parsed?.userPoolId === userPoolId && parsed.region !== userRegion;
    });
    for (const provider of wrong) {
      const poolId = pool?.IdentityPoolId ?? identityPoolId ?? '';
      const evidence = { identityPoolId: poolId, ProviderName: provider.ProviderName, ClientId: provider.ClientId, expectedProviderName: expected };
      problems.push({
        mode: 'pool-region-mismatch',
        resource: identityPoolArnOf(ctx.snapshot, poolId),
        data: { why: 'provider-name', ...evidence, userPoolId, userPoolRegion: userRegion },
        evidence,
      });
    }
    return problems;
  },
});
