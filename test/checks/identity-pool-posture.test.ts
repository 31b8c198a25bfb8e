import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/index.js';
import { problemsOf } from '../../src/testing.js';
import check from '../../checks/identity-pool-posture.js';
import { loadFixture, runCheck, variant } from '../helpers.js';
import { custom, fgac, groups, IP, legacy, POOL_ARN, UNAUTH } from './identity-helpers.js';

const CHECK = 'identity-pool-posture';

const valid: Array<[string, Snapshot]> = [
  ['healthy OpenSearch domain', fgac],
  ['healthy custom endpoint', custom],
  ['healthy legacy Elasticsearch domain', legacy],
  ['healthy token-based mapping', groups],
  [
    'flags absent (the API defaults them to false)',
    variant(fgac, (s) => {
      delete s.identityPool!.AllowClassicFlow;
    }),
  ],
  ['an unauthenticated role set while guest access is off', variant(fgac, (s) => (s.identityPoolRoles!.Roles!['unauthenticated'] = UNAUTH))],
];

describe(`${CHECK}: stays quiet`, () => {
  it.each(valid)('%s', (_name, snapshot) => {
    const r = runCheck(CHECK, snapshot);
    expect(r.ids).toEqual([]);
    expect(r.status).toBe('pass');
  });
});

describe(`${CHECK}: fires`, () => {
  it('guest access re-enabled (fixture)', () => {
    const r = runCheck(CHECK, loadFixture('fail/unauth-identities-enabled.json'));
    expect(r.ids).toEqual(['unauth-identities-enabled']);
    const [finding] = r.findings;
    expect(finding!.severity).toBe('warning');
    expect(finding!.resource).toBe(POOL_ARN);
    expect(finding!.evidence).toEqual({ identityPoolId: IP, AllowUnauthenticatedIdentities: true, unauthenticatedRole: UNAUTH });
    expect(finding!.message).toContain('Cognito_logsprodUnauth_Role');
  });

  it('classic flow enabled (fixture)', () => {
    const r = runCheck(CHECK, loadFixture('fail/classic-flow-enabled.json'));
    expect(r.ids).toEqual(['classic-flow-enabled']);
    expect(r.findings[0]!.severity).toBe('warning');
    expect(r.findings[0]!.evidence).toMatchObject({ AllowClassicFlow: true });
  });

  it('both at once', () => {
    const r = runCheck(
      CHECK,
      variant(fgac, (s) => {
        s.identityPool!.AllowClassicFlow = true;
        s.identityPool!.AllowUnauthenticatedIdentities = true;
      }),
    );
    expect(r.ids.sort()).toEqual(['classic-flow-enabled', 'unauth-identities-enabled']);
  });

  it('guest access on, roles unreadable: still reported (the flag decides)', () => {
    const r = runCheck(
      CHECK,
      variant(loadFixture('fail/unauth-identities-enabled.json'), (s) => {
        delete s.identityPoolRoles;
        s.errors = [{ operation: 'cognito-identity:GetIdentityPoolRoles', resource: IP, code: 'AccessDeniedException' }];
      }),
    );
    expect(r.ids).toEqual(['unauth-identities-enabled']);
    expect(r.findings[0]!.evidence['unauthenticatedRole']).toBeNull();
  });

  it('guest access on but no unauthenticated role: info, guests get no credentials', () => {
    const r = runCheck(
      CHECK,
      variant(loadFixture('fail/unauth-identities-enabled.json'), (s) => delete s.identityPoolRoles!.Roles!['unauthenticated']),
    );
    expect(r.ids).toEqual(['unauth-identities-enabled']);
    expect(r.findings[0]!.severity).toBe('info');
    expect(r.findings[0]!.message).toMatch(/has no unauthenticated role, so guests get an identity id and no AWS credentials/);
    expect(r.findings[0]!.evidence['unauthenticatedRole']).toBeNull();
  });

  it('guest access on, no unauthenticated role, basic flow on: still a warning (OpenID tokens of guests)', () => {
    const r = runCheck(
      CHECK,
      variant(loadFixture('fail/unauth-identities-enabled.json'), (s) => {
        delete s.identityPoolRoles!.Roles!['unauthenticated'];
        s.identityPool!.AllowClassicFlow = true;
      }),
    );
    const finding = r.findings.find((f) => f.id === 'unauth-identities-enabled')!;
    expect(finding.severity).toBe('warning');
    expect(finding.message).toMatch(/GetOpenIdToken/);
  });

  it('guest access on, roles unreadable: a warning (which role guests get is not known)', () => {
    const r = runCheck(
      CHECK,
      variant(loadFixture('fail/unauth-identities-enabled.json'), (s) => {
        delete s.identityPoolRoles;
        s.errors = [{ operation: 'cognito-identity:GetIdentityPoolRoles', resource: IP, code: 'AccessDeniedException' }];
      }),
    );
    expect(r.findings[0]!.severity).toBe('warning');
  });

  it('the fixes are identity-pool round trips with the real pool id', () => {
    const [finding] = runCheck(CHECK, loadFixture('fail/unauth-identities-enabled.json')).findings;
    expect(finding!.fix.commands).toEqual([
      `aws cognito-identity describe-identity-pool --region eu-west-1 --identity-pool-id ${IP} > identity-pool.json`,
      `jq '.AllowUnauthenticatedIdentities = false' identity-pool.json > identity-pool-fixed.json`,
      'aws cognito-identity update-identity-pool --region eu-west-1 --cli-input-json file://identity-pool-fixed.json',
    ]);
    const classic = runCheck(CHECK, loadFixture('fail/classic-flow-enabled.json')).findings[0]!;
    expect(classic.fix.commands![1]).toBe(`jq '.AllowClassicFlow = false' identity-pool.json > identity-pool-fixed.json`);
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

  it('identity pool missing from the snapshot → unknown', () => {
    const r = runCheck(
      CHECK,
      variant(fgac, (s) => delete s.identityPool),
    );
    expect(r.status).toBe('unknown');
  });

  it('Cognito off → not applicable', () => {
    const r = runCheck(
      CHECK,
      variant(fgac, (s) => {
        s.domain.CognitoOptions = { Enabled: false };
        s.identityPool = null;
      }),
    );
    expect(r.status).toBe('not-applicable');
  });
});

describe(`${CHECK}: problems`, () => {
  it('guest access: the guest role, whether the roles were read, and the basic flow', () => {
    const [problem] = problemsOf(check, loadFixture('fail/unauth-identities-enabled.json'));
    expect(problem).toMatchObject({
      mode: 'unauth-identities-enabled',
      data: { identityPoolId: IP, unauthenticatedRole: UNAUTH, rolesRead: true, AllowClassicFlow: false },
    });
    expect(problem!.severity).toBeUndefined();
  });

  it('guest access with no guest role and the basic flow off is info', () => {
    const snapshot = variant(fgac, (s) => {
      s.identityPool!.AllowUnauthenticatedIdentities = true;
      delete s.identityPoolRoles!.Roles!['unauthenticated'];
    });
    const [problem] = problemsOf(check, snapshot);
    expect(problem).toMatchObject({
      mode: 'unauth-identities-enabled',
      severity: 'info',
      data: { unauthenticatedRole: null, rolesRead: true, AllowClassicFlow: false },
    });
  });
});
