import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/index.js';
import { problemsOf } from '../../src/testing.js';
import check from '../../checks/cognito-access-role-trust.js';
import { loadFixture, runCheck, variant } from '../helpers.js';
import {
  ADMIN,
  applyTrustFix,
  AUTH,
  china,
  custom,
  failRole,
  fgac,
  GOOD,
  govCloud,
  groups,
  IP,
  legacy,
  LEGACY_SERVICE,
  policyInCommand,
  SERVICE,
  UNAUTH,
  UP,
  withTrust,
} from './identity-helpers.js';

const CHECK = 'cognito-access-role-trust';
const ID = 'cognito-access-role-untrusted';
const DOMAIN_ARN = 'arn:aws:es:eu-west-1:123456789012:domain/logs-prod';

const service = (statement: Record<string, unknown>) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'opensearchservice.amazonaws.com' }, Action: 'sts:AssumeRole', ...statement }],
});

const valid: Array<[string, Snapshot]> = [
  ['healthy OpenSearch domain (URL-encoded trust)', fgac],
  ['healthy legacy domain: CognitoAccessForAmazonES trusts es.amazonaws.com', legacy],
  ['healthy custom endpoint', custom],
  ['healthy token-based mapping', groups],
  ['trust as a decoded object', withTrust(fgac, SERVICE, service({}), 'object')],
  ['trust as a plain JSON string', withTrust(fgac, SERVICE, service({}), 'json')],
  ['service list with both principals', withTrust(fgac, SERVICE, service({ Principal: { Service: ['es.amazonaws.com', 'opensearchservice.amazonaws.com'] } }))],
  ['Action list and sts:*', withTrust(fgac, SERVICE, service({ Action: ['sts:*'] }))],
  [
    'confused-deputy conditions for this account and domain',
    withTrust(
      fgac,
      SERVICE,
      service({
        Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' }, ArnLike: { 'aws:SourceArn': 'arn:aws:es:eu-west-1:123456789012:domain/*' } },
      }),
    ),
  ],
  [
    'an extra statement for another principal',
    withTrust(fgac, SERVICE, {
      Version: '2012-10-17',
      Statement: [...service({}).Statement, { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:role/ci' }, Action: 'sts:AssumeRole' }],
    }),
  ],
  ['GovCloud', govCloud(fgac)],
  ['China', china(fgac)],
  [
    'identity pool not found: the role is still judged (identity-pool-not-found reports the pool)',
    variant(fgac, (s) => {
      delete s.identityPool;
      delete s.identityPoolRoles;
      s.errors = [{ operation: 'cognito-identity:DescribeIdentityPool', resource: IP, code: 'ResourceNotFoundException' }];
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
  resource: string;
  evidence: Record<string, unknown>;
  message: RegExp;
}

const invalid: Invalid[] = [
  {
    name: 'trust copied from the identity pool role (fixture)',
    snapshot: loadFixture(`fail/${ID}.json`),
    resource: SERVICE,
    evidence: { RoleArn: SERVICE },
    message: /written for cognito-identity.amazonaws.com/,
  },
  {
    name: 'RoleArn is the authenticated role (fixture)',
    snapshot: loadFixture(`fail/${ID}--role-confusion.json`),
    resource: DOMAIN_ARN,
    evidence: { RoleArn: AUTH, alsoUsedAs: ['the authenticated role'] },
    message: /also the authenticated role/,
  },
  {
    name: 'role deleted: NoSuchEntity (fixture)',
    snapshot: loadFixture(`fail/${ID}--no-such-role.json`),
    resource: SERVICE,
    evidence: { getRole: { code: 'NoSuchEntity' } },
    message: /does not exist/,
  },
  {
    name: 'trust for ec2.amazonaws.com',
    snapshot: withTrust(fgac, SERVICE, service({ Principal: { Service: 'ec2.amazonaws.com' } })),
    resource: SERVICE,
    evidence: { trustedPrincipals: ['ec2.amazonaws.com'] },
    message: /it trusts ec2.amazonaws.com/,
  },
  {
    name: 'legacy role with the wrong action',
    snapshot: withTrust(legacy, LEGACY_SERVICE, service({ Principal: { Service: 'es.amazonaws.com' }, Action: 'sts:AssumeRoleWithWebIdentity' }), 'object'),
    resource: LEGACY_SERVICE,
    evidence: {},
    message: /not sts:AssumeRole/,
  },
  {
    name: 'a Deny statement for the service',
    snapshot: withTrust(fgac, SERVICE, {
      Version: '2012-10-17',
      Statement: [...service({}).Statement, { Sid: 'NoService', Effect: 'Deny', Principal: { Service: 'opensearchservice.amazonaws.com' }, Action: 'sts:*' }],
    }),
    resource: SERVICE,
    evidence: {},
    message: /NoService/,
  },
  {
    name: 'SourceAccount of another account',
    snapshot: withTrust(fgac, SERVICE, service({ Condition: { StringEquals: { 'aws:SourceAccount': '210987654321' } } })),
    resource: SERVICE,
    evidence: {},
    message: /conditions of its trust policy/,
  },
  {
    name: 'RoleArn is a group role',
    snapshot: variant(groups, (s) => (s.domain.CognitoOptions!.RoleArn = ADMIN)),
    resource: DOMAIN_ARN,
    evidence: { alsoUsedAs: ['the role of group dashboards-admins'] },
    message: /also the role of group dashboards-admins/,
  },
  {
    name: 'RoleArn is the unauthenticated role',
    snapshot: variant(fgac, (s) => {
      s.identityPoolRoles!.Roles!['unauthenticated'] = UNAUTH;
      s.domain.CognitoOptions!.RoleArn = UNAUTH;
    }),
    resource: DOMAIN_ARN,
    evidence: { alsoUsedAs: ['the unauthenticated role'] },
    message: /also the unauthenticated role/,
  },
];

describe(`${CHECK}: fires`, () => {
  it.each(invalid.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const r = runCheck(CHECK, c.snapshot);
    expect(r.status).toBe('fail');
    expect(r.ids).toEqual([ID]);
    expect(r.findings[0]!.severity).toBe('error');
    expect(r.findings[0]!.resource).toBe(c.resource);
    expect(r.findings[0]!.evidence).toMatchObject(c.evidence);
    expect(r.findings[0]!.message).toMatch(c.message);
  });
});

describe(`${CHECK}: fixes`, () => {
  it.each(invalid.filter((c) => c.resource === SERVICE && !('getRole' in c.evidence)).map((c) => [c.name, c] as const))(
    'applying the printed trust makes the check pass: %s',
    (_name, c) => {
      const command = runCheck(CHECK, c.snapshot).findings[0]!.fix.commands![0]!;
      expect(command).toMatch(/^aws iam update-assume-role-policy --role-name CognitoAccessForAmazonOpenSearch --policy-document '/);
      expect(runCheck(CHECK, applyTrustFix(c.snapshot, command)).status).toBe('pass');
    },
  );

  it('the Cognito identity statements are dropped from the service role', () => {
    const command = runCheck(CHECK, loadFixture(`fail/${ID}.json`)).findings[0]!.fix.commands![0]!;
    expect(policyInCommand(command)).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'opensearchservice.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    });
  });

  it('role confusion: a dedicated role, the managed policy and the domain update with real ids', () => {
    const [finding] = runCheck(CHECK, loadFixture(`fail/${ID}--role-confusion.json`)).findings;
    const commands = finding!.fix.commands!;
    expect(commands[0]).toMatch(/^aws iam create-role --role-name CognitoAccessForAmazonOpenSearch --path \/service-role\/ --assume-role-policy-document '/);
    expect(commands[1]).toBe(
      'aws iam attach-role-policy --role-name CognitoAccessForAmazonOpenSearch --policy-arn arn:aws:iam::aws:policy/AmazonOpenSearchServiceCognitoAccess',
    );
    expect(commands[2]).toBe(
      `aws opensearch update-domain-config --region eu-west-1 --domain-name logs-prod --cognito-options '{"Enabled":true,"UserPoolId":"${UP}","IdentityPoolId":"${IP}","RoleArn":"${SERVICE}"}'`,
    );
  });

  it('a deleted role is re-created under /service-role/ with the managed policy', () => {
    const commands = runCheck(CHECK, loadFixture(`fail/${ID}--no-such-role.json`)).findings[0]!.fix.commands!;
    expect(commands[0]).toMatch(/--role-name CognitoAccessForAmazonOpenSearch --path \/service-role\//);
    expect(commands[1]).toContain('AmazonOpenSearchServiceCognitoAccess');
  });

  it('GovCloud: the managed policy ARN carries the partition', () => {
    const snapshot = variant(govCloud(fgac), (s) => failRole(s, SERVICE.replace('arn:aws:', 'arn:aws-us-gov:'), 'NoSuchEntity'));
    const commands = runCheck(CHECK, snapshot).findings[0]!.fix.commands!;
    expect(commands[1]).toContain('arn:aws-us-gov:iam::aws:policy/AmazonOpenSearchServiceCognitoAccess');
  });
});

describe(`${CHECK}: partial reads`, () => {
  it('GetRole denied on the service role → unknown, naming the permission', () => {
    const r = runCheck(
      CHECK,
      variant(fgac, (s) => failRole(s, SERVICE, 'AccessDenied')),
    );
    expect(r.status).toBe('unknown');
    expect(r.reason).toContain('iam:GetRole denied on');
    expect(r.reason).toContain('CognitoAccessForAmazonOpenSearch');
  });

  it('GetIdentityPoolRoles denied → unknown (role confusion cannot be ruled out)', () => {
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

  it('GetIdentityPoolRoles denied and a broken trust → still fails', () => {
    const r = runCheck(
      CHECK,
      variant(loadFixture(`fail/${ID}.json`), (s) => {
        delete s.identityPoolRoles;
        s.errors = [{ operation: 'cognito-identity:GetIdentityPoolRoles', resource: IP, code: 'AccessDeniedException' }];
      }),
    );
    expect(r.ids).toEqual([ID]);
  });

  describe('ListGroups denied', () => {
    const noGroups = (s: Snapshot) => {
      delete s.userPoolGroups;
      s.errors = [...(s.errors ?? []), { operation: 'cognito-idp:ListGroups', resource: UP, code: 'AccessDeniedException', message: 'no' }];
    };

    it('the service role trusts only OpenSearch Service: no group can hand it out, so the check decides (pass)', () => {
      expect(runCheck(CHECK, variant(groups, noGroups))).toMatchObject({ status: 'pass', ids: [] });
    });

    it('and a broken service trust still fails, with no unknown left', () => {
      const r = runCheck(
        CHECK,
        withTrust(variant(groups, noGroups), SERVICE, {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        }),
      );
      expect(r).toMatchObject({ status: 'fail', ids: [ID] });
    });

    it('role confusion with the authenticated role is found without the groups', () => {
      const r = runCheck(
        CHECK,
        variant(groups, (s) => {
          noGroups(s);
          s.domain.CognitoOptions!.RoleArn = s.identityPoolRoles!.Roles!['authenticated'];
        }),
      );
      expect(r).toMatchObject({ status: 'fail', ids: [ID] });
    });

    it('a service role that also trusts the Cognito identity service could be a group role: unknown', () => {
      const r = runCheck(
        CHECK,
        withTrust(variant(groups, noGroups), SERVICE, { Version: '2012-10-17', Statement: [...service({}).Statement, ...GOOD().Statement] }),
      );
      expect(r.status).toBe('unknown');
      expect(r.reason).toContain('cognito-idp:ListGroups');
    });
  });

  it('an unevaluable condition operator → unknown', () => {
    const r = runCheck(CHECK, withTrust(fgac, SERVICE, service({ Condition: { StringEqualsFancy: { 'aws:SourceAccount': '123456789012' } } })));
    expect(r.status).toBe('unknown');
  });

  it('a Cognito role trust on the service role is judged by its service trust only', () => {
    // A role that trusts both is technically usable by OpenSearch Service; confusion is only about identity-pool roles.
    const r = runCheck(CHECK, withTrust(fgac, SERVICE, { Version: '2012-10-17', Statement: [...service({}).Statement, ...GOOD().Statement] }));
    expect(r.status).toBe('pass');
  });
});

describe(`${CHECK}: problems`, () => {
  it("say why the service cannot use the role: also a users' role, not found, or a trust that refuses it", () => {
    const why = (fixture: string) => problemsOf(check, loadFixture(fixture)).map((p) => (p.data as { why: string }).why);
    expect(why(`fail/${ID}--role-confusion.json`)).toEqual(['also-users-role']);
    expect(why(`fail/${ID}--no-such-role.json`)).toEqual(['not-found']);
    expect(why(`fail/${ID}.json`)).toEqual(['trust']);
  });

  it('role confusion carries the dedicated role to create and the uses of the role', () => {
    const [problem] = problemsOf(check, loadFixture(`fail/${ID}--role-confusion.json`));
    expect(problem).toMatchObject({
      mode: ID,
      resource: DOMAIN_ARN,
      data: {
        RoleArn: AUTH,
        alsoUsedAs: [expect.stringContaining('authenticated')],
        dedicatedRoleArn: SERVICE,
        CognitoOptions: { UserPoolId: UP, IdentityPoolId: IP },
      },
    });
  });
});
