// Writes dist/<bundle>.cjs.cache: V8's code cache of the CLI bundles, taken after one process has
// run their common paths (an offline check in every format, a live check against the local
// emulator, trace, explain), so the functions those paths call are cached compiled too.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '../dist/emulator.mjs';

const { loadBundle, loadedBundles, writeCodeCaches } = createRequire(import.meta.url)('../bin/load.js');

const fixture = new URL('../fixtures/demo/logs-demo.json', import.meta.url);
const snapshotFile = fileURLToPath(fixture);
Object.assign(process.env, {
  AWS_ACCESS_KEY_ID: 'AKIDCODECACHE0000000',
  AWS_SECRET_ACCESS_KEY: 'code-cache-emulator-secret',
  AWS_CONFIG_FILE: '/nonexistent',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
  AWS_EC2_METADATA_DISABLED: 'true',
});

const { main } = loadBundle('cli');
const write = process.stdout.write;
async function quietly(...args) {
  process.stdout.write = () => true;
  try {
    await main(['node', 'cogdoctor', ...args]);
  } finally {
    process.stdout.write = write;
  }
}

for (const format of ['json', 'text', 'markdown', 'sarif', 'junit'])
  await quietly('check', '--snapshot', snapshotFile, '--format', format, '--sarif-location', 'main.tf');
await quietly('trace', '--snapshot', snapshotFile, '--groups', 'dashboards-admins');
await quietly('explain', 'missing-role');
const { default: demo } = await import(fixture, { with: { type: 'json' } });
const emulator = await startEmulator({ snapshots: [demo] });
try {
  await quietly('check', demo.domain.DomainName, '--region', demo.region, '--endpoint-url', emulator.url, '--format', 'json', '--quiet');
} finally {
  await emulator.close();
}
process.exitCode = 0;
writeCodeCaches();
console.log(
  `code cache: ${loadedBundles()
    .map((b) => b.name)
    .join(', ')}`,
);
