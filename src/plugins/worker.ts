// One plugin file, in a worker thread of its own: it loads and runs there, so a plugin that
// loops, exits or throws something strange ends as that plugin's error while the run goes on,
// and it only ever sees a frozen copy of the snapshot.
import { existsSync } from 'node:fs';
import { register } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import { ClientContext, type ClientCheck } from '../engine/client-context.js';
import { CheckContext } from '../context/check-context.js';
import type { Check, FindingInput, Gap, Problem } from '../engine/types.js';
import type { Snapshot } from '../snapshot/types.js';
import { describeThrown, findingInputOf } from '../engine/run.js';
import { importModule } from './import-module.js';
import { MAX_PLUGIN_FINDINGS, type Loaded, type RunAnswer, type RunRequest, type WorkerData } from './protocol.js';

const { file, port, signal } = workerData as WorkerData;
const answered = new Int32Array(signal);

// What a plugin prints goes to stderr, never into a report on stdout.
process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;

// In a worker, process.exit ends only the worker; still, a plugin's exit is its own error, not a silent stop.
process.exit = ((code?: number) => {
  throw new Error(`the plugin called process.exit(${code ?? ''})`);
}) as typeof process.exit;

type AnyCheck = Check | ClientCheck;

function isClientCheck(check: AnyCheck): check is ClientCheck {
  return (check as { kind?: unknown }).kind === 'client';
}

function looksLikeCheck(value: unknown): value is AnyCheck {
  const v = value as Partial<AnyCheck> | null;
  return typeof v === 'object' && v !== null && typeof v.id === 'string' && typeof v.run === 'function' && Array.isArray(v.modes);
}

/** Every check a plugin module exports: its default export (a check or a list of them) and named check exports. */
function checksOf(module: Record<string, unknown>): AnyCheck[] {
  const found = new Set<AnyCheck>();
  const add = (value: unknown) => (Array.isArray(value) ? value.forEach(add) : looksLikeCheck(value) && found.add(value));
  add(module['default']);
  for (const [name, value] of Object.entries(module)) if (name !== 'default') add(value);
  return [...found];
}

/** A deep freeze without recursion: a snapshot's policies can nest deeper than the stack. */
function deepFreeze<T>(value: T): T {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (next === null || typeof next !== 'object' || Object.isFrozen(next)) continue;
    Object.freeze(next);
    for (const child of Object.values(next)) pending.push(child);
  }
  return value;
}

const GAP_KINDS = new Set(['unknown', 'not-evaluated', 'not-applicable']);

/** A DataGap from whichever copy of cogdoctor the plugin imported. */
function gapOf(error: unknown): Gap | undefined {
  const gap = (error as { gap?: Partial<Gap> } | null)?.gap;
  if (!gap || !GAP_KINDS.has(gap.kind as string) || typeof gap.reason !== 'string') return undefined;
  return { kind: gap.kind!, reason: gap.reason, ...(typeof gap.permission === 'string' ? { permission: gap.permission } : {}) };
}

let checks: AnyCheck[] = [];
let snapshot: Snapshot | undefined;

function run(request: RunRequest): RunAnswer {
  if (request.snapshot) snapshot = deepFreeze(request.snapshot);
  const check = checks.find((c) => c.id === request.check);
  if (!check) return { kind: 'error', message: `no check ${request.check} in the plugin` };
  let ctx: CheckContext | ClientContext;
  let runCheck: () => unknown;
  if (isClientCheck(check)) {
    if (!request.client) return { kind: 'error', message: `check ${request.check} runs on an app client, and none was sent` };
    const clientCtx = new ClientContext(deepFreeze(request.client.reads), deepFreeze(request.client.party));
    [ctx, runCheck] = [clientCtx, () => check.run(clientCtx)];
  } else {
    if (!snapshot) return { kind: 'error', message: `check ${request.check} runs on a snapshot, and none was sent` };
    const domainCtx = new CheckContext(snapshot);
    [ctx, runCheck] = [domainCtx, () => check.run(domainCtx)];
  }
  try {
    const reported: unknown = runCheck();
    if (!Array.isArray(reported)) return { kind: 'error', message: 'run() did not return a list of findings' };
    if (reported.length > MAX_PLUGIN_FINDINGS)
      return { kind: 'error', message: `run() returned ${reported.length} findings, more than the ${MAX_PLUGIN_FINDINGS} a plugin check may report` };
    // Problems are worded here, where the plugin's messages (functions) live; the main thread checks the result.
    const findings = reported.map((item: unknown) =>
      item !== null && typeof item === 'object' && 'mode' in item ? findingInputOf(check, item as Problem) : item,
    ) as FindingInput[];
    return { kind: 'findings', findings, gaps: [...ctx.gaps] };
  } catch (error) {
    const gap = gapOf(error);
    return gap ? { kind: 'gap', gap, gaps: [...ctx.gaps] } : { kind: 'error', message: describeThrown(error) };
  }
}

function answer(reply: RunAnswer): void {
  try {
    port.postMessage(reply);
  } catch (error) {
    // Findings that cannot be copied (functions, symbols) are the plugin's error.
    port.postMessage({ kind: 'error', message: `its findings cannot be passed on: ${describeThrown(error)}` } satisfies RunAnswer);
  }
  Atomics.store(answered, 0, 1);
  Atomics.notify(answered, 0);
}

port.on('message', (request: RunRequest) => answer(run(request)));

/**
 * Module hooks registered on the main thread do not reach a worker: register here the one that
 * lets a plugin without its own node_modules import the running cogdoctor (bin/resolve-cogdoctor.mjs,
 * beside this bundle's dist/ folder).
 */
function resolveOwnPackage(): void {
  const hook = new URL('../bin/resolve-cogdoctor.mjs', import.meta.url);
  if (existsSync(fileURLToPath(hook))) register(hook);
}

async function load(): Promise<Loaded> {
  try {
    resolveOwnPackage();
    checks = checksOf(await importModule(pathToFileURL(file).href));
    if (checks.length === 0) return { kind: 'failed', message: 'it exports no check (an object with id, modes and run)' };
    return {
      kind: 'loaded',
      checks: checks.map((check) => {
        const { id, title, description, modes, reads, scope } = check;
        return { id, title, description, modes, reads, ...(scope ? { scope } : {}), ...(isClientCheck(check) ? { kind: 'client' as const } : {}) };
      }),
    };
  } catch (error) {
    return { kind: 'failed', message: describeThrown(error) };
  }
}

const loaded = await load();
try {
  parentPort!.postMessage(loaded);
} catch (error) {
  parentPort!.postMessage({ kind: 'failed', message: `its checks cannot be passed on: ${describeThrown(error)}` } satisfies Loaded);
}
