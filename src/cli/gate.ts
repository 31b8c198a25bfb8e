import { existsSync } from 'node:fs';
import { InputFileError, readInputFile } from '../snapshot/input.js';
import { MAX_SNAPSHOT_BYTES } from '../snapshot/read.js';
import type { FailOn } from '../engine/exit.js';
import type { Check, Report } from '../engine/types.js';
import { BaselineError, parseBaseline, type Baseline, type GateConfig } from '../gate/index.js';
import type { Snapshot } from '../snapshot/types.js';
import { UsageError } from '../errors.js';

/** Read from the current directory when --config is not given. */
export const DEFAULT_CONFIG = '.cogdoctor.yml';

/** The file's text; undefined when an `optional` file does not exist. */
async function readText(file: string, optional: boolean, limitBytes: number): Promise<string | undefined> {
  try {
    return await readInputFile(file, limitBytes);
  } catch (error) {
    if (!(error instanceof InputFileError)) throw error;
    if (optional && !existsSync(file)) return undefined;
    throw new UsageError(error.message);
  }
}

/** A config is a few lines; a baseline, a report of as many findings as a snapshot holds. */
const MAX_CONFIG_BYTES = 1024 * 1024;

/** --config FILE, else .cogdoctor.yml when present; an invalid one is a usage error naming the bad field. */
export async function loadGateConfig(file: string | undefined): Promise<GateConfig | undefined> {
  const path = file ?? DEFAULT_CONFIG;
  const text = await readText(path, file === undefined, MAX_CONFIG_BYTES);
  if (text === undefined) return undefined;
  const { ConfigError, parseConfig } = await import('../gate/config.js');
  try {
    return parseConfig(text, path);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
}

/** The config's skips and mutes must name checks and failure ids that exist, plugins included. */
export async function assertConfigKnows(config: GateConfig | undefined, checks: Check[]): Promise<void> {
  if (!config) return;
  const { ConfigError, assertConfigIds } = await import('../gate/config.js');
  try {
    assertConfigIds(config, { checks: new Set(checks.map((c) => c.id)), failures: new Set(checks.flatMap((c) => c.modes.map((m) => m.id))) });
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
}

/** --baseline FILE: a JSON report of an earlier run, or a snapshot that `runSnapshot` checks. */
export async function loadBaseline(file: string, runSnapshot: (snapshot: Snapshot) => Report): Promise<Baseline> {
  const text = (await readText(file, false, MAX_SNAPSHOT_BYTES))!;
  try {
    return parseBaseline(text, file, runSnapshot);
  } catch (error) {
    if (error instanceof BaselineError) throw new UsageError(`--baseline ${error.message}`);
    throw error;
  }
}

/** --fail-on wins over the config's fail-on; error when neither says. */
export function failOnOf(flag: FailOn | undefined, config: GateConfig | undefined): FailOn {
  return flag ?? config?.failOn ?? 'error';
}
