import type { GetPrincipalTagAttributeMapResponse, RoleMapping } from '@aws-sdk/client-cognito-identity';
import type { DescribeUserPoolClientResponse } from '@aws-sdk/client-cognito-identity-provider';
import * as aws from './aws.js';
import { Clients, partitionOfRegion, readErrorOf, type ClientSettings } from './clients.js';
import { limiter } from './limit.js';
import { Pacer } from './pacer.js';
import { PAGE_SIZE, allPages } from './pages.js';
import { HttpStatusError, readRolesMapping } from './security-plugin.js';
import { clientNameRegions, findDomainClient } from '../model/client.js';
import { isCognitoAccessManagedPolicy } from '../model/service-role.js';
import { domainArnOf, fgacEnabled, isElasticsearch } from '../model/domain.js';
import { providerNameOf, regionOfPoolId } from '../model/pools.js';
import { redactDeep } from '../redact.js';
import type { Domain, GroupType, ManagedLoginBranding, ReadError, Role, RolePolicies, Snapshot } from '../snapshot/types.js';
import type { UserRead } from '../trace/types.js';
import type { ClientReads } from '../engine/client-context.js';
import { compareText } from '../model/order.js';

export interface CollectOptions extends ClientSettings {
  region: string;
  /** Read the FGAC role mappings from the domain's security plugin. */
  deep: boolean;
  /** Slow a service down when it throttles (default on); off, throttled calls are only retried with backoff. */
  pace?: boolean;
  /** Calls in flight at once, across every domain of the run. */
  concurrency?: number;
  /**
   * The instant to record as the snapshot's capturedAt (tests replay a fixture's, so checks that
   * depend on the date agree). Not set by default: two snapshots of an unchanged account stay identical.
   */
  capturedAt?: string;
  onProgress?: (text: string) => void;
}

/** The domain cannot be read at all: nothing to diagnose. */
export class DomainUnreadable extends Error {
  constructor(readonly error: ReadError) {
    super(`${error.operation} failed on ${error.resource} (${error.code})${error.message ? `: ${error.message}` : ''}`);
  }
}

type Result<T> = { ok: true; value: T } | { ok: false; error: ReadError };

/**
 * Reads what a snapshot needs as a dependency graph with the shortest critical path:
 * the domain (with the caller identity beside it), then everything the domain names in
 * parallel, then what those name. Every read is made once per run, however many domains share it.
 */
export class Collector {
  private readonly clients: Clients;
  private readonly memo = new Map<string, Promise<Result<unknown>>>();
  private readonly limit;
  private readonly pacers = new Map<string, Pacer>();
  /** Calls actually sent, for benchmarks and tests. */
  calls = 0;

  constructor(private readonly options: CollectOptions) {
    this.clients = new Clients(options);
    this.limit = limiter(options.concurrency ?? 16);
  }

  close(): void {
    this.clients.destroy();
  }

  private pacer(operation: string): Pacer {
    const service = operation.slice(0, operation.indexOf(':'));
    let pacer = this.pacers.get(service);
    if (!pacer) this.pacers.set(service, (pacer = new Pacer()));
    return pacer;
  }

  /**
   * One read, made once per run. Retries live here rather than in the SDK so that throttling
   * slows the whole service down (the pacer) instead of each call backing off on its own.
   * `resource` is what a failure records; `key` tells reads apart when the resource alone does not.
   */
  private read<T>(operation: string, resource: string | undefined, send: () => Promise<T>, key = `${operation} ${resource ?? ''}`): Promise<Result<T>> {
    let pending = this.memo.get(key) as Promise<Result<T>> | undefined;
    if (!pending) {
      pending = this.attempt(operation, resource, send);
      this.memo.set(key, pending);
    }
    return pending;
  }

  private async attempt<T>(operation: string, resource: string | undefined, send: () => Promise<T>): Promise<Result<T>> {
    const pacer = this.pacer(operation);
    const maxAttempts = this.options.maxAttempts ?? 3;
    const baseDelay = this.options.retryDelayMs ?? 100;
    let failures = 0;
    let throttles = 0;
    for (;;) {
      await pacer.slot();
      try {
        const value = await this.limit(() => {
          this.calls++;
          return send();
        });
        pacer.succeeded();
        return { ok: true, value };
      } catch (error) {
        if ((error as Error).name === 'ReadOnlyViolation') throw error;
        const kind = retryKind(error);
        if (kind === 'throttled') {
          // Paced retries of a throttled call are not failures of the call; they are bounded all the same.
          if (this.options.pace === false) await sleep(Math.random() * baseDelay * 2 ** Math.min(throttles, 6));
          else pacer.throttled();
          if (++throttles < MAX_THROTTLED_RETRIES) continue;
        } else if (kind === 'transient' && ++failures < maxAttempts) {
          await sleep(Math.random() * baseDelay * 2 ** failures);
          continue;
        }
        return { ok: false, error: readErrorOf(operation, resource, error) };
      }
    }
  }

