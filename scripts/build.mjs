// Bundles cogdoctor into dist/ with esbuild: the library as ES modules, the CLI as CommonJS
// bundles with V8 code caches. The AWS SDK sits in its own bundle, loaded only by live commands,
// so offline commands start fast.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { esbuildChecksPlugin } from './checks-module.mjs';
import { compileSnapshotValidator, OUTPUT as VALIDATOR } from './compile-schemas.mjs';
import { builtinModules } from 'node:module';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const checksPlugin = esbuildChecksPlugin(root);

writeFileSync(VALIDATOR, compileSnapshotValidator());
// Built beside dist/ and swapped in at the end, so a CLI started meanwhile still finds a whole build.
const staging = resolve(root, `.dist-${process.pid}`);
const common = {
  outdir: staging,
  bundle: true,
  platform: 'node',
  // The packages' ES module builds tree-shake: the SDK bundle drops the commands cogdoctor never sends.
  mainFields: ['module', 'main'],
  target: 'node20',
  minify: true,
  sourcemap: false,
  logLevel: 'warning',
};

// The library (public API, testing helpers, engine, emulator) as ES modules, for plugins and embedding.
await build({
  ...common,
  entryPoints: {
    index: resolve(root, 'src/index.ts'),
    engine: resolve(root, 'src/engine/bundle.ts'),
    emulator: resolve(root, 'src/emulator/index.ts'),
    testing: resolve(root, 'src/testing.ts'),
    // Each plugin file runs in a worker thread started from this entry (src/plugins/load.ts).
    'plugin-worker': resolve(root, 'src/plugins/worker.ts'),
  },
  splitting: true,
  format: 'esm',
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  // The SDK's CommonJS code calls require().
  banner: { js: "import { createRequire as __cogdoctorRequire } from 'node:module'; const require = __cogdoctorRequire(import.meta.url);" },
  plugins: [checksPlugin],
});

// The CLI as CommonJS bundles, which bin/load.js runs through V8's code cache. The AWS SDK is a
// bundle of its own (sdk.cjs) that only live commands load; modules reached by import() inside a
// bundle are evaluated only when first imported, so offline commands skip them too.
const sdkBundle = {
  name: 'cogdoctor-sdk-bundle',
  setup(b) {
    b.onResolve({ filter: /^\.\/aws\.js$/ }, (args) =>
      args.importer.startsWith(resolve(root, 'src/collect')) ? { path: './sdk.cjs', external: true } : undefined,
    );
  },
};
// Code run from a code cache cannot call import() on Node 20: the SDK's import() of Node's own
// modules become require(), and plugin files are imported by bin/load.js (cogdoctor:import-module).
// The CLI reaches the emulator through src/cli/emulator-bundle.ts only: a bundle of its own.
const emulatorBundle = {
  name: 'cogdoctor-emulator-bundle',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/emulator\/index\.js$/ }, (args) =>
      args.importer === resolve(root, 'src/cli/emulator-bundle.ts') ? { path: './emulator-cli.cjs', external: true } : undefined,
    );
  },
};
const noImportCalls = {
  name: 'cogdoctor-no-import-calls',
  setup(b) {
    b.onResolve({ filter: /^(node:)?[a-z_/]+$/ }, (args) =>
      args.kind === 'dynamic-import' && builtinModules.includes(args.path.replace(/^node:/, '')) ? { path: args.path, namespace: 'node-builtin' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'node-builtin' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
    b.onResolve({ filter: /^\.\/import-module\.js$/ }, (args) =>
      args.importer.startsWith(resolve(root, 'src/plugins')) ? { path: 'cogdoctor:import-module', external: true } : undefined,
    );
  },
};
// ES module packages bundled into CommonJS (fdir, under tinyglobby) still ask for import.meta.url.
const moduleUrl = {
  define: { 'import.meta.url': '__cogdoctorModuleUrl' },
  banner: { js: "var __cogdoctorModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
};
const cjs = { ...common, ...moduleUrl, format: 'cjs', outExtension: { '.js': '.cjs' }, metafile: true };
const bundles = [
  await build({ ...cjs, entryPoints: { cli: resolve(root, 'src/cli/main.ts') }, plugins: [checksPlugin, sdkBundle, emulatorBundle, noImportCalls] }),
  await build({ ...cjs, entryPoints: { 'emulator-cli': resolve(root, 'src/emulator/index.ts') }, plugins: [checksPlugin, noImportCalls] }),
  await build({ ...cjs, entryPoints: { sdk: resolve(root, 'src/collect/aws.ts') }, plugins: [noImportCalls] }),
];
for (const { metafile } of bundles) {
  for (const [file, output] of Object.entries(metafile.outputs)) {
    // bin/load.js decodes the bundles as latin1, which is their text only while they are ASCII (esbuild's default charset).
    if (file.endsWith('.cjs') && /[^\x00-\x7f]/.test(readFileSync(resolve(file), 'latin1')))
      throw new Error(`${file} is not ASCII: bin/load.js reads it as latin1`);
    const calls = output.imports.filter((i) => i.kind === 'dynamic-import');
    if (calls.length > 0) throw new Error(`${file} still calls import(${calls.map((i) => i.path).join(', ')}), which fails from the code cache`);
  }
}
// Type declarations of the public API (src/index.ts, src/testing.ts) for plugin authors.
execFileSync(
  process.execPath,
  [resolve(root, 'node_modules/typescript/bin/tsc'), '-p', resolve(root, 'tsconfig.types.json'), '--outDir', resolve(staging, 'types')],
  { stdio: 'inherit' },
);
rmSync(resolve(root, 'dist'), { recursive: true, force: true });
renameSync(staging, resolve(root, 'dist'));
// V8's code cache of the CLI bundles, from one run of their common paths on this Node.
execFileSync(process.execPath, [resolve(root, 'scripts/code-cache.mjs')], { stdio: 'inherit' });
