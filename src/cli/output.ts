import { lstat, mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isInputOfThisRun } from '../snapshot/input.js';
import { inertLine } from '../util/inert.js';
import type { FailureMode, Report } from '../engine/types.js';
import { redactReport } from '../redact.js';
import { UsageError } from '../errors.js';
import { VERSION } from './version.js';

export const FORMATS = ['text', 'json', 'markdown', 'sarif', 'junit', 'html'] as const;
export type Format = (typeof FORMATS)[number];

export interface OutputOptions {
  format?: string;
  output?: string;
  color?: boolean;
  verbose?: boolean;
  /** --compact: one line per finding (text format). */
  compact?: boolean;
  /** --sarif-location: the file SARIF results point at. */
  sarifLocation?: string;
}

export function parseFormat(value: string | undefined): Format {
  const format = value ?? 'text';
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`unknown --format ${format}; use one of ${FORMATS.join(', ')}`);
  return format as Format;
}

/** Colour only for a terminal, and never when NO_COLOR or --no-color says so (FORCE_COLOR wins over a pipe). */
export function useColor(options: OutputOptions): boolean {
  if (options.color === false || (process.env['NO_COLOR'] ?? '') !== '') return false;
  const force = process.env['FORCE_COLOR'];
  if (force !== undefined) return force !== '0' && force !== 'false';
  return !options.output && process.stdout.isTTY === true;
}

/**
 * Every format prints the same redacted Report; `catalog` gives SARIF rules their descriptions.
 * Each reporter is loaded only when asked for, so a JSON run never loads the colour library.
 */
export async function render(reports: Report[], options: OutputOptions, catalog: FailureMode[] = []): Promise<string> {
  const safe = reports.map((r) => redactReport(r));
  const format = parseFormat(options.format);
  if (options.compact) {
    if (format !== 'text') throw new UsageError(`--compact is a text view: drop it or --format ${format}`);
    return (await import('../report/compact.js')).renderCompact(safe, { color: useColor(options) });
  }
  switch (format) {
    case 'json':
      return (await import('../report/json.js')).renderJson(safe);
    case 'text':
      return (await import('../report/text.js')).renderText(safe, { color: useColor(options), verbose: options.verbose === true, version: VERSION });
    case 'markdown':
      return (await import('../report/markdown.js')).renderMarkdown(safe, { version: VERSION });
    case 'sarif':
      return (await import('../report/sarif.js')).renderSarif(safe, {
        version: VERSION,
        catalog,
        ...(options.sarifLocation ? { location: options.sarifLocation } : {}),
      });
    case 'junit':
      return (await import('../report/junit.js')).renderJunit(safe);
    case 'html':
      return (await import('../report/html.js')).renderHtml(safe, { version: VERSION });
  }
}

export async function emit(text: string, options: OutputOptions): Promise<void> {
  if (options.output) await writeOutputFile(options.output, text);
  else process.stdout.write(text);
}

/**
 * -o FILE: written whole or not at all (a temporary file in the same folder, renamed over it), its
 * folder made when missing; never an input of the same run, never through a symbolic link.
 */
export async function writeOutputFile(file: string, text: string): Promise<void> {
  const output = await openOutputFile(file);
  try {
    await output.write(text);
    await output.close();
  } catch (error) {
    await output.abort();
    throw error;
  }
}

export interface Output {
  write(text: string): Promise<void>;
  /** The end: a file appears under its name only now. */
  close(): Promise<void>;
  /** The run failed: a file being written is removed, the named one left as it was. */
  abort(): Promise<void>;
}

/** Where a report written piece by piece goes: stdout, or -o FILE written whole or not at all. */
export async function openOutput(options: OutputOptions): Promise<Output> {
  if (options.output) return openOutputFile(options.output);
  return {
    write: (text) => new Promise<void>((resolve, reject) => process.stdout.write(text, (error) => (error ? reject(error) : resolve()))),
    close: async () => {},
    abort: async () => {},
  };
}

async function openOutputFile(file: string): Promise<Output> {
  const fail = (problem: string) => new UsageError(`cannot write ${inertLine(file)}: ${problem}`);
  const existing = await lstat(file).catch(() => undefined);
  if (existing?.isSymbolicLink()) throw fail('it is a symbolic link; cogdoctor does not write through one (name the file it points at)');
  if (existing && !existing.isFile()) throw fail('it is not a regular file');
  if (existing && isInputOfThisRun(existing)) throw fail('it is an input of this run');
  const folder = dirname(file);
  const temporary = join(folder, `.${basename(file)}.${process.pid}.tmp`);
  let handle: FileHandle;
  try {
    await mkdir(folder, { recursive: true });
    // 'wx': created new, so a link planted at the temporary name is not followed either.
    handle = await open(temporary, 'wx');
  } catch (error) {
    throw fail((error as NodeJS.ErrnoException).code ?? (error as Error).message);
  }
  const failed = async (error: unknown) => {
    await handle.close().catch(() => undefined);
    await rm(temporary, { force: true });
    return fail((error as NodeJS.ErrnoException).code ?? (error as Error).message);
  };
  return {
    write: async (text) => {
      try {
        await handle.write(text);
      } catch (error) {
        throw await failed(error);
      }
    },
    close: async () => {
      try {
        await handle.close();
        await rename(temporary, file);
      } catch (error) {
        throw await failed(error);
      }
    },
    abort: async () => {
      await handle.close().catch(() => undefined);
      await rm(temporary, { force: true });
    },
  };
}
