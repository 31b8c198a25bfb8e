// Through the CLI as a user runs it: --timeout bounds each whole answer, so a server trickling a
// byte at a time ends the run (incomplete, naming the read) instead of keeping it alive.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import type { Report } from '../../src/index.js';
import { cogdoctor, loadFixture } from '../helpers.js';
import { startHostileServer, trickle, type HostileServer } from './hostile-server.js';

const ENV = {
  AWS_ACCESS_KEY_ID: 'AKIDCLITEST000000000',
  AWS_SECRET_ACCESS_KEY: 'cli-test-secret-not-real',
  AWS_CONFIG_FILE: '/nonexistent',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
  AWS_EC2_METADATA_DISABLED: 'true',
};
const snapshot = loadFixture('healthy/token-groups.json');
let emulator: Emulator;
let server: HostileServer;

beforeAll(async () => {
  emulator = await startEmulator({ snapshots: [snapshot] });
  server = await startHostileServer(emulator.url, 'ListGroups', trickle(100));
});
afterAll(async () => {
  await server.close();
  await emulator.close();
});

it('check --timeout 1000 --max-attempts 2 ends on a trickled ListGroups, exit 3, naming the read', async () => {
  const r = await cogdoctor(
    [
      'check',
      snapshot.domain.DomainName,
      '--region',
      snapshot.region,
      '--endpoint-url',
      server.url,
      '--timeout',
      '1000',
      '--max-attempts',
      '2',
      '--format',
      'json',
    ],
    ENV,
  );
  expect(r.code).toBe(3);
  const report = JSON.parse(r.stdout) as Report;
  const unknown = report.checks.filter((c) => c.status === 'unknown').map((c) => c.reason ?? '');
  expect(
    unknown.some((reason) => /cognito-idp:ListGroups failed on \S+ \(Timeout: no complete answer from 127\.0\.0\.1 within 1000 ms\)/.test(reason)),
    unknown.join('\n'),
  ).toBe(true);
  // Two attempts, then the read is recorded as failed.
  expect(server.calls).toBe(2);
});
