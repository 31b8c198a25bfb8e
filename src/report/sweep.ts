// An organization sweep prints one report per domain as each is done, then one summary of the
// accounts and Regions read. Reports stream: the tally keeps counts, never the reports, so memory
// does not grow with the number of domains.
import type { FailureMode, Report, Severity, Summary } from '../engine/types.js';
import { compareText } from '../util/order.js';
import { jsonLine } from '../util/inert.js';
import { redactReport } from '../redact.js';
import { UsageError } from '../errors.js';
import { htmlSweepWriter } from './sweep-html.js';
import { junitSweepWriter } from './sweep-junit.js';
import { markdownSweepWriter } from './sweep-markdown.js';
import { sarifSweepWriter } from './sweep-sarif.js';
import { textSweepWriter } from './sweep-text.js';
import { targetId } from './target.js';

// What the collector found of each account and Region; the summary adds the reports' counts to it.
export type { SweepAccount, SweepRegion } from '../collect/sweep.js';
import type { SweepAccount, SweepRegion } from '../collect/sweep.js';

/** What the reports of a set of domains add up to. Severities count findings that are not muted, as a report's summary does. */
export interface SweepCounts {
  error: number;
  warning: number;
  info: number;
  /** Checks that could not decide (a read was denied or failed). */
  unknown: number;
  /** Checks that failed to run. */
  errored: number;
  muted: number;
  /** With --baseline: findings the baseline lacks, and baseline findings gone. */
  new?: number;
  fixed?: number;
}

export interface SweepRegionSummary extends SweepRegion {
  counts: SweepCounts;
}

export interface SweepAccountSummary extends Omit<SweepAccount, 'regions'> {
  regions: SweepRegionSummary[];
}

export interface SweepTotals extends SweepCounts {
  accounts: number;
  accountsRead: number;
  /** Account × Region pairs. */
  regions: number;
  regionsRead: number;
  regionsNotEnabled: number;
  domains: number;
}

/** The findings of one failure id across the sweep. */
export interface SweepIdCount {
  /** The highest severity its findings had. */
  severity: Severity;
  /** Findings not muted. */
  findings: number;
  /** Domains with at least one such finding not muted. */
  domains: number;
  muted: number;
}

/** `cogdoctor/sweep/v1`: the last line of a sweep's JSON Lines (schema/sweep.schema.json). */
export interface SweepSummary {
  schema: 'cogdoctor/sweep/v1';
  tool: { name: 'cogdoctor'; version: string };
  /** Every account, by id; each with its Regions, by name, and their domains. */
  accounts: SweepAccountSummary[];
  totals: SweepTotals;
  /** Per failure id, by id. */
  byId: Record<string, SweepIdCount>;
}

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];
const COUNTED = ['error', 'warning', 'info', 'unknown', 'errored', 'muted', 'new', 'fixed'] as const satisfies ReadonlyArray<keyof Summary>;

function noCounts(withBaseline: boolean): SweepCounts {
  return { error: 0, warning: 0, info: 0, unknown: 0, errored: 0, muted: 0, ...(withBaseline ? { new: 0, fixed: 0 } : {}) };
}

function addCounts(sum: SweepCounts, summary: Summary | SweepCounts): void {
  for (const key of COUNTED) {
    const value = summary[key];
    if (value !== undefined) sum[key] = (sum[key] ?? 0) + value;
  }
}

interface Place {
  accountId: string;
  region: string;
  domains: Set<string>;
  summaries: SweepCounts;
}

const placeKey = (accountId: string, region: string) => `${accountId}\u0000${region}`;

/**
 * Counts the gated reports of a sweep as they stream past, then builds the summary from the
 * accounts' outcomes. A report of an account or Region the outcomes do not name still counts: it
 * gets a row of its own, read.
 */
export class SweepTally {
  private readonly places = new Map<string, Place>();
  private readonly ids = new Map<string, SweepIdCount>();
  private withBaseline = false;

  add(report: Report): void {
    const accountId = report.target.accountId ?? '';
    const key = placeKey(accountId, report.target.region);
    let place = this.places.get(key);
    if (!place) {
      place = { accountId, region: report.target.region, domains: new Set(), summaries: noCounts(false) };
      this.places.set(key, place);
    }
    place.domains.add(targetId(report.target));
    addCounts(place.summaries, report.summary);
    if (report.baseline) this.withBaseline = true;
    const seen = new Set<string>();
    for (const finding of report.findings) {
      let count = this.ids.get(finding.id);
      if (!count) {
        count = { severity: finding.severity, findings: 0, domains: 0, muted: 0 };
        this.ids.set(finding.id, count);
      }
      if (SEVERITIES.indexOf(finding.severity) < SEVERITIES.indexOf(count.severity)) count.severity = finding.severity;
      if (finding.muted) {
        count.muted += 1;
        continue;
      }
      count.findings += 1;
      if (!seen.has(finding.id)) count.domains += 1;
      seen.add(finding.id);
    }
  }

