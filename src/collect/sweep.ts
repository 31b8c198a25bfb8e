// A sweep: every Cognito domain of several accounts and Regions in one run. Each account is read
// with its own credentials (a session in its role) and each (account, Region) by its own collector,
// so every service is paced against that account's quota in that Region; IAM, which is global, is
// paced and memoized once per account.
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import * as aws from './aws.js';
import { Clients, partitionOfRegion, readErrorOf, type ClientSettings } from './clients.js';
import { Collector, DomainUnreadable } from './collector.js';
import { limiter } from './limit.js';
import { Reads, type ReadSettings, type ReadStats } from './reads.js';
import { holdCredentials } from '../redact.js';
import { compareText } from '../util/order.js';
import type { ReadError, Snapshot } from '../snapshot/types.js';

/** One Region of a swept account: read, skipped as an opt-in Region the account has not enabled, or not readable. */
export interface SweepRegion {
  region: string;
  status: 'read' | 'not-enabled' | 'unreadable';
  error?: ReadError;
  /** The Cognito-enabled domains read there. */
  domains: string[];
}

/** One swept account: `unreadable` when no session in its role could be had (its domains are unknown). */
export interface SweepAccount {
  accountId: string;
  /** The account's name, from organizations:ListAccounts. */
  name?: string;
  status: 'read' | 'unreadable';
  error?: ReadError;
  regions: SweepRegion[];
}

interface SweepCounts {
  accountsDone: number;
  accountsTotal: number;
  domainsFound: number;
}

/** The sweep's counts and the read counters of the moment. */
export type SweepProgress = SweepCounts & ReadStats;

export interface SweepOptions extends ClientSettings, ReadSettings {
  /** Where the run starts: STS is called in this Region. */
  homeRegion: string;
  deep: boolean;
  /** Account ids, `organization` for every active account of organizations:ListAccounts; absent, the caller's own account. */
  accounts?: string[] | 'organization';
  regions: string[] | 'all';
  /** The role assumed in each account, `{account}` and `{partition}` filled in; absent, the caller's own credentials. */
  roleArn?: string;
  externalId?: string;
  /** A session policy (JSON) the assumed sessions are limited to. */
  sessionPolicy?: string;
  maxAccountsInFlight: number;
  /** The sweep's own session name in each account's CloudTrail. */
  sessionName?: string;
  onSweepProgress?: (progress: SweepProgress) => void;
}

/** The sweep could not start: who the caller is, or which accounts to sweep, could not be read. */
export class SweepUnreadable extends Error {
  constructor(readonly error: ReadError) {
    super(`${error.operation} failed (${error.code})${error.message ? `: ${error.message}` : ''}`);
  }
}

/** The sweep needs a role to read accounts other than the caller's. */
export class SweepNeedsRole extends Error {}

const ENABLED = new Set(['ENABLED', 'ENABLED_BY_DEFAULT']);

/** Calls in flight at once across the whole sweep (--concurrency): every account and Region draws from it. */
const DEFAULT_SWEEP_CONCURRENCY = 64;

/** organizations:ListAccounts gives `State` now and `Status` before it; either says whether the account is active. */
function isActive(account: { State?: string; Status?: string }): boolean {
  return (account.State ?? account.Status) === 'ACTIVE';
}

/** `{account}` and `{partition}` filled in, so one template names the role in every account and partition. */
function roleArnFor(template: string, accountId: string, partition: string): string {
  return template.replaceAll('{account}', accountId).replaceAll('{partition}', partition);
}

/**
 * Reads every Cognito domain of the accounts and Regions asked for, handing each snapshot to
 * `onSnapshot` as soon as it is complete (nothing is kept after), and gives each account's outcome.
 */
