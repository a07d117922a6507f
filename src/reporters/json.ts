/** `report.json`: the report model as is, with `schemaVersion`, for machines and `predeploy diff`. */
import type { Report } from './model.js';

export function renderJson(report: Report): string {
  return JSON.stringify(report, null, 2) + '\n';
}
