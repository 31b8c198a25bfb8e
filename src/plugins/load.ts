import { readdir } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { ClientCheck, ClientContext } from '../engine/client-context.js';
import { DataGap } from '../context/check-context.js';
import { defineCheck, defineClientCheck } from '../engine/define.js';
import type { Check, FailureMode, FindingInput, Gap } from '../engine/types.js';
import type { Snapshot } from '../snapshot/types.js';
import { builtinClientChecks } from '../engine/builtin-client.js';
import { describeThrown } from '../engine/run.js';
import {
  PLUGIN_MEMORY_MB,
  PLUGIN_TIME_LIMIT_MS,
  type ClientInput,
  type Loaded,
  type PluginCheckMeta,
  type RunAnswer,
  type RunRequest,
  type WorkerData,
} from './protocol.js';

/** A plugin folder or file cogdoctor cannot use at all: a usage error (exit 2). */
export class PluginError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PluginError';
  }
}

/** A folder of plugin checks, and the config file that names it (unset for --checks-dir). */
export interface PluginSource {
  dir: string;
  config?: string;
}

const PLUGIN_FILE = /\.(m?js)$/;
const ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
/** A plugin's name is its file's: the namespace of its failure ids. */
const PLUGIN_NAME = /^[\w.-]+$/;
const SEVERITIES = new Set(['error', 'warning', 'info']);
const GAP_KINDS = new Set(['unknown', 'not-evaluated', 'not-applicable']);
/** C0 and C1 controls (tab and newline aside) and DEL: nothing a plugin says may drive the terminal. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const MAX_TEXT = 4_000;
const MAX_EVIDENCE_CHARS = 64_000;

/** Where the CLI bundle finds the worker entry: bin/load.js runs dist/cli.cjs with __dirname = dist/. */
function workerEntry(): string {
  return join(__dirname, 'plugin-worker.mjs');
}

/**
 * Plugins run without the caller's AWS credentials: no credential variables, no shared
 * credentials or config file, no instance metadata. (A plugin is still code with the user's
 * privileges; this keeps an AWS SDK it imports from acting as the user by default.)
 */
function pluginEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^AWS_/i.test(name)) env[name] = value;
  }
  return {
    ...env,
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/cogdoctor-plugin',
    AWS_CONFIG_FILE: '/nonexistent/cogdoctor-plugin',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

/** A plugin file's worker: loaded with a time limit, then asked to run checks one at a time, synchronously. */
class PluginWorker {
  private readonly signal: Int32Array;
  private sent: Snapshot | undefined;
  /** Why the worker can no longer run checks. */
  private stopped: string | undefined;

  private constructor(
    private readonly worker: Worker,
    private readonly port: MessagePort,
    signal: SharedArrayBuffer,
  ) {
    this.signal = new Int32Array(signal);
  }

  static async start(file: string): Promise<{ worker?: PluginWorker; loaded: Loaded }> {
    const { port1, port2 } = new MessageChannel();
    const data: WorkerData = { file, port: port2, signal: new SharedArrayBuffer(4) };
    const worker = new Worker(workerEntry(), {
      workerData: data,
      transferList: [port2],
      env: pluginEnvironment(),
      // A plugin that runs out of memory ends its own worker, not the process.
      resourceLimits: { maxOldGenerationSizeMb: PLUGIN_MEMORY_MB },
    });
    const host = new PluginWorker(worker, port1, data.signal);
    const loaded = await new Promise<Loaded>((settle) => {
      const timer = setTimeout(() => settle({ kind: 'failed', message: `it did not finish loading within ${PLUGIN_TIME_LIMIT_MS} ms` }), PLUGIN_TIME_LIMIT_MS);
      const done = (result: Loaded) => {
        clearTimeout(timer);
        settle(result);
      };
      worker.once('message', (message: Loaded) => done(message));
      worker.once('error', (error) => done({ kind: 'failed', message: describeThrown(error) }));
      worker.once('exit', (code) => done({ kind: 'failed', message: `its worker ended while loading (exit code ${code})` }));
    });
    worker.removeAllListeners('message').removeAllListeners('exit');
    // A plugin's late error (an unhandled rejection) ends its worker, not the run.
    worker.removeAllListeners('error').on('error', () => host.stop('its worker failed'));
    worker.unref();
    if (loaded.kind === 'failed') {
      host.stop(loaded.message);
      return { loaded };
    }
    return { worker: host, loaded };
  }

  stop(reason: string): void {
    this.stopped ??= reason;
    void this.worker.terminate();
  }

  /** Runs one check on the snapshot (a domain check) or the app client (a client check) and waits for its answer, at most the time limit. */
  run(check: string, input: { snapshot: Snapshot } | { client: ClientInput }): RunAnswer {
    if (this.stopped) return { kind: 'error', message: `the plugin is stopped: ${this.stopped}` };
    Atomics.store(this.signal, 0, 0);
    let request: RunRequest;
    if ('client' in input) request = { check, client: input.client };
    else {
      request = input.snapshot === this.sent ? { check } : { check, snapshot: input.snapshot };
      this.sent = input.snapshot;
    }
    this.port.postMessage(request);
    const waited = Atomics.wait(this.signal, 0, 0, PLUGIN_TIME_LIMIT_MS);
    const reply = receiveMessageOnPort(this.port);
    if (reply) return reply.message as RunAnswer;
    this.stop(
      waited === 'timed-out'
        ? `it did not answer within ${PLUGIN_TIME_LIMIT_MS} ms (it loops, ran out of memory or ended its worker)`
        : 'its worker ended without an answer',
    );
    return { kind: 'error', message: this.stopped! };
  }
}

/**
 * Stands in for a plugin file that failed to load, or one of its checks that is not valid:
 * reported as that check's error, the run goes on.
 */
function brokenMeta(file: string, message: string, id?: string) {
  const name = JSON.stringify(basename(file)).slice(1, -1);
  return {
    id: id ?? `plugin:${name}`,
    title: `plugin ${name}`,
    description: `the plugin file ${JSON.stringify(file)} could not be loaded: ${message}`,
    modes: [],
    reads: [],
    source: file,
    run(): never {
      throw new Error(`the plugin could not be loaded: ${message}`);
    },
  };
}

function brokenPlugin(file: string, message: string, id?: string): Check {
  return defineCheck({ ...brokenMeta(file, message, id), scope: 'domain' });
}

function brokenClientPlugin(file: string, message: string, id?: string): ClientCheck {
  return defineClientCheck(brokenMeta(file, message, id));
}

async function pluginFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    throw new PluginError(`--checks-dir ${dir}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return names
    .filter((n) => PLUGIN_FILE.test(n))
    .sort()
    .map((n) => join(dir, n));
}

function text(value: unknown, what: string, required = true): string | undefined {
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string') throw new Error(`${what} is not text`);
  if (value.length > MAX_TEXT) throw new Error(`${what} is longer than ${MAX_TEXT} characters`);
  if (CONTROL.test(value)) throw new Error(`${what} holds a control character`);
  return value;
}

/**
 * A plugin's failure ids live in its own namespace, `<plugin>/<id>`, the plugin being the file's
 * name: an id without a namespace gets the plugin's, an id in any other namespace is refused.
 */
function namespacedId(plugin: string, id: unknown, what: string): string {
  if (typeof id !== 'string') throw new Error(`${what} has no id`);
  const local = id.startsWith(`${plugin}/`) ? id.slice(plugin.length + 1) : id;
  if (local.includes('/')) throw new Error(`${what} ${JSON.stringify(id)} is outside the plugin's namespace ${plugin}/`);
  if (!ID.test(local)) throw new Error(`${what} ${JSON.stringify(id)} must be lower-case words joined by hyphens`);
  return `${plugin}/${local}`;
}

function validMode(plugin: string, mode: FailureMode): FailureMode {
  if (mode === null || typeof mode !== 'object') throw new Error('a failure mode is not an object');
  const id = namespacedId(plugin, mode.id, 'failure mode');
  if (!SEVERITIES.has(mode.severity)) throw new Error(`failure mode ${id} has severity ${JSON.stringify(mode.severity)}, not error, warning or info`);
  for (const field of ['title', 'symptom', 'cause', 'fix'] as const) text(mode[field], `${field} of ${id}`);
  if (!Array.isArray(mode.docs)) throw new Error(`docs of ${id} is not a list`);
  mode.docs.forEach((doc, i) => text(doc, `docs[${i}] of ${id}`));
  return { ...mode, id };
}

function validFinding(plugin: string, input: FindingInput): FindingInput {
  if (input === null || typeof input !== 'object') throw new Error('a finding is not an object');
  const id = namespacedId(plugin, input.id, 'finding');
  if (input.severity !== undefined && !SEVERITIES.has(input.severity))
    throw new Error(`finding ${id} has severity ${JSON.stringify(input.severity)}, not error, warning or info`);
  text(input.message, `message of ${id}`);
  text(input.resource, `resource of ${id}`);
  if (input.evidence === null || typeof input.evidence !== 'object') throw new Error(`evidence of ${id} is not an object`);
  const evidence = JSON.stringify(input.evidence);
  if (evidence.length > MAX_EVIDENCE_CHARS) throw new Error(`evidence of ${id} is longer than ${MAX_EVIDENCE_CHARS} characters`);
  if (CONTROL.test(evidence.replace(/\\u00[0-9a-f]{2}/gi, (sequence) => String.fromCharCode(Number.parseInt(sequence.slice(2), 16)))))
    throw new Error(`evidence of ${id} holds a control character`);
  const fix = input.fix;
  if (fix === null || typeof fix !== 'object') throw new Error(`fix of ${id} is not an object`);
  text(fix.summary, `fix summary of ${id}`);
  for (const list of ['steps', 'commands'] as const) {
    const lines: unknown = fix[list];
    if (lines === undefined) continue;
    if (!Array.isArray(lines)) throw new Error(`fix ${list} of ${id} is not a list`);
    lines.forEach((line, i) => text(line, `fix ${list}[${i}] of ${id}`));
  }
  text(fix.iac, `fix iac of ${id}`, false);
  return { ...input, id };
}

function validGap(gap: Gap): Gap {
  if (!GAP_KINDS.has(gap?.kind)) throw new Error('a gap has an unknown kind');
  return {
    kind: gap.kind,
    reason: text(gap.reason, 'a gap reason')!,
    ...(gap.permission !== undefined ? { permission: text(gap.permission, 'a gap permission')! } : {}),
  };
}

/** What the worker answered, as a check's outcome: its gaps noted, a gap thrown, its findings checked. */
function settleAnswer(plugin: string, answer: RunAnswer, ctx: { gaps: Gap[] }): FindingInput[] {
  if (answer.kind === 'error') throw new Error(answer.message);
  for (const gap of answer.gaps) ctx.gaps.push(validGap(gap));
  if (answer.kind === 'gap') throw new DataGap(validGap(answer.gap));
  return answer.findings.map((finding) => validFinding(plugin, finding));
}

/** The metadata every plugin check declares, checked. */
function validMeta(plugin: string, meta: PluginCheckMeta) {
  const title = text(meta.title, `title of check ${meta.id}`)!;
  const description = text(meta.description, `description of check ${meta.id}`)!;
  if (!Array.isArray(meta.modes)) throw new Error('its modes are not a list');
  const reads = Array.isArray(meta.reads) ? meta.reads : [];
  reads.forEach((part, i) => text(part, `reads[${i}]`));
  return { id: meta.id, title, description, modes: meta.modes.map((m) => validMode(plugin, m)), reads };
}

/** The check as the engine sees it: its run asks the plugin's worker and checks what comes back. */
function workerCheck(file: string, plugin: string, meta: PluginCheckMeta, worker: PluginWorker): Check {
  return defineCheck({
    ...validMeta(plugin, meta),
    scope: meta.scope === 'domain' ? 'domain' : 'cognito',
    source: file,
    run: (ctx) => settleAnswer(plugin, worker.run(meta.id, { snapshot: ctx.snapshot }), ctx),
  });
}

/** A plugin check of `cogdoctor client`: it runs in the worker on the reads of one app client. */
function workerClientCheck(file: string, plugin: string, meta: PluginCheckMeta, worker: PluginWorker): ClientCheck {
  return defineClientCheck({
    ...validMeta(plugin, meta),
    source: file,
    run: (ctx: ClientContext) => settleAnswer(plugin, worker.run(meta.id, { client: { reads: ctx.reads, party: ctx.party } }), ctx),
  });
}

/**
 * Every plugin file is named on stderr as it loads; loudly when a .cogdoctor.yml that merely sits
 * in the working directory (a cloned repository's, say) is what loads the code.
 */
function announce(file: string, source: PluginSource): void {
  const shown = JSON.stringify(file);
  if (source.config === undefined) {
    process.stderr.write(`cogdoctor: loading plugin ${shown} (--checks-dir)\n`);
    return;
  }
  const config = resolve(source.config);
  if (basename(config) === '.cogdoctor.yml' && dirname(config) === process.cwd()) {
    process.stderr.write(
      `cogdoctor: WARNING: running plugin code ${shown} because ${JSON.stringify(config)} in the working directory names it in checks-dirs. Plugins run with your privileges: remove checks-dirs from that file unless you trust its author.\n`,
    );
  } else process.stderr.write(`cogdoctor: loading plugin ${shown} (checks-dirs in ${JSON.stringify(config)})\n`);
}

/** The checks plugins provide: for `cogdoctor check` (a domain) and for `cogdoctor client` (one app client). */
export interface PluginChecks {
  checks: Check[];
  clientChecks: ClientCheck[];
}

/**
 * Loads every `*.js` / `*.mjs` in the folders as plugin checks (TypeScript plugins are compiled
 * first), each file in a worker thread of its own; a check that declares `kind: 'client'` is one of
 * `cogdoctor client`. A file that fails to load becomes a check with status error (of both
 * commands); an id that collides with a built-in or another plugin check is a usage error.
 */
export async function loadPlugins(sources: Array<string | PluginSource>, builtin: { checks: Check[]; clientChecks: ClientCheck[] }): Promise<PluginChecks> {
  const taken = new Map([...builtin.checks, ...builtin.clientChecks].map((c) => [c.id, 'a built-in check']));
  const loaded: PluginChecks = { checks: [], clientChecks: [] };
  for (const entry of sources) {
    const source = typeof entry === 'string' ? { dir: entry } : entry;
    for (const file of await pluginFiles(resolve(source.dir))) {
      announce(file, source);
      const plugin = basename(file, extname(file));
      const broken = (message: string, id?: string) => {
        loaded.checks.push(brokenPlugin(file, message, id));
        loaded.clientChecks.push(brokenClientPlugin(file, message, id));
      };
      if (!PLUGIN_NAME.test(plugin)) {
        broken("its file name may hold only letters, digits, dots, hyphens and underscores (it names the plugin's failure ids)");
        continue;
      }
      const { worker, loaded: result } = await PluginWorker.start(file);
      if (!worker || result.kind === 'failed') {
        broken(result.kind === 'failed' ? result.message : 'it did not load');
        continue;
      }
      for (const meta of result.checks) {
        if (typeof meta.id !== 'string' || !ID.test(meta.id))
          throw new PluginError(`${JSON.stringify(file)}: check id ${JSON.stringify(meta.id)} must be lower-case words joined by hyphens`);
        const owner = taken.get(meta.id);
        if (owner) throw new PluginError(`${JSON.stringify(file)}: check id ${meta.id} is already used by ${owner}`);
        taken.set(meta.id, `the plugin ${JSON.stringify(file)}`);
        try {
          if (meta.kind === 'client') loaded.clientChecks.push(workerClientCheck(file, plugin, meta, worker));
          else loaded.checks.push(workerCheck(file, plugin, meta, worker));
        } catch (error) {
          if (meta.kind === 'client') loaded.clientChecks.push(brokenClientPlugin(file, `check ${meta.id}: ${describeThrown(error)}`, meta.id));
          else loaded.checks.push(brokenPlugin(file, `check ${meta.id}: ${describeThrown(error)}`, meta.id));
        }
      }
    }
  }
  return loaded;
}

/** The plugin checks of `cogdoctor check`. */
export async function loadPluginChecks(sources: Array<string | PluginSource>, builtin: Check[]): Promise<Check[]> {
  return (await loadPlugins(sources, { checks: builtin, clientChecks: builtinClientChecks })).checks;
}
