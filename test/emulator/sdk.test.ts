// The real AWS SDK v3 clients against the emulator: every served operation, recorded errors, faults.
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import {
  DescribeIdentityPoolCommand,
  CognitoIdentityClient,
  GetIdentityPoolRolesCommand,
  GetPrincipalTagAttributeMapCommand,
  paginateListIdentityPools,
} from '@aws-sdk/client-cognito-identity';
import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  DescribeIdentityProviderCommand,
  DescribeManagedLoginBrandingByClientCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  DescribeUserPoolDomainCommand,
  ListUsersCommand,
  paginateAdminListGroupsForUser,
  paginateListGroups,
  paginateListIdentityProviders,
  paginateListUserPoolClients,
  UpdateUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  paginateListAttachedRolePolicies,
  paginateListRolePolicies,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { DescribeDomainCommand, DescribeDomainsCommand, ListDomainNamesCommand, OpenSearchClient, UpdateDomainConfigCommand } from '@aws-sdk/client-opensearch';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { AssociateWebACLCommand, GetWebACLForResourceCommand, WAFV2Client } from '@aws-sdk/client-wafv2';
import { loadSnapshotsForEmulator, startEmulator, type Emulator, type FaultRule } from '../../src/emulator/index.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import {
  ACCESS_POLICIES,
  ACCOUNT,
  ADMIN_ROLE,
  AUTH_ROLE,
  AWS_COGNITO_POLICY,
  CLIENT_ID,
  CUSTOM_ENDPOINT,
  CUSTOM_POLICY,
  DOMAIN,
  ENDPOINT,
  ES_HTTP_POLICY,
  IDENTITY_POOL,
  LEGACY_CLIENT_ID,
  LEGACY_DOMAIN,
  LEGACY_ENDPOINT,
  LEGACY_IDENTITY_POOL,
  LEGACY_USER_POOL,
  OTHER_CLIENT_ID,
  PROVIDER,
  READER_ROLE,
  SERVICE_ROLE,
  SERVICE_TRUST,
  USER_POOL,
  WEB_ACL_ARN,
  cognitoTrust,
  legacySnapshot,
  openSearchSnapshot,
} from './account.js';
import { caught, clientConfig, domainGet, IAM_REGION, signedFetch, writeSnapshots } from './helpers.js';

let emulator: Emulator;

function clients(target: Emulator, maxAttempts = 1, requestTimeout?: number) {
  const config = {
    ...clientConfig(target, maxAttempts),
    ...(requestTimeout ? { requestHandler: { requestTimeout, throwOnRequestTimeout: true } } : {}),
  };
  return {
    opensearch: new OpenSearchClient(config),
    idp: new CognitoIdentityProviderClient(config),
    identity: new CognitoIdentityClient(config),
    iam: new IAMClient({ ...config, region: IAM_REGION }),
    sts: new STSClient(config),
    wafv2: new WAFV2Client(config),
  };
}

let sdk: ReturnType<typeof clients>;

async function collect<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(page);
  return all;
}

/** The log entries written while `fn` ran. */
async function logged(fn: () => Promise<unknown>) {
  const start = emulator.log.length;
  await fn().catch(() => undefined);
  return emulator.log.slice(start);
}

beforeAll(async () => {
  // Through files, as `cogdoctor emulator --snapshot` loads them: timestamps become ISO strings.
  const snapshots = await loadSnapshotsForEmulator(await writeSnapshots([openSearchSnapshot, legacySnapshot]));
  emulator = await startEmulator({ snapshots, pageSize: 1 });
  sdk = clients(emulator);
});

afterAll(() => emulator.close());

beforeEach(() => emulator.setFaults([]));

