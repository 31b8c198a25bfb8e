import { readFile } from 'node:fs/promises';
import type { Report } from '../engine/types.js';
import type { Snapshot } from '../snapshot/types.js';
import { UsageError } from '../cli/errors.js';
import { locateFindings, parseParameters, snapshotsFromTemplate, TemplateError } from './cfn.js';

/** `check --cfn`: one report per domain of the template, each finding located in the template. */
export async function reportsFromTemplate(
  file: string,
  options: { region?: string; parameters?: string[]; quiet?: boolean },
  run: (snapshot: Snapshot, file: string) => Report,
): Promise<Report[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`--cfn ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  try {
    const result = snapshotsFromTemplate(text, { file, ...(options.region ? { region: options.region } : {}), parameters: parseParameters(options.parameters) });
    return result.snapshots.map(({ logicalId, snapshot, notes }) => {
      if (!options.quiet) for (const note of notes) process.stderr.write(`cogdoctor: note: ${note}\n`);
      return locateFindings(run(snapshot, file), result, logicalId);
    });
  } catch (error) {
    if (error instanceof TemplateError) throw new UsageError(`--cfn ${file}: ${error.message}`);
    throw error;
  }
}
