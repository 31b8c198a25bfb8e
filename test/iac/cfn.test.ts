import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import schema from '../../schema/report.schema.json' with { type: 'json' };
import { builtinChecks } from '../../src/engine/builtin.js';
import { runChecks } from '../../src/report/assemble.js';
import { environmentOf, snapshotsFromTemplate, TemplateError } from '../../src/iac/cfn.js';
import { locateFindings } from '../../src/iac/common.js';
import { parseTemplate } from '../../src/iac/parse.js';
import { Resolver, Unresolved } from '../../src/iac/resolve.js';
import { parseSnapshot } from '../../src/snapshot/read.js';
import { ROOT } from '../helpers.js';

const DIR = join(ROOT, 'test/fixtures/iac');

function run(name: string, parameters: Record<string, string> = {}) {
  const file = `test/fixtures/iac/${name}`;
  const result = snapshotsFromTemplate(readFileSync(join(DIR, name), 'utf8'), { file, parameters });
  expect(result.snapshots).toHaveLength(1);
  const { snapshot, logicalId } = result.snapshots[0]!;
  const report = locateFindings(runChecks(snapshot, builtinChecks, { version: 'test', source: 'cfn', file }), result, logicalId);
  return { result, snapshot, report };
}

const ids = (r: ReturnType<typeof run>['report']) => [...new Set(r.findings.map((f) => f.id))].sort();

/** Fixture → the failure ids it produces, and the template line and logical id of each. */
const EXPECTED: Record<string, { ids: string[]; at: Record<string, [number, string]> }> = {
  'healthy.yaml': { ids: [], at: {} },
  'master-ci-role.yaml': { ids: ['missing-role'], at: { 'missing-role': [74, 'Domain'] } },
  'identity-pool-trust-invalid.json': { ids: ['identity-pool-trust-invalid'], at: { 'identity-pool-trust-invalid': [86, 'AuthRole'] } },
  'group-roles-ignored.yaml': { ids: ['group-roles-ignored'], at: { 'group-roles-ignored': [109, 'RoleAttachment'] } },
  'auth-role-not-in-access-policy.yaml': { ids: ['auth-role-not-in-access-policy'], at: { 'auth-role-not-in-access-policy': [74, 'Domain'] } },
  'unresolvable.yaml': { ids: [], at: {} },
  // The stack manages the OpenSearch client but its identity pool lists no provider: a deploy drops the one the service added.
  'identity-pool-drops-opensearch-provider.yaml': {
    ids: ['token-not-from-supported-provider'],
    at: { 'token-not-from-supported-provider': [47, 'IdentityPool'] },
  },
};

