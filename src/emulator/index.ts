// A local stand-in for the AWS APIs cogdoctor reads, speaking their real wire protocols and loaded from snapshots.
import { readFile } from 'node:fs/promises';
import type { Snapshot } from '../snapshot/types.js';

export { startEmulator } from './server.js';
export type { Emulator, EmulatorOptions, FaultKind, FaultRule, ServedRequest } from './types.js';

/** Reads snapshot files. Validation is light: just enough that the emulator can index them. */
export async function loadSnapshotsForEmulator(paths: string[]): Promise<Snapshot[]> {
  return Promise.all(
    paths.map(async (path) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(await readFile(path, 'utf8'));
      } catch (error) {
        throw new Error(`${path}: cannot read the snapshot: ${(error as Error).message}`);
      }
      const problem = snapshotProblem(parsed);
      if (problem) throw new Error(`${path}: not a cogdoctor snapshot: ${problem}`);
      return parsed as Snapshot;
    }),
  );
}

function snapshotProblem(value: unknown): string | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'the document is not a JSON object';
  const doc = value as Record<string, unknown>;
  if (doc['schema'] !== 'cogdoctor/snapshot/v1') return `schema must be "cogdoctor/snapshot/v1"`;
  if (typeof doc['region'] !== 'string') return 'region must be a string';
  const domain = doc['domain'];
  if (!domain || typeof domain !== 'object' || typeof (domain as Record<string, unknown>)['DomainName'] !== 'string') {
    return 'domain.DomainName must be a string';
  }
  return undefined;
}
