import { describe, expect, it } from 'vitest';
import { fakeContext } from '../../../../test/helpers/fake-context.js';
import { fixtureText } from '../../../../test/probes/fixture-dirs.js';
import { withFakeFs } from '../../../../test/probes/fake-fs.js';
import { backupJobsProbe, collectBackupJobs } from './probe.js';

const NOW = new Date('2026-11-26T02:32:30Z');
const H = 3_600_000;
const ago = (hours: number) => NOW.getTime() - hours * H;
const CRONTAB = 'crontab -l';
const TIMERS = 'systemctl list-timers --all --no-pager';
const f = (name: string) => fixtureText(`crontab/${name}`);
const file = (content: string, mode = 0o100644) => ({ content, mode, uid: 0 });

function scenario() {
  const ctx = fakeContext({
    now: NOW,
    exec: {
      [CRONTAB]: { exitCode: 1, stderr: f('crontab-l-no-crontab.stderr.txt') },
      [TIMERS]: { stdout: f('list-timers-backup-timer.txt') },
    },
    files: {
      '/etc/crontab': file(f('debian12-etc-crontab.txt')),
      '/etc/cron.d/orders-backup': file(f('cron.d-orders-backup.txt')),
      '/etc/cron.d/certbot': file(f('debian12-cron.d-certbot.txt')),
      '/etc/cron.d/e2scrub_all': file(f('debian12-cron.d-e2scrub_all.txt')),
      '/etc/cron.d/backup.cron': file('0 1 * * * root /opt/order-processing/bin/backup-orders.sh\n'),
      '/etc/cron.daily/db-dump': file('#!/bin/sh\npg_dump orders > /var/backups/pg/daily.sql\n', 0o100644),
      '/etc/cron.daily/logrotate': file('#!/bin/sh\n/usr/sbin/logrotate /etc/logrotate.conf\n', 0o100755),
      '/etc/cron.daily/dpkg': file('#!/bin/sh\n/usr/libexec/dpkg/dpkg-db-backup\n', 0o100755),
      '/opt/order-processing/bin/backup-orders.sh': file(f('backup-orders.sh'), 0o100755),
      '/var/log/orders-backup.log': file('ok\n'),
      '/var/backups/orders/config-2026-11-24.tgz': file('x'),
      '/var/backups/orders/config-2026-11-25.tgz': file('x'),
      '/var/backups/pg/orders.dump': file('x'),
      '/etc/systemd/system/orders-backup.service': file(f('orders-backup.service')),
      '/etc/systemd/system/cosmos-export.service': file(f('cosmos-export.service')),
      '/lib/systemd/system/logrotate.service': file('[Service]\nExecStart=/usr/sbin/logrotate /etc/logrotate.conf\n'),
      '/lib/systemd/system/dpkg-db-backup.service': file('[Service]\nExecStart=/usr/libexec/dpkg/dpkg-db-backup\n'),
      '/var/spool/cron/crontabs/orders': file('x'),
    },
  });
  return withFakeFs(ctx, {
    mtimes: {
      '/var/log/orders-backup.log': ago(5),
      '/var/backups/orders': ago(29),
      '/var/backups/orders/config-2026-11-25.tgz': ago(29),
      '/var/backups/orders/config-2026-11-24.tgz': ago(53),
      '/var/backups/pg/orders.dump': ago(50),
    },
    denied: ['/var/spool/cron/crontabs'],
  });
}

