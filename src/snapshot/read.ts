import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Snapshot } from './types.js';
import { validateSnapshotShape } from './validate.js';
import { redactDeep } from '../redact.js';

/** A snapshot cogdoctor cannot use; `path` names the first bad field (`$.roles[1].Arn`). */
export class SnapshotError extends Error {
  constructor(readonly path: string, message: string) {
    super(`${path}: ${message}`);
    this.name = 'SnapshotError';
  }
}

/** Refuse inputs that would cost unbounded memory or time before parsing them. */
export const MAX_SNAPSHOT_BYTES = 20 * 1024 * 1024;

export function parseSnapshot(text: string): Snapshot {
  if (text.length > MAX_SNAPSHOT_BYTES) {
    throw new SnapshotError('$', `the snapshot is ${Math.round(text.length / 1048576)} MB; the limit is ${MAX_SNAPSHOT_BYTES / 1048576} MB`);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new SnapshotError('$', `not valid JSON (${(error as Error).message})`);
  }
  const problem = validateSnapshotShape(document);
  if (problem) throw new SnapshotError(problem.path, problem.message);
  // A hand-written snapshot may still carry a client secret: it never goes further than here.
  return redactDeep(document as Snapshot);
}

export async function readSnapshotFile(file: string): Promise<Snapshot> {
  let text: string;
  try {
    // An oversized file is refused by its size, before any of it is read into memory.
    const { size } = await stat(file);
    if (size > MAX_SNAPSHOT_BYTES) throw new SnapshotError('$', `${file} is ${Math.round(size / 1048576)} MB; the limit is ${MAX_SNAPSHOT_BYTES / 1048576} MB`);
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof SnapshotError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new SnapshotError('$', `cannot read ${file}${code ? ` (${code})` : ''}`);
  }
  return parseSnapshot(text);
}

/** Files as given; a folder stands for the `.json` files in it, in name order. */
export async function expandSnapshotPaths(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (info?.isDirectory()) {
      const names = (await readdir(path)).filter((name) => name.endsWith('.json')).sort();
      files.push(...names.map((name) => join(path, name)));
    } else {
      files.push(path);
    }
  }
  return files;
}
