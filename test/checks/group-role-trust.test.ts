import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/index.js';
import groupRoleTrust from '../../checks/group-role-trust.js';
import { problemsOf } from '../../src/testing.js';
import { loadFixture, runCheck, variant } from '../helpers.js';
import {
  ADMIN,
  applyTrustFix,
  AUTH,
  cond,
  failRole,
  fgac,
  GOOD,
  govCloud,
  groups,
  IP,
  OLD_IP,
  OS_KEY,
  policyInCommand,
  READER,
  setTrust,
  STAGING_IP,
  trust,
  UP,
  withTrust,
} from './identity-helpers.js';

const CHECK = 'group-role-trust';
const ID = 'group-role-trust-invalid';

/** token-groups with Rules on cognito:groups instead of Token. */
function rules(base = groups, resolution: 'AuthenticatedRole' | 'Deny' = 'AuthenticatedRole'): Snapshot {
  return variant(base, (s) => {
    s.identityPoolRoles!.RoleMappings![OS_KEY] = {
      Type: 'Rules',
      AmbiguousRoleResolution: resolution,
      RulesConfiguration: {
        Rules: [
          { Claim: 'cognito:groups', MatchType: 'Contains', Value: 'dashboards-admins', RoleARN: ADMIN },
          { Claim: 'cognito:groups', MatchType: 'Contains', Value: 'dashboards-readers', RoleARN: READER },
        ],
      },
    };
  });
}

