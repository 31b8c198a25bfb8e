import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/index.js';
import { problemsOf } from '../../src/testing.js';
import { check, loadFixture, report, runCheck, variant } from '../helpers.js';

const CHECK = 'access-policy-auth-roles';
const ACCT = '123456789012';
const AUTH = `arn:aws:iam::${ACCT}:role/Cognito_logsprodAuth_Role`;
const ADMIN = `arn:aws:iam::${ACCT}:role/logs-prod-dashboards-admin`;
const READER = `arn:aws:iam::${ACCT}:role/logs-prod-dashboards-reader`;
const LEGACY = `arn:aws:es:eu-west-1:${ACCT}:domain/kibana-legacy`;
const OS = `arn:aws:es:eu-west-1:${ACCT}:domain/logs-prod`;

const legacy = () => loadFixture('healthy/legacy-es-kibana.json');
const fgac = () => loadFixture('healthy/opensearch-fgac.json');
const groups = () => loadFixture('healthy/token-groups.json');

function setPolicy(s: Snapshot, ...statements: unknown[]): void {
  s.domain.AccessPolicies = JSON.stringify({ Version: '2012-10-17', Statement: statements });
}
const allow = (principal: unknown, resource = `${LEGACY}/*`, extra: Record<string, unknown> = {}) => ({
  Effect: 'Allow',
  Principal: principal,
  Action: 'es:ESHttp*',
  Resource: resource,
  ...extra,
});
const inlinePolicy = (s: Snapshot, roleArn: string, name: string, statement: unknown) => {
  s.rolePolicies![roleArn]!.inline!.push({ PolicyName: name, PolicyDocument: { Version: '2012-10-17', Statement: [statement] } });
};

/** The policy document inside `aws opensearch update-domain-config … --access-policies '<json>'`. */
function policyIn(command: string): { Statement: Array<Record<string, unknown>> } {
  const match = /--access-policies '(.*)'$/.exec(command);
  expect(match, command).not.toBeNull();
  return JSON.parse(match![1]!) as { Statement: Array<Record<string, unknown>> };
}