describe('opensearch', () => {
  test('every timestamp member is sent as the protocol wants it, whatever its name: AnonymousAuthDisableDate, AutomatedSnapshotPauseOptions.EndTime', async () => {
    const snapshot = JSON.parse(JSON.stringify(openSearchSnapshot)) as Snapshot;
    Object.assign(snapshot.domain.AdvancedSecurityOptions!, { AnonymousAuthEnabled: true, AnonymousAuthDisableDate: '2026-12-01T00:00:00Z' });
    Object.assign(snapshot.domain, {
      AutomatedSnapshotPauseOptions: { Enabled: true, StartTime: '2026-11-30T00:00:00Z', EndTime: '2026-12-02T00:00:00.500Z' },
    });
    const served = await startEmulator({ snapshots: [snapshot] });
    try {
      const { DomainStatus } = await clients(served).opensearch.send(new DescribeDomainCommand({ DomainName: DOMAIN }));
      expect(DomainStatus?.AdvancedSecurityOptions?.AnonymousAuthDisableDate).toEqual(new Date('2026-12-01T00:00:00Z'));
      const pause = (DomainStatus as unknown as { AutomatedSnapshotPauseOptions: { EndTime: Date } }).AutomatedSnapshotPauseOptions;
      expect(pause.EndTime).toEqual(new Date('2026-12-02T00:00:00.500Z'));
      // The raw body carries epoch seconds, the default timestamp format of restJson1.
      const raw = await (await signedFetch(served, { method: 'GET', path: `/2021-01-01/opensearch/domain/${DOMAIN}` }, { service: 'es' })).json();
      expect(raw.DomainStatus.AdvancedSecurityOptions.AnonymousAuthDisableDate).toBe(Date.parse('2026-12-01T00:00:00Z') / 1000);
    } finally {
      await served.close();
    }
  });

  test('DescribeDomain returns the snapshot domain, AccessPolicies as a string', async () => {
    const { DomainStatus } = await sdk.opensearch.send(new DescribeDomainCommand({ DomainName: DOMAIN }));
    expect(DomainStatus).toMatchObject({
      DomainName: DOMAIN,
      ARN: `arn:aws:es:eu-west-1:${ACCOUNT}:domain/${DOMAIN}`,
      Endpoint: ENDPOINT,
      EngineVersion: 'OpenSearch_2.11',
      AccessPolicies: ACCESS_POLICIES,
      CognitoOptions: { Enabled: true, UserPoolId: USER_POOL, IdentityPoolId: IDENTITY_POOL, RoleArn: SERVICE_ROLE },
      AdvancedSecurityOptions: { Enabled: true, InternalUserDatabaseEnabled: false },
      DomainEndpointOptions: { CustomEndpointEnabled: true, CustomEndpoint: CUSTOM_ENDPOINT },
      ClusterConfig: { InstanceType: 'r6g.large.search', InstanceCount: 2 },
    });
  });

  test('DescribeDomain returns a legacy Elasticsearch domain in the OpenSearch shape', async () => {
    const { DomainStatus } = await sdk.opensearch.send(new DescribeDomainCommand({ DomainName: LEGACY_DOMAIN }));
    expect(DomainStatus?.EngineVersion).toBe('Elasticsearch_7.10');
    expect(DomainStatus?.ClusterConfig).toEqual({ InstanceType: 'm5.large.search', InstanceCount: 1, DedicatedMasterEnabled: false });
  });

  // No client for the legacy `es` API is installed: read its JSON directly.
  /** A call to the legacy Elasticsearch Service API (2015-01-01), which the project has no SDK client for. */
  const legacyApi = async (method: string, path: string, body?: unknown) => {
    const response = await signedFetch(
      emulator,
      { method, path, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }) },
      { service: 'es' },
    );
    return { status: response.status, body: await response.json() };
  };

  test('DescribeElasticsearchDomain returns the legacy shape', async () => {
    const legacy = (await legacyApi('GET', `/2015-01-01/es/domain/${LEGACY_DOMAIN}`)).body;
    expect(legacy.DomainStatus).toMatchObject({
      ElasticsearchVersion: '7.10',
      ElasticsearchClusterConfig: { InstanceType: 'm5.large.elasticsearch', InstanceCount: 1 },
    });
    expect(legacy.DomainStatus.EngineVersion).toBeUndefined();
    const current = (await legacyApi('GET', `/2015-01-01/es/domain/${DOMAIN}`)).body;
    expect(current.DomainStatus).toMatchObject({
      ElasticsearchVersion: 'OpenSearch_2.11',
      ElasticsearchClusterConfig: { InstanceType: 'r6g.large.elasticsearch' },
    });
  });

  test('the legacy API serves DescribeElasticsearchDomains and ListDomainNames as reads', async () => {
    const described = await legacyApi('POST', '/2015-01-01/es/domain-info', { DomainNames: [LEGACY_DOMAIN, 'nope'] });
    expect(described.status).toBe(200);
    expect(described.body.DomainStatusList.map((d: { DomainName: string; ElasticsearchVersion: string }) => [d.DomainName, d.ElasticsearchVersion])).toEqual([
      [LEGACY_DOMAIN, '7.10'],
    ]);
    const listed = await legacyApi('GET', '/2015-01-01/domain');
    expect(listed.body.DomainNames).toEqual([
      { DomainName: DOMAIN, EngineType: 'OpenSearch' },
      { DomainName: LEGACY_DOMAIN, EngineType: 'Elasticsearch' },
    ]);
    const reads = emulator.log.slice(-2);
    expect(reads.map((e) => [e.operation, e.mutating, e.status])).toEqual([
      ['DescribeElasticsearchDomains', false, 200],
      ['ListDomainNames', false, 200],
    ]);
  });

  test('a snapshot in the legacy shape naming an OpenSearch engine is OpenSearch in the OpenSearch API (decision rule 12)', async () => {
    const legacyShaped = JSON.parse(JSON.stringify(legacySnapshot)) as Snapshot;
    legacyShaped.domain.ElasticsearchVersion = 'OpenSearch_2.11';
    const served = await startEmulator({ snapshots: [legacyShaped] });
    try {
      const { DomainStatus } = await clients(served).opensearch.send(new DescribeDomainCommand({ DomainName: LEGACY_DOMAIN }));
      expect(DomainStatus?.EngineVersion).toBe('OpenSearch_2.11');
      const { DomainNames } = await clients(served).opensearch.send(new ListDomainNamesCommand({}));
      expect(DomainNames).toEqual([{ DomainName: LEGACY_DOMAIN, EngineType: 'OpenSearch' }]);
    } finally {
      await served.close();
    }
  });

  test('ListDomainNames lists both domains and honours engineType', async () => {
    const all = await sdk.opensearch.send(new ListDomainNamesCommand({}));
    expect(all.DomainNames).toEqual([
      { DomainName: DOMAIN, EngineType: 'OpenSearch' },
      { DomainName: LEGACY_DOMAIN, EngineType: 'Elasticsearch' },
    ]);
    const legacy = await sdk.opensearch.send(new ListDomainNamesCommand({ EngineType: 'Elasticsearch' }));
    expect(legacy.DomainNames).toEqual([{ DomainName: LEGACY_DOMAIN, EngineType: 'Elasticsearch' }]);
  });

  test('DescribeDomains returns the known domains and leaves unknown names out', async () => {
    const { DomainStatusList } = await sdk.opensearch.send(new DescribeDomainsCommand({ DomainNames: [DOMAIN, 'nope', LEGACY_DOMAIN] }));
    expect(DomainStatusList?.map((d) => [d.DomainName, d.EngineVersion])).toEqual([
      [DOMAIN, 'OpenSearch_2.11'],
      [LEGACY_DOMAIN, 'Elasticsearch_7.10'],
    ]);
  });

  test('an unknown domain is a 409 ResourceNotFoundException', async () => {
    const error = await caught(() => sdk.opensearch.send(new DescribeDomainCommand({ DomainName: 'nope' })));
    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.message).toBe('Domain not found: nope');
    expect(error.$metadata.httpStatusCode).toBe(409);
  });
});