export async function sweep(options: SweepOptions, onSnapshot: (snapshot: Snapshot) => Promise<void> | void): Promise<SweepAccount[]> {
  const stats: ReadStats = { inFlight: 0, throttled: 0 };
  const agents = { httpAgent: new HttpAgent({ keepAlive: true }), httpsAgent: new HttpsAgent({ keepAlive: true }) };
  const settings = { ...options, stats, agents, sharedLimit: limiter(options.concurrency ?? DEFAULT_SWEEP_CONCURRENCY) };
  const home = new Clients(settings);
  const homeReads = new Reads(settings);
  const partition = partitionOfRegion(options.homeRegion);
  try {
    const caller = await homeReads.read('sts:GetCallerIdentity', undefined, () => home.sts(options.homeRegion).send(new aws.GetCallerIdentityCommand({})));
    if (!caller.ok) throw new SweepUnreadable(caller.error);
    const callerAccount = caller.value.Account ?? '';
    const accounts = await accountsToSweep(options, callerAccount, home, homeReads, partition);
    if (!options.roleArn && accounts.some((a) => a.Id !== callerAccount)) throw new SweepNeedsRole();

    const progress: SweepCounts = { accountsDone: 0, accountsTotal: accounts.length, domainsFound: 0 };
    const report = () => options.onSweepProgress?.({ ...progress, ...stats });
    const sweepOne = async (account: { Id: string; Name?: string }): Promise<SweepAccount> => {
      const outcome = await sweepAccount(account, { options, settings, home, homeReads, partition, progress, report }, onSnapshot);
      progress.accountsDone++;
      report();
      return outcome;
    };
    const inFlight = limiter(options.maxAccountsInFlight);
    report();
    const outcomes = await Promise.all(accounts.map((account) => inFlight(() => sweepOne(account))));
    return outcomes.sort((a, b) => compareText(a.accountId, b.accountId));
  } finally {
    home.destroy();
    agents.httpAgent.destroy();
    agents.httpsAgent.destroy();
  }
}

/** The accounts asked for: the caller's own, a list, or every active account of the organization. */
async function accountsToSweep(
  options: SweepOptions,
  callerAccount: string,
  home: Clients,
  homeReads: Reads,
  partition: string,
): Promise<Array<{ Id: string; Name?: string }>> {
  if (options.accounts === undefined) return [{ Id: callerAccount }];
  if (options.accounts !== 'organization') return [...new Set(options.accounts)].map((Id) => ({ Id }));
  const listed = await homeReads.list(
    'organizations:ListAccounts',
    callerAccount,
    () => aws.paginateListAccounts({ client: home.organizations(partition) }, {}),
    (page) => page.Accounts,
  );
  if (!listed.ok) throw new SweepUnreadable(listed.error);
  return listed.value.filter((a) => a.Id && isActive(a)).map((a) => ({ Id: a.Id!, ...(a.Name ? { Name: a.Name } : {}) }));
}

interface SweepRun {
  options: SweepOptions;
  settings: SweepOptions & { stats: ReadStats };
  home: Clients;
  homeReads: Reads;
  partition: string;
  progress: SweepCounts;
  report: () => void;
}

/**
 * A session in the account's role, renewed by the SDK's identity memoization before it expires
 * (a sweep can outlast one session). Each AssumeRole is its own read: retried and paced as every read.
 */
function sessionIn(roleArn: string, run: SweepRun): AwsCredentialIdentityProvider {
  const { options, home, homeReads } = run;
  let sessions = 0;
  const assume = async (): Promise<AwsCredentialIdentity> => {
    const answered = await homeReads.read(
      'sts:AssumeRole',
      roleArn,
      () =>
        home.sts(options.homeRegion).send(
          new aws.AssumeRoleCommand({
            RoleArn: roleArn,
            RoleSessionName: options.sessionName ?? 'cogdoctor-sweep',
            ...(options.externalId ? { ExternalId: options.externalId } : {}),
            ...(options.sessionPolicy ? { Policy: options.sessionPolicy } : {}),
          }),
        ),
      `sts:AssumeRole ${roleArn} ${sessions++}`,
    );
    if (!answered.ok) throw new AssumeRoleFailed(answered.error);
    const c = answered.value.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw new AssumeRoleFailed({ operation: 'sts:AssumeRole', resource: roleArn, code: 'NoCredentials' });
    const identity: AwsCredentialIdentity = {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
      ...(c.Expiration ? { expiration: c.Expiration } : {}),
    };
    // Scrubbed from every text printed, as the caller's own credentials are.
    holdCredentials(identity);
    return identity;
  };
  return aws.memoizeIdentityProvider(assume, aws.isIdentityExpired, aws.doesIdentityRequireRefresh) as AwsCredentialIdentityProvider;
}

class AssumeRoleFailed extends Error {
  constructor(readonly error: ReadError) {
    super(error.message ?? error.code);
  }
}

