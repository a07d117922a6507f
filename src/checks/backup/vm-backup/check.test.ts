import { describe, expect, it } from 'vitest';
import { ORDER_PROCESSING_PROFILE } from '../../../config/profile.js';
import { evaluateCheck, outcomesOf } from '../../../engine/evaluate.js';
import type { AzureVmFact, Lookup, VmBackupInfo, VmInfo, VmSnapshotInfo } from '../../../facts/azure.js';
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
  it('unknown: a local job that ran recently, Azure not reachable (the local job alone is never better than what Azure could show)', () => {
    const r = run([job()]);
    expect(r.status).toBe('unknown');
    expect(r.summary).toBe(
      '1 local backup job(s) on the host; newest run 5 h ago; Azure Backup not verified (not run); but not verified: probe azure.vm did not run',
    );
    expect(r.unverified.map((u) => u.probe)).toEqual(['azure.vm']);
    expect(r.evidence.map((e) => e.text)).toEqual([
      '/etc/cron.d/orders-backup:7 (30 2 * * *, as root): /opt/order-processing/bin/backup-orders.sh >> /var/log/orders-backup.log 2>&1 — name: backup, tar (create); last run 5 h ago (/var/log/orders-backup.log)',
    ]);
  });

  it('stale and never-seen jobs are counted in the summary', () => {
    const r = run([job(), job({ line: 13, lastRun: { at: '2026-11-20T00:00:00.000Z', from: '/var/backups/pg/orders.dump', ageHours: 156 } }), job({ line: 10, lastRun: undefined })]);
    expect(r.status).toBe('unknown');
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
    expect(r.summary).toMatch(/^no backup job on the host \(cron, run-parts, user crontabs, systemd timers\); Azure Backup not verified/);
    expect(r.evidence.map((e) => e.text)).toEqual([
      `searched: ${SEARCHED.join(', ')} (6 scheduled entries, none a backup)`,
      `not read: ${noSystemd.source}: ${noSystemd.detail}`,
    ]);
  });

  it('unknown: no backup job found, but other users\' crontabs could not be read', () => {
    const r = run([], [spool]);
    expect(r.status).toBe('unknown');
    expect(r.summary).toBe('no backup job found, but /var/spool/cron/crontabs/ could not be read: run predeploy as root; Azure Backup not verified (not run)');
    expect(r.unverified.map((u) => u.cause)).toEqual([{ kind: 'permission', what: '/var/spool/cron/crontabs/' }, { kind: 'probe', probe: 'azure.vm', reason: 'failed' }]);
  });

  it('unknown: the probe failed', () => {
    const r = evaluateCheck(check, outcomesOf({ 'host.backup-jobs': { ok: false, reason: 'failed', detail: 'probe error: x' } }), ctx);
    expect(r.status).toBe('unknown');
  });

  it('is live and reads host facts only', () => {
    expect(check.requires).toEqual(['host.backup-jobs']);
  });
});

