import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cogdoctor, ROOT } from '../helpers.js';

const file = (name: string) => join('test/fixtures/iac', name);

describe('cogdoctor check --cfn', () => {
  it('names the failure, where it is in the template, and exits 1', async () => {
    const r = await cogdoctor(['check', '--cfn', file('master-ci-role.yaml'), '--no-color']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ missing-role/);
    expect(r.stdout).toContain('at test/fixtures/iac/master-ci-role.yaml:74 (Domain)');
  });

  it('reports source cfn, the template file and each finding location in JSON', async () => {
    const r = await cogdoctor(['check', '--cfn', file('identity-pool-trust-invalid.json'), '--format', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.target).toMatchObject({ source: 'cfn', file: file('identity-pool-trust-invalid.json'), domain: 'logs-prod' });
    expect(report.findings.map((f: { id: string }) => f.id)).toEqual(['identity-pool-trust-invalid']);
    expect(report.findings[0].location).toEqual({ file: file('identity-pool-trust-invalid.json'), line: 86, logicalId: 'AuthRole' });
  });

  it('the healthy template passes (exit 0): the app client OpenSearch Service creates at deploy is no unknown', async () => {
    const r = await cogdoctor(['check', '--cfn', file('healthy.yaml'), '--format', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.findings).toEqual([]);
    expect(report.target.appClient).toMatchObject({ createdAtDeploy: true });
    expect(report.checks.find((c: { check: string }) => c.check === 'opensearch-app-client').status).toBe('pass');
    // Checks of its settings do not apply: the service gives them.
    expect(report.checks.find((c: { check: string }) => c.check === 'app-client-callback-urls')).toMatchObject({
      status: 'not-applicable',
      reason: expect.stringMatching(/created by OpenSearch Service at deploy/),
    });
  });

  it('an unresolvable reference is unknown, not a finding, and the reason names the template value, never a permission', async () => {
    const r = await cogdoctor(['check', '--cfn', file('unresolvable.yaml'), '--format', 'json']);
    expect(r.code).toBe(3);
    const report = JSON.parse(r.stdout);
    expect(report.findings).toEqual([]);
    const trust = report.checks.find((c: { check: string }) => c.check === 'auth-role-trust');
    expect(trust).toMatchObject({
      status: 'unknown',
      reason: expect.stringMatching(/^RoleAttachment\.Roles in .*unresolvable\.yaml is not decided by the template: Fn::ImportValue/),
    });
    const unknown = report.checks.filter((c: { status: string }) => c.status === 'unknown');
    expect(unknown.filter((c: { permission?: string }) => c.permission !== undefined)).toEqual([]);
  });

  it('--parameters and --region fill template and pseudo parameters', async () => {
    const r = await cogdoctor([
      'check',
      '--cfn',
      file('master-ci-role.yaml'),
      '--region',
      'eu-west-1',
      '--parameters',
      'DomainName=search',
      'AWS::AccountId=111122223333',
      '--format',
      'json',
    ]);
    const report = JSON.parse(r.stdout);
    expect(report.target).toMatchObject({ domain: 'search', region: 'eu-west-1', accountId: '111122223333', userPoolId: 'eu-west-1_UserPool' });
    expect(report.findings.map((f: { id: string }) => f.id)).toEqual(['missing-role']);
  });

  it('usage errors exit 2 with one line', async () => {
    const missing = await cogdoctor(['check', '--cfn', file('nope.yaml')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^cogdoctor: --cfn .*nope\.yaml: no such file\n$/);
    const both = await cogdoctor(['check', 'logs', '--cfn', file('healthy.yaml')]);
    expect(both.code).toBe(2);
    const bad = await cogdoctor(['check', '--cfn', file('healthy.yaml'), '--parameters', 'novalue']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/KEY=VALUE/);
  });
});

describe('cogdoctor check --cfn --format sarif', () => {
  it('points each result at the line of the resource in the template', async () => {
    const r = await cogdoctor(['check', '--cfn', file('group-roles-ignored.yaml'), '--format', 'sarif']);
    const sarif = JSON.parse(r.stdout);
    const result = sarif.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'group-roles-ignored');
    expect(result.locations[0].physicalLocation.artifactLocation.uri).toMatch(/group-roles-ignored\.yaml$/);
    // Which role users get is decided by the role attachment: the finding sits there.
    expect(result.locations[0].physicalLocation.region).toEqual({ startLine: 109 });
  });
});

describe('cogdoctor check --cfn on a cdk.out folder and on standard input', () => {
  it('reads every stack of the cloud assembly that has a domain, each report naming its template', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cogdoctor-cdk-out-'));
    try {
      const healthy = readFileSync(file('healthy.yaml'), 'utf8');
      const broken = readFileSync(file('master-ci-role.yaml'), 'utf8');
      writeFileSync(join(dir, 'Search.template.json'), healthy);
      writeFileSync(join(dir, 'Broken.template.json'), broken);
      writeFileSync(
        join(dir, 'Network.template.json'),
        JSON.stringify({ Resources: { Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } } } }),
      );
      const stack = (templateFile: string) => ({
        type: 'aws:cloudformation:stack',
        environment: 'aws://unknown-account/unknown-region',
        properties: { templateFile },
      });
      writeFileSync(
        join(dir, 'manifest.json'),
        JSON.stringify({
          version: '48.0.0',
          artifacts: {
            Tree: { type: 'cdk:tree', properties: { file: 'tree.json' } },
            Network: stack('Network.template.json'),
            Search: stack('Search.template.json'),
            Broken: stack('Broken.template.json'),
          },
        }),
      );
      const r = await cogdoctor(['check', '--cfn', dir, '--format', 'json', '--quiet']);
      expect(r.code).toBe(1);
      const reports = r.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line)) as { target: { file: string }; findings: { id: string }[] }[];
      expect(reports.map((x) => [x.target.file, x.findings.map((f) => f.id)])).toEqual([
        [join(dir, 'Broken.template.json'), ['missing-role']],
        [join(dir, 'Search.template.json'), []],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads the cloud assembly the real cdk synth wrote (two stacks of one app)', async () => {
    const dir = 'test/fixtures/iac/cdk/multi-stage/cdk.out';
    const r = await cogdoctor(['check', '--cfn', dir, '--format', 'json', '--quiet']);
    expect(r.code).toBe(1);
    const reports = r.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line)) as { target: { file: string }; findings: { id: string; location: { logicalId: string } }[] }[];
    expect(reports.map((x) => [x.target.file, x.findings.map((f) => `${f.id}@${f.location.logicalId}`)])).toEqual([
      [join(dir, 'DashboardsProd.template.json'), ['missing-role@Domain66AC69E0']],
      [join(dir, 'DashboardsStaging.template.json'), []],
    ]);
  });

  it('a folder that is not a cloud assembly is a one-line usage error', async () => {
    const r = await cogdoctor(['check', '--cfn', 'test/fixtures/iac/terraform']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^cogdoctor: --cfn test\/fixtures\/iac\/terraform: a folder without manifest\.json .*\n$/);
  });

  it('- reads the template from standard input', async () => {
    const r = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = spawn('node', [join(ROOT, 'bin', 'cogdoctor'), 'check', '--cfn', '-', '--format', 'json', '--quiet'], {
        env: { ...process.env, NO_COLOR: '' },
      });
      let stdout = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d));
      child.on('close', (code) => resolve({ code, stdout }));
      child.stdin.end(readFileSync(file('master-ci-role.yaml')));
    });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.findings.map((f: { id: string; location: unknown }) => [f.id, f.location])).toEqual([
      ['missing-role', { file: '-', line: 74, logicalId: 'Domain' }],
    ]);
  });
});

