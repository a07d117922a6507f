/** Small formatting helpers shared by the text reporters. */
import type { Status } from '../engine/types.js';

export const REPORT_FILE = '13_PRODUCTION_DEPLOY_REPORT.md';
export const LOG_FILE = '13_PRODUCTION_DEPLOY_COMMANDS.log';
export const CHECKLIST_FILE = 'PRODUCTION_READINESS_CHECKLIST.md';
export const JSON_FILE = 'report.json';
export const SARIF_FILE = 'report.sarif';
export const JUNIT_FILE = 'report.junit.xml';
export const HTML_FILE = 'report.html';

export const STATUS_LABEL: Readonly<Record<Status, string>> = {
  pass: 'PASS',
  warn: 'WARN',
  fail: 'FAIL',
  unknown: 'UNKNOWN',
  manual: 'MANUAL',
  waived: 'WAIVED',
  'n/a': 'N/A',
};

export const fmtScore = (s: number | null): string => (s === null ? '—' : s.toFixed(1));

export const fmtHours = ([lo, hi]: readonly [number, number]): string => {
  const n = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(1));
  return lo === hi ? `${n(lo)} h` : `${n(lo)}–${n(hi)} h`;
};

/** Make text safe inside a Markdown table cell: one line, no pipes. */
export const escapeCell = (s: string): string => s.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');

/** One line, whitespace collapsed, cut to `max` characters with an ellipsis. */
export function oneLine(s: string, max: number): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}
