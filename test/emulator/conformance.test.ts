// Every operation the emulator serves, on every fixture, answered in exactly the shape AWS's own
// models give it: each raw body is validated strictly against the schemas compiled into the AWS SDK v3
// clients (unknown members, types, enums, timestamp format, required members), and every error
// against the service's modeled errors (body shape, code, HTTP status).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadOrganization, startEmulator, type Emulator } from '../../src/emulator/index.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { parseSnapshot } from '../../src/snapshot/read.js';
import { FIXTURES, isSnapshotFile, ROOT } from '../helpers.js';
import { legacySnapshot, openSearchSnapshot } from './account.js';
import { signedFetch } from './helpers.js';
import { loadClient, modeledErrors, outputOf, parseXml, validateJson, validateXml, type ClientModel } from './schema-validator.js';

type Service = 'opensearch' | 'cognito-idp' | 'cognito-identity' | 'iam' | 'sts' | 'wafv2' | 'organizations' | 'account';

const PACKAGES: Record<Service, string> = {
  opensearch: '@aws-sdk/client-opensearch',
  'cognito-idp': '@aws-sdk/client-cognito-identity-provider',
  'cognito-identity': '@aws-sdk/client-cognito-identity',
  iam: '@aws-sdk/client-iam',
  sts: '@aws-sdk/client-sts',
  wafv2: '@aws-sdk/client-wafv2',
  organizations: '@aws-sdk/client-organizations',
  account: '@aws-sdk/client-account',
};

const TARGETS: Partial<Record<Service, string>> = {
  'cognito-idp': 'AWSCognitoIdentityProviderService',
  'cognito-identity': 'AWSCognitoIdentityService',
  wafv2: 'AWSWAF_20190729',
  organizations: 'AWSOrganizationsV20161128',
};

const QUERY_VERSIONS: Partial<Record<Service, string>> = { iam: '2010-05-08', sts: '2011-06-15' };

/**
 * Errors every AWS API may answer without modeling them (the "Common Errors" of the API references),
 * in each protocol's spelling, with the statuses they come with.
 */
const COMMON_ERRORS: Record<string, number[]> = {
  AccessDenied: [403],
  AccessDeniedException: [400, 403],
  IncompleteSignature: [400, 403],
  InternalFailure: [500],
  InvalidAction: [400],
  InvalidClientTokenId: [403],
  InvalidSignatureException: [400, 403],
  MissingAuthenticationToken: [403],
  MissingAuthenticationTokenException: [400, 403],
  SignatureDoesNotMatch: [403],
  SerializationException: [400],
  Throttling: [400],
  ThrottlingException: [400],
  UnknownOperationException: [400, 404],
  UnrecognizedClientException: [400, 403],
  ValidationError: [400],
  ValidationException: [400],
};

