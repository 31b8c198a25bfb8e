import { describe, expect, it } from 'vitest';
import { SNAPSHOT_PARTS } from '../src/context/check-context.js';
import { configChanges } from '../src/diff/changes.js';
import { diffSnapshots } from '../src/diff/index.js';
import { builtinChecks } from '../src/engine/builtin.js';
import type { Snapshot } from '../src/engine/types.js';
import { loadFixture, loadFixtures, variant } from './helpers.js';

// `diff` ties a new finding to the changes in the parts its check reads; the reads are held to what
// each check touches (test/reads.test.ts), so these are the parts a change can act through.
const options = { version: '0.0.0-test', oldFile: 'old.json', newFile: 'new.json' };
const _CUSTOM_URL = 'https://logs.example.com/_dashboards/app/home';

describe('diff attribution follows what a check reads', () => {
  it('an identity pool switched to another app client: the new callback finding names the identity pool change', () => {
    // Neither client has the name OpenSearch gives its own: the identity pool says which one Dashboards signs in with.
    const DEFAULT_URL = 'https://search-logs-prod-4kq2vqyzt7bxnnyfxm2lyu3ham.eu-west-1.es.amazonaws.com/_dashboards/app/home';
    const before = variant(loadFixture('healthy/custom-endpoint.json'), (s) => {
      const client = s.userPoolClients![0]!;
      client.ClientName = 'dashboards';
      s.userPoolClients!.push({
        ...structuredClone(client),
        ClientId: '7b3d5f7h9k1m3p5r7t9w0y2a4c',
        ClientName: 'dashboards-old',
        CallbackURLs: [DEFAULT_URL],
        LogoutURLs: [DEFAULT_URL],
      });
    });
    const after = variant(before, (s) => {
      s.identityPool!.CognitoIdentityProviders![0]!.ClientId = '7b3d5f7h9k1m3p5r7t9w0y2a4c';
    });
    const diff = diffSnapshots(before, after, builtinChecks, options);
    const added = diff.findings.added.filter((f) => f.check === 'app-client-callback-urls');
    expect(added.map((f) => f.id)).toContain('custom-endpoint-not-in-callback');
    // The check reads the identity pool (it picks the client): the change there is named, not left unexplained.
    for (const finding of added)
      expect(finding.causedBy).toContain(
        'identityPool.CognitoIdentityProviders[cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Xk2LmQp7A 4q8v2n6k1m3p5r7t9w0y2a4c6e]',
      );
  });

  it('compares every part a check can declare, so that a change in any of them can be named', () => {
    const snapshots: Snapshot[] = loadFixtures().map((f) => f.snapshot);
    const compared = new Set<string>();
    for (const snapshot of snapshots) {
      for (const part of SNAPSHOT_PARTS) {
        if (part === 'domain' || snapshot[part] === undefined) continue;
        const without = variant(snapshot, (s) => delete s[part]);
        for (const change of configChanges(snapshot, without)) compared.add(change.part);
      }
    }
    // The domain is always there: a change of one of its fields stands for it.
    const domainChange = configChanges(
      snapshots[0]!,
      variant(snapshots[0]!, (s) => (s.domain.CognitoOptions = { ...s.domain.CognitoOptions, IdentityPoolId: 'eu-west-1:other' })),
    );
    for (const change of domainChange) compared.add(change.part);
    expect([...compared].sort()).toEqual([...SNAPSHOT_PARTS].sort());
  });
});
