import { describe, expect, it } from 'vitest';
import { problemsOf, runCheck, testCheck, variant } from '../../src/testing.js';
import check from '../../checks/identity-pool-guest-role.js';
import { loadFixture } from '../helpers.js';

const IP = 'eu-west-1:5f0c7a3e-2b1d-4e8f-9a6c-3d7e1b2f4a90';
const AUTH = 'arn:aws:iam::123456789012:role/Cognito_logsprodAuth_Role';
const UNAUTH = 'arn:aws:iam::123456789012:role/Cognito_logsprodUnauth_Role';

const healthy = loadFixture('healthy/opensearch-fgac.json');
const shared = loadFixture('fail/guests-get-authenticated-role.json');
const separateGuestRole = loadFixture('fail/unauth-identities-enabled.json');

testCheck(
  check,
  {
    valid: [
      { name: 'guest access off (healthy)', snapshot: healthy, status: 'pass' },
      { name: 'token-based group roles (healthy)', snapshot: loadFixture('healthy/token-groups.json'), status: 'pass' },
      { name: 'legacy Elasticsearch domain (healthy)', snapshot: loadFixture('healthy/legacy-es-kibana.json'), status: 'pass' },
      { name: 'custom endpoint (healthy)', snapshot: loadFixture('healthy/custom-endpoint.json'), status: 'pass' },
      { name: 'guest access on with a separate guest role', snapshot: separateGuestRole, status: 'pass' },
      { name: 'guest access on without a guest role', snapshot: variant(shared, (s) => delete s.identityPoolRoles!.Roles!['unauthenticated']), status: 'pass' },
      {
        name: 'the same role in both slots while guest access is off',
        snapshot: variant(shared, (s) => (s.identityPool!.AllowUnauthenticatedIdentities = false)),
        status: 'pass',
      },
      {
        name: 'guest access off and the roles unreadable: nothing to decide',
        snapshot: variant(shared, (s) => {
          s.identityPool!.AllowUnauthenticatedIdentities = false;
          delete s.identityPoolRoles;
          s.errors = [{ operation: 'cognito-identity:GetIdentityPoolRoles', resource: IP, code: 'AccessDeniedException' }];
        }),
        status: 'pass',
      },
    ],
    invalid: [
      { name: 'guest role is the users’ role (fixture)', snapshot: shared, ids: ['guests-get-authenticated-role'], severity: 'warning' },
      {
        name: 'the same role spelled in another case',
        snapshot: variant(
          shared,
          (s) => (s.identityPoolRoles!.Roles!['unauthenticated'] = AUTH.replace('Cognito_logsprodAuth_Role', 'cognito_logsprodauth_role')),
        ),
        ids: ['guests-get-authenticated-role'],
        severity: 'warning',
      },
      {
        name: 'with the basic (classic) flow on',
        snapshot: variant(shared, (s) => (s.identityPool!.AllowClassicFlow = true)),
        ids: ['guests-get-authenticated-role'],
        severity: 'warning',
      },
    ],
  },
  { describe, it },
);

describe('identity-pool-guest-role: data', () => {
  it('names the pool, the shared role and the flow', () => {
    expect(problemsOf(check, shared)).toMatchObject([
      { mode: 'guests-get-authenticated-role', data: { identityPoolId: IP, RoleArn: AUTH, AllowUnauthenticatedIdentities: true, AllowClassicFlow: false } },
    ]);
    const classic = variant(shared, (s) => (s.identityPool!.AllowClassicFlow = true));
    expect(problemsOf(check, classic)[0]!.data).toMatchObject({ AllowClassicFlow: true });
  });

  it('evidence carries both role slots under their API names', () => {
    const [finding] = runCheck(check, shared).findings;
    expect(finding!.evidence).toMatchObject({ AllowUnauthenticatedIdentities: true, Roles: { authenticated: AUTH, unauthenticated: AUTH } });
    expect(finding!.resource).toBe(`arn:aws:cognito-identity:eu-west-1:123456789012:identitypool/${IP}`);
  });

  it('a different guest role is not confused with the users’ role', () => {
    expect(
      problemsOf(
        check,
        variant(shared, (s) => (s.identityPoolRoles!.Roles!['unauthenticated'] = UNAUTH)),
      ),
    ).toEqual([]);
  });

  it('guest access on and the roles unreadable: unknown, naming the permission', () => {
    const r = runCheck(
      check,
      variant(shared, (s) => {
        delete s.identityPoolRoles;
        s.errors = [{ operation: 'cognito-identity:GetIdentityPoolRoles', resource: IP, code: 'AccessDeniedException' }];
      }),
    );
    expect(r.ids).toEqual([]);
    expect(r.status).toBe('unknown');
    expect(r.reason).toContain('cognito-identity:GetIdentityPoolRoles');
  });

  it('Cognito off: not applicable', () => {
    const r = runCheck(
      check,
      variant(shared, (s) => {
        s.domain.CognitoOptions = { Enabled: false };
      }),
    );
    expect(r.ids).toEqual([]);
    expect(r.status).not.toBe('fail');
  });
});
