import { describe, expect, it } from 'vitest';
import { runClientChecks } from '../../src/client/run.js';
import type { ClientReads, RelyingParty } from '../../src/engine/client-context.js';
import { clientReadsFromSnapshot } from '../../src/client/snapshot.js';
import { CASES, KONG, POOL, WORKER, clientFixture, runCase } from './cases.js';
import { variant } from '../helpers.js';

const KONG_PARTY: RelyingParty = { redirectUris: ['https://api.example.com:8443/callback'], logoutUris: [], flow: 'code', scopes: ['openid'], app: 'server' };

describe('cogdoctor client checks', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const report = runCase(c);
    expect([...new Set(report.findings.map((f) => f.id))].sort()).toEqual([...c.expect].sort());
    expect(report.checks.filter((r) => r.status === 'unknown' || r.status === 'error')).toEqual([]);
  });

  it('names the nearest registered URL and what differs', () => {
    const message = (uri: string) =>
      runCase({ name: '', fixture: 'gateways.json', clientId: KONG, flags: { redirectUri: [uri] }, expect: [] }).findings[0]!.message;
    expect(message('https://api.example.com/callback')).toContain('The nearest registered URL is https://api.example.com:8443/callback (port none vs 8443)');
    expect(message('https://api.example.com:8443/callback/')).toContain('(trailing slash /callback/ vs /callback)');
    expect(message('https://API.example.com:8443/callback')).toContain('(host case API.example.com vs api.example.com)');
    expect(message('https://api.example.com:9443/Callback')).toContain('(port 9443 vs 8443, path case /Callback vs /callback)');
  });

  it('prints the OIDC discovery URL, the issuer and the hosted UI base', () => {
    const { target } = runCase(CASES[0]!);
    expect(target.userPoolClient).toEqual({
      userPoolId: POOL,
      clientId: KONG,
      name: 'kong-gateway',
      issuer: `https://cognito-idp.eu-west-1.amazonaws.com/${POOL}`,
      discoveryUrl: `https://cognito-idp.eu-west-1.amazonaws.com/${POOL}/.well-known/openid-configuration`,
      hostedUiUrl: 'https://acme-login.auth.eu-west-1.amazoncognito.com',
    });
    const custom = variant(clientFixture('gateways.json'), (s) => {
      s.userPool!.CustomDomain = 'login.example.com';
      s.userPoolDomain = {
        ...s.userPoolDomain!,
        Domain: 'login.example.com',
        CustomDomainConfig: { CertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc' },
      };
    });
    expect(
      runClientChecks(clientReadsFromSnapshot(custom, POOL, KONG), KONG_PARTY, { version: 't', source: 'snapshot' }).target.userPoolClient?.hostedUiUrl,
    ).toBe('https://login.example.com');
  });

  it('client fixes are describe → jq → update round trips that drop the read-only fields', () => {
    const finding = runCase({ name: '', fixture: 'gateways.json', clientId: KONG, flags: { redirectUri: ['https://api.example.com/callback'] }, expect: [] })
      .findings[0]!;
    expect(finding.fix.commands![0]).toMatch(
      /^aws cognito-idp describe-user-pool-client --region eu-west-1 --user-pool-id eu-west-1_GwPool7Kq --client-id 1kong4gateway8client2abcd --query UserPoolClient > client.json$/,
    );
    expect(finding.fix.commands![1]).toContain('del(.ClientSecret, .CreationDate, .LastModifiedDate)');
    expect(finding.fix.commands![2]).toBe('aws cognito-idp update-user-pool-client --region eu-west-1 --cli-input-json file://client-fixed.json');
  });

  it('a failed read makes the checks that need it unknown, naming the permission, never a pass', () => {
    const reads: ClientReads = {
      userPoolId: POOL,
      clientId: KONG,
      domains: [],
      errors: [
        { operation: 'cognito-idp:DescribeUserPool', resource: POOL, code: 'AccessDeniedException' },
        { operation: 'cognito-idp:DescribeUserPoolClient', resource: `${POOL}/${KONG}`, code: 'AccessDeniedException' },
      ],
    };
    const report = runClientChecks(reads, KONG_PARTY, { version: 't', source: 'live' });
    expect(report.findings).toEqual([]);
    expect(report.checks.every((c) => c.status === 'unknown')).toBe(true);
    expect(report.checks.find((c) => c.check === 'client-hosted-ui-domain')).toMatchObject({
      permission: 'cognito-idp:DescribeUserPool',
      reason: expect.stringContaining('add cognito-idp:DescribeUserPool'),
    });
    expect(report.checks.find((c) => c.check === 'client-secret')).toMatchObject({ permission: 'cognito-idp:DescribeUserPoolClient' });
  });

  it('an undescribed domain is not evaluated offline and unknown when its read failed', () => {
    const bare = variant(clientFixture('gateways.json'), (s) => void delete s.userPoolDomain);
    const domainCheck = (r: ReturnType<typeof runClientChecks>) => r.checks.find((c) => c.check === 'client-hosted-ui-domain');
    expect(domainCheck(runClientChecks(clientReadsFromSnapshot(bare, undefined, KONG), KONG_PARTY, { version: 't', source: 'snapshot' }))?.status).toBe(
      'not-evaluated',
    );
    const denied = variant(
      bare,
      (s) => void (s.errors = [{ operation: 'cognito-idp:DescribeUserPoolDomain', resource: 'acme-login', code: 'AccessDeniedException' }]),
    );
    expect(domainCheck(runClientChecks(clientReadsFromSnapshot(denied, undefined, KONG), KONG_PARTY, { version: 't', source: 'snapshot' }))).toMatchObject({
      status: 'unknown',
      permission: 'cognito-idp:DescribeUserPoolDomain',
    });
  });

  it('a redacted secret in a snapshot still counts as a secret', () => {
    const redacted = variant(clientFixture('gateways.json'), (s) => {
      for (const c of s.userPoolClients!) if (c.ClientSecret) c.ClientSecret = '<redacted>';
    });
    const party: RelyingParty = { redirectUris: [], logoutUris: [], flow: 'client_credentials', scopes: [], app: 'server' };
    expect(runClientChecks(clientReadsFromSnapshot(redacted, undefined, WORKER), party, { version: 't', source: 'snapshot' }).findings).toEqual([]);
  });
});
