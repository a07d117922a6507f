import { describe, expect, it } from 'vitest';
import { hostFixture } from '../../../../test/probes/fixture.js';
import { parseAptUpgradable } from './parse.js';

describe('parseAptUpgradable', () => {
  it('debian12-pending.txt (apt list --upgradable on this Debian 12 container): `Listing...` skipped, -security suites flagged', () => {
    const r = parseAptUpgradable(hostFixture('apt/debian12-pending.txt'));
    if (!r.ok) throw new Error(r.detail);
    expect(r.value).toHaveLength(135);
    expect(r.value.filter((p) => p.security)).toHaveLength(81);
    expect(r.value.find((p) => p.name === 'apt')).toEqual({
      name: 'apt',
      suites: ['oldstable-security'],
      candidate: '2.6.2',
      installed: '2.6.1',
      arch: 'amd64',
      security: true,
      raw: 'apt/oldstable-security 2.6.2 amd64 [upgradable from: 2.6.1]',
    });
    expect(r.value.find((p) => p.name === 'appstream')).toMatchObject({ suites: ['oldstable'], security: false });
  });

  it('Ubuntu lines with several suites (security when any suite is a -security pocket)', () => {
    const text = [
      'Listing... Done',
      'openssl/jammy-updates,jammy-security 3.0.2-0ubuntu1.10 amd64 [upgradable from: 3.0.2-0ubuntu1.9]',
      'snapd/jammy-updates 2.61.3+22.04 amd64 [upgradable from: 2.58+22.04.1]',
      'N: There is 1 additional version. Please use the \'-a\' switch to see it',
    ].join('\n');
    const r = parseAptUpgradable(text);
    expect(r.ok && r.value.map((p) => [p.name, p.security])).toEqual([
      ['openssl', true],
      ['snapd', false],
    ]);
  });

  it('cli-warning.stderr.txt is stderr chatter: after `Listing...` it parses to nothing', () => {
    expect(parseAptUpgradable(`Listing...\n${hostFixture('apt/cli-warning.stderr.txt')}`)).toEqual({ ok: true, value: [] });
  });

  it.each([
    ['empty output (exit 0)', ''],
    ['only the CLI warning', hostFixture('apt/cli-warning.stderr.txt')],
  ])('%s: apt always prints `Listing...`, so this is a failure, not "nothing pending"', (_name, text) => {
    expect(parseAptUpgradable(text)).toMatchObject({ ok: false, reason: 'failed' });
  });

  it('an unreadable line fails the parse (never "nothing pending")', () => {
    expect(parseAptUpgradable('Listing...\nE: Could not open lock file\n')).toMatchObject({ ok: false, reason: 'failed' });
  });
});
