import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/index.js';
import { loadFixture, runCheck, variant } from '../helpers.js';
import { CID, custom, fgac, govCloud, groups, IP, legacy, OLD_CID, POOL_ARN, PROVIDER, UP } from './identity-helpers.js';

const CHECK = 'identity-pool-providers';
const ID = 'token-not-from-supported-provider';

const valid: Array<[string, Snapshot]> = [
  ['healthy OpenSearch domain', fgac],
  ['healthy custom endpoint', custom],
  ['healthy legacy Elasticsearch domain', legacy],
  ['healthy token-based mapping', groups],
  ['GovCloud', govCloud(fgac)],
  [
    'several providers, the OpenSearch one not first',
    variant(fgac, (s) => {
      s.identityPool!.CognitoIdentityProviders!.unshift({ ProviderName: PROVIDER, ClientId: OLD_CID, ServerSideTokenCheck: false });
      s.identityPool!.CognitoIdentityProviders!.push({
        ProviderName: 'cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Pq9RtV2wB',
        ClientId: '2b4d6f8h0j2l4n6p8r0t2v4x6z',
        ServerSideTokenCheck: true,
      });
    }),
  ],
  ['ServerSideTokenCheck false still accepts the token', variant(fgac, (s) => (s.identityPool!.CognitoIdentityProviders![0]!.ServerSideTokenCheck = false))],
  [
    'no OpenSearch client (opensearch-app-client-deleted-or-bypassed reports it)',
    variant(fgac, (s) => {
      s.userPoolClients = [];
      s.identityPool!.CognitoIdentityProviders = [];
    }),
  ],
  [
    'provider listed under another region prefix (pool-region-mismatch reports it)',
    variant(fgac, (s) => (s.identityPool!.CognitoIdentityProviders![0]!.ProviderName = `cognito-idp.eu-central-1.amazonaws.com/${UP}`)),
  ],
];

describe(`${CHECK}: stays quiet`, () => {
  it.each(valid)('%s', (_name, snapshot) => {
    const r = runCheck(CHECK, snapshot);
    expect(r.ids).toEqual([]);
    expect(r.status).toBe('pass');
  });
});

const invalid: Array<{ name: string; snapshot: Snapshot; message: RegExp }> = [
  {
    name: 'provider removed by Terraform (fixture)',
    snapshot: loadFixture(`fail/${ID}.json`),
    message: /has no authentication provider for user pool eu-west-1_Xk2LmQp7A and the OpenSearch app client 4q8v2n6k1m3p5r7t9w0y2a4c6e/,
  },
  { name: 'only the old user pool listed (fixture)', snapshot: loadFixture(`fail/${ID}--old-user-pool.json`), message: /has no authentication provider/ },
  {
    name: 'the user pool listed with another client',
    snapshot: variant(fgac, (s) => (s.identityPool!.CognitoIdentityProviders![0]!.ClientId = OLD_CID)),
    message: /only with client 6t1m4p8r2v5x9b3d7f0h2k6n8q, not with the OpenSearch app client/,
  },
  {
    name: 'CognitoIdentityProviders absent',
    snapshot: variant(legacy, (s) => delete s.identityPool!.CognitoIdentityProviders),
    message: /has no authentication provider/,
  },
];

describe(`${CHECK}: fires`, () => {
  it.each(invalid.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const r = runCheck(CHECK, c.snapshot);
    expect(r.status).toBe('fail');
    expect(r.ids).toEqual([ID]);
    expect(r.findings[0]!.severity).toBe('error');
    expect(r.findings[0]!.resource).toBe(POOL_ARN);
    expect(r.findings[0]!.evidence).toMatchObject({ identityPoolId: IP, expected: { ProviderName: PROVIDER, ClientId: CID, ServerSideTokenCheck: true } });
    expect(r.findings[0]!.message).toMatch(c.message);
  });

  it('the fix is an identity-pool round trip that appends the provider', () => {
    const [finding] = runCheck(CHECK, loadFixture(`fail/${ID}.json`)).findings;
    const commands = finding!.fix.commands!;
    expect(commands[0]).toBe(`aws cognito-identity describe-identity-pool --region eu-west-1 --identity-pool-id ${IP} > identity-pool.json`);
    expect(commands[1]).toContain(`--argjson provider '{"ProviderName":"${PROVIDER}","ClientId":"${CID}","ServerSideTokenCheck":true}'`);
    expect(commands[1]).toContain('(.CognitoIdentityProviders // []) + [$provider]');
    expect(commands[2]).toBe('aws cognito-identity update-identity-pool --region eu-west-1 --cli-input-json file://identity-pool-fixed.json');
    expect(finding!.fix.iac).toContain('ignore_changes');
  });
});

describe(`${CHECK}: partial reads`, () => {
  it('DescribeIdentityPool denied → unknown', () => {
    const r = runCheck(
      CHECK,
      variant(fgac, (s) => {
        delete s.identityPool;
        delete s.identityPoolRoles;
        s.errors = [{ operation: 'cognito-identity:DescribeIdentityPool', resource: IP, code: 'AccessDeniedException' }];
      }),
    );
    expect(r.status).toBe('unknown');
    expect(r.reason).toContain('cognito-identity:DescribeIdentityPool');
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

  it('identity pool not found → not applicable', () => {
    const r = runCheck(
      CHECK,
      variant(fgac, (s) => {
        delete s.identityPool;
        delete s.identityPoolRoles;
        s.errors = [{ operation: 'cognito-identity:DescribeIdentityPool', resource: IP, code: 'ResourceNotFoundException' }];
      }),
    );
    expect(r.status).toBe('not-applicable');
  });
});
