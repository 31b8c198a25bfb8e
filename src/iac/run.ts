import { stat } from 'node:fs/promises';
import { InputFileError, readInputFile } from '../snapshot/input.js';
import { join } from 'node:path';
import type { Report } from '../engine/types.js';
import type { Snapshot } from '../snapshot/types.js';
import { UsageError } from '../errors.js';
import { NoDomainError, parseParameters, snapshotsFromTemplate, TemplateError } from './cfn.js';
import { isObject, locateFindings, type IacIndex } from './common.js';
import { isPlan, PlanError, snapshotsFromPlan, type PlanResult, type PlanSide } from './terraform.js';

/** A template to read: its file (as findings name it), its text, and the stack's name when a cdk.out manifest gives it. */
interface TemplateInput {
  file: string;
  text: string;
  stackName?: string;
}

/** The largest template read from standard input (CloudFormation takes templates up to 1 MB). */
const STDIN_LIMIT = 20 * 1024 * 1024;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    size += (chunk as Buffer).length;
    if (size > STDIN_LIMIT) throw new UsageError(`--cfn -: standard input is larger than ${STDIN_LIMIT / 1024 / 1024} MB`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The stack templates of a cloud assembly (the `cdk.out` folder `cdk synth` writes): every
 * `aws:cloudformation:stack` artifact of its manifest.json, and those of nested assemblies (stages).
 */
async function assemblyTemplates(dir: string): Promise<TemplateInput[]> {
  const file = join(dir, 'manifest.json');
  if (!(await stat(file).catch(() => undefined)))
    throw new UsageError(`--cfn ${dir}: a folder without manifest.json (give the cdk.out folder cdk synth writes, or a template file)`);
  let manifest: unknown;
  try {
    manifest = JSON.parse(await readIacFile('--cfn', file));
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`--cfn ${file}: ${(error as Error).message.split('\n')[0]}`);
  }
  const artifacts = isObject(manifest) && isObject(manifest['artifacts']) ? manifest['artifacts'] : {};
  const out: TemplateInput[] = [];
  for (const [id, artifact] of Object.entries(artifacts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!isObject(artifact) || !isObject(artifact['properties'])) continue;
    const properties = artifact['properties'];
    if (artifact['type'] === 'cdk:cloud-assembly' && typeof properties['directoryName'] === 'string') {
      out.push(...(await assemblyTemplates(join(dir, properties['directoryName']))));
    } else if (artifact['type'] === 'aws:cloudformation:stack' && typeof properties['templateFile'] === 'string') {
      const file = join(dir, properties['templateFile']);
      const stackName = typeof properties['stackName'] === 'string' ? properties['stackName'] : id;
      out.push({ file, text: await readIacFile('--cfn', file), stackName });
    }
  }
  if (out.length === 0) throw new UsageError(`--cfn ${dir}: the manifest lists no stack template`);
  return out;
}

/**
 * `check --cfn`: one report per domain of the template, each finding located in the template. The
 * template is a file, `-` (standard input) or a cdk.out folder (every stack of it that has a domain).
 */
export async function reportsFromTemplate(
  file: string,
  options: { region?: string; parameters?: string[]; quiet?: boolean },
  run: (snapshot: Snapshot, file: string) => Report,
): Promise<Report[]> {
  let inputs: TemplateInput[];
  if (file === '-') inputs = [{ file: '-', text: await readStdin() }];
  else if ((await stat(file).catch(() => undefined))?.isDirectory()) inputs = await assemblyTemplates(file);
  else inputs = [{ file, text: await readIacFile('--cfn', file) }];
  const parameters = (() => {
    try {
      return parseParameters(options.parameters);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  })();
  const reports: Report[] = [];
  for (const input of inputs) {
    try {
      const result = snapshotsFromTemplate(input.text, {
        file: input.file,
        ...(options.region ? { region: options.region } : {}),
        parameters,
        ...(input.stackName ? { stackName: input.stackName } : {}),
      });
      for (const { logicalId, snapshot, notes } of result.snapshots) {
        if (!options.quiet) for (const note of notes) process.stderr.write(`cogdoctor: note: ${note}\n`);
        reports.push(locateFindings(run(snapshot, input.file), result, logicalId));
      }
    } catch (error) {
      // A stack of a cloud assembly without a domain is some other part of the app.
      if (error instanceof NoDomainError && inputs.length > 1) continue;
      if (error instanceof TemplateError) throw new UsageError(`--cfn ${input.file}: ${error.message}`);
      throw error;
    }
  }
  if (reports.length === 0) throw new UsageError(`--cfn ${file}: no stack of it has an AWS::OpenSearchService::Domain or AWS::Elasticsearch::Domain`);
  return reports;
}

/** The largest template or plan read (plans of big configurations run to tens of MB). */
const IAC_LIMIT = 128 * 1024 * 1024;

/** A template or plan: a regular file only (a FIFO or device is refused before it is opened), read within the limit. */
async function readIacFile(flag: string, file: string): Promise<string> {
  try {
    if ((await stat(file)).isDirectory()) throw new UsageError(`${flag} ${file}: a folder, not a file`);
    return await readInputFile(file, IAC_LIMIT);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    if (error instanceof InputFileError) throw new UsageError(`${flag} ${error.message}`);
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

export async function openIacFile(file: string, options: { region?: string; side?: PlanSide; parameters?: string[] }): Promise<IacFile | undefined> {
  const text = await readIacFile('diff', file);
  const kind = iacKindOf(text);
  if (kind === 'terraform') {
    const result = planSnapshots(text, file, options, options.side ?? 'after', 'diff');
    return { kind, where: result, domains: result.snapshots.map((s) => ({ domainId: s.address, snapshot: s.snapshot, notes: s.notes })) };
  }
  if (kind !== 'cfn') return undefined;
  try {
    const result = snapshotsFromTemplate(text, {
      file,
      ...(options.region ? { region: options.region } : {}),
      parameters: parseParameters(options.parameters),
    });
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
