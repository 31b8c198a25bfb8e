import * as cognitoIdentity from '@aws-sdk/client-cognito-identity';
import * as cognitoIdp from '@aws-sdk/client-cognito-identity-provider';
import * as iam from '@aws-sdk/client-iam';
import * as opensearch from '@aws-sdk/client-opensearch';
import * as sts from '@aws-sdk/client-sts';
import * as wafv2 from '@aws-sdk/client-wafv2';
import * as account from '@aws-sdk/client-account';
import * as organizations from '@aws-sdk/client-organizations';
import { describe, expect, it } from 'vitest';
import { READ_ONLY_OPERATIONS, isAllowed } from '../../src/collect/allowlist.js';
import { guardReadOnly, ReadOnlyViolation } from '../../src/collect/clients.js';
import { loadFixture } from '../helpers.js';
import { TEST_CREDENTIALS, withEmulator } from './harness.js';

type Module = Record<string, unknown>;
const SERVICES: Array<{ service: string; module: Module; client: string }> = [
  { service: 'es', module: opensearch as Module, client: 'OpenSearchClient' },
  { service: 'cognito-idp', module: cognitoIdp as Module, client: 'CognitoIdentityProviderClient' },
  { service: 'cognito-identity', module: cognitoIdentity as Module, client: 'CognitoIdentityClient' },
  { service: 'iam', module: iam as Module, client: 'IAMClient' },
  { service: 'sts', module: sts as Module, client: 'STSClient' },
  { service: 'wafv2', module: wafv2 as Module, client: 'WAFV2Client' },
  { service: 'organizations', module: organizations as Module, client: 'OrganizationsClient' },
  { service: 'account', module: account as Module, client: 'AccountClient' },
];

function commandsOf(module: Module): string[] {
  return Object.keys(module)
    .filter(
      (name) =>
        name.endsWith('Command') && typeof (module[name] as { prototype?: { resolveMiddleware?: unknown } })?.prototype?.resolveMiddleware === 'function',
    )
    .sort();
}

describe('the read-only guard', () => {
  it('the allowlist holds only read operations', () => {
    for (const ops of Object.values(READ_ONLY_OPERATIONS)) {
      // AssumeRole changes nothing in the account: it hands out a session, which --session-policy limits to this list.
      for (const op of ops) expect(op).toMatch(/^(Describe|Get|List|AdminGet|AdminList)|^ESHttpGet$|^AssumeRole$/);
    }
  });

  for (const { service, module, client } of SERVICES) {
    it(`refuses every non-allowlisted ${service} command before anything is sent`, async () => {
      const commands = commandsOf(module);
      expect(commands.length).toBeGreaterThan(5);
      await withEmulator([loadFixture('healthy/opensearch-fgac.json')], async (emulator) => {
        const Client = module[client] as new (config: object) => { send(command: unknown): Promise<unknown>; destroy(): void; middlewareStack: never };
        const guarded = guardReadOnly(new Client({ region: 'eu-west-1', endpoint: emulator.url, credentials: TEST_CREDENTIALS, maxAttempts: 1 }), service);
        let refused = 0;
        for (const name of commands) {
          const operation = name.replace(/Command$/, '');
          if (isAllowed(service, operation)) continue;
          const Command = module[name] as new (input: object) => unknown;
          await expect(guarded.send(new Command({}))).rejects.toBeInstanceOf(ReadOnlyViolation);
          refused++;
        }
        guarded.destroy();
        expect(refused).toBeGreaterThan(0);
        // Nothing reached the wire: the emulator served no request at all.
        expect(emulator.log).toEqual([]);
      });
    });
  }

  it('lets an allowlisted read through', async () => {
    await withEmulator([loadFixture('healthy/opensearch-fgac.json')], async (emulator) => {
      const client = guardReadOnly(new opensearch.OpenSearchClient({ region: 'eu-west-1', endpoint: emulator.url, credentials: TEST_CREDENTIALS }), 'es');
      const out = await client.send(new opensearch.DescribeDomainCommand({ DomainName: 'logs-prod' }));
      expect(out.DomainStatus?.DomainName).toBe('logs-prod');
      expect(emulator.log.map((e) => e.operation)).toEqual(['DescribeDomain']);
      client.destroy();
    });
  });
});
