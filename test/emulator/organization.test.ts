// An organization served by the emulator, through the real SDK clients over HTTP: ListAccounts from
// the management account, AssumeRole into member accounts (trust, ExternalId, session policy),
// answers from the account the credentials belong to and the Region the request is signed for,
// opt-in Regions that are not enabled, ListRegions, and rate limits per account and Region.
import { AccountClient, ListRegionsCommand } from '@aws-sdk/client-account';
import { DescribeUserPoolCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { ListDomainNamesCommand, OpenSearchClient } from '@aws-sdk/client-opensearch';
import { ListAccountsCommand, OrganizationsClient, paginateListAccounts } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient, type AssumeRoleCommandInput } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { startEmulator, type Emulator, type EmulatorOptions, type Organization } from '../../src/emulator/index.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { ACCOUNT, DOMAIN, openSearchSnapshot, REGION, USER_POOL } from './account.js';
import { caught, clientConfig, CREDENTIALS } from './helpers.js';

const MANAGEMENT = ACCOUNT;
const MEMBER = '210987654321';
/** A member whose role trusts another account only: it cannot be assumed from the management account. */
const LOCKED = '345678901234';
const ROLE_NAME = 'cogdoctor-read';
const EXTERNAL_ID = 'cogdoctor-sweep-7f3a';
const OTHER_REGION = 'eu-central-1';
/** An opt-in Region the member has not enabled. */
const DISABLED_REGION = 'ap-east-1';
const roleArn = (account: string, name = ROLE_NAME) => `arn:aws:iam::${account}:role/${name}`;

function trust(principal: string, externalId?: string): string {
  const statement = {
    Effect: 'Allow',
    Principal: { AWS: principal },
    Action: 'sts:AssumeRole',
    ...(externalId ? { Condition: { StringEquals: { 'sts:ExternalId': externalId } } } : {}),
  };
  return encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [statement] }));
}

/** A snapshot of `source` taken in another account and Region: every ARN, id and endpoint rewritten. */
function inAccount(source: Snapshot, account: string, region: string, domainName?: string): Snapshot {
  let text = JSON.stringify(source).replaceAll(ACCOUNT, account).replaceAll(REGION, region);
  if (domainName) text = text.replaceAll(source.domain.DomainName, domainName);
  return JSON.parse(text) as Snapshot;
}

/** The domain without the parts an account holds once (IAM, managed login branding ids): a second domain of the account. */
function withoutAccountParts(snapshot: Snapshot): Snapshot {
  const { roles: _roles, rolePolicies: _policies, iamUsers: _users, userPolicies: _userPolicies, managedLoginBranding: _branding, ...rest } = snapshot;
  return rest;
}

const memberWest = inAccount(openSearchSnapshot, MEMBER, REGION, 'member-logs');
const memberCentral = withoutAccountParts(inAccount(openSearchSnapshot, MEMBER, OTHER_REGION, 'member-metrics'));
const lockedWest = withoutAccountParts(inAccount(openSearchSnapshot, LOCKED, REGION, 'locked-logs'));

const account = (Id: string, Name: string, JoinedMethod: string) => ({
  Id,
  Arn: `arn:aws:organizations::${MANAGEMENT}:account/o-a1b2c3d4e5/${Id}`,
  Email: `${Name}@example.com`,
  Name,
  Status: 'ACTIVE',
  State: 'ACTIVE',
  JoinedMethod,
  JoinedTimestamp: '2024-01-15T10:00:00Z',
});

