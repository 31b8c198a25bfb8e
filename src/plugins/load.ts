import { readdir } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { defineCheck } from '../engine/define.js';
import { importModule } from './import-module.js';
import type { Check, FailureMode } from '../engine/types.js';

/** A plugin folder or file cogdoctor cannot use at all: a usage error (exit 2). */
export class PluginError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PluginError';
  }
}

const PLUGIN_FILE = /\.(m?js)$/;
const ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

function looksLikeCheck(value: unknown): value is Check {
  const v = value as Partial<Check> | null;
  return typeof v === 'object' && v !== null && typeof v.id === 'string' && typeof v.run === 'function' && Array.isArray(v.modes);
}

/** Every check a plugin module exports: its default export (a check or a list of them) and named check exports. */
function checksOf(module: Record<string, unknown>): unknown[] {
  const found = new Set<unknown>();
  const add = (value: unknown) => (Array.isArray(value) ? value.forEach(add) : looksLikeCheck(value) && found.add(value));
  add(module['default']);
  for (const [name, value] of Object.entries(module)) if (name !== 'default') add(value);
  return [...found];
}

/** A plugin's failure ids live in its own namespace: `<plugin>/<id>`, the plugin being the file's name. */
function namespaced(plugin: string, mode: FailureMode): FailureMode {
  return mode.id.includes('/') ? mode : { ...mode, id: `${plugin}/${mode.id}` };
}

/** Stands in for a plugin file that failed to load: reported as that check's error, the run goes on. */
function brokenPlugin(file: string, error: unknown): Check {
  const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
  return defineCheck({
    id: `plugin:${basename(file)}`,
    title: `plugin ${basename(file)}`,
    description: `the plugin file ${file} could not be loaded: ${message}`,
    modes: [],
    reads: [],
    scope: 'domain',
    source: file,
    run() {
      throw new Error(`the plugin could not be loaded: ${message}`);
    },
  });
}

async function pluginFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    throw new PluginError(`--checks-dir ${dir}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return names.filter((n) => PLUGIN_FILE.test(n)).sort().map((n) => join(dir, n));
}

/**
 * Loads every `*.js` / `*.mjs` in the folders as plugin checks (TypeScript plugins are compiled
 * first). A file that throws while loading becomes a check with status error; an id that
 * collides with a built-in or another plugin check is a usage error.
 */
export async function loadPluginChecks(dirs: string[], builtin: Check[]): Promise<Check[]> {
  const taken = new Map(builtin.map((c) => [c.id, 'a built-in check']));
  const loaded: Check[] = [];
  for (const dir of dirs) {
    for (const file of await pluginFiles(resolve(dir))) {
      const plugin = basename(file, extname(file));
      let exported: unknown[];
      try {
        exported = checksOf(await importModule(pathToFileURL(file).href));
        if (exported.length === 0) throw new Error('it exports no check (an object with id, modes and run)');
      } catch (error) {
        loaded.push(brokenPlugin(file, error));
        continue;
      }
      for (const raw of exported) {
        const check = raw as Check;
        if (!ID.test(check.id)) throw new PluginError(`${file}: check id ${JSON.stringify(check.id)} must be lower-case words joined by hyphens`);
        const owner = taken.get(check.id);
        if (owner) throw new PluginError(`${file}: check id ${check.id} is already used by ${owner}`);
        taken.set(check.id, file);
        let defined: Check;
        try {
          defined = defineCheck({
            ...check,
            modes: check.modes.map((m) => namespaced(plugin, m)),
            reads: check.reads ?? [],
            source: file,
            run: (ctx) => check.run(ctx).map((finding) => (finding.id.includes('/') ? finding : { ...finding, id: `${plugin}/${finding.id}` })),
          });
        } catch (error) {
          loaded.push(brokenPlugin(file, error));
          continue;
        }
        loaded.push(defined);
      }
    }
  }
  return loaded;
}
