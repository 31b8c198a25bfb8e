import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cogdoctor, FIXTURES, loadFixture } from '../helpers.js';
import { withEmulator } from '../live/harness.js';
import { BIN } from '../gate/run-cli.js';

const home = mkdtempSync(join(tmpdir(), 'cogdoctor-home-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

/** No credentials and no region from anywhere but what a test gives: a fresh machine. */
const FRESH = {
  HOME: home,
  AWS_ACCESS_KEY_ID: '',
  AWS_SECRET_ACCESS_KEY: '',
  AWS_SESSION_TOKEN: '',
  AWS_PROFILE: '',
  AWS_REGION: '',
  AWS_DEFAULT_REGION: '',
  AWS_CONFIG_FILE: join(home, '.aws/config'),
  AWS_SHARED_CREDENTIALS_FILE: join(home, '.aws/credentials'),
  AWS_EC2_METADATA_DISABLED: 'true',
};
const KEYS = { AWS_ACCESS_KEY_ID: 'AKIDSETUPTEST0000000', AWS_SECRET_ACCESS_KEY: 'setup-test-secret' };

function expectOneLine(r: { code: number; stderr: string }, code: number, pattern: RegExp) {
  expect(r.code).toBe(code);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(pattern);
}

describe('the region of an AWS profile', () => {
  const demo = loadFixture('demo/logs-demo.json');

  it('[default] region in ~/.aws/config serves when neither --region nor AWS_REGION is given', async () => {
    mkdirSync(join(home, '.aws'), { recursive: true });
    writeFileSync(join(home, '.aws/config'), `[default]\nregion = ${demo.region}\n\n[profile other]\nregion = ap-south-2\n`);
    // A named profile brings its own keys: the SDK does not take the environment's for it.
    writeFileSync(
      join(home, '.aws/credentials'),
      `[other]\naws_access_key_id = ${KEYS.AWS_ACCESS_KEY_ID}\naws_secret_access_key = ${KEYS.AWS_SECRET_ACCESS_KEY}\n`,
    );
    await withEmulator([demo], async (emulator) => {
      const r = await cogdoctor(['check', 'logs-prod', '--endpoint-url', emulator.url, '--format', 'json', '--quiet'], { ...FRESH, ...KEYS });
      expect(r.stderr).toBe('');
      expect(JSON.parse(r.stdout).target.region).toBe(demo.region);
      // --profile picks another profile's region: the domain is read there (and, as on AWS, is not found there).
      const other = await cogdoctor(['check', 'logs-prod', '--profile', 'other', '--endpoint-url', emulator.url, '--format', 'json', '--quiet'], {
        ...FRESH,
        ...KEYS,
      });
      expect(other.code).toBe(2);
      expect(other.stderr).toBe('cogdoctor: domain logs-prod not found in ap-south-2\n');
    });
  });

  it('no region anywhere says where to set one', async () => {
    rmSync(join(home, '.aws'), { recursive: true, force: true });
    const r = await cogdoctor(['check', 'logs-prod', '--quiet'], { ...FRESH, ...KEYS });
    expectOneLine(r, 2, /no region: pass --region, set AWS_REGION, or set region in the default profile/);
  });
});

describe('a live run that read nothing exits 2 with the cause and what to do', () => {
  it('no credentials names aws configure, aws sso login and --profile', async () => {
    for (const args of [
      ['check', 'logs-prod', '--region', 'eu-west-1'],
      ['client', 'eu-west-1_AbC123', 'client1'],
    ]) {
      const r = await cogdoctor([...args, '--quiet', '--max-attempts', '1'], FRESH);
      expectOneLine(r, 2, /no AWS credentials .*aws configure.*aws sso login.*--profile/);
      expect(r.stdout).toBe('');
    }
  });

  it('an --endpoint-url that is not a URL, a region that is not one, and a host that does not resolve', async () => {
    expectOneLine(
      await cogdoctor(['check', 'd', '--region', 'eu-west-1', '--endpoint-url', 'not-a-url'], { ...FRESH, ...KEYS }),
      2,
      /--endpoint-url "not-a-url" is not an http\(s\) URL/,
    );
    expectOneLine(await cogdoctor(['check', 'd', '--region', 'not_a_region'], { ...FRESH, ...KEYS }), 2, /--region "not_a_region" is not an AWS region/);
    const dns = await cogdoctor(
      ['check', 'd', '--region', 'eu-west-1', '--endpoint-url', 'http://no-such-host.invalid:4566', '--max-attempts', '1', '--quiet'],
      { ...FRESH, ...KEYS },
    );
    expectOneLine(dns, 2, /cannot resolve no-such-host\.invalid: check the network and --endpoint-url/);
  });

  it('DescribeDomain denied exits 2 naming the permission; a later read denied stays 3', async () => {
    const demo = loadFixture('demo/logs-demo.json');
    await withEmulator([demo], async (emulator) => {
      emulator.setFaults([{ operation: 'DescribeDomain', kind: 'deny' }]);
      const denied = await cogdoctor(['check', 'logs-prod', '--region', 'eu-west-1', '--endpoint-url', emulator.url, '--max-attempts', '1'], {
        ...FRESH,
        ...KEYS,
      });
      expectOneLine(denied, 2, /es:DescribeDomain denied .*add es:DescribeDomain/);
      emulator.setFaults([{ operation: 'GetRole', kind: 'deny' }]);
      const partial = await cogdoctor(
        ['check', 'logs-prod', '--region', 'eu-west-1', '--endpoint-url', emulator.url, '--max-attempts', '1', '--fail-on', 'never'],
        { ...FRESH, ...KEYS },
      );
      expect(partial.code).toBe(3);
    });
  });
});

describe('an emulator on this machine', () => {
  it('takes placeholder credentials when none are given, with a note', async () => {
    const demo = loadFixture('demo/logs-demo.json');
    await withEmulator([demo], async (emulator) => {
      const r = await cogdoctor(['check', 'logs-prod', '--region', 'eu-west-1', '--endpoint-url', emulator.url, '--format', 'json'], FRESH);
      expect(r.code).toBe(1);
      expect(JSON.parse(r.stdout).findings.length).toBeGreaterThan(0);
      expectOneLine(r, 1, /note: no credentials given for http:\/\/127\.0\.0\.1:\d+ \(on this machine\): signing with placeholder credentials/);
    });
  });
});

/** Starts `cogdoctor emulator` and resolves with its first stdout line, or its exit code and stderr. */
function startEmulatorCommand(args: string[]) {
  const child = spawn('node', [BIN, 'emulator', '--snapshot', join(FIXTURES, 'demo/logs-demo.json'), ...args]);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const first = new Promise<{ url?: string; code?: number | null; stderr: string }>((resolve) => {
    child.stdout.once('data', (chunk: Buffer) => resolve({ url: chunk.toString().split('\n')[0]!, stderr }));
    child.once('close', (code) => resolve({ code, stderr }));
  });
  return { child, first, stderr: () => stderr };
}

describe('cogdoctor emulator', () => {
  it('--port 0 takes any free port; -v prints each request answered', async () => {
    const run = startEmulatorCommand(['--port', '0', '-v']);
    try {
      const { url } = await run.first;
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:[1-9]\d*$/);
      const r = await cogdoctor(['check', 'logs-prod', '--region', 'eu-west-1', '--endpoint-url', url!, '--quiet'], { ...FRESH, ...KEYS });
      expect(r.code).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(run.stderr()).toMatch(/^200 opensearch:DescribeDomain "\S*logs-prod"$/m);
    } finally {
      run.child.kill('SIGTERM');
    }
  });

  it('a port in use is one line naming it, exit 2', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as { port: number }).port;
    try {
      const { code, stderr } = await startEmulatorCommand(['--port', String(port)]).first;
      expectOneLine({ code: code ?? -1, stderr }, 2, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is in use`));
    } finally {
      busy.close();
    }
  });
});

describe('cogdoctor client --help', () => {
  it('offers no flag that means nothing for one app client, and refuses a --region other than the pool id says', async () => {
    const help = await cogdoctor(['client', '--help']);
    expect(help.stdout).not.toMatch(/--no-deep|--concurrency|--region|across all domains/);
    expect(help.stdout).toMatch(/--profile/);
    const other = await cogdoctor(['client', 'eu-west-1_AbC123', 'client1', '--region', 'us-east-1'], { ...FRESH, ...KEYS });
    expectOneLine(other, 2, /user pool eu-west-1_AbC123 is in eu-west-1: drop --region us-east-1/);
  });

  it('-v is --verbose, and no command says "across all domains"', async () => {
    for (const command of ['check', 'trace', 'access', 'diff', 'snapshot', 'client']) {
      expect((await cogdoctor([command, '--help'])).stdout).not.toMatch(/across all domains/);
    }
    expect((await cogdoctor(['check', '--help'])).stdout).toMatch(/-v, --verbose/);
  });
});