describe('templates → snapshots → findings', () => {
  it.each(Object.entries(EXPECTED))('%s', (name, expected) => {
    const { report, snapshot } = run(name);
    // The snapshot built from the template passes the same validation as a snapshot file.
    expect(() => parseSnapshot(JSON.stringify(snapshot))).not.toThrow();
    expect(report.checks.filter((c) => c.status === 'error')).toEqual([]);
    expect(ids(report)).toEqual(expected.ids);
    for (const [id, [line, logicalId]] of Object.entries(expected.at)) {
      expect(report.findings.find((f) => f.id === id)?.location).toEqual({ file: `test/fixtures/iac/${name}`, line, logicalId });
    }
    const ajv = new Ajv({ strict: false, allErrors: true });
    ajv.addFormat('uri', (value: string) => URL.canParse(value));
    expect(ajv.validate(schema, report), JSON.stringify(ajv.errors)).toBe(true);
  });

  it('Schema attributes get the names DescribeUserPool gives them: custom ones with the custom: prefix', () => {
    const template = readFileSync(join(DIR, 'healthy.yaml'), 'utf8').replace(
      '      DeletionProtection: ACTIVE\n',
      '      DeletionProtection: ACTIVE\n      Schema:\n        - { Name: email, AttributeDataType: String, Mutable: true, Required: true }\n        - { Name: department, AttributeDataType: String, Mutable: false }\n        - { Name: "custom:team", AttributeDataType: String }\n',
    );
    const { snapshots } = snapshotsFromTemplate(template, { file: 'schema.yaml', parameters: {} });
    expect(snapshots[0]!.snapshot.userPool?.SchemaAttributes?.map((a) => [a.Name, a.Mutable])).toEqual([
      ['email', true],
      ['custom:department', false],
      ['custom:team', undefined],
    ]);
  });

  it('the healthy template reads the user pool, identity pool, roles and the master-user role mapping', () => {
    const { snapshot } = run('healthy.yaml');
    expect(snapshot.region).toBe('us-east-1');
    expect(snapshot.accountId).toBe('123456789012');
    expect(snapshot.domain).toMatchObject({
      DomainName: 'logs-prod',
      ARN: 'arn:aws:es:us-east-1:123456789012:domain/logs-prod',
      EngineVersion: 'OpenSearch_2.13',
      CognitoOptions: { Enabled: true, UserPoolId: 'us-east-1_UserPool', RoleArn: 'arn:aws:iam::123456789012:role/service-role/CognitoAccessRole' },
    });
    expect(JSON.parse(snapshot.domain.AccessPolicies!).Statement[0].Resource).toBe('arn:aws:es:us-east-1:123456789012:domain/logs-prod/*');
    expect(snapshot.userPool).toMatchObject({ Id: 'us-east-1_UserPool', Name: 'logs-prod-users', Domain: 'logs-prod-login', MfaConfiguration: 'OPTIONAL' });
    expect(snapshot.identityPool?.IdentityPoolId).toMatch(/^us-east-1:[0-9a-f-]{36}$/);
    expect(snapshot.identityPoolRoles?.Roles).toEqual({ authenticated: 'arn:aws:iam::123456789012:role/logs-prod-cognito-auth' });
    const auth = snapshot.roles?.find((r) => r.RoleName === 'logs-prod-cognito-auth');
    expect(auth?.AssumeRolePolicyDocument).toMatchObject({
      Statement: [{ Condition: { StringEquals: { 'cognito-identity.amazonaws.com:aud': snapshot.identityPool?.IdentityPoolId } } }],
    });
    expect(snapshot.securityPlugin?.rolesMapping?.['all_access']?.backend_roles).toEqual(['arn:aws:iam::123456789012:role/logs-prod-cognito-auth']);
    expect(snapshot.rolePolicies?.['arn:aws:iam::123456789012:role/service-role/CognitoAccessRole']?.attached?.[0]?.PolicyArn).toBe(
      'arn:aws:iam::aws:policy/AmazonOpenSearchServiceCognitoAccess',
    );
    // The app client OpenSearch Service creates is in no template: it stands in the snapshot as the client
    // the service creates at deploy, and the identity pool (which declares no provider) gets it as provider.
    const service = snapshot.userPoolClients?.find((c) => c.ClientId === snapshot.serviceClientAtDeploy);
    expect(service).toMatchObject({ ClientName: expect.stringMatching(/^AmazonOpenSearchService-logs-prod-us-east-1-/), AllowedOAuthFlows: ['code'] });
    expect(snapshot.identityPool?.CognitoIdentityProviders).toEqual([
      { ProviderName: 'cognito-idp.us-east-1.amazonaws.com/us-east-1_UserPool', ClientId: service?.ClientId, ServerSideTokenCheck: true },
    ]);
    expect(snapshot.errors).toEqual([]);
  });

  it('ids are deterministic and follow --parameters (pseudo parameters included)', () => {
    const a = run('healthy.yaml', { 'AWS::AccountId': '111122223333', 'AWS::Region': 'eu-west-1', DomainName: 'search' });
    const b = run('healthy.yaml', { 'AWS::AccountId': '111122223333', 'AWS::Region': 'eu-west-1', DomainName: 'search' });
    expect(a.snapshot).toEqual(b.snapshot);
    expect(a.snapshot.domain.ARN).toBe('arn:aws:es:eu-west-1:111122223333:domain/search');
    expect(a.snapshot.userPool?.Domain).toBe('search-login');
  });

  it('what the template does not decide is left out and recorded, and the checks needing it are unknown', () => {
    const { snapshot, report } = run('unresolvable.yaml');
    expect(snapshot.identityPoolRoles).toBeUndefined();
    expect(snapshot.securityPlugin).toBeUndefined();
    expect(snapshot.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ operation: 'cloudformation:Resolve', resource: 'RoleAttachment.Roles', code: 'Unresolvable' }),
        expect.objectContaining({
          operation: 'cloudformation:Resolve',
          resource: 'Domain.AdvancedSecurityOptions.MasterUserOptions.MasterUserARN',
          code: 'Unresolvable',
        }),
      ]),
    );
    expect(report.findings).toEqual([]);
    expect(report.checks.find((c) => c.check === 'auth-role-trust')?.status).toBe('unknown');
    // Given the parameter, the master user is known again.
    const given = run('unresolvable.yaml', { MasterRoleArn: 'arn:aws:iam::123456789012:role/ops' });
    expect(given.snapshot.securityPlugin?.rolesMapping?.['all_access']?.backend_roles).toEqual(['arn:aws:iam::123456789012:role/ops']);
  });

  it('a client the template creates is never the domain client, even when the identity pool lists it (decision rule 6)', () => {
    const { snapshot, result, report } = run('group-roles-ignored.yaml');
    expect(snapshot.userPoolClients?.map((c) => c.ClientName)).toEqual(['dashboards', expect.stringMatching(/^AmazonOpenSearchService-logs-prod-/)]);
    expect(snapshot.userPoolClients?.[0]?.ClientSecret).toBe('<redacted>');
    expect(report.target.appClient).toMatchObject({ createdAtDeploy: true });
    expect(snapshot.userPoolGroups).toEqual([
      expect.objectContaining({ GroupName: 'Admins', RoleArn: 'arn:aws:iam::123456789012:role/logs-prod-cognito-admin' }),
    ]);
    // The service still adds its own provider at deploy; a later update of the providers by the stack would drop it.
    expect(snapshot.identityPool?.CognitoIdentityProviders?.map((p) => p.ClientId)).toEqual([
      snapshot.userPoolClients?.[0]?.ClientId,
      snapshot.serviceClientAtDeploy,
    ]);
    expect(result.snapshots[0]!.notes.join(' ')).toMatch(/OpenSearch Service adds its own client as a provider at deploy/);
  });
});

