import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cogdoctor } from '../helpers.js';
import { collector, withEmulator } from '../live/harness.js';
import { relyingPartyOf, type ClientCommandOptions } from '../../src/cli/client.js';
import { runClientChecks } from '../../src/client/run.js';
import { CASES, CLIENT_FIXTURES, KONG, POOL, clientFixture, runCase } from './cases.js';

const ENV = {
  AWS_ACCESS_KEY_ID: 'AKIDCLITEST000000000',
  AWS_SECRET_ACCESS_KEY: 'cli-test-secret-not-real',
  AWS_CONFIG_FILE: '/nonexistent',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_MAX_ATTEMPTS: '1',
};
const GATEWAYS = join(CLIENT_FIXTURES, 'gateways.json');
const comparable = (r: ReturnType<typeof runCase>) => ({ findings: r.findings, checks: r.checks, client: r.target.userPoolClient });

describe('cogdoctor client, live through the emulator with the real SDK', () => {
  it('reads the same as --snapshot on every case of the same data', async () => {
    const plain = CASES.filter((c) => !c.edit);
    const fixtures = [...new Set(plain.map((c) => c.fixture))];
    for (const fixture of fixtures) {
      const snapshot = clientFixture(fixture);
      await withEmulator([snapshot], async (emulator) => {
        const c = collector(emulator, 'eu-west-1');
        try {
          for (const testCase of plain.filter((x) => x.fixture === fixture)) {
            const party = relyingPartyOf({ flow: 'code', failOn: 'error', ...testCase.flags } as ClientCommandOptions);
            const reads = await c.appClient(snapshot.userPool!.Id!, testCase.clientId, {
              identityProviders: party.identityProvider !== undefined && party.identityProvider !== 'COGNITO',
            });
            const live = runClientChecks(reads, party, { version: '0.0.0-test', source: 'snapshot', file: fixture });
            expect(comparable(live), testCase.name).toEqual(comparable(runCase(testCase)));
          }
        } finally {
          c.close();
        }
      });
    }
  });

  it('the CLI gives the same JSON live and offline, making only the reads it names', async () => {
    const args = ['--redirect-uri', 'https://api.example.com/callback', '--identity-provider', 'Okta', '--format', 'json'];
    await withEmulator([clientFixture('gateways.json')], async (emulator) => {
      const live = await cogdoctor(['client', POOL, KONG, '--endpoint-url', emulator.url, ...args], ENV);
      expect(live.stderr).toBe('');
      expect(live.code).toBe(1);
      const offline = await cogdoctor(['client', '--snapshot', GATEWAYS, KONG, ...args]);
      const { target: liveTarget, ...liveRest } = JSON.parse(live.stdout);
      const { target: offlineTarget, ...offlineRest } = JSON.parse(offline.stdout);
      expect(liveRest).toEqual(offlineRest);
      expect(liveTarget.userPoolClient).toEqual(offlineTarget.userPoolClient);
      expect(liveTarget.source).toBe('live');
      expect(liveRest.findings.map((f: { id: string }) => f.id)).toEqual(['redirect-mismatch']);
      const operations = [...new Set(emulator.log.map((e) => e.operation))].sort();
      expect(operations).toEqual(['DescribeIdentityProvider', 'DescribeUserPool', 'DescribeUserPoolClient', 'DescribeUserPoolDomain', 'ListIdentityProviders']);
    });
  });

  it('a denied read answers unknown with the permission and exits 3', async () => {
    await withEmulator([clientFixture('gateways.json')], async (emulator) => {
      emulator.setFaults([{ operation: 'DescribeUserPoolDomain', kind: 'deny' }]);
      const r = await cogdoctor(
        ['client', POOL, KONG, '--endpoint-url', emulator.url, '--redirect-uri', 'https://api.example.com:8443/callback', '--format', 'json'],
        ENV,
      );
      expect(r.code).toBe(3);
      const report = JSON.parse(r.stdout);
      expect(report.findings).toEqual([]);
      expect(report.checks.find((c: { check: string }) => c.check === 'client-hosted-ui-domain')).toMatchObject({
        status: 'unknown',
        permission: 'cognito-idp:DescribeUserPoolDomain',
      });
    });
  });

  it('an unknown client or pool exits 2 with one line', async () => {
    await withEmulator([clientFixture('gateways.json')], async (emulator) => {
      const client = await cogdoctor(['client', POOL, 'nosuchclient0000000000000', '--endpoint-url', emulator.url], ENV);
      expect(client.code).toBe(2);
      expect(client.stderr).toBe(`cogdoctor: app client nosuchclient0000000000000 not found in user pool ${POOL}\n`);
      const pool = await cogdoctor(['client', 'eu-west-1_Nope0000', KONG, '--endpoint-url', emulator.url], ENV);
      expect(pool.code).toBe(2);
      expect(pool.stderr).toBe('cogdoctor: user pool eu-west-1_Nope0000 not found\n');
    });
  });
});

describe('cogdoctor client, usage errors', () => {
  it.each([
    [
      ['client', '--snapshot', GATEWAYS, 'nosuchclient0000000000000'],
      `cogdoctor: ${GATEWAYS}: user pool ${POOL} has no app client nosuchclient0000000000000 in the snapshot`,
    ],
    [['client', '--snapshot', GATEWAYS, 'eu-west-1_Other000', KONG], `cogdoctor: ${GATEWAYS}: the snapshot is of user pool ${POOL}, not eu-west-1_Other000`],
    [
      ['client', '--snapshot', GATEWAYS, KONG, '--flow', 'bogus'],
      "cogdoctor: error: option '--flow <flow>' argument 'bogus' is invalid. Allowed choices are code, implicit, client_credentials.",
    ],
    [['client', '--snapshot', GATEWAYS, KONG, '--redirect-uri', 'not a url'], 'cogdoctor: --redirect-uri "not a url" is not an absolute URL'],
    [
      ['client', '--snapshot', GATEWAYS, KONG, '--flow', 'client_credentials', '--app', 'browser'],
      'cogdoctor: --flow client_credentials authenticates with the client secret: it is for --app server only',
    ],
    [['client', 'not-a-pool', KONG], 'cogdoctor: "not-a-pool" is not a user pool id (like eu-west-1_AbC123)'],
    [['client', POOL], 'cogdoctor: name the user pool and the app client: cogdoctor client USER_POOL_ID CLIENT_ID (or --snapshot FILE CLIENT_ID)'],
  ])('%j exits 2 with one line', async (args, line) => {
    const r = await cogdoctor(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${line}\n`);
    expect(r.stdout).toBe('');
  });
});
