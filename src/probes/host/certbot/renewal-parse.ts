/**
 * Pure readers for certbot's renewal schedule: cron lines that run `certbot renew` (timers are
 * read with the shared list-timers parser of ../backup-jobs/timers.ts).
 */
import type { CronRenewalEntry } from '../../../facts/web.js';

/** The renewal timers predeploy looks for: Debian/Ubuntu's package and the snap. */
export const RENEWAL_TIMERS = ['certbot.timer', 'snap.certbot.renew.timer'] as const;

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
