import { describe, expect, it } from 'vitest';
import type { Snapshot, UserPoolClientType } from '../../src/index.js';
import { loadFixture, runCheck, variant } from '../helpers.js';
import { problemsOf } from '../../src/testing.js';
import check from '../../checks/app-client-identity-providers.js';

const CHECK = 'app-client-identity-providers';
const ID = 'idp-not-enabled-on-app-client';
const fgac = loadFixture('healthy/opensearch-fgac.json');
const UP = 'eu-west-1_Xk2LmQp7A';
const CID = '4q8v2n6k1m3p5r7t9w0y2a4c6e';
const client = (s: Snapshot): UserPoolClientType => s.userPoolClients![0]!;
const saml = (name: string, pool = UP) => ({ UserPoolId: pool, ProviderName: name, ProviderType: 'SAML' as const, ProviderDetails: {}, AttributeMapping: {} });

const valid: Array<[string, Snapshot, string]> = [
  ['COGNITO only, providers not collected', fgac, 'not-evaluated'],
  ['COGNITO only, the pool has no other provider', variant(fgac, (s) => (s.identityProviders = [])), 'pass'],
  [
    "COGNITO and the pool's SAML provider",
    variant(fgac, (s) => {
      s.identityProviders = [saml('CorpEntraID')];
      client(s).SupportedIdentityProviders = ['COGNITO', 'CorpEntraID'];
    }),
    'pass',
  ],
  [
    'federation only: the SAML provider without COGNITO',
    variant(fgac, (s) => {
      s.identityProviders = [saml('CorpEntraID')];
      client(s).SupportedIdentityProviders = ['CorpEntraID'];
    }),
    'pass',
  ],
  ['federation only, providers not collected', variant(fgac, (s) => (client(s).SupportedIdentityProviders = ['CorpEntraID'])), 'not-evaluated'],
  ['a provider described for another pool', variant(fgac, (s) => (s.identityProviders = [saml('OtherIdP', 'eu-west-1_Ab9Cd8Ef7')])), 'pass'],
  [
    'a hand-made client without providers next to the service client',
    variant(fgac, (s) => {
      s.identityProviders = [];
      s.userPoolClients!.unshift({ UserPoolId: UP, ClientName: 'cli-tool', ClientId: '2b4d6f8h0j2l4n6p8r0t2v4x6z', SupportedIdentityProviders: [] });
    }),
    'pass',
  ],
];

describe(`${CHECK}: stays quiet`, () => {
  it.each(valid)('%s', (_name, snapshot, status) => {
    const r = runCheck(CHECK, snapshot);
    expect(r.ids).toEqual([]);
    expect(r.status).toBe(status);
  });

  it('not evaluated names what would collect the providers', () => {
    expect(runCheck(CHECK, fgac).reason).toContain('cognito-idp:ListIdentityProviders');
  });
});

const invalid: Array<{ name: string; snapshot: Snapshot; severity: string; evidence: Record<string, unknown> }> = [
  {
    name: 'SupportedIdentityProviders emptied (fixture)',
    snapshot: loadFixture('fail/idp-not-enabled-on-app-client.json'),
    severity: 'error',
    evidence: { clientId: CID, SupportedIdentityProviders: [] },
  },
  {
    name: 'SupportedIdentityProviders absent after a partial update',
    snapshot: variant(fgac, (s) => delete client(s).SupportedIdentityProviders),
    severity: 'error',
    evidence: { SupportedIdentityProviders: [] },
  },
  {
    name: "the pool's SAML provider is not on the client (fixture): a warning",
    snapshot: loadFixture('fail/idp-not-enabled-on-app-client--saml.json'),
    severity: 'warning',
    evidence: { missing: ['CorpEntraID'], configuredProviders: ['CorpEntraID'], SupportedIdentityProviders: ['COGNITO'] },
  },
  {
    name: 'the client lists only a deleted provider (fixture)',
    snapshot: loadFixture('fail/idp-not-enabled-on-app-client--deleted-idp.json'),
    severity: 'error',
    evidence: { SupportedIdentityProviders: ['CorpOkta'], configuredProviders: ['CorpEntraID'] },
  },
];

describe(`${CHECK}: fires`, () => {
  it.each(invalid.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const r = runCheck(CHECK, c.snapshot);
    expect(r.status).toBe('fail');
    expect(r.ids).toEqual([ID]);
    expect(r.findings[0]!.severity).toBe(c.severity);
    expect(r.findings[0]!.evidence).toMatchObject(c.evidence);
  });

  it("tells a client without a usable provider from one that leaves out some of the pool's providers, in its data and its wording", () => {
    const deleted = loadFixture('fail/idp-not-enabled-on-app-client--deleted-idp.json');
    const [none] = problemsOf(check, deleted);
    expect(none).toMatchObject({ mode: ID, data: { SupportedIdentityProviders: ['CorpOkta'], configuredProviders: ['CorpEntraID'] } });
    expect(none!.data).not.toHaveProperty('missing');
    expect(runCheck(CHECK, deleted).findings[0]!.message).toContain('lists only CorpOkta in SupportedIdentityProviders, which is not configured in');

    const samlMissing = loadFixture('fail/idp-not-enabled-on-app-client--saml.json');
    expect(problemsOf(check, samlMissing)).toMatchObject([{ mode: ID, severity: 'warning', data: { missing: ['CorpEntraID'] } }]);
    expect(runCheck(CHECK, samlMissing).findings[0]!.message).toContain('The identity provider CorpEntraID of');
  });

  it('the fix round-trips the real client, adding COGNITO and the configured providers', () => {
    const [finding] = runCheck(CHECK, loadFixture('fail/idp-not-enabled-on-app-client--deleted-idp.json')).findings;
    const commands = finding!.fix.commands!;
    expect(commands[0]).toContain(`--user-pool-id ${UP} --client-id ${CID}`);
    expect(commands[1]).toContain(`--argjson providers '["COGNITO","CorpEntraID"]'`);
    expect(commands[2]).toContain('--cli-input-json file://client-fixed.json');
  });
});

describe(`${CHECK}: partial reads`, () => {
  it('ListIdentityProviders denied → unknown, naming the permission', () => {
    const r = runCheck(
      CHECK,
      variant(fgac, (s) => (s.errors = [{ operation: 'cognito-idp:ListIdentityProviders', resource: UP, code: 'AccessDeniedException' }])),
    );
    expect(r.status).toBe('unknown');
    expect(r.reason).toContain('cognito-idp:ListIdentityProviders');
  });

  it('the tier-1 comparison still fires when the providers could not be read', () => {
    const r = runCheck(
      CHECK,
      variant(fgac, (s) => {
        client(s).SupportedIdentityProviders = [];
        s.errors = [{ operation: 'cognito-idp:ListIdentityProviders', resource: UP, code: 'AccessDeniedException' }];
      }),
    );
    expect(r.ids).toEqual([ID]);
  });

  it('ListUserPoolClients denied → unknown', () => {
    const r = runCheck(
      CHECK,
      variant(fgac, (s) => {
        delete s.userPoolClients;
        s.errors = [{ operation: 'cognito-idp:ListUserPoolClients', resource: UP, code: 'AccessDeniedException' }];
      }),
    );
    expect(r.status).toBe('unknown');
    expect(r.reason).toContain('cognito-idp:ListUserPoolClients');
  });
});