  summary(accounts: SweepAccount[], options: { version: string }): SweepSummary {
    const counts = (place: Place | undefined): SweepCounts => {
      const sum = noCounts(this.withBaseline);
      if (place) addCounts(sum, place.summaries);
      return sum;
    };
    const used = new Set<string>();
    const byAccount = new Map<string, SweepAccountSummary>();
    for (const account of accounts) {
      const regions = account.regions.map((region): SweepRegionSummary => {
        const key = placeKey(account.accountId, region.region);
        const place = this.places.get(key);
        used.add(key);
        return { ...region, domains: [...new Set([...region.domains, ...(place?.domains ?? [])])], counts: counts(place) };
      });
      byAccount.set(account.accountId, { ...account, regions });
    }
    for (const [key, place] of this.places) {
      if (used.has(key)) continue;
      const account = byAccount.get(place.accountId) ?? { accountId: place.accountId, status: 'read', regions: [] };
      account.regions.push({ region: place.region, status: 'read', domains: [...place.domains], counts: counts(place) });
      byAccount.set(place.accountId, account);
    }
    const sorted = [...byAccount.values()]
      .sort((a, b) => compareText(a.accountId, b.accountId))
      .map((account) => ({
        ...account,
        regions: account.regions
          .map((region) => ({ ...region, domains: [...region.domains].sort(compareText) }))
          .sort((a, b) => compareText(a.region, b.region)),
      }));
    const regions = sorted.flatMap((a) => a.regions);
    const totals: SweepTotals = {
      accounts: sorted.length,
      accountsRead: sorted.filter((a) => a.status === 'read').length,
      regions: regions.length,
      regionsRead: regions.filter((r) => r.status === 'read').length,
      regionsNotEnabled: regions.filter((r) => r.status === 'not-enabled').length,
      domains: regions.reduce((n, r) => n + r.domains.length, 0),
      ...counts(undefined),
    };
    for (const place of this.places.values()) addCounts(totals, place.summaries);
    const byId = Object.fromEntries([...this.ids].sort(([a], [b]) => compareText(a, b)));
    return { schema: 'cogdoctor/sweep/v1', tool: { name: 'cogdoctor', version: options.version }, accounts: sorted, totals, byId };
  }
}

export type SweepFormat = 'text' | 'json' | 'markdown' | 'sarif' | 'junit' | 'html';

export interface SweepWriterOptions {
  version: string;
  /** text: colour (as useColor decides). */
  color?: boolean;
  /** text: every evidence line and doc link. */
  verbose?: boolean;
  /** text: --compact, one line per finding. */
  compact?: boolean;
  /** sarif: the failure modes of the checks that run (built-in and plugins), one rule each; html: the ids its filter offers. */
  catalog?: FailureMode[];
  /** sarif: --sarif-location, the file results point at. */
  sarifLocation?: string;
}

/**
 * Prints a sweep as it goes: `report` gives the text of one domain's gated report (redacted here)
 * as soon as it is done, `end` the text that closes the output with the summary. The pieces,
 * concatenated in order, are one document of the format.
 */
export interface SweepWriter {
  report(report: Report): string;
  end(summary: SweepSummary): string;
}

/** A writer that redacts each report and the summary before `inner` formats them. */
function redacting(inner: SweepWriter): SweepWriter {
  return { report: (report) => inner.report(redactReport(report)), end: (summary) => inner.end(redactReport(summary)) };
}

export function sweepWriter(format: SweepFormat, options: SweepWriterOptions): SweepWriter {
  if (options.compact && format !== 'text') throw new UsageError(`--compact is a text view: drop it or --format ${format}`);
  switch (format) {
    case 'json':
      return redacting({ report: (report) => jsonLine(report), end: (summary) => jsonLine(summary) });
    case 'text':
      return redacting(textSweepWriter(options));
    case 'markdown':
      return redacting(markdownSweepWriter(options));
    case 'sarif':
      return redacting(sarifSweepWriter(options));
    case 'junit':
      return redacting(junitSweepWriter());
    case 'html':
      return redacting(htmlSweepWriter(options));
  }
}
