import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { join, relative } from 'node:path';
import { builtinChecks } from '../src/engine/builtin.js';
import { runChecks } from '../src/report/assemble.js';
import type { Check, Report, Snapshot } from '../src/index.js';
import { parseSnapshot } from '../src/snapshot/read.js';
import { runCheck as runCheckOf } from '../src/testing.js';

export const ROOT = join(import.meta.dirname, '..');
export const FIXTURES = join(ROOT, 'fixtures');

export interface Fixture {
  /** Path relative to fixtures/, e.g. `fail/redirect-mismatch.json`. */
  name: string;
  file: string;
  snapshot: Snapshot;
  /** Every failure id the fixture must produce, and nothing else. */
  expect: string[];
  description: string;
}

/** The organization file beside the built-in organization's snapshots is not a snapshot. */
export const isSnapshotFile = (name: string) => name.endsWith('.json') && name !== 'organization.json';

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : isSnapshotFile(entry.name) ? [join(dir, entry.name)] : [],
  );
}

export function loadFixtures(): Fixture[] {
  return walk(FIXTURES)
    .sort()
    .map((file) => {
      const snapshot = parseSnapshot(readFileSync(file, 'utf8'));
      const meta = (snapshot['fixture'] ?? {}) as { expect?: string[]; description?: string };
      return { name: relative(FIXTURES, file), file, snapshot, expect: [...new Set(meta.expect ?? [])].sort(), description: meta.description ?? '' };
    });
}

export function loadFixture(name: string): Snapshot {
  return parseSnapshot(readFileSync(join(FIXTURES, name), 'utf8'));
}

export function check(id: string): Check {
  const found = builtinChecks.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id}`);
  return found;
}

export function report(snapshot: Snapshot, checks: Check[] = builtinChecks): Report {
  return runChecks(snapshot, checks, { version: '0.0.0-test', source: 'snapshot' });
}

/** The failure ids one built-in check reports on a snapshot, and its status: cogdoctor/testing's runCheck, by id. */
export function runCheck(id: string, snapshot: Snapshot) {
  return runCheckOf(check(id), snapshot);
}

// The helpers plugin authors get from cogdoctor/testing.
export { variant } from '../src/testing.js';

/** The environment of a developer's terminal: ora draws nothing where CI is set or TERM is dumb, as on a CI runner. */
export function terminalEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { CI: _ci, ...rest } = env;
  return { ...rest, TERM: 'xterm-256color' };
}

const execFileAsync = promisify(execFile);

/** Runs the built CLI (`node bin/cogdoctor`) the way a user does; async, so an in-process emulator keeps answering. */
export async function cogdoctor(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await execFileAsync('node', [join(ROOT, 'bin', 'cogdoctor'), ...args], {
      env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '0', ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
