// Writes docs/failure-modes.md from the catalog (src/catalog): node scripts/failure-modes-doc.mjs.
// test/catalog.test.ts fails while the committed file differs from what this writes.
import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { esbuildChecksPlugin } from './checks-module.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = mkdtempSync(join(tmpdir(), 'cogdoctor-catalog-'));
try {
  await build({
    stdin: {
      contents:
        "import { CATALOG } from './src/catalog/index.ts'; import { renderCatalogDoc } from './src/catalog/doc.ts'; export default renderCatalogDoc(CATALOG);",
      resolveDir: root,
      loader: 'ts',
    },
    outfile: join(out, 'doc.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'warning',
    plugins: [esbuildChecksPlugin(root)],
  });
  const { default: doc } = await import(pathToFileURL(join(out, 'doc.mjs')).href);
  writeFileSync(join(root, 'docs', 'failure-modes.md'), doc);
} finally {
  rmSync(out, { recursive: true, force: true });
}