describe(CHECK, () => {
  describe('valid: stays quiet', () => {
    const valid: Array<[string, Snapshot]> = [
      ['legacy Elasticsearch domain whose policy names the role (Kibana path)', legacy()],
      ['principal as a one-element list', variant(legacy(), (s) => setPolicy(s, allow({ AWS: [AUTH] })))],
      ['Action es:* and Resource *', variant(legacy(), (s) => setPolicy(s, { Effect: 'Allow', Principal: { AWS: AUTH }, Action: 'es:*', Resource: '*' }))],
      [
        'Action lists every ESHttp verb',
        variant(legacy(), (s) =>
          setPolicy(
            s,
            allow({ AWS: AUTH }, `${LEGACY}/*`, {
              Action: ['es:ESHttpGet', 'es:ESHttpPost', 'es:ESHttpPut', 'es:ESHttpDelete', 'es:ESHttpHead', 'es:ESHttpPatch'],
            }),
          ),
        ),
      ],
      [
        'a role in an IAM path, named with its path',
        variant(legacy(), (s) => {
          const pathed = `arn:aws:iam::${ACCT}:role/service-role/Cognito_logsprodAuth_Role`;
          s.identityPoolRoles!.Roles!['authenticated'] = pathed;
          s.rolePolicies![pathed] = s.rolePolicies![AUTH]!;
          setPolicy(s, allow({ AWS: pathed }));
        }),
      ],
      [
        'wildcard principal restricted to the office network (the network condition is read as met)',
        variant(legacy(), (s) => setPolicy(s, allow('*', `${LEGACY}/*`, { Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } }))),
      ],
      [
        'wildcard principal restricted to the account (aws:PrincipalAccount is known)',
        variant(legacy(), (s) => setPolicy(s, allow({ AWS: '*' }, `${LEGACY}/*`, { Condition: { StringEquals: { 'aws:PrincipalAccount': ACCT } } }))),
      ],
      [
        'Allow conditioned on aws:SecureTransport with HTTPS enforced',
        variant(legacy(), (s) => setPolicy(s, allow({ AWS: AUTH }, `${LEGACY}/*`, { Condition: { Bool: { 'aws:SecureTransport': 'true' } } }))),
      ],
      [
        'a "deny unless HTTPS" statement on a domain that does not enforce HTTPS (Cognito sends the browser back to an https:// URL; fixture)',
        loadFixture('healthy/deny-insecure-transport.json'),
      ],
      [
        'an Allow conditioned on aws:SecureTransport, HTTPS not enforced',
        variant(legacy(), (s) => {
          s.domain.DomainEndpointOptions = { ...s.domain.DomainEndpointOptions, EnforceHTTPS: false };
          setPolicy(s, allow({ AWS: AUTH }, `${LEGACY}/*`, { Condition: { Bool: { 'aws:SecureTransport': 'true' } } }));
        }),
      ],
      [
        'a Deny for other networks (NotIpAddress) next to the role Allow',
        variant(legacy(), (s) =>
          setPolicy(s, allow({ AWS: AUTH }), {
            Effect: 'Deny',
            Principal: '*',
            Action: 'es:*',
            Resource: `${LEGACY}/*`,
            Condition: { NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8'] } },
          }),
        ),
      ],
      [
        'a Deny on the SQL endpoint only',
        variant(legacy(), (s) =>
          setPolicy(s, allow({ AWS: AUTH }), { Effect: 'Deny', Principal: { AWS: '*' }, Action: 'es:*', Resource: `${LEGACY}/_opendistro/_sql` }),
        ),
      ],
      [
        'account principal and an identity policy that allows es:ESHttp* (same account)',
        variant(legacy(), (s) => {
          setPolicy(s, allow({ AWS: `arn:aws:iam::${ACCT}:root` }));
          inlinePolicy(s, AUTH, 'dashboards', { Effect: 'Allow', Action: 'es:ESHttp*', Resource: `${LEGACY}/*` });
        }),
      ],
      [
        'no access policy at all, the role allowed by its own policy',
        variant(legacy(), (s) => {
          s.domain.AccessPolicies = '';
          inlinePolicy(s, AUTH, 'dashboards', {
            Effect: 'Allow',
            Action: ['es:ESHttpGet', 'es:ESHttpPost', 'es:ESHttpPut', 'es:ESHttpDelete', 'es:ESHttpHead'],
            Resource: `${LEGACY}/*`,
          });
        }),
      ],
      ['token mapping, every role named (FGAC on, IAM-based policy)', variant(groups(), (s) => setPolicy(s, allow({ AWS: [ADMIN, READER, AUTH] }, `${OS}/*`)))],
      [
        'token mapping with Deny resolution: the default role is never handed out',
        variant(groups(), (s) => {
          Object.values(s.identityPoolRoles!.RoleMappings!)[0]!.AmbiguousRoleResolution = 'Deny';
          setPolicy(s, allow({ AWS: [ADMIN, READER] }, `${OS}/*`));
        }),
      ],
    ];
    it.each(valid)('%s', (_name, snapshot) => {
      const r = runCheck(CHECK, snapshot);
      expect(r.ids).toEqual([]);
      expect(r.status).toBe('pass');
    });

    it('is not applicable when FGAC is on and the policy is open (FGAC decides)', () => {
      expect(runCheck(CHECK, fgac())).toMatchObject({ status: 'not-applicable', ids: [] });
    });
    it('is not applicable when FGAC is on and the policy is IP-based', () => {
      const s = variant(fgac(), (x) => setPolicy(x, allow({ AWS: '*' }, `${OS}/*`, { Condition: { IpAddress: { 'aws:SourceIp': ['198.51.100.0/24'] } } })));
      expect(runCheck(CHECK, s)).toMatchObject({ status: 'not-applicable', ids: [] });
    });
    it('is not applicable when Cognito is off', () => {
      const s = variant(legacy(), (x) => {
        x.domain.CognitoOptions = { Enabled: false };
      });
      expect(runCheck(CHECK, s).status).toBe('not-applicable');
    });
  });

  describe('invalid: fires', () => {
    it('auth-role-not-in-access-policy when only another role is named', () => {
      const r = runCheck(CHECK, loadFixture('fail/auth-role-not-in-access-policy.json'));
      expect(r.ids).toEqual(['auth-role-not-in-access-policy']);
      const f = r.findings[0]!;
      expect(f.severity).toBe('error');
      expect(f.resource).toBe(LEGACY);
      expect(f.evidence).toMatchObject({
        roleArn: AUTH,
        session: `arn:aws:sts::${ACCT}:assumed-role/Cognito_logsprodAuth_Role/CognitoIdentityCredentials`,
        request: `es:ESHttpGet ${LEGACY}/_plugin/kibana/app/kibana`,
        rolePoliciesRead: true,
        accessPolicy: { principals: [`arn:aws:iam::${ACCT}:role/logs-ingest-firehose`] },
      });
      // The whole merged policy: the ingestion statement kept, the Cognito statement added.
      const policy = policyIn(f.fix.commands![0]!);
      expect(f.fix.commands![0]).toContain('--domain-name kibana-legacy');
      expect(f.fix.commands![0]).toContain('--region eu-west-1');
      expect(policy.Statement).toHaveLength(2);
      expect(policy.Statement[0]).toMatchObject({ Principal: { AWS: `arn:aws:iam::${ACCT}:role/logs-ingest-firehose` } });
      expect(policy.Statement[1]).toEqual({
        Sid: 'CognitoDashboardsAccess',
        Effect: 'Allow',
        Principal: { AWS: AUTH },
        Action: 'es:ESHttp*',
        Resource: `${LEGACY}/*`,
      });
      expect(f.fix.steps!.join('\n')).toContain('aws iam put-role-policy --role-name Cognito_logsprodAuth_Role');
    });

    it('decides on the access policy alone, and says so, when the role policies were not read', () => {
      const s = variant(loadFixture('fail/auth-role-not-in-access-policy.json'), (x) => {
        delete x.rolePolicies;
      });
      const r = runCheck(CHECK, s);
      expect(r.ids).toEqual(['auth-role-not-in-access-policy']);
      expect(r.findings[0]!.evidence).toMatchObject({
        rolePoliciesRead: false,
        note: "the role's own policies were not read: decided on the access policy alone",
      });
    });

    it('auth-role-not-in-access-policy on an empty AccessPolicies string', () => {
      const r = runCheck(
        CHECK,
        variant(legacy(), (s) => {
          s.domain.AccessPolicies = '';
        }),
      );
      expect(r.ids).toEqual(['auth-role-not-in-access-policy']);
      expect(r.findings[0]!.evidence['accessPolicy']).toBe('none (AccessPolicies is empty)');
      expect(policyIn(r.findings[0]!.fix.commands![0]!).Statement).toEqual([
        { Sid: 'CognitoDashboardsAccess', Effect: 'Allow', Principal: { AWS: AUTH }, Action: 'es:ESHttp*', Resource: `${LEGACY}/*` },
      ]);
    });

    it('auth-role-not-in-access-policy through the account principal: the role is the resource to change', () => {
      const r = runCheck(CHECK, loadFixture('fail/auth-role-not-in-access-policy--account-principal.json'));
      expect(r.ids).toEqual(['auth-role-not-in-access-policy']);
      const f = r.findings[0]!;
      expect(f.resource).toBe(AUTH);
      expect(f.message).toContain('only through each principal');
      expect(f.fix.commands).toEqual([
        `aws iam put-role-policy --role-name Cognito_logsprodAuth_Role --policy-name opensearch-dashboards-access --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"es:ESHttp*","Resource":"${LEGACY}/*"}]}'`,
      ]);
    });

    it('a warning for the group role only, when the other roles pass', () => {
      const r = runCheck(CHECK, loadFixture('fail/auth-role-not-in-access-policy--group-role.json'));
      expect(r.ids).toEqual(['auth-role-not-in-access-policy']);
      expect(r.findings[0]).toMatchObject({ severity: 'warning', evidence: { roleArn: READER, users: ['members of group dashboards-readers'] } });
    });

    it('one whole-policy command grants every failing role', () => {
      const s = variant(groups(), (x) => setPolicy(x, allow({ AWS: ADMIN }, `${OS}/*`)));
      const r = runCheck(CHECK, s);
      expect(r.ids).toEqual(['auth-role-not-in-access-policy', 'auth-role-not-in-access-policy']);
      const commands = new Set(r.findings.map((f) => f.fix.commands![0]));
      expect(commands.size).toBe(1);
      const added = policyIn([...commands][0]!).Statement[1]!;
      expect(added['Principal']).toEqual({ AWS: [READER, AUTH] });
    });

    it.each([
      ['the bare domain ARN as Resource', 'fail/access-policy-resource-or-action-too-narrow.json', 'the trailing /* matters'],
      ['only the Kibana path', 'fail/access-policy-resource-or-action-too-narrow--kibana-path.json', `es:ESHttpPut`],
      ['only GET and HEAD', 'fail/access-policy-resource-or-action-too-narrow--get-only.json', 'es:ESHttpPost, es:ESHttpPut, es:ESHttpDelete'],
    ])('access-policy-resource-or-action-too-narrow: %s', (_name, fixture, inMessage) => {
      const r = runCheck(CHECK, loadFixture(fixture));
      expect(r.ids).toEqual(['access-policy-resource-or-action-too-narrow']);
      const f = r.findings[0]!;
      expect(f.severity).toBe('error');
      expect(f.message).toContain(inMessage);
      expect(f.evidence).toMatchObject({ required: { Action: 'es:ESHttp*', Resource: `${LEGACY}/*` } });
      expect((f.evidence['namingStatements'] as unknown[]).length).toBe(1);
    });

    it('access-policy-resource-or-action-too-narrow for a wildcard-principal statement on the wrong domain path', () => {
      const r = runCheck(
        CHECK,
        variant(legacy(), (s) => setPolicy(s, allow({ AWS: '*' }, `${LEGACY}/logs-*`))),
      );
      expect(r.ids).toEqual(['access-policy-resource-or-action-too-narrow']);
    });

    it("access-policy-resource-or-action-too-narrow when only the role's own policy admits it, partly", () => {
      const s = variant(legacy(), (x) => {
        x.domain.AccessPolicies = '';
        inlinePolicy(x, AUTH, 'read-only', { Effect: 'Allow', Action: 'es:ESHttpGet', Resource: `${LEGACY}/*` });
      });
      const r = runCheck(CHECK, s);
      expect(r.ids).toEqual(['access-policy-resource-or-action-too-narrow']);
      expect(r.findings[0]!.message).toMatch(/^The role's own IAM policies admit Cognito_logsprodAuth_Role/);
    });

    it('explicit-deny-blocks-auth-role: the "block Dashboards" Deny on an FGAC domain', () => {
      const r = runCheck(CHECK, loadFixture('fail/explicit-deny-blocks-auth-role.json'));
      expect(r.ids).toEqual(['explicit-deny-blocks-auth-role']);
      const f = r.findings[0]!;
      expect(f.message).toMatch(/^Statement BlockDashboards of the access policy denies Cognito_logsprodAuth_Role/);
      expect(f.evidence).toMatchObject({ fineGrainedAccessControl: true, denies: [{ in: 'access policy', index: 1 }] });
      // The Deny goes; the open Allow stays and already admits the role: no statement added.
      expect(policyIn(f.fix.commands![0]!).Statement).toEqual([allow({ AWS: '*' }, `${OS}/*`)]);
    });

    it('explicit-deny-blocks-auth-role: a Deny with several resources is narrowed, not dropped', () => {
      const r = runCheck(CHECK, loadFixture('fail/explicit-deny-blocks-auth-role--legacy-kibana.json'));
      expect(r.ids).toEqual(['explicit-deny-blocks-auth-role']);
      const policy = policyIn(r.findings[0]!.fix.commands![0]!);
      expect(policy.Statement[1]).toMatchObject({ Sid: 'NoKibanaNoSql', Effect: 'Deny', Resource: `${LEGACY}/_opendistro/_sql` });
    });

    it("explicit-deny-blocks-auth-role: a Deny in the role's own policy", () => {
      const r = runCheck(CHECK, loadFixture('fail/explicit-deny-blocks-auth-role--role-policy.json'));
      expect(r.ids).toEqual(['explicit-deny-blocks-auth-role']);
      const f = r.findings[0]!;
      expect(f.resource).toBe(AUTH);
      expect(f.evidence['denies']).toMatchObject([{ in: 'identity policy baseline-deny-analytics' }]);
      expect(f.fix.commands ?? []).toEqual([]);
      expect(f.fix.steps![0]).toContain('baseline-deny-analytics');
    });

    it('explicit-deny-blocks-auth-role: a Deny in the permissions boundary', () => {
      const s = variant(legacy(), (x) => {
        x.rolePolicies![AUTH]!.boundary = {
          PolicyArn: `arn:aws:iam::${ACCT}:policy/boundary`,
          PolicyName: 'boundary',
          Document: {
            Version: '2012-10-17',
            Statement: [
              { Effect: 'Allow', Action: '*', Resource: '*' },
              { Effect: 'Deny', Action: 'es:*', Resource: '*' },
            ],
          },
        };
      });
      const r = runCheck(CHECK, s);
      expect(r.ids).toEqual(['explicit-deny-blocks-auth-role']);
      expect(r.findings[0]!.evidence['denies']).toMatchObject([{ in: 'permissions boundary' }]);
    });

    it('explicit-deny-blocks-auth-role: a permissions boundary that does not allow es (the access policy admits the role)', () => {
      const BOUNDARY = `arn:aws:iam::${ACCT}:policy/workload-boundary`;
      const s = variant(legacy(), (x) => {
        x.rolePolicies![AUTH]!.boundary = {
          PolicyArn: BOUNDARY,
          PolicyName: 'workload-boundary',
          Document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:*', 'cognito-identity:*'], Resource: '*' }] },
        };
      });
      const r = runCheck(CHECK, s);
      expect(r.ids).toEqual(['explicit-deny-blocks-auth-role']);
      const f = r.findings[0]!;
      expect(f.resource).toBe(AUTH);
      expect(f.message).toContain(`The permissions boundary ${BOUNDARY} of Cognito_logsprodAuth_Role does not allow`);
      expect(f.evidence['permissionsBoundary']).toBe(BOUNDARY);
      // The fix is the boundary's, with es:ESHttp* on the domain added; the access policy is left alone.
      expect(f.fix.commands).toHaveLength(1);
      expect(f.fix.commands![0]).toContain(`aws iam create-policy-version --policy-arn ${BOUNDARY} --set-as-default --policy-document`);
      expect(f.fix.commands![0]).toContain(`"Action":"es:ESHttp*","Resource":"${LEGACY}/*"`);
      // A boundary that allows es leaves the verdict to the policies.
      const open = variant(legacy(), (x) => {
        x.rolePolicies![AUTH]!.boundary = {
          PolicyArn: BOUNDARY,
          PolicyName: 'workload-boundary',
          Document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:*', 'es:*'], Resource: '*' }] },
        };
      });
      expect(runCheck(CHECK, open)).toMatchObject({ status: 'pass', ids: [] });
    });

    it('most specific id wins: a Deny beats a too-narrow Allow, one id per role', () => {
      const s = variant(legacy(), (x) =>
        setPolicy(x, allow({ AWS: AUTH }, LEGACY), { Effect: 'Deny', Principal: { AWS: AUTH }, Action: 'es:ESHttpGet', Resource: `${LEGACY}/_plugin/kibana*` }),
      );
      expect(runCheck(CHECK, s).ids).toEqual(['explicit-deny-blocks-auth-role']);
    });

    it('a Deny on one verb (DELETE) is an explicit deny too', () => {
      const s = variant(legacy(), (x) =>
        setPolicy(x, allow({ AWS: AUTH }), { Effect: 'Deny', Principal: { AWS: '*' }, Action: 'es:ESHttpDelete', Resource: `${LEGACY}/*` }),
      );
      const r = runCheck(CHECK, s);
      expect(r.ids).toEqual(['explicit-deny-blocks-auth-role']);
      expect(r.findings[0]!.evidence['deniedRequests']).toEqual([`es:ESHttpDelete ${LEGACY}/.kibana/_search`]);
    });

    it('a Deny on DELETE only does not block Dashboards: a warning that names the refused operations', () => {
      const s = variant(legacy(), (x) =>
        setPolicy(x, allow({ AWS: AUTH }), { Effect: 'Deny', Principal: { AWS: '*' }, Action: 'es:ESHttpDelete', Resource: `${LEGACY}/*` }),
      );
      const f = runCheck(CHECK, s).findings[0]!;
      expect(f.severity).toBe('warning');
      expect(f.message).toContain('es:ESHttpDelete');
      expect(f.message).toContain('Dashboards loads and searches');
      expect(f.message).not.toContain('blocked');
      expect(f.evidence['dashboardsBlocked']).toBe(false);
    });

    it('a Deny on PUT and DELETE is a warning too; one that covers POST blocks Dashboards (error)', () => {
      const writes = variant(legacy(), (x) =>
        setPolicy(x, allow({ AWS: AUTH }), { Effect: 'Deny', Principal: '*', Action: ['es:ESHttpPut', 'es:ESHttpDelete'], Resource: `${LEGACY}/*` }),
      );
      expect(runCheck(CHECK, writes).findings[0]!.severity).toBe('warning');
      const post = variant(legacy(), (x) =>
        setPolicy(x, allow({ AWS: AUTH }), { Effect: 'Deny', Principal: '*', Action: 'es:ESHttpPost', Resource: `${LEGACY}/*` }),
      );
      const f = runCheck(CHECK, post).findings[0]!;
      expect(f).toMatchObject({ id: 'explicit-deny-blocks-auth-role', severity: 'error' });
      expect(f.message).toContain('Dashboards is blocked');
    });

    describe('a Deny with NotPrincipal (not supported by OpenSearch Service)', () => {
      const SESSION = `arn:aws:sts::${ACCT}:assumed-role/Cognito_logsprodAuth_Role/CognitoIdentityCredentials`;
      const denyAllBut = (ids: string[]) => ({ Sid: 'OnlyCognito', Effect: 'Deny', NotPrincipal: { AWS: ids }, Action: 'es:*', Resource: `${LEGACY}/*` });

      it('naming only the role: the session may be denied → a warning with a rewrite that keeps the intent', () => {
        const s = variant(legacy(), (x) => setPolicy(x, allow({ AWS: AUTH }), denyAllBut([AUTH, `arn:aws:iam::${ACCT}:root`])));
        const r = runCheck(CHECK, s);
        expect(r.ids).toEqual(['explicit-deny-blocks-auth-role']);
        const f = r.findings[0]!;
        expect(f.severity).toBe('warning');
        expect(f.message).toMatch(/^Statement OnlyCognito of the access policy denies every principal its NotPrincipal does not list/);
        expect(f.message).toContain(SESSION);
        expect(f.evidence['notPrincipal']).toContain('OpenSearch Service does not support NotPrincipal');
        const rewritten = policyIn(f.fix.commands![0]!).Statement[1]!;
        expect(rewritten).toEqual({
          Sid: 'OnlyCognito',
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: 'es:*',
          Resource: `${LEGACY}/*`,
          Condition: { ArnNotEquals: { 'aws:PrincipalArn': AUTH } },
        });
      });

      it('the rewrite lets the role in (checked by running the check on the fixed policy)', () => {
        const s = variant(legacy(), (x) => setPolicy(x, allow({ AWS: AUTH }), denyAllBut([AUTH])));
        const command = runCheck(CHECK, s).findings[0]!.fix.commands![0]!;
        const fixed = variant(legacy(), (x) => {
          x.domain.AccessPolicies = JSON.stringify(policyIn(command));
        });
        expect(runCheck(CHECK, fixed)).toMatchObject({ status: 'pass', ids: [] });
      });

      it('naming only the account: rewritten as a Deny for other accounts', () => {
        const s = variant(legacy(), (x) => setPolicy(x, allow({ AWS: AUTH }), denyAllBut([ACCT])));
        const f = runCheck(CHECK, s).findings[0]!;
        expect(f.severity).toBe('warning');
        expect(policyIn(f.fix.commands![0]!).Statement[1]!['Condition']).toEqual({ StringNotEquals: { 'aws:PrincipalAccount': ACCT } });
      });

      it('listing the session ARN as IAM recommends: quiet', () => {
        const s = variant(legacy(), (x) => setPolicy(x, allow({ AWS: AUTH }), denyAllBut([SESSION, AUTH, `arn:aws:iam::${ACCT}:root`])));
        expect(runCheck(CHECK, s)).toMatchObject({ status: 'pass', ids: [] });
      });

      it('a NotPrincipal Deny that does not cover the Dashboards requests: quiet', () => {
        const s = variant(legacy(), (x) => setPolicy(x, allow({ AWS: AUTH }), { ...denyAllBut([AUTH]), Resource: `${LEGACY}/_opendistro/_sql` }));
        expect(runCheck(CHECK, s)).toMatchObject({ status: 'pass', ids: [] });
      });
    });
  });

  describe('one evaluation with trace and access', () => {
    it('a condition operator cogdoctor cannot evaluate on the Allow that names the role: not evaluated, naming the operator', () => {
      const s = variant(legacy(), (x) =>
        setPolicy(x, allow({ AWS: AUTH }, `${LEGACY}/*`, { Condition: { BinaryEquals: { 'aws:PrincipalAccount': 'MTIzNDU2Nzg5MDEy' } } })),
      );
      const r = runCheck(CHECK, s);
      expect(r.ids).toEqual([]);
      expect(r.status).toBe('not-evaluated');
      expect(r.reason).toContain('condition operators cogdoctor cannot evaluate (BinaryEquals)');
    });

    it('the evidence of a Deny names its Sid and its position, as access does', () => {
      const r = runCheck(CHECK, loadFixture('fail/explicit-deny-blocks-auth-role.json'));
      expect(r.findings[0]!.evidence['denies']).toMatchObject([{ in: 'access policy', sid: 'BlockDashboards', index: 1 }]);
    });

    it('a role of another account is not let in by its own policies alone: the access policy must name it', () => {
      const other = 'arn:aws:iam::210987654321:role/Cognito_logsprodAuth_Role';
      const s = variant(legacy(), (x) => {
        x.identityPoolRoles!.Roles!['authenticated'] = other;
        x.roles = [...(x.roles ?? []), { ...x.roles!.find((role) => role.Arn === AUTH)!, Arn: other }];
        x.rolePolicies![other] = {
          attached: [],
          inline: [
            {
              PolicyName: 'dashboards',
              PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'es:ESHttp*', Resource: `${LEGACY}/*` }] },
            },
          ],
        };
      });
      const r = runCheck(CHECK, s);
      expect(r.ids).toEqual(['auth-role-not-in-access-policy']);
      expect(r.findings[0]!.message).toMatch(/^No statement of the access policy of kibana-legacy admits Cognito_logsprodAuth_Role/);
    });
  });

  describe('undecided and partial reads', () => {
    it('account principal, and the role holds a managed policy listed without its document', () => {
      const withAttached = (PolicyArn: string) =>
        variant(loadFixture('fail/auth-role-not-in-access-policy--account-principal.json'), (x) => {
          (x.rolePolicies![AUTH]!.attached ??= []).push({ PolicyArn, PolicyName: PolicyArn.split('/').pop()! });
        });
      // Known content (es:* on *): the role's own policy admits it.
      expect(runCheck(CHECK, withAttached('arn:aws:iam::aws:policy/AmazonOpenSearchServiceFullAccess'))).toMatchObject({ status: 'pass', ids: [] });
      // Unknown content: it may hold the Allow, so no "no policy allows" finding.
      const r = runCheck(CHECK, withAttached(`arn:aws:iam::${ACCT}:policy/dashboards-access`));
      expect(r.ids).toEqual([]);
      expect(r.status).toBe('not-evaluated');
      // The read of that document failed: unknown, naming the permission.
      const failed = variant(withAttached(`arn:aws:iam::${ACCT}:policy/dashboards-access`), (x) => {
        x.errors = [{ operation: 'iam:GetPolicyVersion', resource: `arn:aws:iam::${ACCT}:policy/dashboards-access`, code: 'AccessDenied' }];
      });
      const u = runCheck(CHECK, failed);
      expect(u).toMatchObject({ status: 'unknown', ids: [] });
      expect(u.reason).toContain('iam:GetPolicyVersion AccessDenied');
    });

    it('account principal without the role policies: not evaluated, no finding', () => {
      const s = variant(loadFixture('fail/auth-role-not-in-access-policy--account-principal.json'), (x) => {
        delete x.rolePolicies;
      });
      const r = runCheck(CHECK, s);
      expect(r.ids).toEqual([]);
      expect(r.status).toBe('not-evaluated');
      expect(r.reason).toContain('account principal');
    });

    it('an Allow that hangs on a key nobody can know (aws:PrincipalTag) is not evaluated', () => {
      const s = variant(legacy(), (x) =>
        setPolicy(x, allow({ AWS: '*' }, `${LEGACY}/*`, { Condition: { StringEquals: { 'aws:PrincipalTag/team': 'logs' } } })),
      );
      const r = runCheck(CHECK, s);
      expect(r).toMatchObject({ status: 'not-evaluated', ids: [] });
      expect(r.reason).toContain('aws:principaltag/team');
    });

    it('a Deny that hangs on aws:PrincipalOrgID is not evaluated', () => {
      const s = variant(legacy(), (x) =>
        setPolicy(x, allow({ AWS: AUTH }), {
          Effect: 'Deny',
          Principal: '*',
          Action: 'es:*',
          Resource: `${LEGACY}/*`,
          Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
        }),
      );
      expect(runCheck(CHECK, s)).toMatchObject({ status: 'not-evaluated', ids: [] });
    });

    it('a condition that fails whatever the unknown key holds still fires', () => {
      // Even read favourably (tag condition met), the resource is wrong.
      const s = variant(legacy(), (x) => setPolicy(x, allow({ AWS: AUTH }, LEGACY, { Condition: { StringEquals: { 'aws:PrincipalTag/team': 'logs' } } })));
      expect(runCheck(CHECK, s).ids).toEqual(['access-policy-resource-or-action-too-narrow']);
    });

    it('GetIdentityPoolRoles denied → unknown, naming the permission', () => {
      const s = variant(legacy(), (x) => {
        x.identityPoolRoles = null;
        x.errors = [
          {
            operation: 'cognito-identity:GetIdentityPoolRoles',
            resource: x.domain.CognitoOptions!.IdentityPoolId!,
            code: 'AccessDeniedException',
            message: 'not authorized',
          },
        ];
      });
      const r = report(s).checks.find((c) => c.check === CHECK)!;
      expect(r.status).toBe('unknown');
      expect(r.permission).toBe('cognito-identity:GetIdentityPoolRoles');
      expect(r.reason).toContain('denied');
    });

    it("a failed read of the role's policies → unknown when nothing else fails", () => {
      const s = variant(legacy(), (x) => {
        delete x.rolePolicies![AUTH];
        x.errors = [{ operation: 'iam:ListRolePolicies', resource: 'Cognito_logsprodAuth_Role', code: 'AccessDenied', message: 'denied' }];
      });
      const r = report(s).checks.find((c) => c.check === CHECK)!;
      expect(r.status).toBe('unknown');
      expect(r.reason).toContain('iam:ListRolePolicies');
    });

    it('role policies not collected: the access policy alone admits the role → pass', () => {
      expect(
        runCheck(
          CHECK,
          variant(legacy(), (x) => {
            delete x.rolePolicies;
          }),
        ).status,
      ).toBe('pass');
    });
  });
});

