// cognito-identity read operations, answered from the snapshots' identity pools.
import { ApiError } from './errors.js';
import type { Account } from './account.js';
import type { Handler, Params } from './types.js';
import { optionalInt, optionalString, paginate, requiredString } from './wire.js';

const INVALID = 'InvalidParameterException';

function poolId(params: Params, account: Account): string {
  const id = requiredString(params, 'IdentityPoolId', INVALID);
  if (!account.identityPools.has(id) && !account.identityPoolRoles.has(id)) {
    throw new ApiError('ResourceNotFoundException', `IdentityPool '${id}' not found.`);
  }
  return id;
}

export const cognitoIdentityOperations: Record<string, Handler> = {
  DescribeIdentityPool: ({ params }, { account }) => {
    const id = poolId(params, account);
    const pool = account.identityPools.get(id);
    if (!pool) throw new ApiError('ResourceNotFoundException', `IdentityPool '${id}' not found.`);
    return pool;
  },

  GetIdentityPoolRoles: ({ params }, { account }) => {
    const id = poolId(params, account);
    return { ...account.identityPoolRoles.get(id), IdentityPoolId: id };
  },

  ListIdentityPools: ({ params }, { account, pageSize }) => {
    const pools = [...account.identityPools.values()].map((p) => ({ IdentityPoolId: p.IdentityPoolId, IdentityPoolName: p.IdentityPoolName }));
    const page = paginate(pools, optionalString(params, 'NextToken'), optionalInt(params, 'MaxResults'), pageSize, INVALID);
    return { IdentityPools: page.items, NextToken: page.next };
  },

  GetPrincipalTagAttributeMap: ({ params }, { account }) => {
    const id = poolId(params, account);
    const provider = requiredString(params, 'IdentityProviderName', INVALID);
    // No map recorded: the provider has "attributes for access control" off.
    return account.principalTagMaps.get(id, provider) ?? { IdentityPoolId: id, IdentityProviderName: provider, UseDefaults: false, PrincipalTags: {} };
  },
};
