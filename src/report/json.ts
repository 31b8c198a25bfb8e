import type { Report } from '../engine/types.js';
import { jsonText } from './inert.js';

export function renderJson(reports: Report[]): string {
  return jsonText(reports.length === 1 ? reports[0] : reports);
}