describe('cognito-idp', () => {
  test('DescribeUserPool', async () => {
    const { UserPool } = await sdk.idp.send(new DescribeUserPoolCommand({ UserPoolId: USER_POOL }));
    expect(UserPool).toMatchObject({ Id: USER_POOL, Domain: 'logs-prod-login', AdminCreateUserConfig: { AllowAdminCreateUserOnly: true } });
    expect(UserPool?.CreationDate).toEqual(new Date('2024-03-01T09:00:00Z'));
  });

  test('ListUserPoolClients follows NextToken across pages of one', async () => {
    let pages: unknown[] = [];
    const entries = await logged(async () => {
      pages = await collect(paginateListUserPoolClients({ client: sdk.idp }, { UserPoolId: USER_POOL }));
    });
    expect(pages).toHaveLength(2);
    expect(pages.flatMap((p) => (p as { UserPoolClients: unknown[] }).UserPoolClients)).toEqual([
      { ClientId: CLIENT_ID, ClientName: 'AmazonOpenSearchService-logs-prod-eu-west-1-abc123def456ghi789', UserPoolId: USER_POOL },
      { ClientId: OTHER_CLIENT_ID, ClientName: 'internal-tools', UserPoolId: USER_POOL },
    ]);
    expect(entries.map((e) => e.operation)).toEqual(['ListUserPoolClients', 'ListUserPoolClients']);
  });

  test('DescribeUserPoolClient', async () => {
    const { UserPoolClient } = await sdk.idp.send(new DescribeUserPoolClientCommand({ UserPoolId: USER_POOL, ClientId: CLIENT_ID }));
    const expected = openSearchSnapshot.userPoolClients?.[0];
    expect(UserPoolClient).toEqual(expected);
  });

  test('ListGroups follows NextToken', async () => {
    const pages = await collect(paginateListGroups({ client: sdk.idp }, { UserPoolId: USER_POOL }));
    const groups = pages.flatMap((p) => p.Groups ?? []);
    expect(pages).toHaveLength(2);
    expect(groups.map((g) => [g.GroupName, g.RoleArn, g.Precedence])).toEqual([
      ['admins', ADMIN_ROLE, 1],
      ['readers', READER_ROLE, 10],
    ]);
  });

  test('DescribeUserPoolDomain: recorded; named by a pool but not collected; unknown', async () => {
    const recorded = await sdk.idp.send(new DescribeUserPoolDomainCommand({ Domain: 'logs-prod-login' }));
    expect(recorded.DomainDescription).toMatchObject({
      Domain: 'logs-prod-login',
      Status: 'ACTIVE',
      ManagedLoginVersion: 2,
      CloudFrontDistribution: 'd111111abcdef8.cloudfront.net',
    });
    // Not invented as ACTIVE: no snapshot described it.
    const notCollected = await caught(() => sdk.idp.send(new DescribeUserPoolDomainCommand({ Domain: 'kibana-legacy-login' })));
    expect([notCollected.name, notCollected.$metadata.httpStatusCode]).toEqual(['AccessDeniedException', 403]);
    expect(notCollected.message).toContain('cognito-idp:DescribeUserPoolDomain');
    const unknown = await sdk.idp.send(new DescribeUserPoolDomainCommand({ Domain: 'nobody-login' }));
    expect(unknown.DomainDescription).toEqual({});
  });

  test('ListIdentityProviders and DescribeIdentityProvider', async () => {
    const pages = await collect(paginateListIdentityProviders({ client: sdk.idp }, { UserPoolId: USER_POOL }));
    expect(pages.flatMap((p) => p.Providers ?? [])).toEqual([{ ProviderName: 'CorpSAML', ProviderType: 'SAML' }]);
    const { IdentityProvider } = await sdk.idp.send(new DescribeIdentityProviderCommand({ UserPoolId: USER_POOL, ProviderName: 'CorpSAML' }));
    expect(IdentityProvider).toMatchObject({ ProviderType: 'SAML', ProviderDetails: { MetadataURL: 'https://idp.example.com/metadata.xml' } });
    const missing = await caught(() => sdk.idp.send(new DescribeIdentityProviderCommand({ UserPoolId: USER_POOL, ProviderName: 'Nope' })));
    expect(missing.name).toBe('ResourceNotFoundException');
  });

  test('DescribeManagedLoginBrandingByClient: found for the OpenSearch client only', async () => {
    const { ManagedLoginBranding } = await sdk.idp.send(new DescribeManagedLoginBrandingByClientCommand({ UserPoolId: USER_POOL, ClientId: CLIENT_ID }));
    expect(ManagedLoginBranding).toMatchObject({
      ManagedLoginBrandingId: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
      UserPoolId: USER_POOL,
      UseCognitoProvidedValues: true,
    });
    expect(ManagedLoginBranding?.CreationDate).toEqual(new Date('2026-01-05T10:00:00Z'));
    const none = await caught(() => sdk.idp.send(new DescribeManagedLoginBrandingByClientCommand({ UserPoolId: USER_POOL, ClientId: OTHER_CLIENT_ID })));
    expect(none.name).toBe('ResourceNotFoundException');
  });

  test('AdminGetUser and AdminListGroupsForUser', async () => {
    const alice = await sdk.idp.send(new AdminGetUserCommand({ UserPoolId: USER_POOL, Username: 'alice' }));
    expect(alice).toMatchObject({ Username: 'alice', UserStatus: 'CONFIRMED', Enabled: true });
    expect(alice.UserAttributes).toContainEqual({ Name: 'email', Value: 'alice@example.com' });
    expect(alice.UserCreateDate).toEqual(new Date('2024-03-02T10:00:00Z'));
    const bob = await sdk.idp.send(new AdminGetUserCommand({ UserPoolId: USER_POOL, Username: 'bob' }));
    expect(bob.UserStatus).toBe('FORCE_CHANGE_PASSWORD');

    const pages = await collect(paginateAdminListGroupsForUser({ client: sdk.idp }, { UserPoolId: USER_POOL, Username: 'alice' }));
    expect(pages.flatMap((p) => p.Groups ?? []).map((g) => [g.GroupName, g.RoleArn])).toEqual([
      ['admins', ADMIN_ROLE],
      ['readers', READER_ROLE],
    ]);
    const nobody = await caught(() => sdk.idp.send(new AdminGetUserCommand({ UserPoolId: USER_POOL, Username: 'carol' })));
    expect(nobody.name).toBe('UserNotFoundException');
  });

  test('an unknown pool or client is a ResourceNotFoundException', async () => {
    const pool = await caught(() => sdk.idp.send(new DescribeUserPoolCommand({ UserPoolId: 'eu-west-1_Nope' })));
    expect([pool.name, pool.$metadata.httpStatusCode]).toEqual(['ResourceNotFoundException', 404]);
    const client = await caught(() => sdk.idp.send(new DescribeUserPoolClientCommand({ UserPoolId: USER_POOL, ClientId: 'nope' })));
    expect(client.name).toBe('ResourceNotFoundException');
  });

  test('a pool lives in the Region of its id: a request signed for another Region does not find it', async () => {
    const elsewhere = new CognitoIdentityProviderClient(clientConfig(emulator, 1, 'us-east-1'));
    const error = await caught(() => elsewhere.send(new DescribeUserPoolCommand({ UserPoolId: LEGACY_USER_POOL })));
    expect(error.name).toBe('ResourceNotFoundException');
    const identityElsewhere = new CognitoIdentityClient(clientConfig(emulator, 1, 'us-east-1'));
    expect((await caught(() => identityElsewhere.send(new DescribeIdentityPoolCommand({ IdentityPoolId: IDENTITY_POOL })))).name).toBe(
      'ResourceNotFoundException',
    );
    const { UserPool } = await sdk.idp.send(new DescribeUserPoolCommand({ UserPoolId: LEGACY_USER_POOL }));
    expect(UserPool?.Name).toBe('kibana-users');
  });
});

