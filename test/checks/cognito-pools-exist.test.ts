import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/index.js';
import { problemsOf } from '../../src/testing.js';
import check from '../../checks/cognito-pools-exist.js';
import { loadFixture, runCheck, variant } from '../helpers.js';

const CHECK = 'cognito-pools-exist';
const fgac = loadFixture('healthy/opensearch-fgac.json');
const UP = 'eu-west-1_Xk2LmQp7A';
const IP = 'eu-west-1:5f0c7a3e-2b1d-4e8f-9a6c-3d7e1b2f4a90';
const DOMAIN_ARN = 'arn:aws:es:eu-west-1:123456789012:domain/logs-prod';

function userPoolGone(s: Snapshot, code = 'ResourceNotFoundException'): void {
  delete s.userPool;
  delete s.userPoolClients;
  delete s.userPoolGroups;
  s.errors = [...(s.errors ?? []), { operation: 'cognito-idp:DescribeUserPool', resource: UP, code, message: `User pool ${UP} does not exist.` }];
}

function identityPoolGone(s: Snapshot, code = 'ResourceNotFoundException'): void {
  delete s.identityPool;
  delete s.identityPoolRoles;
  s.errors = [...(s.errors ?? []), { operation: 'cognito-identity:DescribeIdentityPool', resource: IP, code, message: `IdentityPool '${IP}' not found.` }];
}

describe(`${CHECK}: stays quiet`, () => {
  it.each([
    ['healthy OpenSearch domain', fgac],
    ['healthy legacy domain', loadFixture('healthy/legacy-es-kibana.json')],
    ['a failed read of something else (GetRole) is not a missing pool', loadFixture('partial/getrole-denied.json')],
    [
      'pools in another Region than the domain',
      variant(fgac, (s) => {
        s.domain.CognitoOptions!.UserPoolId = 'us-east-1_Xk2LmQp7A';
        s.domain.CognitoOptions!.IdentityPoolId = 'us-east-1:5f0c7a3e-2b1d-4e8f-9a6c-3d7e1b2f4a90';
      }),
    ],
    ['GovCloud ids', variant(fgac, (s) => (s.domain.CognitoOptions!.UserPoolId = 'us-gov-west-1_Xk2LmQp7A'))],
  ])('%s', (_name, snapshot) => {
    const r = runCheck(CHECK, snapshot);
    expect(r.ids).toEqual([]);
    expect(r.status).toBe('pass');
  });
});

const invalid: Array<[string, Snapshot, string[], Record<string, unknown>]> = [
  [
    'user pool deleted (fixture)',
    loadFixture('fail/user-pool-not-found.json'),
    ['user-pool-not-found'],
    { UserPoolId: UP, code: 'ResourceNotFoundException', region: 'eu-west-1' },
  ],
  [
    'identity pool deleted (fixture)',
    loadFixture('fail/identity-pool-not-found.json'),
    ['identity-pool-not-found'],
    { IdentityPoolId: IP, code: 'ResourceNotFoundException' },
  ],
  [
    'both deleted',
    variant(fgac, (s) => {
      userPoolGone(s);
      identityPoolGone(s);
    }),
    ['identity-pool-not-found', 'user-pool-not-found'],
    {},
  ],
  [
    "user pool id is the pool's ARN",
    variant(fgac, (s) => {
      s.domain.CognitoOptions!.UserPoolId = `arn:aws:cognito-idp:eu-west-1:123456789012:userpool/${UP}`;
      delete s.userPool;
      s.errors = [{ operation: 'cognito-idp:DescribeUserPool', code: 'UnknownEndpoint', message: 'Inaccessible host' }];
    }),
    ['user-pool-not-found'],
    { UserPoolId: `arn:aws:cognito-idp:eu-west-1:123456789012:userpool/${UP}` },
  ],
  [
    "user pool id is the pool's name, even with the pool still in the snapshot",
    variant(fgac, (s) => (s.domain.CognitoOptions!.UserPoolId = 'logs-prod-users')),
    ['user-pool-not-found'],
    { UserPoolId: 'logs-prod-users', expectedFormat: '<region>_<id>, for example eu-west-1_Xk2LmQp7A' },
  ],
  [
    "identity pool id is the pool's name",
    variant(fgac, (s) => {
      s.domain.CognitoOptions!.IdentityPoolId = 'logs_prod_identity';
      delete s.identityPool;
      delete s.identityPoolRoles;
      s.errors = [{ operation: 'cognito-identity:DescribeIdentityPool', resource: 'logs_prod_identity', code: 'InvalidParameterException' }];
    }),
    ['identity-pool-not-found'],
    { IdentityPoolId: 'logs_prod_identity' },
  ],
  ['no UserPoolId at all', variant(fgac, (s) => delete s.domain.CognitoOptions!.UserPoolId), ['user-pool-not-found'], { UserPoolId: null }],
];

