// cognito-identity read operations, answered from the snapshots' identity pools.
import { ApiError } from './errors.js';
import { regionOfPoolId, type Account } from './account.js';
import type { Call, Handler } from './types.js';
import { optionalInt, optionalString, paginate, requiredString } from './wire.js';

const INVALID = 'InvalidParameterException';

/** The identity pool a request names, in the Region the request is signed for (its id prefix). */
function poolId(call: Call, account: Account): string {
  const id = requiredString(call.params, 'IdentityPoolId', INVALID);
  const here = regionOfPoolId(id) === call.scope?.region;
  if (here && (account.identityPools.has(id) || account.identityPoolRoles.has(id))) return id;
  if (here && account.namesIdentityPool(id)) throw account.notCollected(call);
  throw new ApiError('ResourceNotFoundException', `IdentityPool '${id}' not found.`);
}

export const cognitoIdentityOperations: Record<string, Handler> = {
  DescribeIdentityPool: (call, { account }) => {
    const pool = account.identityPools.get(poolId(call, account));
    if (!pool) throw account.notCollected(call);
    return pool;
  },

  GetIdentityPoolRoles: (call, { account }) => {
    const id = poolId(call, account);
    const roles = account.identityPoolRoles.get(id);
    if (!roles) throw account.notCollected(call);
    return { ...roles, IdentityPoolId: id };
  },

  ListIdentityPools: (call, { account, pageSize }) => {
    const region = call.scope?.region;
    const pools = [...account.identityPools.values()]
      .filter((p) => regionOfPoolId(p.IdentityPoolId ?? '') === region)
      .map((p) => ({ IdentityPoolId: p.IdentityPoolId, IdentityPoolName: p.IdentityPoolName }));
    const page = paginate(pools, optionalString(call.params, 'NextToken'), optionalInt(call.params, 'MaxResults'), pageSize, {
      operation: call.operation,
      of: region ?? '',
      invalidTokenCode: INVALID,
    });
    return { IdentityPools: page.items, NextToken: page.next };
  },

  GetPrincipalTagAttributeMap: (call, { account }) => {
    const id = poolId(call, account);
    const provider = requiredString(call.params, 'IdentityProviderName', INVALID);
    const map = account.principalTagMaps.get(id, provider);
    if (map) return map;
    if (!account.principalTagMapsRead.has(id)) throw account.notCollected(call);
    // Collected and absent: no map was ever set for the provider, which AWS answers as not found.
    throw new ApiError('ResourceNotFoundException', `PrincipalTagAttributeMap for ${provider} not found in IdentityPool '${id}'.`);
  },
};
