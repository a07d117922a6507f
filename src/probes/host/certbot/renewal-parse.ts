/**
 * Pure readers for certbot's renewal schedule: `systemctl list-timers --all --no-pager` rows and
 * cron lines that run `certbot renew`.
 */
import type { CronRenewalEntry } from '../../../facts/web.js';

/** The renewal timers predeploy looks for: Debian/Ubuntu's package and the snap. */
export const RENEWAL_TIMERS = ['certbot.timer', 'snap.certbot.renew.timer'] as const;

/** One `systemctl list-timers` row. */
export interface TimerRow {
  unit: string;
  next?: string;
  last?: string;
  line: string;
}

/**
 * Rows of `systemctl list-timers --all --no-pager`:
 * ```
 * NEXT                        LEFT          LAST                        PASSED  UNIT           ACTIVATES
 * Thu 2026-11-26 06:07:11 UTC 3h 33min left Wed 2026-11-25 18:12:40 UTC 8h ago  certbot.timer  certbot.service
 * n/a                         n/a           n/a                         n/a     x.timer        x.service
 * ```
 * Columns are padded to the header; never-scheduled times print `n/a` (systemd < 254) or `-`.
 */
export function parseListTimers(text: string): TimerRow[] {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const header = lines.find((l) => /^NEXT\s+LEFT\s+LAST\s+PASSED\s+UNIT\s+ACTIVATES/.test(l));
  const lastAt = header?.indexOf('LAST') ?? -1;
  const passedAt = header?.indexOf('PASSED') ?? -1;
  const rows: TimerRow[] = [];
  for (const line of lines) {
    const tokens = line.trim().split(/\s+/);
    const unitIndex = tokens.findIndex((t) => t.endsWith('.timer'));
    if (unitIndex < 0 || line.startsWith('NEXT')) continue;
    const unit = tokens[unitIndex] ?? '';
    const time = (s: string): string | undefined => {
      const m = /^\w{3} \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \S+/.exec(s.trim());
      return m ? m[0] : undefined;
    };
    const next = time(line);
    const last = lastAt > 0 && passedAt > lastAt ? time(line.slice(lastAt, passedAt + 20)) : undefined;
    rows.push({ unit, line: line.trim().replace(/\s+/g, ' '), ...(next ? { next } : {}), ...(last ? { last } : {}) });
  }
  return rows;
}

/**
 * Cron lines (system crontab, /etc/cron.d, or `crontab -l`) that run `certbot … renew`.
 * Debian's /etc/cron.d/certbot guards itself with `test … \! -d /run/systemd/system`: under
 * systemd it does nothing and certbot.timer does the work.
 */
export function cronRenewalEntries(text: string, source: string): CronRenewalEntry[] {
  const out: CronRenewalEntry[] = [];
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.replace(/\r$/, '').trim();
    if (line === '' || line.startsWith('#') || /^[A-Za-z_][A-Za-z0-9_]*\s*=/.test(line)) continue;
    if (!/\bcertbot(?:-auto)?\b.*\brenew\b/.test(line)) continue;
    out.push({ source: `${source}:${i + 1}`, line, skippedUnderSystemd: /\\?!\s+-d\s+\/run\/systemd\/system/.test(line) });
  }
  return out;
}
