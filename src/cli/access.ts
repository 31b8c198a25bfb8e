import { AccessInputError, evaluateAccess, parseAction, parsePath, parsePrincipal, type AccessResult } from '../access/index.js';
import { DataGap } from '../context/check-context.js';
import { SEVERITY_RANK, type FailOn } from '../engine/exit.js';
import { redactReport } from '../redact.js';
import { renderAccessJson, renderAccessText } from '../report/access.js';
import { readSnapshotFile } from '../snapshot/read.js';
import type { Snapshot } from '../snapshot/types.js';
import { UsageError } from '../errors.js';
import type { LiveOptions } from './live.js';
import { emit, useColor, type OutputOptions } from './output.js';
import { VERSION } from './version.js';

export interface AccessCommandOptions extends LiveOptions, OutputOptions {
  snapshot?: string;
  principal?: string;
  unsigned?: boolean;
  action?: string;
  path?: string;
  failOn?: FailOn;
}

/** 1 for a finding at or above --fail-on, 3 when the answer (or the FGAC mappings it shows) could not be read, else 0. */
export function accessExitCode(result: AccessResult, failOn: FailOn): 0 | 1 | 3 {
  if (failOn !== 'never' && result.findings.some((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[failOn])) return 1;
  if (result.verdict === 'unknown' || result.fgac?.readFailed) return 3;
  return 0;
}

function inputs(options: AccessCommandOptions) {
  if (options.unsigned && options.principal !== undefined && options.principal.toLowerCase() !== 'anonymous') {
    throw new UsageError('--unsigned evaluates an unsigned request: leave out --principal, or pass --principal anonymous');
  }
  if (!options.unsigned && options.principal === undefined)
    throw new UsageError('name the caller: --principal ARN (a role, a role session or a user), or --unsigned');
  return {
    principal: parsePrincipal(options.unsigned ? 'anonymous' : options.principal!),
    action: parseAction(options.action),
    path: parsePath(options.path),
  };
}

export async function runAccessCommand(domain: string | undefined, options: AccessCommandOptions): Promise<number> {
  if ([domain !== undefined, options.snapshot !== undefined].filter(Boolean).length !== 1)
    throw new UsageError('name one source: a domain (live) or --snapshot FILE');
  if (options.format !== undefined && options.format !== 'text' && options.format !== 'json')
    throw new UsageError(`unknown --format ${options.format}; use text or json`);
  let request: ReturnType<typeof inputs>;
  try {
    request = inputs(options);
  } catch (error) {
    if (error instanceof AccessInputError) throw new UsageError(error.message);
    throw error;
  }
  const { principal, action, path } = request;
  let snapshot: Snapshot;
  if (options.snapshot !== undefined) snapshot = await readSnapshotFile(options.snapshot);
  else {
    const { collectForAccess } = await import('./live.js');
    snapshot = await collectForAccess(
      domain!,
      principal.kind === 'anonymous' ? undefined : { kind: principal.kind, arn: principal.kind === 'role' ? principal.roleArn : principal.userArn },
      options,
    );
  }
  let result: AccessResult;
  try {
    result = evaluateAccess(snapshot, principal, action, path, {
      version: VERSION,
      source: options.snapshot !== undefined ? 'snapshot' : 'live',
      ...(options.snapshot !== undefined ? { file: options.snapshot } : {}),
    });
  } catch (error) {
    // A principal that does not exist is bad input, like an unknown domain.
    if (error instanceof DataGap && error.gap.kind === 'not-applicable') throw new UsageError(`--principal: ${error.gap.reason}`);
    throw error;
  }
  const safe = redactReport(result);
  await emit(
    options.format === 'json' ? renderAccessJson(safe) : renderAccessText(safe, { color: useColor(options), verbose: options.verbose === true }),
    options,
  );
  return accessExitCode(safe, options.failOn ?? 'error');
}
