import { describe, expect, it } from 'vitest';
import { fixtureText } from '../../../../test/probes/fixture-dirs.js';
import { cronCommand, parseCrontab } from './cron.js';

const tab = (name: string, system: boolean) => parseCrontab(fixtureText(`crontab/${name}`), system);

describe('parseCrontab', () => {
  it('stock Ubuntu 18.04 /etc/crontab (jc): four run-parts lines with a user field, settings skipped', () => {
    const r = tab('ubuntu-18.04--crontab-u.out', true);
    expect(r.env).toEqual(['SHELL', 'PATH']);
    expect(r.badLines).toEqual([]);
    expect(r.entries.map((e) => [e.line, e.schedule, e.user])).toEqual([
      [11, '17 * * * *', 'root'],
      [12, '25 6 * * *', 'root'],
      [13, '47 6 * * 7', 'root'],
      [14, '52 6 1 * *', 'root'],
    ]);
    expect(r.entries[1]?.command).toBe('test -x /usr/sbin/anacron || ( cd / && run-parts --report /etc/cron.daily )');
  });

  it('Debian 12 /etc/crontab (this container, cron-daemon-common) parses the same way', () => {
    const r = tab('debian12-etc-crontab.txt', true);
    expect(r.entries).toHaveLength(4);
    expect(r.badLines).toEqual([]);
  });

  it('user crontab (jc, CentOS 7.7 tutorial): ranges, steps, @monthly/@reboot/@yearly, no user field', () => {
    const r = tab('centos-7.7--crontab.out', false);
    expect(r.badLines).toEqual([]);
    expect(r.entries.map((e) => e.schedule)).toEqual(['0 * * * *', '* * * * *', '5 10-11,22 * * *', '30 4/2 * * *', '5 0,4,10,16 * * *', '5 0 * * *', '@monthly', '@reboot', '@yearly', '0,20,40 * * * *', '5,25,45 * * * *', '10,30,50 * * * *', '15,35,55 * * * *']);
    expect(r.entries.find((e) => e.schedule === '30 4/2 * * *')?.command).toBe('/var/www/devdaily.com/bin/create-all-backups.sh');
    expect(r.entries.every((e) => e.user === undefined)).toBe(true);
  });

  it('system crontab with @hourly and a user (jc, CentOS 7.7)', () => {
    expect(tab('centos-7.7--crontab-u.out', true).entries).toEqual([
      { line: 5, schedule: '@hourly', user: 'root', command: '/usr/local/bin/backup' },
      { line: 6, schedule: '01 * * * *', user: 'root', command: 'run-parts /etc/cron.hourly' },
    ]);
  });

  it('Debian 10 e2scrub_all cron.d lines (jc): `||` and an inline assignment stay in the command', () => {
    expect(tab('debian10--crontab-u.out', true).entries.map((e) => e.command)).toEqual([
      'test -e /run/systemd/system || SERVICE_MODE=1 /usr/lib/x86_64-linux-gnu/e2fsprogs/e2scrub_all_cron',
      'test -e /run/systemd/system || SERVICE_MODE=1 /sbin/e2scrub_all -A -r',
    ]);
  });

  it('an entry whose command holds `--output-file=` is an entry, not a setting (jc var-fix)', () => {
    expect(tab('generic--crontab-var-fix.out', false).entries).toEqual([
      { line: 1, schedule: '* * * * *', command: '/bin/bash -l  -c "python3 my_script.py --output-file=/opt/output.json"' },
    ]);
  });

  it('only a shortcut entry (jc)', () => {
    expect(tab('generic--crontab-no-normal-entries.out', false).entries).toEqual([{ line: 2, schedule: '@daily', command: '/bin/sh do_the_thing' }]);
  });

  it('certbot cron.d (Debian 12): a quoted perl command with `\\!`', () => {
    const r = tab('debian12-cron.d-certbot.txt', true);
    expect(r.entries).toHaveLength(1);
    expect(r.entries[0]).toMatchObject({ schedule: '0 */12 * * *', user: 'root' });
  });

  it('% ends the command (the rest is stdin) and \\% is a literal %', () => {
    expect(cronCommand('pg_dump orders > /var/backups/orders-$(date +\\%F).sql')).toBe('pg_dump orders > /var/backups/orders-$(date +%F).sql');
    expect(cronCommand('mail -s "report" ops%Report body%')).toBe('mail -s "report" ops');
  });

  it('bad lines are reported by number', () => {
    expect(parseCrontab('61x * * * * root x\n@sometimes root x\n* * * * *\n', true).badLines).toEqual([1, 2, 3]);
  });
});
