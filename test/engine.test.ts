import { describe, expect, it } from 'vitest';
import { DataGap, defineCheck, runChecks, type Check, type FindingInput } from '../src/index.js';
import { problemsOf } from '../src/testing.js';
import { loadFixture, variant } from './helpers.js';

const healthy = loadFixture('healthy/opensearch-fgac.json');

function fakeCheck(id: string, run: Check['run'], scope: 'cognito' | 'domain' = 'cognito'): Check {
  return defineCheck({
    id,
    title: id,
    description: id,
    reads: ['domain'],
    scope,
    modes: [{ id: `${id}-mode`, severity: 'error', title: 't', symptom: 's', cause: 'c', fix: 'f', docs: [] }],
    run,
  });
}

const finding = (id: string): FindingInput => ({
  id,
  message: 'm',
  resource: 'arn:aws:es:eu-west-1:123456789012:domain/logs-prod',
  evidence: {},
  fix: { summary: 'f' },
});
const run = (checks: Check[], snapshot = healthy, extra = {}) => runChecks(snapshot, checks, { version: 't', source: 'snapshot', ...extra });

describe('the engine', () => {
  it('a check that throws gets status error and the other checks still run', () => {
    const report = run([
      fakeCheck('boom', () => {
        throw new Error('kaput');
      }),
      fakeCheck('fine', () => [finding('fine-mode')]),
    ]);
    expect(report.checks).toEqual([
      { check: 'boom', status: 'error', reason: 'the check failed: kaput' },
      { check: 'fine', status: 'fail' },
    ]);
    expect(report.findings.map((f) => f.id)).toEqual(['fine-mode']);
    expect(report.summary.errored).toBe(1);
  });

  it('a finding with an id the check does not declare is an error of that check, not a finding', () => {
    const report = run([fakeCheck('liar', () => [finding('something-else')])]);
    expect(report.checks[0]!.status).toBe('error');
    expect(report.findings).toEqual([]);
  });

  it('turns a thrown DataGap into its status, with the reason and the permission', () => {
    const gap = fakeCheck('gap', () => {
      throw new DataGap({ kind: 'unknown', reason: 'iam:GetRole denied on X: add iam:GetRole', permission: 'iam:GetRole' });
    });
    expect(run([gap]).checks[0]).toEqual({ check: 'gap', status: 'unknown', reason: 'iam:GetRole denied on X: add iam:GetRole', permission: 'iam:GetRole' });
  });

  it('noted gaps make a quiet check unknown, never a pass; a failing check stays fail', () => {
    const quiet = fakeCheck('quiet', (ctx) => {
      ctx.note({ kind: 'unknown', reason: 'one role unreadable' });
      return [];
    });
    const loud = fakeCheck('loud', (ctx) => {
      ctx.note({ kind: 'unknown', reason: 'one role unreadable' });
      return [finding('loud-mode')];
    });
    const report = run([quiet, loud]);
    expect(report.checks.find((c) => c.check === 'quiet')!.status).toBe('unknown');
    expect(report.checks.find((c) => c.check === 'loud')).toEqual({ check: 'loud', status: 'fail', reason: 'also: one role unreadable' });
  });

  it('checks about Cognito are not applicable when Cognito is off; domain checks still run', () => {
    const off = variant(healthy, (s) => {
      s.domain.CognitoOptions = { Enabled: false };
    });
    const report = run([fakeCheck('cognito', () => [finding('cognito-mode')]), fakeCheck('domain', () => [finding('domain-mode')], 'domain')], off);
    expect(report.checks.map((c) => [c.check, c.status])).toEqual([
      ['cognito', 'not-applicable'],
      ['domain', 'fail'],
    ]);
  });

  it('--only and --skip select by check id or failure id', () => {
    const checks = [fakeCheck('a', () => [finding('a-mode')]), fakeCheck('b', () => [finding('b-mode')])];
    expect(run(checks, healthy, { only: ['a'] }).checks.map((c) => c.check)).toEqual(['a']);
    expect(run(checks, healthy, { only: ['b-mode'] }).findings.map((f) => f.id)).toEqual(['b-mode']);
    expect(run(checks, healthy, { skip: ['a'] }).checks.map((c) => c.check)).toEqual(['b']);
    expect(run(checks, healthy, { skip: ['a-mode'] }).findings.map((f) => f.id)).toEqual(['b-mode']);
  });

  it('orders findings by severity, then check, then id, so output is deterministic', () => {
    const warn = defineCheck({
      ...fakeCheck('a-warn', () => []),
      modes: [{ id: 'w', severity: 'warning', title: 't', symptom: 's', cause: 'c', fix: 'f', docs: [] }],
      run: () => [finding('w')],
    });
    const report = run([warn, fakeCheck('z-err', () => [finding('z-err-mode')])]);
    expect(report.findings.map((f) => f.id)).toEqual(['z-err-mode', 'w']);
  });

  it('defineCheck refuses an error-level mode that rests on an inferred fact', () => {
    expect(() =>
      defineCheck({
        ...fakeCheck('x', () => []),
        modes: [{ id: 'x', severity: 'error', inferred: true, title: 't', symptom: 's', cause: 'c', fix: 'f', docs: [] }],
      }),
    ).toThrow(/inferred/);
  });
});

