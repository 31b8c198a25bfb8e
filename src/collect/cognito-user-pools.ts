import type { DescribeUserPoolClientResponse } from '@aws-sdk/client-cognito-identity-provider';
import * as aws from './aws.js';
import type { Clients } from './clients.js';
import { PAGE_SIZE, allPages } from './pages.js';
import { keeperOf, type Keep, type Reads, type Result } from './reads.js';
import { sortKeys } from './sort.js';
import { clientNameRegions, findDomainClient } from '../model/client.js';
import { compareText } from '../util/order.js';
import { regionOfPoolId } from '../model/pools.js';
import { redactDeep } from '../redact.js';
import type { ClientReads } from '../engine/client-context.js';
import type { GroupType, ManagedLoginBranding, ReadError, Snapshot } from '../snapshot/types.js';
import type { UserRead } from '../trace/types.js';

/** What a user pool's snapshot part takes from other services' reads, started where the pool's own reads start. */
export interface UserPoolRelated {
  /** The web ACL read (WAF), kept only when the pool could be read. */
  webAcl: () => Promise<Result<Snapshot['userPoolWebAcl']>> | undefined;
  /** The app clients the identity pool lists, which tell the OpenSearch client apart. */
  identityPoolClientIds: () => Promise<string[]>;
}

/** The Cognito user pool reads: the pool, its app clients, groups, identity providers, domain and branding, a user. */
export class UserPoolReads {
  constructor(
    private readonly reads: Reads,
    private readonly clients: Clients,
  ) {}

  private idp(userPoolId: string) {
    return this.clients.cognitoIdp(regionOfPoolId(userPoolId));
  }

  private describeUserPool(userPoolId: string) {
    const client = this.idp(userPoolId);
    return this.reads.read('cognito-idp:DescribeUserPool', userPoolId, () => client.send(new aws.DescribeUserPoolCommand({ UserPoolId: userPoolId })));
  }

  private describeUserPoolDomain(userPoolId: string, domain: string) {
    const client = this.idp(userPoolId);
    return this.reads.read('cognito-idp:DescribeUserPoolDomain', domain, () => client.send(new aws.DescribeUserPoolDomainCommand({ Domain: domain })));
  }

  private describeClient(userPoolId: string, clientId: string) {
    const client = this.idp(userPoolId);
    return this.reads.read('cognito-idp:DescribeUserPoolClient', `${userPoolId}/${clientId}`, () =>
      client.send(new aws.DescribeUserPoolClientCommand({ UserPoolId: userPoolId, ClientId: clientId })),
    );
  }

  async readUserPool(snapshot: Snapshot, userPoolId: string | undefined, keep: Keep, related: UserPoolRelated): Promise<void> {
    if (!userPoolId) return;
    // The pool, its clients, groups and identity providers are requested together; what depends
    // on the pool is kept only when the pool itself could be read.
    const describePool = this.describeUserPool(userPoolId);
    // The hosted-UI domain is named by the pool: read it as soon as the pool is known.
    const describeDomain = describePool.then((pool) => {
      const prefix = pool.ok ? (pool.value.UserPool?.CustomDomain ?? pool.value.UserPool?.Domain) : undefined;
      return prefix ? this.describeUserPoolDomain(userPoolId, prefix) : undefined;
    });
    const clientsRead = this.describeClients(userPoolId);
    // Managed login (version 2) needs a branding style on the OpenSearch client: read it once the
    // domain description and the clients are known, beside that level's other reads.
    const branding = Promise.all([describeDomain, clientsRead]).then(([domain, clients]) =>
      domain?.ok && domain.value.DomainDescription?.ManagedLoginVersion === 2
        ? this.openSearchClientBranding(snapshot, userPoolId, clients, related.identityPoolClientIds)
        : undefined,
    );
    const [pool, clients, groups, providers, domain, webAcl, style] = await Promise.all([
      describePool,
      clientsRead,
      this.listGroups(userPoolId),
      this.listIdentityProviders(userPoolId),
      describeDomain,
      related.webAcl(),
      branding,
    ]);
    const userPool = keep(pool)?.UserPool;
    if (!userPool) return;
    snapshot.userPool = userPool;
    const [clientIds, describedClients] = clients;
    if (keep(clientIds)) {
      snapshot.userPoolClients = describedClients.flatMap((result) => {
        const described = keep(result)?.UserPoolClient;
        return described ? [described] : [];
      });
    }
    const groupList = keep(groups);
    if (groupList) snapshot.userPoolGroups = groupList;
    const providerList = keep(providers);
    if (providerList) snapshot.identityProviders = providerList;
    const description = domain ? keep(domain)?.DomainDescription : undefined;
    if (description) snapshot.userPoolDomain = description;
    if (webAcl) {
      const acl = keep(webAcl);
      if (acl !== undefined) snapshot.userPoolWebAcl = acl;
    }
    if (style) {
      const list = keep(style);
      if (list) snapshot.managedLoginBranding = list;
    }
  }

