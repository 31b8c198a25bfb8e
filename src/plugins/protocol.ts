// What the loader and a plugin's worker thread say to each other.
import type { ClientReads, RelyingParty } from '../engine/client-context.js';
import type { CheckMeta, FindingInput, Gap } from '../engine/types.js';
import type { Snapshot } from '../snapshot/types.js';

/** How long a plugin file may take to load, and one of its checks to run. */
export const PLUGIN_TIME_LIMIT_MS = 5_000;
/** The heap a plugin's worker may use, snapshot copy included. */
export const PLUGIN_MEMORY_MB = 512;
/** The most findings one plugin check may report on one snapshot. */
export const MAX_PLUGIN_FINDINGS = 1_000;

export interface WorkerData {
  file: string;
  /** Run requests arrive here; answers go back on it (read synchronously by the loader). */
  port: import('node:worker_threads').MessagePort;
  /** Set to 1 by the worker when an answer is on the port. */
  signal: SharedArrayBuffer;
}

/** A plugin check as declared: `kind: 'client'` for a check of `cogdoctor client`, none for a domain check. */
export type PluginCheckMeta = CheckMeta & { kind?: 'client' };

/** The plugin's checks as declared (their `run` stays in the worker). */
export type Loaded = { kind: 'loaded'; checks: PluginCheckMeta[] } | { kind: 'failed'; message: string };

/** What a check of `cogdoctor client` runs on. */
export interface ClientInput {
  reads: ClientReads;
  party: RelyingParty;
}

export interface RunRequest {
  check: string;
  /** Sent with the first domain check of each snapshot; the worker keeps a frozen copy. */
  snapshot?: Snapshot;
  /** Sent with each client check. */
  client?: ClientInput;
}

export type RunAnswer =
  | { kind: 'findings'; findings: FindingInput[]; gaps: Gap[] }
  | { kind: 'gap'; gap: Gap; gaps: Gap[] }
  | { kind: 'error'; message: string };
