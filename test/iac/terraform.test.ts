import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import schema from '../../schema/report.schema.json' with { type: 'json' };
import { builtinChecks } from '../../src/engine/builtin.js';
import { runChecks } from '../../src/report/assemble.js';
import { locateFindings } from '../../src/iac/common.js';
import { iacKindOf } from '../../src/iac/run.js';
import { PlanError, snapshotsFromPlan } from '../../src/iac/terraform.js';
import { parseSnapshot } from '../../src/snapshot/read.js';
import { cogdoctor, ROOT } from '../helpers.js';

// Plans written by `terraform show -json` (Terraform 1.11, AWS provider 5.100), pretty-printed with jq.
const DIR = 'test/fixtures/iac/terraform';
const file = (name: string) => `${DIR}/${name}`;
const text = (name: string) => readFileSync(join(ROOT, DIR, name), 'utf8');

function run(name: string, side: 'after' | 'before' = 'after') {
  const result = snapshotsFromPlan(text(name), { file: file(name) }, side);
  expect(result.snapshots).toHaveLength(1);
  const { snapshot, address } = result.snapshots[0]!;
  const report = locateFindings(runChecks(snapshot, builtinChecks, { version: 'test', source: 'terraform', file: file(name) }), result, address);
  return { result, snapshot, report };
}

const ids = (r: ReturnType<typeof run>['report']) => [...new Set(r.findings.map((f) => f.id))].sort();

/** Plan → the failure ids it produces, and the line and address of each in the plan. */
const EXPECTED: Record<string, { ids: string[]; at: Record<string, [number, string]> }> = {
  'healthy.json': { ids: [], at: {} },
  'missing-role.json': { ids: ['missing-role'], at: { 'missing-role': [347, 'aws_opensearch_domain.logs'] } },
  'identity-pool-trust-invalid.json': { ids: ['identity-pool-trust-invalid'], at: { 'identity-pool-trust-invalid': [302, 'aws_iam_role.cognito_auth'] } },
  'group-roles-ignored.json': { ids: ['group-roles-ignored'], at: { 'group-roles-ignored': [45, 'aws_cognito_identity_pool_roles_attachment.main'] } },
  'auth-role-not-in-access-policy.json': {
    ids: ['auth-role-not-in-access-policy'],
    at: { 'auth-role-not-in-access-policy': [347, 'aws_opensearch_domain.logs'] },
  },
  'identity-pool-drops-opensearch-provider.json': {
    ids: ['token-not-from-supported-provider'],
    at: { 'token-not-from-supported-provider': [8, 'aws_cognito_identity_pool.main'] },
  },
  'create-unknown-roles.json': { ids: [], at: {} },
};