  /**
   * The branding style of the OpenSearch app client (decision rule 6). ResourceNotFoundException
   * means the client has none: an empty list, not a failed read. Asset bytes (images) are left out.
   */
  private async openSearchClientBranding(
    snapshot: Snapshot,
    userPoolId: string,
    [ids, described]: [Result<string[]>, Array<Result<DescribeUserPoolClientResponse>>],
    identityPoolClientIdsOf: () => Promise<string[]>,
  ): Promise<Result<ManagedLoginBranding[]> | undefined> {
    if (!ids.ok) return undefined;
    const clients = described.flatMap((r) => (r.ok && r.value.UserPoolClient ? [r.value.UserPoolClient] : []));
    const identityPoolClientIds = await identityPoolClientIdsOf();
    const client = findDomainClient(snapshot.domain, clients, { regions: clientNameRegions(snapshot), identityPoolClientIds })?.client;
    const clientId = client?.ClientId;
    if (!clientId) return undefined; // no OpenSearch client: opensearch-app-client reports it
    const idp = this.idp(userPoolId);
    return this.reads.read('cognito-idp:DescribeManagedLoginBrandingByClient', `${userPoolId}/${clientId}`, async () => {
      try {
        const { ManagedLoginBranding: style } = await idp.send(
          new aws.DescribeManagedLoginBrandingByClientCommand({ UserPoolId: userPoolId, ClientId: clientId }),
        );
        if (!style) return [];
        const { Assets, ...rest } = style;
        return [{ ...rest, ...(Assets ? { Assets: Assets.map(({ Bytes: _bytes, ...asset }) => asset) } : {}) }];
      } catch (error) {
        if ((error as Error).name === 'ResourceNotFoundException') return [];
        throw error;
      }
    });
  }

  private listClientIds(userPoolId: string) {
    const client = this.idp(userPoolId);
    return this.reads.list(
      'cognito-idp:ListUserPoolClients',
      userPoolId,
      () => aws.paginateListUserPoolClients({ client, pageSize: PAGE_SIZE.cognito }, { UserPoolId: userPoolId }),
      (page) => page.UserPoolClients?.map((c) => c.ClientId!),
    );
  }

  private async describeClients(userPoolId: string): Promise<[Result<string[]>, Array<Result<DescribeUserPoolClientResponse>>]> {
    const ids = await this.listClientIds(userPoolId);
    if (!ids.ok) return [ids, []];
    const described = await Promise.all(ids.value.map((ClientId) => this.describeClient(userPoolId, ClientId)));
    return [ids, described];
  }

  listGroups(userPoolId: string) {
    const client = this.idp(userPoolId);
    return this.reads.list(
      'cognito-idp:ListGroups',
      userPoolId,
      () => aws.paginateListGroups({ client, pageSize: PAGE_SIZE.cognito }, { UserPoolId: userPoolId }),
      (page) => page.Groups,
    );
  }

  private listIdentityProviders(userPoolId: string) {
    const client = this.idp(userPoolId);
    const operation = 'cognito-idp:ListIdentityProviders';
    return this.reads.read(operation, userPoolId, async () => {
      const pages = await allPages(operation, aws.paginateListIdentityProviders({ client, pageSize: PAGE_SIZE.cognito }, { UserPoolId: userPoolId }));
      const names = pages.flatMap((page) => (page.Providers ?? []).map((p) => p.ProviderName!));
      const described = await Promise.all(
        names.map((ProviderName) => client.send(new aws.DescribeIdentityProviderCommand({ UserPoolId: userPoolId, ProviderName }))),
      );
      return described.flatMap((d) => (d.IdentityProvider ? [d.IdentityProvider] : []));
    });
  }

