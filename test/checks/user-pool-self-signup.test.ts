import { describe, expect, it } from 'vitest';
import { loadFixture, runCheck, variant } from '../helpers.js';
import { problemsOf } from '../../src/testing.js';
import check from '../../checks/user-pool-self-signup.js';

const CHECK = 'user-pool-self-signup';
const ID = 'user-pool-self-signup';
const fgac = loadFixture('healthy/opensearch-fgac.json');
const legacy = loadFixture('healthy/legacy-es-kibana.json');
const UP = 'eu-west-1_Xk2LmQp7A';

describe(`${CHECK}: stays quiet`, () => {
  it.each([
    ['healthy OpenSearch domain', fgac],
    ['healthy legacy domain', legacy],
    [
      'admin-only with an unused-account validity',
      variant(fgac, (s) => (s.userPool!.AdminCreateUserConfig = { AllowAdminCreateUserOnly: true, UnusedAccountValidityDays: 7 })),
    ],
  ])('%s', (_name, snapshot) => {
    const r = runCheck(CHECK, snapshot);
    expect(r.ids).toEqual([]);
    expect(r.status).toBe('pass');
  });
});

describe(`${CHECK}: fires`, () => {
  it.each([
    ['self sign-up on (fixture)', loadFixture('fail/user-pool-self-signup.json'), { AllowAdminCreateUserOnly: false, fineGrainedAccessControl: true }],
    [
      'AdminCreateUserConfig absent: the API default allows sign-up',
      variant(fgac, (s) => delete s.userPool!.AdminCreateUserConfig),
      { AllowAdminCreateUserOnly: null },
    ],
    ['without FGAC', variant(legacy, (s) => (s.userPool!.AdminCreateUserConfig!.AllowAdminCreateUserOnly = false)), { fineGrainedAccessControl: false }],
  ])('%s', (_name, snapshot, evidence) => {
    const r = runCheck(CHECK, snapshot);
    expect(r.status).toBe('fail');
    expect(r.ids).toEqual([ID]);
    expect(r.findings[0]!.severity).toBe('warning');
    expect(r.findings[0]!.evidence).toMatchObject({ userPoolId: UP, ...evidence });
  });

  it('the message says whether FGAC limits what a new user gets', () => {
    expect(runCheck(CHECK, loadFixture('fail/user-pool-self-signup.json')).findings[0]!.message).toContain('fine-grained access control');
    const noFgac = variant(legacy, (s) => (s.userPool!.AdminCreateUserConfig!.AllowAdminCreateUserOnly = false));
    expect(runCheck(CHECK, noFgac).findings[0]!.message).toContain('Dashboards access');
  });

  it('the fix is a describe → edit → update round trip on the real pool', () => {
    const [finding] = runCheck(CHECK, loadFixture('fail/user-pool-self-signup.json')).findings;
    const commands = finding!.fix.commands!;
    expect(finding!.resource).toBe(`arn:aws:cognito-idp:eu-west-1:123456789012:userpool/${UP}`);
    expect(commands[0]).toBe(`aws cognito-idp describe-user-pool --region eu-west-1 --user-pool-id ${UP} --query UserPool > user-pool.json`);
    expect(commands[1]).toContain('.AdminCreateUserConfig.AllowAdminCreateUserOnly = true');
    expect(commands[1]).toContain('"AdminCreateUserConfig"');
    expect(commands[2]).toBe('aws cognito-idp update-user-pool --region eu-west-1 --cli-input-json file://user-pool-fixed.json');
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

  it('malformed user pool id → not applicable', () => {
    const r = runCheck(
      CHECK,
      variant(fgac, (s) => (s.domain.CognitoOptions!.UserPoolId = 'logs-prod-users')),
    );
    expect(r.status).toBe('not-applicable');
  });
});

describe(`${CHECK}: a fix that does not create admin-only-signup-blocks-federated`, () => {
  it('with an identity provider on the Dashboards client: a pre sign-up Lambda, no admin-only command', () => {
    const snapshot = variant(
      loadFixture('fail/federated-attribute-mapping-error.json'),
      (s) => (s.userPool!.AdminCreateUserConfig = { AllowAdminCreateUserOnly: false }),
    );
    expect(problemsOf(check, snapshot)).toMatchObject([{ mode: ID, data: { AllowAdminCreateUserOnly: false, federatedProviders: ['CorpEntraID'] } }]);
    const r = runCheck(CHECK, snapshot);
    expect(r.ids).toEqual([ID]);
    const fix = r.findings[0]!.fix;
    expect(fix.commands).toBeUndefined();
    expect(fix.summary).toMatch(/^Reject native self sign-ups with a pre sign-up Lambda .* sign-in through CorpEntraID keeps working/);
  });

  it('without one: the admin-only round trip as before', () => {
    expect(problemsOf(check, loadFixture('fail/user-pool-self-signup.json'))).toMatchObject([{ mode: ID, data: { federatedProviders: [] } }]);
    const fix = runCheck(CHECK, loadFixture('fail/user-pool-self-signup.json')).findings[0]!.fix;
    expect(fix.commands!.join('\n')).toContain('AllowAdminCreateUserOnly = true');
  });
});
