import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/index.js';
import authRoleTrust from '../../checks/auth-role-trust.js';
import { problemsOf } from '../../src/testing.js';
import { loadFixture, runCheck, variant } from '../helpers.js';
import {
  ADMIN,
  applyTrustFix,
  AUTH,
  china,
  cond,
  custom,
  failRole,
  fgac,
  GOOD,
  govCloud,
  groups,
  IP,
  legacy,
  OLD_IP,
  OS_KEY,
  policyInCommand,
  setTrust,
  STAGING_IP,
  trust,
  UP,
  withTrust,
} from './identity-helpers.js';

const CHECK = 'auth-role-trust';
const ID = 'identity-pool-trust-invalid';

const valid: Array<[string, Snapshot]> = [
  ['healthy OpenSearch domain (URL-encoded trust)', fgac],
  ['healthy custom endpoint', custom],
  ['healthy legacy Elasticsearch domain', legacy],
  ['healthy token-based mapping', groups],
  ['trust as a decoded object', withTrust(fgac, AUTH, GOOD(), 'object')],
  ['trust as a plain JSON string', withTrust(fgac, AUTH, GOOD(), 'json')],
  ['StringLike aud naming the pool', withTrust(fgac, AUTH, trust(cond(IP, 'authenticated', 'StringLike')))],
  ['StringLike aud wildcard for the region (posture, not a failure)', withTrust(fgac, AUTH, trust(cond('eu-west-1:*', 'authenticated', 'StringLike')))],
  ['aud list of several pools containing this one (shared role)', withTrust(fgac, AUTH, trust(cond([STAGING_IP, IP], 'authenticated')))],
  ['amr with ForAnyValue:StringEquals', withTrust(fgac, AUTH, trust(cond(IP, 'authenticated', 'StringEquals', 'ForAnyValue:StringEquals')))],
  ['amr pinned to the user pool provider', withTrust(fgac, AUTH, trust(cond(IP, `cognito-idp.eu-west-1.amazonaws.com/${UP}`)))],
  ['amr list with authenticated', withTrust(fgac, AUTH, trust(cond(IP, ['authenticated', 'unauthenticated'])))],
  ['no amr condition', withTrust(fgac, AUTH, trust(cond(IP)))],
  ['no condition at all (posture, not a failure)', withTrust(fgac, AUTH, trust())],
  ['Action sts:*', withTrust(fgac, AUTH, trust(cond(IP, 'authenticated'), { Action: 'sts:*' }))],
  ['Action list with sts:TagSession', withTrust(fgac, AUTH, trust(cond(IP, 'authenticated'), { Action: ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'] }))],
  ['Action *', withTrust(fgac, AUTH, trust(cond(IP, 'authenticated'), { Action: '*' }))],
  [
    'Federated principal as a list',
    withTrust(fgac, AUTH, trust(cond(IP, 'authenticated'), { Principal: { Federated: ['accounts.google.com', 'cognito-identity.amazonaws.com'] } })),
  ],
  [
    'a Deny for another pool and for guests does not block this pool',
    withTrust(fgac, AUTH, {
      Version: '2012-10-17',
      Statement: [
        ...GOOD().Statement,
        { Effect: 'Deny', Principal: { Federated: 'cognito-identity.amazonaws.com' }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: cond(OLD_IP) },
        {
          Effect: 'Deny',
          Principal: { Federated: 'cognito-identity.amazonaws.com' },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: cond(undefined, 'unauthenticated'),
        },
      ],
    }),
  ],
  ['GovCloud: cognito-identity-us-gov.amazonaws.com principal and keys', govCloud(fgac)],
  ['GovCloud token-based mapping', govCloud(groups)],
  ['China: plain principal name in an aws-cn role', china(fgac)],
  [
    'Token mapping with Deny: the authenticated role is never handed out',
    variant(groups, (s) => {
      s.identityPoolRoles!.RoleMappings![OS_KEY]!.AmbiguousRoleResolution = 'Deny';
      setTrust(s, AUTH, trust(cond(OLD_IP, 'authenticated')));
    }),
  ],
  [
    'no authenticated role, but the mapping denies instead of using it',
    variant(groups, (s) => {
      s.identityPoolRoles!.RoleMappings![OS_KEY]!.AmbiguousRoleResolution = 'Deny';
      s.identityPoolRoles!.Roles = {};
    }),
  ],
  ['the OpenSearch app client is gone (no mapping applies; the role still passes)', variant(fgac, (s) => (s.userPoolClients = []))],
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
  problem?: RegExp;
  message?: RegExp;
}

const invalid: Invalid[] = [
  {
    name: 'aud names the old pool (fixture)',
    snapshot: loadFixture(`fail/${ID}.json`),
    evidence: { role: AUTH, trustAud: [OLD_IP] },
    problem: /lets identity pool .*0b7d2e94.* use it, not eu-west-1:5f0c7a3e/,
  },
  {
    name: 'Service instead of Federated (fixture)',
    snapshot: loadFixture(`fail/${ID}--service-principal.json`),
    evidence: { role: AUTH },
    problem: /as a Service principal/,
  },
  {
    name: 'amr unauthenticated only (fixture)',
    snapshot: loadFixture(`fail/${ID}--amr-unauthenticated.json`),
    evidence: { trustAmr: ['unauthenticated'] },
    problem: /only unauthenticated identities/,
  },
  {
    name: 'explicit Deny (fixture)',
    snapshot: loadFixture(`fail/${ID}--explicit-deny.json`),
    evidence: { denyStatements: ['DenyUserPoolSignIn'] },
    problem: /Deny statement/,
  },
  {
    name: 'sts:AssumeRole instead of AssumeRoleWithWebIdentity (fixture)',
    snapshot: loadFixture(`fail/${ID}--assume-role-action.json`),
    evidence: { trustActions: ['sts:AssumeRole'] },
    problem: /not sts:AssumeRoleWithWebIdentity/,
  },
  {
    name: 'role deleted: NoSuchEntity (fixture)',
    snapshot: loadFixture(`fail/${ID}--no-such-role.json`),
    evidence: { authenticatedRole: AUTH, getRole: { code: 'NoSuchEntity' } },
    message: /does not exist/,
  },
  {
    name: 'no authenticated role (fixture)',
    snapshot: loadFixture(`fail/${ID}--no-authenticated-role.json`),
    evidence: { Roles: {} },
    message: /has no authenticated role, so no user can/,
  },
  { name: 'wrong aud as a decoded object', snapshot: withTrust(fgac, AUTH, GOOD(OLD_IP), 'object'), evidence: { trustAud: [OLD_IP] } },
  {
    name: 'StringLike aud pattern of another region',
    snapshot: withTrust(fgac, AUTH, trust(cond('eu-central-1:*', 'authenticated', 'StringLike'))),
    evidence: { trustAud: ['eu-central-1:*'] },
  },
  {
    name: 'aud list without this pool',
    snapshot: withTrust(fgac, AUTH, trust(cond([OLD_IP, STAGING_IP], 'authenticated'))),
    evidence: { trustAud: [OLD_IP, STAGING_IP] },
  },
  {
    name: 'trust for another principal only',
    snapshot: withTrust(fgac, AUTH, {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    }),
    evidence: {},
    problem: /does not trust cognito-identity.amazonaws.com \(it trusts ec2.amazonaws.com\)/,
  },
  {
    name: 'commercial role trusting the GovCloud principal',
    snapshot: withTrust(fgac, AUTH, JSON.parse(JSON.stringify(GOOD()).replaceAll('cognito-identity.amazonaws.com', 'cognito-identity-us-gov.amazonaws.com'))),
    evidence: {},
    problem: /partition aws present cognito-identity.amazonaws.com/,
  },
  {
    name: 'GovCloud role with the aud of another pool',
    snapshot: variant(govCloud(fgac), (s) =>
      setTrust(
        s,
        AUTH.replace('arn:aws:', 'arn:aws-us-gov:'),
        JSON.parse(
          JSON.stringify(GOOD('us-gov-west-1:0b7d2e94-6c1a-4f3b-8e5d-2a9c7f1e4b63')).replaceAll(
            'cognito-identity.amazonaws.com',
            'cognito-identity-us-gov.amazonaws.com',
          ),
        ),
      ),
    ),
    evidence: { trustAud: ['us-gov-west-1:0b7d2e94-6c1a-4f3b-8e5d-2a9c7f1e4b63'] },
  },
  {
    name: 'a trust that is not JSON',
    snapshot: variant(fgac, (s) => (s.roles!.find((r) => r.Arn === AUTH)!.AssumeRolePolicyDocument = '%7Bnot-json')),
    evidence: {},
    problem: /cannot be read/,
  },
  {
    name: 'Token mapping with AuthenticatedRole: users without a group role are hit',
    snapshot: withTrust(groups, AUTH, GOOD(OLD_IP)),
    evidence: { receivesDefaultRole: 'users without a group role' },
  },
];

describe(`${CHECK}: fires`, () => {
  it.each(invalid.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const r = runCheck(CHECK, c.snapshot);
    expect(r.status).toBe('fail');
    expect(r.ids).toEqual([ID]);
    const [finding] = r.findings;
    expect(finding!.severity).toBe('error');
    expect(finding!.evidence).toMatchObject(c.evidence);
    if (c.problem) expect(String(finding!.evidence['problem'])).toMatch(c.problem);
    if (c.message) expect(finding!.message).toMatch(c.message);
  });
});

describe(`${CHECK}: fixes`, () => {
  // Every case but a missing role is fixed by replacing the trust policy.
  const trustCases = invalid.filter((c) => !('getRole' in c.evidence) && !('Roles' in c.evidence));
  it.each(trustCases.map((c) => [c.name, c] as const))('applying the printed trust makes the check pass: %s', (_name, c) => {
    const [finding] = runCheck(CHECK, c.snapshot).findings;
    const [command] = finding!.fix.commands!;
    expect(command).toMatch(/^aws iam update-assume-role-policy --role-name Cognito_logsprodAuth_Role --policy-document '/);
    expect(runCheck(CHECK, applyTrustFix(c.snapshot, command!)).status).toBe('pass');
  });

  it('a shared role keeps the identity pools it already trusted', () => {
    const [finding] = runCheck(CHECK, withTrust(fgac, AUTH, trust(cond([OLD_IP, STAGING_IP], 'unauthenticated')))).findings;
    const policy = policyInCommand(finding!.fix.commands![0]!);
    expect(policy.Statement.at(-1)!.Condition).toEqual({
      StringEquals: { 'cognito-identity.amazonaws.com:aud': [OLD_IP, STAGING_IP, IP] },
      'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' },
    });
  });

  it('the blocking Deny is dropped, an unrelated statement is kept', () => {
    const snapshot = withTrust(fgac, AUTH, {
      Version: '2012-10-17',
      Statement: [
        ...GOOD().Statement,
        {
          Sid: 'Block',
          Effect: 'Deny',
          Principal: { Federated: 'cognito-identity.amazonaws.com' },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: cond(IP),
        },
        {
          Sid: 'Other',
          Effect: 'Deny',
          Principal: { Federated: 'cognito-identity.amazonaws.com' },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: cond(OLD_IP),
        },
        { Sid: 'Ci', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:role/ci' }, Action: 'sts:AssumeRole' },
      ],
    });
    const [finding] = runCheck(CHECK, snapshot).findings;
    const policy = policyInCommand(finding!.fix.commands![0]!);
    expect(policy.Statement.map((s) => s.Sid ?? s.Effect)).toEqual(['Other', 'Ci', 'Allow']);
  });

  it('GovCloud: the repaired trust uses the GovCloud principal and keys', () => {
    const base = govCloud(fgac);
    const arn = AUTH.replace('arn:aws:', 'arn:aws-us-gov:');
    const snapshot = variant(base, (s) =>
      setTrust(s, arn, { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
    );
    const [finding] = runCheck(CHECK, snapshot).findings;
    const policy = policyInCommand(finding!.fix.commands![0]!);
    expect(JSON.stringify(policy.Statement.at(-1))).toContain(
      '"cognito-identity-us-gov.amazonaws.com:aud":"us-gov-west-1:5f0c7a3e-2b1d-4e8f-9a6c-3d7e1b2f4a90"',
    );
    expect(runCheck(CHECK, applyTrustFix(snapshot, finding!.fix.commands![0]!)).status).toBe('pass');
  });

  it('no authenticated role: create one and set it with a round trip that keeps the mappings', () => {
    const [finding] = runCheck(CHECK, loadFixture(`fail/${ID}--no-authenticated-role.json`)).findings;
    const commands = finding!.fix.commands!;
    expect(finding!.resource).toBe(`arn:aws:cognito-identity:eu-west-1:123456789012:identitypool/${IP}`);
    expect(commands[0]).toMatch(/^aws iam create-role --role-name Cognito_logs_prod_identityAuth_Role --assume-role-policy-document '/);
    expect(commands[1]).toBe(`aws cognito-identity get-identity-pool-roles --region eu-west-1 --identity-pool-id ${IP} > identity-pool-roles.json`);
    expect(commands[2]).toContain(`'.Roles.authenticated = $arn'`);
    expect(commands[3]).toBe('aws cognito-identity set-identity-pool-roles --region eu-west-1 --cli-input-json file://identity-pool-roles-fixed.json');
  });

  it('a deleted role is re-created with its path and a trust for this pool', () => {
    const snapshot = variant(fgac, (s) => {
      const arn = 'arn:aws:iam::123456789012:role/dashboards/Cognito_logsprodAuth_Role';
      s.identityPoolRoles!.Roles = { authenticated: arn };
      s.roles = s.roles!.filter((r) => r.Arn !== AUTH); // role names are unique in an account, whatever the path
      failRole(s, arn, 'NoSuchEntity');
    });
    const [finding] = runCheck(CHECK, snapshot).findings;
    expect(finding!.fix.commands![0]).toMatch(
      /^aws iam create-role --role-name Cognito_logsprodAuth_Role --path \/dashboards\/ --assume-role-policy-document /,
    );
    expect(policyInCommand(finding!.fix.commands![0]!)).toEqual(GOOD());
  });
});

describe(`${CHECK}: partial reads`, () => {
  it('GetRole denied on the authenticated role → unknown, naming the permission', () => {
    const r = runCheck(
      CHECK,
      variant(fgac, (s) => failRole(s, AUTH, 'AccessDenied')),
    );
    expect(r.status).toBe('unknown');
    expect(r.reason).toContain('iam:GetRole denied on');
    expect(r.reason).toContain('Cognito_logsprodAuth_Role');
  });

  it('the role is missing from the snapshot without an error → unknown', () => {
    const r = runCheck(
      CHECK,
      variant(fgac, (s) => (s.roles = s.roles!.filter((x) => x.Arn !== AUTH))),
    );
    expect(r.status).toBe('unknown');
    expect(r.reason).toContain('iam:GetRole');
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
    expect(r.reason).toContain('cognito-identity:GetIdentityPoolRoles');
  });

  it('identity pool not found → not applicable (identity-pool-not-found reports it)', () => {
    const r = runCheck(
      CHECK,
      variant(fgac, (s) => {
        delete s.identityPool;
        delete s.identityPoolRoles;
        s.errors = [{ operation: 'cognito-identity:DescribeIdentityPool', resource: IP, code: 'ResourceNotFoundException' }];
      }),
    );
    expect(r.status).toBe('not-applicable');
  });

  it('a condition operator cogdoctor cannot evaluate → unknown, not a failure', () => {
    const r = runCheck(CHECK, withTrust(fgac, AUTH, trust({ StringEqualsFancy: { 'cognito-identity.amazonaws.com:aud': IP } })));
    expect(r.status).toBe('unknown');
    expect(r.reason).toContain('StringEqualsFancy');
  });

  it('app clients unreadable with a Deny mapping → unknown (which mapping applies is unknown)', () => {
    const r = runCheck(
      CHECK,
      variant(groups, (s) => {
        s.identityPoolRoles!.RoleMappings![OS_KEY]!.AmbiguousRoleResolution = 'Deny';
        delete s.userPoolClients;
        s.errors = [{ operation: 'cognito-idp:ListUserPoolClients', resource: UP, code: 'AccessDeniedException' }];
      }),
    );
    expect(r.status).toBe('unknown');
    expect(r.reason).toContain('cognito-idp:ListUserPoolClients');
  });

  it('app clients unreadable but no mapping denies → the default role is still judged', () => {
    const r = runCheck(
      CHECK,
      variant(groups, (s) => {
        setTrust(s, AUTH, GOOD(OLD_IP));
        delete s.userPoolClients;
        s.errors = [{ operation: 'cognito-idp:ListUserPoolClients', resource: UP, code: 'AccessDeniedException' }];
      }),
    );
    expect(r.ids).toEqual([ID]);
  });

  it('ListGroups denied with a Token mapping and AuthenticatedRole: the default role is still judged', () => {
    const denied = (s: Snapshot) => {
      delete s.userPoolGroups;
      s.errors = [{ operation: 'cognito-idp:ListGroups', resource: UP, code: 'AccessDeniedException' }];
    };
    expect(runCheck(CHECK, variant(groups, denied)).status).toBe('pass');
    const r = runCheck(
      CHECK,
      variant(groups, (s) => {
        denied(s);
        setTrust(s, AUTH, GOOD(OLD_IP));
      }),
    );
    expect(r.ids).toEqual([ID]);
    expect(r.findings[0]!.message).toContain('users without a group role');
  });

  it('a group role that is unreadable does not matter here', () => {
    const r = runCheck(
      CHECK,
      variant(groups, (s) => failRole(s, ADMIN, 'AccessDenied')),
    );
    expect(r.status).toBe('pass');
  });
});

describe(`${CHECK}: problems`, () => {
  it('why the role cannot be handed out: unset, deleted, or refused by its trust', () => {
    const kindOf = (snapshot: Snapshot) => problemsOf(authRoleTrust, snapshot).map((p) => (p.data as { kind: string }).kind);
    expect(kindOf(loadFixture(`fail/${ID}--no-authenticated-role.json`))).toEqual(['unset']);
    expect(kindOf(loadFixture(`fail/${ID}--no-such-role.json`))).toEqual(['not-found']);
    expect(kindOf(loadFixture(`fail/${ID}.json`))).toEqual(['trust-refuses']);
  });

  it("no authenticated role: a role to create in the domain's account is suggested", () => {
    const [problem] = problemsOf(authRoleTrust, loadFixture(`fail/${ID}--no-authenticated-role.json`));
    expect(problem!.data).toMatchObject({
      receivesDefaultRole: 'every user',
      suggestedRole: expect.stringMatching(/^arn:aws:iam::123456789012:role\/Cognito_\S+Auth_Role$/),
    });
  });
});