const ORGANIZATION = {
  schema: 'cogdoctor/organization/v1',
  managementAccountId: MANAGEMENT,
  accounts: [account(MANAGEMENT, 'management', 'CREATED'), account(MEMBER, 'search-prod', 'INVITED'), account(LOCKED, 'search-locked', 'CREATED')],
  roles: [
    {
      RoleName: ROLE_NAME,
      Path: '/',
      RoleId: 'AROAMEMBERREAD0000001',
      Arn: roleArn(MEMBER),
      AssumeRolePolicyDocument: trust(`arn:aws:iam::${MANAGEMENT}:root`, EXTERNAL_ID),
    },
    {
      RoleName: ROLE_NAME,
      Path: '/',
      RoleId: 'AROALOCKEDREAD0000001',
      Arn: roleArn(LOCKED),
      AssumeRolePolicyDocument: trust('arn:aws:iam::999999999999:root'),
    },
  ],
  regions: {
    [MANAGEMENT]: [
      { RegionName: 'eu-west-1', RegionOptStatus: 'ENABLED_BY_DEFAULT' },
      { RegionName: OTHER_REGION, RegionOptStatus: 'ENABLED_BY_DEFAULT' },
    ],
    [MEMBER]: [
      { RegionName: DISABLED_REGION, RegionOptStatus: 'DISABLED' },
      { RegionName: 'eu-south-1', RegionOptStatus: 'ENABLED' },
      { RegionName: 'eu-west-1', RegionOptStatus: 'ENABLED_BY_DEFAULT' },
      { RegionName: OTHER_REGION, RegionOptStatus: 'ENABLED_BY_DEFAULT' },
    ],
  },
} as unknown as Organization;

const SNAPSHOTS = [openSearchSnapshot, memberWest, memberCentral, lockedWest];

function serve(options: Partial<EmulatorOptions> = {}): Promise<Emulator> {
  return startEmulator({ snapshots: SNAPSHOTS, organization: ORGANIZATION, ...options });
}

async function assume(emulator: Emulator, input: Partial<AssumeRoleCommandInput> = {}, credentials: AwsCredentialIdentity = CREDENTIALS) {
  const sts = new STSClient(clientConfig(emulator, 1, 'us-east-1', credentials));
  const { Credentials } = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn(MEMBER), RoleSessionName: 'sweep', ExternalId: EXTERNAL_ID, ...input }));
  return { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken! };
}

async function domainNames(emulator: Emulator, region: string, credentials: AwsCredentialIdentity = CREDENTIALS): Promise<string[]> {
  const { DomainNames } = await new OpenSearchClient(clientConfig(emulator, 1, region, credentials)).send(new ListDomainNamesCommand({}));
  return (DomainNames ?? []).map((d) => d.DomainName!);
}

