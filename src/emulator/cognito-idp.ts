// cognito-idp read operations, answered from the snapshots' user pools.
import { ApiError } from './errors.js';
import { regionOfPoolId, type Account } from './account.js';
import type { Call, Handler } from './types.js';
import { optionalInt, optionalString, paginate, requiredString } from './wire.js';

const INVALID = 'InvalidParameterException';

/**
 * The pool a request names, in the Region the request is signed for (a pool lives in the Region of
 * its id prefix). A pool the snapshots name without holding it was not collected.
 */
function poolId(call: Call, account: Account): string {
  const id = requiredString(call.params, 'UserPoolId', INVALID);
  const here = regionOfPoolId(id) === call.scope?.region;
  if (here && account.userPools.has(id)) return id;
  if (here && account.namesUserPool(id)) throw account.notCollected(call);
  throw new ApiError('ResourceNotFoundException', `User pool ${id} does not exist.`);
}

/** A part of a pool that no snapshot collected is not served as empty. */
function collected(read: Set<string>, pool: string, call: Call, account: Account): void {
  if (!read.has(pool)) throw account.notCollected(call);
}

function page<T>(call: Call, items: T[], limitParam: string, pageSize: number, of: string) {
  return paginate(items, optionalString(call.params, 'NextToken'), optionalInt(call.params, limitParam), pageSize, {
    operation: call.operation,
    of,
    invalidTokenCode: INVALID,
  });
}

function user(call: Call, account: Account) {
  const pool = poolId(call, account);
  const username = requiredString(call.params, 'Username', INVALID);
  const found = account.users.get(pool, username);
  if (!found) {
    collected(account.usersRead, pool, call, account);
    throw new ApiError('UserNotFoundException', 'User does not exist.');
  }
  return { pool, user: found };
}

export const cognitoIdpOperations: Record<string, Handler> = {
  DescribeUserPool: (call, { account }) => ({ UserPool: account.userPools.get(poolId(call, account)) }),

  ListUserPoolClients: (call, { account, pageSize }) => {
    const pool = poolId(call, account);
    collected(account.clientListsRead, pool, call, account);
    const summaries = account.clients.list(pool).map((c) => ({ ClientId: c.ClientId, UserPoolId: pool, ClientName: c.ClientName }));
    // A client whose description failed is still listed: the list read succeeded.
    for (const ClientId of account.undescribedClients(pool)) summaries.push({ ClientId, UserPoolId: pool, ClientName: undefined });
    const listed = page(call, summaries, 'MaxResults', pageSize, pool);
    return { UserPoolClients: listed.items, NextToken: listed.next };
  },

  DescribeUserPoolClient: (call, { account }) => {
    const pool = poolId(call, account);
    const clientId = requiredString(call.params, 'ClientId', INVALID);
    const client = account.clients.get(pool, clientId);
    if (!client) {
      collected(account.clientListsRead, pool, call, account);
      throw new ApiError('ResourceNotFoundException', `User pool client ${clientId} does not exist.`);
    }
    return { UserPoolClient: client };
  },

  ListGroups: (call, { account, pageSize }) => {
    const pool = poolId(call, account);
    collected(account.groupListsRead, pool, call, account);
    const listed = page(call, account.groups.list(pool), 'Limit', pageSize, pool);
    return { Groups: listed.items, NextToken: listed.next };
  },

  DescribeUserPoolDomain: (call, { account }) => {
    const domain = requiredString(call.params, 'Domain', INVALID);
    const pool = account.userPoolIdByDomain(domain);
    if (pool && regionOfPoolId(pool) !== call.scope?.region) return { DomainDescription: {} };
    const recorded = account.userPoolDomains.get(domain);
    if (recorded) return { DomainDescription: recorded };
    if (pool) throw account.notCollected(call);
    // AWS answers a domain that does not exist with an empty description, not an error.
    return { DomainDescription: {} };
  },

  ListIdentityProviders: (call, { account, pageSize }) => {
    const pool = poolId(call, account);
    collected(account.providerListsRead, pool, call, account);
    const providers = account.identityProviders
      .list(pool)
      .map((p) => ({ ProviderName: p.ProviderName, ProviderType: p.ProviderType, LastModifiedDate: p.LastModifiedDate, CreationDate: p.CreationDate }));
    const listed = page(call, providers, 'MaxResults', pageSize, pool);
    return { Providers: listed.items, NextToken: listed.next };
  },

  DescribeIdentityProvider: (call, { account }) => {
    const pool = poolId(call, account);
    const name = requiredString(call.params, 'ProviderName', INVALID);
    const provider = account.identityProviders.get(pool, name);
    if (!provider) {
      collected(account.providerListsRead, pool, call, account);
      throw new ApiError('ResourceNotFoundException', `Identity provider ${name} does not exist.`);
    }
    return { IdentityProvider: provider };
  },

  DescribeManagedLoginBrandingByClient: (call, { account }) => {
    const pool = poolId(call, account);
    const clientId = requiredString(call.params, 'ClientId', INVALID);
    collected(account.brandingsRead, pool, call, account);
    const branding = account.brandings.find((b) => b.UserPoolId === pool && (b.ClientId === undefined || b.ClientId === clientId));
    if (!branding) throw new ApiError('ResourceNotFoundException', `No managed login branding found for client ${clientId}.`);
    const { ClientId: _clientId, ...style } = branding; // the API's shape has no ClientId
    return { ManagedLoginBranding: style };
  },

  AdminGetUser: (call, { account }) => {
    const { Groups: _groups, UserPoolId: _pool, ...found } = user(call, account).user;
    return found;
  },

  AdminListGroupsForUser: (call, { account, pageSize }) => {
    const { pool, user: found } = user(call, account);
    const groups = (found.Groups ?? []).map((name) => account.groups.get(pool, name) ?? { GroupName: name, UserPoolId: pool });
    const listed = page(call, groups, 'Limit', pageSize, `${pool}/${found.Username}`);
    return { Groups: listed.items, NextToken: listed.next };
  },
};
