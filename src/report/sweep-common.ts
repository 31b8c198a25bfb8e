import type { ReadError } from '../snapshot/types.js';
import type { SweepAccountSummary, SweepCounts, SweepSummary } from './sweep.js';

/** What a sweep did not read: an account, or one Region of an account. */
export interface NotRead {
  accountId: string;
  name?: string;
  /** Absent for a whole account. */
  region?: string;
  status: 'unreadable' | 'not-enabled';
  error?: ReadError;
}

/** Every account and Region not read, accounts first within each account, in the summary's order. */
export function notRead(summary: SweepSummary): NotRead[] {
  return summary.accounts.flatMap((account: SweepAccountSummary) => {
    const who = { accountId: account.accountId, ...(account.name !== undefined ? { name: account.name } : {}) };
    const whole: NotRead[] = account.status === 'unreadable' ? [{ ...who, status: 'unreadable', ...(account.error ? { error: account.error } : {}) }] : [];
    const regions = account.regions
      .filter((r) => r.status !== 'read')
      .map((r): NotRead => ({ ...who, region: r.region, status: r.status as NotRead['status'], ...(r.error ? { error: r.error } : {}) }));
    return [...whole, ...regions];
  });
}

/** Why, in one line: `sts:AssumeRole AccessDenied: User: … is not authorized …`; an opt-in Region says so. */
export function reasonText(item: NotRead): string {
  if (item.status === 'not-enabled' && !item.error) return 'opt-in Region not enabled in the account';
  const e = item.error;
  if (!e) return 'could not be read';
  return `${e.operation} ${e.code}${e.resource ? ` on ${e.resource}` : ''}${e.message ? `: ${e.message}` : ''}`;
}

/** `2 errors, 1 warning, 3 unknown, 1 muted`: the counts that are not zero. */
export function countsText(c: SweepCounts): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const parts = [
    c.error ? plural(c.error, 'error') : '',
    c.warning ? plural(c.warning, 'warning') : '',
    c.info ? `${c.info} info` : '',
    c.unknown ? `${c.unknown} unknown` : '',
    c.errored ? plural(c.errored, 'check error') : '',
    c.muted ? `${c.muted} muted` : '',
    c.new !== undefined ? `${c.new} new, ${c.fixed ?? 0} fixed since the baseline` : '',
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : 'no findings';
}

/** `3 accounts (2 read), 6 Regions (4 read, 1 not enabled), 7 domains`. */
export function scopeText(summary: SweepSummary): string {
  const t = summary.totals;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const regionsUnreadable = t.regions - t.regionsRead - t.regionsNotEnabled;
  const regionParts = [
    `${t.regionsRead} read`,
    t.regionsNotEnabled ? `${t.regionsNotEnabled} not enabled` : '',
    regionsUnreadable ? `${regionsUnreadable} unreadable` : '',
  ];
  return `${plural(t.accounts, 'account')} (${t.accountsRead} read), ${plural(t.regions, 'Region')} (${regionParts.filter(Boolean).join(', ')}), ${plural(t.domains, 'domain')}`;
}

/** One row of the sweep table: an account and Region, or a whole account that has none to show. */
export interface SweepRow {
  accountId: string;
  name: string;
  region: string;
  status: string;
  domains: number;
  error: number;
  warning: number;
  unknown: number;
}

export function sweepRows(summary: SweepSummary): SweepRow[] {
  return summary.accounts.flatMap((account): SweepRow[] => {
    const name = account.name ?? '';
    if (account.regions.length === 0)
      return [{ accountId: account.accountId, name, region: '', status: account.status, domains: 0, error: 0, warning: 0, unknown: 0 }];
    return account.regions.map((r) => ({
      accountId: account.accountId,
      name,
      region: r.region,
      status: r.status,
      domains: r.domains.length,
      error: r.counts.error,
      warning: r.counts.warning,
      unknown: r.counts.unknown,
    }));
  });
}
