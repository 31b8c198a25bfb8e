import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Snapshot } from '../../src/index.js';
import { loadFixture, runCheck, variant } from '../helpers.js';
import { problemsOf } from '../../src/testing.js';
import check from '../../checks/user-pool-waf.js';

const CHECK = 'user-pool-waf';
const ID = 'waf-not-enforced-managed-login';
const UP = 'eu-west-1_Xk2LmQp7A';
const waf = loadFixture('fail/waf-not-enforced-managed-login.json');
const managed = loadFixture('healthy/managed-login.json');

const valid: Array<[string, Snapshot]> = [
  ['no web ACL on the pool (null)', variant(waf, (s) => (s.userPoolWebAcl = null))],
  ['a web ACL with the classic hosted UI', variant(waf, (s) => (s.userPoolDomain!.ManagedLoginVersion = 1))],
  ['a web ACL with managed login, captured after AWS WAF covered managed login', variant(waf, (s) => (s.capturedAt = '2026-11-20T08:00:00Z'))],
  ['managed login without a web ACL (healthy)', managed],
  ['a web ACL, and the pool has no domain at all', variant(waf, (s) => (delete s.userPool!.Domain, delete s.userPoolDomain))],
];

// A snapshot without capturedAt is judged at the time of the run: the tests set that clock.
describe(`${CHECK}: a snapshot without capturedAt is taken as now`, () => {
  afterEach(() => vi.useRealTimers());
  const undated = variant(waf, (s) => delete s.capturedAt);

  it('now after AWS WAF covered managed login: quiet', () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-01-15T00:00:00Z') });
    expect(runCheck(CHECK, undated)).toMatchObject({ status: 'pass', ids: [] });
  });

  it('now before it: fires', () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2025-06-01T00:00:00Z') });
    expect(runCheck(CHECK, undated).ids).toEqual([ID]);
  });
});

describe(`${CHECK}: stays quiet`, () => {
  it.each(valid)('%s', (_name, snapshot) => {
    expect(runCheck(CHECK, snapshot)).toMatchObject({ status: 'pass', ids: [] });
  });
});

describe(`${CHECK}: fires`, () => {
  it('a web ACL and managed login, in May 2025 (fixture)', () => {
    const r = runCheck(CHECK, waf);
    expect(r.ids).toEqual([ID]);
    const [finding] = r.findings;
    expect(finding!.severity).toBe('warning');
    expect(finding!.resource).toBe(`arn:aws:cognito-idp:eu-west-1:123456789012:userpool/${UP}`);
    expect(finding!.evidence).toMatchObject({
      webAcl: { Name: 'cognito-login-protection' },
      domain: 'logs-prod-login',
      ManagedLoginVersion: 2,
      capturedAt: '2025-05-20T08:00:00Z',
    });
    expect(finding!.fix.commands).toEqual([
      `aws cognito-idp update-user-pool-domain --region eu-west-1 --user-pool-id ${UP} --domain logs-prod-login --managed-login-version 1`,
    ]);
  });

  it('the day before AWS WAF covered managed login', () => {
    expect(
      runCheck(
        CHECK,
        variant(waf, (s) => (s.capturedAt = '2025-06-26T23:59:59Z')),
      ).ids,
    ).toEqual([ID]);
  });
});

describe(`${CHECK}: partial reads`, () => {
  it('web ACL not collected → not evaluated', () => {
    const r = runCheck(CHECK, loadFixture('healthy/opensearch-fgac.json'));
    expect(r.status).toBe('not-evaluated');
    expect(r.reason).toContain('wafv2:GetWebACLForResource');
  });

  it('GetWebACLForResource denied → unknown, even with the classic hosted UI', () => {
    const s = variant(waf, (x) => {
      delete x.userPoolWebAcl;
      x.userPoolDomain!.ManagedLoginVersion = 1;
      x.errors = [
        { operation: 'wafv2:GetWebACLForResource', resource: `arn:aws:cognito-idp:eu-west-1:123456789012:userpool/${UP}`, code: 'AccessDeniedException' },
      ];
    });
    const r = runCheck(CHECK, s);
    expect(r.status).toBe('unknown');
    expect(r.reason).toContain('wafv2:GetWebACLForResource denied');
  });

  it('a web ACL, the domain not described → not evaluated', () => {
    const r = runCheck(
      CHECK,
      variant(waf, (s) => delete s.userPoolDomain),
    );
    expect(r.status).toBe('not-evaluated');
    expect(r.reason).toContain('cognito-idp:DescribeUserPoolDomain');
  });

  it('user pool deleted → not applicable', () => {
    expect(runCheck(CHECK, loadFixture('fail/user-pool-not-found.json')).status).toBe('not-applicable');
  });
});

describe(`${CHECK}: problems and their wording`, () => {
  it('waf-not-enforced-managed-login: the data the message is worded from', () => {
    const snapshot = loadFixture('fail/waf-not-enforced-managed-login.json');
    expect(problemsOf(check, snapshot).find((p) => p.mode === 'waf-not-enforced-managed-login')).toMatchObject({
      data: { webAcl: { Name: 'cognito-login-protection' }, domain: 'logs-prod-login', ManagedLoginVersion: 2 },
    });
    expect(runCheck(CHECK, snapshot).findings.find((f) => f.id === 'waf-not-enforced-managed-login')!.message).toBe(
      "Web ACL cognito-login-protection is associated with user pool eu-west-1_Xk2LmQp7A, but its domain logs-prod-login uses managed login (ManagedLoginVersion 2), whose pages the web ACL's rules did not cover when this snapshot was captured (2025-05-20T08:00:00Z).",
    );
  });
});
