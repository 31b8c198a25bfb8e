// The emulator under requests no AWS client would send, and its lifecycle.
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { loadSnapshotsForEmulator, startEmulator, type Emulator } from '../../src/emulator/index.js';
import { ACCOUNT, ENDPOINT, openSearchSnapshot } from './account.js';
import { caught, clientConfig, writeSnapshots } from './helpers.js';

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ snapshots: [openSearchSnapshot] });
});

afterAll(() => emulator.close());

function post(headers: Record<string, string>, body: string) {
  return fetch(emulator.url, { method: 'POST', headers, body });
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
    const targets = ['DynamoDB_20120810.ListTables', 'constructor.ListTables', 'AWSCognitoIdentityProviderService.constructor', 'AWSCognitoIdentityService.__proto__'];
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
    const after = await post(idpTarget('DescribeUserPool'), JSON.stringify({ UserPoolId: openSearchSnapshot.userPool?.Id }));
    expect(after.status).toBe(200);
  });

  test('a malformed percent-escape in a path is taken literally', async () => {
    const response = await fetch(`${emulator.url}/2021-01-01/opensearch/domain/%E0%A4%A`);
    expect(response.status).toBe(409);
    expect(response.headers.get('x-amzn-errortype')).toMatch(/^ResourceNotFoundException:/);
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

  test('awsQuery is recognised from its API version when unsigned, and in a query string', async () => {
    const form = await post(
      { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      'Action=GetRole&Version=2010-05-08&RoleName=logs-admin',
    );
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('<RoleName>logs-admin</RoleName>');
    const query = await fetch(`${emulator.url}/?Action=GetCallerIdentity&Version=2011-06-15`);
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

describe('lifecycle', () => {
  test('close() ends hanging requests and keep-alive sockets promptly', async () => {
    const closing = await startEmulator({ snapshots: [openSearchSnapshot], faults: [{ service: 'iam', kind: 'hang' }] });
    const sts = new STSClient(clientConfig(closing));
    await sts.send(new GetCallerIdentityCommand({})); // leaves a keep-alive socket open
    const hanging = caught(() => new IAMClient(clientConfig(closing)).send(new GetRoleCommand({ RoleName: 'logs-admin' })));
    await new Promise((resolve) => setTimeout(resolve, 50));
    // The hang never ends on its own: close() resolving at all proves it ended the request and the idle socket.
    await closing.close();
    expect((await hanging).$metadata?.httpStatusCode).toBeUndefined();
    await closing.close(); // a second close is harmless
  });

  test('the account id comes from the domain ARN when the snapshot has none', async () => {
    const { accountId: _omitted, ...withoutAccount } = openSearchSnapshot;
    const other = await startEmulator({ snapshots: [{ ...withoutAccount, domain: { ...openSearchSnapshot.domain, ARN: 'arn:aws:es:eu-west-1:210987654321:domain/logs-prod' } }] });
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
