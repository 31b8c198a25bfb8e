import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/index.js';
import { loadFixture, runCheck, variant } from '../helpers.js';

const CHECK = 'managed-login-branding';
const ID = 'managed-login-branding-missing';
const UP = 'eu-west-1_Xk2LmQp7A';
const CLIENT = '4q8v2n6k1m3p5r7t9w0y2a4c6e';
const fgac = loadFixture('healthy/opensearch-fgac.json');
const managed = loadFixture('healthy/managed-login.json');
const missing = loadFixture('fail/managed-login-branding-missing.json');
const domain = (version: number | undefined, name = 'logs-prod-login') => ({
  UserPoolId: UP,
  Domain: name,
  Status: 'ACTIVE' as const,
  ...(version ? { ManagedLoginVersion: version } : {}),
});

const valid: Array<[string, Snapshot, string]> = [
  ['domain not described', fgac, 'not-evaluated'],
  ['classic hosted UI (version 1)', variant(fgac, (s) => (s.userPoolDomain = domain(1))), 'pass'],
  ['no version in the description: the classic hosted UI', variant(fgac, (s) => (s.userPoolDomain = domain(undefined))), 'pass'],
  ['managed login with a style for the client (healthy)', managed, 'pass'],
  [
    'a style naming this client',
    variant(missing, (s) => (s.managedLoginBranding = [{ ManagedLoginBrandingId: 'b1', UserPoolId: UP, ClientId: CLIENT }])),
    'pass',
  ],
  ['a description of another domain says nothing about this one', variant(missing, (s) => (s.userPoolDomain = domain(2, 'other-prefix'))), 'pass'],
  ['the pool has no domain: user-pool-domain-missing', loadFixture('fail/user-pool-domain-missing.json'), 'pass'],
  ['the OpenSearch client is gone: opensearch-app-client reports it', variant(missing, (s) => (s.userPoolClients = [])), 'pass'],
  ['user pool deleted', loadFixture('fail/user-pool-not-found.json'), 'not-applicable'],
];

describe(`${CHECK}: stays quiet`, () => {
  it.each(valid)('%s', (_name, snapshot, status) => {
    expect(runCheck(CHECK, snapshot)).toMatchObject({ status, ids: [] });
  });
});

describe(`${CHECK}: fires`, () => {
  it('managed login and no style for the OpenSearch client (fixture)', () => {
    const r = runCheck(CHECK, missing);
    expect(r.ids).toEqual([ID]);
    const [finding] = r.findings;
    expect(finding!.severity).toBe('error');
    expect(finding!.message).toContain('Login pages unavailable');
    expect(finding!.evidence).toMatchObject({ userPoolId: UP, domain: 'logs-prod-login', ManagedLoginVersion: 2, clientId: CLIENT, brandingStyles: 0 });
    expect(finding!.fix.commands).toEqual([
      `aws cognito-idp create-managed-login-branding --region eu-west-1 --user-pool-id ${UP} --client-id ${CLIENT} --use-cognito-provided-values`,
      `aws cognito-idp update-user-pool-domain --region eu-west-1 --user-pool-id ${UP} --domain logs-prod-login --managed-login-version 1`,
    ]);
  });

  it('a custom domain: going back to the classic UI keeps its certificate (fixture)', () => {
    const [finding] = runCheck(CHECK, loadFixture('fail/managed-login-branding-missing--custom-domain.json')).findings;
    expect(finding!.evidence).toMatchObject({ domain: 'login.example.com' });
    expect(finding!.fix.commands![1]).toBe(
      `aws cognito-idp update-user-pool-domain --region eu-west-1 --user-pool-id ${UP} --domain login.example.com --managed-login-version 1 --custom-domain-config CertificateArn=arn:aws:acm:us-east-1:123456789012:certificate/7e1d9c2a-5b3f-4e8d-a6c1-0f9e8d7c6b5a`,
    );
  });

  it('a hand-written style that names another client does not count', () => {
    const s = variant(missing, (x) => (x.managedLoginBranding = [{ ManagedLoginBrandingId: 'b1', UserPoolId: UP, ClientId: 'someotherclient0000000000' }]));
    expect(runCheck(CHECK, s).ids).toEqual([ID]);
  });

  it('a recorded ResourceNotFoundException of the branding read means no style', () => {
    const s = variant(missing, (x) => {
      delete x.managedLoginBranding;
      x.errors = [{ operation: 'cognito-idp:DescribeManagedLoginBrandingByClient', resource: `${UP}/${CLIENT}`, code: 'ResourceNotFoundException' }];
    });
    expect(runCheck(CHECK, s).ids).toEqual([ID]);
  });
});

describe(`${CHECK}: partial reads`, () => {
  it('managed login, branding not collected → not evaluated, naming the read', () => {
    const r = runCheck(
      CHECK,
      variant(missing, (s) => delete s.managedLoginBranding),
    );
    expect(r.status).toBe('not-evaluated');
    expect(r.reason).toContain('cognito-idp:DescribeManagedLoginBrandingByClient');
  });

  it('managed login, branding read denied → unknown', () => {
    const s = variant(missing, (x) => {
      delete x.managedLoginBranding;
      x.errors = [{ operation: 'cognito-idp:DescribeManagedLoginBrandingByClient', resource: `${UP}/${CLIENT}`, code: 'AccessDeniedException' }];
    });
    const r = runCheck(CHECK, s);
    expect(r.status).toBe('unknown');
    expect(r.reason).toContain('cognito-idp:DescribeManagedLoginBrandingByClient denied');
  });

  it('DescribeUserPoolDomain denied → unknown', () => {
    const r = runCheck(
      CHECK,
      variant(fgac, (s) => (s.errors = [{ operation: 'cognito-idp:DescribeUserPoolDomain', resource: 'logs-prod-login', code: 'AccessDeniedException' }])),
    );
    expect(r.status).toBe('unknown');
    expect(r.reason).toContain('cognito-idp:DescribeUserPoolDomain');
  });
});
