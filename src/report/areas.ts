import { SEVERITY_RANK } from '../engine/exit.js';
import type { CheckStatus, Finding, Report, Severity } from '../engine/types.js';

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

export type Verdict = 'issues' | 'warnings' | 'unknown' | 'ok' | 'not checked';
const MARK: Record<Verdict, string> = { issues: '✗', warnings: '!', unknown: '?', ok: '✓', 'not checked': '-' };

/** The findings that count against a report: not muted, not known from the baseline. */
export function countingFindings(report: Pick<Report, 'findings'>): Report['findings'] {
  return report.findings.filter((f) => !f.muted && f.new !== false);
}

/** The most severe finding each check gave (error before warning before info). */
export function worstSeverityByCheck(findings: readonly Pick<Finding, 'check' | 'severity'>[]): Map<string, Severity> {
  const worst = new Map<string, Severity>();
  for (const f of findings) {
    const held = worst.get(f.check);
    if (!held || SEVERITY_RANK[f.severity] > SEVERITY_RANK[held]) worst.set(f.check, f.severity);
  }
  return worst;
}

/**
 * The verdict of one area of the login, from the findings that count: issues when one of its
 * checks gave an error (users fail there), unknown when one could not decide, warnings when its
 * checks gave warnings only (the login passes; some users, or security, are at risk), ok when its
 * checks ran and passed (information alone included).
 */
export function areaVerdict(checks: readonly string[], worst: ReadonlyMap<string, Severity>, status: ReadonlyMap<string, CheckStatus>): Verdict {
  if (checks.some((id) => worst.get(id) === 'error')) return 'issues';
  if (checks.some((id) => status.get(id) === 'unknown' || status.get(id) === 'error')) return 'unknown';
  if (checks.some((id) => worst.get(id) === 'warning')) return 'warnings';
  if (checks.some((id) => status.get(id) === 'pass' || status.get(id) === 'fail')) return 'ok';
  return 'not checked';
}

/** The verdict of each area of the login; `verbose` lists the checks that passed under each area. */
export function areaVerdictLines(report: Report, verbose: boolean): string[] {
  const worst = worstSeverityByCheck(countingFindings(report));
  const status = new Map(report.checks.map((c) => [c.check, c.status]));
  const areas = [...AREAS, { name: 'other checks', checks: report.checks.map((c) => c.check).filter((id) => !KNOWN.has(id)) }]
    .map((area) => ({ ...area, checks: area.checks.filter((id) => status.has(id)) }))
    .filter((area) => area.checks.length > 0);
  // A report of other checks only (cogdoctor client) has no login areas to name.
  if (areas.every((area) => area.name === 'other checks')) return [];
  const verdictOf = (checks: string[]): Verdict => areaVerdict(checks, worst, status);
  const lines = [`Areas: ${areas.map((area) => `${MARK[verdictOf(area.checks)]} ${area.name}`).join('   ')}`];
  if (verbose) {
    for (const area of areas) {
      const passed = area.checks.filter((id) => status.get(id) === 'pass' && !worst.has(id));
      if (passed.length > 0) lines.push(`  ${area.name} passed: ${passed.join(', ')}`);
    }
  }
  const verdicts = new Set(areas.map((area) => verdictOf(area.checks)));
  if (!verdicts.has('issues') && !verdicts.has('unknown'))
    lines.push(verdicts.has('warnings') ? 'No errors found; see the warnings above.' : 'No issues found.');
  return lines;
}