describe('backup.vm-backup (Azure side: Recovery Services and snapshots)', () => {
  const item = (o: Partial<VmBackupInfo> = {}): VmBackupInfo => ({
    vault: 'rsv-prod', vaultResourceGroup: 'rg-prod', protectionState: 'Protected', healthStatus: 'Passed', lastBackupStatus: 'Completed', lastBackupTime: '2026-11-26T02:00:00Z', policy: 'DailyPolicy', ...o,
  });
  const none = <T>(): Lookup<T> => ({ status: 'not-found', detail: 'no protected item for the VM', refs: [31] });
  const vm = (backup: Lookup<VmBackupInfo>, snapshots: Lookup<VmSnapshotInfo> = none()): Lookup<VmInfo> => ({
    status: 'found', refs: [30], value: { id: '/subscriptions/s/vm', name: 'vm-prod', resourceGroup: 'rg-prod', extensions: [], backup, snapshots },
  });
  const runAz = (prod: Lookup<VmInfo>, jobs: BackupJob[] = []) => {
    const value: BackupJobs = { jobs, otherEntries: 6, searched: SEARCHED, gaps: [] };
    const fact: AzureVmFact = { dev: { status: 'tbd', detail: 'dev VM TBD', refs: [] }, prod };
    return evaluateCheck(check, outcomesOf({ 'host.backup-jobs': { ok: true, value }, 'azure.vm': { ok: true, value: fact } }), ctx);
  };
  const found = <T>(value: T, refs = [32]): Lookup<T> => ({ status: 'found', value, refs });

  it.each([
    ['vault backup 10 h ago, completed → pass', vm(found(item())), 'pass', /^VM vm-prod backed up by rsv-prod 10 h ago/],
    ['last backup failed → fail', vm(found(item({ lastBackupStatus: 'Failed' }))), 'fail', /last backup of VM vm-prod failed/],
    ['last backup 3 days old → fail', vm(found(item({ lastBackupTime: '2026-11-23T12:00:00Z' }))), 'fail', /72 h old/],
    ['protected, never backed up → warn', vm(found(item({ lastBackupTime: undefined }))), 'warn', /no completed backup yet/],
    ['no vault, recent snapshots → warn', vm(none(), found({ count: 3, newest: '2026-11-25T00:00:00Z' })), 'warn', /disk snapshots only/],
    ['no vault, no snapshot → fail', vm(none()), 'fail', /no Recovery Services vault protects VM vm-prod/],
    ['prod VM missing → fail', { status: 'not-found', detail: 'vm-prod not found', refs: [29] } as Lookup<VmInfo>, 'fail', /production VM does not exist/],
    ['vault read forbidden → falls back to the host side', vm({ status: 'forbidden', detail: 'needs Backup Reader', role: 'Backup Reader', refs: [33] }), 'fail', /no backup job on the host.*Azure Backup not verified \(needs Backup Reader\)/],
  ] as const)('%s', (_name, prod, status, summary) => {
    const r = runAz(prod);
    expect(r.status).toBe(status);
    expect(r.summary).toMatch(summary);
  });

  it.each([
    ['no lastBackupStatus', item({ lastBackupStatus: undefined }), /reports no lastBackupStatus/],
    ['an unparsable backup time', item({ lastBackupTime: 'yesterday-ish' }), /'yesterday-ish' is not a date/],
    ['a status that does not say it succeeded', item({ lastBackupStatus: 'InProgress' }), /'InProgress' is not one that says it succeeded/],
  ])('never a pass with %s: the Azure side is unverified, the host side decides', (_n, backup, detail) => {
    const r = runAz(vm(found(backup)), [job()]);
    expect(r.status).toBe('warn');
    expect(r.summary).not.toMatch(/NaN/);
    expect(r.unverified).toEqual([expect.objectContaining({ probe: 'azure.vm', detail: expect.stringMatching(detail) })]);
    expect(runAz(vm(found(backup))).status).toBe('fail');
  });

  it.each(['ProtectionStopped', 'ProtectionPaused', 'BackupsSuspended'])('fail: protection state %s (no new backup is taken), even after a recent backup', (state) => {
    const r = runAz(vm(found(item({ protectionState: state }))));
    expect(r.status).toBe('fail');
    expect(r.summary).toMatch(new RegExp(`is ${state}: no new backup is taken`));
  });

  it('a vault read that could not look carries its cause', () => {
    const r = runAz(vm({ status: 'error', reason: 'throttled', detail: 'cannot read the vaults: throttled', refs: [33] }), [job()]);
    expect(r.unverified).toEqual([expect.objectContaining({ probe: 'azure.vm', cause: { kind: 'throttled', service: 'azure' } })]);
  });

  it('local jobs do not rescue a VM without vault backup, and are shown as evidence', () => {
    const r = runAz(vm(none()), [job()]);
    expect(r.status).toBe('fail');
    expect(r.summary).toContain('plus 1 local backup job(s) on the host');
    expect(r.evidence[0]?.refs).toEqual([31]);
    expect(r.evidence.some((e) => e.text.startsWith('/etc/cron.d/orders-backup:7'))).toBe(true);
  });
});
