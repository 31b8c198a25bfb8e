// The emulator under requests no AWS client would send, and its lifecycle.
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { GetRoleCommand, IAMClient, ListAttachedRolePoliciesCommand } from '@aws-sdk/client-iam';
import {
  CognitoIdentityProviderClient,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  ListGroupsCommand,
  ListUserPoolClientsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoIdentityClient, DescribeIdentityPoolCommand, ListIdentityPoolsCommand } from '@aws-sdk/client-cognito-identity';
import { DescribeDomainCommand, OpenSearchClient } from '@aws-sdk/client-opensearch';
import { loadSnapshotsForEmulator, startEmulator, type Emulator } from '../../src/emulator/index.js';
import { ACCOUNT, CLIENT_ID, ENDPOINT, legacySnapshot, openSearchSnapshot, USER_POOL } from './account.js';
import { cogdoctor } from '../helpers.js';
import { caught, clientConfig, IAM_REGION, signedFetch, writeSnapshots } from './helpers.js';

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ snapshots: [openSearchSnapshot] });
});

afterAll(() => emulator.close());

function post(headers: Record<string, string>, body: string) {
  return fetch(emulator.url, { method: 'POST', headers, body });
}

/** A request signed for cognito-idp in the test account's Region. */
function signedPost(headers: Record<string, string>, body: string) {
  return signedFetch(emulator, { headers, body }, { service: 'cognito-idp' });
}

const idpTarget = (operation: string) => ({
  'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
  'content-type': 'application/x-amz-json-1.1',
});

describe('bad requests are answered, never crash the server', () => {
  test('a body that is not JSON is a SerializationException', async () => {
    const response = await post(idpTarget('DescribeUserPool'), '{"UserPoolId": ');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ __type: 'SerializationException' });
    expect(emulator.log.at(-1)).toMatchObject({ service: 'cognito-idp', operation: 'DescribeUserPool', status: 400 });
  });

  test('an unknown target or an operation named like an Object property is an UnknownOperationException', async () => {
    const targets = [
      'DynamoDB_20120810.ListTables',
      'constructor.ListTables',
      'AWSCognitoIdentityProviderService.constructor',
      'AWSCognitoIdentityService.__proto__',
    ];
    for (const target of targets) {
      const response = await post({ 'x-amz-target': target, 'content-type': 'application/x-amz-json-1.1' }, '{}');
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ __type: 'UnknownOperationException' });
    }
  });

  test('a body over 1 MB is refused with 413, and the server goes on serving', async () => {
    const huge = JSON.stringify({ UserPoolId: 'x'.repeat(2 * 1024 * 1024) });
    const response = await post(idpTarget('DescribeUserPool'), huge);
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ __type: 'RequestEntityTooLarge' });
    const after = await signedPost(idpTarget('DescribeUserPool'), JSON.stringify({ UserPoolId: openSearchSnapshot.userPool?.Id }));
    expect(after.status).toBe(200);
  });

  test('a malformed percent-escape in a path is taken literally, and is no domain name', async () => {
    const response = await signedFetch(emulator, { method: 'GET', path: '/2021-01-01/opensearch/domain/%E0%A4%A' }, { service: 'es' });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toMatch(/^ValidationException:/);
    expect((await response.json()).message).toContain("Value '%E0%A4%A' at 'domainName'");
  });

  test('a path no service serves is a 404', async () => {
    const response = await fetch(`${emulator.url}/favicon.ico`);
    expect(response.status).toBe(404);
    expect(emulator.log.at(-1)).toMatchObject({ service: 'unknown', operation: 'GET /favicon.ico', mutating: false });
  });

  test('a form with an unknown API version is refused as InvalidAction', async () => {
    const response = await post({ 'content-type': 'application/x-www-form-urlencoded' }, 'Action=GetRole&Version=constructor');
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('<Code>InvalidAction</Code>');
  });

  test('awsQuery is recognised in a form body and in a query string', async () => {
    const form = await signedFetch(
      emulator,
      { headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body: 'Action=GetRole&Version=2010-05-08&RoleName=logs-admin' },
      { service: 'iam', region: IAM_REGION },
    );
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('<RoleName>logs-admin</RoleName>');
    const query = await signedFetch(emulator, { method: 'GET', path: '/?Action=GetCallerIdentity&Version=2011-06-15' }, { service: 'sts' });
    expect(await query.text()).toContain(`<Account>${ACCOUNT}</Account>`);
  });

  test('a write to the domain REST API is refused and logged as mutating', async () => {
    const response = await fetch(`${emulator.url}/_plugins/_security/api/rolesmapping/all_access`, {
      method: 'PATCH',
      headers: { host: ENDPOINT, 'content-type': 'application/json' },
      body: '[{"op":"add","path":"/backend_roles/-","value":"x"}]',
    });
    expect(response.status).toBe(405);
    expect(emulator.log.at(-1)).toMatchObject({ service: 'es-rest', operation: 'ESHttpPatch', mutating: true, status: 405 });
  });
});