describe('cognito-identity', () => {
  test('DescribeIdentityPool and GetIdentityPoolRoles', async () => {
    const pool = await sdk.identity.send(new DescribeIdentityPoolCommand({ IdentityPoolId: IDENTITY_POOL }));
    expect(pool).toMatchObject(openSearchSnapshot.identityPool ?? {});
    const roles = await sdk.identity.send(new GetIdentityPoolRolesCommand({ IdentityPoolId: IDENTITY_POOL }));
    expect(roles.Roles).toEqual({ authenticated: AUTH_ROLE, unauthenticated: `arn:aws:iam::${ACCOUNT}:role/Cognito_logsUnauth_Role` });
    expect(roles.RoleMappings?.[`${PROVIDER}:${CLIENT_ID}`]).toEqual({ Type: 'Token', AmbiguousRoleResolution: 'AuthenticatedRole' });
  });

  test('ListIdentityPools follows NextToken', async () => {
    const pages = await collect(paginateListIdentityPools({ client: sdk.identity }, { MaxResults: 60 }));
    expect(pages.flatMap((p) => p.IdentityPools ?? [])).toEqual([
      { IdentityPoolId: IDENTITY_POOL, IdentityPoolName: 'logs_identity_pool' },
      { IdentityPoolId: LEGACY_IDENTITY_POOL, IdentityPoolName: 'kibana_identity_pool' },
    ]);
  });

  test('GetPrincipalTagAttributeMap: recorded; collected as none (never set: not found); not collected', async () => {
    const recorded = await sdk.identity.send(new GetPrincipalTagAttributeMapCommand({ IdentityPoolId: IDENTITY_POOL, IdentityProviderName: PROVIDER }));
    expect(recorded).toMatchObject({ UseDefaults: true, PrincipalTags: { username: 'sub', client: 'aud' } });
    const provider = `cognito-idp.eu-west-1.amazonaws.com/${LEGACY_USER_POOL}`;
    const off = await caught(() =>
      sdk.identity.send(new GetPrincipalTagAttributeMapCommand({ IdentityPoolId: LEGACY_IDENTITY_POOL, IdentityProviderName: provider })),
    );
    expect(off.name).toBe('ResourceNotFoundException');
    const { principalTagAttributeMaps: _notCollected, ...snapshot } = legacySnapshot;
    const bare = await startEmulator({ snapshots: [snapshot] });
    try {
      const denied = await caught(() =>
        clients(bare).identity.send(new GetPrincipalTagAttributeMapCommand({ IdentityPoolId: LEGACY_IDENTITY_POOL, IdentityProviderName: provider })),
      );
      expect(denied.name).toBe('AccessDeniedException');
    } finally {
      await bare.close();
    }
  });

  test('an unknown identity pool is a ResourceNotFoundException', async () => {
    const error = await caught(() => sdk.identity.send(new GetIdentityPoolRolesCommand({ IdentityPoolId: 'eu-west-1:00000000-0000-0000-0000-000000000000' })));
    expect(error.name).toBe('ResourceNotFoundException');
  });
});

