import { exitCodeOf, type FailOn } from '../engine/exit.js';
import { runChecks } from '../report/assemble.js';
import type { Check, Report } from '../engine/types.js';
import type { Snapshot } from '../snapshot/types.js';
import { gateReport } from '../gate/index.js';
import { expandSnapshotPaths, readSnapshotFile } from '../snapshot/read.js';
import { UsageError } from '../errors.js';
import { assertConfigKnows, failOnOf, loadBaseline, loadGateConfig } from './gate.js';
import type { GateConfig } from '../gate/index.js';
import { emit, parseFormat, render, type OutputOptions } from './output.js';
import { VERSION } from './version.js';
import type { LiveOptions } from './live.js';
import { isSweep, type SweepFlags } from './sweep.js';

export interface CheckOptions extends OutputOptions, LiveOptions, SweepFlags {
  snapshot?: string[];
  all?: boolean;
  /** A CloudFormation template to check before deploy. */
  cfn?: string;
  /** A Terraform plan (terraform show -json) to check before apply. */
  terraformPlan?: string;
  /** With --cfn: KEY=VALUE template and pseudo parameters. */
  parameters?: string[];
  /** Unset: the config's fail-on, else error. */
  failOn?: FailOn;
  only?: string[];
  skip?: string[];
  baseline?: string;
  config?: string;
  checksDir?: string[];
}

/** The built-in checks plus the plugin checks of --checks-dir and the config's checks-dirs. */
export async function checksFor(dirs: string[] | undefined, config: GateConfig | undefined): Promise<Check[]> {
  const { builtinChecks } = await import('../engine/builtin.js');
  const all = [...(dirs ?? []), ...(config?.checksDirs ?? []).map((dir) => ({ dir, config: config!.file }))];
  if (all.length === 0) return builtinChecks;
  const { loadPluginChecks, PluginError } = await import('../plugins/load.js');
  try {
    return [...builtinChecks, ...(await loadPluginChecks(all, builtinChecks))];
  } catch (error) {
    if (error instanceof PluginError) throw new UsageError(error.message);
    throw error;
  }
}

export function assertKnownIds(checks: Check[], ids: string[] | undefined, flag: string): void {
  const known = new Set(checks.flatMap((c) => [c.id, ...c.modes.map((m) => m.id)]));
  const unknown = (ids ?? []).filter((id) => !known.has(id));
  if (unknown.length > 0) throw new UsageError(`${flag}: unknown check or failure id ${unknown.join(', ')} (see: cogdoctor checks)`);
}

export async function runCheckCommand(domain: string | undefined, options: CheckOptions): Promise<number> {
  if (isSweep(options) && !options.all)
    throw new UsageError(
      'the sweep flags (--regions, --accounts, --organization, --role-name, --role-arn, --external-id, --session-policy, --max-accounts-in-flight) go with --all',
    );
  const sources = [domain !== undefined, Boolean(options.snapshot), Boolean(options.all), Boolean(options.cfn), Boolean(options.terraformPlan)].filter(
    Boolean,
  ).length;
  if (sources !== 1) throw new UsageError('name one source: a domain, --snapshot FILE, --cfn TEMPLATE, --terraform-plan PLAN.json, or --all');
  if (options.parameters && !options.cfn) throw new UsageError('--parameters goes with --cfn');
  parseFormat(options.format);
  if (isSweep(options)) {
    const { runSweepCommand } = await import('./sweep.js');
    return runSweepCommand(options);
  }
  // A live run sends its first reads before anything else loads: the checks, the config and the
  // baseline then load in the wait for the answers, not before the first round trip.
  const cancel = new AbortController();
  const live = domain !== undefined || options.all ? await startLive(domain, options, cancel.signal) : undefined;
  try {
    return await checkWith(live, options);
  } catch (error) {
    cancel.abort();
    throw error;
  }
}

async function startLive(domain: string | undefined, options: CheckOptions, signal: AbortSignal): Promise<{ snapshots: Promise<Snapshot[]> }> {
  const { startCollectForCheck } = await import('./live.js');
  const { started, snapshots } = startCollectForCheck(domain, options, signal);
  // Awaited after the checks load; until then a failure must not count as unhandled.
  snapshots.catch(() => undefined);
  await started;
  return { snapshots };
}

/** What every check run loads first: the config, the checks, the run's settings and the baseline. */
export async function prepareRun(options: CheckOptions) {
  const config = await loadGateConfig(options.config);
  const checks = await checksFor(options.checksDir, config);
  assertKnownIds(checks, options.only, '--only');
  assertKnownIds(checks, options.skip, '--skip');
  await assertConfigKnows(config, checks);
  const run = { version: VERSION, only: options.only, skip: [...(options.skip ?? []), ...(config?.skip ?? [])] };
  // A bad baseline fails the run before anything is printed (and cancels the live reads).
  const baseline = options.baseline
    ? await loadBaseline(options.baseline, (snapshot) => runChecks(snapshot, checks, { ...run, source: 'snapshot', file: options.baseline! }))
    : undefined;
  const gate = (report: Report) => gateReport(report, { ...(config ? { mutes: config.mutes } : {}), ...(baseline ? { baseline } : {}) });
  return { config, checks, run, gate };
}

async function checkWith(live: { snapshots: Promise<Snapshot[]> } | undefined, options: CheckOptions): Promise<number> {
  const { config, checks, run, gate } = await prepareRun(options);

  let reports: Report[];
  if (options.cfn) {
    const { reportsFromTemplate } = await import('../iac/run.js');
    reports = await reportsFromTemplate(options.cfn, options, (snapshot, file) => runChecks(snapshot, checks, { ...run, source: 'cfn', file }));
  } else if (options.terraformPlan) {
    const { reportsFromPlan } = await import('../iac/run.js');
    reports = await reportsFromPlan(options.terraformPlan, options, (snapshot, file) => runChecks(snapshot, checks, { ...run, source: 'terraform', file }));
  } else if (options.snapshot) {
    reports = [];
    for (const file of await expandSnapshotPaths(options.snapshot)) {
      const snapshot = await readSnapshotFile(file);
      reports.push(runChecks(snapshot, checks, { ...run, source: 'snapshot', file }));
    }
  } else {
    reports = (await live!.snapshots).map((snapshot) => runChecks(snapshot, checks, { ...run, source: 'live' }));
  }
  reports = reports.map(gate);
  if (options.format === 'sarif' && !options.sarifLocation && reports.some((r) => !r.target.file && !r.baseline)) {
    process.stderr.write(
      'cogdoctor: the SARIF results of a live run point at no file, which code scanning needs: pass --sarif-location FILE (the IaC that defines the domain)\n',
    );
  }
  await emit(
    await render(
      reports,
      options,
      checks.flatMap((c) => c.modes),
    ),
    options,
  );
  return exitCodeOf(reports, failOnOf(options.failOn, config));
}
