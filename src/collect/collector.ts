import type { RoleMapping } from '@aws-sdk/client-cognito-identity';
import { Clients, partitionOfRegion, type ClientSettings } from './clients.js';
import { IdentityPoolReads } from './cognito-identity-pools.js';
import { UserPoolReads } from './cognito-user-pools.js';
import { IamReads } from './iam.js';
import { DomainUnreadable, OpenSearchReads } from './opensearch.js';
import { Reads, keeperOf, sleep, type Keep, type ReadSettings, type Result } from './reads.js';
import { sortSnapshot } from './sort.js';
import { WafReads } from './waf.js';
import { fgacEnabled } from '../model/domain.js';
import { compareText } from '../util/order.js';
import { redactDeep } from '../redact.js';
import type { ClientReads } from '../engine/client-context.js';
import type { Domain, ReadError, Snapshot } from '../snapshot/types.js';
import type { UserRead } from '../trace/types.js';

export { DomainUnreadable } from './opensearch.js';
export { sortSnapshot } from './sort.js';

export interface CollectOptions extends ClientSettings, ReadSettings {
  region: string;
  /** Read the FGAC role mappings from the domain's security plugin. */
  deep: boolean;
  /**
   * The instant to record as the snapshot's capturedAt (tests replay a fixture's, so checks that
   * depend on the date agree). Not set by default: two snapshots of an unchanged account stay identical.
   */
  capturedAt?: string;
  onProgress?: (text: string) => void;
  /**
   * A sweep's collectors of one account (one per Region) share its clients and its IAM reads: IAM is
   * global, so a role two Regions name is read once and paced against the account's one IAM quota.
   */
  account?: { clients: Clients; iamReads: Reads };
}

/** The most the reads off the longest chain wait behind it, whatever the round trip. */
const MAX_SLACK_DELAY_MS = 50;

const byOperationAndResource = (a: ReadError, b: ReadError) => compareText(`${a.operation} ${a.resource}`, `${b.operation} ${b.resource}`);

/**
 * Reads what a snapshot needs as a dependency graph with the shortest critical path:
 * the domain (with the caller identity beside it), then everything the domain names in
 * parallel, then what those name. Every read is made once per run, however many domains share it;
 * each service's reads live in a module of their own, and this class decides when each starts.
 */
export class Collector {
  private readonly clients: Clients;
  private readonly reads: Reads;
  private readonly opensearch: OpenSearchReads;
  private readonly userPools: UserPoolReads;
  private readonly identityPools: IdentityPoolReads;
  private readonly iam: IamReads;
  private readonly waf: WafReads;

  constructor(private readonly options: CollectOptions) {
    this.clients = options.account?.clients ?? new Clients(options);
    this.reads = new Reads(options);
    this.opensearch = new OpenSearchReads(this.reads, this.clients, options);
    this.userPools = new UserPoolReads(this.reads, this.clients);
    this.identityPools = new IdentityPoolReads(this.reads, this.clients);
    this.iam = new IamReads(options.account?.iamReads ?? this.reads, this.clients);
    this.waf = new WafReads(this.reads, this.clients);
  }

  /** Calls actually sent, for benchmarks and tests. */
  get calls(): number {
    return this.reads.calls;
  }

  /** Ends the connections, unless the account's clients are shared (their owner closes them). */
  close(): void {
    if (!this.options.account) this.clients.destroy();
  }

  /** Every domain in the region with Cognito authentication enabled. */
  cognitoDomainNames(): Promise<string[]> {
    return this.opensearch.cognitoDomainNames();
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
    return { domain, snapshot, accountId, errors, keep: keeperOf(errors) };
  }

