import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinChecks } from '../../src/engine/builtin.js';
import { exitCodeOf } from '../../src/engine/exit.js';
import { runChecks } from '../../src/report/assemble.js';
import type { Severity } from '../../src/engine/types.js';
import { locateFindings } from '../../src/iac/common.js';
import { snapshotsFromPlan, type PlanSide } from '../../src/iac/terraform.js';
import { parseSnapshot } from '../../src/snapshot/read.js';
import { ROOT } from '../helpers.js';

// Plans in the format `terraform show -json` writes, with what each must give (expected.json says why).
const DIR = 'test/fixtures/iac/terraform/real';
const file = (name: string) => `${DIR}/${name}`;
const text = (name: string) => readFileSync(join(ROOT, DIR, name), 'utf8');

interface ExpectedPlan {
  summary: string;
  exitCode: 0 | 1 | 3;
  region: string;
  /** null: the plan names no account. */
  accountId: string | null;
  findings: { id: string; severity: Severity; address: string }[];
  /** Plan values an unknown check must name as left unresolved. */
  unresolved?: string[];
  /** Client ids of the identity pool's providers on each side of the plan. */
  providers?: { before?: string[]; after?: string[]; afterLacks?: string[] };
  why: string;
}

const expected = JSON.parse(text('expected.json')) as { plans: Record<string, ExpectedPlan> };
const plans = Object.entries(expected.plans);

function run(name: string, side: PlanSide = 'after') {
  const result = snapshotsFromPlan(text(name), { file: file(name) }, side);
  expect(result.snapshots).toHaveLength(1);
  const { snapshot, address } = result.snapshots[0]!;
  const report = locateFindings(runChecks(snapshot, builtinChecks, { version: 'test', source: 'terraform', file: file(name) }), result, address);
  return { snapshot, report };
}

/** Line of the first `"address": "<address>"` in the plan: the resource in planned_values (or prior_state for a data source). */
function lineOf(name: string, address: string): number {
  const index = text(name)
    .split('\n')
    .findIndex((line) => line.includes(`"address": ${JSON.stringify(address)}`));
  expect(index, `${address} is in ${name}`).toBeGreaterThanOrEqual(0);
  return index + 1;
}

const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);

describe('realistic terraform plans: the fixtures follow the JSON output format', () => {
  it('every plan in the folder has an expectation', () => {
    const files = readdirSync(join(ROOT, DIR))
      .filter((f) => f.endsWith('.json') && f !== 'expected.json')
      .sort();
    expect(files.length).toBeGreaterThanOrEqual(10);
    expect(Object.keys(expected.plans).sort()).toEqual(files);
  });

  it.each(plans)('%s: format 1.2, Terraform 1.9, unknowns left out of after and marked in after_unknown', (name) => {
    const plan = JSON.parse(text(name));
    expect(plan.format_version).toBe('1.2');
    expect(plan.terraform_version).toMatch(/^1\.9\.\d+$/);
    expect(plan.configuration.provider_config.aws.expressions.region).toBeDefined();
    for (const rc of plan.resource_changes) {
      if (rc.change.actions.includes('create') || rc.change.actions.includes('read')) expect(rc.change.before).toBeNull();
      // A value marked unknown is absent from `after` (null where it is a list element).
      const walk = (after: unknown, unknown: unknown, path: string) => {
        if (unknown === true) {
          expect(after ?? null, `${rc.address}${path}`).toBeNull();
          return;
        }
        if (Array.isArray(unknown)) unknown.forEach((u, i) => walk(Array.isArray(after) ? after[i] : undefined, u, `${path}[${i}]`));
        else if (unknown && typeof unknown === 'object')
          for (const [k, u] of Object.entries(unknown)) walk((after as Record<string, unknown> | undefined)?.[k], u, `${path}.${k}`);
      };
      walk(rc.change.after, rc.change.after_unknown, '');
    }
    // planned_values holds the same known values as the changes; data sources read while planning are in prior_state only.
    const planned = new Map<string, unknown>();
    const collect = (module: { resources?: { address: string; values: unknown }[]; child_modules?: unknown[] }) => {
      for (const r of module.resources ?? []) planned.set(r.address, r.values);
      for (const child of module.child_modules ?? []) collect(child as typeof module);
    };
    collect(plan.planned_values.root_module);
    const changed = plan.resource_changes.filter((rc: { change: { actions: string[] } }) => !rc.change.actions.includes('delete'));
    expect([...planned.keys()].sort()).toEqual(changed.map((rc: { address: string }) => rc.address).sort());
    for (const rc of changed) expect(planned.get(rc.address), rc.address).toEqual(rc.change.after);
  });
});

describe.each(plans)('realistic terraform plan %s', (name, exp) => {
  it(`gives exactly ${exp.findings.map((f) => f.id).join(', ') || 'no findings'}, each at its resource`, () => {
    const { report, snapshot } = run(name);
    expect(() => parseSnapshot(JSON.stringify(snapshot))).not.toThrow();
    expect(report.checks.filter((c) => c.status === 'error')).toEqual([]);
    const got = report.findings.map((f) => ({ id: f.id, severity: f.severity, address: f.location?.logicalId, line: f.location?.line })).sort(byId);
    const want = exp.findings.map((f) => ({ ...f, line: lineOf(name, f.address) })).sort(byId);
    expect(got).toEqual(want);
  });

  it(`exits ${exp.exitCode}`, () => {
    const { report } = run(name);
    const unknown = report.checks.filter((c) => c.status === 'unknown').map((c) => `${c.check}: ${c.reason ?? ''}`);
    expect(exitCodeOf([report], 'error'), `unknown checks:\n${unknown.join('\n')}`).toBe(exp.exitCode);
  });

  it(`is read in ${exp.region}${exp.accountId ? `, account ${exp.accountId}` : ''}, as the plan says`, () => {
    const { snapshot } = run(name);
    expect(snapshot.region).toBe(exp.region);
    if (exp.accountId) expect(snapshot.accountId).toBe(exp.accountId);
  });

  if (exp.unresolved) {
    it('names the plan value left unresolved, not an IAM permission', () => {
      const { report } = run(name);
      const unknown = report.checks.filter((c) => c.status === 'unknown');
      expect(unknown.length).toBeGreaterThan(0);
      for (const value of exp.unresolved!) expect(unknown.some((c) => (c.reason ?? '').includes(value))).toBe(true);
      expect(unknown.filter((c) => c.permission !== undefined).map((c) => c.check)).toEqual([]);
    });
  }

  if (exp.providers) {
    it('keeps the known identity-pool providers of each side', () => {
      const clientIds = (side: PlanSide) => (run(name, side).snapshot.identityPool?.CognitoIdentityProviders ?? []).map((p) => p.ClientId);
      const { before = [], after = [], afterLacks = [] } = exp.providers!;
      expect(clientIds('before')).toEqual(expect.arrayContaining(before));
      expect(clientIds('after')).toEqual(expect.arrayContaining(after));
      for (const id of afterLacks) expect(clientIds('after')).not.toContain(id);
    });
  }
});