describe('an organization served by the emulator', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await serve({ pageSize: 2 });
  });
  afterAll(() => emulator.close());

  test('the management account lists the accounts, page by page', async () => {
    const client = new OrganizationsClient(clientConfig(emulator, 1, 'us-east-1'));
    const first = await client.send(new ListAccountsCommand({}));
    expect(first.Accounts).toHaveLength(2);
    expect(first.NextToken).toBeDefined();
    const all = [];
    for await (const page of paginateListAccounts({ client }, {})) all.push(...(page.Accounts ?? []));
    expect(all.map((a) => [a.Id, a.Name, a.Status])).toEqual([
      [MANAGEMENT, 'management', 'ACTIVE'],
      [MEMBER, 'search-prod', 'ACTIVE'],
      [LOCKED, 'search-locked', 'ACTIVE'],
    ]);
    expect(all[1]?.JoinedTimestamp).toEqual(new Date('2024-01-15T10:00:00Z'));
  });

  test('a session of a member role sees that account only, in the Region it signs for', async () => {
    const member = await assume(emulator);
    expect(member.accessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(await domainNames(emulator, REGION, member)).toEqual(['member-logs']);
    expect(await domainNames(emulator, OTHER_REGION, member)).toEqual(['member-metrics']);
    expect(await domainNames(emulator, REGION)).toEqual([DOMAIN]);
    expect(await domainNames(emulator, OTHER_REGION)).toEqual([]);
    const identity = await new STSClient(clientConfig(emulator, 1, 'us-east-1', member)).send(new GetCallerIdentityCommand({}));
    expect(identity).toMatchObject({
      Account: MEMBER,
      Arn: `arn:aws:sts::${MEMBER}:assumed-role/${ROLE_NAME}/sweep`,
      UserId: 'AROAMEMBERREAD0000001:sweep',
    });
    const log = emulator.log.filter((e) => e.operation === 'ListDomainNames');
    expect(log.slice(-4).map((e) => [e.accountId, e.region])).toEqual([
      [MEMBER, REGION],
      [MEMBER, OTHER_REGION],
      [MANAGEMENT, REGION],
      [MANAGEMENT, OTHER_REGION],
    ]);
  });

  test('AssumeRole answers the credentials, the assumed role user and the packed policy size in the SDK shape', async () => {
    const sts = new STSClient(clientConfig(emulator, 1, 'us-east-1'));
    const answer = await sts.send(
      new AssumeRoleCommand({
        RoleArn: roleArn(MEMBER),
        RoleSessionName: 'shape',
        ExternalId: EXTERNAL_ID,
        DurationSeconds: 900,
        Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'es:List*', Resource: '*' }] }),
      }),
    );
    expect(answer.AssumedRoleUser).toEqual({ AssumedRoleId: 'AROAMEMBERREAD0000001:shape', Arn: `arn:aws:sts::${MEMBER}:assumed-role/${ROLE_NAME}/shape` });
    expect(answer.Credentials?.Expiration).toBeInstanceOf(Date);
    const lifetime = answer.Credentials!.Expiration!.getTime() - Date.now();
    expect(lifetime).toBeGreaterThan(850_000);
    expect(lifetime).toBeLessThanOrEqual(900_000);
    expect(answer.PackedPolicySize).toBeGreaterThan(0);
  });

  test('a role whose trust does not allow the caller, and a role that does not exist, are AccessDenied as AWS words it', async () => {
    for (const arn of [roleArn(LOCKED), roleArn(MEMBER, 'no-such-role')]) {
      const error = await caught(() => assume(emulator, { RoleArn: arn, ExternalId: undefined }));
      expect(error.name).toBe('AccessDenied');
      expect(error.$metadata.httpStatusCode).toBe(403);
      expect(error.message).toBe(`User: arn:aws:iam::${MANAGEMENT}:user/cogdoctor-emulator is not authorized to perform: sts:AssumeRole on resource: ${arn}`);
    }
  });

  test('a wrong or missing ExternalId is denied when the trust requires one', async () => {
    for (const ExternalId of ['not-the-one', undefined]) {
      const error = await caught(() => assume(emulator, { ExternalId }));
      expect(error.name).toBe('AccessDenied');
      expect(error.message).toContain(`sts:AssumeRole on resource: ${roleArn(MEMBER)}`);
    }
  });

  test('the session policy restricts every later call of the session', async () => {
    const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['es:Describe*', 'es:List*'], Resource: '*' }] };
    const member = await assume(emulator, { Policy: JSON.stringify(policy), RoleSessionName: 'read-only' });
    expect(await domainNames(emulator, REGION, member)).toEqual(['member-logs']);
    // The member's pool in eu-west-1 keeps the id of the one it was rewritten from; its ARN names the member.
    const memberPool = USER_POOL;
    const cognito = new CognitoIdentityProviderClient(clientConfig(emulator, 1, REGION, member));
    const error = await caught(() => cognito.send(new DescribeUserPoolCommand({ UserPoolId: memberPool })));
    expect(error.name).toBe('AccessDeniedException');
    expect(error.message).toBe(
      `User: arn:aws:sts::${MEMBER}:assumed-role/${ROLE_NAME}/read-only is not authorized to perform: cognito-idp:DescribeUserPool on resource: ` +
        `arn:aws:cognito-idp:${REGION}:${MEMBER}:userpool/${memberPool} because no session policy allows the cognito-idp:DescribeUserPool action`,
    );
    // Without a session policy the same call is answered.
    const unrestricted = await assume(emulator);
    const pool = await new CognitoIdentityProviderClient(clientConfig(emulator, 1, REGION, unrestricted)).send(
      new DescribeUserPoolCommand({ UserPoolId: memberPool }),
    );
    expect(pool.UserPool?.Arn).toBe(`arn:aws:cognito-idp:${REGION}:${MEMBER}:userpool/${memberPool}`);
  });

  test("a role's inline policies, when the file gives them, restrict its sessions as AWS does; a session policy restricts them further", async () => {
    const name = 'cogdoctor-limited';
    const inline = (Action: string[], Effect = 'Allow') =>
      encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect, Action, Resource: '*' }] }));
    const limited = {
      ...ORGANIZATION,
      roles: [
        ...(ORGANIZATION.roles ?? []),
        {
          RoleName: name,
          Path: '/',
          Arn: roleArn(MEMBER, name),
          AssumeRolePolicyDocument: trust(`arn:aws:iam::${MANAGEMENT}:root`),
          RolePolicyList: [
            { PolicyName: 'read', PolicyDocument: inline(['es:List*', 'es:Describe*', 'cognito-idp:Describe*']) },
            { PolicyName: 'no-pool-reads', PolicyDocument: inline(['cognito-idp:DescribeUserPool'], 'Deny') },
          ],
        },
      ],
    } as Organization;
    const own = await startEmulator({ snapshots: SNAPSHOTS, organization: limited });
    try {
      const session = await assume(own, { RoleArn: roleArn(MEMBER, name), ExternalId: undefined, RoleSessionName: 'limited' });
      expect(await domainNames(own, REGION, session)).toEqual(['member-logs']);
      const cognito = new CognitoIdentityProviderClient(clientConfig(own, 1, REGION, session));
      const denied = await caught(() => cognito.send(new DescribeUserPoolCommand({ UserPoolId: USER_POOL })));
      expect(denied.name).toBe('AccessDeniedException');
      expect(denied.message).toBe(
        `User: arn:aws:sts::${MEMBER}:assumed-role/${name}/limited is not authorized to perform: cognito-idp:DescribeUserPool on resource: ` +
          `arn:aws:cognito-idp:${REGION}:${MEMBER}:userpool/${USER_POOL} with an explicit deny in an identity-based policy`,
      );
      const unlisted = await caught(() =>
        new STSClient(clientConfig(own, 1, REGION, session)).send(new AssumeRoleCommand({ RoleArn: roleArn(MEMBER), RoleSessionName: 'chain' })),
      );
      expect(unlisted.message).toContain('because no identity-based policy allows the sts:AssumeRole action');
      // The role allows es:List*; a session policy that allows only es:Describe* takes it away.
      const narrowed = await assume(own, {
        RoleArn: roleArn(MEMBER, name),
        ExternalId: undefined,
        RoleSessionName: 'narrowed',
        Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'es:Describe*', Resource: '*' }] }),
      });
      expect((await caught(() => domainNames(own, REGION, narrowed))).message).toContain('because no session policy allows the es:ListDomainNames action');
      // The role of a file without RolePolicyList keeps its unknown permissions unenforced.
      expect(await domainNames(own, REGION, await assume(own))).toEqual(['member-logs']);
    } finally {
      await own.close();
    }
  });

  test('an organization file that gives a role managed policies, or an inline policy that does not parse, is refused', async () => {
    const withRole = (extra: Record<string, unknown>) =>
      ({ ...ORGANIZATION, roles: [{ ...(ORGANIZATION.roles ?? [])[0], ...extra }] }) as unknown as Organization;
    await expect(
      startEmulator({ snapshots: SNAPSHOTS, organization: withRole({ AttachedManagedPolicies: [{ PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }] }) }),
    ).rejects.toThrow(`role ${roleArn(MEMBER)}: AttachedManagedPolicies is not served: give the permissions as inline policies (RolePolicyList)`);
    await expect(
      startEmulator({ snapshots: SNAPSHOTS, organization: withRole({ RolePolicyList: [{ PolicyName: 'broken', PolicyDocument: '{"Statement": [' }] }) }),
    ).rejects.toThrow(new RegExp(`^role ${roleArn(MEMBER)}: inline policy broken: `));
  });

  test('a session expires at its Expiration: its keys are then refused, as AWS refuses them, until the role is assumed again', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const sts = new STSClient(clientConfig(emulator, 1, 'us-east-1'));
      const { Credentials } = await sts.send(
        new AssumeRoleCommand({ RoleArn: roleArn(MEMBER), RoleSessionName: 'short', ExternalId: EXTERNAL_ID, DurationSeconds: 900 }),
      );
      const session = { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken! };
      expect(Credentials!.Expiration!.getTime() - Date.now()).toBeLessThanOrEqual(900_000);
      vi.setSystemTime(Credentials!.Expiration!.getTime() - 1000);
      expect(await domainNames(emulator, REGION, session)).toEqual(['member-logs']);
      vi.setSystemTime(Credentials!.Expiration!.getTime());
      const json = await caught(() =>
        new CognitoIdentityProviderClient(clientConfig(emulator, 1, REGION, session)).send(new DescribeUserPoolCommand({ UserPoolId: USER_POOL })),
      );
      expect([json.name, json.$metadata.httpStatusCode, json.message]).toEqual([
        'ExpiredTokenException',
        400,
        'The security token included in the request is expired',
      ]);
      const query = await caught(() => new STSClient(clientConfig(emulator, 1, REGION, session)).send(new GetCallerIdentityCommand({})));
      expect([query.name, query.$metadata.httpStatusCode]).toEqual(['ExpiredToken', 403]);
      const rest = await caught(() => domainNames(emulator, REGION, session));
      expect([rest.name, rest.$metadata.httpStatusCode]).toEqual(['ExpiredTokenException', 403]);
      expect(await domainNames(emulator, REGION, await assume(emulator))).toEqual(['member-logs']);
    } finally {
      vi.useRealTimers();
    }
  });

  test('DurationSeconds below 900 is refused as AWS validates it', async () => {
    const error = await caught(() => assume(emulator, { DurationSeconds: 60 }));
    expect(error.name).toBe('ValidationError');
    expect(error.message).toBe(
      "1 validation error detected: Value '60' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
    );
  });

  test('a malformed session policy is MalformedPolicyDocument', async () => {
    const error = await caught(() => assume(emulator, { Policy: '{"Statement": [' }));
    expect(error.name).toBe('MalformedPolicyDocumentException');
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  test('an opt-in Region the account has not enabled refuses its credentials', async () => {
    const member = await assume(emulator);
    const opensearch = await caught(() => domainNames(emulator, DISABLED_REGION, member));
    expect(opensearch.name).toBe('UnrecognizedClientException');
    expect(opensearch.message).toBe('The security token included in the request is invalid.');
    const sts = await caught(() => new STSClient(clientConfig(emulator, 1, DISABLED_REGION, member)).send(new GetCallerIdentityCommand({})));
    expect(sts.name).toBe('InvalidClientTokenId');
    expect(sts.$metadata.httpStatusCode).toBe(403);
    // The management account lists no such Region as disabled: it is answered there.
    expect(await domainNames(emulator, DISABLED_REGION)).toEqual([]);
  });

  test('temporary credentials the emulator never issued, or a wrong session token, are refused', async () => {
    const member = await assume(emulator);
    for (const credentials of [
      { accessKeyId: 'ASIAUNKNOWNKEY000000', secretAccessKey: 'x', sessionToken: 'y' },
      { ...member, sessionToken: 'not-the-token' },
    ]) {
      const error = await caught(() => new STSClient(clientConfig(emulator, 1, 'us-east-1', credentials)).send(new GetCallerIdentityCommand({})));
      expect(error.name).toBe('InvalidClientTokenId');
      expect(error.message).toBe('The security token included in the request is invalid.');
    }
  });

  test('only the management account lists the accounts', async () => {
    const member = await assume(emulator);
    const error = await caught(() => new OrganizationsClient(clientConfig(emulator, 1, 'us-east-1', member)).send(new ListAccountsCommand({})));
    expect(error.name).toBe('AccessDeniedException');
    expect(error.$metadata.httpStatusCode).toBe(403);
  });

  test('ListRegions answers the caller account, or a member named by the management account, filtered by status', async () => {
    const member = await assume(emulator);
    const own = new AccountClient(clientConfig(emulator, 1, 'us-east-1', member));
    const enabled = await own.send(new ListRegionsCommand({ RegionOptStatusContains: ['ENABLED', 'ENABLED_BY_DEFAULT'], MaxResults: 50 }));
    // The emulator's page size is 2: the SDK's paginator is not needed to see the token.
    expect(enabled.Regions).toEqual([
      { RegionName: 'eu-south-1', RegionOptStatus: 'ENABLED' },
      { RegionName: 'eu-west-1', RegionOptStatus: 'ENABLED_BY_DEFAULT' },
    ]);
    const rest = await own.send(new ListRegionsCommand({ RegionOptStatusContains: ['ENABLED', 'ENABLED_BY_DEFAULT'], NextToken: enabled.NextToken }));
    expect(rest).toMatchObject({ Regions: [{ RegionName: OTHER_REGION, RegionOptStatus: 'ENABLED_BY_DEFAULT' }] });
    expect(rest.NextToken).toBeUndefined();

    const management = new AccountClient(clientConfig(emulator, 1, 'us-east-1'));
    const disabled = await management.send(new ListRegionsCommand({ AccountId: MEMBER, RegionOptStatusContains: ['DISABLED'] }));
    expect(disabled.Regions).toEqual([{ RegionName: DISABLED_REGION, RegionOptStatus: 'DISABLED' }]);
    // An account the organization file gives no Regions for is not invented.
    const unknown = await caught(() => management.send(new ListRegionsCommand({ AccountId: LOCKED })));
    expect(unknown.name).toBe('AccessDeniedException');
    const own_ = await caught(() => management.send(new ListRegionsCommand({ AccountId: MANAGEMENT })));
    expect(own_.name).toBe('ValidationException');
  });
});

