import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/index.js';
import { problemsOf } from '../../src/testing.js';
import { check, loadFixture, runCheck, variant } from '../helpers.js';

const CHECK = 'open-access-policy';
const ACCT = '123456789012';
const AUTH = `arn:aws:iam::${ACCT}:role/Cognito_logsprodAuth_Role`;
const INGEST = `arn:aws:iam::${ACCT}:role/logs-ingest-firehose`;
const LEGACY = `arn:aws:es:eu-west-1:${ACCT}:domain/kibana-legacy`;
const OS = `arn:aws:es:eu-west-1:${ACCT}:domain/logs-prod`;

const legacy = () => loadFixture('healthy/legacy-es-kibana.json');
const fgac = () => loadFixture('healthy/opensearch-fgac.json');

function setPolicy(s: Snapshot, ...statements: unknown[]): void {
  s.domain.AccessPolicies = JSON.stringify({ Version: '2012-10-17', Statement: statements });
}
const open = (principal: unknown = { AWS: '*' }, resource = `${LEGACY}/*`, extra: Record<string, unknown> = {}) => ({
  Effect: 'Allow',
  Principal: principal,
  Action: 'es:ESHttp*',
  Resource: resource,
  ...extra,
});
const ip = (operator: string, ...ranges: string[]) => ({ Condition: { [operator]: { 'aws:SourceIp': ranges } } });
function cognitoOff(s: Snapshot): void {
  s.domain.CognitoOptions = { Enabled: false };
  s.userPool = null;
  s.userPoolClients = null;
  s.userPoolGroups = null;
  s.identityPool = null;
  s.identityPoolRoles = null;
  s.roles = [];
  delete s.rolePolicies;
}
function vpc(s: Snapshot, withOptions = true): void {
  delete s.domain.Endpoint;
  s.domain.Endpoints = { vpc: 'vpc-kibana-legacy-x7lq3m2n5p8r1t4v6w9y0z2b4d.eu-west-1.es.amazonaws.com' };
  if (withOptions)
    s.domain.VPCOptions = { VPCId: 'vpc-0a1b2c3d4e5f60718', SubnetIds: ['subnet-0a1b2c3d4e5f60718'], SecurityGroupIds: ['sg-0a1b2c3d4e5f60718'] };
}
function policyIn(command: string): { Statement: Array<Record<string, unknown>> } {
  const match = /--access-policies '(.*)'$/.exec(command);
  expect(match, command).not.toBeNull();
  return JSON.parse(match![1]!) as { Statement: Array<Record<string, unknown>> };
}