describe('what AWS checks before it reads anything', () => {
  const form = 'Action=GetRole&Version=2010-05-08&RoleName=logs-admin';
  const formHeaders = { 'content-type': 'application/x-www-form-urlencoded' };

  test("an unsigned request is refused in each protocol's terms", async () => {
    const json = await post(idpTarget('DescribeUserPool'), JSON.stringify({ UserPoolId: USER_POOL }));
    expect([json.status, (await json.json()).__type]).toEqual([400, 'MissingAuthenticationTokenException']);
    const query = await post(formHeaders, form);
    expect(query.status).toBe(403);
    expect(await query.text()).toContain('<Code>MissingAuthenticationToken</Code>');
    const rest = await fetch(`${emulator.url}/2021-01-01/opensearch/domain/logs-prod`);
    expect([rest.status, rest.headers.get('x-amzn-errortype')?.split(':')[0]]).toEqual([403, 'MissingAuthenticationTokenException']);
  });

  test('a request signed for another service is refused: a cognito-idp target signed as cognito-identity', async () => {
    const response = await signedFetch(
      emulator,
      { headers: idpTarget('DescribeUserPool'), body: JSON.stringify({ UserPoolId: USER_POOL }) },
      { service: 'cognito-identity' },
    );
    const body = await response.json();
    expect([response.status, body.__type]).toEqual([400, 'InvalidSignatureException']);
    expect(body.message).toContain("'cognito-idp'");
  });

  test("IAM takes requests signed for its partition's Region only; another partition's credentials are unknown", async () => {
    const wrongRegion = await signedFetch(emulator, { headers: formHeaders, body: form }, { service: 'iam', region: 'eu-west-1' });
    expect(wrongRegion.status).toBe(403);
    expect(await wrongRegion.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    const china = await signedFetch(emulator, { headers: formHeaders, body: form }, { service: 'iam', region: 'cn-north-1' });
    expect(await china.text()).toContain('<Code>InvalidClientTokenId</Code>');
    const pool = await signedFetch(
      emulator,
      { headers: idpTarget('DescribeUserPool'), body: JSON.stringify({ UserPoolId: USER_POOL }) },
      { service: 'cognito-idp', region: 'cn-north-1' },
    );
    expect((await pool.json()).__type).toBe('UnrecognizedClientException');
  });

  test('a query request for another API version is InvalidAction', async () => {
    const response = await signedFetch(
      emulator,
      { headers: formHeaders, body: form.replace('2010-05-08', '2011-06-15') },
      { service: 'iam', region: IAM_REGION },
    );
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('<Code>InvalidAction</Code>');
  });

  test("the documented input limits are enforced with each service's validation error", async () => {
    const idp = new CognitoIdentityProviderClient(clientConfig(emulator));
    const clients = await caught(() => idp.send(new ListUserPoolClientsCommand({ UserPoolId: USER_POOL, MaxResults: 61 })));
    expect([clients.name, clients.message]).toEqual([
      'InvalidParameterException',
      "1 validation error detected: Value '61' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 60",
    ]);
    expect((await caught(() => idp.send(new ListGroupsCommand({ UserPoolId: USER_POOL, Limit: 61 })))).name).toBe('InvalidParameterException');
    const iam = new IAMClient(clientConfig(emulator, 1, IAM_REGION));
    const items = await caught(() => iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'logs-admin', MaxItems: 1001 })));
    expect(items.name).toBe('ValidationError');
    const identity = new CognitoIdentityClient(clientConfig(emulator));
    const pools = await caught(() => identity.send(new ListIdentityPoolsCommand({} as never)));
    expect([pools.name, pools.message]).toEqual([
      'InvalidParameterException',
      "1 validation error detected: Value null at 'maxResults' failed to satisfy constraint: Member must not be null",
    ]);
  });

  test('malformed ids are invalid parameters, not missing resources', async () => {
    const idp = new CognitoIdentityProviderClient(clientConfig(emulator));
    expect((await caught(() => idp.send(new DescribeUserPoolCommand({ UserPoolId: 'not a pool id' })))).name).toBe('InvalidParameterException');
    expect((await caught(() => idp.send(new DescribeUserPoolClientCommand({ UserPoolId: USER_POOL, ClientId: 'bad/id' })))).name).toBe(
      'InvalidParameterException',
    );
    const identity = new CognitoIdentityClient(clientConfig(emulator));
    expect((await caught(() => identity.send(new DescribeIdentityPoolCommand({ IdentityPoolId: 'nope' })))).name).toBe('InvalidParameterException');
    const opensearch = new OpenSearchClient(clientConfig(emulator));
    expect((await caught(() => opensearch.send(new DescribeDomainCommand({ DomainName: 'Logs_Prod' })))).name).toBe('ValidationException');
    const iam = new IAMClient(clientConfig(emulator, 1, IAM_REGION));
    expect((await caught(() => iam.send(new GetRoleCommand({ RoleName: 'no spaces allowed' })))).name).toBe('ValidationError');
  });

  test('a pagination token is accepted only by the call that issued it', async () => {
    const paged = await startEmulator({ snapshots: [openSearchSnapshot], pageSize: 1 });
    try {
      const idp = new CognitoIdentityProviderClient(clientConfig(paged));
      const first = await idp.send(new ListUserPoolClientsCommand({ UserPoolId: USER_POOL, MaxResults: 1 }));
      expect(first.NextToken).toBeDefined();
      const second = await idp.send(new ListUserPoolClientsCommand({ UserPoolId: USER_POOL, MaxResults: 1, NextToken: first.NextToken }));
      expect(second.UserPoolClients).toHaveLength(1);
      const misused = await caught(() => idp.send(new ListGroupsCommand({ UserPoolId: USER_POOL, NextToken: first.NextToken })));
      expect(misused.name).toBe('InvalidParameterException');
    } finally {
      await paged.close();
    }
  });
});

