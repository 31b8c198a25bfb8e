import { constants } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { inertLine } from '../util/inert.js';

/** An input file cogdoctor cannot use: what is wrong and with which file, in one printable line. */
export class InputFileError extends Error {
  constructor(message: string) {
    super(inertLine(message));
    this.name = 'InputFileError';
  }
}

const KINDS: [keyof import('node:fs').Stats, string][] = [
  ['isFIFO', 'a named pipe'],
  ['isCharacterDevice', 'a device'],
  ['isBlockDevice', 'a device'],
  ['isSocket', 'a socket'],
];

function notRegular(info: import('node:fs').Stats): string | undefined {
  if (info.isFile()) return undefined;
  if (info.isDirectory()) return 'is a folder, not a file';
  const kind = KINDS.find(([test]) => (info[test] as () => boolean).call(info))?.[1] ?? 'not a regular file';
  return `is ${kind}, not a regular file: pass a file`;
}

const inputsOfThisRun = new Set<string>();
const identity = (info: { dev: number; ino: number }) => `${info.dev}:${info.ino}`;

/** Whether this process read a file with this identity as an input (an -o must not overwrite it). */
export function isInputOfThisRun(info: { dev: number; ino: number }): boolean {
  return inputsOfThisRun.has(identity(info));
}

/**
 * A regular file's text (UTF-8, a leading BOM dropped), read up to `limitBytes`: a named pipe, a
 * device or a socket is refused before it is opened (opening a FIFO would wait for a writer), and
 * the limit holds whatever the file's size claims (/proc files and devices claim 0).
 */
export async function readInputFile(file: string, limitBytes: number): Promise<string> {
  const fail = (problem: string) => new InputFileError(`${file}: ${problem}`);
  const unreadable = (error: NodeJS.ErrnoException) => new InputFileError(`cannot read ${file} (${error.code ?? 'error'})`);
  const tooLarge = (size?: number) =>
    new InputFileError(
      `${file} is ${size !== undefined ? `${Math.round(size / 1048576)} MB; the limit is ${limitBytes / 1048576} MB` : `over the ${limitBytes / 1048576} MB limit`}`,
    );
  const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
    throw unreadable(error);
  });
  const problem = notRegular(info);
  if (problem) throw fail(problem);
  // The size a file claims refuses it early; the count while reading holds for files that claim less.
  if (info.size > limitBytes) throw tooLarge(info.size);
  // O_NONBLOCK: a file swapped for a FIFO after the check still cannot make the open wait.
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK).catch((error: NodeJS.ErrnoException) => {
    throw unreadable(error);
  });
  try {
    const opened = await handle.stat();
    const swapped = notRegular(opened);
    if (swapped) throw fail(swapped);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const { bytesRead, buffer } = await handle.read({ buffer: Buffer.alloc(1 << 16) });
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > limitBytes) throw tooLarge();
      chunks.push(buffer.subarray(0, bytesRead));
    }
    inputsOfThisRun.add(identity(opened));
    const text = Buffer.concat(chunks).toString('utf8');
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } finally {
    await handle.close();
  }
}

/** `not valid JSON (…)` in one printable line, without the engine's echo of the input. */
export function jsonErrorMessage(error: unknown): string {
  const detail = (error as Error).message.replace(/,? ".*" is not valid JSON$/s, '');
  return `not valid JSON (${inertLine(detail).slice(0, 200)})`;
}