describe('iam', () => {
  test('GetRole returns the trust policy URL-encoded as IAM does, whatever form the snapshot holds', async () => {
    const encoded = encodeURIComponent(JSON.stringify(cognitoTrust('authenticated')));
    const document = async (name: string) => (await sdk.iam.send(new GetRoleCommand({ RoleName: name }))).Role?.AssumeRolePolicyDocument;
    expect(await document('Cognito_logsAuth_Role')).toBe(encoded); // held decoded, as an object
    expect(await document('logs-admin')).toBe(encoded); // held encoded: not encoded twice
    expect(await document('logs-reader')).toBe(encodeURIComponent(JSON.stringify(cognitoTrust('authenticated'), null, 2))); // held as JSON text
    expect(JSON.parse(decodeURIComponent((await document('CognitoAccessForAmazonOpenSearch')) ?? ''))).toEqual(SERVICE_TRUST);
  });

  test('GetRole returns the other role fields, XML-escaped and parsed back', async () => {
    const { Role } = await sdk.iam.send(new GetRoleCommand({ RoleName: 'logs-admin' }));
    expect(Role).toMatchObject({
      RoleName: 'logs-admin',
      Arn: ADMIN_ROLE,
      Path: '/',
      MaxSessionDuration: 3600,
      Tags: [{ Key: 'team', Value: 'search & <logs>' }],
    });
    expect(Role?.CreateDate).toEqual(new Date('2024-03-01T09:11:00Z'));
    const service = await sdk.iam.send(new GetRoleCommand({ RoleName: 'CognitoAccessForAmazonOpenSearch' }));
    expect(service.Role?.Arn).toBe(SERVICE_ROLE);
  });

  test('ListAttachedRolePolicies and ListRolePolicies follow Marker', async () => {
    const attached = await collect(paginateListAttachedRolePolicies({ client: sdk.iam }, { RoleName: 'CognitoAccessForAmazonOpenSearch' }));
    expect(attached).toHaveLength(2);
    expect(attached.flatMap((p) => p.AttachedPolicies ?? [])).toEqual([
      { PolicyArn: AWS_COGNITO_POLICY, PolicyName: 'AmazonOpenSearchServiceCognitoAccess' },
      { PolicyArn: CUSTOM_POLICY, PolicyName: 'logs-es-http' },
    ]);
    const inline = await collect(paginateListRolePolicies({ client: sdk.iam }, { RoleName: 'Cognito_logsAuth_Role' }));
    expect(inline.flatMap((p) => p.PolicyNames ?? [])).toEqual(['es-http-get', 'deny-delete']);
  });

  test('GetRolePolicy, GetPolicy and GetPolicyVersion return URL-encoded documents', async () => {
    const inline = await sdk.iam.send(new GetRolePolicyCommand({ RoleName: 'Cognito_logsAuth_Role', PolicyName: 'es-http-get' }));
    expect(inline.PolicyDocument).toBe(encodeURIComponent(JSON.stringify(ES_HTTP_POLICY)));
    const { Policy } = await sdk.iam.send(new GetPolicyCommand({ PolicyArn: CUSTOM_POLICY }));
    expect(Policy).toMatchObject({ PolicyName: 'logs-es-http', Arn: CUSTOM_POLICY, Path: '/', DefaultVersionId: 'v1', AttachmentCount: 2 });
    const managed = await sdk.iam.send(new GetPolicyCommand({ PolicyArn: AWS_COGNITO_POLICY }));
    expect(managed.Policy?.AttachmentCount).toBe(1);
    const { PolicyVersion } = await sdk.iam.send(new GetPolicyVersionCommand({ PolicyArn: CUSTOM_POLICY, VersionId: 'v1' }));
    expect(PolicyVersion).toMatchObject({ VersionId: 'v1', IsDefaultVersion: true });
    expect(JSON.parse(decodeURIComponent(PolicyVersion?.Document ?? ''))).toEqual(ES_HTTP_POLICY);
    const v2 = await caught(() => sdk.iam.send(new GetPolicyVersionCommand({ PolicyArn: CUSTOM_POLICY, VersionId: 'v2' })));
    expect(v2.name).toBe('NoSuchEntityException');
  });

  test('an unknown role is a 404 NoSuchEntity', async () => {
    const error = await caught(() => sdk.iam.send(new GetRoleCommand({ RoleName: 'Nope' })));
    expect([error.name, error.Code, error.$metadata.httpStatusCode]).toEqual(['NoSuchEntityException', 'NoSuchEntity', 404]);
    expect(error.message).toBe('The role with name Nope cannot be found.');
  });
});

describe('iam: the service role without recorded policies', () => {
  test("policies no snapshot collected are not invented: AccessDenied; the AWS managed Cognito policy document is AWS's own", async () => {
    const snapshot = JSON.parse(JSON.stringify(openSearchSnapshot)) as Snapshot;
    delete snapshot.rolePolicies;
    const bare = await startEmulator({ snapshots: [snapshot] });
    try {
      const iam = clients(bare).iam;
      for (const RoleName of ['CognitoAccessForAmazonOpenSearch', 'Cognito_logsAuth_Role']) {
        const denied = await caught(() => iam.send(new ListAttachedRolePoliciesCommand({ RoleName })));
        expect([denied.name, denied.$metadata.httpStatusCode]).toEqual(['AccessDenied', 403]);
        expect((await caught(() => iam.send(new ListRolePoliciesCommand({ RoleName })))).name).toBe('AccessDenied');
      }
      const { PolicyVersion } = await iam.send(new GetPolicyVersionCommand({ PolicyArn: AWS_COGNITO_POLICY, VersionId: 'v1' }));
      const document = JSON.parse(decodeURIComponent(PolicyVersion?.Document ?? ''));
      expect(document.Statement[0].Action).toContain('cognito-idp:CreateUserPoolClient');
    } finally {
      await bare.close();
    }
  });
});

