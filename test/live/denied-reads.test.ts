// Decision rule 2 over every catalog fixture, read live: each operation the collector makes on a
// fixture is denied in turn. A finding may then go unknown, never quietly pass; and a read that
// could not be made adds no finding, except the few reviewed below.
import { describe, expect, it } from 'vitest';
import type { Finding, Report } from '../../src/index.js';
import { loadFixtures } from '../helpers.js';
import { collectLive } from './harness.js';

/**
 * Findings a denied read may add, each reviewed: what the read would have shown only narrows the
 * check, and the finding stays true of what was read.
 */
const REVIEWED: ReadonlyArray<{ id: string; denied: RegExp; why: string }> = [
  {
    id: 'user-pool-weak-auth',
    denied: /^cognito-idp (ListUserPoolClients|DescribeUserPoolClient)$/,
    why: "the pool's MFA and password policy are its own; the app client only exempts a client that offers identity providers alone",
  },
  {
    id: 'cognito-access-role-untrusted',
    denied: /^cognito-identity (DescribeIdentityPool|GetIdentityPoolRoles)$/,
    why: "unread, the identity pool cannot show that the service role is also a users' role; the role's own trust, which OpenSearch Service cannot use, is reported instead",
  },
  {
    id: 'cognito-access-role-missing-permissions',
    denied: /^cognito-identity (DescribeIdentityPool|GetIdentityPoolRoles)$/,
    why: "likewise: the role's own permissions, which lack the Cognito access the service needs",
  },
  {
    id: 'admin-only-signup-blocks-federated',
    denied: /^cognito-idp (ListIdentityProviders|DescribeIdentityProvider)$/,
    why: "the app client's provider list decides; the providers, when read, only drop names the pool no longer has (an unverified warning)",
  },
];

const key = (f: Pick<Finding, 'id' | 'resource'>) => `${f.id} ${f.resource}`;

/** A finding of the clean run that the denied run does not repeat: its check must say it could not decide. */
function hidden(clean: Report, denied: Report): string[] {
  const kept = new Set(denied.findings.map(key));
  return clean.findings
    .filter((f) => !kept.has(key(f)))
    .flatMap((f) => {
      const result = denied.checks.find((c) => c.check === f.check);
      const undecided = result && (result.status === 'unknown' || result.status === 'not-evaluated' || (result.status === 'fail' && result.reason));
      return undecided ? [] : [`${f.id} on ${f.resource}: ${f.check} ${result?.status ?? 'did not run'}`];
    });
}

const used = new Set<(typeof REVIEWED)[number]>();

const fixtures = loadFixtures().filter((f) => f.name.startsWith('fail/') || f.name.startsWith('healthy/') || f.name === 'demo/logs-demo.json');

describe('a denied read over every catalog fixture', () => {
  it('covers the catalog', () => {
    expect(fixtures.length).toBeGreaterThan(140);
  });

  it.each(fixtures.map((f) => [f.name, f] as const))(
    '%s',
    async (_name, fixture) => {
      const clean = await collectLive(fixture.snapshot);
      const operations = [...new Set(clean.log.map((e) => `${e.service} ${e.operation}`))].filter((op) => op !== 'opensearch DescribeDomain');
      // With Cognito on, the collector reads the pools and roles too; without, the domain alone may be all there is.
      if (fixture.snapshot.domain.CognitoOptions?.Enabled) expect(operations.length).toBeGreaterThan(3);
      const before = new Set(clean.report.findings.map(key));
      for (const op of operations) {
        const [service, operation] = op.split(' ') as [string, string];
        const { report: denied } = await collectLive(fixture.snapshot, [{ service, operation, kind: 'deny' }]);
        expect(hidden(clean.report, denied), `${op} denied: findings gone while their check passes`).toEqual([]);
        const added = denied.findings.filter((f) => !before.has(key(f)));
        for (const f of added) for (const r of REVIEWED) if (r.id === f.id && r.denied.test(op)) used.add(r);
        const unreviewed = added.filter((f) => !REVIEWED.some((r) => r.id === f.id && r.denied.test(op)));
        expect(unreviewed.map(key), `${op} denied: findings a read that failed cannot support`).toEqual([]);
      }
    },
    60_000,
  );

  // Runs after the fixtures (tests of a file run in order): an exception no fixture needs any more is dropped.
  it('every reviewed exception is still needed by some fixture', () => {
    expect(REVIEWED.filter((r) => !used.has(r)).map((r) => r.id)).toEqual([]);
  });
});
