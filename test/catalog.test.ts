import { describe, expect, it } from 'vitest';
import { UNDETECTED_MODES } from '../src/catalog.js';
import { builtinChecks } from '../src/engine/builtin.js';
import { ROOT, loadFixtures } from './helpers.js';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

// The tier-1 ids of the failure-mode catalog: every one must be detected from a snapshot.
const TIER_1_LOGIN = [
  'redirect-mismatch', 'custom-endpoint-not-in-callback', 'oauth-flows-not-enabled', 'oauth-scopes-missing',
  'idp-not-enabled-on-app-client', 'http-callback-rejected', 'opensearch-app-client-deleted-or-bypassed',
  'user-pool-domain-missing', 'user-pool-not-found', 'identity-pool-not-found', 'pool-region-mismatch',
  'cognito-access-role-untrusted', 'identity-pool-trust-invalid', 'group-role-trust-invalid',
  'token-not-from-supported-provider', 'role-mapping-key-mismatch', 'group-roles-ignored',
  'ambiguous-role-mapping-denied', 'preferred-role-ambiguous', 'rules-mapping-no-match',
  'auth-role-not-in-access-policy', 'access-policy-resource-or-action-too-narrow', 'explicit-deny-blocks-auth-role',
  'missing-role', 'dashboards-permissions-not-mapped', 'login-page-bypassed-open-policy',
  'iam-master-without-dashboards-auth', 'saml-and-cognito-conflict',
];
const TIER_1_POSTURE = [
  'unauth-identities-enabled', 'access-policy-open-no-fgac', 'vpc-open-policy-no-fgac', 'internal-user-db-with-cognito',
  'dashboards-auth-missing', 'trust-policy-missing-conditions', 'trust-policy-multi-pool-aud', 'user-pool-self-signup',
  'classic-flow-enabled',
];

// Every id of the catalog (sections A–F and S of the failure-mode catalog).
const CATALOG = [
  'console-cannot-create-role', 'passrole-denied-cognito-access-role', 'caller-lacks-cognito-read', 'cognito-access-role-untrusted',
  'cognito-access-role-missing-permissions', 'user-pool-not-found', 'identity-pool-not-found', 'user-pool-domain-missing',
  'pool-region-mismatch', 'identity-pool-provider-limit', 'cognito-resources-deleted-before-domain', 'saml-and-cognito-conflict',
  'login-page-bypassed-open-policy', 'login-page-bypassed-signed-proxy', 'iam-master-without-dashboards-auth', 'redirect-mismatch',
  'custom-endpoint-not-in-callback', 'vpc-endpoint-unreachable', 'oauth-flows-not-enabled', 'oauth-scopes-missing',
  'idp-not-enabled-on-app-client', 'http-callback-rejected', 'managed-login-branding-missing', 'opensearch-app-client-overwritten',
  'opensearch-app-client-deleted-or-bypassed', 'user-not-confirmed-or-disabled', 'temporary-password-expired',
  'federated-attribute-mapping-error', 'saml-idp-signature-invalid', 'admin-only-signup-blocks-federated', 'identity-pool-trust-invalid',
  'group-role-trust-invalid', 'token-not-from-supported-provider', 'ambiguous-role-mapping-denied', 'role-mapping-key-mismatch',
  'group-roles-ignored', 'preferred-role-ambiguous', 'rules-mapping-no-match', 'principal-tags-trust-missing-tagsession',
  'auth-role-not-in-access-policy', 'access-policy-resource-or-action-too-narrow', 'explicit-deny-blocks-auth-role', 'missing-role',
  'dashboards-permissions-not-mapped', 'global-signout-revokes-sessions',
  'unauth-identities-enabled', 'classic-flow-enabled', 'access-policy-open-no-fgac', 'vpc-open-policy-no-fgac',
  'internal-user-db-with-cognito', 'dashboards-auth-missing', 'auth-role-overprivileged', 'trust-policy-missing-conditions',
  'trust-policy-multi-pool-aud', 'user-pool-self-signup', 'role-rules-on-mutable-claims', 'group-role-escalation',
  'opensearch-client-extra-flows', 'client-secret-placement', 'user-pool-weak-auth', 'waf-not-enforced-managed-login',
  'user-pool-no-deletion-protection',
];

