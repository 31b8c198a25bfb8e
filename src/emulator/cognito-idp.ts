// cognito-idp read operations, answered from the snapshots' user pools.
import { ApiError } from './errors.js';
import type { Account } from './account.js';
import type { Handler, Params } from './types.js';
import { optionalInt, optionalString, paginate, requiredString } from './wire.js';

const INVALID = 'InvalidParameterException';

function poolId(params: Params, account: Account): string {
  const id = requiredString(params, 'UserPoolId', INVALID);
  if (!account.userPools.has(id)) throw new ApiError('ResourceNotFoundException', `User pool ${id} does not exist.`);
  return id;
}

function user(params: Params, account: Account) {
  const pool = poolId(params, account);
  const username = requiredString(params, 'Username', INVALID);
  const found = account.users.get(pool, username);
  if (!found) throw new ApiError('UserNotFoundException', 'User does not exist.');
  return { pool, user: found };
}

export const cognitoIdpOperations: Record<string, Handler> = {
  DescribeUserPool: ({ params }, { account }) => ({ UserPool: account.userPools.get(poolId(params, account)) }),

  ListUserPoolClients: ({ params }, { account, pageSize }) => {
    const pool = poolId(params, account);
    const summaries = account.clients.list(pool).map((c) => ({ ClientId: c.ClientId, ClientName: c.ClientName, UserPoolId: pool }));
    const page = paginate(summaries, optionalString(params, 'NextToken'), optionalInt(params, 'MaxResults'), pageSize, INVALID);
    return { UserPoolClients: page.items, NextToken: page.next };
  },

  DescribeUserPoolClient: ({ params }, { account }) => {
    const pool = poolId(params, account);
    const clientId = requiredString(params, 'ClientId', INVALID);
    const client = account.clients.get(pool, clientId);
    if (!client) throw new ApiError('ResourceNotFoundException', `User pool client ${clientId} does not exist.`);
    return { UserPoolClient: client };
  },

  ListGroups: ({ params }, { account, pageSize }) => {
    const pool = poolId(params, account);
    const page = paginate(account.groups.list(pool), optionalString(params, 'NextToken'), optionalInt(params, 'Limit'), pageSize, INVALID);
    return { Groups: page.items, NextToken: page.next };
  },

  DescribeUserPoolDomain: ({ params }, { account }) => {
    const domain = requiredString(params, 'Domain', INVALID);
    const recorded = account.userPoolDomains.get(domain);
    if (recorded) return { DomainDescription: recorded };
    const pool = account.userPoolIdByDomain(domain);
    // AWS answers an unknown domain with an empty description, not an error.
    return { DomainDescription: pool ? { Domain: domain, UserPoolId: pool, Status: 'ACTIVE' } : {} };
  },

  ListIdentityProviders: ({ params }, { account, pageSize }) => {
    const pool = poolId(params, account);
    const providers = account.identityProviders.list(pool).map((p) => ({ ProviderName: p.ProviderName, ProviderType: p.ProviderType }));
    const page = paginate(providers, optionalString(params, 'NextToken'), optionalInt(params, 'MaxResults'), pageSize, INVALID);
    return { Providers: page.items, NextToken: page.next };
  },

  DescribeIdentityProvider: ({ params }, { account }) => {
    const pool = poolId(params, account);
    const name = requiredString(params, 'ProviderName', INVALID);
    const provider = account.identityProviders.get(pool, name);
    if (!provider) throw new ApiError('ResourceNotFoundException', `Identity provider ${name} does not exist.`);
    return { IdentityProvider: provider };
  },

  DescribeManagedLoginBrandingByClient: ({ params }, { account }) => {
    const pool = poolId(params, account);
    const clientId = requiredString(params, 'ClientId', INVALID);
    const branding = account.brandings.find((b) => b.UserPoolId === pool && (b.ClientId === undefined || b.ClientId === clientId));
    if (!branding) throw new ApiError('ResourceNotFoundException', `No managed login branding found for client ${clientId}.`);
    const { ClientId: _clientId, ...style } = branding; // the API's shape has no ClientId
    return { ManagedLoginBranding: style };
  },

  AdminGetUser: ({ params }, { account }) => {
    const { Groups: _groups, UserPoolId: _pool, ...found } = user(params, account).user;
    return found;
  },

  AdminListGroupsForUser: ({ params }, { account, pageSize }) => {
    const { pool, user: found } = user(params, account);
    const groups = (found.Groups ?? []).map((name) => account.groups.get(pool, name) ?? { GroupName: name, UserPoolId: pool });
    const page = paginate(groups, optionalString(params, 'NextToken'), optionalInt(params, 'Limit'), pageSize, INVALID);
    return { Groups: page.items, NextToken: page.next };
  },
};