  /** Every domain in the region with Cognito authentication enabled. */
  async cognitoDomainNames(): Promise<string[]> {
    const client = this.clients.opensearch(this.options.region);
    const listed = await this.read('es:ListDomainNames', this.options.region, () => client.send(new aws.ListDomainNamesCommand({})));
    if (!listed.ok) throw new DomainUnreadable(listed.error);
    const names = (listed.value.DomainNames ?? []).map((d) => d.DomainName!).filter(Boolean).sort();
    const batches: string[][] = [];
    for (let i = 0; i < names.length; i += 5) batches.push(names.slice(i, i + 5));
    const enabled: string[] = [];
    await Promise.all(
      batches.map(async (batch) => {
        const described = await this.read('es:DescribeDomains', batch.join(','), () => client.send(new aws.DescribeDomainsCommand({ DomainNames: batch })));
        if (!described.ok) throw new DomainUnreadable(described.error);
        for (const status of described.value.DomainStatusList ?? []) {
          // DescribeDomains already returned what DescribeDomain would: no second read per domain.
          this.memo.set(`es:DescribeDomain ${status.DomainName}`, Promise.resolve({ ok: true, value: { DomainStatus: status } }));
          if (status.CognitoOptions?.Enabled) enabled.push(status.DomainName!);
        }
      }),
    );
    return enabled.sort();
  }

  private describeDomain(name: string) {
    const client = this.clients.opensearch(this.options.region);
    return this.read('es:DescribeDomain', name, () => client.send(new aws.DescribeDomainCommand({ DomainName: name })));
  }

  /** The snapshot a read domain starts, and the `keep` that records each failed read in its errors. */
  private snapshotOf(described: Result<{ DomainStatus?: unknown }>) {
    if (!described.ok) throw new DomainUnreadable(described.error);
    const domain = described.value.DomainStatus as Domain;
    const snapshot: Snapshot = { schema: 'cogdoctor/snapshot/v1', region: this.options.region, domain };
    if (this.options.capturedAt) snapshot.capturedAt = this.options.capturedAt;
    // The domain ARN names the account, so no sts:GetCallerIdentity round trip is needed.
    const accountId = domain.ARN?.split(':')[4];
    if (accountId) snapshot.accountId = accountId;
    const errors: ReadError[] = [];
    const keep = <T>(result: Result<T>): T | undefined => {
      if (result.ok) return result.value;
      errors.push(result.error);
      return undefined;
    };
    return { domain, snapshot, accountId, errors, keep };
  }

  async snapshot(domainName: string): Promise<Snapshot> {
    this.options.onProgress?.(`reading domain ${domainName}`);
    const asked = performance.now();
    const reading = this.describeDomain(domainName);
    // Once the request is on its way, the idle wait for the answer builds the next level's clients.
    setTimeout(() => void this.clients.prewarm(this.options.region, partitionOfRegion(this.options.region)), 0);
    const described = await reading;
    // Near zero when DescribeDomains (check --all) had already answered it.
    const roundTrip = performance.now() - asked;
    const { domain, snapshot, accountId, errors, keep } = this.snapshotOf(described);

    const cognito = domain.CognitoOptions;
    const work: Array<Promise<void>> = [];
    // The login roles lead the longest chain (pool roles and groups → each role and its policy
    // lists → the policy documents) and go out first. The other reads have a level or more of
    // slack and follow a tenth of a round trip later: answers that all arrive at once are handled
    // one after another, and the chain's next reads (each on a new connection, whose connect
    // event queues behind them) would otherwise wait for a dozen others to be parsed.
    const loginRoles = cognito?.Enabled && cognito.IdentityPoolId ? this.readLoginRoles(snapshot, cognito.UserPoolId, cognito.IdentityPoolId, keep) : undefined;
    const slack = loginRoles ? sleep(Math.min(roundTrip / 10, MAX_SLACK_DELAY_MS)) : Promise.resolve();
    if (loginRoles) work.push(loginRoles);
    if (cognito?.Enabled) {
      this.options.onProgress?.(`reading Cognito pools and roles of ${domainName}`);
      work.push(slack.then(() => this.readUserPool(snapshot, cognito.UserPoolId, keep)));
      work.push(slack.then(() => this.readIdentityPool(snapshot, cognito.IdentityPoolId, cognito.UserPoolId, keep)));
      if (cognito.RoleArn) work.push(slack.then(() => this.readAccessRole(snapshot, cognito.RoleArn!, keep)));
    } else {
      Object.assign(snapshot, { userPool: null, userPoolClients: null, userPoolGroups: null, identityPool: null, identityPoolRoles: null });
    }
    if (this.options.deep && fgacEnabled(domain)) work.push(slack.then(() => this.readSecurityPlugin(snapshot, keep)));
    await Promise.all(work);

    // A read shared by two paths (a role that is both the service role and a users' role) fails once.
    const unique = [...new Map(errors.map((e) => [`${e.operation} ${e.resource ?? ''} ${e.code}`, e])).values()];
    snapshot.errors = unique.sort((a, b) => compareText(`${a.operation} ${a.resource}`, `${b.operation} ${b.resource}`));
    // Sorting first turns the SDK's Dates and byte arrays into JSON values that redaction copies faithfully.
    return redactDeep(sortSnapshot(snapshot));
  }

