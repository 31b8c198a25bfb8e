import { compareText } from '../util/order.js';
import type { Snapshot } from '../snapshot/types.js';

/** Lists in their natural order and keys sorted, so snapshots diff cleanly in git. */
export function sortSnapshot(snapshot: Snapshot): Snapshot {
  const byKey =
    <T>(key: (item: T) => string) =>
    (a: T, b: T) =>
      compareText(key(a), key(b));
  snapshot.userPoolClients?.sort(byKey((c) => c.ClientId ?? ''));
  snapshot.userPoolGroups?.sort(byKey((g) => g.GroupName ?? ''));
  snapshot.roles?.sort(byKey((r) => r.Arn ?? ''));
  snapshot.identityProviders?.sort(byKey((p) => p.ProviderName ?? ''));
  snapshot.managedLoginBranding?.sort(byKey((b) => b.ManagedLoginBrandingId ?? ''));
  snapshot.principalTagAttributeMaps?.sort(byKey((m) => `${m.IdentityPoolId ?? ''} ${m.IdentityProviderName ?? ''}`));
  const sorted: Record<string, unknown> = {};
  for (const key of TOP_LEVEL_ORDER) if (snapshot[key] !== undefined) sorted[key] = sortKeys(snapshot[key]);
  for (const key of Object.keys(snapshot).sort()) if (!(key in sorted)) sorted[key] = sortKeys(snapshot[key]);
  return sorted as Snapshot;
}

const TOP_LEVEL_ORDER = [
  'schema',
  'capturedAt',
  'region',
  'accountId',
  'domain',
  'userPool',
  'userPoolClients',
  'userPoolGroups',
  'identityPool',
  'identityPoolRoles',
  'roles',
  'rolePolicies',
  'securityPlugin',
  'userPoolDomain',
  'identityProviders',
  'managedLoginBranding',
  'principalTagAttributeMaps',
  'userPoolWebAcl',
  'iamUsers',
  'userPolicies',
  'errors',
];

export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  // Blobs (a web ACL's byte-match strings) as the AWS CLI prints them: base64.
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (value === null || typeof value !== 'object' || value instanceof Date) return value instanceof Date ? value.toISOString() : value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    if (key === '$metadata') continue;
    sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
  }
  return sorted;
}
