// `check --all` across accounts and Regions: one report per domain, written as each is done, then
// the sweep's summary. Nothing is kept of a domain once its report is written.
import { exitCodeOf } from '../engine/exit.js';
import type { Report } from '../engine/types.js';
import { UsageError } from '../errors.js';
import { runChecks } from '../report/assemble.js';
import { permissionsPolicy } from '../collect/allowlist.js';
import type { CheckOptions } from './check.js';
import { failOnOf } from './gate.js';
import { checkEndpointUrl, checkRegion, nothingReadMessage } from './unreadable.js';
import { openOutput, parseFormat, useColor } from './output.js';
import { VERSION } from './version.js';

export interface SweepFlags {
  /** `all`, or Region names. */
  regions?: string[];
  accounts?: string[];
  organization?: boolean;
  roleName?: string;
  roleArn?: string;
  externalId?: string;
  sessionPolicy?: boolean;
  maxAccountsInFlight?: number;
}

/** Accounts in flight at once: each has its own quotas, so more in flight is faster until the machine is the limit. */
const DEFAULT_ACCOUNTS_IN_FLIGHT = 50;

export function isSweep(options: SweepFlags): boolean {
  return Boolean(
    options.regions ||
      options.accounts ||
      options.organization ||
      options.roleName ||
      options.roleArn ||
      options.externalId ||
      options.sessionPolicy ||
      options.maxAccountsInFlight,
  );
}

/** The flags of a sweep, checked before anything is read. */
function sweepPlan(options: CheckOptions & SweepFlags) {
  if (options.accounts && options.organization) throw new UsageError('name the accounts with --accounts or --organization, not both');
  if (options.roleName && options.roleArn) throw new UsageError('name the role with --role-name or --role-arn, not both');
  if ((options.externalId || options.sessionPolicy) && !options.roleName && !options.roleArn)
    throw new UsageError('--external-id and --session-policy go with --role-name or --role-arn');
  for (const id of options.accounts ?? []) {
    if (!/^\d{12}$/.test(id)) throw new UsageError(`--accounts: ${JSON.stringify(id)} is not an AWS account id (12 digits)`);
  }
  const regions = options.regions ?? [];
  const all = regions.includes('all');
  if (all && regions.length > 1) throw new UsageError('--regions takes all, or a list of Regions, not both');
  for (const region of all ? [] : regions) {
    const problem = checkRegion(region, '--regions');
    if (problem) throw new UsageError(problem);
  }
  if (options.roleName && !/^[\w+=,.@/-]{1,64}$/.test(options.roleName))
    throw new UsageError(`--role-name ${JSON.stringify(options.roleName)} is not an IAM role name`);
  if (options.roleArn && !/^arn:(\{partition\}|aws[\w-]*):iam::(\{account\}|\d{12}):role\/\S+$/.test(options.roleArn))
    throw new UsageError(`--role-arn ${JSON.stringify(options.roleArn)} is not a role ARN template like arn:{partition}:iam::{account}:role/NAME`);
  const roleArn = options.roleArn ?? (options.roleName ? `arn:{partition}:iam::{account}:role/${options.roleName.replace(/^\/+/, '')}` : undefined);
  return {
    regions: all ? ('all' as const) : regions.length > 0 ? regions : undefined,
    accounts: options.organization ? ('organization' as const) : options.accounts,
    ...(roleArn ? { roleArn } : {}),
  };
}

export async function runSweepCommand(
  options: CheckOptions & SweepFlags,
  fixed: { credentials?: { accessKeyId: string; secretAccessKey: string } } = {},
): Promise<number> {
  const plan = sweepPlan(options);
  const format = parseFormat(options.format);
  const { regionOf, placeholderCredentials, progress, readSettingsOf } = await import('./live.js');
  const homeRegion = await regionOf(options);
  const endpointProblem = options.endpointUrl !== undefined ? checkEndpointUrl(options.endpointUrl) : undefined;
  if (endpointProblem) throw new UsageError(endpointProblem);
  const { prepareRun } = await import('./check.js');
  const { config, checks, run, gate } = await prepareRun(options);
  const failOn = failOnOf(options.failOn, config);
  const { sweep, SweepNeedsRole, SweepUnreadable } = await import('../collect/sweep.js');
  const { SweepTally, sweepWriter } = await import('../report/sweep.js');

  const writer = sweepWriter(format, {
    color: useColor(options),
    verbose: options.verbose === true,
    compact: options.compact === true,
    version: VERSION,
    catalog: checks.flatMap((c) => c.modes),
    ...(options.sarifLocation ? { sarifLocation: options.sarifLocation } : {}),
  });
  const tally = new SweepTally();
  const output = await openOutput(options);
  const spinner = await progress(options.quiet);
  const credentials = fixed.credentials ?? placeholderCredentials(options);
  let exit: 0 | 1 | 3 = 0;
  const onReport = async (report: Report) => {
    const gated = gate(report);
    tally.add(gated);
    const code = exitCodeOf([gated], failOn);
    if (code === 1 || (code === 3 && exit === 0)) exit = code;
    await output.write(writer.report(gated));
  };
  try {
    const accounts = await sweep(
      {
        homeRegion,
        deep: options.deep !== false,
        regions: plan.regions ?? [homeRegion],
        ...(plan.accounts ? { accounts: plan.accounts } : {}),
        ...(plan.roleArn ? { roleArn: plan.roleArn } : {}),
        ...(options.externalId ? { externalId: options.externalId } : {}),
        ...(options.sessionPolicy ? { sessionPolicy: JSON.stringify(permissionsPolicy()) } : {}),
        maxAccountsInFlight: options.maxAccountsInFlight ?? DEFAULT_ACCOUNTS_IN_FLIGHT,
        ...readSettingsOf(options),
        ...(credentials ? { credentials } : {}),
        onSweepProgress: (p) =>
          spinner.update(
            `accounts ${p.accountsDone}/${p.accountsTotal} · ${p.domainsFound} domains · ${p.inFlight} requests in flight · ${p.throttled} throttled answers`,
          ),
      },
      (snapshot) => onReport(runChecks(snapshot, checks, { ...run, source: 'live' })),
    );
    spinner.stop();
    await output.write(writer.end(tally.summary(accounts, { version: VERSION })));
    await output.close();
    // An account or Region that could not be read leaves its domains unknown.
    const unread = accounts.some((a) => a.status === 'unreadable' || a.regions.some((r) => r.status === 'unreadable'));
    return exit === 0 && unread ? 3 : exit;
  } catch (error) {
    spinner.stop();
    await output.abort();
    if (error instanceof SweepNeedsRole)
      throw new UsageError("the accounts named are not all the caller's own: pass --role-name NAME (or --role-arn TEMPLATE) to read each in its role");
    if (error instanceof SweepUnreadable) {
      const { operation } = error.error;
      const hint = operation === 'organizations:ListAccounts' ? ' (run from the management account or a delegated administrator, or pass --accounts)' : '';
      throw new UsageError(
        `${nothingReadMessage(error.error, { region: homeRegion, ...(options.endpointUrl ? { endpointUrl: options.endpointUrl } : {}) })}${hint}`,
      );
    }
    if ((error as Error).name === 'CredentialsProviderError')
      throw new UsageError(
        nothingReadMessage({ operation: 'sts', code: 'CredentialsProviderError', message: (error as Error).message }, { region: homeRegion }),
      );
    throw error;
  }
}
