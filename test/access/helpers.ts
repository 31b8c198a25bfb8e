import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluateAccess, parseAction, parsePath, parsePrincipal, type AccessResult } from '../../src/access/index.js';
import type { Snapshot } from '../../src/index.js';
import { parseSnapshot } from '../../src/snapshot/read.js';
import { ROOT } from '../helpers.js';

export const ACCESS_FIXTURES = join(ROOT, 'test', 'fixtures', 'access');
export const LAMBDA_ROLE = 'arn:aws:iam::123456789012:role/service-role/ingest-lambda';
export const LAMBDA_SESSION = 'arn:aws:sts::123456789012:assumed-role/ingest-lambda/ingest-fn';
export const CI_USER = 'arn:aws:iam::123456789012:user/ci/ci-deployer';

export function accessFixture(name: string): Snapshot {
  return parseSnapshot(readFileSync(join(ACCESS_FIXTURES, name), 'utf8'));
}

export function access(snapshot: Snapshot, principal: string, action?: string, path?: string, source: 'live' | 'snapshot' = 'snapshot'): AccessResult {
  return evaluateAccess(snapshot, parsePrincipal(principal), parseAction(action), parsePath(path), { version: '0.0.0-test', source });
}

/** The cases every access fixture is tried with: principal, action, path. */
export const CASES: Array<[fixture: string, principal: string, action?: string, path?: string]> = [
  ['lambda-identity-allowed.json', LAMBDA_ROLE, 'POST', '/logs-2024/_doc'],
  ['lambda-no-identity-policy.json', LAMBDA_SESSION],
  ['role-bare-domain-arn.json', LAMBDA_ROLE, 'GET', '/logs/_search'],
  ['explicit-deny.json', LAMBDA_ROLE, 'DELETE', '/logs-2024/_doc/1'],
  ['explicit-deny.json', 'anonymous'],
  ['open-policy-fgac.json', 'anonymous'],
  ['open-policy-fgac-anonymous-auth.json', 'anonymous'],
  ['open-policy-fgac.json', LAMBDA_SESSION, 'es:ESHttpPut', '/logs-2024/_doc/1'],
  ['user-group-policy.json', CI_USER, 'PUT', '/logs/_mapping'],
];
