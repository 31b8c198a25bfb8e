import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/index.js';
import { problemsOf } from '../../src/testing.js';
import check from '../../checks/cognito-pool-regions.js';
import { loadFixture, runCheck, variant } from '../helpers.js';

const CHECK = 'cognito-pool-regions';
const ID = 'pool-region-mismatch';
const fgac = loadFixture('healthy/opensearch-fgac.json');
const UP = 'eu-west-1_Xk2LmQp7A';
const IP = 'eu-west-1:5f0c7a3e-2b1d-4e8f-9a6c-3d7e1b2f4a90';
const IP_US = 'us-east-1:9c1e4b7a-3d2f-4a6b-8e5c-1f0a2b3c4d5e';

describe(`${CHECK}: stays quiet`, () => {
  it.each([
    ['healthy OpenSearch domain', fgac],
    ['healthy token-based mapping', loadFixture('healthy/token-groups.json')],
    [
      'domain in another Region than both pools',
      variant(fgac, (s) => {
        s.region = 'us-east-1';
        s.domain.ARN = 'arn:aws:es:us-east-1:123456789012:domain/logs-prod';
      }),
    ],
    [
      'a shared identity pool also lists a user pool of another Region under its own name',
      variant(fgac, (s) =>
        s.identityPool!.CognitoIdentityProviders!.push({
          ProviderName: 'cognito-idp.us-east-1.amazonaws.com/us-east-1_Ab9Cd8Ef7',
          ClientId: '2b4d6f8h0j2l4n6p8r0t2v4x6z',
        }),
      ),
    ],
    [
      'China partition provider name',
      variant(fgac, (s) => {
        const pool = 'cn-north-1_Xk2LmQp7A';
        s.domain.CognitoOptions!.UserPoolId = pool;
        s.domain.CognitoOptions!.IdentityPoolId = 'cn-north-1:5f0c7a3e-2b1d-4e8f-9a6c-3d7e1b2f4a90';
        s.identityPool!.CognitoIdentityProviders![0]!.ProviderName = `cognito-idp.cn-north-1.amazonaws.com.cn/${pool}`;
      }),
    ],
    ['malformed user pool id (cognito-pools-exist reports it)', variant(fgac, (s) => (s.domain.CognitoOptions!.UserPoolId = 'logs-prod-users'))],
    ['malformed identity pool id (cognito-pools-exist reports it)', variant(fgac, (s) => (s.domain.CognitoOptions!.IdentityPoolId = 'logs_prod_identity'))],
    ['identity pool deleted (cognito-pools-exist reports it)', loadFixture('fail/identity-pool-not-found.json')],
  ])('%s', (_name, snapshot) => {
    const r = runCheck(CHECK, snapshot);
    expect(r.ids).toEqual([]);
    expect(r.status).toBe('pass');
  });
});

const invalid: Array<[string, Snapshot, number, Record<string, unknown>, string]> = [
  [
    'identity pool in us-east-1, user pool in eu-west-1 (fixture)',
    loadFixture('fail/pool-region-mismatch.json'),
    1,
    { userPoolRegion: 'eu-west-1', identityPoolRegion: 'us-east-1', identityPoolId: IP_US },
    `arn:aws:cognito-identity:us-east-1:123456789012:identitypool/${IP_US}`,
  ],
  [
    'provider entry with a hard-coded Region (fixture)',
    loadFixture('fail/pool-region-mismatch--provider-name.json'),
    1,
    { ProviderName: `cognito-idp.us-east-1.amazonaws.com/${UP}`, expectedProviderName: `cognito-idp.eu-west-1.amazonaws.com/${UP}` },
    `arn:aws:cognito-identity:eu-west-1:123456789012:identitypool/${IP}`,
  ],
  [
    'the identity pool in another Region cannot be read: the id prefixes still decide',
    variant(loadFixture('fail/pool-region-mismatch.json'), (s) => {
      delete s.identityPool;
      delete s.identityPoolRoles;
      s.errors = [{ operation: 'cognito-identity:DescribeIdentityPool', resource: IP_US, code: 'AccessDeniedException' }];
    }),
    1,
    { identityPoolRegion: 'us-east-1' },
    `arn:aws:cognito-identity:us-east-1:123456789012:identitypool/${IP_US}`,
  ],
];

describe(`${CHECK}: fires`, () => {
  it.each(invalid)('%s', (_name, snapshot, count, evidence, resource) => {
    const r = runCheck(CHECK, snapshot);
    expect(r.status).toBe('fail');
    expect(r.ids).toEqual(Array(count).fill(ID));
    expect(r.findings[0]!.severity).toBe('error');
    expect(r.findings[0]!.resource).toBe(resource);
    expect(r.findings[0]!.evidence).toMatchObject(evidence);
  });

  it('the provider-name fix round-trips the identity pool with the real names', () => {
    const [finding] = runCheck(CHECK, loadFixture('fail/pool-region-mismatch--provider-name.json')).findings;
    const commands = finding!.fix.commands!;
    expect(commands[0]).toBe(`aws cognito-identity describe-identity-pool --region eu-west-1 --identity-pool-id ${IP} > identity-pool.json`);
    expect(commands[1]).toContain(`--argjson right '"cognito-idp.eu-west-1.amazonaws.com/${UP}"'`);
    expect(commands[2]).toBe('aws cognito-identity update-identity-pool --region eu-west-1 --cli-input-json file://identity-pool-fixed.json');
  });

  it("the Region fix creates the pool in the user pool's Region", () => {
    const [finding] = runCheck(CHECK, loadFixture('fail/pool-region-mismatch.json')).findings;
    expect(finding!.fix.commands![0]).toBe(
      'aws cognito-identity create-identity-pool --region eu-west-1 --identity-pool-name logs_prod_identity --no-allow-unauthenticated-identities',
    );
  });
});

describe(`${CHECK}: partial reads`, () => {
  it('DescribeIdentityPool denied and the prefixes agree → unknown, naming the permission', () => {
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
});

describe(`${CHECK}: problems`, () => {
  it('pools in two Regions: the Regions and the name of the identity pool to create', () => {
    const [problem] = problemsOf(check, loadFixture(`fail/${ID}.json`));
    expect(problem).toMatchObject({
      mode: ID,
      data: { why: 'pools-apart', userPoolId: UP, userPoolRegion: 'eu-west-1', identityPoolId: IP_US, identityPoolRegion: 'us-east-1' },
    });
  });

  it('a provider name of another Region: the entry and the name it should have', () => {
    const [problem] = problemsOf(check, loadFixture(`fail/${ID}--provider-name.json`));
    expect(problem).toMatchObject({
      mode: ID,
      data: {
        why: 'provider-name',
        identityPoolId: IP,
        ProviderName: `cognito-idp.us-east-1.amazonaws.com/${UP}`,
        expectedProviderName: `cognito-idp.eu-west-1.amazonaws.com/${UP}`,
      },
    });
  });
});
