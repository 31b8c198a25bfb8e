// Bundles the CLI into dist/ with esbuild. The AWS SDK sits in its own chunk, loaded only by
// live commands, so offline commands start fast.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { renameSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHECKS_MODULE_ID, checksModuleSource } from './checks-module.mjs';
import { compileSnapshotValidator, OUTPUT as VALIDATOR } from './compile-schemas.mjs';
import { writeFileSync } from 'node:fs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const checksPlugin = {
  name: 'cogdoctor-checks',
  setup(b) {
    b.onResolve({ filter: new RegExp(`^${CHECKS_MODULE_ID}$`) }, () => ({ path: CHECKS_MODULE_ID, namespace: 'cogdoctor' }));
    b.onLoad({ filter: /.*/, namespace: 'cogdoctor' }, () => ({ contents: checksModuleSource(root), loader: 'ts', resolveDir: root }));
  },
};

writeFileSync(VALIDATOR, compileSnapshotValidator());
// Built beside dist/ and swapped in at the end, so a CLI started meanwhile still finds a whole build.
const staging = resolve(root, `.dist-${process.pid}`);
await build({
  entryPoints: {
    cli: resolve(root, 'src/cli/main.ts'),
    index: resolve(root, 'src/index.ts'),
    engine: resolve(root, 'src/engine/bundle.ts'),
    emulator: resolve(root, 'src/emulator/index.ts'),
    testing: resolve(root, 'src/testing.ts'),
  },
  outdir: staging,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  // The packages' ES module builds tree-shake: the SDK chunk drops the commands cogdoctor never sends.
  mainFields: ['module', 'main'],
  target: 'node20',
  minify: true,
  sourcemap: false,
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  // The SDK's CommonJS code calls require().
  banner: { js: "import { createRequire as __cogdoctorRequire } from 'node:module'; const require = __cogdoctorRequire(import.meta.url);" },
  plugins: [checksPlugin],
  logLevel: 'warning',
});
// Type declarations of the public API (src/index.ts, src/testing.ts) for plugin authors.
execFileSync(process.execPath, [resolve(root, 'node_modules/typescript/bin/tsc'), '-p', resolve(root, 'tsconfig.types.json'), '--outDir', resolve(staging, 'types')], { stdio: 'inherit' });
rmSync(resolve(root, 'dist'), { recursive: true, force: true });
renameSync(staging, resolve(root, 'dist'));
