import { describe, expect, it } from 'vitest';
import { ACCESS_MODES, buildCatalog, CATALOG, UNDETECTED_MODES, type Declaration } from '../src/catalog/index.js';
import { renderCatalogDoc } from '../src/catalog/doc.js';
import { builtinChecks } from '../src/engine/builtin.js';
import type { FailureMode } from '../src/engine/types.js';
import { ROOT, loadFixtures } from './helpers.js';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// The ids themselves are in docs/failure-modes.md, generated from the catalog: a test below keeps it
// current, so an added, removed or renamed id shows in review there.

// The design's tier 1 (a property the catalog does not carry): every one must be detected from a snapshot.
const TIER_1_LOGIN = [
  'redirect-mismatch',
  'custom-endpoint-not-in-callback',
  'oauth-flows-not-enabled',
  'oauth-scopes-missing',
  'idp-not-enabled-on-app-client',
  'http-callback-rejected',
  'opensearch-app-client-deleted-or-bypassed',
  'user-pool-domain-missing',
  'user-pool-not-found',
  'identity-pool-not-found',
  'pool-region-mismatch',
  'cognito-access-role-untrusted',
  'identity-pool-trust-invalid',
  'group-role-trust-invalid',
  'token-not-from-supported-provider',
  'role-mapping-key-mismatch',
  'group-roles-ignored',
  'ambiguous-role-mapping-denied',
  'preferred-role-ambiguous',
  'rules-mapping-no-match',
  'auth-role-not-in-access-policy',
  'access-policy-resource-or-action-too-narrow',
  'explicit-deny-blocks-auth-role',
  'missing-role',
  'dashboards-permissions-not-mapped',
  'login-page-bypassed-open-policy',
  'iam-master-without-dashboards-auth',
  'saml-and-cognito-conflict',
];
const TIER_1_POSTURE = [
  'unauth-identities-enabled',
  'access-policy-open-no-fgac',
  'vpc-open-policy-no-fgac',
  'internal-user-db-with-cognito',
  'dashboards-auth-missing',
  'trust-policy-missing-conditions',
  'trust-policy-multi-pool-aud',
  'user-pool-self-signup',
  'classic-flow-enabled',
];

const modes = builtinChecks.flatMap((check) => check.modes.map((mode) => ({ check, mode })));
const fixtures = loadFixtures();

const entries = [...CATALOG.values()];
const declaredBy = (kind: Declaration['kind'], command?: string) =>
  entries.filter((e) => e.declaredBy.some((d) => d.kind === kind && (command === undefined || (d.kind === 'check' && d.command === command))));
const domainIds = declaredBy('check', 'check').map((e) => e.mode.id);
const clientIds = declaredBy('check', 'client').map((e) => e.mode.id);

