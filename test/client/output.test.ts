import { Ajv } from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import schema from '../../schema/report.schema.json' with { type: 'json' };
import { cogdoctor } from '../helpers.js';
import { withEmulator } from '../live/harness.js';
import { ALB_NO_SECRET, CLIENT_FIXTURES, KONG, POOL, SPA_WITH_SECRET, clientFixture } from './cases.js';

const ENV = {
  AWS_ACCESS_KEY_ID: 'AKIDCLITEST000000000',
  AWS_SECRET_ACCESS_KEY: 'cli-test-secret-not-real',
  AWS_CONFIG_FILE: '/nonexistent',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
  AWS_EC2_METADATA_DISABLED: 'true',
};
const GATEWAYS = join(CLIENT_FIXTURES, 'gateways.json');
const FORMATS = ['text', 'json', 'markdown', 'sarif', 'junit'];

describe('cogdoctor client output', () => {
  it('the fixture really carries canary secrets', () => {
    expect(readFileSync(GATEWAYS, 'utf8')).toMatch(/CANARY-kong-client-secret/);
  });

  it('never prints a ClientSecret, in any format, live or offline', async () => {
    const runs = [
      ['--snapshot', GATEWAYS, SPA_WITH_SECRET, '--app', 'browser', '--redirect-uri', 'https://app.example.com/'],
      ['--snapshot', GATEWAYS, KONG, '--redirect-uri', 'https://api.example.com/callback', '--verbose'],
    ];
    await withEmulator([clientFixture('gateways.json')], async (emulator) => {
      runs.push([POOL, KONG, '--endpoint-url', emulator.url, '--redirect-uri', 'https://api.example.com/callback', '--verbose']);
      for (const args of runs) {
        for (const format of FORMATS) {
          const r = await cogdoctor(['client', ...args, '--format', format], ENV);
          expect(r.code, `${format} ${args.join(' ')}`).toBe(1);
          expect(r.stdout + r.stderr).not.toContain('CANARY');
        }
      }
    });
  });

  it('every format names the app client; the JSON report validates against the schema', async () => {
    const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
    const out = (format: string) => cogdoctor(['client', '--snapshot', GATEWAYS, ALB_NO_SECRET, '--format', format]);
    const json = JSON.parse((await out('json')).stdout);
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
    expect(json.target.domain).toBeUndefined();
    expect(json.findings.map((f: { id: string }) => f.id)).toEqual(['client-secret-missing']);
    expect((await out('text')).stdout).toMatch(
      /app client 3alb6nosecret4client7wxyz "alb-no-secret" of user pool eu-west-1_GwPool7Kq[\s\S]*Discovery +https:\/\/cognito-idp\.eu-west-1\.amazonaws\.com\/eu-west-1_GwPool7Kq\/\.well-known\/openid-configuration/,
    );
    expect((await out('markdown')).stdout).toMatch(/^# cogdoctor: 1 error on eu-west-1_GwPool7Kq\/3alb6nosecret4client7wxyz/);
    const sarif = JSON.parse((await out('sarif')).stdout);
    expect(sarif.runs[0].tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(['client-secret-missing']);
    expect(sarif.runs[0].results[0].properties).toMatchObject({ userPoolId: POOL, clientId: ALB_NO_SECRET });
    expect((await out('junit')).stdout).toContain('classname="cogdoctor.eu-west-1_GwPool7Kq/3alb6nosecret4client7wxyz"');
  });

  it('checks lists the client checks; explain explains the new ids', async () => {
    const rows = JSON.parse((await cogdoctor(['checks', '--format', 'json'])).stdout) as Array<{ id: string; command?: string }>;
    expect(rows.filter((r) => r.command === 'client').map((r) => r.id)).toEqual([
      'client-hosted-ui-domain',
      'client-identity-provider',
      'client-oauth-flow',
      'client-oauth-scopes',
      'client-secret',
      'client-urls',
    ]);
    const explained = await cogdoctor(['explain', 'client-secret-on-public-client']);
    expect(explained.code).toBe(0);
    expect(explained.stdout).toMatch(/Detected by the check client-secret of cogdoctor client/);
  });
});
