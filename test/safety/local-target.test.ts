import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalTarget } from '../../src/targets/local.js';

const target = new LocalTarget({ killGraceMs: 200 });
const opts = { timeoutMs: 10_000, maxOutputBytes: 64 * 1024 };
const dir = mkdtempSync(join(tmpdir(), 'predeploy-local-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A pid is alive unless it is gone or a zombie waiting for a reaper (container pid 1 may not reap). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

async function eventuallyDead(pid: number): Promise<boolean> {
  for (let i = 0; i < 50; i++) {
    if (!isAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}

describe('LocalTarget.exec', () => {
  it('runs a program without a shell and with the C locale', async () => {
    const r = await target.exec(['sh', '-c', 'echo "$LC_ALL/$LANG/$EXTRA"; echo err >&2; exit 3'], { ...opts, env: { EXTRA: 'x' } });
    expect(r).toMatchObject({ exitCode: 3, signal: null, stdout: 'C/C/x\n', stderr: 'err\n', timedOut: false, truncated: false });
    expect(r.spawnError).toBeUndefined();
  });

  it('passes arguments literally (no shell expansion)', async () => {
    const r = await target.exec(['echo', '$HOME', '*', '; id'], opts);
    expect(r.stdout).toBe('$HOME * ; id\n');
  });

  it('closes stdin so nothing can wait for input', async () => {
    const r = await target.exec(['cat'], { ...opts, timeoutMs: 5000 });
    expect(r).toMatchObject({ exitCode: 0, timedOut: false, stdout: '' });
  });

  it('reports a missing program as spawnError ENOENT, not a throw', async () => {
    const r = await target.exec(['predeploy-no-such-program-xyz'], opts);
    expect(r).toMatchObject({ exitCode: null, spawnError: 'ENOENT', timedOut: false });
  });

  it('reports invalid arguments as spawnError, not a throw', async () => {
    const r = await target.exec(['echo', 'a\0b'], opts);
    expect(r.exitCode).toBeNull();
    expect(r.spawnError).toMatch(/ERR_INVALID_ARG_VALUE|null bytes/);
  });

  it('reports a non-executable file as spawnError EACCES', async () => {
    const file = join(dir, 'not-executable');
    writeFileSync(file, '#!/bin/sh\necho hi\n', { mode: 0o644 });
    const r = await target.exec([file], opts);
    expect(r).toMatchObject({ exitCode: null, spawnError: 'EACCES' });
  });

  it('caps each stream and sets truncated, while still draining the pipe', async () => {
    const r = await target.exec(['head', '-c', '300000', '/dev/zero'], { ...opts, maxOutputBytes: 1000 });
    expect(r.truncated).toBe(true);
    expect(r.stdout.length).toBe(1000);
    // the writer finished normally: it was not blocked on a full pipe
    expect(r.exitCode).toBe(0);
    expect(r.timedOut).toBe(false);
  });

  it('kills a hanging command at its timeout', async () => {
    const t0 = performance.now();
    const r = await target.exec(['sleep', '30'], { ...opts, timeoutMs: 300 });
    const ms = performance.now() - t0;
    console.log(`sleep 30 with a 300 ms timeout returned after ${ms.toFixed(0)} ms`);
    expect(r.timedOut).toBe(true);
    expect(r.exitCode).toBeNull();
    expect(r.signal).toBe('SIGTERM');
  });

  it('kills the whole process group, children included', async () => {
    // prints the shell's pid and a background child's pid, then hangs
    const r = await target.exec(['sh', '-c', 'echo $$; sleep 30 & echo $!; wait'], { ...opts, timeoutMs: 300 });
    expect(r.timedOut).toBe(true);
    const pids = r.stdout.trim().split('\n').map(Number);
    expect(pids).toHaveLength(2);
    for (const pid of pids) expect(await eventuallyDead(pid), `pid ${pid}`).toBe(true);
  });

  it('escalates to SIGKILL when SIGTERM is ignored', async () => {
    // an ignored signal stays ignored across exec, so sleep ignores SIGTERM too
    const r = await target.exec(['sh', '-c', 'trap "" TERM; echo $$; sleep 30'], { ...opts, timeoutMs: 300 });
    expect(r.timedOut).toBe(true);
    expect(r.signal).toBe('SIGKILL');
    expect(await eventuallyDead(Number(r.stdout.trim()))).toBe(true);
  });

  it('returns at a bounded time even when a detached grandchild holds the pipe', async () => {
    const t0 = performance.now();
    const r = await target.exec(['setsid', 'sh', '-c', 'echo $$; exec sleep 30'], { ...opts, timeoutMs: 300 });
    expect(r.timedOut).toBe(true);
    console.log(`returned after ${(performance.now() - t0).toFixed(0)} ms with the escaped sleep still running`);
    // clean up the escaped sleep ourselves (it left our process group on purpose)
    const pid = Number(r.stdout.trim());
    // it returned while the grandchild still holds the pipe: it did not wait for it
    expect(() => process.kill(pid, 0)).not.toThrow();
    if (pid > 1) process.kill(pid, 'SIGKILL');
  });

  it('kills the command when the run is aborted', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const r = await target.exec(['sleep', '30'], { ...opts, signal: ac.signal });
    expect(r.timedOut).toBe(true);
  });
});

describe('LocalTarget files', () => {
  it('reads at most maxBytes and returns null for a missing file', async () => {
    const file = join(dir, 'f.txt');
    writeFileSync(file, 'hello world');
    expect((await target.readFile(file, 5))?.toString()).toBe('hello');
    expect((await target.readFile(file, 1000))?.toString()).toBe('hello world');
    expect(await target.readFile(join(dir, 'missing'), 10)).toBeNull();
    expect(await target.readFile(join(file, 'under-a-file'), 10)).toBeNull();
    const big = join(dir, 'big.bin');
    writeFileSync(big, Buffer.alloc(200_000, 7));
    expect((await target.readFile(big, 150_000))?.length).toBe(150_000);
    expect((await target.readFile(big, 10_000_000))?.length).toBe(200_000);
    // procfs files report size 0 but have content
    expect((await target.readFile('/proc/self/status', 100_000))?.toString()).toMatch(/^Name:/);
  });

  it('refuses a FIFO instead of hanging on it', async () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    await expect(target.readFile(fifo, 10)).rejects.toThrow(/not a regular file/);
  });

  it('stats and lists', async () => {
    const file = join(dir, 'mode.txt');
    writeFileSync(file, 'abc', { mode: 0o600 });
    const s = await target.stat(file);
    expect(s).toMatchObject({ size: 3, isFile: true, isDirectory: false, uid: process.getuid?.() });
    expect((s?.mode ?? 0) & 0o777).toBe(0o600);
    expect(await target.stat(join(dir, 'missing'))).toBeNull();
    expect(await target.readDir(dir)).toEqual(expect.arrayContaining(['f.txt', 'mode.txt']));
    expect(await target.readDir(join(dir, 'missing'))).toBeNull();
  });
});

describe('withSbin', () => {
  it('appends the sbin directories a non-login PATH lacks, once', async () => {
    const { withSbin } = await import('../../src/targets/local.js');
    expect(withSbin('/usr/bin:/bin')).toBe('/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin');
    expect(withSbin('/usr/sbin:/usr/bin')).toBe('/usr/sbin:/usr/bin:/usr/local/sbin:/sbin');
    expect(withSbin(undefined)).toContain('/usr/sbin');
  });
});