  /**
   * What `cogdoctor access` reads: the domain, the principal (a role with its policies and
   * boundary, or a user with its policies, boundary and groups' policies) and, with --deep and
   * FGAC on, the role mappings. A principal of another account is not read: IAM names roles and
   * users within the caller's account.
   */
  async accessSnapshot(domainName: string, principal: { kind: 'role' | 'user'; arn: string } | undefined): Promise<Snapshot> {
    this.options.onProgress?.(`reading domain ${domainName}`);
    const described = await this.describeDomain(domainName);
    const { domain, snapshot, accountId, errors, keep } = this.snapshotOf(described);
    const work: Array<Promise<void>> = [];
    if (principal && principal.arn.split(':')[4] === accountId) {
      this.options.onProgress?.(`reading ${principal.arn}`);
      if (principal.kind === 'role') {
        work.push(
          (async () => {
            const [, policies] = await Promise.all([this.readRoles(snapshot, [principal.arn], keep), this.rolePolicies(principal.arn, keep)]);
            const arn = snapshot.roles?.[0]?.Arn ?? principal.arn;
            if (policies) snapshot.rolePolicies = { [arn]: policies };
          })(),
        );
      } else work.push(this.readUser(snapshot, principal.arn, keep));
    }
    if (this.options.deep && fgacEnabled(domain)) work.push(this.readSecurityPlugin(snapshot, keep));
    await Promise.all(work);
    snapshot.errors = errors.sort((a, b) => compareText(`${a.operation} ${a.resource}`, `${b.operation} ${b.resource}`));
    return redactDeep(sortSnapshot(snapshot));
  }

  /** Every item of a paginated list (an SDK paginator), as one read: a list that never ends fails it. */
  private list<Page extends { NextToken?: string; Marker?: string; IsTruncated?: boolean }, T>(
    operation: string,
    resource: string,
    pages: () => AsyncIterable<Page>,
    items: (page: Page) => T[] | undefined,
  ): Promise<Result<T[]>> {
    return this.read(operation, resource, async () => (await allPages(operation, pages())).flatMap((page) => items(page) ?? []));
  }

  /** An IAM user, its attached and inline policies, its boundary and its groups' policies; kept only when all could be read. */
  private async readUser(snapshot: Snapshot, arn: string, keep: <T>(r: Result<T>) => T | undefined): Promise<void> {
    const partition = arn.split(':')[1] ?? 'aws';
    const iam = this.clients.iam(partition);
    const UserName = arn.slice(arn.lastIndexOf('/') + 1);
    const [user, attached, inline, groups] = await Promise.all([
      this.read('iam:GetUser', arn, () => iam.send(new aws.GetUserCommand({ UserName }))),
      this.list('iam:ListAttachedUserPolicies', arn, () => aws.paginateListAttachedUserPolicies({ client: iam, pageSize: PAGE_SIZE.iam }, { UserName }), (p) => p.AttachedPolicies),
      this.list('iam:ListUserPolicies', arn, () => aws.paginateListUserPolicies({ client: iam, pageSize: PAGE_SIZE.iam }, { UserName }), (p) => p.PolicyNames),
      this.list('iam:ListGroupsForUser', arn, () => aws.paginateListGroupsForUser({ client: iam, pageSize: PAGE_SIZE.iam }, { UserName }), (p) => p.Groups),
    ]);
    const found = keep(user)?.User;
    if (!found) return;
    snapshot.iamUsers = [found];
    const attachedList = keep(attached);
    const inlineNames = keep(inline);
    const groupList = keep(groups);
    if (!attachedList || !inlineNames || !groupList) return;
    const boundaryArn = found.PermissionsBoundary?.PermissionsBoundaryArn;
    const [boundary, documents, inlineDocuments, groupPolicies] = await Promise.all([
      boundaryArn ? this.managedPolicyDocument(partition, boundaryArn, keep) : Promise.resolve(undefined),
      Promise.all(attachedList.map((p) => this.managedPolicyDocument(partition, p.PolicyArn!, keep))),
      Promise.all(inlineNames.map(async (PolicyName) => keep(await this.read('iam:GetUserPolicy', `${arn}/${PolicyName}`, () => iam.send(new aws.GetUserPolicyCommand({ UserName, PolicyName })))))),
      Promise.all(groupList.map((group) => this.groupPolicies(partition, group.GroupName!, group.Arn ?? group.GroupName!, keep))),
    ]);
    if (documents.includes(undefined) || inlineDocuments.includes(undefined) || groupPolicies.includes(undefined) || (boundaryArn && boundary === undefined)) return;
    snapshot.userPolicies = {
      [found.Arn ?? arn]: {
        ...(boundaryArn ? { boundary: { PolicyArn: boundaryArn, Document: boundary } } : {}),
        attached: attachedList.map((p, i) => ({ PolicyArn: p.PolicyArn, PolicyName: p.PolicyName, Document: documents[i] })),
        inline: inlineDocuments.map((p) => ({ PolicyName: p!.PolicyName, PolicyDocument: p!.PolicyDocument })),
        groups: groupPolicies.map((g) => g!),
      },
    };
  }

