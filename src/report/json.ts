import type { Report } from '../engine/types.js';
import { jsonLine } from '../util/inert.js';

/**
 * JSON Lines: one `cogdoctor/report/v1` object per line, one line per report, whatever the number
 * of inputs. One report is one JSON document; `jq .findings` reads one or many alike.
 */
export function renderJson(reports: Report[]): string {
  return reports.map((report) => jsonLine(report)).join('');
}
