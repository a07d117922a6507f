import { describe, expect, it } from 'vitest';
import { fixtureText } from '../../../../test/probes/fixture-dirs.js';
import { parseListTimers, parsePassed } from './timers.js';

const NOW = new Date('2026-11-26T02:32:30Z');

describe('parseListTimers', () => {
  it('reads UNIT, ACTIVATES and LAST (exact in UTC); a timer that never ran has no LAST', () => {
    const rows = parseListTimers(fixtureText('crontab/list-timers-backup-timer.txt'), NOW);
    expect(rows?.map((r) => [r.unit, r.activates, r.last, r.lastMs === undefined ? undefined : new Date(r.lastMs).toISOString()])).toEqual([
      ['orders-backup.timer', 'orders-backup.service', 'Thu 2026-11-26 02:00:04 UTC', '2026-11-26T02:00:04.000Z'],
      ['dpkg-db-backup.timer', 'dpkg-db-backup.service', 'Thu 2026-11-26 00:00:01 UTC', '2026-11-26T00:00:01.000Z'],
      ['logrotate.timer', 'logrotate.service', 'Thu 2026-11-26 00:00:01 UTC', '2026-11-26T00:00:01.000Z'],
      ['certbot.timer', 'certbot.service', 'Wed 2026-11-25 21:13:08 UTC', '2026-11-25T21:13:08.000Z'],
      ['e2scrub_all.timer', 'e2scrub_all.service', 'Sun 2026-11-22 03:10:44 UTC', '2026-11-22T03:10:44.000Z'],
      ['cosmos-export.timer', 'cosmos-export.service', undefined, undefined],
    ]);
  });

  it('older systemd in local time with n/a: the time comes from PASSED', () => {
    const text = [
      'NEXT                        LEFT          LAST                        PASSED       UNIT                         ACTIVATES',
      'Tue 2023-01-17 00:00:00 CET 5h 45min left Mon 2023-01-16 09:22:07 CET 8h ago       logrotate.timer              logrotate.service',
      'Tue 2023-01-17 04:00:00 CET 9h left       n/a                         n/a          backup.timer                 backup.service',
      '',
      '2 timers listed.',
      'Pass --all to see loaded but inactive timers, too.',
    ].join('\n');
    const rows = parseListTimers(text, NOW);
    expect(rows?.[0]?.lastMs).toBe(NOW.getTime() - 8 * 3_600_000);
    expect(rows?.[1]).toEqual({ unit: 'backup.timer', activates: 'backup.service', next: 'Tue 2023-01-17 04:00:00 CET', line: 'Tue 2023-01-17 04:00:00 CET 9h left n/a n/a backup.timer backup.service' });
  });

  it('no header → undefined (not an empty list)', () => {
    expect(parseListTimers(fixtureText('crontab/systemctl-list-timers-no-systemd.stderr.txt'), NOW)).toBeUndefined();
    expect(parseListTimers('0 timers listed.\n', NOW)).toBeUndefined();
  });

  it.each([
    ['32min ago', 32 * 60_000],
    ['1h 15min ago', 75 * 60_000],
    ['3 days ago', 3 * 86_400_000],
    ['1 month 2 weeks ago', 2_629_800_000 + 2 * 604_800_000],
    ['2 years 1 month ago', 2 * 31_557_600_000 + 2_629_800_000],
    ['n/a', undefined],
  ])('PASSED %s', (text, ms) => {
    expect(parsePassed(text)).toBe(ms);
  });
});
