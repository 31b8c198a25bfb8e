import type { Report } from '../engine/types.js';

export function renderJson(reports: Report[]): string {
  return `${JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2)}\n`;
}
