import { Collector, type CollectOptions } from '../../src/collect/index.js';
import { startEmulator, type Emulator, type FaultRule } from '../../src/emulator/index.js';
import type { Snapshot } from '../../src/index.js';
import { report } from '../helpers.js';

export const TEST_CREDENTIALS = { accessKeyId: 'AKIDTESTEMULATOR0000', secretAccessKey: 'test-emulator-secret' };

/** Serves `snapshots` on a local emulator and collects one domain through the real SDK clients. */
export async function withEmulator<T>(snapshots: Snapshot[], use: (emulator: Emulator) => Promise<T>, faults: FaultRule[] = []): Promise<T> {
  const emulator = await startEmulator({ snapshots, faults, pageSize: 2 });
  try {
    return await use(emulator);
  } finally {
    await emulator.close();
  }
}

export function collector(emulator: Emulator, region: string, extra: Partial<CollectOptions> = {}): Collector {
  return new Collector({ region, deep: true, endpointUrl: emulator.url, credentials: TEST_CREDENTIALS, maxAttempts: 1, timeoutMs: 2_000, ...extra });
}

export async function collectLive(snapshot: Snapshot, faults: FaultRule[] = [], extra: Partial<CollectOptions> = {}) {
  return withEmulator([snapshot], async (emulator) => {
    // The live read happens at the fixture's instant, so date-dependent checks see the same day.
    const c = collector(emulator, snapshot.region, { ...(snapshot.capturedAt ? { capturedAt: snapshot.capturedAt } : {}), ...extra });
    try {
      const live = await c.snapshot(snapshot.domain.DomainName);
      return { live, report: report(live), log: [...emulator.log], calls: c.calls };
    } finally {
      c.close();
    }
  }, faults);
}

/**
 * What a report says, without what legitimately differs between sources: a live read also
 * collects optional parts a hand-written fixture may lack, turning `not-evaluated` into a verdict.
 */
export function comparable(r: ReturnType<typeof report>) {
  return {
    findings: r.findings.map(({ id, check, severity, resource, message, evidence, fix }) => ({ id, check, severity, resource, message, evidence, fix })),
    incomplete: r.checks.filter((c) => c.status === 'unknown' || c.status === 'error'),
  };
}
