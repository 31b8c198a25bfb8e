// A sweep outlives its sessions: a long one (hundreds of accounts, each paced by its quotas) holds an
// account's AssumeRole session up to its Expiration. The emulator refuses expired keys as AWS does
// (test/emulator/organization.test.ts); the sweep must assume the role again before that.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sweep } from '../../src/collect/sweep.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import type { Snapshot } from '../../src/index.js';
import { MANAGEMENT, ROLE, organizationOf, relocated } from './organization.js';

const MEMBER = '200000000021';
const CREDENTIALS = { accessKeyId: 'AKIDRENEWALTEST00000', secretAccessKey: 'renewal-test-secret' };

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({
    organization: organizationOf([{ accountId: MEMBER, name: 'long-sweep', role: 'trusts-management', regions: { 'eu-west-1': 'ENABLED_BY_DEFAULT' } }]),
    snapshots: [relocated('healthy/token-groups.json', MEMBER, 'eu-west-1')],
    // ListGroups answers slowly: the test moves the clock past the session's Expiration while it waits.
    faults: [{ service: 'cognito-idp', operation: 'ListGroups', kind: 'latency', ms: 300 }],
  });
});
afterAll(() => emulator.close());

describe('a session that expires during a sweep', () => {
  it('is renewed by assuming the role again: every read of the account succeeds', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const jumped = new Promise<void>((resolve) => {
      const watch = setInterval(() => {
        if (!emulator.log.some((e) => e.operation === 'ListGroups' && e.accountId === MEMBER)) return;
        clearInterval(watch);
        // 56 minutes on: the one-hour session issued at the start has 4 minutes left, inside the
        // 5 minutes in which the SDK's identity rule renews it. Requests already signed still arrive
        // in time, as on AWS; the next ones must be signed with a new session.
        vi.setSystemTime(Date.now() + 56 * 60_000);
        resolve();
      }, 1);
    });
    try {
      const snapshots: Snapshot[] = [];
      const accounts = await sweep(
        {
          homeRegion: 'us-east-1',
          deep: true,
          accounts: [MEMBER],
          regions: ['eu-west-1'],
          roleArn: `arn:aws:iam::{account}:role/${ROLE}`,
          maxAccountsInFlight: 1,
          endpointUrl: emulator.url,
          credentials: CREDENTIALS,
          maxAttempts: 1,
          timeoutMs: 5_000,
        },
        (snapshot) => {
          snapshots.push(snapshot);
        },
      );
      await jumped;
      expect(accounts.map((a) => a.status)).toEqual(['read']);
      expect(snapshots).toHaveLength(1);
      expect(snapshots[0]!.errors ?? []).toEqual([]);
      const assumed = emulator.log.filter((e) => e.operation === 'AssumeRole' && e.accountId === MANAGEMENT);
      expect(assumed.map((e) => e.status)).toEqual([200, 200]);
      // Reads were made after the clock moved on, with the new session, and none was refused.
      const after = emulator.log.findIndex((e) => e.operation === 'ListGroups');
      expect(emulator.log.slice(after + 1).filter((e) => e.accountId === MEMBER).length).toBeGreaterThan(0);
      // (A 404 is an answer: the identity pool has no principal tag map.)
      expect(emulator.log.filter((e) => e.status === 400 || e.status === 403)).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });
});
