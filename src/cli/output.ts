import { writeFile } from 'node:fs/promises';
import type { Report } from '../engine/types.js';
import { redactDeep } from '../redact.js';
import { renderJson } from '../report/json.js';
import { renderText } from '../report/text.js';
import { UsageError } from './errors.js';
import { VERSION } from './version.js';

export const FORMATS = ['text', 'json'] as const;
export type Format = (typeof FORMATS)[number];

export interface OutputOptions {
  format?: string;
  output?: string;
  color?: boolean;
  verbose?: boolean;
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

export function render(reports: Report[], options: OutputOptions): string {
  const safe = reports.map((r) => redactDeep(r));
  switch (parseFormat(options.format)) {
    case 'json':
      return renderJson(safe);
    case 'text':
      return renderText(safe, { color: useColor(options), verbose: options.verbose === true, version: VERSION });
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
