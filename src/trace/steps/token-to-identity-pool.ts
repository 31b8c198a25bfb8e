// Step 3. The token meets the identity pool (GetId)
import { parseProviderName } from '../../model/client.js';
import { regionOfPoolId } from '../../model/pools.js';
import { openSearchClientIdOf, poolOfIssuer } from '../claims.js';
import { userSees } from '../messages.js';
import type { TraceStep } from '../types.js';
import { read, Step, type State } from './step.js';

export function tokenToIdentityPool(state: State): TraceStep {
  const { snapshot, ctx, identity } = state;
  const step = new Step(3);
  const identityPoolId = snapshot.domain.CognitoOptions?.IdentityPoolId ?? '';
  step.evidence['identityPoolId'] = identityPoolId || null;
  const pool = read(() => ctx.identityPool());
  if (pool.gap) {
    if (pool.gap.kind === 'not-applicable')
      step.fail(
        'identity-pool-not-found',
        `identity pool ${identityPoolId} does not exist (${pool.gap.reason})`,
        userSees.identityPoolNotFound(identityPoolId),
      );
    else step.unknown(pool.gap.reason);
    return step.done();
  }
  const { iss, aud } = identity.claims;
  const providers = pool.value.CognitoIdentityProviders ?? [];
  Object.assign(step.evidence, {
    iss: iss ?? null,
    aud: aud ?? null,
    token_use: identity.claims['token_use'] ?? null,
    CognitoIdentityProviders: providers.map((p) => ({ ProviderName: p.ProviderName, ClientId: p.ClientId })),
  });
  const issuer = poolOfIssuer(iss);
  if (iss === undefined) step.unknown('the claims have no iss, and the domain names no user pool to take it from');
  else if (typeof aud !== 'string') step.unknown("the claims have no aud, and the domain's OpenSearch app client is not known to take it from");
  else if (!issuer) {
    step.fail('token-not-from-supported-provider', `the token's issuer ${String(iss)} is not a Cognito user pool`, userSees.unsupportedProvider());
  } else {
    const exact = providers.some((p) => p.ProviderName === issuer.providerName && p.ClientId === aud);
    const otherRegion = providers.find((p) => p.ClientId === aud && parseProviderName(p.ProviderName)?.userPoolId === issuer.userPoolId);
    if (exact && regionOfPoolId(identityPoolId) !== issuer.region) {
      step.fail(
        'pool-region-mismatch',
        `identity pool ${identityPoolId} is in ${regionOfPoolId(identityPoolId)} and user pool ${issuer.userPoolId} in ${issuer.region}: they must share a Region`,
        userSees.unsupportedProvider(),
      );
    } else if (exact) {
      step.ok(`identity pool ${identityPoolId} lists ${issuer.providerName} with client ${aud}`);
    } else if (otherRegion) {
      step.fail(
        'pool-region-mismatch',
        `identity pool ${identityPoolId} lists the user pool as ${otherRegion.ProviderName}, but the token's issuer is ${issuer.providerName}`,
        userSees.issuerMismatch(),
      );
    } else {
      const listed = providers.map((p) => `${p.ProviderName}:${p.ClientId}`).join(', ') || 'none';
      step.fail(
        'token-not-from-supported-provider',
        `identity pool ${identityPoolId} has no provider ${issuer.providerName} with client ${aud} (it lists: ${listed})`,
        userSees.unsupportedProvider(),
      );
    }
    state.token = { userPoolId: issuer.userPoolId, providerName: issuer.providerName, clientId: aud };
  }

  const domainPool = snapshot.domain.CognitoOptions?.UserPoolId;
  const openSearchClient = state.client?.ClientId ?? openSearchClientIdOf(snapshot);
  if (issuer && domainPool && issuer.userPoolId !== domainPool) {
    step.note(`the token was issued by user pool ${issuer.userPoolId}, not by the domain's ${domainPool}: a Dashboards login's token comes from ${domainPool}`);
  } else if (typeof aud === 'string' && openSearchClient && aud !== openSearchClient) {
    step.note(
      `the token was issued to client ${aud}, not to the domain's OpenSearch app client ${openSearchClient}: a Dashboards login's token has aud ${openSearchClient}`,
    );
  }
  const tokenUse = identity.claims['token_use'];
  if (tokenUse !== undefined && tokenUse !== 'id') step.note(`this is an ${String(tokenUse)} token; the identity pool takes the ID token`);
  const exp = identity.claims['exp'];
  if (typeof exp === 'number' && exp * 1000 < state.now.getTime()) {
    step.note(
      `the token expired at ${new Date(exp * 1000).toISOString()}: the identity pool would refuse it now (NotAuthorizedException: Invalid login token. Token expired); the trace goes on with its claims`,
    );
  }
  return step.done();
}
