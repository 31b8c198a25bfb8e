import type { Finding, Report } from '../engine/types.js';
import { matchesWildcard } from '../policy/wildcard.js';
import type { Mute } from './config.js';
import { compareText } from '../util/order.js';

/** Today as the mutes' expiry dates count it: the UTC calendar day. */
export function utcToday(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** A pattern the mute leaves out matches everything; a report without an account id matches only a pattern that takes any text. */
function patternMatches(pattern: string | undefined, value: string | undefined): boolean {
  return pattern === undefined || matchesWildcard(pattern, value ?? '');
}

function matches(mute: Mute, finding: Finding, target: Report['target']): boolean {
  return (
    mute.id === finding.id &&
    patternMatches(mute.resource, finding.resource) &&
    patternMatches(mute.account, target.accountId) &&
    patternMatches(mute.region, target.region)
  );
}

function isActive(mute: Mute, today: string): boolean {
  return mute.expires === undefined || today <= mute.expires;
}

/**
 * Marks the findings a mute matches. An active mute wins over an expired one; a finding whose only
 * matching mutes have expired is not muted, and says so.
 */
export function applyMutes(report: Report, mutes: Mute[], today: string): Report {
  if (mutes.length === 0) return report;
  const findings = report.findings.map((finding): Finding => {
    const matching = mutes.filter((m) => matches(m, finding, report.target));
    const active = matching.find((m) => isActive(m, today));
    if (active) {
      return { ...finding, muted: true, muteReason: active.reason, ...(active.expires ? { muteExpires: active.expires } : {}) };
    }
    // The most recently expired mute explains best why the finding is back.
    const expired = matching.sort((a, b) => compareText(b.expires ?? '', a.expires ?? ''))[0];
    if (expired) return { ...finding, muteExpired: true, muteReason: expired.reason, muteExpires: expired.expires! };
    return finding;
  });
  // A muted finding is counted once, as muted, not also under its severity.
  const unmuted = (severity: Finding['severity']) => findings.filter((f) => !f.muted && f.severity === severity).length;
  return {
    ...report,
    findings,
    summary: { ...report.summary, error: unmuted('error'), warning: unmuted('warning'), info: unmuted('info'), muted: findings.filter((f) => f.muted).length },
  };
}