describe(`${CHECK}: fires`, () => {
  it.each(invalid)('%s', (_name, snapshot, ids, evidence) => {
    const r = runCheck(CHECK, snapshot);
    expect(r.status).toBe('fail');
    expect([...r.ids].sort()).toEqual(ids);
    for (const finding of r.findings) {
      expect(finding.severity).toBe('error');
      expect(finding.resource).toBe(DOMAIN_ARN);
    }
    expect(r.findings[0]!.evidence).toMatchObject(evidence);
  });

  it('the fix lists the pools of the Region and re-points the Cognito options, keeping the other ids', () => {
    const [finding] = runCheck(CHECK, loadFixture('fail/user-pool-not-found.json')).findings;
    expect(finding!.fix.commands).toEqual([
      "aws cognito-idp list-user-pools --region eu-west-1 --max-results 60 --query 'UserPools[].[Id,Name]' --output text",
      `aws opensearch update-domain-config --region eu-west-1 --domain-name logs-prod --cognito-options '{"Enabled":true,"UserPoolId":"<user-pool-id>","IdentityPoolId":"${IP}","RoleArn":"arn:aws:iam::123456789012:role/service-role/CognitoAccessForAmazonOpenSearch"}'`,
    ]);
  });
});

describe(`${CHECK}: partial reads`, () => {
  it('DescribeUserPool denied → unknown, naming the permission', () => {
    const r = runCheck(
      CHECK,
      variant(fgac, (s) => userPoolGone(s, 'AccessDeniedException')),
    );
    expect(r.status).toBe('unknown');
    expect(r.reason).toContain('cognito-idp:DescribeUserPool');
  });

  it('DescribeIdentityPool denied → unknown, naming the permission', () => {
    const r = runCheck(
      CHECK,
      variant(fgac, (s) => identityPoolGone(s, 'AccessDeniedException')),
    );
    expect(r.status).toBe('unknown');
    expect(r.reason).toContain('cognito-identity:DescribeIdentityPool');
  });

  it('a pool absent without a recorded error → unknown', () => {
    const r = runCheck(
      CHECK,
      variant(fgac, (s) => delete s.userPool),
    );
    expect(r.status).toBe('unknown');
  });

  it('one pool unreadable, the other not found → the finding, with the gap as a note', () => {
    const r = runCheck(
      CHECK,
      variant(fgac, (s) => {
        userPoolGone(s, 'AccessDeniedException');
        identityPoolGone(s);
      }),
    );
    expect(r.ids).toEqual(['identity-pool-not-found']);
    expect(r.reason).toContain('cognito-idp:DescribeUserPool');
  });

  it('Cognito off → not applicable', () => {
    expect(
      runCheck(
        CHECK,
        variant(fgac, (s) => (s.domain.CognitoOptions = { Enabled: false })),
      ).status,
    ).toBe('not-applicable');
  });
});

describe(`${CHECK}: problems`, () => {
  it('a pool that is gone carries what the read answered; a malformed id carries none', () => {
    const [gone] = problemsOf(check, loadFixture('fail/user-pool-not-found.json'));
    expect(gone).toMatchObject({
      mode: 'user-pool-not-found',
      resource: DOMAIN_ARN,
      data: { poolId: UP, region: 'eu-west-1', code: 'ResourceNotFoundException' },
    });
    const [malformed] = problemsOf(
      check,
      variant(fgac, (s) => (s.domain.CognitoOptions!.IdentityPoolId = 'not-a-pool')),
    );
    expect(malformed).toMatchObject({ mode: 'identity-pool-not-found', data: { poolId: 'not-a-pool' } });
    expect((malformed!.data as { code?: string }).code).toBeUndefined();
  });
});