async function sweepAccount(
  account: { Id: string; Name?: string },
  run: SweepRun,
  onSnapshot: (snapshot: Snapshot) => Promise<void> | void,
): Promise<SweepAccount> {
  const { options, settings, partition } = run;
  const outcome: SweepAccount = { accountId: account.Id, ...(account.Name ? { name: account.Name } : {}), status: 'read', regions: [] };
  let credentials: ClientSettings['credentials'] = options.credentials;
  if (options.roleArn) {
    const roleArn = roleArnFor(options.roleArn, account.Id, partition);
    const session = sessionIn(roleArn, run);
    try {
      await session();
    } catch (error) {
      const failed = error instanceof AssumeRoleFailed ? error.error : readErrorOf('sts:AssumeRole', roleArn, error);
      return { ...outcome, status: 'unreadable', error: failed };
    }
    credentials = session;
  }
  const clients = options.roleArn ? new Clients({ ...settings, ...(credentials ? { credentials } : {}) }) : run.home;
  const accountReads = new Reads(settings);
  try {
    const regions = await regionsToSweep(account.Id, options.regions, clients, accountReads, partition);
    if ('error' in regions) return { ...outcome, status: 'unreadable', error: regions.error };
    const read = await Promise.all(regions.enabled.map((region) => sweepRegion(region, { ...run, credentials, clients, accountReads }, onSnapshot)));
    const skipped = regions.notEnabled.map((region): SweepRegion => ({ region, status: 'not-enabled', domains: [] }));
    return { ...outcome, regions: [...read, ...skipped].sort((a, b) => compareText(a.region, b.region)) };
  } finally {
    if (clients !== run.home) clients.destroy();
  }
}

/**
 * The Regions to read in one account and the opt-in ones it has not enabled (account:ListRegions).
 * A list given on the command line is read as given when ListRegions cannot be; `all` needs it.
 */
async function regionsToSweep(
  accountId: string,
  asked: string[] | 'all',
  clients: Clients,
  reads: Reads,
  partition: string,
): Promise<{ enabled: string[]; notEnabled: string[] } | { error: ReadError }> {
  const listed = await reads.list(
    'account:ListRegions',
    accountId,
    () => aws.paginateListRegions({ client: clients.account(partition) }, {}),
    (page) => page.Regions,
  );
  if (!listed.ok) return asked === 'all' ? { error: listed.error } : { enabled: [...asked], notEnabled: [] };
  const enabled = new Set(listed.value.filter((r) => r.RegionName && ENABLED.has(r.RegionOptStatus ?? '')).map((r) => r.RegionName!));
  const wanted = asked === 'all' ? listed.value.map((r) => r.RegionName!).filter(Boolean) : asked;
  return { enabled: wanted.filter((r) => enabled.has(r)).sort(), notEnabled: wanted.filter((r) => !enabled.has(r)).sort() };
}

async function sweepRegion(
  region: string,
  run: SweepRun & { credentials: ClientSettings['credentials']; clients: Clients; accountReads: Reads },
  onSnapshot: (snapshot: Snapshot) => Promise<void> | void,
): Promise<SweepRegion> {
  const { options, settings, credentials, clients, accountReads, progress, report } = run;
  const collector = new Collector({
    ...settings,
    region,
    deep: options.deep,
    ...(credentials ? { credentials } : {}),
    account: { clients, iamReads: accountReads },
  });
  const outcome: SweepRegion = { region, status: 'read', domains: [] };
  let names: string[];
  try {
    names = await collector.cognitoDomainNames();
  } catch (error) {
    if (error instanceof DomainUnreadable) return { ...outcome, status: 'unreadable', error: error.error };
    throw error;
  }
  progress.domainsFound += names.length;
  report();
  await Promise.all(
    names.map(async (name) => {
      try {
        const snapshot = await collector.snapshot(name);
        await onSnapshot(snapshot);
        outcome.domains.push(name);
      } catch (error) {
        // Listed but not describable: the Region's outcome names it; the other domains go on.
        if (!(error instanceof DomainUnreadable)) throw error;
        outcome.status = 'unreadable';
        outcome.error ??= error.error;
      }
    }),
  );
  outcome.domains.sort(compareText);
  return outcome;
}
