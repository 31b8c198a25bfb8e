import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cogdoctor, loadFixtures } from '../helpers.js';
import { CLIENT_FIXTURES, KONG, SPA } from './cases.js';

// A plugin file with a check of `cogdoctor client` (kind: 'client', worded by its messages) and a
// domain check beside it: each command runs only its own kind.
const PLUGIN = `
export const naming = {
  kind: 'client',
  id: 'client-name-convention',
  title: 'App client names end with -gateway',
  description: 'Our gateways find their app client by a name ending in -gateway.',
  reads: ['userPoolClients'],
  modes: [{
    id: 'name-off-convention', severity: 'warning', title: 'An app client named off convention',
    symptom: 'The gateway does not find its app client.', cause: 'The ClientName does not end with -gateway.',
    fix: 'Rename the app client.', docs: ['https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-client-apps.html'],
  }],
  messages: {
    'name-off-convention': {
      message: (d) => 'The app client ' + d.name + ' (redirecting to ' + d.redirectUris.join(', ') + ') does not end with -gateway.',
      fix: (d) => ({ summary: 'Rename ' + d.name + ' to ' + d.name + '-gateway.' }),
    },
  },
  run(ctx) {
    const name = ctx.client().ClientName ?? '';
    return name.endsWith('-gateway') ? [] : [{ mode: 'name-off-convention', resource: ctx.resource, data: { name, redirectUris: ctx.party.redirectUris } }];
  },
};

export const domainCheck = {
  id: 'domain-side-check',
  title: 'A domain check of the same plugin',
  description: 'Never fires.',
  reads: ['domain'],
  modes: [],
  run: () => [],
};
`;

const dir = mkdtempSync(join(tmpdir(), 'cogdoctor-client-plugin-'));
writeFileSync(join(dir, 'house-rules.mjs'), PLUGIN);
const GATEWAYS = join(CLIENT_FIXTURES, 'gateways.json');
const client = async (clientId: string) =>
  JSON.parse(
    (
      await cogdoctor([
        'client',
        '--snapshot',
        GATEWAYS,
        clientId,
        '--redirect-uri',
        'https://app.example.com/callback',
        '--checks-dir',
        dir,
        '--format',
        'json',
      ])
    ).stdout,
  );

describe("a plugin's client checks", () => {
  it('run in cogdoctor client on the app client and the relying party, and report in the plugin namespace', async () => {
    const spa = await client(SPA);
    const finding = spa.findings.find((f: { id: string }) => f.id === 'house-rules/name-off-convention');
    expect(finding).toMatchObject({
      check: 'client-name-convention',
      severity: 'warning',
      message: 'The app client spa-public (redirecting to https://app.example.com/callback) does not end with -gateway.',
      evidence: { name: 'spa-public', redirectUris: ['https://app.example.com/callback'] },
      fix: { summary: 'Rename spa-public to spa-public-gateway.' },
    });
    expect(spa.checks.find((c: { check: string }) => c.check === 'client-name-convention').status).toBe('fail');
    expect(spa.checks.some((c: { check: string }) => c.check === 'domain-side-check')).toBe(false);
    const kong = await client(KONG);
    expect(kong.checks.find((c: { check: string }) => c.check === 'client-name-convention').status).toBe('pass');
  });

  it('do not run in cogdoctor check, which runs the domain checks of the same file', async () => {
    const fixture = loadFixtures().find((f) => f.name.startsWith('healthy/'))!;
    const report = JSON.parse((await cogdoctor(['check', '--snapshot', fixture.file, '--checks-dir', dir, '--format', 'json'])).stdout);
    expect(report.checks.some((c: { check: string }) => c.check === 'client-name-convention')).toBe(false);
    expect(report.checks.find((c: { check: string }) => c.check === 'domain-side-check').status).toBe('pass');
  });

  it('are listed by cogdoctor checks as checks of cogdoctor client', async () => {
    const listed = JSON.parse((await cogdoctor(['checks', '--format', 'json', '--checks-dir', dir])).stdout);
    expect(listed.find((c: { id: string }) => c.id === 'client-name-convention')).toMatchObject({
      command: 'client',
      source: join(dir, 'house-rules.mjs'),
      modes: [{ id: 'house-rules/name-off-convention', severity: 'warning' }],
    });
    expect(listed.find((c: { id: string }) => c.id === 'domain-side-check').command).toBeUndefined();
  });
});
