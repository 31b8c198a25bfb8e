import { readFile } from 'node:fs/promises';
import type { Report } from '../engine/types.js';
import type { Snapshot } from '../snapshot/types.js';
import { UsageError } from '../cli/errors.js';
import { parseParameters, snapshotsFromTemplate, TemplateError } from './cfn.js';
import { isObject, locateFindings, type IacIndex } from './common.js';
import { isPlan, PlanError, snapshotsFromPlan, type PlanResult, type PlanSide } from './terraform.js';

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

async function readIacFile(flag: string, file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`${flag} ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
}

function planSnapshots(text: string, file: string, options: { region?: string }, side: PlanSide, flag: string): PlanResult {
  try {
    return snapshotsFromPlan(text, { file, ...(options.region ? { region: options.region } : {}) }, side);
  } catch (error) {
    if (error instanceof PlanError) throw new UsageError(`${flag} ${file}: ${error.message}`);
    throw error;
  }
}

/** `check --terraform-plan`: one report per domain of the plan, each finding located at its resource's address. */
export async function reportsFromPlan(
  file: string,
  options: { region?: string; quiet?: boolean },
  run: (snapshot: Snapshot, file: string) => Report,
): Promise<Report[]> {
  const result = planSnapshots(await readIacFile('--terraform-plan', file), file, options, 'after', '--terraform-plan');
  return result.snapshots.map(({ address, snapshot, notes }) => {
    if (!options.quiet) for (const note of notes) process.stderr.write(`cogdoctor: note: ${note}\n`);
    return locateFindings(run(snapshot, file), result, address);
  });
}

/** What a file holds, told by its content: a CloudFormation template, a Terraform plan, or neither (a snapshot). */
export function iacKindOf(text: string): 'cfn' | 'terraform' | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // Not JSON: a YAML template, when it has the keys every template has.
    return /^(?:AWSTemplateFormatVersion|Resources)\s*:/m.test(text) ? 'cfn' : undefined;
  }
  if (isPlan(json)) return 'terraform';
  if (isObject(json) && json['schema'] === undefined && (isObject(json['Resources']) || 'AWSTemplateFormatVersion' in json)) return 'cfn';
  return undefined;
}

/** The domains of a template or a plan, for `diff`; undefined when the file is neither (a snapshot). */
export interface IacFile {
  kind: 'cfn' | 'terraform';
  where: IacIndex;
  domains: { domainId: string; snapshot: Snapshot; notes: string[] }[];
}

export async function openIacFile(file: string, options: { region?: string; side?: PlanSide }): Promise<IacFile | undefined> {
  const text = await readIacFile('diff', file);
  const kind = iacKindOf(text);
  if (kind === 'terraform') {
    const result = planSnapshots(text, file, options, options.side ?? 'after', 'diff');
    return { kind, where: result, domains: result.snapshots.map((s) => ({ domainId: s.address, snapshot: s.snapshot, notes: s.notes })) };
  }
  if (kind !== 'cfn') return undefined;
  try {
    const result = snapshotsFromTemplate(text, { file, ...(options.region ? { region: options.region } : {}) });
    return { kind, where: result, domains: result.snapshots.map((s) => ({ domainId: s.logicalId, snapshot: s.snapshot, notes: s.notes })) };
  } catch (error) {
    if (error instanceof TemplateError) throw new UsageError(`diff ${file}: ${error.message}`);
    throw error;
  }
}

/** The domain named `name`, else the only one; a usage error naming the choices otherwise. */
export function pickDomain(iac: IacFile, file: string, name: string | undefined): IacFile['domains'][number] {
  const picked = name ? iac.domains.filter((d) => d.snapshot.domain.DomainName === name) : iac.domains.length === 1 ? iac.domains : [];
  if (picked.length === 1) return picked[0]!;
  const names = iac.domains.map((d) => d.snapshot.domain.DomainName).join(', ');
  throw new UsageError(`diff ${file}: ${name ? `no domain ${name}` : 'several domains'} in it (${names}): name one with --domain NAME`);
}
