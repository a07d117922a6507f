import { describe, expect, it } from 'vitest';
import type { FileStat } from '../../../engine/types.js';
import { fakeContext, type FakeContextOptions } from '../../../../test/helpers/fake-context.js';
import { hostFixture } from '../../../../test/probes/fixture.js';
import { aptUpgradableProbe } from './probe.js';

const NOW = new Date('2026-11-26T00:00:00Z');
const LIST = 'apt list --upgradable';
const UPDATE = 'apt-get update -qq';
const listed = { stdout: hostFixture('apt/debian12-pending.txt'), stderr: hostFixture('apt/cli-warning.stderr.txt') };

/** A fake context whose apt lists have the given mtimes, and with --refresh-apt on or off. */
function ctxWith(opts: FakeContextOptions, refreshApt: boolean, mtimes: Record<string, number> = {}) {
  const ctx = fakeContext({ now: NOW, ...opts });
  const stat = async (path: string): Promise<FileStat | null> => {
    const mtimeMs = mtimes[path];
    return mtimeMs === undefined ? null : { mode: 0o100644, uid: 0, gid: 0, size: 1, mtimeMs, isFile: !path.endsWith('/lists'), isDirectory: path.endsWith('/lists') };
  };
  const readDir = async (path: string): Promise<string[] | null> =>
    path === '/var/lib/apt/lists' ? Object.keys(mtimes).filter((p) => p.startsWith(`${path}/`)).map((p) => p.slice(path.length + 1)) : null;
  return Object.assign(ctx, { options: { ...ctx.options, refreshApt }, stat, readDir });
}

describe('host.apt-upgradable probe', () => {
  it('lists upgrades without sudo and without apt-get update by default', async () => {
    const ctx = ctxWith({ exec: { [LIST]: listed } }, false);
    const r = await aptUpgradableProbe.collect(ctx);
    expect(ctx.calls).toEqual([['apt', 'list', '--upgradable']]);
    expect(ctx.sudoCalls).toEqual([false]);
    expect(r.ok && r.value.refreshed).toBe(false);
    expect(r.ok && r.value.packages.filter((p) => p.security)).toHaveLength(81);
  });

  it('runs `sudo -n apt-get update -qq` first only with --refresh-apt', async () => {
    const ctx = ctxWith({ exec: { [UPDATE]: {}, [LIST]: listed } }, true);
    const r = await aptUpgradableProbe.collect(ctx);
    expect(ctx.calls).toEqual([['apt-get', 'update', '-qq'], ['apt', 'list', '--upgradable']]);
    expect(ctx.sudoCalls).toEqual([true, false]);
    expect(r.ok && r.value.refreshed).toBe(true);
  });

  it('a failed refresh is kept as refreshError; the listing still runs', async () => {
    const ctx = ctxWith({ exec: { [UPDATE]: { exitCode: 1, stderr: 'sudo: a password is required\n' }, [LIST]: listed } }, true);
    const r = await aptUpgradableProbe.collect(ctx);
    expect(r.ok && r.value.refreshed).toBe(false);
    expect(r.ok && r.value.refreshError).toBe('apt-get (exit 1): sudo: a password is required');
    expect(r.ok && r.value.refreshNeedsPassword).toBe(true);
  });

  it('an unreadable lists directory is kept as listsUnreadable, not "no lists"', async () => {
    const ctx = ctxWith({ exec: { [LIST]: listed } }, false);
    ctx.readDir = async () => {
      throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
    };
    const r = await aptUpgradableProbe.collect(ctx);
    expect(r.ok && r.value.listsAgeHours).toBeUndefined();
    expect(r.ok && r.value.listsUnreadable).toEqual({ path: '/var/lib/apt/lists', reason: 'permission', detail: 'permission denied (run predeploy as root to read it)' });
  });

  it('listsAgeHours comes from the newest *_InRelease / *_Release file', async () => {
    const h = 3_600_000;
    const mtimes = {
      '/var/lib/apt/lists': NOW.getTime() - 1 * h,
      '/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease': NOW.getTime() - 500 * h,
      '/var/lib/apt/lists/deb.debian.org_debian-security_dists_bookworm-security_InRelease': NOW.getTime() - 200 * h,
      '/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4': NOW.getTime() - 2 * h,
    };
    const r = await aptUpgradableProbe.collect(ctxWith({ exec: { [LIST]: listed } }, false, mtimes));
    expect(r.ok && r.value.listsAgeHours).toBe(200);
  });

  it('apt missing → not-installed', async () => {
    expect(await aptUpgradableProbe.collect(ctxWith({}, false))).toMatchObject({ ok: false, reason: 'not-installed' });
  });

  it('`E:` on stderr with exit 0 → failed, not "nothing pending"', async () => {
    const ctx = ctxWith({ exec: { [LIST]: { stdout: 'Listing...\n', stderr: 'E: Could not open lock file /var/lib/dpkg/lock\n' } } }, false);
    expect(await aptUpgradableProbe.collect(ctx)).toMatchObject({ ok: false, reason: 'failed' });
  });
});
