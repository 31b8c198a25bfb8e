import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cogdoctor, loadFixture, report } from '../helpers.js';
import { withEmulator } from './harness.js';

const ENV = {
  AWS_ACCESS_KEY_ID: 'AKIDCLITEST000000000',
  AWS_SECRET_ACCESS_KEY: 'cli-test-secret-not-real',
  AWS_CONFIG_FILE: '/nonexistent',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_MAX_ATTEMPTS: '1',
};
const tmp = mkdtempSync(join(tmpdir(), 'cogdoctor-live-'));

describe('live commands through the CLI against the emulator', () => {
  const demo = loadFixture('demo/logs-demo.json');

  it('check <domain> --endpoint-url gives the same findings as --snapshot', async () => {
    await withEmulator([demo], async (emulator) => {
      const r = await cogdoctor(['check', 'logs-prod', '--region', 'eu-west-1', '--endpoint-url', emulator.url, '--format', 'json'], ENV);
      expect(r.code).toBe(1);
      const live = JSON.parse(r.stdout);
      expect(live.target.source).toBe('live');
      expect(live.findings.map((f: { id: string }) => f.id)).toEqual(report(demo).findings.map((f) => f.id));
      expect(r.stderr).toBe('');
    });
  });

  it('AWS_ENDPOINT_URL works like --endpoint-url', async () => {
    await withEmulator([demo], async (emulator) => {
      const r = await cogdoctor(['check', 'logs-prod', '--format', 'json'], { ...ENV, AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL: emulator.url });
      expect(JSON.parse(r.stdout).findings.length).toBe(report(demo).findings.length);
    });
  });

  it('snapshot writes a redacted, sorted snapshot that check --snapshot reads back', async () => {
    const leaky = structuredClone(demo);
    leaky.userPoolClients![0]!.ClientSecret = 'CANARY-live-client-secret-987654321';
    await withEmulator([leaky], async (emulator) => {
      const out = join(tmp, 'snap.json');
      const r = await cogdoctor(['snapshot', 'logs-prod', '--region', 'eu-west-1', '--endpoint-url', emulator.url, '-o', out], ENV);
      expect(r.code).toBe(0);
      const text = readFileSync(out, 'utf8');
      expect(text).not.toContain('CANARY');
      expect(text).toContain('"ClientSecret": "<redacted>"');
      const again = await cogdoctor(['check', '--snapshot', out, '--format', 'json'], ENV);
      expect(JSON.parse(again.stdout).findings.map((f: { id: string }) => f.id)).toEqual(report(demo).findings.map((f) => f.id));
      // Taken twice, the snapshot is byte-identical: it diffs cleanly in git.
      const twice = join(tmp, 'snap2.json');
      await cogdoctor(['snapshot', 'logs-prod', '--region', 'eu-west-1', '--endpoint-url', emulator.url, '-o', twice], ENV);
      expect(readFileSync(twice, 'utf8')).toBe(text);
    });
  });

  it('check --all reports every domain with Cognito enabled, reading shared resources once', async () => {
    // A second domain on the same pools: one account holds one state of each pool.
    const second = structuredClone(demo);
    second.domain.DomainName = 'logs-staging';
    second.domain.ARN = second.domain.ARN!.replace('logs-prod', 'logs-staging');
    // With Cognito off, the domain's snapshot holds no Cognito parts.
    const legacy = loadFixture('healthy/legacy-es-kibana.json');
    const off = {
      schema: legacy.schema,
      region: legacy.region,
      accountId: legacy.accountId,
      domain: { ...structuredClone(legacy.domain), CognitoOptions: { Enabled: false } },
    };
    await withEmulator([demo, second, off], async (emulator) => {
      const r = await cogdoctor(['check', '--all', '--region', 'eu-west-1', '--endpoint-url', emulator.url, '--format', 'json'], ENV);
      const reports = r.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { target: { domain: string } });
      expect(reports.map((x) => x.target.domain)).toEqual(['logs-prod', 'logs-staging']);
      const describeUserPool = emulator.log.filter((e) => e.operation === 'DescribeUserPool');
      expect(describeUserPool).toHaveLength(1);
    });
  });

  it('an unknown domain exits 2 with one line; DescribeDomain denied (nothing read) exits 2 naming the permission', async () => {
    await withEmulator([demo], async (emulator) => {
      const missing = await cogdoctor(['check', 'nope', '--region', 'eu-west-1', '--endpoint-url', emulator.url], ENV);
      expect(missing.code).toBe(2);
      expect(missing.stderr.trim()).toBe('cogdoctor: domain nope not found in eu-west-1');
      emulator.setFaults([{ operation: 'DescribeDomain', kind: 'deny' }]);
      const denied = await cogdoctor(['check', 'logs-prod', '--region', 'eu-west-1', '--endpoint-url', emulator.url], ENV);
      expect(denied.code).toBe(2);
      expect(denied.stderr).toMatch(/es:DescribeDomain denied .*add es:DescribeDomain/);
      expect(denied.stderr.trim().split('\n')).toHaveLength(1);
    });
  });

  it('no region is a usage error', async () => {
    const r = await cogdoctor(['check', 'logs-prod'], { ...ENV, AWS_REGION: '', AWS_DEFAULT_REGION: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no region/);
  });

  it('demo runs the live path and shows at least three failure modes with fixes', async () => {
    const r = await cogdoctor(['demo', '--format', 'json'], {});
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.target.source).toBe('live');
    const ids = new Set(out.findings.map((f: { id: string }) => f.id));
    expect(ids.size).toBeGreaterThanOrEqual(3);
    for (const finding of out.findings) expect(finding.fix.summary.length).toBeGreaterThan(0);
  });

  it('emulator serves a snapshot file and prints its URL first', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn('node', [
      join(import.meta.dirname, '../../bin/cogdoctor'),
      'emulator',
      '--snapshot',
      join(import.meta.dirname, '../../fixtures/demo/logs-demo.json'),
    ]);
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString().split('\n')[0]!));
        child.once('error', reject);
      });
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const r = await cogdoctor(['check', 'logs-prod', '--region', 'eu-west-1', '--endpoint-url', url, '--format', 'json'], ENV);
      expect(JSON.parse(r.stdout).findings.length).toBe(report(demo).findings.length);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