describe('what a snapshot records is served as recorded', () => {
  test('a client whose DescribeUserPoolClient failed stays listed, and its description answers the recorded error', async () => {
    const snapshot = JSON.parse(JSON.stringify(openSearchSnapshot)) as typeof openSearchSnapshot;
    snapshot.userPoolClients = snapshot.userPoolClients!.filter((c) => c.ClientId !== CLIENT_ID);
    snapshot.errors = [
      ...(snapshot.errors ?? []),
      {
        operation: 'cognito-idp:DescribeUserPoolClient',
        resource: `${USER_POOL}/${CLIENT_ID}`,
        code: 'AccessDeniedException',
        message: 'denied by an explicit deny',
      },
    ];
    const served = await startEmulator({ snapshots: [snapshot] });
    try {
      const idp = new CognitoIdentityProviderClient(clientConfig(served));
      const listed = await idp.send(new ListUserPoolClientsCommand({ UserPoolId: USER_POOL, MaxResults: 60 }));
      expect(listed.UserPoolClients?.map((c) => c.ClientId)).toContain(CLIENT_ID);
      const described = await caught(() => idp.send(new DescribeUserPoolClientCommand({ UserPoolId: USER_POOL, ClientId: CLIENT_ID })));
      expect([described.name, described.message]).toEqual(['AccessDeniedException', 'denied by an explicit deny']);
    } finally {
      await served.close();
    }
  });

  test('snapshots that disagree on a resource are refused with one line naming it', async () => {
    const changed = JSON.parse(JSON.stringify(legacySnapshot)) as typeof legacySnapshot;
    changed.roles![0]!.MaxSessionDuration = 7200;
    const refused = startEmulator({ snapshots: [openSearchSnapshot, changed] });
    await expect(refused).rejects.toThrow(/^the first and second snapshots hold different role CognitoAccessForAmazonOpenSearch: /);
    await expect(refused).rejects.toMatchObject({ name: 'SnapshotError' });
    // The same resource with the same content (one role shared by two domains) is one account.
    const shared = await startEmulator({ snapshots: [openSearchSnapshot, legacySnapshot, openSearchSnapshot] });
    await shared.close();
  });

  test('cogdoctor emulator refuses conflicting snapshot files with one line and exit 2', async () => {
    const changed = JSON.parse(JSON.stringify(openSearchSnapshot)) as typeof openSearchSnapshot;
    changed.userPool = { ...changed.userPool, MfaConfiguration: 'ON' };
    const files = await writeSnapshots([openSearchSnapshot, changed]);
    const r = await cogdoctor(['emulator', '--snapshot', ...files]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `cogdoctor: the first and second snapshots hold different user pool ${USER_POOL}: serve snapshots of one state of the account (one snapshot per domain)\n`,
    );
  });
});