describe('wafv2', () => {
  const poolArn = (id: string) => `arn:aws:cognito-idp:eu-west-1:${ACCOUNT}:userpool/${id}`;

  test("GetWebACLForResource returns the user pool's web ACL, blobs decoded by the SDK", async () => {
    const { WebACL } = await sdk.wafv2.send(new GetWebACLForResourceCommand({ ResourceArn: poolArn(USER_POOL) }));
    expect(WebACL).toMatchObject({ Name: 'cognito-login-protection', ARN: WEB_ACL_ARN, DefaultAction: { Allow: {} }, Capacity: 12 });
    const search = WebACL?.Rules?.[0]?.Statement?.ByteMatchStatement?.SearchString;
    expect(Buffer.from(search ?? new Uint8Array()).toString()).toBe('badbot');
  });

  test('a pool without a web ACL has no WebACL member; an unknown pool is WAFNonexistentItemException; one not collected is denied', async () => {
    const none = await sdk.wafv2.send(new GetWebACLForResourceCommand({ ResourceArn: poolArn(LEGACY_USER_POOL) }));
    expect(none.WebACL).toBeUndefined();
    const missing = await caught(() => sdk.wafv2.send(new GetWebACLForResourceCommand({ ResourceArn: poolArn('eu-west-1_Nope') })));
    expect([missing.name, missing.$metadata.httpStatusCode]).toEqual(['WAFNonexistentItemException', 400]);
    const { userPoolWebAcl: _notCollected, ...snapshot } = legacySnapshot;
    const bare = await startEmulator({ snapshots: [snapshot] });
    try {
      const denied = await caught(() => clients(bare).wafv2.send(new GetWebACLForResourceCommand({ ResourceArn: poolArn(LEGACY_USER_POOL) })));
      expect(denied.name).toBe('AccessDeniedException');
    } finally {
      await bare.close();
    }
  });

  test("an injected denial answers in WAF's own terms", async () => {
    emulator.setFaults([{ service: 'wafv2', operation: 'GetWebACLForResource', kind: 'deny' }]);
    const denied = await caught(() => sdk.wafv2.send(new GetWebACLForResourceCommand({ ResourceArn: poolArn(USER_POOL) })));
    expect([denied.name, denied.$metadata.httpStatusCode]).toEqual(['AccessDeniedException', 400]);
    expect(denied.message).toContain('wafv2:GetWebACLForResource');
  });

  test('associating a web ACL is refused: the emulator is read-only', async () => {
    const refused = await caught(() => sdk.wafv2.send(new AssociateWebACLCommand({ WebACLArn: WEB_ACL_ARN, ResourceArn: poolArn(USER_POOL) })));
    expect(refused.name).toBe('UnknownOperationException');
    expect(emulator.log.at(-1)).toMatchObject({ service: 'wafv2', operation: 'AssociateWebACL', mutating: true });
  });
});

