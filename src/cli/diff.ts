import { existsSync } from 'node:fs';
import type { IacFile } from '../iac/run.js';
import { placeFinding, type IacIndex } from '../iac/common.js';
import type { PlanSide } from '../iac/terraform.js';
import { diffExitCode, diffSnapshots, type DiffReport } from '../diff/index.js';
import type { Check } from '../engine/types.js';
import type { RunOptions } from '../report/assemble.js';
import type { FailOn } from '../engine/exit.js';
import { redactReport } from '../redact.js';
import { renderDiffJson, renderDiffText } from '../diff/render.js';
import { readSnapshotFile } from '../snapshot/read.js';
import type { Snapshot } from '../snapshot/types.js';
import { assertKnownIds, checksFor } from './check.js';
import { UsageError } from '../errors.js';
import { assertConfigKnows, failOnOf, loadGateConfig } from './gate.js';
import type { LiveOptions } from './live.js';
import { emit, useColor, type OutputOptions } from './output.js';
import { VERSION } from './version.js';

export interface DiffCommandOptions extends OutputOptions, LiveOptions {
  failOn?: FailOn;
  only?: string[];
  skip?: string[];
  config?: string;
  checksDir?: string[];
  /** The domain to take from a template or plan that defines several. */
  domain?: string;
  /** A plan on its own: its before side (prior_state) against its after side. */
  terraformPlan?: string;
  /** Template and pseudo parameters (KEY=VALUE) for a CloudFormation side. */
  parameters?: string[];
  /** Each added finding's fix, too. */
  verbose?: boolean;
}

interface Side {
  snapshot: Snapshot;
  file?: string;
  source?: 'cfn' | 'terraform';
  /** For a template or plan: where its resources are, to locate the findings. */
  where?: IacIndex;
  domainId?: string;
}

// OpenSearch Service domain names: 3–28 of a-z, 0-9 and -, starting with a letter.
const DOMAIN_NAME = /^[a-z][a-z0-9-]{2,27}$/;

/** A side of the diff: a template or plan (by content), a snapshot file, else a domain name read live, else a file that cannot be read. */
async function openSide(arg: string, options: DiffCommandOptions, side?: PlanSide): Promise<{ iac?: IacFile; read?: () => Promise<Side> }> {
  if (existsSync(arg) || !DOMAIN_NAME.test(arg)) {
    const { openIacFile } = await import('../iac/run.js');
    const iac = existsSync(arg)
      ? await openIacFile(arg, {
          ...(options.region ? { region: options.region } : {}),
          ...(side ? { side } : {}),
          ...(options.parameters ? { parameters: options.parameters } : {}),
        })
      : undefined;
    return iac ? { iac } : { read: async () => ({ snapshot: await readSnapshotFile(arg), file: arg }) };
  }
  return {
    read: async () => {
      const { collectForCheck } = await import('./live.js');
      const [snapshot] = await collectForCheck(arg, options);
      return { snapshot: snapshot! };
    },
  };
}

function onlyDomainOf(side: { iac?: IacFile }): string | undefined {
  return side.iac?.domains.length === 1 ? side.iac.domains[0]!.snapshot.domain.DomainName : undefined;
}

/** Both sides; a template or plan with several domains takes the one named like the other side (or --domain). */
async function readSides(before: string, after: string, options: DiffCommandOptions): Promise<[Side, Side]> {
  const plan = options.terraformPlan;
  const oldOpen = await openSide(plan ?? before, options, plan ? 'before' : undefined);
  const newOpen = await openSide(plan ?? after, options, plan ? 'after' : undefined);
  if (plan && oldOpen.iac?.kind !== 'terraform') throw new UsageError(`--terraform-plan ${plan}: not a Terraform plan (terraform show -json)`);
  const oldSide = oldOpen.read ? await oldOpen.read() : undefined;
  const newSide = newOpen.read ? await newOpen.read() : undefined;
  const { pickDomain } = await import('../iac/run.js');
  const pick = (open: { iac?: IacFile }, file: string, other: Side | undefined, otherOpen: { iac?: IacFile }): Side => {
    const iac = open.iac!;
    const name = options.domain ?? (iac.domains.length > 1 ? (other?.snapshot.domain.DomainName ?? onlyDomainOf(otherOpen)) : undefined);
    const domain = pickDomain(iac, file, name);
    if (!options.quiet) for (const note of domain.notes) process.stderr.write(`cogdoctor: note: ${note}\n`);
    return { snapshot: domain.snapshot, file, source: iac.kind, where: iac.where, domainId: domain.domainId };
  };
  return [oldSide ?? pick(oldOpen, plan ?? before, newSide, newOpen), newSide ?? pick(newOpen, plan ?? after, oldSide, oldOpen)];
}

/** The page needs every check's status on the new side, which the diff does not keep: the checks run on it once more. */
async function diffHtml(diff: DiffReport, newSide: Side, checks: Check[], run: Pick<RunOptions, 'version' | 'only' | 'skip'>): Promise<string> {
  const { runChecks } = await import('../report/assemble.js');
  const newChecks = runChecks(newSide.snapshot, checks, { ...run, source: 'snapshot' }).checks;
  return (await import('../report/html.js')).renderDiffHtml(diff, { version: VERSION, newChecks });
}

export async function runDiffCommand(before: string, after: string, options: DiffCommandOptions): Promise<number> {
  const format = options.format ?? 'text';
  if (format !== 'text' && format !== 'json' && format !== 'html') throw new UsageError(`unknown --format ${format}; use text, json or html`);
  const config = await loadGateConfig(options.config);
  const checks = await checksFor(options.checksDir, config);
  assertKnownIds(checks, options.only, '--only');
  assertKnownIds(checks, options.skip, '--skip');
  await assertConfigKnows(config, checks);
  const [oldSide, newSide] = await readSides(before, after, options);
  const run = { version: VERSION, only: options.only, skip: [...(options.skip ?? []), ...(config?.skip ?? [])] };
  const compared = diffSnapshots(oldSide.snapshot, newSide.snapshot, checks, {
    ...run,
    ...(oldSide.file ? { oldFile: oldSide.file } : {}),
    ...(newSide.file ? { newFile: newSide.file } : {}),
    ...(oldSide.source ? { oldSource: oldSide.source } : {}),
    ...(newSide.source ? { newSource: newSide.source } : {}),
    ...(config ? { mutes: config.mutes } : {}),
  });
  // A finding the change adds points at the resource of the new template or plan that defines it.
  const { where, domainId } = newSide;
  const diff = where
    ? { ...compared, findings: { ...compared.findings, added: compared.findings.added.map((f) => placeFinding(f, where, domainId)) } }
    : compared;
  const safe = redactReport(diff);
  await emit(
    format === 'json'
      ? renderDiffJson(safe)
      : format === 'html'
        ? await diffHtml(safe, newSide, checks, run)
        : renderDiffText(safe, { color: useColor(options), verbose: options.verbose === true }),
    options,
  );
  return diffExitCode(diff, failOnOf(options.failOn, config));
}
