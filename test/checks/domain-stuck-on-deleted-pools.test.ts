import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/index.js';
import { loadFixture, runCheck, variant } from '../helpers.js';

const CHECK = 'domain-stuck-on-deleted-pools';
const ID = 'cognito-resources-deleted-before-domain';
const UP = 'eu-west-1_Xk2LmQp7A';
const IP = 'eu-west-1:5f0c7a3e-2b1d-4e8f-9a6c-3d7e1b2f4a90';
const fgac = loadFixture('healthy/opensearch-fgac.json');
const processing = (s: Snapshot) => variant(s, (x) => (x.domain.Processing = true));

const valid: Array<[string, Snapshot]> = [
  ['healthy, settled', fgac],
  ['in Processing, both pools exist', processing(fgac)],
  ['the user pool is gone but the domain is settled: user-pool-not-found says it', loadFixture('fail/user-pool-not-found.json')],
  ['the identity pool is gone, domain settled', loadFixture('fail/identity-pool-not-found.json')],
  [
    'in Processing with a malformed pool id: cognito-pools-exist reports the id',
    variant(processing(loadFixture('fail/user-pool-not-found.json')), (s) => (s.domain.CognitoOptions!.UserPoolId = 'not-a-pool')),
  ],
];

describe(`${CHECK}: stays quiet`, () => {
  it.each(valid)('%s', (_name, snapshot) => {
    expect(runCheck(CHECK, snapshot)).toMatchObject({ status: 'pass', ids: [] });
  });
});

describe(`${CHECK}: fires`, () => {
  it('user pool deleted, domain in Processing (fixture)', () => {
    const r = runCheck(CHECK, loadFixture('fail/cognito-resources-deleted-before-domain.json'));
    expect(r.ids).toEqual([ID]);
    const [finding] = r.findings;
    expect(finding!.severity).toBe('error');
    expect(finding!.resource).toBe('arn:aws:es:eu-west-1:123456789012:domain/logs-prod');
    expect(finding!.message).toContain(`user pool ${UP}`);
    expect(finding!.evidence).toMatchObject({
      Processing: true,
      deleted: [{ kind: 'user pool', id: UP, code: 'ResourceNotFoundException' }],
      change: { ConfigChangeStatus: 'ApplyingChanges', StartTime: '2026-11-19T16:02:00.000Z' },
    });
  });

  it('identity pool deleted, domain in Processing (fixture)', () => {
    const r = runCheck(CHECK, loadFixture('fail/cognito-resources-deleted-before-domain--identity-pool.json'));
    expect(r.ids).toEqual([ID]);
    expect(r.findings[0]!.evidence).toMatchObject({ deleted: [{ kind: 'identity pool', id: IP }] });
  });

  it('both pools gone: one finding naming both', () => {
    const s = variant(loadFixture('fail/cognito-resources-deleted-before-domain.json'), (x) => {
      delete x.identityPool;
      delete x.identityPoolRoles;
      x.errors = [
        ...(x.errors ?? []),
        { operation: 'cognito-identity:DescribeIdentityPool', resource: IP, code: 'ResourceNotFoundException', message: `IdentityPool '${IP}' not found.` },
      ];
    });
    const r = runCheck(CHECK, s);
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]!.message).toContain(`user pool ${UP} and identity pool ${IP}, which no longer exist`);
  });

  it('the fix turns Cognito off on the real domain and follows the change', () => {
    const [finding] = runCheck(CHECK, loadFixture('fail/cognito-resources-deleted-before-domain.json')).findings;
    expect(finding!.fix.commands).toEqual([
      `aws opensearch update-domain-config --region eu-west-1 --domain-name logs-prod --cognito-options '{"Enabled":false}'`,
      'aws opensearch describe-domain-change-progress --region eu-west-1 --domain-name logs-prod',
    ]);
  });
});

describe(`${CHECK}: partial reads`, () => {
  it('in Processing and DescribeUserPool denied → unknown, naming the permission', () => {
    const r = runCheck(
      CHECK,
      variant(
        processing(loadFixture('fail/user-pool-not-found.json')),
        (s) => (s.errors = [{ operation: 'cognito-idp:DescribeUserPool', resource: UP, code: 'AccessDeniedException' }]),
      ),
    );
    expect(r.status).toBe('unknown');
    expect(r.reason).toContain('cognito-idp:DescribeUserPool');
  });

  it('in Processing and the identity pool simply absent → unknown', () => {
    const r = runCheck(
      CHECK,
      variant(processing(fgac), (s) => delete s.identityPool),
    );
    expect(r.status).toBe('unknown');
    expect(r.reason).toContain('cognito-identity:DescribeIdentityPool');
  });

  it('Cognito off → not applicable', () => {
    expect(runCheck(CHECK, loadFixture('fail/dashboards-auth-missing.json')).status).toBe('not-applicable');
  });
});