interface Call {
  service: Service;
  operation: string;
  params: Record<string, unknown>;
  region: string;
  /** Signed with these instead of the emulator tests' long-term keys (a session AssumeRole issued). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
}

function regionOfId(id: string): string {
  return id.split(/[_:]/)[0] ?? '';
}

/** The calls that read everything a snapshot holds, and the ids it names without holding. */
function callsFor(s: Snapshot): Call[] {
  const region = s.region;
  const calls: Call[] = [];
  const add = (service: Service, operation: string, params: Record<string, unknown>, inRegion = region) =>
    calls.push({ service, operation, params, region: inRegion });
  const domain = s.domain.DomainName;
  add('opensearch', 'DescribeDomain', { DomainName: domain });
  add('opensearch', 'DescribeDomains', { DomainNames: [domain] });
  add('opensearch', 'ListDomainNames', {});
  add('opensearch', 'DescribeDomain', { DomainName: 'no-such-domain' });
  add('sts', 'GetCallerIdentity', {});
  const pool = s.domain.CognitoOptions?.UserPoolId ?? s.userPool?.Id;
  if (pool) {
    const r = regionOfId(pool);
    add('cognito-idp', 'DescribeUserPool', { UserPoolId: pool }, r);
    add('cognito-idp', 'ListUserPoolClients', { UserPoolId: pool, MaxResults: 60 }, r);
    add('cognito-idp', 'ListGroups', { UserPoolId: pool, Limit: 60 }, r);
    add('cognito-idp', 'ListIdentityProviders', { UserPoolId: pool, MaxResults: 60 }, r);
    for (const client of s.userPoolClients ?? []) {
      add('cognito-idp', 'DescribeUserPoolClient', { UserPoolId: pool, ClientId: client.ClientId }, r);
      add('cognito-idp', 'DescribeManagedLoginBrandingByClient', { UserPoolId: pool, ClientId: client.ClientId }, r);
    }
    for (const provider of s.identityProviders ?? [])
      add('cognito-idp', 'DescribeIdentityProvider', { UserPoolId: pool, ProviderName: provider.ProviderName }, r);
    for (const name of [s.userPool?.CustomDomain, s.userPool?.Domain, 'no-such-domain-prefix'])
      if (name) add('cognito-idp', 'DescribeUserPoolDomain', { Domain: name }, r);
    for (const user of (s['users'] as Array<{ Username: string }> | undefined) ?? []) {
      add('cognito-idp', 'AdminGetUser', { UserPoolId: pool, Username: user.Username }, r);
      add('cognito-idp', 'AdminListGroupsForUser', { UserPoolId: pool, Username: user.Username, Limit: 60 }, r);
    }
    const account = s.accountId ?? s.domain.ARN?.split(':')[4];
    add('wafv2', 'GetWebACLForResource', { ResourceArn: `arn:aws:cognito-idp:${r}:${account}:userpool/${pool}` }, r);
  }
  const identityPool = s.domain.CognitoOptions?.IdentityPoolId ?? s.identityPool?.IdentityPoolId;
  if (identityPool) {
    const r = regionOfId(identityPool);
    add('cognito-identity', 'DescribeIdentityPool', { IdentityPoolId: identityPool }, r);
    add('cognito-identity', 'GetIdentityPoolRoles', { IdentityPoolId: identityPool }, r);
    add('cognito-identity', 'ListIdentityPools', { MaxResults: 60 }, r);
    if (pool)
      add(
        'cognito-identity',
        'GetPrincipalTagAttributeMap',
        { IdentityPoolId: identityPool, IdentityProviderName: `cognito-idp.${regionOfId(pool)}.amazonaws.com/${pool}` },
        r,
      );
  }
  const roleNames = new Set<string>();
  const nameOf = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);
  for (const arn of [
    s.domain.CognitoOptions?.RoleArn,
    ...Object.values(s.identityPoolRoles?.Roles ?? {}),
    ...(s.userPoolGroups ?? []).map((g) => g.RoleArn),
    ...Object.keys(s.rolePolicies ?? {}),
    ...(s.roles ?? []).map((r) => r.Arn),
  ]) {
    if (arn) roleNames.add(nameOf(arn));
  }
  const iam = (operation: string, params: Record<string, unknown>) => add('iam', operation, params, 'us-east-1');
  for (const RoleName of roleNames) {
    iam('GetRole', { RoleName });
    iam('ListAttachedRolePolicies', { RoleName });
    iam('ListRolePolicies', { RoleName });
  }
  for (const [arn, policies] of Object.entries({ ...s.rolePolicies, ...s.userPolicies })) {
    const name = nameOf(arn);
    const user = arn.includes(':user/');
    for (const inline of policies.inline ?? [])
      iam(user ? 'GetUserPolicy' : 'GetRolePolicy', { [user ? 'UserName' : 'RoleName']: name, PolicyName: inline.PolicyName });
    for (const attached of [...(policies.attached ?? []), ...(policies.boundary ? [policies.boundary] : [])]) {
      iam('GetPolicy', { PolicyArn: attached.PolicyArn });
      iam('GetPolicyVersion', { PolicyArn: attached.PolicyArn, VersionId: 'v1' });
    }
  }
  for (const user of s.iamUsers ?? []) {
    const UserName = user.UserName;
    for (const operation of ['GetUser', 'ListAttachedUserPolicies', 'ListUserPolicies', 'ListGroupsForUser']) iam(operation, { UserName });
    for (const group of s.userPolicies?.[user.Arn ?? '']?.groups ?? []) {
      iam('ListAttachedGroupPolicies', { GroupName: group.GroupName });
      iam('ListGroupPolicies', { GroupName: group.GroupName });
      for (const inline of group.inline ?? []) iam('GetGroupPolicy', { GroupName: group.GroupName, PolicyName: inline.PolicyName });
    }
  }
  return calls;
}

const SIGNING: Record<Service, string> = {
  opensearch: 'es',
  'cognito-idp': 'cognito-idp',
  'cognito-identity': 'cognito-identity',
  iam: 'iam',
  sts: 'sts',
  wafv2: 'wafv2',
  organizations: 'organizations',
  account: 'account',
};