  /**
   * One app client for `cogdoctor client`: the pool, the client, each domain the pool names and,
   * when asked, the pool's identity providers. Failed reads are recorded, not thrown; secrets redacted.
   */
  async appClient(userPoolId: string, clientId: string, options: { identityProviders: boolean }): Promise<ClientReads> {
    const errors: ReadError[] = [];
    const keep = keeperOf(errors);
    const describePool = this.describeUserPool(userPoolId);
    const domains = describePool.then((pool) => {
      const names = pool.ok ? [pool.value.UserPool?.CustomDomain, pool.value.UserPool?.Domain].filter((d): d is string => Boolean(d)) : [];
      return Promise.all(names.map(async (name) => ({ name, result: await this.describeUserPoolDomain(userPoolId, name) })));
    });
    const [pool, client, described, providers] = await Promise.all([
      describePool,
      this.describeClient(userPoolId, clientId),
      domains,
      options.identityProviders ? this.listIdentityProviders(userPoolId) : Promise.resolve(undefined),
    ]);
    const userPool = keep(pool)?.UserPool;
    const userPoolClient = keep(client)?.UserPoolClient;
    // An empty description means the domain does not exist: it keeps the name it was asked for.
    const descriptions = described.flatMap(({ name, result }) => {
      const description = keep(result)?.DomainDescription;
      return description ? [{ ...description, Domain: description.Domain ?? name }] : [];
    });
    const identityProviders = providers ? keep(providers) : undefined;
    const accountId = userPool?.Arn?.split(':')[4];
    const reads: ClientReads = {
      userPoolId,
      clientId,
      ...(accountId ? { accountId } : {}),
      ...(userPool ? { userPool } : {}),
      ...(userPoolClient ? { client: userPoolClient } : {}),
      domains: descriptions,
      ...(identityProviders ? { identityProviders } : {}),
      errors: errors.sort((a, b) => compareText(`${a.operation} ${a.resource}`, `${b.operation} ${b.resource}`)),
    };
    return redactDeep(sortKeys(reads) as ClientReads);
  }

  /** One user of a pool and its groups (`cogdoctor trace --user`); a failed read is kept, not thrown. */
  async user(userPoolId: string, username: string): Promise<UserRead> {
    const client = this.idp(userPoolId);
    const resource = `${userPoolId}/${username}`;
    const [user, groups] = await Promise.all([
      this.reads.read('cognito-idp:AdminGetUser', resource, () => client.send(new aws.AdminGetUserCommand({ UserPoolId: userPoolId, Username: username }))),
      this.reads.list(
        'cognito-idp:AdminListGroupsForUser',
        resource,
        () => aws.paginateAdminListGroupsForUser({ client, pageSize: PAGE_SIZE.cognito }, { UserPoolId: userPoolId, Username: username }),
        (page): GroupType[] | undefined => page.Groups,
      ),
    ]);
    const read: UserRead = { username, userPoolId };
    if (user.ok) {
      const { Username, UserStatus, Enabled, UserCreateDate, UserLastModifiedDate, UserAttributes } = user.value;
      read.user = {
        ...(Username !== undefined ? { Username } : {}),
        ...(UserStatus !== undefined ? { UserStatus } : {}),
        ...(Enabled !== undefined ? { Enabled } : {}),
        ...(UserCreateDate ? { UserCreateDate: UserCreateDate.toISOString() } : {}),
        ...(UserLastModifiedDate ? { UserLastModifiedDate: UserLastModifiedDate.toISOString() } : {}),
        ...(UserAttributes ? { UserAttributes } : {}),
      };
    } else read.userError = user.error;
    if (groups.ok) read.groups = groups.value.map(({ GroupName, RoleArn, Precedence }) => ({ GroupName, RoleArn, Precedence }));
    else read.groupsError = groups.error;
    return read;
  }
}
