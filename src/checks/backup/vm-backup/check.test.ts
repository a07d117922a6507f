import { describe, expect, it } from 'vitest';
import { ORDER_PROCESSING_PROFILE } from '../../../config/profile.js';
import { evaluateCheck, outcomesOf } from '../../../engine/evaluate.js';
import type { BackupJob, BackupJobs, SourceGap } from '../../../facts/backup.js';
import { check } from './check.js';

const ctx = { config: ORDER_PROCESSING_PROFILE, now: new Date('2026-11-26T12:00:00Z') };
const job = (j: Partial<BackupJob> = {}): BackupJob => ({
  kind: 'cron',
  source: '/etc/cron.d/orders-backup',
  line: 7,
  schedule: '30 2 * * *',
  user: 'root',
  command: '/opt/order-processing/bin/backup-orders.sh >> /var/log/orders-backup.log 2>&1',
  signals: ['name: backup', 'tar (create)'],
  scripts: ['/opt/order-processing/bin/backup-orders.sh'],
  logFiles: ['/var/log/orders-backup.log'],
  outputs: ['/var/backups/orders'],
  lastRun: { at: '2026-11-26T07:00:00.000Z', from: '/var/log/orders-backup.log', ageHours: 5 },
  ...j,
});
const SEARCHED = ['/etc/crontab', '/etc/cron.d/', 'crontab -l', 'systemctl list-timers --all --no-pager'];
const noSystemd: SourceGap = { source: 'systemctl list-timers --all --no-pager', reason: 'no-systemd', detail: 'systemd is not running on this host (…): no timers can run here' };
const spool: SourceGap = { source: '/var/spool/cron/crontabs/', reason: 'permission', detail: "cannot list /var/spool/cron/crontabs (root only): other users' crontabs were not read; run predeploy as root" };
const run = (jobs: BackupJob[], gaps: SourceGap[] = []) => {
  const value: BackupJobs = { jobs, otherEntries: 6, searched: SEARCHED, gaps };
  return evaluateCheck(check, outcomesOf({ 'host.backup-jobs': { ok: true, value } }), ctx);
};

describe('backup.vm-backup (host side)', () => {
  it('warn: a local job that ran recently — and the Azure side is for the Azure checks', () => {
    const r = run([job()]);
    expect(r.status).toBe('warn');
    expect(r.summary).toBe(
      '1 local backup job(s) on the host; newest run 5 h ago; the Azure-side VM backup (Recovery Services vault protection and its last job) is verified by the Azure checks (later issue)',
    );
    expect(r.evidence.map((e) => e.text)).toEqual([
      '/etc/cron.d/orders-backup:7 (30 2 * * *, as root): /opt/order-processing/bin/backup-orders.sh >> /var/log/orders-backup.log 2>&1 — name: backup, tar (create); last run 5 h ago (/var/log/orders-backup.log)',
    ]);
  });

  it('warn: stale and never-seen jobs are counted in the summary', () => {
    const r = run([job(), job({ line: 13, lastRun: { at: '2026-11-20T00:00:00.000Z', from: '/var/backups/pg/orders.dump', ageHours: 156 } }), job({ line: 10, lastRun: undefined })]);
    expect(r.status).toBe('warn');
    expect(r.summary).toMatch(/^3 local backup job\(s\) on the host; newest run 5 h ago; 2 without a run in the last 48 h;/);
  });

  it('warn: a job with no evidence of any run', () => {
    expect(run([job({ lastRun: undefined })]).summary).toMatch(/no log or output shows when they last ran/);
  });

  it('fail: the only backup job is in a file cron never reads', () => {
    const r = run([job({ source: '/etc/cron.d/backup.cron', ignored: 'cron ignores /etc/cron.d files whose names contain anything but letters, digits, "_" and "-" (cron(8)); rename it' })]);
    expect(r.status).toBe('fail');
    expect(r.summary).toMatch(/^backup job\(s\) are defined but never run: cron ignores/);
    expect(r.evidence[0]?.text).toMatch(/NEVER RUNS: cron ignores/);
  });

  it('fail: no backup job; evidence says what was searched (no systemd is not a reason to doubt)', () => {
    const r = run([], [noSystemd]);
    expect(r.status).toBe('fail');
    expect(r.summary).toMatch(/^no backup job on the host \(cron, run-parts, user crontabs, systemd timers\); the Azure-side VM backup/);
    expect(r.evidence.map((e) => e.text)).toEqual([
      `searched: ${SEARCHED.join(', ')} (6 scheduled entries, none a backup)`,
      `not read: ${noSystemd.source}: ${noSystemd.detail}`,
    ]);
  });

  it('unknown: no backup job found, but other users\' crontabs could not be read', () => {
    const r = run([], [spool]);
    expect(r.status).toBe('unknown');
    expect(r.summary).toBe('no backup job found, but /var/spool/cron/crontabs/ could not be read: run predeploy as root');
  });

  it('unknown: the probe failed', () => {
    const r = evaluateCheck(check, outcomesOf({ 'host.backup-jobs': { ok: false, reason: 'failed', detail: 'probe error: x' } }), ctx);
    expect(r.status).toBe('unknown');
  });

  it('is live and reads host facts only', () => {
    expect(check.pending).toBeUndefined();
    expect(check.requires).toEqual(['host.backup-jobs']);
  });
});
