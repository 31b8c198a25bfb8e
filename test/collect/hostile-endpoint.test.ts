// A hostile or broken endpoint answering one read: the collection ends, the read is recorded as
// failed, and the checks that needed it are unknown, naming it. Every case would loop, hang or
// invent findings without the guards; vitest's own timeout is the hang guard, never a clock here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Collector, DomainUnreadable } from '../../src/collect/index.js';
import { MAX_PAGES } from '../../src/collect/pages.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import type { Snapshot } from '../../src/index.js';
import { loadFixture, report } from '../helpers.js';
import { TEST_CREDENTIALS } from '../live/harness.js';
import { endless, iamXml, json, raw, startHostileServer, trickle, type HostileAnswer } from './hostile-server.js';

const snapshot = loadFixture('healthy/token-groups.json');
let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ snapshots: [snapshot] });
});
afterAll(() => emulator.close());

async function collectThrough(operation: string, answer: HostileAnswer, timeoutMs = 2_000) {
  const server = await startHostileServer(emulator.url, operation, answer);
  const collector = new Collector({
    region: snapshot.region,
    deep: true,
    endpointUrl: server.url,
    credentials: TEST_CREDENTIALS,
    maxAttempts: 1,
    timeoutMs,
    capturedAt: snapshot.capturedAt!,
  });
  try {
    const live = await collector.snapshot(snapshot.domain.DomainName);
    return { live, report: report(live), calls: server.calls, bytesSent: server.bytesSent };
  } finally {
    collector.close();
    await server.close();
  }
}

const clean = report(snapshot);
const errorOf = (live: Snapshot, operation: string) => live.errors?.find((e) => e.operation === operation);

/** The run finished with the read failed, nothing invented, and the checks that needed it unknown, naming it. */
function expectFailedRead(result: Awaited<ReturnType<typeof collectThrough>>, operation: string, code: string, named = operation) {
  expect(errorOf(result.live, operation), JSON.stringify(result.live.errors)).toMatchObject({ operation, code });
  expect(result.report.checks.filter((c) => c.status === 'error')).toEqual([]);
  expect(result.report.findings.map((f) => f.id).filter((id) => !clean.findings.some((f) => f.id === id))).toEqual([]);
  const unknown = result.report.checks.filter((c) => c.status === 'unknown');
  expect(unknown.length).toBeGreaterThan(0);
  expect(unknown.map((c) => c.reason).join('\n')).toContain(named);
}

describe('pagination that never ends', () => {
  it('a ListUserPoolClients token sent twice ends the read after two pages', async () => {
    const r = await collectThrough('ListUserPoolClients', json({ UserPoolClients: [{ ClientId: 'loop', ClientName: 'loop' }], NextToken: 'same-token' }));
    expectFailedRead(r, 'cognito-idp:ListUserPoolClients', 'EndlessPages');
    expect(r.calls).toBe(2);
  });

  it('ListGroups cycling through two tokens ends at the first repeat', async () => {
    const r = await collectThrough('ListGroups', (res, call) => json({ Groups: [], NextToken: call % 2 === 0 ? 'b' : 'a' })(res, call));
    expectFailedRead(r, 'cognito-idp:ListGroups', 'EndlessPages');
    expect(r.calls).toBe(3);
  });

  it('ListIdentityProviders with a fresh token on every page stops at the most pages the list can have', async () => {
    const r = await collectThrough('ListIdentityProviders', (res, call) => json({ Providers: [], NextToken: `token-${call}` })(res, call));
    expect(errorOf(r.live, 'cognito-idp:ListIdentityProviders')).toMatchObject({ code: 'EndlessPages' });
    expect(r.calls).toBe(MAX_PAGES['cognito-idp:ListIdentityProviders']);
  });

  it('an IAM Marker sent twice (ListAttachedRolePolicies) ends the read', async () => {
    const r = await collectThrough(
      'ListAttachedRolePolicies',
      iamXml('ListAttachedRolePolicies', '<IsTruncated>true</IsTruncated><Marker>again</Marker><AttachedPolicies/>'),
    );
    expectFailedRead(r, 'iam:ListAttachedRolePolicies', 'EndlessPages');
    // Each role's list is one read: two pages for each role that asks.
    expect(r.calls % 2).toBe(0);
    expect(r.calls).toBeLessThanOrEqual(2 * Object.keys(snapshot.rolePolicies!).length);
  });
});

