import { describe, expect, it } from 'vitest';
import { ORDER_PROCESSING_PROFILE } from '../../../config/profile.js';
import { evaluateCheck, outcomesOf } from '../../../engine/evaluate.js';
import type { ProbeResult } from '../../../engine/types.js';
import type { DiskMount, DiskUsage } from '../../../facts/host.js';
import { parseDf } from '../../../probes/host/disk/parse.js';
import { testFixture } from '../../../../test/probes/fixture.js';
import { check, notCounted } from './check.js';

const now = new Date('2026-11-26T00:00:00Z');
const df = (file: string, warnings: string[] = []): ProbeResult<DiskUsage> => {
  const r = parseDf(testFixture(`df/${file}`));
  return r.ok ? { ok: true, value: { mounts: r.value, warnings } } : r;
};
const mount = (mountedOn: string, usePercent: number, filesystem = '/dev/sda1', type = 'ext4'): DiskMount => ({ filesystem, type, sizeKb: 1000, usedKb: usePercent * 10, availableKb: 1000 - usePercent * 10, usePercent, mountedOn });
const mounts = (...m: DiskMount[]): ProbeResult<DiskUsage> => ({ ok: true, value: { mounts: m, warnings: [] } });
const run = (o: ProbeResult<DiskUsage>, config = ORDER_PROCESSING_PROFILE) => evaluateCheck(check, outcomesOf({ 'host.disk': o }), { config, now });

describe('infra.disk-usage', () => {
  it.each([
    ['azure-vm-root-93-hand-written.txt: / at 93%, /data at 85%', df('azure-vm-root-93-hand-written.txt'), 'fail', '/ 93% used (/dev/sda1)'],
    ['loop-ext4-93-percent.txt (real ext4 filled to 93%)', df('loop-ext4-93-percent.txt'), 'fail', '/srv/data 93% used (/dev/loop0)'],
    ['ubuntu-18.04-snap-loops.txt: 11 snaps at 100% are not disks', df('ubuntu-18.04-snap-loops.txt'), 'pass', '/ 30% used (/dev/sda2)'],
    ['debian12-container.txt (this container)', df('debian12-container.txt'), 'pass', '/ 23% used (/dev/vda)'],
    ['centos-7.7.txt', df('centos-7.7.txt'), 'pass', '/boot 23% used (/dev/sda1)'],
    ['one file system at the warning threshold', mounts(mount('/', 80)), 'warn', '/ 80% used (/dev/sda1)'],
    ['just below the warning threshold', mounts(mount('/', 79)), 'pass', '/ 79% used (/dev/sda1)'],
    ['at the failure threshold', mounts(mount('/', 90)), 'fail', '/ 90% used (/dev/sda1)'],
    ['df failed', { ok: false, reason: 'timeout', detail: 'df did not answer within 20000 ms' } as const, 'unknown', 'probe host.disk timed out: df did not answer within 20000 ms'],
  ] as const)('%s → %s', (_name, o, status, evidence) => {
    const r = run(o);
    expect(r.status).toBe(status);
    expect(r.evidence.map((e) => e.text)).toContain(evidence);
  });

  it('the snap trap: 100% squashfs loops are left out and said so', () => {
    const r = run(df('ubuntu-18.04-snap-loops.txt'));
    expect(r.evidence.map((e) => e.text)).toEqual(['/ 30% used (/dev/sda2)', '17 mount(s) not counted (tmpfs, snap images, kernel file systems)']);
    expect(r.summary).toBe('1 disk-backed file system(s) below 80% used; fullest: / 30% used (/dev/sda2)');
  });

  it('fail and warn mounts are both named, with the thresholds', () => {
    expect(run(df('azure-vm-root-93-hand-written.txt')).summary).toBe('disk filling up: / 93% used (/dev/sda1) (fail at 90%); /data 85% used (/dev/sdc1) (warn at 80%)');
  });

  it('thresholds come from config.host.diskWarnPercent / diskFailPercent', () => {
    const config = { ...ORDER_PROCESSING_PROFILE, host: { ...ORDER_PROCESSING_PROFILE.host, diskWarnPercent: 20, diskFailPercent: 95 } };
    expect(run(df('debian12-container.txt'), config).status).toBe('warn');
  });

  it('df complaints about unreadable mounts are shown', () => {
    const r = run(df('debian12-container.txt', ['df: /run/user/1000/doc: Permission denied']));
    expect(r.evidence.map((e) => e.text)).toContain('df: /run/user/1000/doc: Permission denied');
  });

  it('df could not read a data mount (Permission denied) → unknown naming it, never pass', () => {
    const r = run(df('debian12-container.txt', ['df: /run/user/1000/doc: Permission denied', 'df: /data: Permission denied']));
    expect(r.status).toBe('unknown');
    expect(r.unverified.map((u) => u.cause)).toEqual([{ kind: 'permission', what: '/data' }]);
  });

  it('a runtime mount df could not read (/run/user/...) does not hide the verdict', () => {
    expect(run(df('debian12-container.txt', ['df: /run/user/1000/doc: Permission denied'])).status).toBe(run(df('debian12-container.txt')).status);
  });

  it('nothing disk-backed → unknown, never pass', () => {
    expect(run(mounts(mount('/dev/shm', 0, 'tmpfs', 'tmpfs'))).status).toBe('unknown');
  });

  it.each([
    [mount('/snap/core/1', 100, '/dev/loop3', 'squashfs'), 'squashfs'],
    [{ ...mount('/snap/core/1', 100, '/dev/loop3'), type: undefined }, 'snap'],
    [mount('/var/lib/docker/overlay2/abc/merged', 40, 'overlay', 'overlay'), 'overlay'],
    [mount('/', 40, 'overlay', 'overlay'), undefined],
    [mount('/srv/image', 40, '/dev/loop0', 'ext4'), undefined],
    [{ ...mount('/proc', 0, 'proc', 'proc'), usePercent: undefined }, 'proc'],
  ] as const)('notCounted(%j) → %s', (m, why) => {
    expect(notCounted(m)).toBe(why);
  });
});
