import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/index.js';
import { problemsOf } from '../../src/testing.js';
import { check, loadFixture, runCheck, variant } from '../helpers.js';

const CHECK = 'dashboards-authentication';
const ACCT = '123456789012';
const LEGACY = `arn:aws:es:eu-west-1:${ACCT}:domain/kibana-legacy`;
const OS = `arn:aws:es:eu-west-1:${ACCT}:domain/logs-prod`;

const legacy = () => loadFixture('healthy/legacy-es-kibana.json');
const fgac = () => loadFixture('healthy/opensearch-fgac.json');

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
function setPolicy(s: Snapshot, ...statements: unknown[]): void {
  s.domain.AccessPolicies = JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

describe(CHECK, () => {
  it('runs when Cognito is off (scope domain)', () => {
    expect(check(CHECK).scope).toBe('domain');
  });

  describe('valid: stays quiet', () => {
    const valid: Array<[string, Snapshot]> = [
      ['Cognito and FGAC with an IAM master', fgac()],
      ['Cognito on a legacy domain without FGAC', legacy()],
      [
        'SAML instead of Cognito',
        variant(fgac(), (s) => {
          cognitoOff(s);
          s.domain.AdvancedSecurityOptions!.SAMLOptions = { Enabled: true, Idp: { EntityId: 'https://idp.example.com/saml', MetadataContent: '<md/>' } };
        }),
      ],
      [
        'Cognito on, internal user database off (SAMLOptions absent means SAML off)',
        variant(fgac(), (s) => {
          delete s.domain.AdvancedSecurityOptions!.SAMLOptions;
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
    it('IAM master user without Cognito or SAML: the error and the posture warning (decision rule 18)', () => {
      const r = runCheck(CHECK, loadFixture('fail/iam-master-without-dashboards-auth.json'));
      expect(r.ids).toEqual(['iam-master-without-dashboards-auth', 'dashboards-auth-missing']);
      const [b3, missing] = r.findings;
      expect(b3).toMatchObject({
        severity: 'error',
        resource: OS,
        evidence: { FineGrainedAccessControl: true, InternalUserDatabaseEnabled: false, reason: 'IAM master user (internal user database off)' },
      });
      expect(b3!.message).toContain('https://search-logs-prod-4kq2vqyzt7bxnnyfxm2lyu3ham.eu-west-1.es.amazonaws.com/_dashboards');
      expect(b3!.fix.steps!.join('\n')).toContain('Missing Role');
      expect(missing).toMatchObject({ severity: 'warning', resource: OS });
    });

    it('no FGAC and a policy that names only IAM roles: B3 as well', () => {
      const r = runCheck(CHECK, loadFixture('fail/iam-master-without-dashboards-auth--no-fgac.json'));
      expect(r.ids).toEqual(['iam-master-without-dashboards-auth', 'dashboards-auth-missing']);
      expect(r.findings[0]!.evidence['reason']).toBe('no Allow statement admits unsigned requests to the Dashboards page');
      expect(r.findings[0]!.resource).toBe(LEGACY);
    });

    it('no FGAC and no access policy at all: B3', () => {
      const s = variant(legacy(), (x) => {
        cognitoOff(x);
        x.domain.AccessPolicies = '';
      });
      expect(runCheck(CHECK, s).ids).toEqual(['iam-master-without-dashboards-auth', 'dashboards-auth-missing']);
    });

    it('no FGAC and an IP-based wildcard statement: Dashboards is reachable, only the posture warning', () => {
      const s = variant(legacy(), (x) => {
        cognitoOff(x);
        setPolicy(x, {
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: 'es:ESHttp*',
          Resource: `${LEGACY}/*`,
          Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
        });
      });
      expect(runCheck(CHECK, s).ids).toEqual(['dashboards-auth-missing']);
    });

    it('no FGAC and a wildcard principal narrowed to the organization (aws:PrincipalOrgID): only signed requests get in, B3 (fixture)', () => {
      const r = runCheck(CHECK, loadFixture('fail/iam-master-without-dashboards-auth--principal-org.json'));
      expect(r.ids).toEqual(['iam-master-without-dashboards-auth', 'dashboards-auth-missing']);
      expect(r.findings[0]!.evidence['reason']).toBe('no Allow statement admits unsigned requests to the Dashboards page');
    });

    it('no FGAC and "*" narrowed to the account (aws:PrincipalAccount, aws:PrincipalArn): B3', () => {
      for (const condition of [
        { StringEquals: { 'aws:PrincipalAccount': ACCT } },
        { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCT}:role/*` } },
        { StringEquals: { 'aws:PrincipalTag/team': 'search' } },
      ]) {
        const s = variant(legacy(), (x) => {
          cognitoOff(x);
          setPolicy(x, { Effect: 'Allow', Principal: '*', Action: 'es:ESHttp*', Resource: `${LEGACY}/*`, Condition: condition });
        });
        expect(runCheck(CHECK, s).ids, JSON.stringify(condition)).toEqual(['iam-master-without-dashboards-auth', 'dashboards-auth-missing']);
      }
    });

    it('no FGAC and conditions an unsigned request can meet (a negated principal key, an IP range plus an IfExists key): no B3', () => {
      for (const condition of [
        { StringNotEquals: { 'aws:PrincipalAccount': '999999999999' } },
        { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' }, StringEqualsIfExists: { 'aws:PrincipalOrgID': 'o-abc123def4' } },
        { Bool: { 'aws:SecureTransport': 'true' } },
      ]) {
        const s = variant(legacy(), (x) => {
          cognitoOff(x);
          setPolicy(x, { Effect: 'Allow', Principal: { AWS: '*' }, Action: 'es:ESHttp*', Resource: `${LEGACY}/*`, Condition: condition });
        });
        expect(runCheck(CHECK, s).ids, JSON.stringify(condition)).toEqual(['dashboards-auth-missing']);
      }
    });

    it('FGAC with the internal user database (basic-auth Dashboards): only the posture warning', () => {
      const r = runCheck(CHECK, loadFixture('fail/dashboards-auth-missing.json'));
      expect(r.ids).toEqual(['dashboards-auth-missing']);
      expect(r.findings[0]!.message).toContain('only FGAC basic authentication with internal users');
    });

    it('FGAC with an IAM master and anonymous auth on: no B3 (Dashboards opens as the anonymous user)', () => {
      const s = variant(fgac(), (x) => {
        cognitoOff(x);
        x.domain.AdvancedSecurityOptions!.AnonymousAuthEnabled = true;
      });
      expect(runCheck(CHECK, s).ids).toEqual(['dashboards-auth-missing']);
    });

    it('internal-user-db-with-cognito', () => {
      const r = runCheck(CHECK, loadFixture('fail/internal-user-db-with-cognito.json'));
      expect(r.ids).toEqual(['internal-user-db-with-cognito']);
      expect(r.findings[0]).toMatchObject({ severity: 'warning', resource: OS, evidence: { CognitoEnabled: true, InternalUserDatabaseEnabled: true } });
      expect(r.findings[0]!.fix.steps!.join('\n')).toContain('Set IAM ARN as master user');
    });
  });

  describe('problems: what the wording is built from', () => {
    it('B3 says which of its two causes holds; the posture warning whether basic authentication is the only login', () => {
      expect(problemsOf(check(CHECK), loadFixture('fail/iam-master-without-dashboards-auth.json'))).toMatchObject([
        { mode: 'iam-master-without-dashboards-auth', resource: OS, data: { DomainName: 'logs-prod', iamMaster: true } },
        { mode: 'dashboards-auth-missing', resource: OS, data: { DomainName: 'logs-prod', onlyInternalUsers: false } },
      ]);
      expect(problemsOf(check(CHECK), loadFixture('fail/iam-master-without-dashboards-auth--no-fgac.json'))).toMatchObject([
        { mode: 'iam-master-without-dashboards-auth', resource: LEGACY, data: { DomainName: 'kibana-legacy', iamMaster: false } },
        { mode: 'dashboards-auth-missing' },
      ]);
      expect(problemsOf(check(CHECK), loadFixture('fail/dashboards-auth-missing.json'))).toMatchObject([
        { mode: 'dashboards-auth-missing', data: { onlyInternalUsers: true } },
      ]);
    });
  });
});