describe('terraform plans → snapshots → findings', () => {
  it.each(Object.entries(EXPECTED))('%s', (name, expected) => {
    const { report, snapshot } = run(name);
    expect(() => parseSnapshot(JSON.stringify(snapshot))).not.toThrow();
    expect(report.checks.filter((c) => c.status === 'error')).toEqual([]);
    expect(ids(report)).toEqual(expected.ids);
    for (const [id, [line, address]] of Object.entries(expected.at)) {
      expect(report.findings.find((f) => f.id === id)?.location).toEqual({ file: file(name), line, logicalId: address });
      // The line is the resource's "address" in planned_values.
      expect(text(name).split('\n')[line - 1]).toContain(`"address": "${address}"`);
    }
    const ajv = new Ajv({ strict: false, allErrors: true });
    ajv.addFormat('uri', (value: string) => URL.canParse(value));
    expect(ajv.validate(schema, report), JSON.stringify(ajv.errors)).toBe(true);
  });

  it('maps the provider attributes onto the API shapes, with the ids of the existing stack', () => {
    const { snapshot, result } = run('group-roles-ignored.json');
    expect(snapshot).toMatchObject({ region: 'eu-west-1', accountId: '111122223333' });
    expect(snapshot.domain).toMatchObject({
      DomainName: 'logs-prod',
      ARN: 'arn:aws:es:eu-west-1:111122223333:domain/logs-prod',
      Endpoint: 'search-logs-prod-k3xq7b2m9d4f6h8j0l2n4p6r8t.eu-west-1.es.amazonaws.com',
      EngineVersion: 'OpenSearch_2.13',
      CognitoOptions: {
        Enabled: true,
        UserPoolId: 'eu-west-1_Xk2LmQp7A',
        IdentityPoolId: 'eu-west-1:5f0c7a3e-2b1d-4e8f-9a6c-3d7e1b2f4a90',
        RoleArn: 'arn:aws:iam::111122223333:role/service-role/CognitoAccessRole',
      },
      AdvancedSecurityOptions: { Enabled: true, InternalUserDatabaseEnabled: false },
      DomainEndpointOptions: { EnforceHTTPS: true, TLSSecurityPolicy: 'Policy-Min-TLS-1-2-PFS-2023-10' },
    });
    expect(snapshot.userPool).toMatchObject({
      Id: 'eu-west-1_Xk2LmQp7A',
      Domain: 'logs-prod-login',
      MfaConfiguration: 'OPTIONAL',
      DeletionProtection: 'ACTIVE',
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      Policies: { PasswordPolicy: { MinimumLength: 12 } },
    });
    expect(snapshot.userPoolClients).toEqual([
      expect.objectContaining({ ClientId: '4q8v2n6k1m3p5r7t9w0y2a4c6e', AllowedOAuthFlows: ['code'], ClientSecret: '<redacted>' }),
    ]);
    // A new group whose new role's ARN is known only after apply: generated from the role's name.
    expect(snapshot.userPoolGroups).toEqual([
      expect.objectContaining({ GroupName: 'Admins', Precedence: 1, RoleArn: 'arn:aws:iam::111122223333:role/logs-prod-cognito-admin' }),
    ]);
    expect(snapshot.identityPoolRoles).toEqual({
      IdentityPoolId: 'eu-west-1:5f0c7a3e-2b1d-4e8f-9a6c-3d7e1b2f4a90',
      Roles: { authenticated: 'arn:aws:iam::111122223333:role/logs-prod-cognito-auth' },
    });
    expect(snapshot.securityPlugin?.rolesMapping?.['all_access']?.backend_roles).toEqual(['arn:aws:iam::111122223333:role/logs-prod-cognito-auth']);
    expect(snapshot.rolePolicies?.['arn:aws:iam::111122223333:role/service-role/CognitoAccessRole']?.attached).toEqual([
      { PolicyArn: 'arn:aws:iam::aws:policy/AmazonOpenSearchServiceCognitoAccess', PolicyName: 'AmazonOpenSearchServiceCognitoAccess' },
    ]);
    // The plan manages the service's own client (imported): no stand-in for it.
    expect(snapshot.serviceClientAtDeploy).toBeUndefined();
    expect(result.snapshots[0]!.notes).toEqual([]);
    // The plan holds the imported client's secret: the snapshot never does.
    expect(JSON.stringify(snapshot)).not.toContain('fixture-secret-not-real');
  });

  it('a trust policy deferred to apply is written from its policy document, the identity pool id linked', () => {
    const { snapshot } = run('identity-pool-drops-opensearch-provider.json');
    const trust = JSON.parse(String(snapshot.roles?.find((r) => r.RoleName === 'logs-prod-cognito-auth')?.AssumeRolePolicyDocument));
    expect(trust.Statement[0].Condition).toEqual({
      StringEquals: { 'cognito-identity.amazonaws.com:aud': 'eu-west-1:5f0c7a3e-2b1d-4e8f-9a6c-3d7e1b2f4a90' },
      'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' },
    });
    expect(snapshot.identityPool?.CognitoIdentityProviders).toEqual([]);
  });

  it("a first deploy links ids through references, and the roles map the provider marks unknown is keyed by each role's trust", () => {
    const { snapshot, report } = run('create-unknown-roles.json');
    const poolId = snapshot.domain.CognitoOptions?.UserPoolId;
    expect(poolId).toBe('eu-west-1_main');
    expect(snapshot.domain.CognitoOptions?.IdentityPoolId).toMatch(/^eu-west-1:[0-9a-f-]{36}$/);
    expect(snapshot.userPoolDomain).toMatchObject({ UserPoolId: poolId, Domain: 'logs-prod-login' });
    // The one account the plan's ARNs name (the CognitoAccess role's, written out) is the plan's account.
    expect(snapshot.securityPlugin?.rolesMapping?.['all_access']?.backend_roles).toEqual(['arn:aws:iam::111122223333:role/logs-prod-cognito-auth']);
    // `roles = { authenticated = aws_iam_role.cognito_auth.arn }` of a new role: the plan shows neither key nor value,
    // the configuration names the role and its trust admits amr "authenticated".
    expect(snapshot.identityPoolRoles?.Roles).toEqual({ authenticated: 'arn:aws:iam::111122223333:role/logs-prod-cognito-auth' });
    expect(snapshot.errors).toEqual([]);
    expect(report.findings).toEqual([]);
    expect(report.checks.find((c) => c.check === 'auth-role-trust')?.status).toBe('pass');
    expect(snapshotsFromPlan(text('create-unknown-roles.json'), { file: 'p.json' }).snapshots[0]!.snapshot).toEqual(snapshot);
  });

  it('the before side is the prior state', () => {
    const { snapshot, report } = run('missing-role.json', 'before');
    expect(snapshot.securityPlugin?.rolesMapping?.['all_access']?.backend_roles).toEqual(['arn:aws:iam::111122223333:role/logs-prod-cognito-auth']);
    expect(report.findings).toEqual([]);
    expect(() => snapshotsFromPlan(text('create-unknown-roles.json'), { file: 'p.json' }, 'before')).toThrow(/no before side/);
  });

  it('refuses what is not a plan, and tells files apart by content', () => {
    expect(() => snapshotsFromPlan('{"Resources": {}}', { file: 'p.json' })).toThrow(PlanError);
    expect(() => snapshotsFromPlan('not json', { file: 'p.json' })).toThrow(/not a Terraform plan/);
    expect(() => snapshotsFromPlan('{"format_version": "1.2", "planned_values": {}}', { file: 'p.json' })).toThrow(/no aws_opensearch_domain/);
    expect(iacKindOf(text('healthy.json'))).toBe('terraform');
    expect(iacKindOf(readFileSync(join(ROOT, 'test/fixtures/iac/healthy.yaml'), 'utf8'))).toBe('cfn');
    expect(iacKindOf(readFileSync(join(ROOT, 'test/fixtures/iac/identity-pool-trust-invalid.json'), 'utf8'))).toBe('cfn');
    expect(iacKindOf(readFileSync(join(ROOT, 'fixtures/healthy/custom-endpoint.json'), 'utf8'))).toBeUndefined();
  });
});