describe('lifecycle', () => {
  test('close() ends hanging requests and keep-alive sockets promptly', async () => {
    const closing = await startEmulator({ snapshots: [openSearchSnapshot], faults: [{ service: 'iam', kind: 'hang' }] });
    const sts = new STSClient(clientConfig(closing));
    await sts.send(new GetCallerIdentityCommand({})); // leaves a keep-alive socket open
    const hanging = caught(() => new IAMClient(clientConfig(closing, 1, IAM_REGION)).send(new GetRoleCommand({ RoleName: 'logs-admin' })));
    // Close only once the request is in: closing earlier would prove nothing about hanging requests.
    await vi.waitFor(() => expect(closing.log.some((e) => e.operation === 'GetRole')).toBe(true));
    // The hang never ends on its own: close() resolving at all proves it ended the request and the idle socket.
    await closing.close();
    expect((await hanging).$metadata?.httpStatusCode).toBeUndefined();
    await closing.close(); // a second close is harmless
  });

  test('the account id comes from the domain ARN when the snapshot has none', async () => {
    const { accountId: _omitted, ...withoutAccount } = openSearchSnapshot;
    const other = await startEmulator({
      snapshots: [{ ...withoutAccount, domain: { ...openSearchSnapshot.domain, ARN: 'arn:aws:es:eu-west-1:210987654321:domain/logs-prod' } }],
    });
    try {
      const identity = await new STSClient(clientConfig(other)).send(new GetCallerIdentityCommand({}));
      expect(identity.Account).toBe('210987654321');
    } finally {
      await other.close();
    }
  });
});

describe('loadSnapshotsForEmulator', () => {
  test('reads snapshot files', async () => {
    const [snapshot] = await loadSnapshotsForEmulator(await writeSnapshots([openSearchSnapshot]));
    expect(snapshot?.domain.DomainName).toBe('logs-prod');
  });

  test('names the file and the problem when a file is not a snapshot', async () => {
    const [path = ''] = await writeSnapshots([openSearchSnapshot]);
    const notJson = join(dirname(path), 'not-json.json');
    await writeFile(notJson, '{ nope');
    await expect(loadSnapshotsForEmulator([notJson])).rejects.toThrow(`${notJson}: cannot read the snapshot`);
    const noDomain = join(dirname(path), 'no-domain.json');
    await writeFile(noDomain, JSON.stringify({ schema: 'cogdoctor/snapshot/v1', region: 'eu-west-1' }));
    await expect(loadSnapshotsForEmulator([noDomain])).rejects.toThrow(`${noDomain}: not a cogdoctor snapshot: domain.DomainName must be a string`);
  });
});
