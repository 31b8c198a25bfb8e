// Loads the CLI's bundles (dist/<name>.cjs) through V8's code cache (dist/<name>.cjs.cache, made
// by the build after a run of the common paths). Compiling, and lazily compiling each function on
// its first call, is most of a cold start, and Node 20 has no compile cache of its own. A cache V8
// rejects (another Node version, other V8 flags) costs only the compile it would have saved.
// CommonJS (bin/package.json), because Node starts an ES module entry point a few ms slower.
const { readFileSync, renameSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');
const { Script } = require('node:vm');

const DIST = join(__dirname, '../dist');
const loaded = new Map();

// Code run from a code cache cannot call import() on Node 20 (it loses the script's import
// callback), so the bundles import plugin files (ES modules) through this module's import().
const IMPORT_MODULE = 'cogdoctor:import-module';
let resolveHookRegistered = false;
const importModule = (url) => {
  if (!resolveHookRegistered) {
    require('node:module').register('./resolve-cogdoctor.mjs', pathToFileURL(__filename));
    resolveHookRegistered = true;
  }
  return import(url);
};

/** The exports of dist/<name>.cjs, evaluated once. */
function loadBundle(name) {
  const known = loaded.get(name);
  if (known) return known.module.exports;
  const file = join(DIST, `${name}.cjs`);
  let cachedData;
  try {
    cachedData = readFileSync(`${file}.cache`);
  } catch {
    // No cache (a build without one): compile as usual.
  }
  // The bundles are ASCII (esbuild escapes the rest; the build checks it): decoding them as latin1 gives
  // the same string, V8's one-byte kind, without UTF-8 validation.
  const source = `(function (exports, require, module, __filename, __dirname) {${readFileSync(file, 'latin1')}\n})`;
  const script = new Script(source, { filename: file, cachedData });
  const module = { exports: {} };
  loaded.set(name, { script, module, rejected: cachedData === undefined || script.cachedDataRejected === true });
  const nodeRequire = createRequire(file);
  // The bundles name each other as './<name>.cjs'; those load through the cache too.
  const require = (id) => (id === IMPORT_MODULE ? { importModule } : /^\.\/[\w-]+\.cjs$/.test(id) ? loadBundle(id.slice(2, -4)) : nodeRequire(id));
  script.runInThisContext()(module.exports, require, module, file, DIST);
  return module.exports;
}

/** Which bundles this process loaded, and whether V8 took their code cache. */
function loadedBundles() {
  return [...loaded].map(([name, { rejected }]) => ({ name, cached: !rejected }));
}

/** Saves the code cache of every bundle loaded so far, with every function compiled until now. */
function writeCodeCaches() {
  for (const [name, { script }] of loaded) {
    const file = join(DIST, `${name}.cjs.cache`);
    writeFileSync(`${file}.tmp`, script.createCachedData());
    renameSync(`${file}.tmp`, file);
  }
}

module.exports = { loadBundle, loadedBundles, writeCodeCaches };
