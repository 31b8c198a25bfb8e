// The built-in organization (fixtures/demo/organization/) that `demo --organization` serves: it
// conforms to its schema, loads, and answers a sweep's reads from each account and Region.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AccountClient, ListRegionsCommand } from '@aws-sdk/client-account';
import { ListDomainNamesCommand, OpenSearchClient } from '@aws-sdk/client-opensearch';
import { ListAccountsCommand, OrganizationsClient, paginateListAccounts } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadOrganization, loadSnapshotsForEmulator, startEmulator, type Emulator, type Organization } from '../../src/emulator/index.js';
import { cogdoctor, FIXTURES, ROOT } from '../helpers.js';
import { caught, clientConfig, CREDENTIALS, fastRetry } from './helpers.js';

const DIR = join(FIXTURES, 'demo', 'organization');
const ROLE = 'cogdoctor-audit';
const EXTERNAL_ID = 'cogdoctor-demo-7d41';
const MANAGEMENT = '111122223333';
const PROD = '444455556666';
const STAGING = '777788889999';
const LOCKED = '222233334444';

test('organization.json conforms to schema/organization.schema.json', () => {
  const schema = JSON.parse(readFileSync(join(ROOT, 'schema', 'organization.schema.json'), 'utf8'));
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
  const document = JSON.parse(readFileSync(join(DIR, 'organization.json'), 'utf8'));
  expect(validate(document), JSON.stringify(validate.errors)).toBe(true);
  // The schema refuses what the emulator could not serve: a member not in the shape of ListAccounts.
  expect(validate({ ...document, accounts: [{ Id: '1234' }] })).toBe(false);
});

describe('the built-in organization', () => {
  let emulator: Emulator;
  let organization: Organization;

  beforeAll(async () => {
    organization = await loadOrganization(join(DIR, 'organization.json'));
    const files = readdirSync(join(DIR, 'snapshots')).map((f) => join(DIR, 'snapshots', f));
    emulator = await startEmulator({ snapshots: await loadSnapshotsForEmulator(files), organization });
  });
  afterAll(() => emulator.close());

  async function assume(account: string): Promise<AwsCredentialIdentity> {
    const sts = new STSClient(clientConfig(emulator, 1, 'us-east-1'));
    const { Credentials } = await sts.send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/${ROLE}`, RoleSessionName: 'cogdoctor-sweep', ExternalId: EXTERNAL_ID }),
    );
    return { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken! };
  }

  async function domains(credentials: AwsCredentialIdentity, region: string): Promise<string[]> {
    const { DomainNames } = await new OpenSearchClient(clientConfig(emulator, 1, region, credentials)).send(new ListDomainNamesCommand({}));
    return (DomainNames ?? []).map((d) => d.DomainName!).sort();
  }

  test('the management account lists five accounts, one of them suspended', async () => {
    const client = new OrganizationsClient(clientConfig(emulator, 1, 'us-east-1'));
    const accounts = [];
    for await (const page of paginateListAccounts({ client }, {})) accounts.push(...(page.Accounts ?? []));
    expect(accounts.map((a) => [a.Id, a.Name, a.Status])).toEqual([
      [MANAGEMENT, 'management', 'ACTIVE'],
      [PROD, 'search-prod', 'ACTIVE'],
      [STAGING, 'search-staging', 'ACTIVE'],
      [LOCKED, 'legacy-analytics', 'ACTIVE'],
      ['555566667777', 'closed-sandbox', 'SUSPENDED'],
    ]);
  });

  test("each member's domains per Region, through its role", async () => {
    const seen: Record<string, Record<string, string[]>> = {};
    for (const account of [MANAGEMENT, PROD, STAGING]) {
      const credentials = await assume(account);
      const { Regions } = await new AccountClient(clientConfig(emulator, 1, 'us-east-1', credentials)).send(
        new ListRegionsCommand({ RegionOptStatusContains: ['ENABLED', 'ENABLED_BY_DEFAULT'] }),
      );
      seen[account] = {};
      for (const { RegionName } of Regions ?? []) {
        const names = await domains(credentials, RegionName!);
        if (names.length > 0) seen[account][RegionName!] = names;
      }
    }
    expect(seen).toEqual({
      [MANAGEMENT]: { 'eu-west-1': ['audit-logs'] },
      [PROD]: { 'eu-south-1': ['payments-logs'], 'eu-west-1': ['catalog-search', 'orders-search'] },
      [STAGING]: { 'eu-central-1': ['staging-search'], 'eu-west-1': ['staging-logs'] },
    });
  });

  test('the legacy account cannot be assumed, and eu-south-1 is not enabled in staging', async () => {
    const denied = await caught(() => assume(LOCKED));
    expect(denied.name).toBe('AccessDenied');
    const staging = await assume(STAGING);
    const { Regions } = await new AccountClient(clientConfig(emulator, 1, 'us-east-1', staging)).send(
      new ListRegionsCommand({ RegionOptStatusContains: ['DISABLED'] }),
    );
    expect(Regions).toEqual([{ RegionName: 'eu-south-1', RegionOptStatus: 'DISABLED' }]);
    const refused = await caught(() => domains(staging, 'eu-south-1'));
    expect(refused.name).toBe('UnrecognizedClientException');
  });
});

describe('cogdoctor emulator --organization', () => {
  test('serves the built-in organization and prints its URL first', async () => {
    const snapshots = readdirSync(join(DIR, 'snapshots')).map((f) => join(DIR, 'snapshots', f));
    const child = spawn('node', [join(ROOT, 'bin', 'cogdoctor'), 'emulator', '--organization', join(DIR, 'organization.json'), '--snapshot', ...snapshots]);
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString().split('\n')[0]!));
        child.once('error', reject);
      });
      const client = new OrganizationsClient({ endpoint: url, region: 'us-east-1', credentials: CREDENTIALS, retryStrategy: fastRetry(1) });
      const { Accounts } = await client.send(new ListAccountsCommand({}));
      expect(Accounts?.map((a) => a.Id)).toContain(PROD);
    } finally {
      child.kill('SIGTERM');
    }
  });

  test('refuses a file that is not an organization in one line, exit 2', async () => {
    const snapshot = join(FIXTURES, 'demo', 'logs-demo.json');
    const r = await cogdoctor(['emulator', '--organization', snapshot, '--snapshot', snapshot]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`cogdoctor: ${snapshot}: not a cogdoctor organization file: schema must be "cogdoctor/organization/v1"\n`);
  });

  test('refuses snapshots of accounts the organization does not list', async () => {
    const snapshot = join(FIXTURES, 'demo', 'logs-demo.json');
    const r = await cogdoctor(['emulator', '--organization', join(DIR, 'organization.json'), '--snapshot', snapshot]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('cogdoctor: the snapshot of logs-prod is of account 123456789012, which the organization does not list\n');
  });
});
