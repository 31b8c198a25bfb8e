import type { GetPrincipalTagAttributeMapResponse } from '@aws-sdk/client-cognito-identity';
import * as aws from './aws.js';
import type { Clients } from './clients.js';
import type { Keep, Reads } from './reads.js';
import { providerNameOf, regionOfPoolId } from '../model/pools.js';
import type { Snapshot } from '../snapshot/types.js';

/** The Cognito identity pool reads: the pool, its roles and role mappings, its principal tag maps. */
export class IdentityPoolReads {
  constructor(
    private readonly reads: Reads,
    private readonly clients: Clients,
  ) {}

  describeIdentityPool(identityPoolId: string) {
    const client = this.clients.cognitoIdentity(regionOfPoolId(identityPoolId));
    return this.reads.read('cognito-identity:DescribeIdentityPool', identityPoolId, () =>
      client.send(new aws.DescribeIdentityPoolCommand({ IdentityPoolId: identityPoolId })),
    );
  }

  /** The app client ids the identity pool lists as providers; none when the pool cannot be read. */
  async providerClientIds(identityPoolId: string): Promise<string[]> {
    const identityPool = await this.describeIdentityPool(identityPoolId);
    return identityPool.ok ? (identityPool.value.CognitoIdentityProviders ?? []).map((p) => p.ClientId ?? '').filter(Boolean) : [];
  }

  identityPoolRoles(identityPoolId: string) {
    const client = this.clients.cognitoIdentity(regionOfPoolId(identityPoolId));
    return this.reads.read('cognito-identity:GetIdentityPoolRoles', identityPoolId, () =>
      client.send(new aws.GetIdentityPoolRolesCommand({ IdentityPoolId: identityPoolId })),
    );
  }

  async readIdentityPool(snapshot: Snapshot, identityPoolId: string | undefined, userPoolId: string | undefined, keep: Keep): Promise<void> {
    if (!identityPoolId) return;
    const [pool, roles, tags] = await Promise.all([
      this.describeIdentityPool(identityPoolId),
      this.identityPoolRoles(identityPoolId),
      userPoolId ? this.principalTagMap(identityPoolId, providerNameOf(userPoolId)) : Promise.resolve(undefined),
    ]);
    const identityPool = keep(pool);
    if (!identityPool) return;
    const { $metadata: _pool, ...poolFields } = identityPool;
    snapshot.identityPool = poolFields;
    const poolRoles = keep(roles);
    if (poolRoles) {
      const { $metadata: _roles, ...roleFields } = poolRoles;
      snapshot.identityPoolRoles = roleFields;
    }
    const maps = tags ? keep(tags) : undefined;
    if (maps) snapshot.principalTagAttributeMaps = maps;
  }

  /**
   * "Attributes for access control" of the OpenSearch provider. The pool is known to exist when
   * this is kept, so ResourceNotFoundException means no map was ever set for the provider: none.
   */
  private principalTagMap(identityPoolId: string, provider: string) {
    const client = this.clients.cognitoIdentity(regionOfPoolId(identityPoolId));
    return this.reads.read(
      'cognito-identity:GetPrincipalTagAttributeMap',
      identityPoolId,
      async (): Promise<Array<Omit<GetPrincipalTagAttributeMapResponse, '$metadata'>>> => {
        try {
          const { $metadata: _metadata, ...map } = await client.send(
            new aws.GetPrincipalTagAttributeMapCommand({ IdentityPoolId: identityPoolId, IdentityProviderName: provider }),
          );
          return [map];
        } catch (error) {
          if ((error as Error).name === 'ResourceNotFoundException') return [];
          throw error;
        }
      },
      `cognito-identity:GetPrincipalTagAttributeMap ${identityPoolId} ${provider}`,
    );
  }
}