describe('an access policy a template or plan leaves undecided', () => {
  it('is unknown, not "no policy"', () => {
    const s = variant(legacy(), (x) => {
      delete x.domain.AccessPolicies;
      x.errors = [
        {
          operation: 'terraform:Resolve',
          resource: 'aws_elasticsearch_domain.kibana.access_policies',
          code: 'UnknownAfterApply',
          message: 'known only after apply',
        },
      ];
    });
    expect(runCheck(CHECK, s)).toMatchObject({ status: 'unknown', ids: [] });
  });

  describe('problems: what the wording is built from', () => {
    it('a Deny on DELETE only: the deny, the refused request, and that Dashboards still loads', () => {
      const s = variant(legacy(), (x) =>
        setPolicy(x, allow({ AWS: AUTH }), { Effect: 'Deny', Principal: { AWS: '*' }, Action: 'es:ESHttpDelete', Resource: `${LEGACY}/*` }),
      );
      expect(problemsOf(check(CHECK), s)).toMatchObject([
        {
          mode: 'explicit-deny-blocks-auth-role',
          severity: 'warning',
          data: { blockedBy: 'deny', roleArn: AUTH, notPrincipal: false, dashboardsBlocked: false, requests: [{ action: 'es:ESHttpDelete' }] },
        },
      ]);
    });

    it('a permissions boundary: the boundary and its document, for the fix', () => {
      const BOUNDARY = `arn:aws:iam::${ACCT}:policy/workload-boundary`;
      const document = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:*'], Resource: '*' }] };
      const s = variant(legacy(), (x) => {
        x.rolePolicies![AUTH]!.boundary = { PolicyArn: BOUNDARY, PolicyName: 'workload-boundary', Document: document };
      });
      expect(problemsOf(check(CHECK), s)).toMatchObject([
        { mode: 'explicit-deny-blocks-auth-role', resource: AUTH, data: { blockedBy: 'boundary', PermissionsBoundary: BOUNDARY, boundaryDocument: document } },
      ]);
    });

    it('a role no statement names: one whole-policy change that adds it', () => {
      const s = variant(legacy(), (x) => setPolicy(x, allow({ AWS: ADMIN })));
      const [problem] = problemsOf(check(CHECK), s);
      expect(problem).toMatchObject({
        mode: 'auth-role-not-in-access-policy',
        data: { roleArn: AUTH, throughAccount: false, otherAccount: null, policyChange: { denyChanges: [], addRoles: [AUTH] } },
      });
    });
  });
});
