import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/index.js';
import { loadFixture, runCheck, variant } from '../helpers.js';

const CHECK = 'user-pool-domain';
const ID = 'user-pool-domain-missing';
const fgac = loadFixture('healthy/opensearch-fgac.json');
const UP = 'eu-west-1_Xk2LmQp7A';
type Status = NonNullable<Snapshot['userPoolDomain']>['Status'];
const described = (status: Status, domain = 'logs-prod-login') => ({
  UserPoolId: UP,
  AWSAccountId: '123456789012',
  Domain: domain,
  ...(status ? { Status: status } : {}),
});

const valid: Array<[string, Snapshot, string]> = [
  ['prefix domain, its description not collected', fgac, 'not-evaluated'],
  ['prefix domain ACTIVE', variant(fgac, (s) => (s.userPoolDomain = described('ACTIVE'))), 'pass'],
  [
    'custom domain only, ACTIVE',
    variant(fgac, (s) => {
      delete s.userPool!.Domain;
      s.userPool!.CustomDomain = 'login.example.com';
      s.userPoolDomain = described('ACTIVE', 'login.example.com');
    }),
    'pass',
  ],
  [
    'managed login v2, ACTIVE (branding is another check)',
    variant(fgac, (s) => (s.userPoolDomain = { ...described('ACTIVE'), ManagedLoginVersion: 2 })),
    'pass',
  ],
  ['a description of some other domain says nothing about this one', variant(fgac, (s) => (s.userPoolDomain = described('FAILED', 'other-prefix'))), 'pass'],
];

describe(`${CHECK}: stays quiet`, () => {
  it.each(valid)('%s', (_name, snapshot, status) => {
    const r = runCheck(CHECK, snapshot);
    expect(r.ids).toEqual([]);
    expect(r.status).toBe(status);
  });

  it('not evaluated names the read that would settle it', () => {
    expect(runCheck(CHECK, fgac).reason).toContain('cognito-idp:DescribeUserPoolDomain');
  });
});

const invalid: Array<[string, Snapshot, string, Record<string, unknown>]> = [
  ['no Domain and no CustomDomain (fixture)', loadFixture('fail/user-pool-domain-missing.json'), 'error', { userPoolId: UP, Domain: null, CustomDomain: null }],
  ['empty strings count as no domain', variant(fgac, (s) => ((s.userPool!.Domain = ''), (s.userPool!.CustomDomain = ''))), 'error', { Domain: '' }],
  [
    'the only domain, a custom one, FAILED (fixture)',
    loadFixture('fail/user-pool-domain-missing--custom-domain-failed.json'),
    'error',
    { describedDomain: 'login.example.com', Status: 'FAILED' },
  ],
  ['the domain is being deleted', variant(fgac, (s) => (s.userPoolDomain = described('DELETING'))), 'error', { Status: 'DELETING' }],
  [
    'an empty description: the domain does not exist',
    variant(fgac, (s) => (s.userPoolDomain = {})),
    'error',
    { describedDomain: 'logs-prod-login', Status: null },
  ],
  ['UPDATING: a warning', variant(fgac, (s) => (s.userPoolDomain = described('UPDATING'))), 'warning', { Status: 'UPDATING' }],
  [
    'the custom domain FAILED while the prefix domain remains: a warning',
    variant(fgac, (s) => {
      s.userPool!.CustomDomain = 'login.example.com';
      s.userPoolDomain = described('FAILED', 'login.example.com');
    }),
    'warning',
    { describedDomain: 'login.example.com' },
  ],
];

describe(`${CHECK}: fires`, () => {
  it.each(invalid)('%s', (_name, snapshot, severity, evidence) => {
    const r = runCheck(CHECK, snapshot);
    expect(r.status).toBe('fail');
    expect(r.ids).toEqual([ID]);
    expect(r.findings[0]!.severity).toBe(severity);
    expect(r.findings[0]!.evidence).toMatchObject(evidence);
  });

  it('the fix creates a classic hosted-UI domain on the real pool', () => {
    const [finding] = runCheck(CHECK, loadFixture('fail/user-pool-domain-missing.json')).findings;
    expect(finding!.resource).toBe(`arn:aws:cognito-idp:eu-west-1:123456789012:userpool/${UP}`);
    expect(finding!.fix.commands).toEqual([
      `aws cognito-idp create-user-pool-domain --region eu-west-1 --user-pool-id ${UP} --domain logs-prod-123456789012 --managed-login-version 1`,
    ]);
  });

  it('a suggested prefix never carries the reserved words', () => {
    const snapshot = variant(loadFixture('fail/user-pool-domain-missing.json'), (s) => (s.domain.DomainName = 'aws-Logs_Cognito'));
    expect(runCheck(CHECK, snapshot).findings[0]!.fix.commands![0]).toContain('--domain logs-123456789012 ');
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

  it('DescribeUserPoolDomain denied → unknown, naming the permission', () => {
    const r = runCheck(
      CHECK,
      variant(fgac, (s) => (s.errors = [{ operation: 'cognito-idp:DescribeUserPoolDomain', resource: 'logs-prod-login', code: 'AccessDeniedException' }])),
    );
    expect(r.status).toBe('unknown');
    expect(r.reason).toContain('cognito-idp:DescribeUserPoolDomain');
  });

  it('user pool deleted → not applicable', () => {
    expect(runCheck(CHECK, loadFixture('fail/user-pool-not-found.json')).status).toBe('not-applicable');
  });
});
