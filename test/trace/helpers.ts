import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GroupType, Snapshot } from '../../src/index.js';
import { parseSnapshot } from '../../src/snapshot/read.js';
import { traceLogin, type TraceIdentity, type TraceResult, type UserRead } from '../../src/trace/index.js';
import { FIXTURES, ROOT } from '../helpers.js';

/** The moment every offline trace in the tests happens. */
export const NOW = new Date('2026-11-22T12:00:00Z');

export const TRACE_FIXTURES = join(ROOT, 'test', 'fixtures', 'trace');

/** `trace/x.json` from test/fixtures/trace, anything else from fixtures/. */
export function fixtureFile(name: string): string {
  return name.startsWith('trace/') ? join(TRACE_FIXTURES, name.slice('trace/'.length)) : join(FIXTURES, name);
}

export function fixture(name: string): Snapshot {
  return parseSnapshot(readFileSync(fixtureFile(name), 'utf8'));
}

interface FixtureUser {
  Username: string;
  Groups?: string[];
  [field: string]: unknown;
}

/** What the collector reads for `--user`, taken from the fixture's `users` key as the emulator serves it. */
export function userReadFrom(snapshot: Snapshot, username: string): UserRead {
  const users = (snapshot['users'] ?? []) as FixtureUser[];
  const found = users.find((u) => u.Username === username);
  if (!found) throw new Error(`no user ${username} in the fixture`);
  const { Groups, ...user } = found;
  const groups = (Groups ?? []).map((name) => {
    const group = (snapshot.userPoolGroups ?? []).find((g) => g.GroupName === name);
    return { GroupName: name, RoleArn: group?.RoleArn, Precedence: group?.Precedence } as GroupType;
  });
  return { username, userPoolId: snapshot.domain.CognitoOptions!.UserPoolId!, user, groups };
}

export function trace(snapshot: Snapshot, identity: TraceIdentity, url?: string): TraceResult {
  return traceLogin(snapshot, identity, { now: NOW, version: '0.0.0-test', source: 'snapshot', ...(url ? { url } : {}) });
}
