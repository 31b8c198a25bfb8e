// The real AWS CLI against the emulator: it must parse every answer as it parses AWS's. Debian's
// awscli 2.x (/usr/bin/aws, which CI installs) is preferred; otherwise the aws-cli v1 first on PATH
// (pip or pyenv) is used, and the tests hold for both where their output differs.
import { execFile, execFileSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadOrganization, loadSnapshotsForEmulator, startEmulator, type Emulator } from '../../src/emulator/index.js';
import { FIXTURES } from '../helpers.js';
import {
  ACCESS_POLICIES,
  ACCOUNT,
  ADMIN_ROLE,
  AUTH_ROLE,
  AWS_COGNITO_POLICY,
  CI_GROUP,
  CI_USER,
  CLIENT_ID,
  CUSTOM_POLICY,
  DOMAIN,
  ES_HTTP_POLICY,
  IDENTITY_POOL,
  LEGACY_DOMAIN,
  LEGACY_IDENTITY_POOL,
  LEGACY_USER_POOL,
  OTHER_CLIENT_ID,
  PROVIDER,
  READER_ROLE,
  SERVICE_TRUST,
  USER_POOL,
  WEB_ACL,
  cognitoTrust,
  legacySnapshot,
  openSearchSnapshot,
} from './account.js';

const run = promisify(execFile);

/** Nothing from the machine's own AWS set-up may leak in: no profile, no pager; timestamps in ISO 8601 in v1 as in v2. */
const CONFIG_DIR = mkdtempSync(join(tmpdir(), 'cogdoctor-awscli-'));
writeFileSync(join(CONFIG_DIR, 'config'), '[default]\ncli_timestamp_format = iso8601\n');
const CLI_ENV = {
  PATH: process.env['PATH'] ?? '/usr/bin:/bin',
  HOME: process.env['HOME'] ?? '/tmp',
  // pyenv's shim needs to know where its versions live.
  ...(process.env['PYENV_ROOT'] ? { PYENV_ROOT: process.env['PYENV_ROOT'] } : {}),
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_DEFAULT_REGION: 'eu-west-1',
  AWS_CONFIG_FILE: join(CONFIG_DIR, 'config'),
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_PAGER: '',
};

interface AwsCli {
  path: string;
  major: 1 | 2;
  version: string;
}

/**
 * Debian's /usr/bin/aws first (CI installs it), then whatever `aws` comes first on PATH; one that
 * runs and says its version, and knows `operation` (service and command) when one is named.
 */