const valid: Array<[string, Snapshot]> = [
  ['healthy token-based mapping (decoded object trusts)', groups],
  ['healthy domain without groups', fgac],
  [
    'group trusts as URL-encoded strings',
    variant(groups, (s) => {
      setTrust(s, ADMIN, GOOD());
      setTrust(s, READER, GOOD());
    }),
  ],
  ['group trust with StringLike aud and a pool list', withTrust(groups, READER, trust(cond([STAGING_IP, IP], 'authenticated', 'StringLike')), 'object')],
  ['group trust with sts:*', withTrust(groups, READER, trust(cond(IP, 'authenticated'), { Action: 'sts:*' }), 'object')],
  ['rules mapping whose rule roles trust the pool', rules()],
  [
    'group roles without a role mapping are not handed out (group-roles-ignored reports them)',
    variant(groups, (s) => {
      delete s.identityPoolRoles!.RoleMappings;
      setTrust(s, READER, GOOD(OLD_IP));
    }),
  ],
  [
    'group roles under a Rules mapping that does not use them',
    variant(rules(), (s) => {
      s.identityPoolRoles!.RoleMappings![OS_KEY]!.RulesConfiguration!.Rules!.pop();
      setTrust(s, READER, GOOD(OLD_IP));
    }),
  ],
  [
    'a group carrying the authenticated role is left to auth-role-trust',
    variant(groups, (s) => {
      s.userPoolGroups![0]!.RoleArn = AUTH;
      setTrust(s, AUTH, GOOD(OLD_IP));
    }),
  ],
  ['GovCloud token-based mapping', govCloud(groups)],
  [
    'mapping keyed on another client: group roles do not apply here',
    variant(groups, (s) => {
      const m = s.identityPoolRoles!.RoleMappings![OS_KEY]!;
      s.identityPoolRoles!.RoleMappings = { [`cognito-idp.eu-west-1.amazonaws.com/${UP}:6t1m4p8r2v5x9b3d7f0h2k6n8q`]: m };
      setTrust(s, READER, GOOD(OLD_IP));
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

interface Invalid {
  name: string;
  snapshot: Snapshot;
  evidence: Record<string, unknown>;
  message?: RegExp;
}

const invalid: Invalid[] = [
  {
    name: 'reader role copied from staging (fixture)',
    snapshot: loadFixture(`fail/${ID}.json`),
    evidence: { role: READER, groups: ['group dashboards-readers'], trustAud: [STAGING_IP] },
    message: /members of group dashboards-readers/,
  },
  {
    name: 'rule role trusting es.amazonaws.com (fixture)',
    snapshot: loadFixture(`fail/${ID}--rules.json`),
    evidence: { role: READER, mappingType: 'Rules' },
    message: /users matching rule 2 \(cognito:groups Contains dashboards-readers\)/,
  },
  {
    name: 'admin role deleted (fixture)',
    snapshot: loadFixture(`fail/${ID}--no-such-role.json`),
    evidence: { role: ADMIN, getRole: { code: 'NoSuchEntity' } },
    message: /does not exist/,
  },
  {
    name: 'group role with URL-encoded wrong aud',
    snapshot: variant(groups, (s) => setTrust(s, ADMIN, GOOD(OLD_IP))),
    evidence: { role: ADMIN, trustAud: [OLD_IP] },
  },
  {
    name: 'group role with amr unauthenticated',
    snapshot: withTrust(groups, ADMIN, GOOD(IP, 'unauthenticated'), 'object'),
    evidence: { role: ADMIN, trustAmr: ['unauthenticated'] },
  },
  {
    name: 'the authenticated role as a group role, when the mapping denies instead of defaulting',
    snapshot: variant(groups, (s) => {
      s.identityPoolRoles!.RoleMappings![OS_KEY]!.AmbiguousRoleResolution = 'Deny';
      s.userPoolGroups![0]!.RoleArn = AUTH;
      setTrust(s, AUTH, GOOD(OLD_IP));
    }),
    evidence: { role: AUTH, groups: ['group dashboards-admins'] },
  },
  {
    name: 'two groups sharing one broken role: one finding naming both',
    snapshot: variant(groups, (s) => {
      s.userPoolGroups![1]!.RoleArn = ADMIN;
      setTrust(s, ADMIN, GOOD(OLD_IP), 'object');
    }),
    evidence: { role: ADMIN, groups: ['group dashboards-admins', 'group dashboards-readers'] },
  },
];

describe(`${CHECK}: fires`, () => {
  it.each(invalid.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const r = runCheck(CHECK, c.snapshot);
    expect(r.status).toBe('fail');
    expect(r.ids).toEqual([ID]);
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]!.severity).toBe('error');
    expect(r.findings[0]!.resource).toBe(c.evidence['role']);
    expect(r.findings[0]!.evidence).toMatchObject(c.evidence);
    if (c.message) expect(r.findings[0]!.message).toMatch(c.message);
  });

  it('both group roles broken: one finding per role', () => {
    const r = runCheck(
      CHECK,
      variant(groups, (s) => {
        setTrust(s, ADMIN, GOOD(OLD_IP));
        setTrust(s, READER, GOOD(OLD_IP));
      }),
    );
    expect(r.findings.map((f) => f.resource).sort()).toEqual([ADMIN, READER]);
  });
});

describe(`${CHECK}: fixes`, () => {
  it('the printed trust keeps the staging pool and makes the check pass', () => {
    const snapshot = loadFixture(`fail/${ID}.json`);
    const [finding] = runCheck(CHECK, snapshot).findings;
    const command = finding!.fix.commands![0]!;
    expect(command).toMatch(/^aws iam update-assume-role-policy --role-name logs-prod-dashboards-reader --policy-document '/);
    expect(policyInCommand(command).Statement.at(-1)!.Condition!['StringEquals']).toEqual({ 'cognito-identity.amazonaws.com:aud': [STAGING_IP, IP] });
    expect(runCheck(CHECK, applyTrustFix(snapshot, command)).status).toBe('pass');
  });

  it('the rules case keeps the es.amazonaws.com statement and adds the Cognito one', () => {
    const snapshot = loadFixture(`fail/${ID}--rules.json`);
    const command = runCheck(CHECK, snapshot).findings[0]!.fix.commands![0]!;
    const policy = policyInCommand(command);
    expect(policy.Statement).toHaveLength(2);
    expect(policy.Statement[0]!.Principal).toEqual({ Service: 'es.amazonaws.com' });
    expect(runCheck(CHECK, applyTrustFix(snapshot, command)).status).toBe('pass');
  });

  it('a deleted group role is re-created with a trust for this pool', () => {
    const [finding] = runCheck(CHECK, loadFixture(`fail/${ID}--no-such-role.json`)).findings;
    expect(finding!.fix.commands![0]).toMatch(/^aws iam create-role --role-name logs-prod-dashboards-admin --assume-role-policy-document '/);
    expect(policyInCommand(finding!.fix.commands![0]!)).toEqual(GOOD());
  });
});

describe(`${CHECK}: partial reads`, () => {
  it('GetRole denied for one group role → the other is still judged', () => {
    const r = runCheck(
      CHECK,
      variant(groups, (s) => {
        failRole(s, ADMIN, 'AccessDenied');
        setTrust(s, READER, GOOD(OLD_IP));
      }),
    );
    expect(r.status).toBe('fail');
    expect(r.findings.map((f) => f.resource)).toEqual([READER]);
    expect(r.reason).toContain('iam:GetRole denied');
  });

  it('GetRole denied for one group role and the other fine → unknown, naming the permission', () => {
    const r = runCheck(
      CHECK,
      variant(groups, (s) => failRole(s, ADMIN, 'AccessDenied')),
    );
    expect(r.status).toBe('unknown');
    expect(r.reason).toContain('logs-prod-dashboards-admin');
    expect(r.reason).toContain('iam:GetRole');
  });

  it('ListGroups denied → unknown', () => {
    const r = runCheck(
      CHECK,
      variant(groups, (s) => {
        delete s.userPoolGroups;
        s.errors = [{ operation: 'cognito-idp:ListGroups', resource: UP, code: 'AccessDeniedException' }];
      }),
    );
    expect(r.status).toBe('unknown');
    expect(r.reason).toContain('cognito-idp:ListGroups');
  });

  it('DescribeUserPool denied → unknown (the OpenSearch client cannot be found)', () => {
    const r = runCheck(
      CHECK,
      variant(groups, (s) => {
        delete s.userPool;
        delete s.userPoolClients;
        delete s.userPoolGroups;
        s.errors = [{ operation: 'cognito-idp:DescribeUserPool', resource: UP, code: 'AccessDeniedException' }];
      }),
    );
    expect(r.status).toBe('unknown');
    expect(r.reason).toContain('cognito-idp:DescribeUserPool');
  });
});

describe(`${CHECK}: problems`, () => {
  it('the groups or rules that hand the role out, and why the pool cannot', () => {
    expect(problemsOf(groupRoleTrust, loadFixture(`fail/${ID}.json`))).toMatchObject([
      { mode: ID, resource: READER, data: { kind: 'trust-refuses', mappingType: 'Token', holders: ['group dashboards-readers'] } },
    ]);
    expect(problemsOf(groupRoleTrust, loadFixture(`fail/${ID}--rules.json`))).toMatchObject([
      { data: { kind: 'trust-refuses', mappingType: 'Rules', holders: ['rule 2 (cognito:groups Contains dashboards-readers)'] } },
    ]);
    expect(problemsOf(groupRoleTrust, loadFixture(`fail/${ID}--no-such-role.json`))).toMatchObject([
      { resource: ADMIN, data: { kind: 'not-found', getRole: { code: 'NoSuchEntity' } } },
    ]);
  });
});