describe(CHECK, () => {
  it('runs when Cognito is off (scope domain)', () => {
    expect(check(CHECK).scope).toBe('domain');
  });

  describe('valid: stays quiet', () => {
    const valid: Array<[string, Snapshot]> = [
      ['FGAC on with the open policy FGAC recommends', fgac()],
      [
        'FGAC on, open policy, VPC domain, Cognito off',
        variant(fgac(), (s) => {
          cognitoOff(s);
          vpc(s);
        }),
      ],
      ['FGAC off, the policy names the Cognito role', legacy()],
      ['FGAC off, the policy delegates to the account root', variant(legacy(), (s) => setPolicy(s, open({ AWS: `arn:aws:iam::${ACCT}:root` })))],
      [
        'FGAC off, wildcard principal limited to the account (unsigned requests cannot match)',
        variant(legacy(), (s) => setPolicy(s, open('*', `${LEGACY}/*`, { Condition: { StringEquals: { 'aws:PrincipalAccount': ACCT } } }))),
      ],
      [
        'FGAC off, Cognito off, IP-restricted (no login to bypass; restricted, so not open)',
        variant(legacy(), (s) => {
          cognitoOff(s);
          setPolicy(s, open('*', `${LEGACY}/*`, ip('IpAddress', '203.0.113.0/24')));
        }),
      ],
      [
        'FGAC off, wildcard principal on the bare domain ARN (covers no subresource)',
        variant(legacy(), (s) => setPolicy(s, open({ AWS: '*' }, LEGACY), open({ AWS: AUTH }))),
      ],
      [
        'FGAC off, an open Deny only',
        variant(legacy(), (s) => setPolicy(s, open({ AWS: AUTH }), { Effect: 'Deny', Principal: '*', Action: 'es:*', Resource: `${LEGACY}/_opendistro/_sql` })),
      ],
      [
        'FGAC off, empty AccessPolicies',
        variant(legacy(), (s) => {
          s.domain.AccessPolicies = '';
        }),
      ],
    ];
    it.each(valid)('%s', (_name, snapshot) => {
      const r = runCheck(CHECK, snapshot);
      expect(r.ids).toEqual([]);
      expect(r.status).toBe('pass');
    });
  });

  describe('invalid: fires', () => {
    it('an unconditioned open policy with Cognito on: the login-path error and the posture warning', () => {
      const r = runCheck(CHECK, loadFixture('fail/login-page-bypassed-open-policy.json'));
      expect(r.ids).toEqual(['login-page-bypassed-open-policy', 'access-policy-open-no-fgac']);
      const [b1, posture] = r.findings;
      expect(b1).toMatchObject({
        severity: 'error',
        resource: LEGACY,
        evidence: { vpc: false, fineGrainedAccessControl: false, statements: [{ index: 0, restriction: 'none' }] },
      });
      expect(b1!.message).toContain('without the Cognito login');
      expect(posture).toMatchObject({ severity: 'warning', resource: LEGACY });
      // The fix: the open statement replaced by the Cognito role statement, the whole policy re-applied.
      expect(b1!.fix.commands).toHaveLength(1);
      expect(b1!.fix.commands![0]).toContain('aws opensearch update-domain-config --region eu-west-1 --domain-name kibana-legacy --access-policies');
      expect(policyIn(b1!.fix.commands![0]!).Statement).toEqual([
        { Sid: 'CognitoDashboardsAccess', Effect: 'Allow', Principal: { AWS: AUTH }, Action: 'es:ESHttp*', Resource: `${LEGACY}/*` },
      ]);
    });

    it('an IP-restricted wildcard statement: only the login bypass, naming the addresses', () => {
      const r = runCheck(CHECK, loadFixture('fail/login-page-bypassed-open-policy--source-ip.json'));
      expect(r.ids).toEqual(['login-page-bypassed-open-policy']);
      expect(r.findings[0]!.message).toContain('203.0.113.0/24');
      expect(r.findings[0]!.evidence['statements']).toMatchObject([{ sid: 'Office', restriction: 'source-ip', aws_SourceIp: ['203.0.113.0/24'] }]);
    });

    it('a NotIpAddress-only wildcard statement bypasses the login too', () => {
      const s = variant(legacy(), (x) => setPolicy(x, open('*', `${LEGACY}/*`, ip('NotIpAddress', '192.0.2.0/24'))));
      expect(runCheck(CHECK, s).ids).toEqual(['login-page-bypassed-open-policy']);
    });

    it('aws:SourceIp 0.0.0.0/0 counts as open', () => {
      const s = variant(legacy(), (x) => setPolicy(x, open('*', `${LEGACY}/*`, ip('IpAddress', '0.0.0.0/0'))));
      expect(runCheck(CHECK, s).ids).toEqual(['login-page-bypassed-open-policy', 'access-policy-open-no-fgac']);
    });

    it('an open statement on the Kibana path only bypasses the login', () => {
      const s = variant(legacy(), (x) => setPolicy(x, open({ AWS: AUTH }), open('*', `${LEGACY}/_plugin/kibana*`)));
      const r = runCheck(CHECK, s);
      expect(r.ids).toEqual(['login-page-bypassed-open-policy', 'access-policy-open-no-fgac']);
      // Other statements stay in the fix.
      const statements = policyIn(r.findings[0]!.fix.commands![0]!).Statement;
      expect(statements).toHaveLength(2);
      expect(statements[0]).toMatchObject({ Principal: { AWS: AUTH } });
    });

    it('an open statement on some indices only: the posture warning, no login bypass', () => {
      const s = variant(legacy(), (x) =>
        setPolicy(x, open({ AWS: AUTH }), { Effect: 'Allow', Principal: '*', Action: 'es:ESHttpGet', Resource: `${LEGACY}/public-*` }),
      );
      expect(runCheck(CHECK, s).ids).toEqual(['access-policy-open-no-fgac']);
    });

    it('an open Allow that a Deny NotIpAddress limits to one range is not open to everyone: no posture warning', () => {
      const deny = { Effect: 'Deny', Principal: { AWS: '*' }, Action: 'es:*', Resource: `${LEGACY}/*`, ...ip('NotIpAddress', '203.0.113.0/24') };
      const r = runCheck(
        CHECK,
        variant(legacy(), (x) => setPolicy(x, open({ AWS: AUTH }), open('*'), deny)),
      );
      expect(r.ids).not.toContain('access-policy-open-no-fgac');
      // A Deny that spares everyone (only plain HTTP) leaves the policy open.
      const https = { Effect: 'Deny', Principal: '*', Action: 'es:*', Resource: `${LEGACY}/*`, Condition: { Bool: { 'aws:SecureTransport': 'false' } } };
      expect(
        runCheck(
          CHECK,
          variant(legacy(), (x) => setPolicy(x, open({ AWS: AUTH }), open('*'), https)),
        ).ids,
      ).toContain('access-policy-open-no-fgac');
    });

    it('a VPC domain: the login bypass and the VPC posture warning', () => {
      const r = runCheck(CHECK, loadFixture('fail/login-page-bypassed-open-policy--vpc.json'));
      expect(r.ids).toEqual(['login-page-bypassed-open-policy', 'vpc-open-policy-no-fgac']);
      expect(r.findings[0]!.message).toContain('anyone in the VPC');
      expect(r.findings[1]!.evidence).toMatchObject({ vpc: true, vpcId: 'vpc-0a1b2c3d4e5f60718', securityGroups: ['sg-0a1b2c3d4e5f60718'] });
    });

    it('a VPC domain known only by Endpoints.vpc is a VPC domain', () => {
      const s = variant(legacy(), (x) => {
        cognitoOff(x);
        vpc(x, false);
        setPolicy(x, open());
      });
      expect(runCheck(CHECK, s).ids).toEqual(['vpc-open-policy-no-fgac']);
    });

    it('Cognito off: the posture warning with a fix that delegates to the account', () => {
      const r = runCheck(CHECK, loadFixture('fail/access-policy-open-no-fgac.json'));
      expect(r.ids).toEqual(['access-policy-open-no-fgac']);
      const f = r.findings[0]!;
      expect(f.evidence['endpoints']).toEqual(['search-kibana-legacy-x7lq3m2n5p8r1t4v6w9y0z2b4d.eu-west-1.es.amazonaws.com']);
      expect(policyIn(f.fix.commands![0]!).Statement).toEqual([
        { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCT}:root` }, Action: 'es:ESHttp*', Resource: `${LEGACY}/*` },
      ]);
    });

    it('Cognito off, VPC: vpc-open-policy-no-fgac only', () => {
      expect(runCheck(CHECK, loadFixture('fail/vpc-open-policy-no-fgac.json')).ids).toEqual(['vpc-open-policy-no-fgac']);
    });

    it('other statements survive the fix, in their written form', () => {
      const s = variant(legacy(), (x) => {
        x.domain.AccessPolicies = `{"Version":"2012-10-17","Statement":[{"Sid":"Ingest","Principal":{"AWS":"${INGEST}"},"Effect":"Allow","Action":"es:ESHttpPost","Resource":"${LEGACY}/logs-*"},{"Effect":"Allow","Principal":"*","Action":"es:*","Resource":"${LEGACY}/*"}]}`;
      });
      const r = runCheck(CHECK, s);
      expect(r.ids).toEqual(['login-page-bypassed-open-policy', 'access-policy-open-no-fgac']);
      const command = r.findings[0]!.fix.commands![0]!;
      expect(command).toContain(`{"Sid":"Ingest","Principal":{"AWS":"${INGEST}"},"Effect":"Allow","Action":"es:ESHttpPost","Resource":"${LEGACY}/logs-*"}`);
      expect(policyIn(command).Statement).toHaveLength(2);
    });

    it('with the identity pool unreadable the bypass is still reported, without a command', () => {
      const s = variant(loadFixture('fail/login-page-bypassed-open-policy.json'), (x) => {
        x.identityPoolRoles = null;
        x.errors = [{ operation: 'cognito-identity:GetIdentityPoolRoles', resource: x.domain.CognitoOptions!.IdentityPoolId!, code: 'AccessDeniedException' }];
      });
      const r = runCheck(CHECK, s);
      expect(r.ids).toEqual(['login-page-bypassed-open-policy', 'access-policy-open-no-fgac']);
      expect(r.findings[0]!.fix.commands).toEqual([]);
      expect(r.findings[0]!.fix.steps![0]).toContain('could not be read');
    });
  });
});

describe(`${CHECK} on FGAC domains`, () => {
  it('an IP-based policy with FGAC on is fine', () => {
    const s = variant(fgac(), (x) => setPolicy(x, open('*', `${OS}/*`, ip('IpAddress', '203.0.113.0/24'))));
    expect(runCheck(CHECK, s).ids).toEqual([]);
  });

  describe('problems: what the wording is built from', () => {
    it('the unsigned statements and what replaces them: the Cognito role with Cognito on, the account without', () => {
      const [bypass] = problemsOf(check(CHECK), loadFixture('fail/login-page-bypassed-open-policy--source-ip.json'));
      expect(bypass).toMatchObject({
        mode: 'login-page-bypassed-open-policy',
        resource: LEGACY,
        data: {
          vpc: false,
          statements: [{ sid: 'Office', restriction: 'source-ip', addresses: ['203.0.113.0/24'] }],
          replacement: { admits: 'cognito-roles', roles: [AUTH] },
        },
      });
      const withoutCognito = variant(legacy(), (s) => {
        cognitoOff(s);
        setPolicy(s, open());
      });
      expect(problemsOf(check(CHECK), withoutCognito)).toMatchObject([
        { mode: 'access-policy-open-no-fgac', data: { replacement: { admits: 'account', root: `arn:aws:iam::${ACCT}:root` } } },
      ]);
    });
  });
});