describe('template and plan inputs are regular files', () => {
  it.each([['--cfn'], ['--terraform-plan']])('%s on a FIFO or a device is a one-line input error, never a hang', async (flag) => {
    const dir = mkdtempSync(join(tmpdir(), 'cogdoctor-iac-fifo-'));
    try {
      const fifo = join(dir, 'plan.fifo');
      execFileSync('mkfifo', [fifo]);
      for (const input of [fifo, '/dev/zero']) {
        const r = await cogdoctor(['check', flag, input]);
        expect(r.code).toBe(2);
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
        expect(r.stderr).toMatch(new RegExp(`^cogdoctor: ${flag} `));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('cogdoctor diff on templates', () => {
  it('takes --parameters for a template side, and --verbose prints where each added finding is and what to change there', async () => {
    const r = await cogdoctor(['diff', file('healthy.yaml'), file('master-ci-role.yaml'), '--parameters', 'DomainName=search', '--verbose', '--no-color']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/domain search \(/);
    expect(r.stdout).toContain('      at test/fixtures/iac/master-ci-role.yaml:74 (Domain)');
    expect(r.stdout).toMatch(/\n {6}Fix: Map arn:aws:iam::123456789012:role\/search-cognito-auth/);
    // Before deploy the fix belongs in the code: no commands against resources that do not exist yet.
    expect(r.stdout).not.toMatch(/^\s+\$ /m);
    expect(r.stdout).toMatch(/IaC: Change it in Domain \(AWS::OpenSearchService::Domain\) in test\/fixtures\/iac\/master-ci-role\.yaml line 74/);
  });
});
