import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/index.js';
import { loadFixture, runCheck, variant } from '../helpers.js';

const CHECK = 'admin-only-signup-federation';
const ID = 'admin-only-signup-blocks-federated';
const UP = 'eu-west-1_Xk2LmQp7A';
const CID = '4q8v2n6k1m3p5r7t9w0y2a4c6e';
const fgac = loadFixture('healthy/opensearch-fgac.json');
const google = loadFixture('fail/admin-only-signup-blocks-federated.json');

const valid: Array<[string, Snapshot]> = [
  ['healthy: only COGNITO on the client', fgac],
  ['healthy legacy domain', loadFixture('healthy/legacy-es-kibana.json')],
  ['healthy token groups', loadFixture('healthy/token-groups.json')],
  ['self sign-up allowed (user-pool-self-signup reports it)', variant(google, (s) => (s.userPool!.AdminCreateUserConfig!.AllowAdminCreateUserOnly = false))],
  ['a provider in the pool that the client does not offer', loadFixture('fail/idp-not-enabled-on-app-client--saml.json')],
  ['the client lists a provider the pool no longer has', loadFixture('fail/idp-not-enabled-on-app-client--deleted-idp.json')],
  ['the OpenSearch client is gone (opensearch-app-client reports it)', loadFixture('fail/opensearch-app-client-deleted-or-bypassed.json')],
  [
    'another client offers Google, not the OpenSearch one',
    variant(google, (s) => {
      s.userPoolClients![0]!.SupportedIdentityProviders = ['COGNITO'];
      s.userPoolClients!.push({ UserPoolId: UP, ClientName: 'portal', ClientId: '7c3e9g1j5l7n9p1r3t5v7x9z1b', SupportedIdentityProviders: ['Google'] });
    }),
  ],
];

describe(`${CHECK}: stays quiet`, () => {
  it.each(valid)('%s', (_name, snapshot) => {
    const r = runCheck(CHECK, snapshot);
    expect(r.ids).toEqual([]);
    expect(r.status).toBe('pass');
  });
});

describe(`${CHECK}: fires`, () => {
  it.each([
    ['Google on the client of an admin-only pool (fixture)', google, ['Google']],
    [
      'a SAML provider, providers not collected: the client list decides',
      variant(fgac, (s) => (s.userPoolClients![0]!.SupportedIdentityProviders = ['COGNITO', 'CorpEntraID'])),
      ['CorpEntraID'],
    ],
    ['federation only, without COGNITO', variant(google, (s) => (s.userPoolClients![0]!.SupportedIdentityProviders = ['Google'])), ['Google']],
  ] as const)('%s', (_name, snapshot, providers) => {
    const r = runCheck(CHECK, snapshot);
    expect(r.status).toBe('fail');
    expect(r.ids).toEqual([ID]);
    const [finding] = r.findings;
    expect(finding!.severity).toBe('warning');
    expect(finding!.evidence).toMatchObject({ userPoolId: UP, clientId: CID, AllowAdminCreateUserOnly: true, federatedProviders: providers, verified: false });
    expect(finding!.message).toContain('unverified');
  });

  it('the mode is marked as resting on an unverified report', async () => {
    const { check } = await import('../helpers.js');
    expect(check(CHECK).modes[0]).toMatchObject({ id: ID, severity: 'warning', inferred: true });
  });

  it('the fix says how to confirm, then how to let federated users in, with the real ids', () => {
    const [finding] = runCheck(CHECK, google).findings;
    expect(finding!.resource).toBe(`arn:aws:cognito-idp:eu-west-1:123456789012:userpool/${UP}`);
    expect(finding!.fix.steps!.join('\n')).toContain(`${UP}`);
    expect(finding!.fix.steps!.join('\n')).toContain('PreSignUp_ExternalProvider');
    expect(finding!.fix.commands).toBeUndefined();
  });
});

describe(`${CHECK}: partial reads`, () => {
  it('DescribeUserPool denied → unknown', () => {
    const r = runCheck(
      CHECK,
      variant(google, (s) => {
        delete s.userPool;
        s.errors = [{ operation: 'cognito-idp:DescribeUserPool', resource: UP, code: 'AccessDeniedException' }];
      }),
    );
    expect(r.status).toBe('unknown');
    expect(r.reason).toContain('cognito-idp:DescribeUserPool');
  });

  it('ListUserPoolClients denied → unknown', () => {
    const r = runCheck(
      CHECK,
      variant(google, (s) => {
        delete s.userPoolClients;
        s.errors = [{ operation: 'cognito-idp:ListUserPoolClients', resource: UP, code: 'AccessDeniedException' }];
      }),
    );
    expect(r.status).toBe('unknown');
  });
});
