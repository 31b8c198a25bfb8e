import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/index.js';
import federatedGroupRoles from '../../checks/federated-group-roles.js';
import { problemsOf } from '../../src/testing.js';
import { loadFixture, runCheck, variant } from '../helpers.js';
import { ADMIN, AUTH, fgac, groups, OS_KEY, UP } from './identity-helpers.js';

const CHECK = 'federated-group-roles';
const ID = 'group-role-escalation';
const AUTO = `${UP}_CorpEntraID`;
const fixture = loadFixture('fail/group-role-escalation.json');

const autoGroup = (s: Snapshot) => s.userPoolGroups!.find((g) => g.GroupName === AUTO)!;

const valid: Array<[string, Snapshot]> = [
  ['healthy token groups (role-bearing groups alone are not reported)', groups],
  ['healthy OpenSearch domain', fgac],
  ['the auto-group without a role', variant(fixture, (s) => delete autoGroup(s).RoleArn)],
  ['the auto-group carries the authenticated role everyone gets anyway', variant(fixture, (s) => (autoGroup(s).RoleArn = AUTH))],
  ['no Token mapping: group roles are not handed out', variant(fixture, (s) => delete s.identityPoolRoles!.RoleMappings)],
  [
    'Rules mapping',
    variant(fixture, (s) => {
      s.identityPoolRoles!.RoleMappings![OS_KEY] = {
        Type: 'Rules',
        AmbiguousRoleResolution: 'AuthenticatedRole',
        RulesConfiguration: { Rules: [{ Claim: 'cognito:groups', MatchType: 'Contains', Value: 'dashboards-admins', RoleARN: ADMIN }] },
      };
    }),
  ],
  ['a group named after another pool', variant(fixture, (s) => (autoGroup(s).GroupName = 'eu-west-1_Ab9Cd8Ef7_CorpEntraID'))],
  ['a group named exactly like the pool id, without a provider part', variant(fixture, (s) => (autoGroup(s).GroupName = `${UP}_`))],
];

describe(`${CHECK}: stays quiet`, () => {
  it.each(valid)('%s', (_name, snapshot) => {
    const r = runCheck(CHECK, snapshot);
    expect(r.ids).toEqual([]);
    expect(r.status).toBe('pass');
  });
});

describe(`${CHECK}: fires`, () => {
  it.each([
    ['the CorpEntraID auto-group carries the admin role (fixture)', fixture, { providerName: 'CorpEntraID', providerConfigured: true }],
    [
      'the authenticated role under Deny: federated users get a role they would be denied',
      variant(fixture, (s) => {
        autoGroup(s).RoleArn = AUTH;
        s.identityPoolRoles!.RoleMappings![OS_KEY]!.AmbiguousRoleResolution = 'Deny';
      }),
      { AmbiguousRoleResolution: 'Deny' },
    ],
    ['identity providers not collected', variant(fixture, (s) => delete s.identityProviders), { providerConfigured: null }],
  ] as const)('%s', (_name, snapshot, evidence) => {
    const r = runCheck(CHECK, snapshot);
    expect(r.status).toBe('fail');
    expect(r.ids).toEqual([ID]);
    expect(r.findings[0]!.severity).toBe('warning');
    expect(r.findings[0]!.resource).toBe(`arn:aws:cognito-idp:eu-west-1:123456789012:userpool/${UP}`);
    expect(r.findings[0]!.evidence).toMatchObject({ userPoolId: UP, Type: 'Token', ...evidence });
  });

  it('a pre-created group for a provider that does not exist yet', () => {
    const r = runCheck(
      CHECK,
      variant(fixture, (s) => (autoGroup(s).GroupName = `${UP}_Google`)),
    );
    expect(r.findings[0]!.evidence).toMatchObject({ providerName: 'Google', providerConfigured: false });
    expect(r.findings[0]!.message).toContain('no provider Google is configured today');
  });

  it('the fix re-sends the group without its role, keeping its precedence', () => {
    const [finding] = runCheck(CHECK, fixture).findings;
    expect(finding!.fix.commands).toEqual([`aws cognito-idp update-group --region eu-west-1 --user-pool-id ${UP} --group-name ${AUTO} --precedence 0`]);
  });

  it('the mode is a warning resting on a secondary source', async () => {
    const { check } = await import('../helpers.js');
    expect(check(CHECK).modes[0]).toMatchObject({ id: ID, severity: 'warning', inferred: true });
    expect(check(CHECK).description).toContain('secondary source');
  });
});

describe(`${CHECK}: partial reads`, () => {
  it('ListGroups denied → unknown, naming the permission', () => {
    const r = runCheck(
      CHECK,
      variant(fixture, (s) => {
        delete s.userPoolGroups;
        s.errors = [{ operation: 'cognito-idp:ListGroups', resource: UP, code: 'AccessDeniedException' }];
      }),
    );
    expect(r.status).toBe('unknown');
    expect(r.reason).toContain('cognito-idp:ListGroups');
  });
});

describe(`${CHECK}: problems`, () => {
  it('the auto-group, its provider and the mapping are the data, and the evidence as well', () => {
    const [problem, ...others] = problemsOf(federatedGroupRoles, fixture);
    expect(others).toEqual([]);
    expect(problem).toMatchObject({
      mode: ID,
      data: { group: { GroupName: AUTO }, providerName: 'CorpEntraID', providerConfigured: true, mappingKey: OS_KEY },
    });
    expect(problem!.evidence).toBeUndefined();
  });
});
