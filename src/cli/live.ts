import type { Snapshot } from '../snapshot/types.js';
import type { UserRead } from '../trace/types.js';
import { organizationPolicies, permissionsPolicy } from '../collect/allowlist.js';
import { UsageError } from '../errors.js';
import { checkEndpointUrl, checkRegion, isLoopback, nothingReadMessage } from './unreadable.js';
import { onStop } from './signals.js';

export interface LiveOptions {
  region?: string;
  profile?: string;
  endpointUrl?: string;
  maxAttempts?: number;
  timeout?: number;
  deep?: boolean;
  quiet?: boolean;
  concurrency?: number;
}

/** A spinner on stderr, only on a terminal; ora is loaded only then. */
export async function progress(quiet: boolean | undefined): Promise<{ update(text: string): void; stop(): void }> {
  // A terminal that reports no width (a pseudo-terminal nobody sized) would make the spinner redraw forever.
  if (quiet || !process.stderr.isTTY || !(process.stderr.columns > 0)) return { update() {}, stop() {} };
  const { default: ora } = await import('ora');
  // discardStdin would put the terminal in raw mode, where Ctrl-C is no longer a signal.
  const spinner = ora({ stream: process.stderr, discardStdin: false });
  // ora's own rule (CI set, TERM=dumb): no redrawing there, and no static line either.
  if (!spinner.isEnabled) return { update() {}, stop() {} };
  spinner.start('reading the account');
  const forget = onStop(() => spinner.stop());
  // The spinner's own timer redraws every 80 ms; a run that ends sooner would never show its progress,
  // so a change is drawn at once, at most once per frame.
  let drawnAt = 0;
  return {
    update: (text) => {
      spinner.text = text;
      const now = Date.now();
      if (now - drawnAt >= spinner.interval) {
        drawnAt = now;
        spinner.render();
      }
    },
    stop: () => {
      forget();
      spinner.stop();
    },
  };
}

/**
 * --region, else the SDK's own region chain (AWS_REGION, then the `region` of the profile in
 * ~/.aws/config, --profile or AWS_PROFILE choosing it), else AWS_DEFAULT_REGION as the AWS CLI reads it.
 */
export async function regionOf(options: LiveOptions): Promise<string> {
  if (options.region) {
    const problem = checkRegion(options.region, '--region');
    if (problem) throw new UsageError(problem);
    return options.region;
  }
  const { loadConfig, NODE_REGION_CONFIG_OPTIONS, NODE_REGION_CONFIG_FILE_OPTIONS } = await import('@smithy/core/config');
  // An empty AWS_REGION= is unset, as for the AWS CLI, not a region of ''.
  const selectors = { ...NODE_REGION_CONFIG_OPTIONS, environmentVariableSelector: (env: Record<string, string | undefined>) => env['AWS_REGION'] || undefined };
  const fromChain = await loadConfig(selectors, { ...NODE_REGION_CONFIG_FILE_OPTIONS, ...(options.profile ? { profile: options.profile } : {}) })().catch(
    () => undefined,
  );
  const region = fromChain || process.env['AWS_DEFAULT_REGION'];
  if (region) {
    const problem = checkRegion(region, fromChain ? 'the region' : 'AWS_DEFAULT_REGION');
    if (problem) throw new UsageError(problem);
  }
  if (!region)
    throw new UsageError(
      `no region: pass --region, set AWS_REGION, or set region in the ${options.profile || process.env['AWS_PROFILE'] || 'default'} profile (aws configure)`,
    );
  return region;
}

/**
 * An emulator on this machine takes any credentials: when none are given (no AWS_ACCESS_KEY_ID,
 * no --profile or AWS_PROFILE), requests to a loopback --endpoint-url are signed with placeholders.
 */
export function placeholderCredentials(options: LiveOptions): { accessKeyId: string; secretAccessKey: string } | undefined {
  if (!options.endpointUrl || !isLoopback(options.endpointUrl)) return undefined;
  if (options.profile || process.env['AWS_PROFILE'] || process.env['AWS_ACCESS_KEY_ID']) return undefined;
  if (!options.quiet)
    process.stderr.write(`cogdoctor: note: no credentials given for ${options.endpointUrl} (on this machine): signing with placeholder credentials\n`);
  return { accessKeyId: 'AKIDLOCALENDPOINT000', secretAccessKey: 'placeholder-for-a-local-endpoint' };
}