  async snapshot(domainName: string): Promise<Snapshot> {
    this.options.onProgress?.(`reading domain ${domainName}`);
    const asked = performance.now();
    const reading = this.opensearch.describeDomain(domainName);
    // Once the request is on its way, the idle wait for the answer builds the next level's clients.
    setTimeout(() => void this.clients.prewarm(this.options.region, partitionOfRegion(this.options.region)), 0);
    const described = await reading;
    // Near zero when DescribeDomains (check --all) had already answered it.
    const roundTrip = performance.now() - asked;
    const { domain, snapshot, errors, keep } = this.snapshotOf(described);

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
      const { UserPoolId: userPoolId, IdentityPoolId: identityPoolId } = cognito;
      work.push(
        slack.then(() =>
          this.userPools.readUserPool(snapshot, userPoolId, keep, {
            webAcl: () => (userPoolId ? this.waf.userPoolWebAcl(snapshot, userPoolId) : undefined),
            identityPoolClientIds: () => (identityPoolId ? this.identityPools.providerClientIds(identityPoolId) : Promise.resolve([])),
          }),
        ),
      );
      work.push(slack.then(() => this.identityPools.readIdentityPool(snapshot, identityPoolId, userPoolId, keep)));
      if (cognito.RoleArn) work.push(slack.then(() => this.iam.readAccessRole(snapshot, cognito.RoleArn!, keep)));
    } else {
      Object.assign(snapshot, { userPool: null, userPoolClients: null, userPoolGroups: null, identityPool: null, identityPoolRoles: null });
    }
    if (this.options.deep && fgacEnabled(domain)) work.push(slack.then(() => this.opensearch.readSecurityPlugin(snapshot, keep)));
    await Promise.all(work);

    // A read shared by two paths (a role that is both the service role and a users' role) fails once.
    const unique = [...new Map(errors.map((e) => [`${e.operation} ${e.resource ?? ''} ${e.code}`, e])).values()];
    snapshot.errors = unique.sort(byOperationAndResource);
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
    const described = await this.opensearch.describeDomain(domainName);
    const { domain, snapshot, accountId, errors, keep } = this.snapshotOf(described);
    const work: Array<Promise<void>> = [];
    if (principal && principal.arn.split(':')[4] === accountId) {
      this.options.onProgress?.(`reading ${principal.arn}`);
      work.push(principal.kind === 'role' ? this.iam.readRole(snapshot, principal.arn, keep) : this.iam.readUser(snapshot, principal.arn, keep));
    }
    if (this.options.deep && fgacEnabled(domain)) work.push(this.opensearch.readSecurityPlugin(snapshot, keep));
    await Promise.all(work);
    snapshot.errors = errors.sort(byOperationAndResource);
    return redactDeep(sortSnapshot(snapshot));
  }

  /**
   * Every role the identity pool can hand out, and their permission policies (an identity-policy
   * Deny matters too). Starts as soon as the pool's roles and the groups are known, beside the
   * other reads of that level: the memoized reads are the same ones the user pool's and the
   * identity pool's reads make.
   */
  private async readLoginRoles(snapshot: Snapshot, userPoolId: string | undefined, identityPoolId: string, keep: Keep): Promise<void> {
    const read = (arns: Set<string>) => {
      const list = [...arns].sort();
      return Promise.all([this.iam.readRoles(snapshot, list, keep), this.iam.readRolePolicies(snapshot, list, keep)]);
    };
    // The pool's roles and the groups' roles are read as soon as each list arrives (a role in
    // both is read once), but the groups only count when the pool's roles could be read.
    const roles = this.identityPools.identityPoolRoles(identityPoolId);
    const fromPool = roles.then((result) => {
      if (!result.ok) return;
      const arns = new Set<string>(Object.values(result.value.Roles ?? {}));
      for (const mapping of Object.values(result.value.RoleMappings ?? {}) as RoleMapping[]) {
        for (const rule of mapping.RulesConfiguration?.Rules ?? []) if (rule.RoleARN) arns.add(rule.RoleARN);
      }
      return read(arns);
    });
    const fromGroups = userPoolId
      ? Promise.all([this.userPools.listGroups(userPoolId), roles]).then(([groups, poolRoles]) => {
          if (!groups.ok || !poolRoles.ok) return;
          return read(new Set(groups.value.flatMap((group) => (group.RoleArn ? [group.RoleArn] : []))));
        })
      : undefined;
    await Promise.all([fromPool, fromGroups]);
  }

  /**
   * One app client for `cogdoctor client`: the pool, the client, each domain the pool names and,
   * when asked, the pool's identity providers. Failed reads are recorded, not thrown; secrets redacted.
   */
  appClient(userPoolId: string, clientId: string, options: { identityProviders: boolean }): Promise<ClientReads> {
    return this.userPools.appClient(userPoolId, clientId, options);
  }

  /** One user of a pool and its groups (`cogdoctor trace --user`); a failed read is kept, not thrown. */
  user(userPoolId: string, username: string): Promise<UserRead> {
    return this.userPools.user(userPoolId, username);
  }
}