describe('sts', () => {
  test('GetCallerIdentity answers as the emulator user in the snapshot account', async () => {
    const identity = await sdk.sts.send(new GetCallerIdentityCommand({}));
    expect(identity).toMatchObject({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/cogdoctor-emulator` });
  });
});

describe('security plugin REST API', () => {
  const mappings = openSearchSnapshot.securityPlugin?.rolesMapping ?? {};

  test('a SigV4-signed GET returns the role mappings of the domain named by Host', async () => {
    const entries = await logged(async () => {
      const response = await domainGet(emulator, ENDPOINT, '/_plugins/_security/api/rolesmapping');
      expect(response).toEqual({ status: 200, body: mappings });
    });
    expect(entries).toEqual([expect.objectContaining({ service: 'es-rest', operation: 'ESHttpGet', status: 200, mutating: false })]);
  });

  test('one mapping through the custom endpoint and the Open Distro path', async () => {
    const response = await domainGet(emulator, CUSTOM_ENDPOINT, '/_opendistro/_security/api/rolesmapping/all_access');
    expect(response).toEqual({ status: 200, body: { all_access: mappings['all_access'] } });
    const missing = await domainGet(emulator, ENDPOINT, '/_plugins/_security/api/rolesmapping/nope');
    expect(missing.status).toBe(404);
  });

  test('an unsigned request is denied as anonymous', async () => {
    const response = await domainGet(emulator, ENDPOINT, '/_plugins/_security/api/rolesmapping', false);
    expect(response).toEqual({ status: 403, body: { Message: 'User: anonymous is not authorized to perform: es:ESHttpGet' } });
  });

  test('a domain whose snapshot has no security plugin data answers 403 as to a caller without the permission', async () => {
    const response = await domainGet(emulator, LEGACY_ENDPOINT, '/_opendistro/_security/api/rolesmapping');
    expect(response).toMatchObject({ status: 403, body: { status: 'FORBIDDEN' } });
  });

  test("only the domain's own host name reaches it, signed for its Region", async () => {
    expect((await domainGet(emulator, 'search-other.eu-west-1.es.amazonaws.com', '/_plugins/_security/api/rolesmapping')).status).toBe(404);
    const wrongRegion = await domainGet(emulator, ENDPOINT, '/_plugins/_security/api/rolesmapping', true, 'us-east-1');
    expect(wrongRegion.status).toBe(403);
    expect(JSON.stringify(wrongRegion.body)).toContain('scoped to a valid region');
  });
});

describe('recorded errors replay', () => {
  test('a denied GetRole replays as AccessDenied with the recorded message', async () => {
    const error = await caught(() => sdk.iam.send(new GetRoleCommand({ RoleName: 'Cognito_logsUnauth_Role' })));
    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['AccessDenied', 403]);
    expect(error.message).toBe(openSearchSnapshot.errors?.[0]?.message);
  });

  test('a denied ListGroups on one pool replays, other reads of that pool still work', async () => {
    const client = await sdk.idp.send(new DescribeUserPoolClientCommand({ UserPoolId: LEGACY_USER_POOL, ClientId: LEGACY_CLIENT_ID }));
    expect(client.UserPoolClient?.ClientId).toBe(LEGACY_CLIENT_ID);
    const error = await caught(() => collect(paginateListGroups({ client: sdk.idp }, { UserPoolId: LEGACY_USER_POOL })));
    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['AccessDeniedException', 403]);
  });

  test('errors on the domain, its REST API and the network replay in each protocol', async () => {
    const snapshot: Snapshot = {
      ...openSearchSnapshot,
      errors: [
        { operation: 'es:DescribeDomain', resource: `arn:aws:es:eu-west-1:${ACCOUNT}:domain/${DOMAIN}`, code: 'AccessDeniedException', message: 'denied' },
        {
          operation: 'es:ESHttpGet',
          resource: `arn:aws:es:eu-west-1:${ACCOUNT}:domain/${DOMAIN}/_plugins/_security/api/rolesmapping`,
          code: 'Forbidden',
          message: 'no permissions for [cluster:admin/opendistro_security/rolesmapping/get]',
        },
        { operation: 'sts:GetCallerIdentity', code: 'ECONNREFUSED' },
        { operation: 'cognito-identity:GetIdentityPoolRoles', code: 'TooManyRequestsException', message: 'Rate exceeded' },
      ],
    };
    const replaying = await startEmulator({ snapshots: [snapshot] });
    try {
      const client = clients(replaying);
      const domain = await caught(() => client.opensearch.send(new DescribeDomainCommand({ DomainName: DOMAIN })));
      expect([domain.name, domain.$metadata.httpStatusCode]).toEqual(['AccessDeniedException', 403]);
      const plugin = await domainGet(replaying, ENDPOINT, '/_plugins/_security/api/rolesmapping/all_access');
      expect(plugin).toEqual({ status: 403, body: { status: 'FORBIDDEN', message: snapshot.errors?.[1]?.message } });
      const network = await caught(() => client.sts.send(new GetCallerIdentityCommand({})));
      expect(network.$metadata?.httpStatusCode).toBeUndefined();
      const throttled = await caught(() => client.identity.send(new GetIdentityPoolRolesCommand({ IdentityPoolId: IDENTITY_POOL })));
      expect(throttled.name).toBe('TooManyRequestsException');
      // Reads the snapshot did not record as failed are served as usual.
      const pool = await client.identity.send(new DescribeIdentityPoolCommand({ IdentityPoolId: IDENTITY_POOL }));
      expect(pool.IdentityPoolId).toBe(IDENTITY_POOL);
    } finally {
      await replaying.close();
    }
  });
});

describe('faults', () => {
  test('throttle twice, then the third attempt succeeds', async () => {
    emulator.setFaults([{ service: 'cognito-idp', operation: 'DescribeUserPoolClient', kind: 'throttle', times: 2 }]);
    const retrying = clients(emulator, 3);
    let attempts: number | undefined;
    const entries = await logged(async () => {
      const out = await retrying.idp.send(new DescribeUserPoolClientCommand({ UserPoolId: USER_POOL, ClientId: CLIENT_ID }));
      attempts = out.$metadata.attempts;
    });
    expect(attempts).toBe(3);
    expect(entries.map((e) => e.status)).toEqual([429, 429, 200]);
  });

  const throttles: [string, () => Promise<unknown>, string][] = [
    ['opensearch', () => sdk.opensearch.send(new DescribeDomainCommand({ DomainName: DOMAIN })), 'ThrottlingException'],
    ['cognito-idp', () => sdk.idp.send(new DescribeUserPoolCommand({ UserPoolId: USER_POOL })), 'TooManyRequestsException'],
    ['cognito-identity', () => sdk.identity.send(new DescribeIdentityPoolCommand({ IdentityPoolId: IDENTITY_POOL })), 'TooManyRequestsException'],
    ['iam', () => sdk.iam.send(new GetRoleCommand({ RoleName: 'logs-admin' })), 'Throttling'],
    ['sts', () => sdk.sts.send(new GetCallerIdentityCommand({})), 'Throttling'],
  ];
  // The statuses are the services' models': 429 where the model says so, 400 for IAM's and STS's Throttling.
  test.each(throttles)('throttle on %s is its real throttling error', async (service, call, name) => {
    emulator.setFaults([{ service, kind: 'throttle' }]);
    const error = await caught(call);
    expect(error.name).toBe(name);
    expect(error.$metadata.httpStatusCode).toBe(service === 'iam' || service === 'sts' ? 400 : 429);
  });

  test('throttle on the domain REST API is a 429', async () => {
    emulator.setFaults([{ service: 'es-rest', kind: 'throttle' }]);
    expect((await domainGet(emulator, ENDPOINT, '/_plugins/_security/api/rolesmapping')).status).toBe(429);
  });

  test('deny names the caller, the IAM action and the resource', async () => {
    emulator.setFaults([{ kind: 'deny' }]);
    const role = await caught(() => sdk.iam.send(new GetRoleCommand({ RoleName: 'logs-admin' })));
    expect([role.name, role.$metadata.httpStatusCode]).toEqual(['AccessDenied', 403]);
    expect(role.message).toBe(`User: arn:aws:iam::${ACCOUNT}:user/cogdoctor-emulator is not authorized to perform: iam:GetRole on resource: ${ADMIN_ROLE}`);
    const domain = await caught(() => sdk.opensearch.send(new DescribeDomainCommand({ DomainName: DOMAIN })));
    expect([domain.name, domain.$metadata.httpStatusCode]).toEqual(['AccessDeniedException', 403]);
    expect(domain.message).toContain(`es:DescribeDomain on resource: arn:aws:es:eu-west-1:${ACCOUNT}:domain/${DOMAIN}`);
    const pool = await caught(() => sdk.idp.send(new DescribeUserPoolCommand({ UserPoolId: USER_POOL })));
    expect(pool.name).toBe('AccessDeniedException');
    expect(pool.message).toContain(`cognito-idp:DescribeUserPool on resource: arn:aws:cognito-idp:eu-west-1:${ACCOUNT}:userpool/${USER_POOL}`);
  });

  test('not-found is each service’s own not-found error', async () => {
    emulator.setFaults([{ kind: 'not-found' }]);
    expect((await caught(() => sdk.opensearch.send(new DescribeDomainCommand({ DomainName: DOMAIN })))).name).toBe('ResourceNotFoundException');
    expect((await caught(() => sdk.idp.send(new AdminGetUserCommand({ UserPoolId: USER_POOL, Username: 'alice' })))).name).toBe('UserNotFoundException');
    expect((await caught(() => sdk.identity.send(new DescribeIdentityPoolCommand({ IdentityPoolId: IDENTITY_POOL })))).name).toBe('ResourceNotFoundException');
    expect((await caught(() => sdk.iam.send(new GetRoleCommand({ RoleName: 'logs-admin' })))).name).toBe('NoSuchEntityException');
  });

  test('server-error is a 5xx the SDK retries', async () => {
    emulator.setFaults([{ kind: 'server-error' }]);
    const retrying = clients(emulator, 3);
    const pool = await caught(() => retrying.idp.send(new DescribeUserPoolCommand({ UserPoolId: USER_POOL })));
    expect([pool.name, pool.$fault, pool.$metadata.httpStatusCode, pool.$metadata.attempts]).toEqual(['InternalErrorException', 'server', 500, 3]);
    expect((await caught(() => sdk.iam.send(new GetRoleCommand({ RoleName: 'logs-admin' })))).name).toBe('ServiceFailureException');
    expect((await caught(() => sdk.opensearch.send(new DescribeDomainCommand({ DomainName: DOMAIN })))).name).toBe('InternalException');
  });

  test('malformed is a 200 the SDK cannot parse', async () => {
    emulator.setFaults([{ kind: 'malformed' }]);
    for (const call of [
      () => sdk.iam.send(new GetRoleCommand({ RoleName: 'logs-admin' })),
      () => sdk.idp.send(new DescribeUserPoolClientCommand({ UserPoolId: USER_POOL, ClientId: CLIENT_ID })),
      () => sdk.opensearch.send(new DescribeDomainCommand({ DomainName: DOMAIN })),
    ]) {
      const error = await caught(call);
      expect(error.message).toContain('Deserialization error');
      expect(error.$metadata.httpStatusCode).toBe(200);
    }
  });

  test('hang never answers: the client times out', async () => {
    emulator.setFaults([{ service: 'iam', kind: 'hang' }]);
    const impatient = clients(emulator, 1, 200);
    const error = await caught(() => impatient.iam.send(new GetRoleCommand({ RoleName: 'logs-admin' })));
    expect(error.name).toBe('TimeoutError');
    expect(emulator.log.at(-1)).toMatchObject({ operation: 'GetRole', status: 0 });
  });

  test('latency delays, then serves: a later call to another service is answered first', async () => {
    emulator.setFaults([{ service: 'sts', kind: 'latency', ms: 1000 }]);
    const answered: string[] = [];
    const delayed = sdk.sts.send(new GetCallerIdentityCommand({})).then((identity) => {
      answered.push('sts');
      return identity;
    });
    await vi.waitFor(() => expect(emulator.log.some((e) => e.service === 'sts' && e.status === 0)).toBe(true));
    await sdk.opensearch.send(new ListDomainNamesCommand({})).then(() => answered.push('opensearch'));
    expect((await delayed).Account).toBe(ACCOUNT);
    expect(answered).toEqual(['opensearch', 'sts']);
  });

  test('rules match by service, operation and resource, in order, and `times` runs out', async () => {
    const rules: FaultRule[] = [
      { service: 'iam', operation: 'GetRole', resource: 'logs-reader', kind: 'deny', times: 1 },
      { service: 'iam', operation: 'GetRole', resource: 'logs-reader', kind: 'not-found' },
    ];
    emulator.setFaults(rules);
    const reader = () => sdk.iam.send(new GetRoleCommand({ RoleName: 'logs-reader' }));
    expect((await caught(reader)).name).toBe('AccessDenied');
    expect((await caught(reader)).name).toBe('NoSuchEntityException');
    expect((await sdk.iam.send(new GetRoleCommand({ RoleName: 'logs-admin' }))).Role?.RoleName).toBe('logs-admin');
    expect((await sdk.iam.send(new GetRolePolicyCommand({ RoleName: 'Cognito_logsAuth_Role', PolicyName: 'es-http-get' }))).PolicyName).toBe('es-http-get');
  });

  test('rateLimits answer the excess with the service’s throttling error', async () => {
    const limited = await startEmulator({ snapshots: [openSearchSnapshot], rateLimits: { iam: 2 } });
    try {
      const { iam } = clients(limited);
      const results = await Promise.allSettled([1, 2, 3, 4].map(() => iam.send(new GetRoleCommand({ RoleName: 'logs-admin' }))));
      const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(results.length - rejected.length).toBe(2);
      expect(rejected.map((r) => (r.reason as Error).name)).toEqual(['Throttling', 'Throttling']);
    } finally {
      await limited.close();
    }
  });
});

describe('never mutates', () => {
  test('write operations are refused and logged as mutating', async () => {
    const entries = await logged(async () => {
      const client = await caught(() => sdk.idp.send(new UpdateUserPoolClientCommand({ UserPoolId: USER_POOL, ClientId: CLIENT_ID, CallbackURLs: [] })));
      expect(client.name).toBe('UnknownOperationException');
      const role = await caught(() => sdk.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'logs-admin', PolicyDocument: '{}' })));
      expect(role.name).toBe('InvalidAction');
      const domain = await caught(() => sdk.opensearch.send(new UpdateDomainConfigCommand({ DomainName: DOMAIN, AccessPolicies: '{}' })));
      expect(domain.name).toBe('UnknownOperationException');
    });
    expect(entries.map((e) => [e.service, e.mutating, e.status])).toEqual([
      ['cognito-idp', true, 400],
      ['iam', true, 400],
      ['opensearch', true, 404],
    ]);
    expect(entries[0]?.operation).toBe('UpdateUserPoolClient');
  });

  test('a read the emulator does not serve is refused but not mutating', async () => {
    const entries = await logged(async () => {
      expect((await caught(() => sdk.idp.send(new ListUsersCommand({ UserPoolId: USER_POOL })))).name).toBe('UnknownOperationException');
    });
    expect(entries).toEqual([expect.objectContaining({ operation: 'ListUsers', mutating: false })]);
  });

  test('serving does not change the snapshot objects it was given', async () => {
    const before = JSON.stringify([openSearchSnapshot, legacySnapshot]);
    const inMemory = await startEmulator({ snapshots: [openSearchSnapshot, legacySnapshot] });
    try {
      const client = clients(inMemory);
      await client.iam.send(new GetRoleCommand({ RoleName: 'Cognito_logsAuth_Role' }));
      await client.idp.send(new AdminGetUserCommand({ UserPoolId: USER_POOL, Username: 'alice' }));
      await client.opensearch.send(new DescribeDomainCommand({ DomainName: LEGACY_DOMAIN }));
    } finally {
      await inMemory.close();
    }
    expect(JSON.stringify([openSearchSnapshot, legacySnapshot])).toBe(before);
  });
});