/** The AWS connection flags as the collector takes them. */
export function readSettingsOf(options: LiveOptions) {
  return {
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.endpointUrl ? { endpointUrl: options.endpointUrl } : {}),
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
    ...(options.timeout ? { timeoutMs: options.timeout } : {}),
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
  };
}

async function withCollector<T>(
  options: LiveOptions,
  extra: { credentials?: { accessKeyId: string; secretAccessKey: string }; signal?: AbortSignal },
  use: (collector: import('../collect/index.js').Collector) => Promise<T>,
): Promise<T> {
  const { Collector, DomainUnreadable } = await import('../collect/index.js');
  const region = await regionOf(options);
  const endpointProblem = options.endpointUrl !== undefined ? checkEndpointUrl(options.endpointUrl) : undefined;
  if (endpointProblem) throw new UsageError(endpointProblem);
  const credentials = extra.credentials ?? placeholderCredentials(options);
  const spinner = await progress(options.quiet);
  const collector = new Collector({
    region,
    deep: options.deep !== false,
    ...readSettingsOf(options),
    ...(credentials ? { credentials } : {}),
    onProgress: (text) => spinner.update(text),
  });
  // Cancelled (a usage error found while the first reads were in flight): drop the connections.
  extra.signal?.addEventListener('abort', () => collector.close(), { once: true });
  try {
    return await use(collector);
  } catch (error) {
    // The first read failed: nothing was read, which is a setup problem, not an incomplete run.
    if (error instanceof DomainUnreadable) {
      const { code, resource } = error.error;
      // AWS answers a name that cannot be a domain name (3-28 of a-z, 0-9, -) with ValidationException.
      if (/NotFound/i.test(code) || code === 'ValidationException') throw new UsageError(`domain ${resource} not found in ${region}`);
      throw new UsageError(nothingReadMessage(error.error, { region, ...(options.endpointUrl ? { endpointUrl: options.endpointUrl } : {}) }));
    }
    if ((error as Error).name === 'CredentialsProviderError')
      throw new UsageError(nothingReadMessage({ operation: 'sts', code: 'CredentialsProviderError', message: (error as Error).message }, { region }));
    throw error;
  } finally {
    spinner.stop();
    collector.close();
  }
}

export async function collectForCheck(domain: string | undefined, options: LiveOptions & { all?: boolean }): Promise<Snapshot[]> {
  return startCollectForCheck(domain, options).snapshots;
}

/**
 * Starts the reads of `check`: `started` settles once the first calls are on their way, so the
 * caller can load the checks and the config in the wait for the answers instead of before it.
 */
export function startCollectForCheck(
  domain: string | undefined,
  options: LiveOptions & { all?: boolean },
  signal?: AbortSignal,
): { started: Promise<void>; snapshots: Promise<Snapshot[]> } {
  let markStarted!: () => void;
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  const snapshots = withCollector(options, signal ? { signal } : {}, async (collector) => {
    const listing = options.all ? collector.cognitoDomainNames() : Promise.resolve([domain!]);
    const reading = listing.then((names) => Promise.all(names.map((name) => collector.snapshot(name))));
    markStarted();
    return reading;
  });
  // A failure before the reads began (no region, no SDK) is the caller's to see through `snapshots`.
  snapshots.then(markStarted, markStarted);
  return { started, snapshots };
}

/** The snapshot of one domain and, for `trace --user`, that user of its user pool. */
export async function collectForTrace(domain: string, username: string | undefined, options: LiveOptions): Promise<{ snapshot: Snapshot; user?: UserRead }> {
  return withCollector(options, {}, async (collector) => {
    const snapshot = await collector.snapshot(domain);
    const userPoolId = snapshot.domain.CognitoOptions?.UserPoolId;
    if (username === undefined) return { snapshot };
    if (!userPoolId) {
      return {
        snapshot,
        user: { username, userPoolId: '', userError: { operation: 'cognito-idp:AdminGetUser', code: 'NoUserPool', message: 'the domain names no user pool' } },
      };
    }
    return { snapshot, user: await collector.user(userPoolId, username) };
  });
}

