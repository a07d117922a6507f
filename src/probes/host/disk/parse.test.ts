import { describe, expect, it } from 'vitest';
import { testFixture } from '../../../../test/probes/fixture.js';
import { parseDf } from './parse.js';

const parsed = (file: string) => {
  const r = parseDf(testFixture(`df/${file}`));
  if (!r.ok) throw new Error(r.detail);
  return r.value;
};

describe('parseDf', () => {
  it('debian12-container.txt: df -PT on this container', () => {
    expect(parsed('debian12-container.txt')[0]).toEqual({ filesystem: '/dev/vda', type: 'ext4', sizeKb: 264212084, usedKb: 24112712, availableKb: 82278200, usePercent: 23, mountedOn: '/' });
  });

  it('ubuntu-18.04-snap-loops.txt (jc, plain df): 18 mounts, 11 snap loop devices at 100%', () => {
    const m = parsed('ubuntu-18.04-snap-loops.txt');
    expect(m).toHaveLength(18);
    expect(m.filter((x) => x.filesystem.startsWith('/dev/loop') && x.usePercent === 100)).toHaveLength(11);
    expect(m.find((x) => x.mountedOn === '/')).toEqual({ filesystem: '/dev/sda2', sizeKb: 20508240, usedKb: 5748028, availableKb: 13695408, usePercent: 30, mountedOn: '/' });
  });

  it('long-filesystem-name.txt (jc): a name that pushes the columns over, and `-` capacity', () => {
    expect(parsed('long-filesystem-name.txt')).toEqual([
      { filesystem: '/dev/mapper/VolGroup00-LogVol00', type: 'ext3', sizeKb: 6030784, usedKb: 1147932, availableKb: 4571556, usePercent: 21, mountedOn: '/' },
      { filesystem: 'proc', type: 'proc', sizeKb: 0, usedKb: 0, availableKb: 0, mountedOn: '/proc' },
      { filesystem: 'sysfs', type: 'sysfs', sizeKb: 0, usedKb: 0, availableKb: 0, mountedOn: '/sys' },
    ]);
  });

  it('a long name on its own line (df without -P) and a mount point with a space', () => {
    const r = parseDf('Filesystem 1K-blocks Used Available Use% Mounted on\n/dev/mapper/very-long-volume-name\n          1000   930   70  93% /srv/my data\n');
    expect(r).toEqual({ ok: true, value: [{ filesystem: '/dev/mapper/very-long-volume-name', sizeKb: 1000, usedKb: 930, availableKb: 70, usePercent: 93, mountedOn: '/srv/my data' }] });
  });

  it('human-readable sizes (df -h) and other text fail the parse', () => {
    expect(parseDf('Filesystem      Size  Used Avail Use% Mounted on\n/dev/sda2        20G  5.5G   14G  30% /\n')).toMatchObject({ ok: false, reason: 'failed' });
    expect(parseDf("df: invalid option -- 'Z'\n")).toMatchObject({ ok: false, detail: "unexpected df header: df: invalid option -- 'Z'" });
  });
});
