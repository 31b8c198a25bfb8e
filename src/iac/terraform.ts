// `cogdoctor check --terraform-plan`: the JSON of a Terraform plan (`terraform show -json plan.out`)
// turned into one snapshot per OpenSearch Service domain, before anything is applied. Values come
// from planned_values (data sources read at plan time from prior_state); a value known only after
// apply is linked through the configuration's references to the resource that decides it, with ids
// generated from resource addresses; anything no reference decides is left out and recorded in
// `errors`, so the checks needing it say unknown.
import type { Snapshot } from '../snapshot/types.js';
import { finishSnapshot, placementOf, startSnapshot } from './builder.js';
import { isObject, type IacIndex, type Json, type Placement } from './common.js';
import { readDomain, readMasterUser } from './terraform/domain.js';
import { readRoles } from './terraform/iam.js';
import { readIdentityPool } from './terraform/identity-pool.js';
import { Builder, Plan, type PlanOptions, type PlanResource, type PlanSide } from './terraform/plan.js';
import { readUserPool } from './terraform/user-pool.js';
import { compareText } from '../util/order.js';

export type { PlanOptions, PlanSide } from './terraform/plan.js';

export class PlanError extends Error {
  override name = 'PlanError';
}

const DOMAIN_TYPES = ['aws_opensearch_domain', 'aws_elasticsearch_domain'];

export interface PlanSnapshot {
  /** Address of the domain resource. */
  address: string;
  snapshot: Snapshot;
  notes: string[];
  placement: Placement;
}

export interface PlanResult extends IacIndex {
  snapshots: PlanSnapshot[];
}

/** Reads `terraform show -json` output; refuses anything else. */
export function parsePlan(text: string): Json {
  let plan: unknown;
  try {
    plan = JSON.parse(text);
  } catch (error) {
    throw new PlanError(`not a Terraform plan: ${(error as Error).message}`);
  }
  if (!isPlan(plan)) throw new PlanError('not a Terraform plan: expected the output of terraform show -json (format_version 1.x, planned_values)');
  return plan;
}

export function isPlan(value: unknown): value is Json {
  return isObject(value) && typeof value['format_version'] === 'string' && /^1\./.test(value['format_version']) && isObject(value['planned_values']);
}

/** One domain's snapshot: each resource type read by its own reader, through the shared builder. */
function buildSnapshot(p: Plan, d: PlanResource, file: string): PlanSnapshot {
  const b = new Builder(p, file);
  const read = readDomain(b, d);
  const snapshot: Snapshot = startSnapshot(p.region, p.accountId, read.domain);
  readMasterUser(b, snapshot, d, read);
  const pools = {
    userPoolId: typeof read.cognito?.['UserPoolId'] === 'string' ? read.cognito['UserPoolId'] : undefined,
    identityPoolId: typeof read.cognito?.['IdentityPoolId'] === 'string' ? read.cognito['IdentityPoolId'] : undefined,
  };
  let roleAttachment: string | undefined;
  if (read.cognito?.['Enabled'] === true) {
    const user = readUserPool(b, snapshot, d, read, pools);
    roleAttachment = readIdentityPool(b, snapshot, d, pools, user);
  }
  finishSnapshot(b, snapshot, {
    ...readRoles(b),
    undecidedAccounts: p.undecidedAccounts,
    accessPolicyAt: `${read.policyResource?.address ?? d.address}.access_policies`,
    accountParameter: 'add data "aws_caller_identity" to the configuration',
  });
  return { address: d.address, snapshot, notes: b.notes, placement: placementOf(read.policyResource?.address, roleAttachment) };
}

/** Line of each resource's first `"address"` in the plan text (planned_values comes first in terraform's output). */
function linesOf(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  let line = 1;
  let last = 0;
  for (const match of text.matchAll(/"address"\s*:\s*("(?:[^"\\]|\\.)*")/g)) {
    for (let i = last; i < match.index; i++) if (text.charCodeAt(i) === 10) line++;
    last = match.index;
    const address = JSON.parse(match[1]!) as string;
    if (!lines.has(address)) lines.set(address, line);
  }
  return lines;
}

/** Every id and ARN a finding's resource may be built from → the address that defines it. */
function indexOf(p: Plan): Map<string, string> {
  const index = new Map<string, string>();
  for (const r of [...p.resources.values()].sort((a, b) => compareText(a.address, b.address))) {
    if (r.mode !== 'managed') continue;
    for (const attribute of ['arn', 'id', 'endpoint', 'name']) {
      const value = p.attribute(r, attribute);
      if (typeof value === 'string' && value.length > 0 && !index.has(value)) index.set(value, r.address);
    }
  }
  return index;
}

/** Reads a plan and builds one snapshot per domain with Cognito on (every domain when none has it on). */
export function snapshotsFromPlan(text: string, options: PlanOptions, side: PlanSide = 'after'): PlanResult {
  const p = new Plan(parsePlan(text), side, options);
  const domains = p.ofType(...DOMAIN_TYPES);
  if (domains.length === 0) {
    throw new PlanError(
      side === 'before'
        ? 'the plan starts from no aws_opensearch_domain or aws_elasticsearch_domain: there is no before side'
        : 'no aws_opensearch_domain or aws_elasticsearch_domain in the plan',
    );
  }
  const withCognito = domains.filter((d) => p.value(d, ['cognito_options', 0, 'enabled']) === true);
  const snapshots = (withCognito.length > 0 ? withCognito : domains).map((d) => buildSnapshot(p, d, options.file));
  return {
    snapshots,
    index: indexOf(p),
    lines: linesOf(text),
    file: options.file,
    types: new Map([...p.resources.values()].map((r) => [r.address, r.type])),
    placements: new Map(snapshots.map((s) => [s.address, s.placement])),
  };
}