  private async groupPolicies(partition: string, GroupName: string, groupArn: string, keep: <T>(r: Result<T>) => T | undefined) {
    const iam = this.clients.iam(partition);
    const [attached, inline] = await Promise.all([
      this.list('iam:ListAttachedGroupPolicies', groupArn, () => aws.paginateListAttachedGroupPolicies({ client: iam, pageSize: PAGE_SIZE.iam }, { GroupName }), (p) => p.AttachedPolicies),
      this.list('iam:ListGroupPolicies', groupArn, () => aws.paginateListGroupPolicies({ client: iam, pageSize: PAGE_SIZE.iam }, { GroupName }), (p) => p.PolicyNames),
    ]);
    const attachedList = keep(attached);
    const inlineNames = keep(inline);
    if (!attachedList || !inlineNames) return undefined;
    const [documents, inlineDocuments] = await Promise.all([
      Promise.all(attachedList.map((p) => this.managedPolicyDocument(partition, p.PolicyArn!, keep))),
      Promise.all(inlineNames.map(async (PolicyName) => keep(await this.read('iam:GetGroupPolicy', `${groupArn}/${PolicyName}`, () => iam.send(new aws.GetGroupPolicyCommand({ GroupName, PolicyName })))))),
    ]);
    if (documents.includes(undefined) || inlineDocuments.includes(undefined)) return undefined;
    return {
      GroupName,
      Arn: groupArn,
      attached: attachedList.map((p, i) => ({ PolicyArn: p.PolicyArn, PolicyName: p.PolicyName, Document: documents[i] })),
      inline: inlineDocuments.map((p) => ({ PolicyName: p!.PolicyName, PolicyDocument: p!.PolicyDocument })),
    };
  }

