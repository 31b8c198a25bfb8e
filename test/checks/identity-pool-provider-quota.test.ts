import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/index.js';
import { loadFixture, runCheck, variant } from '../helpers.js';

const CHECK = 'identity-pool-provider-quota';
const ID = 'identity-pool-provider-limit';
const IP = 'eu-west-1:5f0c7a3e-2b1d-4e8f-9a6c-3d7e1b2f4a90';
const fgac = loadFixture('healthy/opensearch-fgac.json');

/** The healthy pool with `count` providers in all (the OpenSearch one first). */
function providers(count: number, base: Snapshot = fgac): Snapshot {
  return variant(base, (s) => {
    const first = s.identityPool!.CognitoIdentityProviders![0]!;
    s.identityPool!.CognitoIdentityProviders = [
      first,
      ...Array.from({ length: count - 1 }, (_, i) => ({ ...first, ClientId: `${i}x${first.ClientId!.slice(2)}` })),
    ];
  });
}

const valid: Array<[string, Snapshot]> = [
  ['one provider (healthy)', fgac],
  ['nine providers: one below the quota', providers(9)],
  ['nine providers while the domain is Processing for another reason', variant(providers(9), (s) => (s.domain.Processing = true))],
  ['no provider list at all', variant(fgac, (s) => delete s.identityPool!.CognitoIdentityProviders)],
  ['the legacy domain', loadFixture('healthy/legacy-es-kibana.json')],
];

describe(`${CHECK}: stays quiet`, () => {
  it.each(valid)('%s', (_name, snapshot) => {
    const r = runCheck(CHECK, snapshot);
    expect(r).toMatchObject({ status: 'pass', ids: [] });
  });
});

describe(`${CHECK}: fires`, () => {
  it('ten providers and the domain stuck in Processing (fixture)', () => {
    const r = runCheck(CHECK, loadFixture('fail/identity-pool-provider-limit.json'));
    expect(r.ids).toEqual([ID]);
    const [finding] = r.findings;
    expect(finding!.severity).toBe('warning');
    expect(finding!.message).toContain('stuck in Processing');
    expect(finding!.evidence).toMatchObject({ identityPoolId: IP, providers: 10, quota: 10, Processing: true });
    expect(finding!.resource).toBe(`arn:aws:cognito-identity:eu-west-1:123456789012:identitypool/${IP}`);
  });

  it('twelve providers on a settled domain: the next domain is at risk (fixture)', () => {
    const r = runCheck(CHECK, loadFixture('fail/identity-pool-provider-limit--not-processing.json'));
    expect(r.ids).toEqual([ID]);
    expect(r.findings[0]!.severity).toBe('warning');
    expect(r.findings[0]!.message).toContain('the next domain');
    expect(r.findings[0]!.evidence).toMatchObject({ providers: 12, Processing: false });
  });

  it('exactly ten providers, domain settled', () => {
    expect(runCheck(CHECK, providers(10)).ids).toEqual([ID]);
  });

  it('the fix lists the providers of the real identity pool', () => {
    const [finding] = runCheck(CHECK, loadFixture('fail/identity-pool-provider-limit.json')).findings;
    expect(finding!.fix.commands).toEqual([
      `aws cognito-identity describe-identity-pool --region eu-west-1 --identity-pool-id ${IP} --query CognitoIdentityProviders`,
    ]);
  });
});

describe(`${CHECK}: partial reads`, () => {
  it('DescribeIdentityPool denied → unknown, naming the permission', () => {
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

  it('identity pool deleted → not applicable (identity-pool-not-found reports it)', () => {
    expect(runCheck(CHECK, loadFixture('fail/identity-pool-not-found.json')).status).toBe('not-applicable');
  });
});
