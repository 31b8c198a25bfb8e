// A local stand-in for the AWS APIs cogdoctor reads, speaking their real wire protocols and loaded from snapshots.
import { readFile } from 'node:fs/promises';
import type { Snapshot } from '../snapshot/types.js';

import type { Organization } from './types.js';

export { startEmulator } from './server.js';
export type { Emulator, EmulatorOptions, FaultKind, FaultRule, Organization, RegionOptStatus, ServedRequest } from './types.js';

/** Reads snapshot files. Validation is light: just enough that the emulator can index them. */
export async function loadSnapshotsForEmulator(paths: string[]): Promise<Snapshot[]> {
  return Promise.all(
    paths.map(async (path) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(await readFile(path, 'utf8'));
      } catch (error) {
        throw new Error(`${path}: cannot read the snapshot: ${(error as Error).message}`);
      }
      const problem = snapshotProblem(parsed);
      if (problem) throw new Error(`${path}: not a cogdoctor snapshot: ${problem}`);
      return parsed as Snapshot;
    }),
  );
}

function snapshotProblem(value: unknown): string | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'the document is not a JSON object';
  const doc = value as Record<string, unknown>;
  if (doc['schema'] !== 'cogdoctor/snapshot/v1') return `schema must be "cogdoctor/snapshot/v1"`;
  if (typeof doc['region'] !== 'string') return 'region must be a string';
  const domain = doc['domain'];
  if (!domain || typeof domain !== 'object' || typeof (domain as Record<string, unknown>)['DomainName'] !== 'string') {
    return 'domain.DomainName must be a string';
  }
  return undefined;
}

/** Reads an organization file (`cogdoctor/organization/v1`, schema/organization.schema.json); validation is light, as for snapshots. */
export async function loadOrganization(path: string): Promise<Organization> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path}: cannot read the organization file: ${(error as Error).message}`);
  }
  const problem = organizationProblem(parsed);
  if (problem) throw new Error(`${path}: not a cogdoctor organization file: ${problem}`);
  return parsed as Organization;
}

const ACCOUNT_ID = /^\d{12}$/;

function organizationProblem(value: unknown): string | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'the document is not a JSON object';
  const doc = value as Record<string, unknown>;
  if (doc['schema'] !== 'cogdoctor/organization/v1') return 'schema must be "cogdoctor/organization/v1"';
  if (typeof doc['managementAccountId'] !== 'string' || !ACCOUNT_ID.test(doc['managementAccountId']))
    return 'managementAccountId must be a 12-digit account id';
  const accounts = doc['accounts'];
  if (!Array.isArray(accounts) || accounts.some((a) => !a || typeof a !== 'object' || typeof a.Id !== 'string' || !ACCOUNT_ID.test(a.Id))) {
    return 'accounts must be a list of accounts, each with a 12-digit Id';
  }
  const roles = doc['roles'];
  if (
    roles !== undefined &&
    (!Array.isArray(roles) || roles.some((r) => !r || typeof r !== 'object' || typeof r.Arn !== 'string' || typeof r.RoleName !== 'string'))
  ) {
    return 'roles must be a list of roles, each with an Arn and a RoleName';
  }
  const regions = doc['regions'];
  if (regions !== undefined && (!regions || typeof regions !== 'object' || Array.isArray(regions))) return 'regions must map account ids to lists of Regions';
  return undefined;
}
