// Organizations for sweep tests: fixture snapshots moved into other accounts and Regions, and the
// organization file that says which accounts exist, which roles a sweep can assume and which Regions are enabled.
import type { Organization } from '../../src/emulator/types.js';
import type { Snapshot } from '../../src/index.js';
import { loadFixture } from '../helpers.js';
import { fullyCollected } from '../live/harness.js';

export const MANAGEMENT = '100000000001';
export const ROLE = 'cogdoctor-read';

/**
 * A fixture as if it had been read in another account and Region, its domain renamed: every ARN, id,
 * endpoint and derived role name moves with it, so two domains of one account share no resource.
 */
export function relocated(fixture: string, accountId: string, region: string, domainName = 'logs-prod'): Snapshot {
  // Every optional part read (empty where the fixture has none): a sweep's reads all succeed.
  const snapshot = fullyCollected(loadFixture(fixture));
  const name = snapshot.domain.DomainName;
  const text = JSON.stringify(snapshot)
    .replaceAll(snapshot.accountId ?? '123456789012', accountId)
    .replaceAll(snapshot.region, region)
    .replaceAll(name, domainName)
    .replaceAll(name.replaceAll('-', ''), domainName.replaceAll('-', ''));
  return JSON.parse(text) as Snapshot;
}

const trustOf = (principal: string, externalId?: string) =>
  encodeURIComponent(
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: principal },
          Action: 'sts:AssumeRole',
          ...(externalId ? { Condition: { StringEquals: { 'sts:ExternalId': externalId } } } : {}),
        },
      ],
    }),
  );

export interface Member {
  accountId: string;
  name: string;
  /** How the member's role treats the sweep: it trusts the management account, trusts someone else, or does not exist. */
  role: 'trusts-management' | 'trusts-another-account' | 'missing';
  externalId?: string;
  regions: Record<string, 'ENABLED_BY_DEFAULT' | 'ENABLED' | 'DISABLED'>;
  state?: 'ACTIVE' | 'SUSPENDED';
  /** The role's inline policies (IAM JSON documents); without them its permissions are not enforced. */
  policies?: object[];
}

/** The management account is swept too: the member role is deployed there as well (with no domains in these tests). */
export function organizationOf(members: Member[]): Organization {
  members = [
    {
      accountId: MANAGEMENT,
      name: 'management',
      role: 'trusts-management',
      regions: { 'eu-west-1': 'ENABLED_BY_DEFAULT', 'eu-south-1': 'ENABLED', 'us-east-1': 'ENABLED_BY_DEFAULT' },
    },
    ...members,
  ];
  return {
    schema: 'cogdoctor/organization/v1',
    managementAccountId: MANAGEMENT,
    accounts: members
      .map((m) => ({ ...m, state: m.state ?? 'ACTIVE' }))
      .map(({ accountId, name, state }) => ({
        Id: accountId,
        Arn: `arn:aws:organizations::${MANAGEMENT}:account/o-test000001/${accountId}`,
        Email: `aws+${accountId}@example.com`,
        Name: name,
        Status: state,
        State: state,
        JoinedMethod: 'CREATED',
        JoinedTimestamp: new Date('2025-01-01T00:00:00Z'),
      })),
    roles: members
      .filter((m) => m.role !== 'missing')
      .map((m) => ({
        Path: '/',
        RoleName: ROLE,
        RoleId: `AROA${m.accountId}TEST`,
        Arn: `arn:aws:iam::${m.accountId}:role/${ROLE}`,
        CreateDate: new Date('2025-01-01T00:00:00Z'),
        AssumeRolePolicyDocument: trustOf(`arn:aws:iam::${m.role === 'trusts-management' ? MANAGEMENT : '999999999999'}:root`, m.externalId),
        ...(m.policies
          ? { RolePolicyList: m.policies.map((policy, i) => ({ PolicyName: `policy-${i + 1}`, PolicyDocument: encodeURIComponent(JSON.stringify(policy)) })) }
          : {}),
      })),
    regions: Object.fromEntries(
      members.map((m) => [m.accountId, Object.entries(m.regions).map(([RegionName, RegionOptStatus]) => ({ RegionName, RegionOptStatus }))]),
    ),
  } as Organization;
}
