import { Collector, type CollectOptions } from '../../src/collect/index.js';
import { startEmulator, type Emulator, type FaultRule } from '../../src/emulator/index.js';
import type { Snapshot } from '../../src/index.js';
import { report } from '../helpers.js';

/**
 * The snapshot of an account whose optional parts were all read, each found empty where the
 * snapshot has none: what tests about something else serve, so that no read of a part the
 * snapshot never collected fails (the emulator answers those as denied).
 */
export function fullyCollected(snapshot: Snapshot): Snapshot {
  const s = structuredClone(snapshot);
  s.identityProviders ??= [];
  if (s.userPoolWebAcl === undefined) s.userPoolWebAcl = null;
  s.principalTagAttributeMaps ??= [];
  const domain = s.userPool?.CustomDomain ?? s.userPool?.Domain;
  if (domain && s.userPool?.Id && !s.userPoolDomain) s.userPoolDomain = { Domain: domain, UserPoolId: s.userPool.Id, Status: 'ACTIVE' };
  for (const role of s.roles ?? []) if (role.Arn && !s.rolePolicies?.[role.Arn]) (s.rolePolicies ??= {})[role.Arn] = { attached: [], inline: [] };
  return s;
}

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
  return withEmulator(
    [snapshot],
    async (emulator) => {
      // The live read happens at the fixture's instant, so date-dependent checks see the same day.
      const c = collector(emulator, snapshot.region, { ...(snapshot.capturedAt ? { capturedAt: snapshot.capturedAt } : {}), ...extra });
      try {
        const live = await c.snapshot(snapshot.domain.DomainName);
        return { live, report: report(live), log: [...emulator.log], calls: c.calls };
      } finally {
        c.close();
      }
    },
    faults,
  );
}

type VerdictClass = 'fires' | 'quiet' | 'undecided' | 'broken';

/**
 * What each check concluded, as a user acts on it: it fires, it is quiet, or it could not decide.
 * A live read of a part the snapshot never collected is a failed read (unknown) where the offline
 * read is not evaluated: both are undecided. A check that crashed is neither.
 */
export function verdictClasses(r: ReturnType<typeof report>): Record<string, VerdictClass> {
  const classOf = (status: string): VerdictClass =>
    status === 'fail' ? 'fires' : status === 'pass' || status === 'not-applicable' ? 'quiet' : status === 'error' ? 'broken' : 'undecided';
  return Object.fromEntries(r.checks.map((c) => [c.check, classOf(c.status)]));
}

/** What a report says, without what legitimately differs between sources: the findings, and each check's verdict class. */
export function comparable(r: ReturnType<typeof report>) {
  return {
    findings: r.findings.map(({ id, check, severity, resource, message, evidence, fix }) => ({ id, check, severity, resource, message, evidence, fix })),
    verdicts: verdictClasses(r),
  };
}