test("access denials name the session's assumed-role ARN", async () => {
  const emulator = await serve({ faults: [{ service: 'opensearch', operation: 'ListDomainNames', kind: 'deny' }] });
  try {
    const member = await assume(emulator);
    const denied = await caught(() => domainNames(emulator, REGION, member));
    expect(denied.name).toBe('AccessDeniedException');
    expect(denied.message).toBe(`User: arn:aws:sts::${MEMBER}:assumed-role/${ROLE_NAME}/sweep is not authorized to perform: es:ListDomainNames on resource: *`);
  } finally {
    await emulator.close();
  }
});

test('rate limits count per account and Region', async () => {
  const emulator = await serve({ rateLimits: { opensearch: 1 } });
  try {
    const member = await assume(emulator);
    expect(await domainNames(emulator, REGION)).toEqual([DOMAIN]);
    const throttled = await caught(() => domainNames(emulator, REGION));
    expect(throttled.name).toBe('ThrottlingException');
    // Another account in the same Region, and the same account in another Region, have their own quota.
    expect(await domainNames(emulator, REGION, member)).toEqual(['member-logs']);
    expect(await domainNames(emulator, OTHER_REGION)).toEqual([]);
  } finally {
    await emulator.close();
  }
});

test('without an organization: ListAccounts is AWSOrganizationsNotInUseException, no role can be assumed, ListRegions is not invented', async () => {
  const emulator = await startEmulator({ snapshots: [openSearchSnapshot] });
  try {
    const organizations = await caught(() => new OrganizationsClient(clientConfig(emulator, 1, 'us-east-1')).send(new ListAccountsCommand({})));
    expect(organizations.name).toBe('AWSOrganizationsNotInUseException');
    const assumed = await caught(() => assume(emulator));
    expect(assumed.name).toBe('AccessDenied');
    const regions = await caught(() => new AccountClient(clientConfig(emulator, 1, 'us-east-1')).send(new ListRegionsCommand({})));
    expect(regions.name).toBe('AccessDeniedException');
    // The one account's caller, as before organizations existed.
    const identity = await new STSClient(clientConfig(emulator, 1, REGION)).send(new GetCallerIdentityCommand({}));
    expect(identity).toEqual(expect.objectContaining({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/cogdoctor-emulator` }));
    expect(emulator.log.every((entry) => entry.accountId === ACCOUNT)).toBe(true);
  } finally {
    await emulator.close();
  }
});

test('snapshots of several accounts without an organization are refused in one line', async () => {
  await expect(startEmulator({ snapshots: [openSearchSnapshot, memberWest] })).rejects.toThrow(
    `the snapshots belong to 2 accounts (${ACCOUNT}, ${MEMBER}): serve several accounts with an organization file (--organization)`,
  );
  await expect(serve({ snapshots: [openSearchSnapshot, inAccount(openSearchSnapshot, '999999999999', REGION, 'stray')] })).rejects.toThrow(
    'the snapshot of stray is of account 999999999999, which the organization does not list',
  );
});
