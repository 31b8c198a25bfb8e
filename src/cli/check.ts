import { builtinChecks } from '../engine/builtin.js';
import { exitCodeOf, type FailOn } from '../engine/exit.js';
import { runChecks } from '../engine/run.js';
import type { Check, Report } from '../engine/types.js';
import { expandSnapshotPaths, readSnapshotFile } from '../snapshot/read.js';
import { UsageError } from './errors.js';
import { emit, parseFormat, render, type OutputOptions } from './output.js';
import { VERSION } from './version.js';
import type { LiveOptions } from './live.js';

export interface CheckOptions extends OutputOptions, LiveOptions {
  snapshot?: string[];
  all?: boolean;
  failOn: FailOn;
  only?: string[];
  skip?: string[];
}

function assertKnownIds(checks: Check[], ids: string[] | undefined, flag: string): void {
  const known = new Set(checks.flatMap((c) => [c.id, ...c.modes.map((m) => m.id)]));
  const unknown = (ids ?? []).filter((id) => !known.has(id));
  if (unknown.length > 0) throw new UsageError(`${flag}: unknown check or failure id ${unknown.join(', ')} (see: cogdoctor checks)`);
}

export async function runCheckCommand(domain: string | undefined, options: CheckOptions): Promise<number> {
  const sources = [domain !== undefined, Boolean(options.snapshot), Boolean(options.all)].filter(Boolean).length;
  if (sources !== 1) throw new UsageError('name one source: a domain, --snapshot FILE, or --all');
  parseFormat(options.format);
  const checks = builtinChecks;
  assertKnownIds(checks, options.only, '--only');
  assertKnownIds(checks, options.skip, '--skip');
  const run = { version: VERSION, only: options.only, skip: options.skip };

  let reports: Report[];
  if (options.snapshot) {
    reports = [];
    for (const file of await expandSnapshotPaths(options.snapshot)) {
      const snapshot = await readSnapshotFile(file);
      reports.push(runChecks(snapshot, checks, { ...run, source: 'snapshot', file }));
    }
  } else {
    const { collectForCheck } = await import('./live.js');
    const snapshots = await collectForCheck(domain, options);
    reports = snapshots.map((snapshot) => runChecks(snapshot, checks, { ...run, source: 'live' }));
  }
  await emit(render(reports, options), options);
  return exitCodeOf(reports, options.failOn);
}