async function send(emulator: Emulator, call: Call): Promise<{ status: number; headers: Headers; body: string }> {
  const signing = { service: SIGNING[call.service], region: call.region, ...(call.credentials ? { credentials: call.credentials } : {}) };
  let response: Response;
  const target = TARGETS[call.service];
  const version = QUERY_VERSIONS[call.service];
  if (target) {
    response = await signedFetch(
      emulator,
      { headers: { 'x-amz-target': `${target}.${call.operation}`, 'content-type': 'application/x-amz-json-1.1' }, body: JSON.stringify(call.params) },
      signing,
    );
  } else if (version) {
    const form = new URLSearchParams({ Action: call.operation, Version: version, ...(call.params as Record<string, string>) });
    response = await signedFetch(emulator, { headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body: form.toString() }, signing);
  } else if (call.service === 'account') {
    response = await signedFetch(
      emulator,
      { path: '/listRegions', headers: { 'content-type': 'application/json' }, body: JSON.stringify(call.params) },
      signing,
    );
  } else if (call.operation === 'DescribeDomain') {
    response = await signedFetch(
      emulator,
      { method: 'GET', path: `/2021-01-01/opensearch/domain/${encodeURIComponent(String(call.params['DomainName']))}` },
      signing,
    );
  } else if (call.operation === 'DescribeDomains') {
    response = await signedFetch(
      emulator,
      { path: '/2021-01-01/opensearch/domain-info', headers: { 'content-type': 'application/json' }, body: JSON.stringify(call.params) },
      signing,
    );
  } else {
    response = await signedFetch(emulator, { method: 'GET', path: '/2021-01-01/domain' }, signing);
  }
  return { status: response.status, headers: response.headers, body: await response.text() };
}

/** What is wrong with one raw answer, judged by the service's models. */
function problemsOf(call: Call, model: ClientModel, answer: { status: number; headers: Headers; body: string }): string[] {
  const problems: string[] = [];
  const query = QUERY_VERSIONS[call.service] !== undefined;
  if (answer.status === 200) {
    if (query) {
      const root = parseXml(answer.body);
      if (root.name !== `${call.operation}Response`) problems.push(`root <${root.name}>, expected <${call.operation}Response>`);
      const result = root.children.find((c) => c.name === `${call.operation}Result`);
      const unexpected = root.children.filter((c) => c.name !== `${call.operation}Result` && c.name !== 'ResponseMetadata');
      if (unexpected.length > 0) problems.push(`unexpected elements ${unexpected.map((c) => c.name).join(', ')}`);
      if (result) validateXml(result, outputOf(model, call.operation), model, call.operation, problems);
    } else {
      validateJson(JSON.parse(answer.body), outputOf(model, call.operation), model, call.operation, problems);
    }
    return problems;
  }
  const errors = modeledErrors(model);
  let code: string;
  if (query) {
    const root = parseXml(answer.body);
    const error = root.children.find((c) => c.name === 'Error');
    if (root.name !== 'ErrorResponse' || !error) return [`error body is not <ErrorResponse><Error>: ${answer.body}`];
    const fields = error.children.map((c) => c.name);
    if (fields.some((f) => !['Type', 'Code', 'Message'].includes(f))) problems.push(`unexpected error fields ${fields.join(', ')}`);
    const type = error.children.find((c) => c.name === 'Type')?.text;
    if (type !== (answer.status >= 500 ? 'Receiver' : 'Sender')) problems.push(`error Type ${type} for status ${answer.status}`);
    code = error.children.find((c) => c.name === 'Code')?.text ?? '';
    const modeled = [...errors.values()].find((t) => Array.isArray(t['awsQueryError']) && t['awsQueryError'][0] === code);
    if (modeled) {
      if ((modeled['awsQueryError'] as [string, number])[1] !== answer.status)
        problems.push(`${code} answered with ${answer.status}, modeled ${(modeled['awsQueryError'] as [string, number])[1]}`);
      return problems;
    }
  } else {
    const body = JSON.parse(answer.body) as Record<string, unknown>;
    const allowed = call.service === 'opensearch' ? ['message', 'Message'] : ['__type', 'message', 'Message'];
    for (const key of Object.keys(body)) if (!allowed.includes(key)) problems.push(`error body member ${key}`);
    code =
      call.service === 'opensearch' || call.service === 'account'
        ? (answer.headers.get('x-amzn-errortype') ?? '').split(':')[0]!
        : String(body['__type'] ?? '')
            .split('#')
            .pop()!;
    const modeled = errors.get(code);
    if (modeled) {
      const status = typeof modeled['httpError'] === 'number' ? modeled['httpError'] : modeled['error'] === 'server' ? 500 : 400;
      if (status !== answer.status) problems.push(`${code} answered with ${answer.status}, modeled ${status}`);
      return problems;
    }
  }
  const common = COMMON_ERRORS[code];
  if (!common) problems.push(`error code ${JSON.stringify(code)} is neither modeled by ${PACKAGES[call.service]} nor a common AWS error`);
  else if (!common.includes(answer.status)) problems.push(`common error ${code} answered with ${answer.status}`);
  return problems;
}

