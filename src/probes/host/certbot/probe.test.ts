import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fakeContext } from '../../../../test/helpers/fake-context.js';
import { certbotProbe, collectCertbot } from './probe.js';
import { certbotRenewalProbe, collectRenewal } from './renewal.js';

const fixture = (file: string): string => readFileSync(new URL(`../../../../test/fixtures/certbot/${file}`, import.meta.url), 'utf8');
const ARGV = 'certbot certificates';

describe('host.certbot probe', () => {
  it('runs `certbot certificates` with sudo; the listing is on stdout, the debug-log note on stderr', async () => {
    const [stderr = '', ...rest] = fixture('renewed-and-expired.txt').split('\n');
    const ctx = fakeContext({ exec: { [ARGV]: { stdout: rest.join('\n'), stderr } } });
    const r = await certbotProbe.collect(ctx);
    expect(ctx.calls).toEqual([['certbot', 'certificates']]);
    expect(ctx.sudoCalls).toEqual([true]);
    expect(r.ok && r.value.lineages.map((l) => l.name)).toEqual(['old-sandbox', 'processing.pippaoflondon.co.uk']);
  });

  it('collectCertbot(ctx, dirs) passes --config-dir, --work-dir and --logs-dir', async () => {
    const argv = 'certbot certificates --config-dir /t/le --work-dir /t/work --logs-dir /t/logs';
    const ctx = fakeContext({ exec: { [argv]: { stdout: fixture('no-certificates.txt') } } });
    const r = await collectCertbot(ctx, { configDir: '/t/le', workDir: '/t/work', logsDir: '/t/logs' });
    expect(r).toEqual({ ok: true, value: { lineages: [], invalidConfigs: [] } });
  });

  it('not root → permission, quoting the [Errno] line', async () => {
    const ctx = fakeContext({ exec: { [ARGV]: { exitCode: 1, stderr: fixture('not-root.txt') } } });
    expect(await certbotProbe.collect(ctx)).toEqual({ ok: false, reason: 'permission', detail: "certbot (exit 1): [Errno 13] Permission denied: '/var/log/letsencrypt'", cause: { kind: 'permission', what: 'certbot' } });
  });

  it('certbot not installed → not-installed', async () => {
    expect(await certbotProbe.collect(fakeContext())).toMatchObject({ ok: false, reason: 'not-installed', detail: expect.stringContaining('package certbot') });
  });
});

describe('host.certbot-renewal probe', () => {
  const timersOk = {
    'systemctl is-enabled certbot.timer': { stdout: 'enabled\n' },
    'systemctl is-enabled snap.certbot.renew.timer': { exitCode: 1, stderr: fixture('is-enabled-missing.stderr.txt') },
    'systemctl list-timers --all --no-pager': { stdout: fixture('list-timers-written.txt') },
  };

  it('a systemd host with certbot.timer enabled and listed', async () => {
    const ctx = fakeContext({ exec: { ...timersOk, 'crontab -l': { exitCode: 1, stderr: 'no crontab for root\n' } }, files: { '/etc/cron.d/certbot': fixture('cron.d-certbot.txt'), '/usr/sbin/cron': '' } });
    // (no /run/crond.pid: cron is installed, not running)
    const r = await certbotRenewalProbe.collect(ctx);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.systemdRunning).toBe(true);
    expect(r.value.timers).toEqual([
      { unit: 'certbot.timer', enabled: 'enabled', listed: { next: 'Thu 2026-11-26 06:07:11 UTC', last: 'Wed 2026-11-25 18:12:40 UTC', line: expect.stringContaining('certbot.timer certbot.service') } },
      { unit: 'snap.certbot.renew.timer', detail: 'Failed to get unit file state for snap.certbot.renew.timer: No such file or directory' },
    ]);
    expect(r.value.cron).toEqual({
      entries: [expect.objectContaining({ source: '/etc/cron.d/certbot:17', skippedUnderSystemd: true })],
      daemonInstalled: true,
      daemonRunning: false,
      errors: [],
    });
    expect(ctx.sudoCalls).toEqual([false, false, false, true]);
  });

  it('no systemd (a container): list-timers fails, the cron entries are still read', async () => {
    const ctx = fakeContext({
      exec: {
        'systemctl is-enabled certbot.timer': { stdout: 'enabled\n' },
        'systemctl list-timers --all --no-pager': { exitCode: 1, stderr: fixture('list-timers-no-systemd.stderr.txt') },
        'crontab -l': { stdout: fixture('crontab-root-written.txt') },
      },
      files: { '/etc/cron.d/certbot': fixture('cron.d-certbot.txt'), '/etc/cron.d/e2scrub_all': '30 3 * * 0 root test -e /run/systemd/system || e2scrub_all\n', '/etc/cron.d/.placeholder': 'certbot renew' },
    });
    const r = await collectRenewal(ctx);
    expect(r.ok && r.value.systemdRunning).toBe(false);
    expect(r.ok && r.value.systemdDetail).toBe("systemctl (exit 1): System has not been booted with systemd as init system (PID 1). Can't operate.");
    expect(r.ok && r.value.cron.entries.map((e) => e.source)).toEqual(['/etc/cron.d/certbot:17', 'crontab -l (root):2']);
    expect(r.ok && r.value.cron.daemonInstalled).toBe(false);
  });

  it('list-timers exits 0 and prints nothing (a chroot): systemd is not taken as running, so an enabled timer proves nothing', async () => {
    const ctx = fakeContext({ exec: { ...timersOk, 'systemctl list-timers --all --no-pager': { stdout: '' }, 'crontab -l': { exitCode: 1, stderr: 'no crontab for root\n' } } });
    const r = await collectRenewal(ctx);
    expect(r.ok && r.value.systemdRunning).toBe(false);
    expect(r.ok && r.value.systemdDetail).toBe('no systemd: systemctl printed nothing');
  });

  it('nothing installed: no timers, no cron, still a value', async () => {
    const r = await collectRenewal(fakeContext());
    expect(r).toEqual({
      ok: true,
      value: {
        timers: [
          { unit: 'certbot.timer', detail: 'systemctl not found (install the Debian/Ubuntu package systemd)' },
          { unit: 'snap.certbot.renew.timer', detail: 'systemctl not found (install the Debian/Ubuntu package systemd)' },
        ],
        systemdRunning: false,
        systemdDetail: 'systemctl not found (install the Debian/Ubuntu package systemd)',
        cron: { entries: [], daemonInstalled: false, daemonRunning: false, errors: [] },
      },
    });
  });
});

describe('certbotProbe in a run', () => {
  it('points certbot\'s log and work files into the run\'s scratch folder', async () => {
    const base = fakeContext({ exec: {} });
    await certbotProbe.collect({ ...base, scratchDir: '/data/r/_codex_predeploy/x/.scratch' });
    expect(base.calls[0]).toEqual([
      'certbot', 'certificates',
      '--config-dir', '/etc/letsencrypt',
      '--work-dir', '/data/r/_codex_predeploy/x/.scratch/certbot-work',
      '--logs-dir', '/data/r/_codex_predeploy/x/.scratch/certbot-logs',
    ]);
  });
});