  private async readUserPool(snapshot: Snapshot, userPoolId: string | undefined, keep: <T>(r: Result<T>) => T | undefined): Promise<void> {
    if (!userPoolId) return;
    const client = this.clients.cognitoIdp(regionOfPoolId(userPoolId));
    // The pool, its clients, groups and identity providers are requested together; what depends
    // on the pool is kept only when the pool itself could be read.
    const describePool = this.read('cognito-idp:DescribeUserPool', userPoolId, () => client.send(new aws.DescribeUserPoolCommand({ UserPoolId: userPoolId })));
    // The hosted-UI domain is named by the pool: read it as soon as the pool is known.
    const describeDomain = describePool.then((pool) => {
      const prefix = pool.ok ? (pool.value.UserPool?.CustomDomain ?? pool.value.UserPool?.Domain) : undefined;
      return prefix ? this.read('cognito-idp:DescribeUserPoolDomain', prefix, () => client.send(new aws.DescribeUserPoolDomainCommand({ Domain: prefix }))) : undefined;
    });
    const clientsRead = this.describeClients(userPoolId);
    // Managed login (version 2) needs a branding style on the OpenSearch client: read it once the
    // domain description and the clients are known, beside that level's other reads.
    const branding = Promise.all([describeDomain, clientsRead]).then(([domain, clients]) =>
      domain?.ok && domain.value.DomainDescription?.ManagedLoginVersion === 2 ? this.openSearchClientBranding(snapshot, userPoolId, clients) : undefined,
    );
    const [pool, clients, groups, providers, domain, webAcl, style] = await Promise.all([
      describePool,
      clientsRead,
      this.listGroups(userPoolId),
      this.listIdentityProviders(userPoolId),
      describeDomain,
      this.userPoolWebAcl(snapshot, userPoolId),
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

  /** The web ACL associated with the user pool (a regional WAF resource in the pool's Region), null when none. */
  private userPoolWebAcl(snapshot: Snapshot, userPoolId: string) {
    const region = regionOfPoolId(userPoolId);
    const account = snapshot.accountId;
    if (!account) return undefined;
    const partition = snapshot.domain.ARN?.split(':')[1] ?? 'aws';
    const arn = `arn:${partition}:cognito-idp:${region}:${account}:userpool/${userPoolId}`;
    const waf = this.clients.wafv2(region);
    return this.read('wafv2:GetWebACLForResource', arn, async () => (await waf.send(new aws.GetWebACLForResourceCommand({ ResourceArn: arn }))).WebACL ?? null);
  }

  /**
   * The branding style of the OpenSearch app client (decision rule 6). ResourceNotFoundException
   * means the client has none: an empty list, not a failed read. Asset bytes (images) are left out.
   */
  private async openSearchClientBranding(
    snapshot: Snapshot,
    userPoolId: string,
    [ids, described]: [Result<string[]>, Array<Result<DescribeUserPoolClientResponse>>],
  ): Promise<Result<ManagedLoginBranding[]> | undefined> {
    if (!ids.ok) return undefined;
    const clients = described.flatMap((r) => (r.ok && r.value.UserPoolClient ? [r.value.UserPoolClient] : []));
    const identityPoolId = snapshot.domain.CognitoOptions?.IdentityPoolId;
    const identityPool = identityPoolId ? await this.describeIdentityPool(identityPoolId) : undefined;
    const identityPoolClientIds = identityPool?.ok ? (identityPool.value.CognitoIdentityProviders ?? []).map((p) => p.ClientId ?? '').filter(Boolean) : [];
    const client = findDomainClient(snapshot.domain, clients, { regions: clientNameRegions(snapshot), identityPoolClientIds })?.client;
    const clientId = client?.ClientId;
    if (!clientId) return undefined; // no OpenSearch client: opensearch-app-client reports it
    const idp = this.clients.cognitoIdp(regionOfPoolId(userPoolId));
    return this.read('cognito-idp:DescribeManagedLoginBrandingByClient', `${userPoolId}/${clientId}`, async () => {
      try {
        const { ManagedLoginBranding: style } = await idp.send(new aws.DescribeManagedLoginBrandingByClientCommand({ UserPoolId: userPoolId, ClientId: clientId }));
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
    const client = this.clients.cognitoIdp(regionOfPoolId(userPoolId));
    return this.list(
      'cognito-idp:ListUserPoolClients',
      userPoolId,
      () => aws.paginateListUserPoolClients({ client, pageSize: PAGE_SIZE.cognito }, { UserPoolId: userPoolId }),
      (page) => page.UserPoolClients?.map((c) => c.ClientId!),
    );
  }

  private async describeClients(userPoolId: string): Promise<[Result<string[]>, Array<Result<DescribeUserPoolClientResponse>>]> {
    const client = this.clients.cognitoIdp(regionOfPoolId(userPoolId));
    const ids = await this.listClientIds(userPoolId);
    if (!ids.ok) return [ids, []];
    const described = await Promise.all(
      ids.value.map((ClientId) =>
        this.read('cognito-idp:DescribeUserPoolClient', `${userPoolId}/${ClientId}`, () =>
          client.send(new aws.DescribeUserPoolClientCommand({ UserPoolId: userPoolId, ClientId })),
        ),
      ),
    );
    return [ids, described];
  }

  private listGroups(userPoolId: string) {
    const client = this.clients.cognitoIdp(regionOfPoolId(userPoolId));
    return this.list('cognito-idp:ListGroups', userPoolId, () => aws.paginateListGroups({ client, pageSize: PAGE_SIZE.cognito }, { UserPoolId: userPoolId }), (page) => page.Groups);
  }

  private listIdentityProviders(userPoolId: string) {
    const client = this.clients.cognitoIdp(regionOfPoolId(userPoolId));
    const operation = 'cognito-idp:ListIdentityProviders';
    return this.read(operation, userPoolId, async () => {
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
    const idp = this.clients.cognitoIdp(regionOfPoolId(userPoolId));
    const errors: ReadError[] = [];
    const keep = <T>(result: Result<T>): T | undefined => {
      if (result.ok) return result.value;
      errors.push(result.error);
      return undefined;
    };
    const describePool = this.read('cognito-idp:DescribeUserPool', userPoolId, () => idp.send(new aws.DescribeUserPoolCommand({ UserPoolId: userPoolId })));
    const domains = describePool.then((pool) => {
      const names = pool.ok ? [pool.value.UserPool?.CustomDomain, pool.value.UserPool?.Domain].filter((d): d is string => Boolean(d)) : [];
      return Promise.all(
        names.map(async (name) => ({ name, result: await this.read('cognito-idp:DescribeUserPoolDomain', name, () => idp.send(new aws.DescribeUserPoolDomainCommand({ Domain: name }))) })),
      );
    });
    const [pool, client, described, providers] = await Promise.all([
      describePool,
      this.read('cognito-idp:DescribeUserPoolClient', `${userPoolId}/${clientId}`, () => idp.send(new aws.DescribeUserPoolClientCommand({ UserPoolId: userPoolId, ClientId: clientId }))),
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
    const client = this.clients.cognitoIdp(regionOfPoolId(userPoolId));
    const resource = `${userPoolId}/${username}`;
    const [user, groups] = await Promise.all([
      this.read('cognito-idp:AdminGetUser', resource, () => client.send(new aws.AdminGetUserCommand({ UserPoolId: userPoolId, Username: username }))),
      this.list(
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

  private describeIdentityPool(identityPoolId: string) {
    const client = this.clients.cognitoIdentity(regionOfPoolId(identityPoolId));
    return this.read('cognito-identity:DescribeIdentityPool', identityPoolId, () => client.send(new aws.DescribeIdentityPoolCommand({ IdentityPoolId: identityPoolId })));
  }

  private async readIdentityPool(
    snapshot: Snapshot,
    identityPoolId: string | undefined,
    userPoolId: string | undefined,
    keep: <T>(r: Result<T>) => T | undefined,
  ): Promise<void> {
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
    return this.read(
      'cognito-identity:GetPrincipalTagAttributeMap',
      identityPoolId,
      async (): Promise<Array<Omit<GetPrincipalTagAttributeMapResponse, '$metadata'>>> => {
        try {
          const { $metadata: _metadata, ...map } = await client.send(new aws.GetPrincipalTagAttributeMapCommand({ IdentityPoolId: identityPoolId, IdentityProviderName: provider }));
          return [map];
        } catch (error) {
          if ((error as Error).name === 'ResourceNotFoundException') return [];
          throw error;
        }
      },
      `cognito-identity:GetPrincipalTagAttributeMap ${identityPoolId} ${provider}`,
    );
  }

  private identityPoolRoles(identityPoolId: string) {
    const client = this.clients.cognitoIdentity(regionOfPoolId(identityPoolId));
    return this.read('cognito-identity:GetIdentityPoolRoles', identityPoolId, () => client.send(new aws.GetIdentityPoolRolesCommand({ IdentityPoolId: identityPoolId })));
  }

  private getRole(arn: string) {
    const partition = arn.split(':')[1] ?? 'aws';
    const name = arn.slice(arn.lastIndexOf('/') + 1);
    return this.read('iam:GetRole', arn, () => this.clients.iam(partition).send(new aws.GetRoleCommand({ RoleName: name })));
  }

  /**
   * CognitoOptions.RoleArn: the role and its permission policies, read together. A role that does
   * not exist has no policies to list: those NoSuchEntity answers repeat GetRole's and are dropped.
   */
  private async readAccessRole(snapshot: Snapshot, arn: string, keep: <T>(r: Result<T>) => T | undefined): Promise<void> {
    const failed: ReadError[] = [];
    const hold = <T>(result: Result<T>): T | undefined => {
      if (result.ok) return result.value;
      failed.push(result.error);
      return undefined;
    };
    const [, policies] = await Promise.all([this.readRoles(snapshot, [arn], keep), this.rolePolicies(arn, hold, true)]);
    const role = await this.getRole(arn);
    const gone = !role.ok && /NoSuchEntity/i.test(role.error.code);
    for (const error of failed) if (!(gone && /NoSuchEntity/i.test(error.code))) keep({ ok: false, error });
    // A role users also get (role confusion) keeps the full documents its other read records.
    if (policies && !snapshot.rolePolicies?.[arn]) (snapshot.rolePolicies ??= {})[arn] = policies;
  }

  private async readRoles(snapshot: Snapshot, arns: string[], keep: <T>(r: Result<T>) => T | undefined): Promise<void> {
    const results = await Promise.all(arns.map((arn) => this.getRole(arn)));
    for (const result of results) {
      const role = keep(result)?.Role;
      if (role && !(snapshot.roles ?? []).some((r) => r.Arn === role.Arn)) (snapshot.roles ??= []).push(role as Role);
    }
  }

  /**
   * Every role the identity pool can hand out, and their permission policies (an identity-policy
   * Deny matters too). Starts as soon as the pool's roles and the groups are known, beside the
   * other reads of that level: the memoized reads are the same ones readUserPool/readIdentityPool make.
   */
  private async readLoginRoles(snapshot: Snapshot, userPoolId: string | undefined, identityPoolId: string, keep: <T>(r: Result<T>) => T | undefined): Promise<void> {
    const read = (arns: Set<string>) => {
      const list = [...arns].sort();
      return Promise.all([this.readRoles(snapshot, list, keep), this.readRolePolicies(snapshot, list, keep)]);
    };
    // The pool's roles and the groups' roles are read as soon as each list arrives (a role in
    // both is read once), but the groups only count when the pool's roles could be read.
    const roles = this.identityPoolRoles(identityPoolId);
    const fromPool = roles.then((result) => {
      if (!result.ok) return;
      const arns = new Set<string>(Object.values(result.value.Roles ?? {}));
      for (const mapping of Object.values(result.value.RoleMappings ?? {}) as RoleMapping[]) {
        for (const rule of mapping.RulesConfiguration?.Rules ?? []) if (rule.RoleARN) arns.add(rule.RoleARN);
      }
      return read(arns);
    });
    const fromGroups = userPoolId
      ? Promise.all([this.listGroups(userPoolId), roles]).then(([groups, poolRoles]) => {
          if (!groups.ok || !poolRoles.ok) return;
          return read(new Set(groups.value.flatMap((group) => (group.RoleArn ? [group.RoleArn] : []))));
        })
      : undefined;
    await Promise.all([fromPool, fromGroups]);
  }

  /**
   * The permission policies of the roles users get: they can grant or deny Dashboards access, and
   * they are what every user holds (auth-role-overprivileged), even where FGAC decides access.
   */
  private async readRolePolicies(snapshot: Snapshot, arns: string[], keep: <T>(r: Result<T>) => T | undefined): Promise<void> {
    const read = await Promise.all(arns.map(async (arn) => [arn, await this.rolePolicies(arn, keep)] as const));
    for (const [arn, policies] of read) if (policies) (snapshot.rolePolicies ??= {})[arn] = policies;
  }

  /**
   * A role's permission policies. With `knownManaged`, the AWS managed Cognito access policy is
   * recorded without its document: its content is known, and not fetching it keeps the service
   * role's reads off the critical path (its two further round trips).
   */
  private async rolePolicies(arn: string, keep: <T>(r: Result<T>) => T | undefined, knownManaged = false): Promise<RolePolicies | undefined> {
    const partition = arn.split(':')[1] ?? 'aws';
    const iam = this.clients.iam(partition);
    const RoleName = arn.slice(arn.lastIndexOf('/') + 1);
    const [attached, inline] = await Promise.all([
      this.list('iam:ListAttachedRolePolicies', arn, () => aws.paginateListAttachedRolePolicies({ client: iam, pageSize: PAGE_SIZE.iam }, { RoleName }), (p) => p.AttachedPolicies),
      this.list('iam:ListRolePolicies', arn, () => aws.paginateListRolePolicies({ client: iam, pageSize: PAGE_SIZE.iam }, { RoleName }), (p) => p.PolicyNames),
    ]);
    // GetRole is the same memoized read that fills `roles`; it names the permissions boundary.
    const role = await this.getRole(arn);
    // A role that does not exist has no policies: the trust checks report it, not failed reads here.
    if (!role.ok && /NoSuchEntity/.test(role.error.code)) return undefined;
    const attachedList = keep(attached);
    const inlineNames = keep(inline);
    if (!attachedList || !inlineNames) return undefined;
    const boundaryArn = role.ok ? role.value.Role?.PermissionsBoundary?.PermissionsBoundaryArn : undefined;
    const [boundary, documents, inlineDocuments] = await Promise.all([
      boundaryArn ? this.managedPolicyDocument(partition, boundaryArn, keep) : Promise.resolve(undefined),
      Promise.all(
        attachedList.map((p) => (knownManaged && isCognitoAccessManagedPolicy(p.PolicyArn) ? Promise.resolve(NOT_READ) : this.managedPolicyDocument(partition, p.PolicyArn!, keep))),
      ),
      Promise.all(
        inlineNames.map(async (PolicyName) => keep(await this.read('iam:GetRolePolicy', `${arn}/${PolicyName}`, () => iam.send(new aws.GetRolePolicyCommand({ RoleName, PolicyName }))))),
      ),
    ]);
    if (documents.includes(undefined) || inlineDocuments.includes(undefined) || (boundaryArn && boundary === undefined)) return undefined;
    return {
      ...(boundaryArn ? { boundary: { PolicyArn: boundaryArn, Document: boundary } } : {}),
      attached: attachedList.map((p, i) => ({ PolicyArn: p.PolicyArn, PolicyName: p.PolicyName, ...(documents[i] === NOT_READ ? {} : { Document: documents[i] }) })),
      inline: inlineDocuments.map((p) => ({ PolicyName: p!.PolicyName, PolicyDocument: p!.PolicyDocument })),
    };
  }

  private async managedPolicyDocument(partition: string, policyArn: string, keep: <T>(r: Result<T>) => T | undefined): Promise<unknown> {
    const iam = this.clients.iam(partition);
    const policy = keep(await this.read('iam:GetPolicy', policyArn, () => iam.send(new aws.GetPolicyCommand({ PolicyArn: policyArn }))));
    const VersionId = policy?.Policy?.DefaultVersionId;
    if (!VersionId) return undefined;
    const version = keep(await this.read('iam:GetPolicyVersion', `${policyArn}/${VersionId}`, () => iam.send(new aws.GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId }))));
    return version?.PolicyVersion?.Document;
  }

  private async readSecurityPlugin(snapshot: Snapshot, keep: <T>(r: Result<T>) => T | undefined): Promise<void> {
    const domain = snapshot.domain;
    const host = domain.Endpoint ?? domain.Endpoints?.['vpc'] ?? Object.values(domain.Endpoints ?? {})[0];
    if (!host) return;
    const apiPrefix = isElasticsearch(domain) ? '_opendistro' : '_plugins';
    const resource = `${domainArnOf(snapshot)}/${apiPrefix}/_security/api/rolesmapping`;
    const signingClient = this.clients.opensearch(this.options.region);
    const endpointUrl = this.options.endpointUrl ?? process.env['AWS_ENDPOINT_URL_ES'] ?? process.env['AWS_ENDPOINT_URL'];
    const result = await this.read('es:ESHttpGet', resource, async () => {
      try {
        return await readRolesMapping({
          host,
          apiPrefix,
          region: this.options.region,
          credentials: () => signingClient.config.credentials(),
          ...(endpointUrl ? { endpointUrl } : {}),
          timeoutMs: this.options.timeoutMs ?? 10_000,
        });
      } catch (error) {
        // Recorded under the HTTP status name (Forbidden, Unauthorized, Timeout), decision rule 14.
        if (error instanceof HttpStatusError) throw Object.assign(new Error(error.message), { name: error.code, status: error.status });
        throw error;
      }
    });
    const mapping = keep(result);
    if (mapping) snapshot.securityPlugin = { rolesMapping: mapping };
  }
}

const MAX_THROTTLED_RETRIES = 12;

/** The most the reads off the longest chain wait behind it, whatever the round trip. */
const MAX_SLACK_DELAY_MS = 50;

/** A managed policy document deliberately not fetched. */
const NOT_READ = Symbol('not read');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Throttling slows the service down; server errors and lost connections are retried with backoff; the rest is final. */
function retryKind(error: unknown): 'throttled' | 'transient' | 'final' {
  const e = error as { name?: string; Code?: string; code?: string; status?: number; $fault?: string; $retryable?: { throttling?: boolean }; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode ?? e.status ?? 0;
  const code = e.Code ?? e.name ?? '';
  if (e.$retryable?.throttling || status === 429 || /Throttl|TooManyRequests|RequestLimitExceeded|SlowDown|LimitExceeded/.test(code)) return 'throttled';
  if (e.$fault === 'server' || status >= 500 || /TimeoutError|ECONNRESET|ECONNREFUSED|EPIPE|NetworkingError/.test(`${code} ${e.code ?? ''}`)) return 'transient';
  return 'final';
}

/** Lists in their natural order and keys sorted, so snapshots diff cleanly in git. */
export function sortSnapshot(snapshot: Snapshot): Snapshot {
  const byKey = <T>(key: (item: T) => string) => (a: T, b: T) => compareText(key(a), key(b));
  snapshot.userPoolClients?.sort(byKey((c) => c.ClientId ?? ''));
  snapshot.userPoolGroups?.sort(byKey((g) => g.GroupName ?? ''));
  snapshot.roles?.sort(byKey((r) => r.Arn ?? ''));
  snapshot.identityProviders?.sort(byKey((p) => p.ProviderName ?? ''));
  snapshot.managedLoginBranding?.sort(byKey((b) => b.ManagedLoginBrandingId ?? ''));
  snapshot.principalTagAttributeMaps?.sort(byKey((m) => `${m.IdentityPoolId ?? ''} ${m.IdentityProviderName ?? ''}`));
  const sorted: Record<string, unknown> = {};
  for (const key of TOP_LEVEL_ORDER) if (snapshot[key] !== undefined) sorted[key] = sortKeys(snapshot[key]);
  for (const key of Object.keys(snapshot).sort()) if (!(key in sorted)) sorted[key] = sortKeys(snapshot[key]);
  return sorted as Snapshot;
}

const TOP_LEVEL_ORDER = ['schema', 'capturedAt', 'region', 'accountId', 'domain', 'userPool', 'userPoolClients', 'userPoolGroups', 'identityPool', 'identityPoolRoles', 'roles', 'rolePolicies', 'securityPlugin', 'userPoolDomain', 'identityProviders', 'managedLoginBranding', 'principalTagAttributeMaps', 'userPoolWebAcl', 'iamUsers', 'userPolicies', 'errors'];

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  // Blobs (a web ACL's byte-match strings) as the AWS CLI prints them: base64.
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (value === null || typeof value !== 'object' || value instanceof Date) return value instanceof Date ? value.toISOString() : value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    if (key === '$metadata') continue;
    sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
  }
  return sorted;
}

