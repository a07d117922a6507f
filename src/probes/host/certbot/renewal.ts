import { defineProbe } from '../../../engine/define.js';
import type { ProbeContext, ProbeResult } from '../../../engine/types.js';
import type { CertRenewal, CronRenewalEntry, RenewalTimer } from '../../../facts/web.js';
import { execFailure, firstLine, noSystemd } from '../exec-failure.js';
import { C_LOCALE } from '../locale.js';
import { LIST_TIMERS_ARGV, LIST_TIMERS_ENV, parseListTimers } from '../backup-jobs/timers.js';
import { cronRenewalEntries, RENEWAL_TIMERS } from './renewal-parse.js';

/** Where cron reads jobs (Debian/Ubuntu); injectable for tests. */
export interface CronPaths {
  cronD: string;
  crontab: string;
  /** cron daemon binaries: Debian's cron, cronie */
  daemons: readonly string[];
  /** pid files the running daemon writes (Debian's cron: /run/crond.pid) */
  pidFiles: readonly string[];
}

/** Debian/Ubuntu's cron locations. */
export const DEFAULT_CRON_PATHS: CronPaths = { cronD: '/etc/cron.d', crontab: '/etc/crontab', daemons: ['/usr/sbin/cron', '/usr/sbin/crond'], pidFiles: ['/run/crond.pid', '/var/run/crond.pid'] };

/**
 * How certbot renewals are scheduled: the certbot systemd timers (`systemctl is-enabled`,
 * `systemctl list-timers --all --no-pager`) and cron (/etc/cron.d/*, /etc/crontab, root's
 * `crontab -l`). Each part fails on its own: a host without systemd (a container) still shows
 * its cron entries, and a missing crontab command is noted, not fatal.
 * https://eff-certbot.readthedocs.io/en/stable/using.html#automated-renewals
 */
export async function collectRenewal(ctx: ProbeContext, paths: CronPaths = DEFAULT_CRON_PATHS): Promise<ProbeResult<CertRenewal>> {
  const env = { ...C_LOCALE, SYSTEMD_PAGER: '' };
  const timers: RenewalTimer[] = [];
  for (const unit of RENEWAL_TIMERS) {
    const r = await ctx.exec(['systemctl', 'is-enabled', unit], { env });
    const word = firstLine(r.stdout);
    if (r.refused !== undefined || r.spawnError !== undefined || r.timedOut) {
      const f = execFailure(r, { program: 'systemctl', debianPackage: 'systemd' });
      timers.push({ unit, ...(f ? { detail: f.detail } : {}) });
    } else if (word !== undefined && /^[a-z-]+$/.test(word)) {
      timers.push({ unit, enabled: word });
    } else {
      const said = firstLine(r.stderr);
      timers.push({ unit, ...(said !== undefined ? { detail: said } : {}) });
    }
  }

  let systemdRunning = false;
  let systemdDetail: string | undefined;
  const list = await ctx.exec(LIST_TIMERS_ARGV, { env: { ...LIST_TIMERS_ENV } });
  // exit 0 with nothing printed (a chroot) is no systemd, not "no timers"
  const listFailure = execFailure(list, { program: 'systemctl', debianPackage: 'systemd' }) ?? noSystemd(list);
  if (listFailure) {
    systemdDetail = listFailure.detail;
  } else {
    systemdRunning = true;
    const rows = parseListTimers(list.stdout, ctx.now()) ?? [];
    for (const t of timers) {
      const row = rows.find((r) => r.unit === t.unit);
      if (row) t.listed = { line: row.line, ...(row.next ? { next: row.next } : {}), ...(row.last ? { last: row.last } : {}) };
    }
  }

  const entries: CronRenewalEntry[] = [];
  const errors: string[] = [];
  const readCron = async (path: string) => {
    try {
      const buf = await ctx.readFile(path, 256 * 1024);
      if (buf) entries.push(...cronRenewalEntries(buf.toString('utf8'), path));
    } catch (err) {
      errors.push(`${path}: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  let names: string[] | null = null;
  try {
    names = await ctx.readDir(paths.cronD);
  } catch (err) {
    errors.push(`${paths.cronD}: ${err instanceof Error ? err.message : String(err)}`);
  }
  // cron ignores names with dots and editor backups in /etc/cron.d (cron(8), Debian): same here
  for (const name of (names ?? []).filter((n) => /^[A-Za-z0-9_-]+$/.test(n)).sort()) await readCron(`${paths.cronD}/${name}`);
  await readCron(paths.crontab);

  const tab = await ctx.exec(['crontab', '-l'], { sudo: true, env: { ...C_LOCALE } });
  if (tab.exitCode === 0) {
    entries.push(...cronRenewalEntries(tab.stdout, 'crontab -l (root)'));
  } else if (!/no crontab for/i.test(tab.stderr)) {
    const f = execFailure(tab, { program: 'crontab', debianPackage: 'cron' });
    if (f && f.reason !== 'not-installed') errors.push(f.detail);
  }

  let daemonInstalled = false;
  for (const d of paths.daemons) if ((await ctx.stat(d))?.isFile) daemonInstalled = true;
  // a container without an init system has cron installed but not started
  let daemonRunning = false;
  for (const f of paths.pidFiles) if ((await ctx.stat(f))?.isFile) daemonRunning = true;

  return {
    ok: true,
    value: { timers, systemdRunning, ...(systemdDetail !== undefined ? { systemdDetail } : {}), cron: { entries, daemonInstalled, daemonRunning, errors } },
  };
}

/** certbot's automatic renewal: systemd timers and cron entries. */
export const certbotRenewalProbe = defineProbe({
  id: 'host.certbot-renewal',
  describe: 'systemctl is-enabled certbot.timer; systemctl list-timers --all; /etc/cron.d, /etc/crontab, sudo -n crontab -l',
  collect: (ctx) => collectRenewal(ctx),
});
