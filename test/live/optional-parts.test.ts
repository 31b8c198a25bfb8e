import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/index.js';
import { loadFixture, variant } from '../helpers.js';
import { collectLive } from './harness.js';

const ACCESS_ROLE = 'arn:aws:iam::123456789012:role/service-role/CognitoAccessForAmazonOpenSearch';
const UP = 'eu-west-1_Xk2LmQp7A';
const IP = 'eu-west-1:5f0c7a3e-2b1d-4e8f-9a6c-3d7e1b2f4a90';

/** The level of each request: arrivals more than half a latency apart start a new level. */
function levelsOf(log: Array<{ at: number; operation: string; resource?: string }>, latency: number) {
  const sorted = [...log].sort((a, b) => a.at - b.at);
  let level = 0;
  let waveStart = -Infinity;
  return sorted.map((e) => {
    if (e.at - waveStart > latency / 2) {
      level++;
      waveStart = e.at;
    }
    return { ...e, level };
  });
}

describe('the optional parts a live read collects', () => {
  it("managed login: the branding of the OpenSearch client, the web ACL, the principal tag map, the service role's policies", async () => {
    // The fixture's identity providers were not collected; here the pool has none.
    const fixture = variant(loadFixture('healthy/managed-login.json'), (s) => (s.identityProviders = []));
    const { live, log } = await collectLive(fixture);
    // Timestamps come back in the SDK's ISO spelling (with milliseconds).
    const instant = (b: Record<string, unknown>) => ({
      ...b,
      CreationDate: Date.parse(String(b['CreationDate'])),
      LastModifiedDate: Date.parse(String(b['LastModifiedDate'])),
    });
    expect(live.managedLoginBranding?.map(instant)).toEqual(fixture.managedLoginBranding?.map(instant));
    expect(live.userPoolWebAcl).toEqual(fixture.userPoolWebAcl);
    expect(live.principalTagAttributeMaps).toEqual(fixture.principalTagAttributeMaps);
    // The AWS managed policy is recorded without its document, which is known: no GetPolicy round trips.
    expect(live.rolePolicies?.[ACCESS_ROLE]).toEqual({
      attached: [{ PolicyArn: 'arn:aws:iam::aws:policy/AmazonOpenSearchServiceCognitoAccess', PolicyName: 'AmazonOpenSearchServiceCognitoAccess' }],
      inline: [],
    });
    expect(log.filter((e) => e.operation === 'GetPolicy' || e.operation === 'GetPolicyVersion')).toEqual([]);
    expect(log.filter((e) => e.operation === 'DescribeManagedLoginBrandingByClient').map((e) => e.resource)).toEqual([
      `arn:aws:cognito-idp:eu-west-1:123456789012:userpool/${UP}`,
    ]);
    expect(live.errors).toEqual([]);
  });

  it('the classic hosted UI: no branding read; no web ACL is recorded as null; the service role is read whatever FGAC decides', async () => {
    // Collected: no web ACL associated, no principal tag map ever set (which AWS answers as not found).
    const fixture = variant(loadFixture('healthy/opensearch-fgac.json'), (s) => Object.assign(s, { userPoolWebAcl: null, principalTagAttributeMaps: [] }));
    const { live, log } = await collectLive(fixture);
    expect(log.some((e) => e.operation === 'DescribeManagedLoginBrandingByClient')).toBe(false);
    expect(live.managedLoginBranding).toBeUndefined();
    expect(live.userPoolWebAcl).toBeNull();
    expect(live.principalTagAttributeMaps).toEqual([]);
    expect(log.filter((e) => e.operation === 'GetPrincipalTagAttributeMap').map((e) => e.ids)).toEqual([
      [expect.stringContaining(IP), IP, `cognito-idp.eu-west-1.amazonaws.com/${UP}`],
    ]);
    expect(Object.keys(live.rolePolicies ?? {})).toContain(ACCESS_ROLE);
  });

  it('a web ACL comes back as WAF returns it, byte-match strings in base64', async () => {
    const fixture = variant(loadFixture('fail/waf-not-enforced-managed-login.json'), (s) => {
      const rule = s.userPoolWebAcl!.Rules![0]! as unknown as { Statement: Record<string, unknown> };
      rule.Statement = {
        ByteMatchStatement: {
          SearchString: 'YmFkYm90',
          FieldToMatch: { SingleHeader: { Name: 'user-agent' } },
          TextTransformations: [{ Priority: 0, Type: 'LOWERCASE' }],
          PositionalConstraint: 'CONTAINS',
        },
      };
    });
    const { live } = await collectLive(fixture);
    expect(live.userPoolWebAcl).toEqual(fixture.userPoolWebAcl);
  });

  it('a client without a branding style is an empty list, not a failed read', async () => {
    const { live } = await collectLive(loadFixture('fail/managed-login-branding-missing.json'));
    expect(live.managedLoginBranding).toEqual([]);
    expect((live.errors ?? []).filter((e) => e.operation === 'cognito-idp:DescribeManagedLoginBrandingByClient')).toEqual([]);
  });

  it('a failed read of each new part is an errors entry and leaves the part out', async () => {
    const fixture = loadFixture('healthy/managed-login.json');
    const faults = [
      { service: 'wafv2', operation: 'GetWebACLForResource', kind: 'deny' as const },
      { service: 'cognito-idp', operation: 'DescribeManagedLoginBrandingByClient', kind: 'deny' as const },
      { service: 'cognito-identity', operation: 'GetPrincipalTagAttributeMap', kind: 'deny' as const },
      { service: 'iam', operation: 'ListAttachedRolePolicies', kind: 'deny' as const },
    ];
    const { live } = await collectLive(fixture, faults);
    expect(live.userPoolWebAcl).toBeUndefined();
    expect(live.managedLoginBranding).toBeUndefined();
    expect(live.principalTagAttributeMaps).toBeUndefined();
    expect(live.rolePolicies?.[ACCESS_ROLE]).toBeUndefined();
    expect((live.errors ?? []).map((e) => [e.operation, e.code])).toEqual(
      expect.arrayContaining([
        ['cognito-identity:GetPrincipalTagAttributeMap', 'AccessDeniedException'],
        ['cognito-idp:DescribeManagedLoginBrandingByClient', 'AccessDeniedException'],
        ['iam:ListAttachedRolePolicies', 'AccessDenied'],
        ['wafv2:GetWebACLForResource', 'AccessDeniedException'],
      ]),
    );
  });

  it('a deleted service role: its policy lists are not recorded as failures of their own', async () => {
    const { live } = await collectLive(loadFixture('fail/cognito-access-role-untrusted--no-such-role.json'));
    expect((live.errors ?? []).filter((e) => e.resource === ACCESS_ROLE).map((e) => e.operation)).toEqual(['iam:GetRole']);
  });

  it('a pool that is gone takes its web ACL and principal tag reads with it', async () => {
    const { live } = await collectLive(loadFixture('fail/user-pool-not-found.json'));
    expect(live.userPoolWebAcl).toBeUndefined();
    expect((live.errors ?? []).map((e) => e.operation)).not.toContain('wafv2:GetWebACLForResource');
  });

  it('the new reads sit at the shallowest level they can: no level is added to the standard path', async () => {
    const L = 80;
    const levels = async (snapshot: Snapshot) => levelsOf((await collectLive(snapshot, [{ kind: 'latency', ms: L }])).log, L);
    const depth = (ls: Array<{ level: number }>) => Math.max(...ls.map((e) => e.level));
    const levelOf = (ls: Array<{ level: number; operation: string; resource?: string }>, operation: string, resource = '') =>
      ls.filter((e) => e.operation === operation && (e.resource ?? '').includes(resource)).map((e) => e.level);

    // Every part collected, so that no read fails: a failed read is not the standard path.
    const complete = variant(loadFixture('healthy/managed-login.json'), (s) => (s.identityProviders = []));
    const managed = await levels(complete);
    // Beside DescribeUserPool and DescribeIdentityPool: everything they need is in DescribeDomain.
    expect(levelOf(managed, 'GetWebACLForResource')).toEqual([2]);
    expect(levelOf(managed, 'GetPrincipalTagAttributeMap')).toEqual([2]);
    expect(levelOf(managed, 'ListAttachedRolePolicies', 'CognitoAccessForAmazonOpenSearch')).toEqual([2]);
    expect(levelOf(managed, 'GetPolicy')).toEqual([]);
    // Branding needs the hosted-UI domain's version: one level after DescribeUserPoolDomain.
    expect(levelOf(managed, 'DescribeUserPoolDomain')).toEqual([3]);
    expect(levelOf(managed, 'DescribeManagedLoginBrandingByClient')).toEqual([4]);

    const classic = await levels(variant(complete, (s) => (s.userPoolDomain!.ManagedLoginVersion = 1)));
    expect(levelOf(classic, 'DescribeManagedLoginBrandingByClient')).toEqual([]);
    // Managed login costs at most the one level of its branding read.
    expect(depth(managed)).toBeLessThanOrEqual(Math.max(depth(classic), 4));
  });
});
