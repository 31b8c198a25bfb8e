import { exitCodeOf, type FailOn } from '../engine/exit.js';
import { isUserPoolId } from '../model/client.js';
import { regionOfPoolId } from '../model/pools.js';
import type { AppKind, ClientCheck, ClientReads, Flow, RelyingParty } from '../engine/client-context.js';
import type { Check } from '../engine/types.js';
import type { GateConfig } from '../gate/config.js';
import { runClientChecks } from '../client/run.js';
import { ClientNotInSnapshot, clientReadsFromSnapshot } from '../client/snapshot.js';
import { readSnapshotFile } from '../snapshot/read.js';
import { UsageError } from '../errors.js';
import { nothingReadMessage } from './unreadable.js';
import type { LiveOptions } from './live.js';
import { emit, parseFormat, render, type OutputOptions } from './output.js';
import { VERSION } from './version.js';

export interface ClientCommandOptions extends OutputOptions, LiveOptions {
  snapshot?: string;
  redirectUri?: string[];
  logoutUri?: string[];
  flow: Flow;
  scopes?: string[];
  identityProvider?: string;
  app?: AppKind;
  failOn: FailOn;
  checksDir?: string[];
}

/** The built-in checks of both commands plus the plugin checks of --checks-dir and the config's checks-dirs, each file loaded once. */
export async function allChecksFor(dirs: string[] | undefined, config?: GateConfig): Promise<{ checks: Check[]; clientChecks: ClientCheck[] }> {
  const { builtinChecks } = await import('../engine/builtin.js');
  const { builtinClientChecks } = await import('../engine/builtin-client.js');
  const all = [...(dirs ?? []), ...(config?.checksDirs ?? []).map((dir) => ({ dir, config: config!.file }))];
  if (all.length === 0) return { checks: builtinChecks, clientChecks: builtinClientChecks };
  const { loadPlugins, PluginError } = await import('../plugins/load.js');
  try {
    const plugins = await loadPlugins(all, { checks: builtinChecks, clientChecks: builtinClientChecks });
    return { checks: [...builtinChecks, ...plugins.checks], clientChecks: [...builtinClientChecks, ...plugins.clientChecks] };
  } catch (error) {
    if (error instanceof PluginError) throw new UsageError(error.message);
    throw error;
  }
}

function absoluteUrl(value: string, flag: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || !/^[a-z][a-z0-9+.-]*:\/\/./i.test(value)) throw new UsageError(`${flag} ${JSON.stringify(value)} is not an absolute URL`);
  return value;
}

/** The relying party the flags describe; the app kind defaults from the flow (implicit runs in a browser). */
export function relyingPartyOf(options: ClientCommandOptions): RelyingParty {
  const flow = options.flow;
  const app = options.app ?? (flow === 'implicit' ? 'browser' : 'server');
  const redirectUris = (options.redirectUri ?? []).map((u) => absoluteUrl(u, '--redirect-uri'));
  const logoutUris = (options.logoutUri ?? []).map((u) => absoluteUrl(u, '--logout-uri'));
  if (flow === 'client_credentials') {
    if (app === 'browser') throw new UsageError('--flow client_credentials authenticates with the client secret: it is for --app server only');
    if (redirectUris.length > 0 || logoutUris.length > 0)
      throw new UsageError('--flow client_credentials redirects no browser: drop --redirect-uri and --logout-uri');
    if (options.identityProvider !== undefined) throw new UsageError('--flow client_credentials signs in no user: drop --identity-provider');
  }
  const scopes = options.scopes ?? (flow === 'client_credentials' ? [] : ['openid']);
  return {
    redirectUris,
    logoutUris,
    flow,
    scopes: [...new Set(scopes)],
    app,
    ...(options.identityProvider !== undefined ? { identityProvider: options.identityProvider } : {}),
  };
}

/**
 * A live read that found neither the pool nor the client is a usage error, like an unknown domain;
 * so is one that read nothing at all (no credentials, no network), which has nothing to diagnose.
 */
function assertFound(reads: ClientReads, options: LiveOptions): void {
  const missing = (operation: string) => reads.errors.find((e) => e.operation === operation && /NotFound/i.test(e.code));
  if (missing('cognito-idp:DescribeUserPool')) throw new UsageError(`user pool ${reads.userPoolId} not found`);
  if (missing('cognito-idp:DescribeUserPoolClient')) throw new UsageError(`app client ${reads.clientId} not found in user pool ${reads.userPoolId}`);
  const first = reads.errors[0];
  if (!reads.userPool && !reads.client && first) {
    throw new UsageError(
      nothingReadMessage(first, { region: regionOfPoolId(reads.userPoolId), ...(options.endpointUrl ? { endpointUrl: options.endpointUrl } : {}) }),
    );
  }
}

export async function runClientCommand(first: string | undefined, second: string | undefined, options: ClientCommandOptions): Promise<number> {
  parseFormat(options.format);
  const party = relyingPartyOf(options);
  let reads: ClientReads;
  if (options.snapshot !== undefined) {
    const [userPoolId, clientId] = second === undefined ? [undefined, first] : [first, second];
    if (clientId === undefined) throw new UsageError('name the app client: cogdoctor client --snapshot FILE [USER_POOL_ID] CLIENT_ID');
    const snapshot = await readSnapshotFile(options.snapshot);
    try {
      reads = clientReadsFromSnapshot(snapshot, userPoolId, clientId);
    } catch (error) {
      if (error instanceof ClientNotInSnapshot) throw new UsageError(`${options.snapshot}: ${error.message}`);
      throw error;
    }
  } else {
    if (first === undefined || second === undefined)
      throw new UsageError('name the user pool and the app client: cogdoctor client USER_POOL_ID CLIENT_ID (or --snapshot FILE CLIENT_ID)');
    if (!isUserPoolId(first)) throw new UsageError(`${JSON.stringify(first)} is not a user pool id (like eu-west-1_AbC123)`);
    if (options.region !== undefined && options.region !== regionOfPoolId(first)) {
      throw new UsageError(`user pool ${first} is in ${regionOfPoolId(first)}: drop --region ${options.region} (client reads the user pool's region)`);
    }
    const { collectForClient } = await import('./live.js');
    reads = await collectForClient(first, second, party.identityProvider !== undefined && party.identityProvider !== 'COGNITO', options);
    assertFound(reads, options);
  }
  const { clientChecks } = await allChecksFor(options.checksDir);
  const report = runClientChecks(
    reads,
    party,
    { version: VERSION, source: options.snapshot !== undefined ? 'snapshot' : 'live', ...(options.snapshot !== undefined ? { file: options.snapshot } : {}) },
    clientChecks,
  );
  // The built-in modes are in the catalog; a plugin's come with its checks.
  await emit(
    await render(
      [report],
      options,
      clientChecks.flatMap((c) => c.modes),
    ),
    options,
  );
  return exitCodeOf([report], options.failOn);
}