/** The fixtures, and the emulator tests' own account (it has a user with inline policies of its own). */
function snapshotFixtures(): Array<[string, Snapshot]> {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : isSnapshotFile(e.name) ? [join(dir, e.name)] : []));
  const dirs = [FIXTURES, join(ROOT, 'test', 'fixtures', 'access'), join(ROOT, 'test', 'fixtures', 'trace')];
  const files = dirs
    .flatMap(walk)
    .sort()
    .map((file): [string, Snapshot] => [relative(ROOT, file), parseSnapshot(readFileSync(file, 'utf8'))]);
  return [...files, ['test/emulator/account.ts: openSearchSnapshot', openSearchSnapshot], ['test/emulator/account.ts: legacySnapshot', legacySnapshot]];
}

const models = new Map<Service, ClientModel>();

beforeAll(async () => {
  for (const [service, pkg] of Object.entries(PACKAGES) as Array<[Service, string]>) models.set(service, await loadClient(pkg));
});

describe('every answer of the emulator conforms to the AWS SDK v3 models', () => {
  const served = new Set<string>();
  afterAll(() => {
    // Each operation the emulator serves through an AWS API was exercised on some fixture.
    expect([...served].sort()).toEqual(
      expect.arrayContaining([
        'opensearch DescribeDomain',
        'opensearch DescribeDomains',
        'opensearch ListDomainNames',
        'cognito-idp DescribeUserPool',
        'cognito-idp ListUserPoolClients',
        'cognito-idp DescribeUserPoolClient',
        'cognito-idp ListGroups',
        'cognito-idp DescribeUserPoolDomain',
        'cognito-idp ListIdentityProviders',
        'cognito-idp DescribeIdentityProvider',
        'cognito-idp DescribeManagedLoginBrandingByClient',
        'cognito-idp AdminGetUser',
        'cognito-idp AdminListGroupsForUser',
        'cognito-identity DescribeIdentityPool',
        'cognito-identity GetIdentityPoolRoles',
        'cognito-identity ListIdentityPools',
        'cognito-identity GetPrincipalTagAttributeMap',
        'iam GetRole',
        'iam ListAttachedRolePolicies',
        'iam ListRolePolicies',
        'iam GetRolePolicy',
        'iam GetPolicy',
        'iam GetPolicyVersion',
        'iam GetUser',
        'iam ListAttachedUserPolicies',
        'iam ListUserPolicies',
        'iam GetUserPolicy',
        'iam ListGroupsForUser',
        'iam ListAttachedGroupPolicies',
        'iam ListGroupPolicies',
        'iam GetGroupPolicy',
        'sts GetCallerIdentity',
        'wafv2 GetWebACLForResource',
      ]),
    );
  });

  test.each(snapshotFixtures())('%s', async (_name, snapshot) => {
    const emulator = await startEmulator({ snapshots: [snapshot] });
    try {
      const problems: string[] = [];
      for (const call of callsFor(snapshot)) {
        const answer = await send(emulator, call);
        if (answer.status === 200) served.add(`${call.service} ${call.operation}`);
        for (const problem of problemsOf(call, models.get(call.service)!, answer))
          problems.push(`${call.service} ${call.operation} ${JSON.stringify(call.params)} (${answer.status}): ${problem}`);
      }
      expect(problems).toEqual([]);
    } finally {
      await emulator.close();
    }
  });
});