describe('--timeout covers the whole answer, and answers have a size limit', () => {
  it('a DescribeUserPool body trickled a byte at a time ends as a Timeout', async () => {
    const r = await collectThrough('DescribeUserPool', trickle(100), 1_000);
    expectFailedRead(r, 'cognito-idp:DescribeUserPool', 'Timeout');
    expect(errorOf(r.live, 'cognito-idp:DescribeUserPool')!.message).toMatch(/no complete answer from 127\.0\.0\.1 within 1000 ms/);
  });

  it('a GetIdentityPoolRoles body that never ends is stopped at the size limit, not buffered', async () => {
    const r = await collectThrough('GetIdentityPoolRoles', endless(), 60_000);
    expectFailedRead(r, 'cognito-identity:GetIdentityPoolRoles', 'ResponseTooLarge');
    // Stopped near the limit (8 MB), whatever the socket buffers held.
    expect(r.bytesSent).toBeLessThan(64 * 1024 * 1024);
  });

  it('the security plugin trickling its role mappings ends as a Timeout', async () => {
    const r = await collectThrough('ESHttpGet', trickle(100), 1_000);
    expectFailedRead(r, 'es:ESHttpGet', 'Timeout', 'the security plugin');
  });

  it('the security plugin sending role mappings without end is stopped at the size limit', async () => {
    const r = await collectThrough('ESHttpGet', endless(), 60_000);
    expectFailedRead(r, 'es:ESHttpGet', 'ResponseTooLarge', 'the security plugin');
    expect(r.bytesSent).toBeLessThan(64 * 1024 * 1024);
  });

  it('a declared 800 MB body is refused before it is read', async () => {
    const r = await collectThrough('ListGroups', (res) => {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'content-length': String(800 * 1024 * 1024) });
      res.write('{"Groups":[');
    });
    expectFailedRead(r, 'cognito-idp:ListGroups', 'ResponseTooLarge');
    expect(r.bytesSent).toBeLessThan(1024);
  });
});

describe('answers that lack what the operation guarantees', () => {
  const EMPTY = raw(200, '');
  const HTML = raw(200, '<html><body>Sign in to the proxy</body></html>');
  const CASES: Array<[string, string, string, HostileAnswer]> = [
    ['ListAttachedRolePolicies', 'iam:ListAttachedRolePolicies', 'an empty 200', EMPTY],
    ['ListAttachedRolePolicies', 'iam:ListAttachedRolePolicies', 'an HTML 200', HTML],
    ['GetIdentityPoolRoles', 'cognito-identity:GetIdentityPoolRoles', 'an empty 200', EMPTY],
    ['GetIdentityPoolRoles', 'cognito-identity:GetIdentityPoolRoles', 'an HTML 200', HTML],
    ['ListUserPoolClients', 'cognito-idp:ListUserPoolClients', 'an empty 200', EMPTY],
    ['ListUserPoolClients', 'cognito-idp:ListUserPoolClients', 'an HTML 200', HTML],
    ['DescribeIdentityPool', 'cognito-identity:DescribeIdentityPool', 'an empty object', json({})],
    ['DescribeUserPool', 'cognito-idp:DescribeUserPool', 'an empty object', json({})],
    ['GetRole', 'iam:GetRole', 'an empty 200', EMPTY],
  ];
  for (const [operation, action, label, answer] of CASES) {
    it(`${operation}: ${label} is a failed read, not an empty resource`, async () => {
      const r = await collectThrough(operation, answer);
      expectFailedRead(r, action, 'MalformedResponse');
    });
  }

  it('DescribeDomain without DomainStatus.ARN: the domain is unreadable, named, not an internal error', async () => {
    const { DomainStatus } = { DomainStatus: { ...snapshot.domain, ARN: undefined } };
    const failed = await collectThrough('DescribeDomain', json({ DomainStatus })).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(DomainUnreadable);
    expect((failed as DomainUnreadable).error).toMatchObject({ operation: 'es:DescribeDomain', code: 'MalformedResponse' });
    expect((failed as DomainUnreadable).message).toMatch(/answered DescribeDomain without DomainStatus\.ARN/);
  });
});

describe('an answer from a server that is not AWS', () => {
  it('names the HTTP status and the host, not UnknownError', async () => {
    const r = await collectThrough('ListGroups', raw(502, '<html><body>Bad gateway</body></html>'));
    expectFailedRead(r, 'cognito-idp:ListGroups', 'Http502');
    expect(errorOf(r.live, 'cognito-idp:ListGroups')!.message).toBe(
      '127.0.0.1 answered HTTP 502, which is not an AWS error answer (a proxy or a wrong endpoint?)',
    );
  });

  it('an IAM error page that is not XML names them too', async () => {
    const r = await collectThrough('GetRole', raw(403, '{"message":"blocked by the egress proxy"}', 'application/json'));
    expect(errorOf(r.live, 'iam:GetRole')).toMatchObject({ code: 'Http403', message: expect.stringContaining('127.0.0.1 answered HTTP 403') });
  });
});
