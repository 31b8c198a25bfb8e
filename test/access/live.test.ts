import { describe, expect, it } from 'vitest';
import { parsePrincipal } from '../../src/access/index.js';
import type { AccessResult } from '../../src/access/index.js';
import { cogdoctor } from '../helpers.js';
import { collector, withEmulator } from '../live/harness.js';
import { access, accessFixture, ACCESS_FIXTURES, CASES, LAMBDA_ROLE } from './helpers.js';
import { join } from 'node:path';

const ENV = {
  AWS_ACCESS_KEY_ID: 'AKIDACCESSTEST000000',
  AWS_SECRET_ACCESS_KEY: 'access-test-secret-not-real',
  AWS_CONFIG_FILE: '/nonexistent',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
  AWS_EC2_METADATA_DISABLED: 'true',
};

/** What must agree between sources: everything but where the data came from. */
function comparable(result: AccessResult) {
  const { target: _target, ...rest } = result;
  return rest;
}

describe('cogdoctor access live (real SDK clients against the emulator) equals --snapshot', () => {
  it.each(CASES.map((c) => [`${c[0]} ${c[1]} ${c[2] ?? ''} ${c[3] ?? ''}`, c] as const))('%s', async (_name, [file, principalArn, action, path]) => {
    const snapshot = accessFixture(file);
    const principal = parsePrincipal(principalArn);
    await withEmulator([snapshot], async (emulator) => {
      const c = collector(emulator, snapshot.region);
      try {
        const live = await c.accessSnapshot(
          snapshot.domain.DomainName,
          principal.kind === 'anonymous' ? undefined : { kind: principal.kind, arn: principal.kind === 'role' ? principal.roleArn : principal.userArn },
        );
        expect(comparable(access(live, principalArn, action, path, 'live'))).toEqual(comparable(access(snapshot, principalArn, action, path)));
        expect(emulator.log.filter((e) => e.mutating)).toEqual([]);
        expect(emulator.log.filter((e) => e.status !== 200)).toEqual([]);
      } finally {
        c.close();
      }
    });
  });

  it('a denied iam:ListAttachedRolePolicies makes the verdict unknown, naming the permission', async () => {
    const snapshot = accessFixture('lambda-identity-allowed.json');
    await withEmulator(
      [snapshot],
      async (emulator) => {
        const c = collector(emulator, snapshot.region);
        try {
          const live = await c.accessSnapshot('logs-prod', { kind: 'role', arn: LAMBDA_ROLE });
          const result = access(live, LAMBDA_ROLE, 'POST', '/logs-2024/_doc', 'live');
          expect(result.verdict).toBe('unknown');
          expect(result.unknown).toMatchObject({ permission: 'iam:ListAttachedRolePolicies' });
          expect(result.unknown!.reason).toMatch(/^iam:ListAttachedRolePolicies denied on .*: add iam:ListAttachedRolePolicies$/);
        } finally {
          c.close();
        }
      },
      [{ service: 'iam', operation: 'ListAttachedRolePolicies', kind: 'deny' }],
    );
  });
});