describe('the catalog', () => {
  it("the README's count of ids is the catalog's", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(Number(/The catalog \((\d+) ids\)/.exec(readme)?.[1])).toBe(CATALOG.size);
  });

  it('docs/failure-modes.md is the catalog as it is (run node scripts/failure-modes-doc.mjs after changing a mode)', () => {
    const committed = readFileSync(join(ROOT, 'docs', 'failure-modes.md'), 'utf8');
    expect(committed === renderCatalogDoc(CATALOG), 'docs/failure-modes.md is out of date: run node scripts/failure-modes-doc.mjs').toBe(true);
  });

  it('refuses one id declared twice with different data, and an id both detected and undetected; checks may share one declaration', () => {
    const mode: FailureMode = {
      id: 'some-mode',
      severity: 'error',
      title: 'A title',
      symptom: 'A symptom',
      cause: 'A cause',
      fix: 'A fix',
      docs: ['https://docs.aws.amazon.com/'],
    };
    const check = (id: string): Declaration => ({ kind: 'check', command: 'check', check: { id, description: id }, mode });
    const client = (id: string, m: FailureMode): Declaration => ({ kind: 'check', command: 'client', check: { id, description: id }, mode: m });
    const reworded = { ...mode, symptom: 'Another symptom' };
    expect(() =>
      buildCatalog([
        { mode, by: check('a') },
        { mode: reworded, by: client('b', reworded) },
      ]),
    ).toThrow(/some-mode is declared by the check a and by the client check b with different data/);
    expect(() =>
      buildCatalog([
        { mode, by: check('a') },
        { mode: { ...mode, docs: [] }, by: check('b') },
      ]),
    ).toThrow(/different data/);
    expect(() =>
      buildCatalog([
        { mode, by: check('a') },
        { mode, by: { kind: 'undetected', mode: { ...mode, why: 'why', confirm: [] } } },
      ]),
    ).toThrow(/only checks share an id/);
    const shared = buildCatalog([
      { mode, by: check('a') },
      { mode: { ...mode }, by: client('b', mode) },
    ]);
    expect(shared.get('some-mode')!.declaredBy.map((d) => d.kind === 'check' && d.check.id)).toEqual(['a', 'b']);
  });

  it('has 28 login-path and 9 posture ids in tier 1', () => {
    expect(TIER_1_LOGIN).toHaveLength(28);
    expect(TIER_1_POSTURE).toHaveLength(9);
  });

  it.each([...TIER_1_LOGIN, ...TIER_1_POSTURE])('%s has a check and a fixture that makes it fire', (id) => {
    expect(
      modes.filter((m) => m.mode.id === id),
      `no check declares ${id}`,
    ).toHaveLength(1);
    expect(
      fixtures.some((f) => f.name.startsWith('fail/') && f.expect.includes(id)),
      `no failing fixture for ${id}`,
    ).toBe(true);
  });

  it.each(domainIds)('%s, reported on a domain, has a fixture that fires and healthy fixtures that stay quiet', (id) => {
    expect(
      modes.filter((m) => m.mode.id === id),
      `${id} must be declared by one domain check`,
    ).toHaveLength(1);
    expect(
      fixtures.some((f) => f.name.startsWith('fail/') && f.expect.includes(id)),
      `no firing fixture for ${id}`,
    ).toBe(true);
    expect(fixtures.filter((f) => f.name.startsWith('healthy/') && !f.expect.includes(id)).length, `no quiet fixture for ${id}`).toBeGreaterThanOrEqual(4);
  });

  it.each(UNDETECTED_MODES.map((m) => m.id))('%s, not detectable from configuration, says why and how to confirm it by hand', (id) => {
    const undetected = UNDETECTED_MODES.find((m) => m.id === id)!;
    expect(undetected.why.length).toBeGreaterThan(20);
    expect(undetected.confirm.length).toBeGreaterThan(0);
  });

  it('explain knows the ids of cogdoctor access, and no check reports them', async () => {
    expect(
      declaredBy('access')
        .map((e) => e.mode.id)
        .sort(),
    ).toEqual(ACCESS_MODES.map((m) => m.id).sort());
    const { cogdoctor } = await import('./helpers.js');
    for (const mode of ACCESS_MODES) {
      expect(
        modes.some((m) => m.mode.id === mode.id),
        mode.id,
      ).toBe(false);
      const r = await cogdoctor(['explain', mode.id, '--format', 'json']);
      expect(r.code, mode.id).toBe(0);
      const explained = JSON.parse(r.stdout);
      expect(explained).toMatchObject({
        id: mode.id,
        severity: mode.severity,
        symptom: mode.symptom,
        fix: mode.fix,
        docs: mode.docs,
        check: null,
        command: 'access',
      });
      expect(explained.detection).toMatch(/^Detected by cogdoctor access/);
    }
  }, 60_000);

  it('the ids of cogdoctor client: each declared by one client check, with a case that fires and one that stays quiet', async () => {
    const { builtinClientChecks } = await import('../src/engine/builtin-client.js');
    const { CASES, runCase } = await import('./client/cases.js');
    const clientModes = builtinClientChecks.flatMap((check) => check.modes.map((mode) => ({ check, mode })));
    expect(clientModes.map((m) => m.mode.id).sort()).toEqual([...clientIds].sort());
    const runs = CASES.map((c) => ({ c, report: runCase(c) }));
    for (const { check, mode } of clientModes) {
      expect(
        clientModes.filter((m) => m.mode.id === mode.id),
        mode.id,
      ).toHaveLength(1);
      expect(
        runs.some(({ c, report }) => c.expect.includes(mode.id) && report.findings.some((f) => f.id === mode.id)),
        `no case fires ${mode.id}`,
      ).toBe(true);
      expect(
        runs.some(({ report }) => report.checks.some((r) => r.check === check.id && r.status === 'pass')),
        `no quiet case for ${mode.id}`,
      ).toBe(true);
    }
  }, 60_000);

  it('explain prints every id as the catalog declares it, naming the check and the command', async () => {
    const { cogdoctor } = await import('./helpers.js');
    for (const {
      mode,
      declaredBy: [first],
    } of entries) {
      const r = await cogdoctor(['explain', mode.id, '--format', 'json']);
      expect(r.code, mode.id).toBe(0);
      const explained = JSON.parse(r.stdout);
      expect(
        { severity: explained.severity, title: explained.title, symptom: explained.symptom, cause: explained.cause, fix: explained.fix, docs: explained.docs },
        mode.id,
      ).toEqual({
        severity: mode.severity,
        title: mode.title,
        symptom: mode.symptom,
        cause: mode.cause,
        fix: mode.fix,
        docs: mode.docs,
      });
      if (first!.kind === 'check') {
        // A domain check first: an id both commands report is explained with the domain's check.
        expect(explained.check, mode.id).toBe(first!.check.id);
        expect(explained.command, mode.id).toBe(first!.command === 'client' ? 'client' : undefined);
      } else if (first!.kind === 'undetected') {
        expect(explained.check, mode.id).toBeNull();
        expect(explained.detection, mode.id).toMatch(/^Not detected from the configuration/);
      }
    }
  }, 120_000);

  it('posture ids are warnings or info; login-path ids are errors unless they rest on an inferred fact', () => {
    for (const id of TIER_1_POSTURE) expect(['warning', 'info']).toContain(modes.find((m) => m.mode.id === id)!.mode.severity);
    for (const id of TIER_1_LOGIN) {
      const { mode } = modes.find((m) => m.mode.id === id)!;
      expect(mode.severity, id).toBe(mode.inferred ? 'warning' : 'error');
    }
  });

  it('every domain check declares its own ids, and no undetected id is also detected', () => {
    const ids = modes.map((m) => m.mode.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const undetected of UNDETECTED_MODES) expect(ids).not.toContain(undetected.id);
  });

  it('every mode has a symptom, a cause, a fix and AWS documentation', () => {
    for (const { mode } of entries) {
      for (const field of ['title', 'symptom', 'cause', 'fix'] as const) expect(mode[field].length, `${mode.id}.${field}`).toBeGreaterThan(10);
      expect(mode.docs.length, `${mode.id} docs`).toBeGreaterThan(0);
      for (const doc of mode.docs) expect(doc).toMatch(/^https:\/\//);
    }
  });

  it('each check file is named after its id, the checks of cogdoctor client in checks/client/', async () => {
    const { builtinClientChecks } = await import('../src/engine/builtin-client.js');
    const named = (dir: string) =>
      readdirSync(dir)
        .filter((f) => f.endsWith('.ts'))
        .map((f) => f.replace(/\.ts$/, ''))
        .sort();
    expect(builtinChecks.map((c) => c.id).sort()).toEqual(named(join(ROOT, 'checks')));
    expect(builtinClientChecks.map((c) => c.id).sort()).toEqual(named(join(ROOT, 'checks', 'client')));
    expect(builtinClientChecks.every((c) => c.kind === 'client')).toBe(true);
  });
});
