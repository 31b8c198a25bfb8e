import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { FIXTURES, ROOT, loadFixture } from './helpers.js';
import { withEmulator } from './live/harness.js';

// Which CLI bundles a command loads, and whether V8 took their code cache: a preload records
// every script bin/load.js compiles.
const tmp = mkdtempSync(join(tmpdir(), 'cogdoctor-bundles-'));
const PRELOAD = join(tmp, 'record-bundles.cjs');
writeFileSync(
  PRELOAD,
  `const vm = require('node:vm');
const { writeFileSync } = require('node:fs');
const seen = [];
const Script = vm.Script;
vm.Script = class extends Script {
  constructor(source, options) {
    super(source, options);
    if (/\\.cjs$/.test(options?.filename ?? '')) seen.push({ bundle: options.filename.split('/').pop(), cached: options.cachedData !== undefined && !this.cachedDataRejected });
  }
};
process.on('exit', () => writeFileSync(process.env.RECORD_BUNDLES, JSON.stringify(seen)));
`,
);
const ENV = {
  AWS_ACCESS_KEY_ID: 'AKIDBUNDLETEST000000',
  AWS_SECRET_ACCESS_KEY: 'bundle-test-secret-not-real',
  AWS_CONFIG_FILE: '/nonexistent',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
  AWS_EC2_METADATA_DISABLED: 'true',
};

let runs = 0;
async function bundlesOf(
  args: string[],
  nodeFlags: string[] = [],
): Promise<{ code: number; stdout: string; bundles: Array<{ bundle: string; cached: boolean }> }> {
  const record = join(tmp, `run-${runs++}.json`);
  let code = 0;
  let stdout = '';
  try {
    ({ stdout } = await promisify(execFile)('node', [...nodeFlags, '--require', PRELOAD, join(ROOT, 'bin/cogdoctor'), ...args], {
      env: { ...process.env, ...ENV, RECORD_BUNDLES: record },
    }));
  } catch (error) {
    ({ code, stdout } = error as { code: number; stdout: string });
  }
  return { code, stdout, bundles: JSON.parse(readFileSync(record, 'utf8')) };
}

describe('CLI bundles', () => {
  const snapshot = join(FIXTURES, 'healthy/opensearch-fgac.json');

  it('offline commands never load the AWS SDK, and start from the code cache', async () => {
    for (const args of [['--version'], ['check', '--snapshot', snapshot, '--format', 'json'], ['explain', 'missing-role']]) {
      const { code, bundles } = await bundlesOf(args);
      expect(code).toBe(0);
      expect(bundles).toEqual([{ bundle: 'cli.cjs', cached: true }]);
    }
  });

  it('a live check loads the SDK bundle, from its code cache too', async () => {
    const demo = loadFixture('demo/logs-demo.json');
    await withEmulator([demo], async (emulator) => {
      const { code, stdout, bundles } = await bundlesOf(['check', 'logs-prod', '--region', 'eu-west-1', '--endpoint-url', emulator.url, '--format', 'json']);
      expect(code).toBe(1);
      expect(JSON.parse(stdout).target.source).toBe('live');
      expect(bundles).toEqual([
        { bundle: 'cli.cjs', cached: true },
        { bundle: 'sdk.cjs', cached: true },
      ]);
    });
  });

  it('a code cache V8 rejects (other V8 flags) only costs the compile: same report', async () => {
    const args = ['check', '--snapshot', join(FIXTURES, 'demo/logs-demo.json'), '--format', 'json'];
    const cached = await bundlesOf(args);
    const rejected = await bundlesOf(args, ['--max-semi-space-size=32']);
    expect(rejected.bundles).toEqual([{ bundle: 'cli.cjs', cached: false }]);
    expect(rejected.code).toBe(cached.code);
    expect(rejected.stdout).toBe(cached.stdout);
  });
});