/** What `cogdoctor access` reads: the domain and the principal's policies (none for an unsigned request). */
export async function collectForAccess(domain: string, principal: { kind: 'role' | 'user'; arn: string } | undefined, options: LiveOptions): Promise<Snapshot> {
  return withCollector(options, {}, (collector) => collector.accessSnapshot(domain, principal));
}

/** `cogdoctor client`: one app client, read in the Region of its user pool id whatever --region says. */
export async function collectForClient(
  userPoolId: string,
  clientId: string,
  identityProviders: boolean,
  options: LiveOptions,
): Promise<import('../engine/client-context.js').ClientReads> {
  const region = userPoolId.split('_')[0]!;
  return withCollector({ ...options, region }, {}, (collector) => collector.appClient(userPoolId, clientId, { identityProviders }));
}

export async function runSnapshotCommand(domain: string, options: LiveOptions & { output?: string }): Promise<number> {
  const snapshot = await withCollector(options, {}, (collector) => collector.snapshot(domain));
  const { emit } = await import('./output.js');
  await emit(`${JSON.stringify(snapshot, null, 2)}\n`, options);
  return 0;
}

export function runPermissionsCommand(options: { organization?: boolean; roleName?: string; managementAccount?: string; externalId?: string } = {}): number {
  if (!options.organization) {
    if (options.roleName || options.managementAccount || options.externalId)
      throw new UsageError('--role-name, --management-account and --external-id go with --organization');
    process.stdout.write(`${JSON.stringify(permissionsPolicy(), null, 2)}\n`);
    return 0;
  }
  if (options.managementAccount !== undefined && !/^\d{12}$/.test(options.managementAccount))
    throw new UsageError(`--management-account ${JSON.stringify(options.managementAccount)} is not an AWS account id (12 digits)`);
  const policies = organizationPolicies({
    roleName: options.roleName ?? 'cogdoctor-read',
    ...(options.managementAccount ? { managementAccountId: options.managementAccount } : {}),
    ...(options.externalId ? { externalId: options.externalId } : {}),
  });
  process.stdout.write(`${JSON.stringify(policies, null, 2)}\n`);
  return 0;
}

export async function runEmulatorCommand(options: { snapshot: string[]; organization?: string; port?: number; verbose?: boolean }): Promise<void> {
  const { loadOrganization, startEmulator } = await import('./emulator-bundle.js');
  const { readSnapshotFile } = await import('../snapshot/read.js');
  const snapshots = await Promise.all(options.snapshot.map((file) => readSnapshotFile(file)));
  const organization =
    options.organization === undefined
      ? undefined
      : await loadOrganization(options.organization).catch((error: Error) => {
          throw new UsageError(error.message);
        });
  let emulator: import('../emulator/index.js').Emulator;
  try {
    emulator = await startEmulator({ snapshots, ...(organization ? { organization } : {}), ...(options.port !== undefined ? { port: options.port } : {}) });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new UsageError(`port ${options.port} on 127.0.0.1 is in use: pick another --port, or leave it out for any free port`);
    if (code === 'EACCES')
      throw new UsageError(`port ${options.port} on 127.0.0.1 needs privileges: pick a port above 1023, or leave --port out for any free port`);
    throw error;
  }
  process.stdout.write(`${emulator.url}\n`);
  if (options.verbose) logRequests(emulator.log);
  // Runs until a signal ends the process (exit 130 on Ctrl-C, 143 on SIGTERM).
  await new Promise(() => {});
}

/** --verbose: each request the emulator answered, one line on stderr, as it is answered. */
function logRequests(log: import('../emulator/index.js').ServedRequest[]): void {
  let printed = 0;
  setInterval(() => {
    // In order: a request still unanswered (status 0) holds back the lines after it.
    while (printed < log.length && log[printed]!.status !== 0) {
      const { service, operation, resource, status } = log[printed++]!;
      process.stderr.write(`${status} ${service}:${operation}${resource ? ` ${JSON.stringify(resource)}` : ''}\n`);
    }
  }, 100).unref();
}

