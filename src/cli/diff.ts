import { existsSync } from 'node:fs';
import { diffExitCode, diffSnapshots } from '../diff/index.js';
import type { FailOn } from '../engine/exit.js';
import { redactReport } from '../redact.js';
import { renderDiffJson, renderDiffText } from '../report/diff.js';
import { readSnapshotFile } from '../snapshot/read.js';
import type { Snapshot } from '../snapshot/types.js';
import { assertKnownIds, checksFor } from './check.js';
import { UsageError } from './errors.js';
import { assertConfigKnows, failOnOf, loadGateConfig } from './gate.js';
import type { LiveOptions } from './live.js';
import { emit, useColor, type OutputOptions } from './output.js';
import { VERSION } from './version.js';

export interface DiffCommandOptions extends OutputOptions, LiveOptions {
  failOn?: FailOn;
  only?: string[];
  skip?: string[];
  config?: string;
  checksDir?: string[];
}

// OpenSearch Service domain names: 3–28 of a-z, 0-9 and -, starting with a letter.
const DOMAIN_NAME = /^[a-z][a-z0-9-]{2,27}$/;

/** A side of the diff: an existing file, else a domain name read live, else a file that cannot be read. */
async function readSide(arg: string, options: DiffCommandOptions): Promise<{ snapshot: Snapshot; file?: string }> {
  if (existsSync(arg) || !DOMAIN_NAME.test(arg)) return { snapshot: await readSnapshotFile(arg), file: arg };
  const { collectForCheck } = await import('./live.js');
  const [snapshot] = await collectForCheck(arg, options);
  return { snapshot: snapshot! };
}

export async function runDiffCommand(before: string, after: string, options: DiffCommandOptions): Promise<number> {
  const format = options.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`unknown --format ${format}; use text or json`);
  const config = await loadGateConfig(options.config);
  const checks = await checksFor(options.checksDir, config);
  assertKnownIds(checks, options.only, '--only');
  assertKnownIds(checks, options.skip, '--skip');
  await assertConfigKnows(config, checks);
  const oldSide = await readSide(before, options);
  const newSide = await readSide(after, options);
  const diff = diffSnapshots(oldSide.snapshot, newSide.snapshot, checks, {
    version: VERSION,
    only: options.only,
    skip: [...(options.skip ?? []), ...(config?.skip ?? [])],
    ...(oldSide.file ? { oldFile: oldSide.file } : {}),
    ...(newSide.file ? { newFile: newSide.file } : {}),
    ...(config ? { mutes: config.mutes } : {}),
  });
  const safe = redactReport(diff);
  await emit(format === 'json' ? renderDiffJson(safe) : renderDiffText(safe, { color: useColor(options) }), options);
  return diffExitCode(diff, failOnOf(options.failOn, config));
}