describe("problems worded by the check's messages", () => {
  interface Missing {
    roleArn: string;
  }
  const worded = defineCheck({
    id: 'worded',
    title: 'worded',
    description: 'worded',
    reads: ['domain'],
    modes: [{ id: 'role-missing', severity: 'error', title: 't', symptom: 's', cause: 'c', fix: 'f', docs: [] }],
    messages: {
      'role-missing': {
        message: (d: Missing) => `Role ${d.roleArn} does not exist.`,
        fix: (d: Missing) => ({ summary: `Create ${d.roleArn}.`, commands: [`aws iam create-role --role-name ${d.roleArn.split('/').pop()}`] }),
      },
    },
    run: () => [{ mode: 'role-missing', resource: 'arn:aws:iam::123456789012:role/R', data: { roleArn: 'arn:aws:iam::123456789012:role/R' } }],
  });

  it('builds the message and the fix from the data, and shows the data as evidence', () => {
    const [finding] = run([worded]).findings;
    expect(finding).toMatchObject({
      id: 'role-missing',
      check: 'worded',
      severity: 'error',
      message: 'Role arn:aws:iam::123456789012:role/R does not exist.',
      evidence: { roleArn: 'arn:aws:iam::123456789012:role/R' },
      fix: { summary: 'Create arn:aws:iam::123456789012:role/R.', commands: ['aws iam create-role --role-name R'] },
    });
  });

  it('tests can read the problems before they are worded', () => {
    expect(problemsOf(worded, healthy)).toEqual([
      { mode: 'role-missing', resource: 'arn:aws:iam::123456789012:role/R', data: { roleArn: 'arn:aws:iam::123456789012:role/R' } },
    ]);
  });

  it('a problem of a mode without messages is an error of that check', () => {
    const bare = fakeCheck('bare', () => [{ mode: 'bare-mode', resource: 'r', data: {} }]);
    const report = run([bare]);
    expect(report.checks[0]).toMatchObject({ status: 'error', reason: expect.stringContaining('without messages for it') });
    expect(report.findings).toEqual([]);
  });

  it('defineCheck refuses messages for a mode the check does not declare', () => {
    expect(() => defineCheck({ ...worded, messages: { other: { message: () => 'm', fix: () => ({ summary: 'f' }) } } })).toThrow(/messages for other/);
  });
});

describe('failed reads in the snapshot', () => {
  const ADMIN = 'arn:aws:iam::123456789012:role/Admin';
  const withErrors = (errors: Array<{ operation: string; resource: string; code: string }>) => variant(healthy, (s) => (s.errors = errors));
  const gapOf = (snapshot: ReturnType<typeof withErrors>, arn: string) => {
    let lookup: unknown;
    run([fakeCheck('probe', (ctx) => ((lookup = ctx.lookupRole(arn)), []))], snapshot);
    return lookup as { state: string };
  };

  it("one role's failed read is never taken for another role whose name contains it", () => {
    expect(gapOf(withErrors([{ operation: 'iam:GetRole', resource: 'arn:aws:iam::123456789012:role/AdminReadOnly', code: 'NoSuchEntity' }]), ADMIN).state).toBe(
      'unreadable',
    );
    expect(
      gapOf(
        withErrors([{ operation: 'iam:GetRole', resource: 'arn:aws:iam::123456789012:role/ops/Admin', code: 'NoSuchEntity' }]),
        'arn:aws:iam::123456789012:role/ops/Admin',
      ).state,
    ).toBe('not-found');
  });

  it('a failure recorded by role name, by ARN or under a path belongs to that role', () => {
    for (const resource of ['Admin', ADMIN, 'role/Admin', 'Admin (GetRole)']) {
      expect(gapOf(withErrors([{ operation: 'iam:GetRole', resource, code: 'NoSuchEntity' }]), ADMIN).state, resource).toBe('not-found');
    }
  });
});
