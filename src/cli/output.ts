import { writeFile } from 'node:fs/promises';
import type { FailureMode, Report } from '../engine/types.js';
import { redactReport } from '../redact.js';
import { UsageError } from './errors.js';
import { VERSION } from './version.js';

export const FORMATS = ['text', 'json', 'markdown', 'sarif', 'junit'] as const;
export type Format = (typeof FORMATS)[number];

export interface OutputOptions {
  format?: string;
  output?: string;
  color?: boolean;
  verbose?: boolean;
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
  switch (parseFormat(options.format)) {
    case 'json':
      return (await import('../report/json.js')).renderJson(safe);
    case 'text':
      return (await import('../report/text.js')).renderText(safe, { color: useColor(options), verbose: options.verbose === true, version: VERSION });
    case 'markdown':
      return (await import('../report/markdown.js')).renderMarkdown(safe, { version: VERSION });
    case 'sarif':
      return (await import('../report/sarif.js')).renderSarif(safe, { version: VERSION, catalog, ...(options.sarifLocation ? { location: options.sarifLocation } : {}) });
    case 'junit':
      return (await import('../report/junit.js')).renderJunit(safe);
  }
}

export async function emit(text: string, options: OutputOptions): Promise<void> {
  if (options.output) {
    try {
      await writeFile(options.output, text);
    } catch (error) {
      throw new UsageError(`cannot write ${options.output}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  } else {
    process.stdout.write(text);
  }
}