describe('cogdoctor access through the CLI', () => {
  it('live: exit 3 with the permission to add when a read is denied', async () => {
    const snapshot = accessFixture('lambda-identity-allowed.json');
    await withEmulator(
      [snapshot],
      async (emulator) => {
        const r = await cogdoctor(
          ['access', 'logs-prod', '--principal', LAMBDA_ROLE, '--region', 'eu-west-1', '--endpoint-url', emulator.url, '--max-attempts', '1'],
          ENV,
        );
        expect(r.code).toBe(3);
        expect(r.stdout).toMatch(/^\? unknown /m);
        expect(r.stdout).toMatch(/add iam:ListAttachedRolePolicies/);
        expect(r.stdout).not.toContain(ENV.AWS_SECRET_ACCESS_KEY);
      },
      [{ service: 'iam', operation: 'ListAttachedRolePolicies', kind: 'deny' }],
    );
  });

  it('live: exit 0 and the deciding statements when allowed', async () => {
    const snapshot = accessFixture('user-group-policy.json');
    await withEmulator([snapshot], async (emulator) => {
      const r = await cogdoctor(
        [
          'access',
          'logs-prod',
          '--principal',
          'arn:aws:iam::123456789012:user/ci/ci-deployer',
          '--action',
          'PUT',
          '--path',
          '/logs/_mapping',
          '--region',
          'eu-west-1',
          '--endpoint-url',
          emulator.url,
          '--format',
          'json',
        ],
        ENV,
      );
      expect(r.code).toBe(0);
      const result = JSON.parse(r.stdout);
      expect(result).toMatchObject({ schema: 'cogdoctor/access/v1', verdict: 'allowed', target: { source: 'live' } });
      expect(result.decidedBy.map((d: { sid: string }) => d.sid)).toEqual(['AccountViaIam', 'WriteIndices']);
    });
  });

  it('--snapshot: exit 1 with the finding, text and json', async () => {
    const file = join(ACCESS_FIXTURES, 'lambda-no-identity-policy.json');
    const text = await cogdoctor(['access', '--snapshot', file, '--principal', LAMBDA_ROLE]);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^✗ denied /m);
    expect(text.stdout).toMatch(/^✗ principal-account-delegation-without-identity-policy/m);
    expect(text.stdout).toMatch(/\$ aws iam put-role-policy --role-name ingest-lambda/);
    const json = await cogdoctor(['access', '--snapshot', file, '--principal', LAMBDA_ROLE, '--format', 'json']);
    expect(JSON.parse(json.stdout).findings[0].id).toBe('principal-account-delegation-without-identity-policy');
    expect((await cogdoctor(['access', '--snapshot', file, '--principal', LAMBDA_ROLE, '--fail-on', 'never'])).code).toBe(0);
  });

  it('--unsigned against an open policy with FGAC and anonymous authentication off: denied by FGAC, exit 1', async () => {
    const r = await cogdoctor(['access', '--snapshot', join(ACCESS_FIXTURES, 'open-policy-fgac.json'), '--unsigned']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ denied .*fine-grained access control decides next and has anonymous authentication off/);
    expect(r.stdout).toMatch(/unsigned-request-denied/);
    expect(r.stdout).toMatch(/lets the request through to FGAC/);
  });

  it('--unsigned against an open policy with FGAC and anonymous authentication on: allowed, exit 0', async () => {
    const r = await cogdoctor(['access', '--snapshot', join(ACCESS_FIXTURES, 'open-policy-fgac-anonymous-auth.json'), '--unsigned']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/✓ allowed/);
  });

  it.each([
    [['--principal', 'arn:aws:iam::123456789012:root'], /--principal .* is not an IAM role ARN/],
    [['--principal', LAMBDA_ROLE, '--action', 'CONNECT'], /--action "CONNECT"/],
    [['--principal', LAMBDA_ROLE, '--path', 'no-slash'], /--path "no-slash"/],
    [[], /name the caller: --principal ARN/],
    [['--principal', 'arn:aws:iam::123456789012:role/no-such-role', '--unsigned'], /--unsigned evaluates an unsigned request/],
  ])('bad input %j: one line, exit 2', async (args, pattern) => {
    const r = await cogdoctor(['access', '--snapshot', join(ACCESS_FIXTURES, 'explicit-deny.json'), ...args]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^cogdoctor: /);
    expect(lines[0]).toMatch(pattern);
  });

  it('a role that does not exist is bad input', async () => {
    const snapshot = accessFixture('explicit-deny.json');
    await withEmulator([snapshot], async (emulator) => {
      const r = await cogdoctor(
        ['access', 'logs-prod', '--principal', 'arn:aws:iam::123456789012:role/no-such-role', '--region', 'eu-west-1', '--endpoint-url', emulator.url],
        ENV,
      );
      expect(r.code).toBe(2);
      expect(r.stderr.trim()).toMatch(/^cogdoctor: --principal: role no-such-role does not exist in account 123456789012/);
    });
  });
});
