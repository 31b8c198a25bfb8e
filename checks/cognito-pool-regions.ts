import {
  cognitoOptionsUpdate,
  DataGap,
  defineCheck,
  identityPoolArnOf,
  identityPoolRoundTrip,
  isIdentityPoolId,
  isUserPoolId,
  parseProviderName,
  providerNameOf,
  regionOfPoolId,
  sh,
  type FindingInput,
  type IdentityPool,
} from '../src/check-kit.js';

const DOCS = [
  'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/cognito-auth.html',
  'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/fgac-walkthrough-iam.html',
];

export default defineCheck({
  id: 'cognito-pool-regions',
  title: 'The user pool and identity pool are in the same Region, and the provider entry names the pool\'s Region',
  description:
    'The Region prefix of CognitoOptions.UserPoolId (`<region>_…`) must equal that of CognitoOptions.IdentityPoolId (`<region>:…`); the domain itself may be in another Region. Each CognitoIdentityProviders entry of the identity pool for the user pool must be named `cognito-idp.<region of the user pool id>.amazonaws.com/<user pool id>`. Malformed ids are left to cognito-pools-exist.',
  reads: ['domain', 'identityPool'],
  modes: [
    {
      id: 'pool-region-mismatch',
      severity: 'error',
      title: 'The user pool and identity pool are in different Regions',
      symptom: 'NotAuthorizedException: Token is not from a supported provider of this identity pool. / Invalid login token. Issuer doesn\'t match providerName (or the domain configuration fails with "User pool does not exist" / "IdentityPool not found")',
      cause:
        'OpenSearch Service requires the user pool and the identity pool in the same Region; a provider entry whose name carries another Region than the user pool never matches the tokens\' issuer.',
      fix: 'Re-create the identity pool in the user pool\'s Region and point the domain at it, or correct the provider name.',
      docs: DOCS,
    },
  ],
  run(ctx) {
    const cognito = ctx.domain.CognitoOptions ?? {};
    const userPoolId = cognito.UserPoolId;
    const identityPoolId = cognito.IdentityPoolId;
    if (!isUserPoolId(userPoolId)) return []; // cognito-pools-exist reports it
    const userRegion = regionOfPoolId(userPoolId);
    const findings: FindingInput[] = [];

    if (isIdentityPoolId(identityPoolId) && regionOfPoolId(identityPoolId) !== userRegion) {
      const identityRegion = regionOfPoolId(identityPoolId);
      const name = ctx.snapshot.identityPool?.IdentityPoolName ?? `${ctx.domain.DomainName.replace(/[^\w]/g, '_')}_identity`;
      findings.push({
        id: 'pool-region-mismatch',
        message: `The user pool ${userPoolId} is in ${userRegion} but the identity pool ${identityPoolId} is in ${identityRegion}; OpenSearch Service needs both in one Region.`,
        resource: identityPoolArnOf(ctx.snapshot, identityPoolId),
        evidence: { userPoolId, userPoolRegion: userRegion, identityPoolId, identityPoolRegion: identityRegion, domainRegion: ctx.snapshot.region },
        fix: {
          summary: `Create an identity pool in ${userRegion} (there is no way to move one), give it the authenticated role (update that role's trust policy aud to the new pool id), and point the domain at it (replace <new-identity-pool-id>); OpenSearch Service adds its provider entry. This is a blue/green deployment.`,
          steps: [
            `Amazon Cognito console (Region ${userRegion}) → Identity pools → Create identity pool, with authenticated access only.`,
            `OpenSearch Service console → Domains → ${ctx.domain.DomainName} → Security configuration → Edit: choose the new identity pool; Save.`,
          ],
          commands: [
            sh('aws', 'cognito-identity', 'create-identity-pool', '--region', userRegion, '--identity-pool-name', name, '--no-allow-unauthenticated-identities'),
            cognitoOptionsUpdate(ctx.snapshot, { Enabled: true, UserPoolId: userPoolId, IdentityPoolId: '<new-identity-pool-id>', RoleArn: cognito.RoleArn }),
          ],
        },
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
      findings.push({
        id: 'pool-region-mismatch',
        message: `The identity pool ${poolId} lists ${userPoolId} as provider ${provider.ProviderName}, whose Region does not match the pool's (${userRegion}); tokens from the pool are issued by ${expected}.`,
        resource: identityPoolArnOf(ctx.snapshot, poolId),
        evidence: { identityPoolId: poolId, ProviderName: provider.ProviderName, ClientId: provider.ClientId, expectedProviderName: expected },
        fix: {
          summary: `Rename the provider entry to ${expected}, keeping the rest of the identity pool.`,
          steps: [`Amazon Cognito console → Identity pools → ${poolId} → User access → Identity providers: remove the entry ${provider.ProviderName} and add user pool ${userPoolId} with app client ${provider.ClientId ?? ''}.`],
          commands: identityPoolRoundTrip(
            poolId,
            '.CognitoIdentityProviders = (.CognitoIdentityProviders | map(if .ProviderName == $wrong then .ProviderName = $right else . end))',
            { wrong: provider.ProviderName, right: expected },
          ),
          iac: 'Build the provider name from the user pool resource (Terraform: the endpoint attribute of aws_cognito_user_pool) instead of a hard-coded Region.',
        },
      });
    }
    return findings;
  },
});
