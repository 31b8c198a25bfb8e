import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/index.js';
import { loadFixture, runCheck, variant } from '../helpers.js';
import { problemsOf } from '../../src/testing.js';
import check from '../../checks/user-pool-posture.js';

const CHECK = 'user-pool-posture';
const UP = 'eu-west-1_Xk2LmQp7A';
const fgac = loadFixture('healthy/opensearch-fgac.json');
const policy = (s: Snapshot) => s.userPool!.Policies!.PasswordPolicy!;

const valid: Array<[string, Snapshot]> = [
  ['healthy: optional MFA, 12 characters, four classes, 7 days', fgac],
  ['healthy legacy domain', loadFixture('healthy/legacy-es-kibana.json')],
  ['healthy custom endpoint', loadFixture('healthy/custom-endpoint.json')],
  ['healthy token groups', loadFixture('healthy/token-groups.json')],
  ['MFA required', variant(fgac, (s) => (s.userPool!.MfaConfiguration = 'ON'))],
  ['exactly 8 characters and three classes', variant(fgac, (s) => Object.assign(policy(s), { MinimumLength: 8, RequireSymbols: false }))],
  ['MinimumLength absent (the API default is 8)', variant(fgac, (s) => delete policy(s).MinimumLength)],
  ['TemporaryPasswordValidityDays absent', variant(fgac, (s) => delete policy(s).TemporaryPasswordValidityDays)],
  ['no PasswordPolicy in a hand-made snapshot: not judged', variant(fgac, (s) => delete s.userPool!.Policies)],
  ['threat protection off is not judged', variant(fgac, (s) => (s.userPool!.UserPoolAddOns = { AdvancedSecurityMode: 'OFF' }))],
  [
    'passwordless sign-in only (passkeys, email codes): MFA off and a weak password policy do not matter',
    variant(fgac, (s) => {
      s.userPool!.MfaConfiguration = 'OFF';
      Object.assign(policy(s), { MinimumLength: 6, RequireUppercase: false, RequireSymbols: false });
      s.userPool!.Policies!.SignInPolicy = { AllowedFirstAuthFactors: ['WEB_AUTHN', 'EMAIL_OTP'] };
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

const fieldsOf = (snapshot: Snapshot) => (runCheck(CHECK, snapshot).findings[0]!.evidence['weaknesses'] as Array<{ field: string }>).map((w) => w.field);

describe(`${CHECK}: user-pool-weak-auth`, () => {
  it.each([
    ['MFA off (fixture)', loadFixture('fail/user-pool-weak-auth.json'), ['MfaConfiguration']],
    [
      'weak password policy, MFA optional (fixture)',
      loadFixture('fail/user-pool-weak-auth--password-policy.json'),
      ['PasswordPolicy.MinimumLength', 'PasswordPolicy character classes', 'PasswordPolicy.TemporaryPasswordValidityDays'],
    ],
    ['MfaConfiguration absent means OFF', variant(fgac, (s) => delete s.userPool!.MfaConfiguration), ['MfaConfiguration']],
    [
      'two classes only',
      variant(fgac, (s) => Object.assign(policy(s), { RequireUppercase: false, RequireSymbols: false })),
      ['PasswordPolicy character classes'],
    ],
    ['temporary passwords valid 8 days', variant(fgac, (s) => (policy(s).TemporaryPasswordValidityDays = 8)), ['PasswordPolicy.TemporaryPasswordValidityDays']],
    [
      'MFA off where passkeys sit beside PASSWORD as first factors',
      variant(fgac, (s) => {
        s.userPool!.MfaConfiguration = 'OFF';
        s.userPool!.Policies!.SignInPolicy = { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] };
      }),
      ['MfaConfiguration'],
    ],
  ] as const)('%s', (_name, snapshot, fields) => {
    const r = runCheck(CHECK, snapshot);
    expect(r.status).toBe('fail');
    expect(r.ids).toEqual(['user-pool-weak-auth']);
    expect(r.findings[0]!.severity).toBe('warning');
    expect(fieldsOf(snapshot)).toEqual(fields);
  });

  it('MFA off and a weak password policy on a pool whose OpenSearch client offers only a SAML IdP: the IdP signs users in, nothing to report', () => {
    const saml = loadFixture('fail/admin-only-signup-blocks-federated--saml-only-mfa-off.json');
    expect(runCheck(CHECK, saml).status).toBe('pass');
    const weak = variant(saml, (s) => Object.assign(policy(s), { MinimumLength: 6, RequireUppercase: false, RequireSymbols: false }));
    expect(runCheck(CHECK, weak).ids).toEqual([]);
  });

  it('the same pool once COGNITO is back on the OpenSearch client: MFA off is reported', () => {
    const r = runCheck(
      CHECK,
      variant(loadFixture('fail/admin-only-signup-blocks-federated--saml-only-mfa-off.json'), (s) =>
        s.userPoolClients![0]!.SupportedIdentityProviders!.unshift('COGNITO'),
      ),
    );
    expect(r.ids).toEqual(['user-pool-weak-auth']);
  });

  it('app clients unreadable: the pool is judged as if it served passwords, and nothing is left unknown', () => {
    const off = (s: Snapshot) => {
      s.userPool!.MfaConfiguration = 'OFF';
      delete s.userPoolClients;
      s.errors = [{ operation: 'cognito-idp:ListUserPoolClients', resource: UP, code: 'AccessDeniedException' }];
    };
    expect(runCheck(CHECK, variant(fgac, off)).ids).toEqual(['user-pool-weak-auth']);
    expect(
      runCheck(
        CHECK,
        variant(fgac, (s) => {
          off(s);
          s.userPool!.MfaConfiguration = 'OPTIONAL';
        }),
      ).status,
    ).toBe('pass');
  });

  it('MFA off: the fix turns on optional TOTP MFA for the real pool', () => {
    const [finding] = runCheck(CHECK, loadFixture('fail/user-pool-weak-auth.json')).findings;
    expect(finding!.fix.commands).toEqual([
      `aws cognito-idp set-user-pool-mfa-config --region eu-west-1 --user-pool-id ${UP} --software-token-mfa-configuration Enabled=true --mfa-configuration OPTIONAL`,
    ]);
  });

  it('password policy: a round trip that edits only the weak fields', () => {
    const [finding] = runCheck(
      CHECK,
      variant(fgac, (s) => (policy(s).TemporaryPasswordValidityDays = 30)),
    ).findings;
    const commands = finding!.fix.commands!;
    expect(commands[0]).toContain(`describe-user-pool --region eu-west-1 --user-pool-id ${UP}`);
    expect(commands[1]).toContain('.Policies.PasswordPolicy.TemporaryPasswordValidityDays = 7');
    expect(commands[1]).not.toContain('MinimumLength =');
    expect(commands[2]).toContain('update-user-pool');
  });
});

describe(`${CHECK}: user-pool-no-deletion-protection`, () => {
  it.each([
    ['INACTIVE (fixture)', loadFixture('fail/user-pool-no-deletion-protection.json'), 'INACTIVE'],
    ['absent (the API default is INACTIVE)', variant(fgac, (s) => delete s.userPool!.DeletionProtection), null],
  ] as const)('%s', (_name, snapshot, value) => {
    const r = runCheck(CHECK, snapshot);
    expect(r.ids).toEqual(['user-pool-no-deletion-protection']);
    expect(r.findings[0]!.severity).toBe('warning');
    expect(r.findings[0]!.evidence).toMatchObject({ userPoolId: UP, DeletionProtection: value, domain: 'logs-prod' });
  });

  it('the fix is a round trip setting ACTIVE on the real pool', () => {
    const [finding] = runCheck(CHECK, loadFixture('fail/user-pool-no-deletion-protection.json')).findings;
    expect(finding!.resource).toBe(`arn:aws:cognito-idp:eu-west-1:123456789012:userpool/${UP}`);
    expect(finding!.fix.commands![1]).toContain('.DeletionProtection = "ACTIVE"');
  });

  it('both ids on one pool', () => {
    const r = runCheck(
      CHECK,
      variant(loadFixture('fail/user-pool-weak-auth.json'), (s) => (s.userPool!.DeletionProtection = 'INACTIVE')),
    );
    expect(r.ids.sort()).toEqual(['user-pool-no-deletion-protection', 'user-pool-weak-auth']);
  });
});

describe(`${CHECK}: partial reads`, () => {
  it('DescribeUserPool denied → unknown, naming the permission', () => {
    const r = runCheck(
      CHECK,
      variant(fgac, (s) => {
        delete s.userPool;
        s.errors = [{ operation: 'cognito-idp:DescribeUserPool', resource: UP, code: 'AccessDeniedException' }];
      }),
    );
    expect(r.status).toBe('unknown');
    expect(r.reason).toContain('cognito-idp:DescribeUserPool');
  });

  it('user pool deleted → not applicable', () => {
    expect(runCheck(CHECK, loadFixture('fail/user-pool-not-found.json')).status).toBe('not-applicable');
  });

  it('Cognito off → not applicable', () => {
    expect(runCheck(CHECK, loadFixture('fail/dashboards-auth-missing.json')).status).toBe('not-applicable');
  });
});

describe(`${CHECK}: problems and their wording`, () => {
  it('user-pool-weak-auth: the data the message is worded from', () => {
    const snapshot = loadFixture('fail/user-pool-weak-auth.json');
    expect(problemsOf(check, snapshot).find((p) => p.mode === 'user-pool-weak-auth')).toMatchObject({
      data: { weaknesses: [{ field: 'MfaConfiguration', value: 'OFF' }], MfaConfiguration: 'OFF' },
    });
    expect(runCheck(CHECK, snapshot).findings.find((f) => f.id === 'user-pool-weak-auth')!.message).toBe(
      'User pool eu-west-1_Xk2LmQp7A protects Dashboards logins weakly: MfaConfiguration is OFF (expected OPTIONAL or ON).',
    );
  });
  it('user-pool-no-deletion-protection: the data the message is worded from', () => {
    const snapshot = loadFixture('fail/user-pool-no-deletion-protection.json');
    expect(problemsOf(check, snapshot).find((p) => p.mode === 'user-pool-no-deletion-protection')).toMatchObject({
      data: { DeletionProtection: 'INACTIVE', domain: 'logs-prod' },
    });
    expect(runCheck(CHECK, snapshot).findings.find((f) => f.id === 'user-pool-no-deletion-protection')!.message).toBe(
      'User pool eu-west-1_Xk2LmQp7A, which domain logs-prod signs users in with, has no deletion protection (DeletionProtection is INACTIVE).',
    );
  });
});