function findAwsCli(operation?: [string, string]): AwsCli | undefined {
  const candidates = [
    '/usr/bin/aws',
    ...(process.env['PATH'] ?? '')
      .split(delimiter)
      .filter(Boolean)
      .map((dir) => join(dir, 'aws')),
  ];
  for (const path of candidates) {
    try {
      accessSync(path, constants.X_OK);
      const version = execFileSync(path, ['--version'], { env: CLI_ENV, timeout: 30_000, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
      const major = /^aws-cli\/([12])\./.exec(version)?.[1];
      // The skeleton of an operation's input: printed without any request, refused when the CLI does not know the operation.
      if (operation) execFileSync(path, [...operation, '--generate-cli-skeleton'], { env: CLI_ENV, timeout: 30_000, stdio: 'ignore' });
      if (major) return { path, major: Number(major) as 1 | 2, version };
    } catch {
      // not there, or not runnable: try the next one
    }
  }
  return undefined;
}

const AWS_CLI = findAwsCli();
if (AWS_CLI) console.info(`AWS CLI tests use ${AWS_CLI.path}: ${AWS_CLI.version}`);
else console.warn('AWS CLI tests skipped: no runnable `aws` (v1 or v2) in /usr/bin or on PATH. Install it as CI does: `apt-get install -y awscli`.');

/** The exit code of a failed service call: 254 in v2, 255 in v1. */
const SERVICE_ERROR_EXIT = AWS_CLI?.major === 1 ? 255 : 254;

/** Each call costs ~0.7 s of Python start-up: run at most 4 at once. */
const MAX_PARALLEL = 4;
let running = 0;
const waiting: (() => void)[] = [];

async function limited<T>(fn: () => Promise<T>): Promise<T> {
  while (running >= MAX_PARALLEL) await new Promise<void>((resolve) => waiting.push(resolve));
  running += 1;
  try {
    return await fn();
  } finally {
    running -= 1;
    waiting.shift()?.();
  }
}

let emulator: Emulator;

/** The global services: signed for us-east-1, as the CLI does against AWS's own endpoints. */
const GLOBAL_SERVICES = new Set(['iam', 'organizations', 'account']);

/**
 * Debian's aws 2.9 ignores AWS_ENDPOINT_URL: the endpoint goes on the command line. `options`
 * point it at another emulator, with other credentials, or run another CLI.
 */
function cli(args: string[], options: { url?: string; env?: Record<string, string>; path?: string } = {}) {
  const region = GLOBAL_SERVICES.has(args[0] ?? '') ? ['--region', 'us-east-1'] : [];
  return run(options.path ?? AWS_CLI!.path, ['--endpoint-url', options.url ?? emulator.url, '--output', 'json', ...region, ...args], {
    env: { ...CLI_ENV, ...options.env },
    timeout: 60_000,
  });
}

/** Runs one command and parses what it printed. */
async function aws(...args: string[]): Promise<any> {
  const { stdout } = await limited(() => cli(args));
  return JSON.parse(stdout);
}

/** Runs a command that must fail, and returns its exit code and message. */
async function awsFails(...args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    await limited(() => cli(args));
  } catch (error) {
    const failed = error as { code?: number; stderr?: string };
    return { code: failed.code ?? -1, stderr: (failed.stderr ?? '').trim() };
  }
  throw new Error(`aws ${args.join(' ')} succeeded, but should have failed`);
}

// Each call starts Python (about a second, several on a busy machine) and waits its turn among MAX_PARALLEL.
describe.skipIf(!AWS_CLI)('the AWS CLI against the emulator', { timeout: 300_000 }, () => {
  beforeAll(async () => {
    // Pages of one item, so the CLI's own pagination is exercised.
    emulator = await startEmulator({ snapshots: [openSearchSnapshot, legacySnapshot], pageSize: 1 });
  });

  afterAll(() => emulator?.close());

  describe.concurrent('opensearch and es', () => {
    test('describe-domain keeps AccessPolicies a string', async ({ expect }) => {
      const { DomainStatus } = await aws('opensearch', 'describe-domain', '--domain-name', DOMAIN);
      expect(DomainStatus).toMatchObject({ DomainName: DOMAIN, EngineVersion: 'OpenSearch_2.11', AccessPolicies: ACCESS_POLICIES });
      expect(DomainStatus.CognitoOptions).toMatchObject({ Enabled: true, UserPoolId: USER_POOL, IdentityPoolId: IDENTITY_POOL });
    });

    test('describe-domain shows a legacy domain in the OpenSearch shape', async ({ expect }) => {
      const { DomainStatus } = await aws('opensearch', 'describe-domain', '--domain-name', LEGACY_DOMAIN);
      expect(DomainStatus).toMatchObject({ EngineVersion: 'Elasticsearch_7.10', ClusterConfig: { InstanceType: 'm5.large.search' } });
    });

    test('es describe-elasticsearch-domain', async ({ expect }) => {
      const { DomainStatus } = await aws('es', 'describe-elasticsearch-domain', '--domain-name', LEGACY_DOMAIN);
      expect(DomainStatus).toMatchObject({ ElasticsearchVersion: '7.10', ElasticsearchClusterConfig: { InstanceType: 'm5.large.elasticsearch' } });
    });

    test('list-domain-names, with and without --engine-type', async ({ expect }) => {
      const all = await aws('opensearch', 'list-domain-names');
      expect(all.DomainNames).toEqual([
        { DomainName: DOMAIN, EngineType: 'OpenSearch' },
        { DomainName: LEGACY_DOMAIN, EngineType: 'Elasticsearch' },
      ]);
      const opensearch = await aws('opensearch', 'list-domain-names', '--engine-type', 'OpenSearch');
      expect(opensearch.DomainNames).toEqual([{ DomainName: DOMAIN, EngineType: 'OpenSearch' }]);
    });

    test('describe-domains', async ({ expect }) => {
      const { DomainStatusList } = await aws('opensearch', 'describe-domains', '--domain-names', DOMAIN, LEGACY_DOMAIN);
      expect(DomainStatusList.map((d: { DomainName: string }) => d.DomainName)).toEqual([DOMAIN, LEGACY_DOMAIN]);
    });

    test('an unknown domain fails as on AWS', async ({ expect }) => {
      const { code, stderr } = await awsFails('opensearch', 'describe-domain', '--domain-name', 'nope');
      expect(code).toBe(SERVICE_ERROR_EXIT);
      expect(stderr).toBe('An error occurred (ResourceNotFoundException) when calling the DescribeDomain operation: Domain not found: nope');
    });
  });

  describe.concurrent('cognito-idp', () => {
    test('describe-user-pool', async ({ expect }) => {
      const { UserPool } = await aws('cognito-idp', 'describe-user-pool', '--user-pool-id', USER_POOL);
      expect(UserPool).toMatchObject({ Id: USER_POOL, Domain: 'logs-prod-login', CreationDate: '2024-03-01T09:00:00+00:00' });
    });

    test('list-user-pool-clients: the CLI follows NextToken itself', async ({ expect }) => {
      const { UserPoolClients, NextToken } = await aws('cognito-idp', 'list-user-pool-clients', '--user-pool-id', USER_POOL);
      expect(UserPoolClients.map((c: { ClientId: string }) => c.ClientId)).toEqual([CLIENT_ID, OTHER_CLIENT_ID]);
      expect(NextToken).toBeUndefined();
    });

    test('describe-user-pool-client', async ({ expect }) => {
      const { UserPoolClient } = await aws('cognito-idp', 'describe-user-pool-client', '--user-pool-id', USER_POOL, '--client-id', CLIENT_ID);
      expect(UserPoolClient).toMatchObject({
        ClientName: 'AmazonOpenSearchService-logs-prod-eu-west-1-abc123def456ghi789',
        CallbackURLs: openSearchSnapshot.userPoolClients?.[0]?.CallbackURLs,
        AllowedOAuthFlows: ['code'],
        LastModifiedDate: '2026-10-01T12:35:00+00:00',
      });
    });

    test('list-groups', async ({ expect }) => {
      const { Groups } = await aws('cognito-idp', 'list-groups', '--user-pool-id', USER_POOL);
      expect(Groups.map((g: { GroupName: string; RoleArn: string }) => [g.GroupName, g.RoleArn])).toEqual([
        ['admins', ADMIN_ROLE],
        ['readers', READER_ROLE],
      ]);
    });

    test('describe-user-pool-domain', async ({ expect }) => {
      const { DomainDescription } = await aws('cognito-idp', 'describe-user-pool-domain', '--domain', 'logs-prod-login');
      expect(DomainDescription).toMatchObject({ Domain: 'logs-prod-login', UserPoolId: USER_POOL, Status: 'ACTIVE' });
    });

    test('list-identity-providers and describe-identity-provider', async ({ expect }) => {
      const { Providers } = await aws('cognito-idp', 'list-identity-providers', '--user-pool-id', USER_POOL);
      expect(Providers).toEqual([{ ProviderName: 'CorpSAML', ProviderType: 'SAML' }]);
      const { IdentityProvider } = await aws('cognito-idp', 'describe-identity-provider', '--user-pool-id', USER_POOL, '--provider-name', 'CorpSAML');
      expect(IdentityProvider.ProviderDetails).toEqual({ MetadataURL: 'https://idp.example.com/metadata.xml' });
    });

    test('admin-get-user and admin-list-groups-for-user', async ({ expect }) => {
      const alice = await aws('cognito-idp', 'admin-get-user', '--user-pool-id', USER_POOL, '--username', 'alice');
      expect(alice).toMatchObject({ Username: 'alice', UserStatus: 'CONFIRMED', Enabled: true, UserCreateDate: '2024-03-02T10:00:00+00:00' });
      const { Groups } = await aws('cognito-idp', 'admin-list-groups-for-user', '--user-pool-id', USER_POOL, '--username', 'alice');
      expect(Groups.map((g: { GroupName: string }) => g.GroupName)).toEqual(['admins', 'readers']);
    });
    // describe-managed-login-branding-by-client (2024) is newer than awscli 2.9: the SDK test covers it.
  });

  describe.concurrent('cognito-identity', () => {
    test('describe-identity-pool and get-identity-pool-roles', async ({ expect }) => {
      const pool = await aws('cognito-identity', 'describe-identity-pool', '--identity-pool-id', IDENTITY_POOL);
      expect(pool).toMatchObject({ IdentityPoolName: 'logs_identity_pool', CognitoIdentityProviders: [{ ProviderName: PROVIDER, ClientId: CLIENT_ID }] });
      const { Roles, RoleMappings } = await aws('cognito-identity', 'get-identity-pool-roles', '--identity-pool-id', IDENTITY_POOL);
      expect(Roles.authenticated).toBe(AUTH_ROLE);
      expect(RoleMappings[`${PROVIDER}:${CLIENT_ID}`]).toEqual({ Type: 'Token', AmbiguousRoleResolution: 'AuthenticatedRole' });
    });

    // awscli 2.9 has no paginator for list-identity-pools, newer ones have: without paginating, the caller follows NextToken.
    test('list-identity-pools, following NextToken by hand', async ({ expect }) => {
      const first = await aws('cognito-identity', 'list-identity-pools', '--max-results', '60', '--no-paginate');
      expect(first.IdentityPools).toEqual([{ IdentityPoolId: IDENTITY_POOL, IdentityPoolName: 'logs_identity_pool' }]);
      const second = await aws('cognito-identity', 'list-identity-pools', '--max-results', '60', '--no-paginate', '--next-token', first.NextToken);
      expect(second.IdentityPools).toEqual([{ IdentityPoolId: LEGACY_IDENTITY_POOL, IdentityPoolName: 'kibana_identity_pool' }]);
      expect(second.NextToken).toBeUndefined();
    });

    test('get-principal-tag-attribute-map', async ({ expect }) => {
      const map = await aws('cognito-identity', 'get-principal-tag-attribute-map', '--identity-pool-id', IDENTITY_POOL, '--identity-provider-name', PROVIDER);
      expect(map).toEqual({
        IdentityPoolId: IDENTITY_POOL,
        IdentityProviderName: PROVIDER,
        UseDefaults: true,
        PrincipalTags: { username: 'sub', client: 'aud' },
      });
    });
  });

  describe.concurrent('wafv2', () => {
    const poolArn = (id: string) => `arn:aws:cognito-idp:eu-west-1:${ACCOUNT}:userpool/${id}`;

    test("get-web-acl-for-resource prints the user pool's web ACL as AWS does, blobs in base64", async ({ expect }) => {
      const { WebACL } = await aws('wafv2', 'get-web-acl-for-resource', '--resource-arn', poolArn(USER_POOL));
      expect(WebACL).toEqual(WEB_ACL);
    });

    test("get-web-acl-for-resource on a pool without a web ACL succeeds and prints nothing, as for AWS's empty answer", async ({ expect }) => {
      const { stdout } = await limited(() => cli(['wafv2', 'get-web-acl-for-resource', '--resource-arn', poolArn(LEGACY_USER_POOL)]));
      expect(stdout.trim()).toBe('');
    });

    test('an unknown resource is WAFNonexistentItemException', async ({ expect }) => {
      const { code, stderr } = await awsFails('wafv2', 'get-web-acl-for-resource', '--resource-arn', poolArn('eu-west-1_Nope'));
      expect(code).toBe(SERVICE_ERROR_EXIT);
      expect(stderr).toMatch(/^An error occurred \(WAFNonexistentItemException\) when calling the GetWebACLForResource operation: /);
    });
  });

  describe.concurrent('iam and sts', () => {
    test('get-role prints the trust policy decoded, whatever form the snapshot holds', async ({ expect }) => {
      for (const name of ['Cognito_logsAuth_Role', 'logs-admin', 'logs-reader']) {
        const { Role } = await aws('iam', 'get-role', '--role-name', name);
        expect(Role.AssumeRolePolicyDocument).toEqual(cognitoTrust('authenticated'));
      }
    });

    test('get-role on a role under a path', async ({ expect }) => {
      const { Role } = await aws('iam', 'get-role', '--role-name', 'CognitoAccessForAmazonOpenSearch');
      expect(Role).toMatchObject({ Path: '/service-role/', AssumeRolePolicyDocument: SERVICE_TRUST, CreateDate: '2024-03-01T09:00:00+00:00' });
    });

    test('list-attached-role-policies and list-role-policies: the CLI follows Marker', async ({ expect }) => {
      const attached = await aws('iam', 'list-attached-role-policies', '--role-name', 'CognitoAccessForAmazonOpenSearch');
      expect(attached.AttachedPolicies.map((p: { PolicyArn: string }) => p.PolicyArn)).toEqual([AWS_COGNITO_POLICY, CUSTOM_POLICY]);
      const inline = await aws('iam', 'list-role-policies', '--role-name', 'Cognito_logsAuth_Role');
      expect(inline.PolicyNames).toEqual(['es-http-get', 'deny-delete']);
    });

    test('get-role-policy, get-policy and get-policy-version', async ({ expect }) => {
      const inline = await aws('iam', 'get-role-policy', '--role-name', 'Cognito_logsAuth_Role', '--policy-name', 'es-http-get');
      expect(inline.PolicyDocument).toEqual(ES_HTTP_POLICY);
      const { Policy } = await aws('iam', 'get-policy', '--policy-arn', CUSTOM_POLICY);
      expect(Policy).toMatchObject({ PolicyName: 'logs-es-http', DefaultVersionId: 'v1', AttachmentCount: 2, IsAttachable: true });
      const { PolicyVersion } = await aws('iam', 'get-policy-version', '--policy-arn', CUSTOM_POLICY, '--version-id', 'v1');
      expect(PolicyVersion).toMatchObject({ VersionId: 'v1', IsDefaultVersion: true, Document: ES_HTTP_POLICY });
    });

    test('get-user, its policies and its groups (cogdoctor access on a user)', async ({ expect }) => {
      const { User } = await aws('iam', 'get-user', '--user-name', 'ci-deployer');
      expect(User).toMatchObject({
        UserName: 'ci-deployer',
        Arn: CI_USER,
        Path: '/ci/',
        UserId: 'AIDACIDEPLOYER000001',
        CreateDate: '2024-02-01T09:00:00+00:00',
      });
      const attached = await aws('iam', 'list-attached-user-policies', '--user-name', 'ci-deployer');
      expect(attached.AttachedPolicies).toEqual([{ PolicyName: 'logs-es-http', PolicyArn: CUSTOM_POLICY }]);
      expect((await aws('iam', 'list-user-policies', '--user-name', 'ci-deployer')).PolicyNames).toEqual(['ci-es-get']);
      expect((await aws('iam', 'get-user-policy', '--user-name', 'ci-deployer', '--policy-name', 'ci-es-get')).PolicyDocument).toEqual(ES_HTTP_POLICY);
      const groups = await aws('iam', 'list-groups-for-user', '--user-name', 'ci-deployer');
      expect(groups.Groups).toMatchObject([{ GroupName: 'search-writers', Arn: CI_GROUP, Path: '/' }]);
      expect((await aws('iam', 'list-attached-group-policies', '--group-name', 'search-writers')).AttachedPolicies).toEqual([]);
      expect((await aws('iam', 'list-group-policies', '--group-name', 'search-writers')).PolicyNames).toEqual(['opensearch-write']);
      const inline = await aws('iam', 'get-group-policy', '--group-name', 'search-writers', '--policy-name', 'opensearch-write');
      expect(inline).toMatchObject({ GroupName: 'search-writers', PolicyName: 'opensearch-write', PolicyDocument: ES_HTTP_POLICY });
    });

    test('an unknown user is NoSuchEntity', async ({ expect }) => {
      const { code, stderr } = await awsFails('iam', 'get-user', '--user-name', 'nobody');
      expect(code).toBe(SERVICE_ERROR_EXIT);
      expect(stderr).toBe('An error occurred (NoSuchEntity) when calling the GetUser operation: The user with name nobody cannot be found.');
    });

    test('a recorded AccessDenied replays', async ({ expect }) => {
      const { code, stderr } = await awsFails('iam', 'get-role', '--role-name', 'Cognito_logsUnauth_Role');
      expect(code).toBe(SERVICE_ERROR_EXIT);
      expect(stderr).toBe(`An error occurred (AccessDenied) when calling the GetRole operation: ${openSearchSnapshot.errors?.[0]?.message}`);
    });

    test('a recorded AccessDeniedException on a legacy pool replays', async ({ expect }) => {
      const { stderr } = await awsFails('cognito-idp', 'list-groups', '--user-pool-id', LEGACY_USER_POOL);
      expect(stderr).toMatch(/^An error occurred \(AccessDeniedException\) when calling the ListGroups operation: /);
    });

    test('sts get-caller-identity', async ({ expect }) => {
      expect(await aws('sts', 'get-caller-identity')).toEqual({
        UserId: 'AIDACOGDOCTOREMULATOR',
        Account: ACCOUNT,
        Arn: `arn:aws:iam::${ACCOUNT}:user/cogdoctor-emulator`,
      });
    });
  });

  test('the CLI read everything without one mutating request', () => {
    expect(emulator.log.length).toBeGreaterThan(30);
    expect(emulator.log.filter((entry) => entry.mutating)).toEqual([]);
    expect(emulator.log.filter((entry) => entry.status === 0)).toEqual([]);
  });
});

/** A CLI that knows account list-regions (Debian's awscli 2.9 predates it; aws-cli v1 from pip knows it). */
const LIST_REGIONS_CLI = AWS_CLI && findAwsCli(['account', 'list-regions']);

describe.skipIf(!AWS_CLI)('the AWS CLI against an organization', { timeout: 300_000 }, () => {
  const DIR = join(FIXTURES, 'demo', 'organization');
  const PROD = '444455556666';
  const role = (account: string) => `arn:aws:iam::${account}:role/cogdoctor-audit`;
  const READ_ONLY = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['es:Describe*', 'es:List*', 'account:List*'], Resource: '*' }],
  });
  let served: Emulator;
  /** The environment of a shell that exported the session's credentials, as after `aws sts assume-role`. */
  let session: Record<string, string>;

  const awsIn = async (args: string[], env: Record<string, string> = {}, path?: string) =>
    JSON.parse((await limited(() => cli(args, { url: served.url, env, ...(path ? { path } : {}) }))).stdout);

  beforeAll(async () => {
    const snapshots = await loadSnapshotsForEmulator(readdirSync(join(DIR, 'snapshots')).map((f) => join(DIR, 'snapshots', f)));
    served = await startEmulator({ snapshots, organization: await loadOrganization(join(DIR, 'organization.json')), pageSize: 1 });
    const assumed = await awsIn([
      'sts',
      'assume-role',
      '--role-arn',
      role(PROD),
      '--role-session-name',
      'cli-sweep',
      '--external-id',
      'cogdoctor-demo-7d41',
      '--policy',
      READ_ONLY,
    ]);
    expect(assumed.AssumedRoleUser).toEqual({
      AssumedRoleId: 'AROAPRODAUDIT00000001:cli-sweep',
      Arn: `arn:aws:sts::${PROD}:assumed-role/cogdoctor-audit/cli-sweep`,
    });
    expect(assumed.PackedPolicySize).toBeGreaterThan(0);
    const { AccessKeyId, SecretAccessKey, SessionToken } = assumed.Credentials;
    expect(AccessKeyId).toMatch(/^ASIA/);
    session = { AWS_ACCESS_KEY_ID: AccessKeyId, AWS_SECRET_ACCESS_KEY: SecretAccessKey, AWS_SESSION_TOKEN: SessionToken };
  });

  afterAll(() => served?.close());

  describe.concurrent('organizations, sts and account', () => {
    test('organizations list-accounts: the CLI follows NextToken itself', async ({ expect }) => {
      const { Accounts } = await awsIn(['organizations', 'list-accounts']);
      expect(Accounts.map((a: { Id: string; Status: string }) => `${a.Id} ${a.Status}`)).toEqual([
        '111122223333 ACTIVE',
        '444455556666 ACTIVE',
        '777788889999 ACTIVE',
        '222233334444 ACTIVE',
        '555566667777 SUSPENDED',
      ]);
      expect(Accounts[1]).toMatchObject({ Name: 'search-prod', JoinedMethod: 'CREATED', JoinedTimestamp: '2023-06-01T08:00:00+00:00' });
    });

    test('the assumed credentials are answered from the member account', async ({ expect }) => {
      expect(await awsIn(['sts', 'get-caller-identity'], session)).toMatchObject({
        Account: PROD,
        Arn: `arn:aws:sts::${PROD}:assumed-role/cogdoctor-audit/cli-sweep`,
      });
      const { DomainNames } = await awsIn(['opensearch', 'list-domain-names'], session);
      expect(DomainNames.map((d: { DomainName: string }) => d.DomainName).sort()).toEqual(['catalog-search', 'orders-search']);
      const south = await awsIn(['opensearch', 'list-domain-names', '--region', 'eu-south-1'], session);
      expect(south.DomainNames).toEqual([{ DomainName: 'payments-logs', EngineType: 'OpenSearch' }]);
    });

    test('the session policy denies what it does not allow', async ({ expect }) => {
      const { DomainNames } = await awsIn(['opensearch', 'list-domain-names'], session);
      const catalog = await awsIn(['opensearch', 'describe-domain', '--domain-name', DomainNames[0].DomainName], session);
      const pool = catalog.DomainStatus.CognitoOptions.UserPoolId;
      const { code, stderr } = await (async () => {
        try {
          await limited(() => cli(['cognito-idp', 'describe-user-pool', '--user-pool-id', pool], { url: served.url, env: session }));
        } catch (error) {
          return error as { code: number; stderr: string };
        }
        throw new Error('describe-user-pool succeeded');
      })();
      expect(code).toBe(SERVICE_ERROR_EXIT);
      expect(stderr.trim()).toMatch(
        /^An error occurred \(AccessDeniedException\) when calling the DescribeUserPool operation: User: arn:aws:sts::444455556666:assumed-role\/cogdoctor-audit\/cli-sweep is not authorized to perform: cognito-idp:DescribeUserPool on resource: .* because no session policy allows the cognito-idp:DescribeUserPool action$/,
      );
    });

    test('assume-role on a role whose trust does not allow the caller fails as on AWS', async ({ expect }) => {
      let failure: { code: number; stderr: string } | undefined;
      try {
        await limited(() => cli(['sts', 'assume-role', '--role-arn', role('222233334444'), '--role-session-name', 'cli-sweep'], { url: served.url }));
      } catch (error) {
        failure = error as { code: number; stderr: string };
      }
      expect(failure?.code).toBe(SERVICE_ERROR_EXIT);
      expect(failure?.stderr.trim()).toBe(
        'An error occurred (AccessDenied) when calling the AssumeRole operation: User: arn:aws:iam::111122223333:user/cogdoctor-emulator is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222233334444:role/cogdoctor-audit',
      );
    });

    test.skipIf(!LIST_REGIONS_CLI)('account list-regions, filtered by status, with the assumed credentials', async ({ expect }) => {
      const { Regions } = await awsIn(
        ['account', 'list-regions', '--region-opt-status-contains', 'ENABLED', 'ENABLED_BY_DEFAULT'],
        session,
        LIST_REGIONS_CLI!.path,
      );
      expect(Regions.map((r: { RegionName: string }) => r.RegionName)).toEqual(['eu-central-1', 'eu-south-1', 'eu-west-1', 'us-east-1']);
      const staging = await awsIn(
        ['account', 'list-regions', '--account-id', '777788889999', '--region-opt-status-contains', 'DISABLED'],
        {},
        LIST_REGIONS_CLI!.path,
      );
      expect(staging.Regions).toEqual([{ RegionName: 'eu-south-1', RegionOptStatus: 'DISABLED' }]);
    });
  });
});