describe('the answers for an organization conform to the AWS SDK v3 models', () => {
  const DIR = join(FIXTURES, 'demo', 'organization');
  const MANAGEMENT = '111122223333';
  const PROD = '444455556666';
  const STAGING = '777788889999';
  const LOCKED = '222233334444';
  const role = (account: string) => `arn:aws:iam::${account}:role/cogdoctor-audit`;
  const READ_ONLY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['es:Describe*', 'es:List*'], Resource: '*' }] });
  let emulator: Emulator;

  beforeAll(async () => {
    const snapshots = readdirSync(join(DIR, 'snapshots')).map((f) => parseSnapshot(readFileSync(join(DIR, 'snapshots', f), 'utf8')));
    const organization = await loadOrganization(join(DIR, 'organization.json'));
    emulator = await startEmulator({ snapshots, organization, pageSize: 2 });
  });
  afterAll(() => emulator.close());

  /** Sends one call and returns the problems with its answer, and the answer. */
  async function check(call: Call): Promise<{ problems: string[]; status: number; body: string }> {
    const answer = await send(emulator, call);
    const problems = problemsOf(call, models.get(call.service)!, answer).map((p) => `${call.service} ${call.operation} (${answer.status}): ${p}`);
    return { problems, status: answer.status, body: answer.body };
  }

  /** A session of the member role, read from AssumeRole's XML answer. */
  async function session(account: string, policy?: string): Promise<NonNullable<Call['credentials']>> {
    const params = { RoleArn: role(account), RoleSessionName: 'conformance', ExternalId: 'cogdoctor-demo-7d41', ...(policy ? { Policy: policy } : {}) };
    const { body, status } = await check({ service: 'sts', operation: 'AssumeRole', params, region: 'us-east-1' });
    expect(status).toBe(200);
    const text = (name: string) => new RegExp(`<${name}>([^<]+)</${name}>`).exec(body)![1]!;
    return { accessKeyId: text('AccessKeyId'), secretAccessKey: text('SecretAccessKey'), sessionToken: text('SessionToken') };
  }

  test('AssumeRole, ListAccounts, ListRegions and their errors', async () => {
    const member = await session(PROD);
    const restricted = await session(PROD, READ_ONLY);
    const calls: Array<[Call, number]> = [
      [
        {
          service: 'sts',
          operation: 'AssumeRole',
          params: { RoleArn: role(STAGING), RoleSessionName: 'sweep', ExternalId: 'cogdoctor-demo-7d41', Policy: READ_ONLY },
          region: 'us-east-1',
        },
        200,
      ],
      [{ service: 'sts', operation: 'AssumeRole', params: { RoleArn: role(LOCKED), RoleSessionName: 'sweep' }, region: 'us-east-1' }, 403],
      [
        {
          service: 'sts',
          operation: 'AssumeRole',
          params: { RoleArn: role(PROD), RoleSessionName: 'sweep', ExternalId: 'cogdoctor-demo-7d41', Policy: '{' },
          region: 'us-east-1',
        },
        400,
      ],
      [{ service: 'sts', operation: 'AssumeRole', params: { RoleArn: role(PROD), RoleSessionName: 'sweep', DurationSeconds: '60' }, region: 'us-east-1' }, 400],
      [{ service: 'sts', operation: 'GetCallerIdentity', params: {}, region: 'us-east-1', credentials: member }, 200],
      [{ service: 'sts', operation: 'GetCallerIdentity', params: {}, region: 'us-east-1', credentials: { ...member, sessionToken: 'wrong' } }, 403],
      [{ service: 'organizations', operation: 'ListAccounts', params: {}, region: 'us-east-1' }, 200],
      [{ service: 'organizations', operation: 'ListAccounts', params: { MaxResults: 50 }, region: 'us-east-1' }, 400],
      [{ service: 'organizations', operation: 'ListAccounts', params: {}, region: 'us-east-1', credentials: member }, 403],
      [
        {
          service: 'account',
          operation: 'ListRegions',
          params: { RegionOptStatusContains: ['ENABLED', 'ENABLED_BY_DEFAULT'] },
          region: 'us-east-1',
          credentials: member,
        },
        200,
      ],
      [{ service: 'account', operation: 'ListRegions', params: { AccountId: STAGING, RegionOptStatusContains: ['DISABLED'] }, region: 'us-east-1' }, 200],
      [{ service: 'account', operation: 'ListRegions', params: { AccountId: MANAGEMENT }, region: 'us-east-1' }, 400],
      [{ service: 'account', operation: 'ListRegions', params: { AccountId: STAGING }, region: 'us-east-1', credentials: member }, 403],
      [{ service: 'opensearch', operation: 'ListDomainNames', params: {}, region: 'eu-west-1', credentials: restricted }, 200],
      [
        { service: 'cognito-idp', operation: 'DescribeUserPool', params: { UserPoolId: 'eu-west-1_AbCdEf123' }, region: 'eu-west-1', credentials: restricted },
        403,
      ],
      [{ service: 'opensearch', operation: 'ListDomainNames', params: {}, region: 'eu-south-1', credentials: await session(STAGING) }, 403],
    ];
    const problems: string[] = [];
    for (const [call, status] of calls) {
      const answer = await check(call);
      if (answer.status !== status)
        problems.push(`${call.service} ${call.operation} ${JSON.stringify(call.params)}: ${answer.status}, expected ${status}: ${answer.body}`);
      problems.push(...answer.problems);
    }
    expect(problems).toEqual([]);
  });
});