export async function runDemoCommand(
  options: LiveOptions & import('./output.js').OutputOptions & { failOn: import('../engine/exit.js').FailOn },
): Promise<number> {
  const { default: demo } = await import('../../fixtures/demo/logs-demo.json', { with: { type: 'json' } });
  const { startEmulator } = await import('./emulator-bundle.js');
  const { runChecks } = await import('../report/assemble.js');
  const { builtinChecks } = await import('../engine/builtin.js');
  const { exitCodeOf } = await import('../engine/exit.js');
  const { emit, render } = await import('./output.js');
  const { VERSION } = await import('./version.js');
  const snapshot = demo as unknown as Snapshot;
  const emulator = await startEmulator({ snapshots: [snapshot] });
  try {
    const live = await withCollector(
      { ...options, region: snapshot.region, endpointUrl: emulator.url, maxAttempts: 1 },
      { credentials: { accessKeyId: 'AKIDEMOEMULATOR00000', secretAccessKey: 'demo-emulator-secret' } },
      (collector) => collector.snapshot(snapshot.domain.DomainName),
    );
    const report = runChecks(live, builtinChecks, { version: VERSION, source: 'live' });
    await emit(await render([report], options), options);
    if (!options.quiet && options.format !== 'json') {
      process.stderr.write(
        `\nThis was a live run against a local AWS emulator serving a built-in account (${emulator.log.length} read-only calls). On your account: cogdoctor check <domain> --region <region>\n`,
      );
    }
    return exitCodeOf([report], options.failOn);
  } finally {
    await emulator.close();
  }
}

/** The built-in organization `demo --organization` serves, shipped in fixtures/ and read as `emulator --organization` reads one. */
async function builtinOrganization(): Promise<{ organization: import('../emulator/index.js').Organization; snapshots: Snapshot[] }> {
  const { readdir } = await import('node:fs/promises');
  const { fileURLToPath } = await import('node:url');
  const { loadOrganization } = await import('./emulator-bundle.js');
  const { readSnapshotFile } = await import('../snapshot/read.js');
  // The CLI bundle lives in dist/, beside fixtures/.
  const folder = fileURLToPath(new URL('../fixtures/demo/organization/', import.meta.url));
  const files = (await readdir(`${folder}snapshots`)).filter((name) => name.endsWith('.json')).sort();
  return {
    organization: await loadOrganization(`${folder}organization.json`),
    snapshots: await Promise.all(files.map((name) => readSnapshotFile(`${folder}snapshots/${name}`))),
  };
}

/** The external id the built-in organization's member roles require (fixtures/demo/organization/README.md). */
const DEMO_EXTERNAL_ID = 'cogdoctor-demo-7d41';

/** `demo --organization`: a sweep of a built-in organization, served by the local emulator. */
export async function runOrganizationDemoCommand(
  options: LiveOptions & import('./output.js').OutputOptions & { failOn: import('../engine/exit.js').FailOn },
): Promise<number> {
  const { organization, snapshots } = await builtinOrganization();
  const { startEmulator } = await import('./emulator-bundle.js');
  const { runSweepCommand } = await import('./sweep.js');
  const emulator = await startEmulator({ snapshots, organization });
  const roleName = organization.roles?.[0]?.RoleName ?? 'cogdoctor-read';
  try {
    const code = await runSweepCommand(
      {
        ...options,
        all: true,
        organization: true,
        roleName,
        externalId: DEMO_EXTERNAL_ID,
        sessionPolicy: true,
        regions: ['all'],
        region: 'us-east-1',
        endpointUrl: emulator.url,
        maxAttempts: 1,
      },
      { credentials: { accessKeyId: 'AKIDEMOEMULATOR00000', secretAccessKey: 'demo-emulator-secret' } },
    );
    if (!options.quiet && options.format !== 'json') {
      process.stderr.write(
        `\nThis was a sweep of a built-in organization served by a local AWS emulator (${emulator.log.length} read-only calls). On yours: cogdoctor check --all --organization --regions all --role-name ${roleName} --external-id <id> --session-policy\n`,
      );
    }
    return code;
  } finally {
    await emulator.close();
  }
}