describe('the environment of a template', () => {
  it('is the account and Region of the CDK bootstrap resources it names', () => {
    const template = { Resources: { F: { Type: 'AWS::Lambda::Function', Properties: { Code: { S3Bucket: 'cdk-hnb659fds-assets-111122223333-eu-west-1' } } } } };
    expect(environmentOf(template)).toEqual({ accountId: '111122223333', region: 'eu-west-1' });
  });

  it('is the one account and Region its written-out ARNs name; several, or none, stay symbolic', () => {
    const one = {
      Resources: {
        R: {
          Properties: {
            A: 'arn:aws:es:ca-central-1:444455556666:domain/x/*',
            B: 'arn:aws:iam::444455556666:role/r',
            M: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
          },
        },
      },
    };
    expect(environmentOf(one)).toEqual({ accountId: '444455556666', region: 'ca-central-1' });
    const two = { Resources: { R: { Properties: { A: 'arn:aws:iam::444455556666:role/r', B: 'arn:aws:iam::777788889999:role/s' } } } };
    expect(environmentOf(two)).toEqual({ accounts: ['444455556666', '777788889999'] });
    expect(environmentOf({ Resources: { R: { Properties: { A: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/r' } } } } })).toEqual({});
  });
});

describe('a template that names several accounts', () => {
  // The auth role is built with ${AWS::AccountId}; the policy names two written-out accounts.
  const template = readFileSync(join(DIR, 'auth-role-not-in-access-policy.yaml'), 'utf8').replace(
    "Principal: { AWS: !Sub 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/ci-deploy' }",
    "Principal: { AWS: ['arn:aws:iam::111122223333:role/logs-prod-cognito-auth', 'arn:aws:iam::444455556666:role/ci-deploy'] }",
  );

  it('leaves the access policy undecided, naming why, instead of comparing with a placeholder account', () => {
    const { snapshots } = snapshotsFromTemplate(template, { file: 'multi.yaml' });
    const report = runChecks(snapshots[0]!.snapshot, builtinChecks, { version: 'test', source: 'cfn', file: 'multi.yaml' });
    expect(report.findings.map((f) => f.id)).toEqual([]);
    expect(report.checks.find((c) => c.check === 'access-policy-auth-roles')).toMatchObject({
      status: 'unknown',
      reason: expect.stringMatching(/names accounts 111122223333, 444455556666 and does not say which one it deploys to.*--parameters AWS::AccountId/),
    });
  });

  it('decides once the account is given', () => {
    const { snapshots } = snapshotsFromTemplate(template, { file: 'multi.yaml', parameters: { 'AWS::AccountId': '111122223333' } });
    const report = runChecks(snapshots[0]!.snapshot, builtinChecks, { version: 'test', source: 'cfn', file: 'multi.yaml' });
    expect(report.checks.find((c) => c.check === 'access-policy-auth-roles')?.status).toBe('pass');
  });
});

describe('parsing and resolving', () => {
  it('reads the short-form tags as their long form, and the line of each resource', () => {
    const { template, lines } = parseTemplate(
      'Resources:\n  A:\n    Type: X\n    Properties:\n      B: !GetAtt R.Arn\n      C: !Sub [ "${x}", { x: !Ref P } ]\n      D: !If [Cond, !Select [1, [a, b]], !Join ["", [c]]]\n',
    );
    expect((template['Resources'] as Record<string, { Properties: unknown }>)['A']!.Properties).toEqual({
      B: { 'Fn::GetAtt': ['R', 'Arn'] },
      C: { 'Fn::Sub': ['${x}', { x: { Ref: 'P' } }] },
      D: { 'Fn::If': ['Cond', { 'Fn::Select': [1, ['a', 'b']] }, { 'Fn::Join': ['', ['c']] }] },
    });
    expect(lines.get('A')).toBe(2);
  });

  it('refuses what is not a template', () => {
    expect(() => parseTemplate('- a\n- b\n')).toThrow(TemplateError);
    expect(() => snapshotsFromTemplate('Resources: {}\n', { file: 't.yaml' })).toThrow(/no AWS::OpenSearchService::Domain/);
  });

  it('resolves Sub (both forms), Join, Select, Split, If, FindInMap, conditions and NoValue; leaves the rest unresolved', () => {
    const template = {
      Parameters: { Env: { Type: 'String', Default: 'dev' }, Need: { Type: 'String' }, List: { Type: 'CommaDelimitedList', Default: 'a,b' } },
      Conditions: {
        Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] },
        NotProd: { 'Fn::Not': [{ Condition: 'Prod' }] },
        Unknown: { 'Fn::Equals': [{ Ref: 'Need' }, 'x'] },
      },
      Mappings: { M: { dev: { size: 3 } } },
      Resources: {},
    };
    const r = new Resolver(template, {
      region: 'eu-west-1',
      accountId: '123456789012',
      partition: 'aws',
      parameters: {},
      stackName: 'logs',
      refOf: () => 'id',
      attOf: () => 'att',
    });
    expect(r.resolve({ 'Fn::Sub': 'arn:${AWS::Partition}:x:${AWS::Region}:${AWS::AccountId}:${Env}/${!Literal}' })).toBe(
      'arn:aws:x:eu-west-1:123456789012:dev/${Literal}',
    );
    expect(r.resolve({ 'Fn::Sub': ['${a}-${Env}', { a: { 'Fn::Select': [1, { Ref: 'List' }] } }] })).toBe('b-dev');
    expect(r.resolve({ 'Fn::Join': [':', [{ 'Fn::Split': [',', 'x,y'] }, 'z'].flat()] })).toBeInstanceOf(Unresolved);
    expect(r.resolve({ 'Fn::Join': [':', { 'Fn::Split': [',', 'x,y'] }] })).toBe('x:y');
    expect(r.resolve({ 'Fn::If': ['NotProd', 'yes', 'no'] })).toBe('yes');
    expect(r.resolve({ a: { 'Fn::If': ['Prod', 1, { Ref: 'AWS::NoValue' }] }, b: [1, { Ref: 'AWS::NoValue' }] })).toEqual({ b: [1] });
    expect(r.resolve({ 'Fn::FindInMap': ['M', { Ref: 'Env' }, 'size'] })).toBe(3);
    expect(r.resolve({ 'Fn::If': ['Unknown', 1, 2] })).toBeInstanceOf(Unresolved);
    expect(r.resolve({ Ref: 'Need' })).toBeInstanceOf(Unresolved);
    expect(r.resolve({ 'Fn::ImportValue': 'x' })).toBeInstanceOf(Unresolved);
    // The stack name is a symbol: the same name wherever the template uses it.
    expect(r.resolve({ 'Fn::Sub': '${AWS::StackName}-auth' })).toBe('logs-auth');
  });
});