describe('host.backup-jobs probe', () => {
  it('finds the backup jobs of cron, run-parts and timers, with signals, logs, outputs and last run', async () => {
    const ctx = scenario();
    const r = await backupJobsProbe.collect(ctx);
    if (!r.ok) throw new Error(r.detail);
    const jobs = r.value.jobs;
    expect(jobs.map((j) => [j.kind, j.source, j.line, j.schedule, j.ignored === undefined ? 'runs' : 'ignored'])).toEqual([
      ['cron', '/etc/cron.d/orders-backup', 7, '30 2 * * *', 'runs'],
      ['cron', '/etc/cron.d/orders-backup', 10, '15 4 * * 0', 'runs'],
      ['cron', '/etc/cron.d/orders-backup', 13, '0 3 * * *', 'runs'],
      ['cron', '/etc/cron.d/backup.cron', 1, '0 1 * * *', 'ignored'],
      ['cron', '/etc/cron.daily', undefined, 'daily (run-parts /etc/cron.daily)', 'ignored'],
      ['systemd-timer', '/etc/systemd/system/orders-backup.service', undefined, 'orders-backup.timer', 'runs'],
      ['systemd-timer', '/etc/systemd/system/cosmos-export.service', undefined, 'cosmos-export.timer', 'runs'],
    ]);
    const [nightly, azcopy, pgDump, misnamed, notExecutable, timer, cosmos] = jobs;
    expect(nightly).toMatchObject({
      user: 'root',
      command: '/opt/order-processing/bin/backup-orders.sh >> /var/log/orders-backup.log 2>&1',
      signals: ['name: backup', 'az storage blob upload', 'tar (create)'],
      scripts: ['/opt/order-processing/bin/backup-orders.sh'],
      logFiles: ['/var/log/orders-backup.log'],
      outputs: ['/var/backups/orders'],
      lastRun: { at: new Date(ago(5)).toISOString(), from: '/var/log/orders-backup.log', ageHours: 5 },
    });
    expect(azcopy?.signals).toEqual(['azcopy']);
    expect(azcopy?.command).toContain('sig=***');
    expect(azcopy?.lastRun).toBeUndefined();
    expect(pgDump).toMatchObject({ user: 'postgres', signals: ['pg_dump'], outputs: ['/var/backups/pg/orders.dump'], lastRun: { from: '/var/backups/pg/orders.dump', ageHours: 50 } });
    expect(pgDump?.command).toBe('PGPASSWORD=*** pg_dump -h localhost -U orders -Fc -f /var/backups/pg/orders.dump orders');
    expect(misnamed?.ignored).toMatch(/^cron ignores \/etc\/cron.d files whose names contain/);
    expect(notExecutable).toMatchObject({ command: '/etc/cron.daily/db-dump', signals: ['name: dump', 'pg_dump'] });
    expect(notExecutable?.ignored).toMatch(/not executable/);
    expect(timer).toMatchObject({
      signals: ['name: backup', 'az storage blob upload', 'tar (create)'],
      logFiles: ['/var/log/orders-backup-timer.log'],
      lastRun: { at: '2026-11-26T02:00:04.000Z', from: 'systemctl list-timers (LAST)', ageHours: 0.5 },
    });
    expect(cosmos).toMatchObject({ signals: ['az cosmosdb'] });
    expect(cosmos?.lastRun).toBeUndefined();
    // /etc/crontab (4), certbot (1), e2scrub_all (2), healthcheck (1), cron.daily logrotate + dpkg (2), timers dpkg-db-backup, logrotate, certbot, e2scrub_all (4)
    expect(r.value.otherEntries).toBe(14);
    expect(r.value.gaps).toEqual([
      { source: '/var/spool/cron/crontabs/', reason: 'permission', detail: "cannot list /var/spool/cron/crontabs (root only): other users' crontabs were not read; run predeploy as root" },
    ]);
    expect(ctx.secrets).toEqual(expect.arrayContaining(['FAKEsasSIGNATURE0123456789', 'FAKE-pg-password']));
    expect(JSON.stringify(r.value)).not.toContain('FAKE');
    expect(ctx.calls).toEqual([['crontab', '-l'], ['systemctl', 'list-timers', '--all', '--no-pager']]);
  });

  it('an output directory without a log: the newest-named entry gives the last run', async () => {
    const ctx = withFakeFs(
      fakeContext({
        now: NOW,
        exec: { [CRONTAB]: { stdout: '# m h dom mon dow command\n0 1 * * * tar czf /var/backups/orders/config-$(date +\\%F).tgz /data/config\n' } },
        files: { '/var/backups/orders/config-2026-11-24.tgz': 'x', '/var/backups/orders/config-2026-11-25.tgz': 'x' },
      }),
      { mtimes: { '/var/backups/orders': ago(100), '/var/backups/orders/config-2026-11-25.tgz': ago(25.5), '/var/backups/orders/config-2026-11-24.tgz': ago(49.5) } },
    );
    const r = await collectBackupJobs(ctx);
    expect(r.ok && r.value.jobs).toEqual([
      {
        kind: 'cron',
        source: 'crontab -l',
        line: 2,
        schedule: '0 1 * * *',
        command: 'tar czf /var/backups/orders/config-$(date +%F).tgz /data/config',
        signals: ['tar (create)'],
        scripts: [],
        logFiles: [],
        outputs: ['/var/backups/orders'],
        lastRun: { at: new Date(ago(25.5)).toISOString(), from: '/var/backups/orders/config-2026-11-25.tgz', ageHours: 25.5 },
      },
    ]);
  });

  it('no cron, no systemd: an empty list with the gaps said, never a crash', async () => {
    const ctx = fakeContext({ now: NOW, exec: { [TIMERS]: { exitCode: 1, stderr: f('systemctl-list-timers-no-systemd.stderr.txt') } } });
    const r = await collectBackupJobs(ctx);
    expect(r).toEqual({
      ok: true,
      value: {
        jobs: [],
        otherEntries: 0,
        searched: ['/etc/crontab', '/etc/cron.d/', '/etc/cron.hourly/', '/etc/cron.daily/', '/etc/cron.weekly/', '/etc/cron.monthly/', '/var/spool/cron/crontabs/', 'crontab -l', 'systemctl list-timers --all --no-pager'],
        gaps: [
          { source: 'crontab -l', reason: 'not-installed', detail: 'crontab not found (install the Debian/Ubuntu package cron)' },
          {
            source: 'systemctl list-timers --all --no-pager',
            reason: 'no-systemd',
            detail: "systemd is not running on this host (System has not been booted with systemd as init system (PID 1). Can't operate.): no timers can run here",
          },
        ],
      },
    });
  });

  it('as root, crontab -l repeats the spool file: reported once', async () => {
    const line = '0 2 * * * /usr/local/bin/backup-db.sh\n';
    const ctx = fakeContext({ now: NOW, exec: { [CRONTAB]: { stdout: line } }, files: { '/var/spool/cron/crontabs/root': line, '/usr/local/bin/backup-db.sh': 'pg_dump x' } });
    const r = await collectBackupJobs(ctx);
    expect(r.ok && r.value.jobs.map((j) => [j.source, j.user])).toEqual([['/var/spool/cron/crontabs/root', 'root']]);
  });

  it('a script the job runs that cannot be read is a gap, not a silently skipped entry', async () => {
    const ctx = fakeContext({
      now: NOW,
      exec: { [CRONTAB]: { exitCode: 1, stderr: f('crontab-l-no-crontab.stderr.txt') }, [TIMERS]: { stdout: f('list-timers-backup-timer.txt').split('\n').slice(0, 1).join('\n') } },
      files: { '/etc/cron.d/nightly': file('0 1 * * * root /root/bin/nightly.sh\n'), '/root/bin/nightly.sh': file('#!/bin/sh\npg_dump orders\n', 0o100700) },
      denied: ['/root/bin/nightly.sh'],
    });
    const r = await collectBackupJobs(ctx);
    expect(r.ok && r.value.jobs).toEqual([]);
    expect(r.ok && r.value.gaps).toContainEqual({ source: '/root/bin/nightly.sh', reason: 'permission', detail: 'cannot read /root/bin/nightly.sh: permission denied (run predeploy as root)' });
  });

  it('a path under a directory it may not search (stat EACCES) is a gap, not "missing"', async () => {
    const ctx = fakeContext({
      now: NOW,
      exec: { [CRONTAB]: { exitCode: 1, stderr: f('crontab-l-no-crontab.stderr.txt') }, [TIMERS]: { stdout: f('list-timers-backup-timer.txt').split('\n').slice(0, 1).join('\n') } },
      files: { '/etc/cron.d/nightly': file('0 1 * * * root /root/bin/nightly.sh\n'), '/root/bin/nightly.sh': file('#!/bin/sh\npg_dump orders\n', 0o100700) },
      denied: ['/root'],
    });
    const r = await collectBackupJobs(ctx);
    expect(r.ok && r.value.gaps.map((g) => [g.source, g.reason])).toContainEqual(['/root/bin/nightly.sh', 'permission']);
  });

  it('systemctl timing out is a gap, not a failure of the probe', async () => {
    const r = await collectBackupJobs(fakeContext({ now: NOW, exec: { [TIMERS]: { timedOut: true, exitCode: null } } }));
    expect(r.ok && r.value.gaps.map((g) => g.reason)).toEqual(['not-installed', 'failed']);
  });
});
