/**
 * `systemctl list-timers --all --no-pager`, run with TZ=UTC so the LAST column is an absolute UTC
 * time. The table is padded to its header, so columns are cut at the header's word positions:
 *
 * ```
 * NEXT                        LEFT       LAST                        PASSED    UNIT                ACTIVATES
 * Thu 2026-11-26 03:00:00 UTC 27min left Thu 2026-11-26 02:00:04 UTC 32min ago orders-backup.timer orders-backup.service
 * -                           -          -                           -         cosmos-export.timer cosmos-export.service
 *
 * 2 timers listed.
 * ```
 * A timer that never ran shows `n/a` (systemd < 254) or `-` in LAST and PASSED.
 */

export interface TimerRow {
  unit: string;
  activates: string;
  /** the row, whitespace squeezed (evidence) */
  line: string;
  /** NEXT as printed; absent when not scheduled */
  next?: string;
  /** LAST as printed (`Thu 2026-11-26 02:00:04 UTC`); absent when the timer never ran */
  last?: string;
  /** PASSED as printed (`32min ago`) */
  passed?: string;
  /** the time LAST stands for: exact when printed in UTC, else now − PASSED */
  lastMs?: number;
}

/**
 * The one way predeploy lists timers (backup jobs and certbot renewal read the same run of it):
 * in UTC, so LAST is an exact time.
 */
export const LIST_TIMERS_ARGV = ['systemctl', 'list-timers', '--all', '--no-pager'] as const;
export const LIST_TIMERS_ENV: Readonly<Record<string, string>> = { LC_ALL: 'C', LANG: 'C', TZ: 'UTC' };

const COLUMNS = ['NEXT', 'LEFT', 'LAST', 'PASSED', 'UNIT', 'ACTIVATES'] as const;
const NEVER = new Set(['', '-', 'n/a']);

/** systemd's units (time-util.c): a month is 30.44 days, a year 365.25 days. */
const UNIT_MS: Readonly<Record<string, number>> = {
  y: 31_557_600_000,
  year: 31_557_600_000,
  years: 31_557_600_000,
  month: 2_629_800_000,
  months: 2_629_800_000,
  w: 604_800_000,
  week: 604_800_000,
  weeks: 604_800_000,
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
  h: 3_600_000,
  min: 60_000,
  s: 1000,
  ms: 1,
  us: 0.001,
};

/** `1h 15min ago`, `3 days ago`, `1 month 2 weeks ago` → milliseconds; undefined when unreadable. */
export function parsePassed(text: string): number | undefined {
  const m = /^(.*)\s+ago$/.exec(text.trim());
  if (!m) return undefined;
  let total = 0;
  let any = false;
  for (const part of (m[1] ?? '').matchAll(/(\d+)\s*([a-z]+)/g)) {
    const unit = UNIT_MS[part[2] ?? ''];
    if (unit === undefined) return undefined;
    total += Number(part[1]) * unit;
    any = true;
  }
  return any ? total : undefined;
}

/** Parse the table; `now` turns PASSED into a time when LAST is not in UTC. Returns undefined without a header. */
export function parseListTimers(text: string, now: Date): TimerRow[] | undefined {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const h = lines.findIndex((l) => COLUMNS.every((c) => new RegExp(`\\b${c}\\b`).test(l)));
  if (h < 0) return undefined;
  const header = lines[h] ?? '';
  const starts = COLUMNS.map((c) => new RegExp(`\\b${c}\\b`).exec(header)?.index ?? 0);
  const cell = (line: string, i: number): string => line.slice(starts[i], i + 1 < starts.length ? starts[i + 1] : undefined).trim();
  const rows: TimerRow[] = [];
  for (const line of lines.slice(h + 1)) {
    if (line.trim() === '') break; // the blank line before "N timers listed."
    // The UNIT and ACTIVATES cells are single words: read them as words, in case a long
    // ACTIVATES value was cut with an ellipsis.
    const tail = line.slice(starts[4]).trim().split(/\s+/);
    const unit = tail[0] ?? '';
    if (!unit.endsWith('.timer')) continue;
    const last = cell(line, 2);
    const passed = cell(line, 3);
    const row: TimerRow = { unit, activates: (tail[1] ?? '').replace(/…$/, ''), line: line.trim().replace(/\s+/g, ' ') };
    const next = cell(line, 0);
    if (!NEVER.has(next)) row.next = next;
    if (!NEVER.has(last)) {
      row.last = last;
      if (!NEVER.has(passed)) row.passed = passed;
      const utc = /(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) UTC$/.exec(last);
      const ago = row.passed !== undefined ? parsePassed(row.passed) : undefined;
      if (utc) row.lastMs = Date.parse(`${utc[1]}T${utc[2]}Z`);
      else if (ago !== undefined) row.lastMs = now.getTime() - ago;
    }
    rows.push(row);
  }
  return rows;
}