// Ids beyond the failure-mode catalog: checks added since, and the causes `cogdoctor access` names.
const BEYOND_CATALOG_CHECKS = ['pre-token-trigger-without-token-mapping'];
const ACCESS_IDS = [
  'principal-account-delegation-without-identity-policy', 'principal-statement-too-narrow', 'principal-explicit-deny',
  'principal-not-in-access-policy', 'unsigned-request-denied',
];

// The ids `cogdoctor client` adds for any OIDC relying party on an app client (it reuses catalog ids too).
const RELYING_PARTY_IDS = [
  'logout-url-not-registered', 'client-credentials-mixed-with-user-flows', 'client-credentials-user-scope',
  'client-secret-missing', 'client-secret-on-public-client',
];

const modes = builtinChecks.flatMap((check) => check.modes.map((mode) => ({ check, mode })));
const fixtures = loadFixtures();

describe('the catalog', () => {
  it('has 28 login-path and 9 posture ids in tier 1', () => {
    expect(TIER_1_LOGIN).toHaveLength(28);
    expect(TIER_1_POSTURE).toHaveLength(9);
  });

  it.each([...TIER_1_LOGIN, ...TIER_1_POSTURE])('%s has a check and a fixture that makes it fire', (id) => {
    expect(modes.filter((m) => m.mode.id === id), `no check declares ${id}`).toHaveLength(1);
    expect(fixtures.some((f) => f.name.startsWith('fail/') && f.expect.includes(id)), `no failing fixture for ${id}`).toBe(true);
  });

  it('has 62 ids in all', () => expect(new Set(CATALOG).size).toBe(62));

  it.each(CATALOG)('%s is detected (a check, a fixture that fires, fixtures that stay quiet) or explained as not detectable', (id) => {
    const detected = modes.filter((m) => m.mode.id === id);
    const undetected = UNDETECTED_MODES.find((m) => m.id === id);
    expect(detected.length + (undetected ? 1 : 0), `${id} must be exactly one of detected or explained`).toBe(1);
    if (undetected) {
      expect(undetected.why.length).toBeGreaterThan(20);
      expect(undetected.confirm.length).toBeGreaterThan(0);
      return;
    }
    expect(fixtures.some((f) => f.name.startsWith('fail/') && f.expect.includes(id)), `no firing fixture for ${id}`).toBe(true);
    expect(fixtures.filter((f) => f.name.startsWith('healthy/') && !f.expect.includes(id)).length, `no quiet fixture for ${id}`).toBeGreaterThanOrEqual(4);
  });

  it('no check reports an id outside the catalog', () => {
    for (const { mode } of modes) expect([...CATALOG, ...BEYOND_CATALOG_CHECKS], mode.id).toContain(mode.id);
  });

  it.each(BEYOND_CATALOG_CHECKS)('%s has a check, a fixture that fires and healthy fixtures that stay quiet', (id) => {
    expect(modes.filter((m) => m.mode.id === id)).toHaveLength(1);
    expect(fixtures.some((f) => f.name.startsWith('fail/') && f.expect.includes(id))).toBe(true);
    expect(fixtures.filter((f) => f.name.startsWith('healthy/') && !f.expect.includes(id)).length).toBeGreaterThanOrEqual(4);
  });

  it('explain knows the ids of cogdoctor access, and no check reports them', async () => {
    const { ACCESS_MODES } = await import('../src/catalog.js');
    expect(ACCESS_MODES.map((m) => m.id).sort()).toEqual([...ACCESS_IDS].sort());
    const { cogdoctor } = await import('./helpers.js');
    for (const mode of ACCESS_MODES) {
      expect(modes.some((m) => m.mode.id === mode.id), mode.id).toBe(false);
      const r = await cogdoctor(['explain', mode.id, '--format', 'json']);
      expect(r.code, mode.id).toBe(0);
      const explained = JSON.parse(r.stdout);
      expect(explained).toMatchObject({ id: mode.id, severity: mode.severity, symptom: mode.symptom, fix: mode.fix, docs: mode.docs, check: null, command: 'access' });
      expect(explained.detection).toMatch(/^Detected by cogdoctor access/);
    }
  }, 60_000);

  it('the relying-party ids of cogdoctor client: each declared by one client check, with a case that fires and one that stays quiet, and explained', async () => {
    const { RELYING_PARTY_CHECKS } = await import('../src/relying-party/checks/index.js');
    const { CASES, runCase } = await import('./client/cases.js');
    const clientModes = RELYING_PARTY_CHECKS.flatMap((check) => check.modes.map((mode) => ({ check, mode })));
    // Every id a client check reports is one of the catalog's or one of these.
    expect(clientModes.map((m) => m.mode.id).filter((id) => !CATALOG.includes(id)).sort()).toEqual([...RELYING_PARTY_IDS].sort());
    const runs = CASES.map((c) => ({ c, report: runCase(c) }));
    const { cogdoctor } = await import('./helpers.js');
    for (const { check, mode } of clientModes) {
      expect(clientModes.filter((m) => m.mode.id === mode.id), mode.id).toHaveLength(1);
      expect(runs.some(({ c, report }) => c.expect.includes(mode.id) && report.findings.some((f) => f.id === mode.id)), `no case fires ${mode.id}`).toBe(true);
      expect(runs.some(({ report }) => report.checks.some((r) => r.check === check.id && r.status === 'pass')), `no quiet case for ${mode.id}`).toBe(true);
      for (const field of ['title', 'symptom', 'cause', 'fix'] as const) expect(mode[field].length, `${mode.id}.${field}`).toBeGreaterThan(10);
      if (!RELYING_PARTY_IDS.includes(mode.id)) continue;
      expect(modes.some((m) => m.mode.id === mode.id), `${mode.id} is also a domain check's`).toBe(false);
      const explained = JSON.parse((await cogdoctor(['explain', mode.id, '--format', 'json'])).stdout);
      expect(explained).toMatchObject({ id: mode.id, check: check.id, command: 'client', severity: mode.severity, symptom: mode.symptom, fix: mode.fix, docs: mode.docs });
    }
  }, 60_000);

  it('explain agrees with each check\'s metadata for every id', async () => {
    const { cogdoctor } = await import('./helpers.js');
    for (const id of CATALOG) {
      const r = await cogdoctor(['explain', id, '--format', 'json']);
      expect(r.code, id).toBe(0);
      const explained = JSON.parse(r.stdout);
      const declared = modes.find((m) => m.mode.id === id);
      if (declared) {
        expect(explained.check, id).toBe(declared.check.id);
        expect({ severity: explained.severity, symptom: explained.symptom, fix: explained.fix, docs: explained.docs }, id).toEqual({ severity: declared.mode.severity, symptom: declared.mode.symptom, fix: declared.mode.fix, docs: declared.mode.docs });
      } else {
        expect(explained.check, id).toBeNull();
        expect(explained.detection, id).toMatch(/^Not detected from the configuration/);
      }
    }
  }, 60_000);

  it('posture ids are warnings or info; login-path ids are errors unless they rest on an inferred fact', () => {
    for (const id of TIER_1_POSTURE) expect(['warning', 'info']).toContain(modes.find((m) => m.mode.id === id)!.mode.severity);
    for (const id of TIER_1_LOGIN) {
      const { mode } = modes.find((m) => m.mode.id === id)!;
      expect(mode.severity, id).toBe(mode.inferred ? 'warning' : 'error');
    }
  });

  it('every failure id is declared once, and no undetected id is also detected', () => {
    const ids = modes.map((m) => m.mode.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const undetected of UNDETECTED_MODES) expect(ids).not.toContain(undetected.id);
  });

  it('every mode has a symptom, a cause, a fix and AWS documentation', () => {
    for (const { check, mode } of modes) {
      for (const field of ['title', 'symptom', 'cause', 'fix'] as const) expect(mode[field].length, `${check.id}/${mode.id}.${field}`).toBeGreaterThan(10);
      expect(mode.docs.length, `${mode.id} docs`).toBeGreaterThan(0);
      for (const doc of mode.docs) expect(doc).toMatch(/^https:\/\//);
    }
  });

  it('each check file is named after its id', () => {
    const files = readdirSync(join(ROOT, 'checks')).filter((f) => f.endsWith('.ts')).map((f) => f.replace(/\.ts$/, '')).sort();
    expect(builtinChecks.map((c) => c.id).sort()).toEqual(files);
  });
});
