import type { Snapshot } from '../snapshot/types.js';
import type { ClientReads } from '../engine/client-context.js';

/** The app client is not in the snapshot (or the snapshot is of another pool): an input error. */
export class ClientNotInSnapshot extends Error {}

/** What a cogdoctor snapshot holds about one app client of its user pool, in the shape a live read gives. */
export function clientReadsFromSnapshot(snapshot: Snapshot, userPoolId: string | undefined, clientId: string): ClientReads {
  const pool = snapshot.userPool ?? undefined;
  const poolId = pool?.Id ?? snapshot.domain.CognitoOptions?.UserPoolId;
  if (!poolId) throw new ClientNotInSnapshot('the snapshot has no user pool');
  if (userPoolId !== undefined && userPoolId !== poolId) throw new ClientNotInSnapshot(`the snapshot is of user pool ${poolId}, not ${userPoolId}`);
  const client = (snapshot.userPoolClients ?? []).find((c) => c.ClientId === clientId);
  const errors = (snapshot.errors ?? []).filter((e) => e.operation.startsWith('cognito-idp:'));
  const clientUnread = errors.some((e) => /DescribeUserPoolClient|ListUserPoolClients/.test(e.operation));
  if (!client && !clientUnread) throw new ClientNotInSnapshot(`user pool ${poolId} has no app client ${clientId} in the snapshot`);
  const description = snapshot.userPoolDomain ?? undefined;
  // An empty description (the domain is gone) names no domain: it is of the one the collector asked about.
  const described = description ? [{ ...description, Domain: description.Domain ?? pool?.CustomDomain ?? pool?.Domain }] : [];
  return {
    userPoolId: poolId,
    clientId,
    ...(snapshot.accountId ? { accountId: snapshot.accountId } : {}),
    ...(pool ? { userPool: pool } : {}),
    ...(client ? { client } : {}),
    domains: described,
    ...(snapshot.identityProviders ? { identityProviders: snapshot.identityProviders } : {}),
    errors,
  };
}
