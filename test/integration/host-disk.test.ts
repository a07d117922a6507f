/**
 * host.disk and infra.disk-usage on real `df -PT` output: this machine as it is, and two real
 * ext4 file systems (loop-mounted images in a temporary folder) filled to ~93% and ~85%, mounted
 * in a private mount namespace (`unshare -m`) so the host's mount table never changes.
 * A missing tool fails the test with the Debian package to install; nothing is skipped.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../src/checks/infra/disk-usage/check.js';
import { ORDER_PROCESSING_PROFILE } from '../../src/config/profile.js';
import { evaluateCheck, outcomesOf } from '../../src/engine/evaluate.js';
import { diskProbe } from '../../src/probes/host/disk/probe.js';
import { requireTool } from '../helpers/real-context.js';
import { policedContext } from '../probes/policed-context.js';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const PATH = `${process.env['PATH'] ?? ''}:/usr/sbin:/sbin`;
const checkCtx = () => ({ config: ORDER_PROCESSING_PROFILE, now: new Date() });

describe('df -PT on this machine', () => {
  it('parses, finds a disk-backed root, and infra.disk-usage gives a verdict', async () => {
    await requireTool('df', 'coreutils');
    const r = await diskProbe.collect(policedContext());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.mounts.find((m) => m.mountedOn === '/')).toMatchObject({ usePercent: expect.any(Number) });
    const result = evaluateCheck(check, outcomesOf({ 'host.disk': r }), checkCtx());
    expect(['pass', 'warn', 'fail']).toContain(result.status);
    expect(result.evidence.map((e) => e.text).join('\n')).toMatch(/^\/ \d+% used \(/m);
  });
});

describe('filling real ext4 file systems (loop images, private mount namespace)', () => {
  let dir = '';
  let holder: ChildProcess | undefined;
  const inNs = (...argv: string[]) => run('nsenter', [`--mount=/proc/${holder?.pid ?? 0}/ns/mnt`, '--', ...argv], { env: { ...process.env, PATH } });

  /** Fills the file system at `mnt` until df's Capacity reads about `percent`. */
  async function fillTo(mnt: string, percent: number): Promise<void> {
    const { stdout } = await inNs('df', '-Pk', mnt);
    const [, size = '0', used = '0', avail = '0'] = (stdout.split('\n')[1] ?? '').trim().split(/\s+/);
    const usable = Number(used) + Number(avail);
    const extraKb = Math.floor((usable * percent) / 100) - Number(used);
    await inNs('fallocate', '-l', `${extraKb}K`, join(mnt, 'fill'));
    expect(Number(size)).toBeGreaterThan(0);
  }

  beforeAll(async () => {
    for (const [tool, pkg] of [['unshare', 'util-linux'], ['nsenter', 'util-linux'], ['fallocate', 'util-linux'], ['mount', 'mount'], ['mkfs.ext4', 'e2fsprogs'], ['df', 'coreutils']] as const) {
      await requireTool(tool, pkg);
    }
    dir = await mkdtemp(join(tmpdir(), 'predeploy-df-'));
    for (const name of ['full', 'filling']) {
      await mkdir(join(dir, name));
      await run('truncate', ['-s', '16M', join(dir, `${name}.img`)]);
      await run('mkfs.ext4', ['-q', join(dir, `${name}.img`)], { env: { ...process.env, PATH } });
    }
    const mounts = ['full', 'filling'].map((n) => `mount -o loop ${join(dir, `${n}.img`)} ${join(dir, n)}`).join(' && ');
    holder = spawn('unshare', ['-m', '--propagation', 'private', '--', 'sh', '-c', `${mounts} && exec sleep 600`], { stdio: 'ignore', env: { ...process.env, PATH } });
    const until = Date.now() + 10_000;
    while ((await readFile(`/proc/${holder.pid ?? 0}/comm`, 'utf8').catch(() => '')).trim() !== 'sleep') {
      if (Date.now() > until || holder.exitCode !== null) throw new Error('could not loop-mount the test images in a mount namespace');
      await sleep(20);
    }
    await fillTo(join(dir, 'full'), 93);
    await fillTo(join(dir, 'filling'), 85);
  });

  afterAll(async () => {
    if (holder && holder.exitCode === null && holder.pid !== undefined) {
      const exited = new Promise((r) => holder?.once('exit', r));
      process.kill(holder.pid, 'SIGTERM');
      await exited;
    }
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  it('~93% → fail and ~85% → warn, each quoted as `<mount> N% used (<device>)`', async () => {
    const r = await diskProbe.collect(policedContext({ netnsOf: holder?.pid ?? 0, mountNamespace: true }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const result = evaluateCheck(check, outcomesOf({ 'host.disk': r }), checkCtx());
    expect(result.status).toBe('fail');
    const texts = result.evidence.map((e) => e.text);
    expect(texts).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^${join(dir, 'full')} 9[0-9]% used \\(/dev/loop\\d+\\)$`)),
        expect.stringMatching(new RegExp(`^${join(dir, 'filling')} 8[0-9]% used \\(/dev/loop\\d+\\)$`)),
      ]),
    );
    expect(result.summary).toMatch(/\(fail at 90%\).*\(warn at 80%\)/);
  });
});
