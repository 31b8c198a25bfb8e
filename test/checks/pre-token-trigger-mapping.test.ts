import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/index.js';
import preTokenTriggerMapping from '../../checks/pre-token-trigger-mapping.js';
import { problemsOf } from '../../src/testing.js';
import { loadFixture, runCheck, variant } from '../helpers.js';
import { ADMIN, CID, fgac, groups, IP, OS_KEY, POOL_ARN, UP } from './identity-helpers.js';

const CHECK = 'pre-token-trigger-mapping';
const ID = 'pre-token-trigger-without-token-mapping';
const LAMBDA = 'arn:aws:lambda:eu-west-1:123456789012:function:dashboards-role-claims';
const fixture = loadFixture(`fail/${ID}.json`);
const withTrigger = (base: Snapshot) =>
  variant(base, (s) => (s.userPool!.LambdaConfig = { PreTokenGenerationConfig: { LambdaArn: LAMBDA, LambdaVersion: 'V2_0' } }));
const withRules = variant(withTrigger(groups), (s) => {
  s.identityPoolRoles!.RoleMappings![OS_KEY] = {
    Type: 'Rules',
    AmbiguousRoleResolution: 'AuthenticatedRole',
    RulesConfiguration: { Rules: [{ Claim: 'cognito:groups', MatchType: 'Contains', Value: 'dashboards-admins', RoleARN: ADMIN }] },
  };
});

describe(`${CHECK}: stays quiet`, () => {
  it.each([
    ['no pre token generation trigger', fgac],
    ['a trigger with a Token mapping on the OpenSearch provider', withTrigger(groups)],
  ])('%s', (_name, snapshot) => {
    const r = runCheck(CHECK, snapshot);
    expect(r.ids).toEqual([]);
    expect(r.status).toBe('pass');
  });
});

describe(`${CHECK}: problems`, () => {
  it('a trigger and no role mapping (fixture)', () => {
    expect(problemsOf(preTokenTriggerMapping, fixture)).toEqual([
      {
        mode: ID,
        resource: POOL_ARN,
        data: {
          userPoolId: UP,
          identityPoolId: IP,
          domainName: 'logs-prod',
          openSearchClientId: CID,
          openSearchKey: OS_KEY,
          mapping: null,
          preTokenGenerationLambda: LAMBDA,
        },
        evidence: expect.objectContaining({ preTokenGenerationLambda: LAMBDA, lambdaVersion: 'V2_0', openSearchKey: OS_KEY, mapping: null }),
      },
    ]);
  });

  it('a trigger and a Rules mapping', () => {
    expect(problemsOf(preTokenTriggerMapping, withRules)).toMatchObject([{ mode: ID, data: { mapping: { Type: 'Rules' }, openSearchKey: OS_KEY } }]);
  });
});

describe(`${CHECK}: findings`, () => {
  it('without a mapping: a warning naming the missing mapping, and a roles round trip that sets Type Token', () => {
    const r = runCheck(CHECK, fixture);
    expect(r.status).toBe('fail');
    const [finding] = r.findings;
    expect(finding!.severity).toBe('warning');
    expect(finding!.message).toBe(
      `User pool ${UP} runs the pre token generation Lambda ${LAMBDA}, but identity pool ${IP} has no role mapping for ${OS_KEY}, so any cognito:preferred_role or cognito:roles the Lambda sets is ignored and users get the default authenticated role.`,
    );
    expect(finding!.fix.commands![0]).toBe(
      `aws cognito-identity get-identity-pool-roles --region eu-west-1 --identity-pool-id ${IP} > identity-pool-roles.json`,
    );
    expect(finding!.fix.commands!.join('\n')).toContain('.Type = "Token"');
    expect(finding!.fix.steps).toContain('Check one user: cogdoctor trace logs-prod --claims claims.json, with the cognito:preferred_role the Lambda sets.');
  });

  it('with Rules: the message names the mapping type', () => {
    expect(runCheck(CHECK, withRules).findings[0]!.message).toMatch(
      /the role mapping of .* is Type Rules, so cognito:preferred_role and cognito:roles from the Lambda are ignored\.$/,
    );
  });
});