describe('cogdoctor check --terraform-plan', () => {
  it('names the failure and where it is in the plan, in text', async () => {
    const r = await cogdoctor(['check', '--terraform-plan', file('missing-role.json'), '--no-color']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ missing-role/);
    expect(r.stdout).toContain(`at ${file('missing-role.json')}:347 (aws_opensearch_domain.logs)`);
  });

  it('reports source terraform and each finding location in JSON', async () => {
    const r = await cogdoctor(['check', '--terraform-plan', file('identity-pool-trust-invalid.json'), '--format', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.target).toMatchObject({
      source: 'terraform',
      file: file('identity-pool-trust-invalid.json'),
      domain: 'logs-prod',
      region: 'eu-west-1',
      accountId: '111122223333',
    });
    expect(report.findings.map((f: { id: string }) => f.id)).toEqual(['identity-pool-trust-invalid']);
    expect(report.findings[0].location).toEqual({ file: file('identity-pool-trust-invalid.json'), line: 302, logicalId: 'aws_iam_role.cognito_auth' });
  });

  it('points SARIF results at the line of the resource', async () => {
    const r = await cogdoctor(['check', '--terraform-plan', file('group-roles-ignored.json'), '--format', 'sarif']);
    const result = JSON.parse(r.stdout).runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'group-roles-ignored');
    expect(result.locations[0].physicalLocation.artifactLocation.uri).toBe(file('group-roles-ignored.json'));
    expect(result.locations[0].physicalLocation.region).toEqual({ startLine: 45 });
  });

  it('the healthy plan passes (exit 0); a value known only after apply is unknown (exit 3)', async () => {
    expect((await cogdoctor(['check', '--terraform-plan', file('healthy.json'), '--quiet'])).code).toBe(0);
    const r = await cogdoctor(['check', '--terraform-plan', file('real/trust-aud-deferred.json'), '--format', 'json']);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).findings).toEqual([]);
  });

  it('usage errors exit 2 with one line', async () => {
    const missing = await cogdoctor(['check', '--terraform-plan', file('nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^cogdoctor: --terraform-plan .*nope\.json: no such file\n$/);
    const notPlan = await cogdoctor(['check', '--terraform-plan', 'test/fixtures/iac/healthy.yaml']);
    expect(notPlan.code).toBe(2);
    expect(notPlan.stderr).toMatch(/^cogdoctor: --terraform-plan .*: not a Terraform plan: .*\n$/);
    expect((await cogdoctor(['check', '--terraform-plan', file('healthy.json'), '--cfn', 'test/fixtures/iac/healthy.yaml'])).code).toBe(2);
  });
});

describe('cogdoctor diff on templates and plans', () => {
  it('healthy template → broken template: the changed field and the failure it causes', async () => {
    const r = await cogdoctor(['diff', 'test/fixtures/iac/healthy.yaml', 'test/fixtures/iac/master-ci-role.yaml', '--format', 'json']);
    expect(r.code).toBe(1);
    const diff = JSON.parse(r.stdout);
    expect(diff.new.target).toMatchObject({ source: 'cfn', file: 'test/fixtures/iac/master-ci-role.yaml' });
    expect(diff.changes).toContainEqual(
      expect.objectContaining({
        path: 'securityPlugin.rolesMapping[all_access].backend_roles',
        gained: ['arn:aws:iam::123456789012:role/ci-deploy'],
        causes: ['missing-role'],
      }),
    );
    expect(diff.findings.added.map((f: { id: string }) => f.id)).toEqual(['missing-role']);
    expect(diff.findings.added[0].location).toEqual({ file: 'test/fixtures/iac/master-ci-role.yaml', line: 74, logicalId: 'Domain' });
  });

  it('two plans, in text: the identity pool provider the change drops', async () => {
    const r = await cogdoctor(['diff', file('healthy.json'), file('identity-pool-drops-opensearch-provider.json'), '--no-color', '--quiet']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /~ identityPool\.CognitoIdentityProviders\[cognito-idp\.eu-west-1\.amazonaws\.com\/eu-west-1_Xk2LmQp7A 4q8v2n6k1m3p5r7t9w0y2a4c6e\] removed .*→ token-not-from-supported-provider/,
    );
  });

  it('--terraform-plan alone: prior state → planned values', async () => {
    const r = await cogdoctor(['diff', '--terraform-plan', file('missing-role.json'), '--format', 'json', '--quiet']);
    expect(r.code).toBe(1);
    const diff = JSON.parse(r.stdout);
    expect(diff.changes.map((c: { path: string }) => c.path)).toContain('securityPlugin.rolesMapping[all_access].backend_roles');
    expect(diff.findings.added.map((f: { id: string }) => f.id)).toEqual(['missing-role']);
    expect(diff.findings.added[0].location).toEqual({ file: file('missing-role.json'), line: 347, logicalId: 'aws_opensearch_domain.logs' });
    const first = await cogdoctor(['diff', '--terraform-plan', file('create-unknown-roles.json')]);
    expect(first.code).toBe(2);
    expect(first.stderr).toMatch(/^cogdoctor: diff .*: the plan starts from no aws_opensearch_domain .*: there is no before side\n$/);
    expect((await cogdoctor(['diff', file('healthy.json')])).code).toBe(2);
  });

  it('the same plan on both sides changes nothing', async () => {
    const r = await cogdoctor(['diff', file('healthy.json'), file('healthy.json'), '--format', 'json', '--quiet']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).changes).toEqual([]);
  });
});
