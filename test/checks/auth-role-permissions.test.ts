import { describe, expect, it } from 'vitest';
import type { Snapshot, Statement } from '../../src/index.js';
import authRolePermissions from '../../checks/auth-role-permissions.js';
import { problemsOf } from '../../src/testing.js';
import { loadFixture, runCheck, variant } from '../helpers.js';
import { ACCT, ADMIN, AUTH, enc, fgac, groups, IP, UNAUTH, UP } from './identity-helpers.js';

const CHECK = 'auth-role-permissions';
const ID = 'auth-role-overprivileged';
const DOMAIN = `arn:aws:es:eu-west-1:${ACCT}:domain/logs-prod`;

/** The healthy snapshot with an extra inline policy on `roleArn`. */
function withInline(base: Snapshot, roleArn: string, statements: Statement[], encoded = false): Snapshot {
  return variant(base, (s) => {
    const document = { Version: '2012-10-17', Statement: statements };
    s.rolePolicies![roleArn]!.inline!.push({ PolicyName: 'extra', PolicyDocument: encoded ? enc(document) : document });
  });
}

const valid: Array<[string, Snapshot, string]> = [
  ['healthy OpenSearch domain', fgac, 'pass'],
  ['healthy token groups', groups, 'pass'],
  ['healthy legacy domain', loadFixture('healthy/legacy-es-kibana.json'), 'pass'],
  ['role policies not collected', loadFixture('partial/not-collected.json'), 'not-evaluated'],
  ['es:ESHttp* on the domain', withInline(fgac, AUTH, [{ Effect: 'Allow', Action: 'es:ESHttp*', Resource: `${DOMAIN}/*` }]), 'pass'],
  ['es:* on this domain only', withInline(fgac, AUTH, [{ Effect: 'Allow', Action: 'es:*', Resource: [DOMAIN, `${DOMAIN}/*`] }]), 'pass'],
  ['es:ESHttp* on every domain (data access only)', withInline(fgac, AUTH, [{ Effect: 'Allow', Action: 'es:ESHttp*', Resource: '*' }]), 'pass'],
  [
    "cognito-sync:* scoped to the caller's own identity (the documented pattern)",
    withInline(fgac, AUTH, [
      {
        Effect: 'Allow',
        Action: 'cognito-sync:*',
        Resource: `arn:aws:cognito-sync:eu-west-1:${ACCT}:identitypool/${IP}/identity/\${cognito-identity.amazonaws.com:sub}/*`,
      },
    ]),
    'pass',
  ],
  [
    'sts:AssumeRole on one named role',
    withInline(fgac, AUTH, [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::${ACCT}:role/logs-prod-reporting` }]),
    'pass',
  ],
  ['iam:Get* on every role', withInline(fgac, AUTH, [{ Effect: 'Allow', Action: ['iam:GetRole', 'iam:List*'], Resource: '*' }]), 'pass'],
  [
    'Allow * cut down by a Deny of everything but es:ESHttp*',
    withInline(fgac, AUTH, [
      { Effect: 'Allow', Action: '*', Resource: '*' },
      { Effect: 'Deny', NotAction: 'es:ESHttp*', Resource: '*' },
    ]),
    'pass',
  ],
  [
    'Allow * under a permissions boundary that allows only es:ESHttp*',
    variant(withInline(fgac, AUTH, [{ Effect: 'Allow', Action: '*', Resource: '*' }]), (s) => {
      s.rolePolicies![AUTH]!.boundary = {
        PolicyArn: `arn:aws:iam::${ACCT}:policy/dashboards-boundary`,
        Document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'es:ESHttp*', Resource: '*' }] },
      };
    }),
    'pass',
  ],
  [
    'Allow * only from an office network (a Cognito session has no such source)',
    withInline(fgac, AUTH, [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } }]),
    'pass',
  ],
  [
    'a broad group role that is not handed out (no Token mapping)',
    variant(withInline(groups, ADMIN, [{ Effect: 'Allow', Action: '*', Resource: '*' }]), (s) => delete s.identityPoolRoles!.RoleMappings),
    'pass',
  ],
  [
    'a broad guest role while guest access is off',
    variant(
      withInline(loadFixture('fail/unauth-identities-enabled.json'), UNAUTH, [{ Effect: 'Allow', Action: 'es:*', Resource: '*' }]),
      (s) => (s.identityPool!.AllowUnauthenticatedIdentities = false),
    ),
    'pass',
  ],
];

describe(`${CHECK}: stays quiet`, () => {
  it.each(valid)('%s', (_name, snapshot, status) => {
    const r = runCheck(CHECK, snapshot);
    expect(r.ids).toEqual([]);
    expect(r.status).toBe(status);
  });

  it('not evaluated names the reads that would collect the policies', () => {
    expect(runCheck(CHECK, loadFixture('partial/not-collected.json')).reason).toContain('iam:ListRolePolicies');
  });
});

const grantsOf = (snapshot: Snapshot) => runCheck(CHECK, snapshot).findings.map((f) => (f.evidence['grants'] as Array<{ grant: string }>).map((g) => g.grant));

describe(`${CHECK}: fires`, () => {
  it.each([
    [
      'es:* and cognito-identity:* on * (fixture)',
      loadFixture('fail/auth-role-overprivileged.json'),
      AUTH,
      ['es:* on every domain of 123456789012 in eu-west-1', 'cognito-identity:* on the identity pool'],
    ],
    [
      'AdministratorAccess on a group role (fixture)',
      loadFixture('fail/auth-role-overprivileged--group-admin.json'),
      ADMIN,
      ['every action on every resource (*)'],
    ],
    [
      'PowerUserAccess: NotAction on * (fixture)',
      loadFixture('fail/auth-role-overprivileged--not-action.json'),
      AUTH,
      ['every action except iam:*, organizations:*, account:* on every resource'],
    ],
    [
      'iam:* on every role, policy URL-encoded',
      withInline(fgac, AUTH, [{ Effect: 'Allow', Action: 'iam:*', Resource: `arn:aws:iam::${ACCT}:role/*` }], true),
      AUTH,
      ['iam:* on the role itself'],
    ],
    [
      'sts:AssumeRole on *',
      withInline(fgac, AUTH, [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }]),
      AUTH,
      [`sts:AssumeRole on every role of ${ACCT}`],
    ],
    [
      'cognito-sync:* on *',
      withInline(fgac, AUTH, [{ Effect: 'Allow', Action: 'cognito-sync:*', Resource: '*' }]),
      AUTH,
      ['cognito-sync:* on every identity of the pool'],
    ],
    [
      'es:* with a wildcard region in the resource',
      withInline(fgac, AUTH, [{ Effect: 'Allow', Action: 'es:*', Resource: 'arn:aws:es:*:*:domain/*' }]),
      AUTH,
      ['es:* on every domain of 123456789012 in eu-west-1'],
    ],
  ] as const)('%s', (_name, snapshot, roleArn, grants) => {
    const r = runCheck(CHECK, snapshot);
    expect(r.status).toBe('fail');
    expect(r.ids).toEqual([ID]);
    expect(r.findings[0]!.severity).toBe('warning');
    expect(r.findings[0]!.resource).toBe(roleArn);
    expect(grantsOf(snapshot)[0]).toEqual(grants);
  });

  it('the guest role when the identity pool allows guests', () => {
    const snapshot = withInline(loadFixture('fail/unauth-identities-enabled.json'), UNAUTH, [{ Effect: 'Allow', Action: 'es:*', Resource: '*' }]);
    const r = runCheck(CHECK, snapshot);
    expect(r.findings.map((f) => f.resource)).toEqual([UNAUTH]);
    expect(r.findings[0]!.evidence['receivedBy']).toEqual(['unauthenticated (guest) identities']);
    // Worded by who gets the role: guests, without signing in (not "anyone who signs in").
    expect(r.findings[0]!.message).toMatch(
      /anyone who knows the identity pool id can get these credentials without signing in \(the enhanced flow limits guest sessions/,
    );
    expect(r.findings[0]!.message).not.toMatch(/anyone who signs in/);
  });

  it('the guest role with the basic flow on: guests get its full permissions', () => {
    const snapshot = variant(
      withInline(loadFixture('fail/unauth-identities-enabled.json'), UNAUTH, [{ Effect: 'Allow', Action: 'es:*', Resource: '*' }]),
      (s) => (s.identityPool!.AllowClassicFlow = true),
    );
    expect(runCheck(CHECK, snapshot).findings[0]!.message).toMatch(/the basic \(classic\) flow is on, so they get its full permissions/);
  });

  it('one role for guests and signed-in users names both', () => {
    const snapshot = variant(
      withInline(loadFixture('fail/unauth-identities-enabled.json'), AUTH, [{ Effect: 'Allow', Action: '*', Resource: '*' }]),
      (s) => (s.identityPoolRoles!.Roles!['unauthenticated'] = AUTH),
    );
    const [finding] = runCheck(CHECK, snapshot).findings;
    expect(finding!.evidence['receivedBy']).toEqual(['every user', 'unauthenticated (guest) identities']);
    expect(finding!.message).toMatch(/without signing in .*, and so can whoever signs in\.$/);
  });

  it('a group role is worded by its group', () => {
    const [finding] = runCheck(CHECK, loadFixture('fail/auth-role-overprivileged--group-admin.json')).findings;
    expect(finding!.message).toMatch(/members of group \S+ can use these credentials outside Dashboards\.$/);
  });

  it('evidence names the policy and statement that grant it', () => {
    const [finding] = runCheck(CHECK, loadFixture('fail/auth-role-overprivileged.json')).findings;
    const [grant] = finding!.evidence['grants'] as Array<{ statements: Array<{ policy: string; statement: Statement }> }>;
    expect(grant!.statements[0]).toMatchObject({ policy: 'logs-prod-dashboards', statement: { Action: ['es:*', 'cognito-identity:*'], Resource: '*' } });
  });

  it('the fix first scopes the real role to the domain, then removes the broad policy (inline: delete, managed: detach)', () => {
    const [inline] = runCheck(CHECK, loadFixture('fail/auth-role-overprivileged.json')).findings;
    expect(inline!.fix.commands![0]).toContain('aws iam put-role-policy --role-name Cognito_logsprodAuth_Role --policy-name DashboardsAccess');
    expect(inline!.fix.commands![0]).toContain(`"Resource":"arn:aws:es:eu-west-1:${ACCT}:domain/kibana-legacy/*"`);
    expect(inline!.fix.commands![1]).toBe('aws iam delete-role-policy --role-name Cognito_logsprodAuth_Role --policy-name logs-prod-dashboards');
    const [managed] = runCheck(CHECK, loadFixture('fail/auth-role-overprivileged--group-admin.json')).findings;
    expect(managed!.fix.commands![1]).toBe(
      'aws iam detach-role-policy --role-name logs-prod-dashboards-admin --policy-arn arn:aws:iam::aws:policy/AdministratorAccess',
    );
  });
});

describe(`${CHECK}: attached policies listed without their documents (as list-attached-role-policies gives them)`, () => {
  const attach = (PolicyArn: string) => variant(fgac, (s) => s.rolePolicies![AUTH]!.attached!.push({ PolicyArn, PolicyName: PolicyArn.split('/').pop()! }));

  it('AdministratorAccess is known: auth-role-overprivileged', () => {
    expect(runCheck(CHECK, attach('arn:aws:iam::aws:policy/AdministratorAccess')).ids).toEqual([ID]);
  });

  it('a customer managed policy without its document: unknown, not a pass', () => {
    const r = runCheck(CHECK, attach(`arn:aws:iam::${ACCT}:policy/team-extra`));
    expect(r.status).toBe('unknown');
    expect(r.reason).toContain(`arn:aws:iam::${ACCT}:policy/team-extra (its document was not read)`);
  });
});

describe(`${CHECK}: partial reads`, () => {
  it('ListRolePolicies denied → unknown, naming the permission', () => {
    const r = runCheck(
      CHECK,
      variant(fgac, (s) => {
        delete s.rolePolicies![AUTH];
        s.errors = [{ operation: 'iam:ListRolePolicies', resource: 'Cognito_logsprodAuth_Role', code: 'AccessDenied' }];
      }),
    );
    expect(r.status).toBe('unknown');
    expect(r.reason).toContain('iam:ListRolePolicies');
  });

  it('a failed list read recorded beside a partial rolePolicies entry (a hand-written snapshot) → unknown, not a pass', () => {
    const r = runCheck(
      CHECK,
      variant(fgac, (s) => {
        s.rolePolicies![AUTH] = { attached: [] };
        s.errors = [{ operation: 'iam:ListRolePolicies', resource: AUTH, code: 'AccessDenied' }];
      }),
    );
    expect(r.status).toBe('unknown');
    expect(r.reason).toContain('iam:ListRolePolicies');
  });

  it("a broad role is still reported when another role's policies could not be read", () => {
    const r = runCheck(
      CHECK,
      variant(loadFixture('fail/auth-role-overprivileged--group-admin.json'), (s) => {
        delete s.rolePolicies!['arn:aws:iam::123456789012:role/logs-prod-dashboards-reader'];
      }),
    );
    expect(r.ids).toEqual([ID]);
    expect(r.status).toBe('fail');
  });

  const listGroupsDenied = (s: Snapshot) => {
    delete s.userPoolGroups;
    s.errors = [{ operation: 'cognito-idp:ListGroups', resource: UP, code: 'AccessDeniedException' }];
  };

  it('ListGroups denied under a Token mapping: the default role is still judged, the group roles stay unknown', () => {
    const r = runCheck(CHECK, variant(withInline(groups, AUTH, [{ Effect: 'Allow', Action: '*', Resource: '*' }]), listGroupsDenied));
    expect(r.ids).toEqual([ID]);
    expect(r.findings[0]!.resource).toBe(AUTH);
    expect(r.findings[0]!.evidence['receivedBy']).toEqual(['users without a group role']);
    expect(r.findings[0]!.message).toMatch(/users without a group role can use these credentials outside Dashboards\.$/);
    expect(r.status).toBe('fail');
    expect(r.reason).toMatch(/^also: the group roles could not be judged: .*cognito-idp:ListGroups/);
  });

  it('ListGroups denied under a Token mapping, default role narrow: unknown (never a pass over the unread group roles)', () => {
    const r = runCheck(CHECK, variant(groups, listGroupsDenied));
    expect(r.ids).toEqual([]);
    expect(r.status).toBe('unknown');
    expect(r.reason).toContain('cognito-idp:ListGroups');
  });

  it('ListGroups denied under Deny resolution: nothing to judge but the group roles → unknown', () => {
    const r = runCheck(
      CHECK,
      variant(withInline(groups, AUTH, [{ Effect: 'Allow', Action: '*', Resource: '*' }]), (s) => {
        listGroupsDenied(s);
        for (const m of Object.values(s.identityPoolRoles!.RoleMappings!)) m.AmbiguousRoleResolution = 'Deny';
      }),
    );
    expect(r.ids).toEqual([]);
    expect(r.status).toBe('unknown');
  });

  it('GetIdentityPoolRoles denied → unknown', () => {
    const r = runCheck(
      CHECK,
      variant(fgac, (s) => {
        delete s.identityPoolRoles;
        s.errors = [{ operation: 'cognito-identity:GetIdentityPoolRoles', resource: IP, code: 'AccessDeniedException' }];
      }),
    );
    expect(r.status).toBe('unknown');
  });
});

describe(`${CHECK}: problems`, () => {
  it('who receives the role, the flow guests use, and the policies to remove', () => {
    const snapshot = variant(
      withInline(loadFixture('fail/unauth-identities-enabled.json'), UNAUTH, [{ Effect: 'Allow', Action: 'es:*', Resource: '*' }]),
      (s) => (s.identityPool!.AllowClassicFlow = true),
    );
    expect(problemsOf(authRolePermissions, snapshot)).toMatchObject([
      {
        mode: ID,
        resource: UNAUTH,
        data: { role: UNAUTH, receivedBy: ['unauthenticated (guest) identities'], AllowClassicFlow: true, grantedBy: [{ policy: 'extra', managed: false }] },
      },
    ]);
  });
});
