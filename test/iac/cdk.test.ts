// Templates the real `cdk synth` produced (test/fixtures/iac/cdk, re-made by `npm run fixtures:cdk`)
// against the answers in expected.json, which were written from AWS documentation and the decision
// rules, not from cogdoctor's output: each stack gives exactly its ids, at their severity and
// logical id, and its exit code.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinChecks } from '../../src/engine/builtin.js';
import { exitCodeOf } from '../../src/engine/exit.js';
import { runChecks } from '../../src/report/assemble.js';
import type { Severity } from '../../src/engine/types.js';
import { snapshotsFromTemplate } from '../../src/iac/cfn.js';
import { locateFindings } from '../../src/iac/common.js';
import { ROOT } from '../helpers.js';

const DIR = 'test/fixtures/iac/cdk';

interface ExpectedFinding {
  id: string;
  severity: Severity;
  logicalId: string;
  why: string;
  sources: string[];
  rules: number[];
}

interface ExpectedStack {
  app: string;
  stack: string;
  template: string;
  exitCode: 0 | 1 | 3;
  findings: ExpectedFinding[];
  /** Failure ids whose check the template leaves undecided. */
  unknown?: string[];
  why: string;
  sources: string[];
  rules: number[];
}

const expected = (JSON.parse(readFileSync(join(ROOT, DIR, 'expected.json'), 'utf8')) as { stacks: ExpectedStack[] }).stacks;

/** Failure id → the check that reports it. */
const checkOfMode = new Map(builtinChecks.flatMap((check) => check.modes.map((mode) => [mode.id, check] as const)));

function templateOf(stack: ExpectedStack): { text: string; resources: Record<string, { Type: string }> } {
  const text = readFileSync(join(ROOT, DIR, stack.template), 'utf8');
  return { text, resources: (JSON.parse(text) as { Resources: Record<string, { Type: string }> }).Resources };
}

function check(stack: ExpectedStack) {
  const file = `${DIR}/${stack.template}`;
  const result = snapshotsFromTemplate(templateOf(stack).text, { file });
  expect(result.snapshots).toHaveLength(1);
  const { snapshot, logicalId } = result.snapshots[0]!;
  return locateFindings(runChecks(snapshot, builtinChecks, { version: 'test', source: 'cfn', file }), result, logicalId);
}

const triple = (f: { id: string; severity: string; logicalId?: string }) => `${f.id} ${f.severity} @${f.logicalId ?? '(none)'}`;

describe('cdk synth templates → findings (expected.json)', () => {
  it.each(expected.map((s) => [`${s.app}/${s.stack}`, s] as const))('%s', (_name, stack) => {
    const report = check(stack);
    expect(
      report.checks.filter((c) => c.status === 'error'),
      'no check breaks',
    ).toEqual([]);
    const actual = [...new Set(report.findings.map((f) => triple({ id: f.id, severity: f.severity, logicalId: f.location?.logicalId })))].sort();
    expect(actual).toEqual(stack.findings.map(triple).sort());
    for (const id of stack.unknown ?? []) {
      expect(report.checks.find((c) => c.check === checkOfMode.get(id)?.id)?.status, `${id} stays undecided`).toBe('unknown');
    }
    expect(exitCodeOf([report], 'error')).toBe(stack.exitCode);
  });
});

describe('the CDK fixtures and their answers', () => {
  const apps = readdirSync(join(ROOT, DIR), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name);

  it('every app has its synthesized output and an answer for each of its stacks', () => {
    expect(apps.length).toBeGreaterThanOrEqual(12);
    for (const app of apps) {
      expect(existsSync(join(ROOT, DIR, app, 'app.ts')), app).toBe(true);
      const assembly = join(ROOT, DIR, app, 'cdk.out');
      const stacks = existsSync(assembly)
        ? Object.entries(
            (
              JSON.parse(readFileSync(join(assembly, 'manifest.json'), 'utf8')) as {
                artifacts: Record<string, { type: string; properties?: { templateFile?: string } }>;
              }
            ).artifacts,
          )
            .filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack')
            .map(([, artifact]) => `${app}/cdk.out/${artifact.properties!.templateFile!}`)
        : [`${app}/template.json`];
      expect(
        expected
          .filter((s) => s.app === app)
          .map((s) => s.template)
          .sort(),
        app,
      ).toEqual(stacks.sort());
    }
    const versions = JSON.parse(readFileSync(join(ROOT, DIR, 'VERSIONS.json'), 'utf8')) as Record<string, string>;
    expect(Object.keys(versions)).toEqual(expect.arrayContaining(['aws-cdk-lib', 'constructs', 'aws-cdk']));
  });

  it.each(expected.map((s) => [`${s.app}/${s.stack}`, s] as const))(
    '%s: a template as cdk synth writes it, and an answer that names its resources',
    (_name, stack) => {
      const { text, resources } = templateOf(stack);
      // cdk synth serializes with a one-space indent and no final newline; a hand edit rarely keeps that.
      expect(JSON.stringify(JSON.parse(text), null, 1)).toBe(text);
      expect(Object.values(resources).some((r) => r.Type === 'AWS::CDK::Metadata')).toBe(true);
      for (const finding of stack.findings) {
        expect(checkOfMode.has(finding.id), `${finding.id} is in the catalog`).toBe(true);
        expect(resources[finding.logicalId], `${finding.logicalId} is in ${stack.template}`).toBeDefined();
        expect(finding.why.length > 0 && finding.sources.length > 0 && finding.rules.length > 0).toBe(true);
      }
      for (const id of stack.unknown ?? []) expect(checkOfMode.has(id), `${id} is in the catalog`).toBe(true);
      // The exit code follows from the answer under --fail-on error.
      const errors = stack.findings.some((f) => f.severity === 'error');
      expect(stack.exitCode).toBe(errors ? 1 : (stack.unknown ?? []).length > 0 ? 3 : 0);
    },
  );
});
