import type { CheckStatus, Report } from '../engine/types.js';

/** The steps of a Dashboards login, in the order a user goes through them, and the checks of each. */
export const AREAS: readonly { name: string; checks: readonly string[] }[] = [
  {
    name: 'hosted UI',
    checks: [
      'dashboards-authentication',
      'saml-and-cognito',
      'vpc-dashboards-access',
      'user-pool-domain',
      'managed-login-branding',
      'user-pool-waf',
      'app-client-callback-urls',
      'app-client-https-urls',
      'app-client-identity-providers',
      'app-client-oauth',
      'idp-attribute-mapping',
      'saml-idp-metadata',
      'admin-only-signup-federation',
      'user-pool-self-signup',
      'user-pool-posture',
      'opensearch-client-posture',
      'opensearch-app-client-drift',
    ],
  },
  {
    name: 'token exchange',
    checks: [
      'cognito-pools-exist',
      'cognito-pool-regions',
      'domain-stuck-on-deleted-pools',
      'opensearch-app-client',
      'identity-pool-providers',
      'identity-pool-provider-quota',
      'identity-pool-posture',
      'dashboards-session-length',
    ],
  },
  { name: 'role selection', checks: ['role-resolution', 'role-mapping-provider', 'role-rule-claims', 'federated-group-roles', 'pre-token-trigger-mapping'] },
  {
    name: 'trust',
    checks: [
      'auth-role-trust',
      'group-role-trust',
      'trust-policy-conditions',
      'principal-tags-trust',
      'cognito-access-role-trust',
      'cognito-access-role-permissions',
    ],
  },
  { name: 'access policy', checks: ['access-policy-auth-roles', 'open-access-policy', 'auth-role-permissions'] },
  { name: 'FGAC', checks: ['fgac-role-mappings'] },
];
const KNOWN = new Set(AREAS.flatMap((a) => a.checks));

export type Verdict = 'issues' | 'unknown' | 'ok' | 'not checked';
const MARK: Record<Verdict, string> = { issues: '✗', unknown: '?', ok: '✓', 'not checked': '-' };

/** The findings that count against a report: not muted, not known from the baseline. */
export function countingFindings(report: Pick<Report, 'findings'>): Report['findings'] {
  return report.findings.filter((f) => !f.muted && f.new !== false);
}

/**
 * The verdict of one area of the login: issues when a finding that counts came from one of its
 * checks, unknown when one could not decide, ok when its checks ran and passed.
 */
export function areaVerdict(checks: readonly string[], counting: ReadonlySet<string>, status: ReadonlyMap<string, CheckStatus>): Verdict {
  if (checks.some((id) => counting.has(id))) return 'issues';
  if (checks.some((id) => status.get(id) === 'unknown' || status.get(id) === 'error')) return 'unknown';
  if (checks.some((id) => status.get(id) === 'pass' || status.get(id) === 'fail')) return 'ok';
  return 'not checked';
}

/** The verdict of each area of the login; `verbose` lists the checks that passed under each area. */
export function areaVerdictLines(report: Report, verbose: boolean): string[] {
  const counting = new Set(countingFindings(report).map((f) => f.check));
  const status = new Map(report.checks.map((c) => [c.check, c.status]));
  const areas = [...AREAS, { name: 'other checks', checks: report.checks.map((c) => c.check).filter((id) => !KNOWN.has(id)) }]
    .map((area) => ({ ...area, checks: area.checks.filter((id) => status.has(id)) }))
    .filter((area) => area.checks.length > 0);
  // A report of other checks only (cogdoctor client) has no login areas to name.
  if (areas.every((area) => area.name === 'other checks')) return [];
  const verdictOf = (checks: string[]): Verdict => areaVerdict(checks, counting, status);
  const lines = [`Areas: ${areas.map((area) => `${MARK[verdictOf(area.checks)]} ${area.name}`).join('   ')}`];
  if (verbose) {
    for (const area of areas) {
      const passed = area.checks.filter((id) => status.get(id) === 'pass' && !counting.has(id));
      if (passed.length > 0) lines.push(`  ${area.name} passed: ${passed.join(', ')}`);
    }
  }
  const healthy = areas.every((area) => verdictOf(area.checks) !== 'issues' && verdictOf(area.checks) !== 'unknown');
  if (healthy) lines.push('No issues found.');
  return lines;
}
