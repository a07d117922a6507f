import { describe, expect, it } from 'vitest';
import type { FileStat, RawExecResult, Target, TargetExecOptions } from '../../src/engine/types.js';
import { CommandLog } from '../../src/safety/command-log.js';
import { formatArgv } from '../../src/safety/command-policy.js';
import { Redactor } from '../../src/safety/redactor.js';
import { createRunner, type RunnerOptions } from '../../src/safety/runner.js';
import { LocalTarget } from '../../src/targets/local.js';
import { ALLOWED, REFUSED } from './policy-cases.js';

/** A Target that runs nothing: it records calls and answers from a canned result. */
class SpyTarget implements Target {
  readonly name = 'spy';
  readonly calls: { argv: string[]; options: TargetExecOptions }[] = [];
  reads: string[] = [];
  constructor(private readonly answer: Partial<RawExecResult> = {}) {}
  async exec(argv: readonly string[], options: TargetExecOptions): Promise<RawExecResult> {
    this.calls.push({ argv: [...argv], options });
    return { exitCode: 0, signal: null, stdout: '', stderr: '', timedOut: false, truncated: false, durationMs: 1, ...this.answer };
  }
  async readFile(path: string): Promise<Buffer | null> {
    this.reads.push(path);
    if (path === '/denied') throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    return path === '/missing' ? null : Buffer.from('SECRET_VALUE=do-not-log-me-123\n');
  }
  async stat(path: string): Promise<FileStat | null> {
    return path === '/missing' ? null : { mode: 0o100640, uid: 0, gid: 4, size: 31, mtimeMs: 0, isFile: true, isDirectory: false };
  }
  async readDir(path: string): Promise<string[] | null> {
    return path === '/missing' ? null : ['a', 'b'];
  }
}

function setup(target: Target, over: Partial<RunnerOptions> = {}) {
  const redactor = new Redactor();
  const log = new CommandLog(redactor);
  const runner = createRunner({ target, log, redactor, defaultTimeoutMs: 5000, maxOutputBytes: 64 * 1024, isRoot: true, refreshApt: false, ...over });
  return { runner, log, redactor };
}

describe('runner: the policy comes first', () => {
  it.each(REFUSED.map((argv) => [JSON.stringify(argv), argv] as const))('refuses %s without running it', async (_n, argv) => {
    const spy = new SpyTarget();
    const { runner, log } = setup(spy, { isRoot: false });
    const r = await runner.exec(argv, { sudo: true, probe: 'test.probe' });
    expect(spy.calls).toHaveLength(0);
    expect(r.refused).toEqual(expect.any(String));
    expect(r).toMatchObject({ exitCode: null, stdout: '', stderr: '', timedOut: false, seq: 1 });
    const [entry] = log.entries();
    expect(entry).toMatchObject({ seq: 1, kind: 'refused', result: 'refused', target: 'spy', probe: 'test.probe' });
    expect(entry?.action).toBe(formatArgv(argv));
    expect(entry?.output).toBe(r.refused);
  });

  it.each(ALLOWED.map((argv) => [formatArgv(argv), argv] as const))('passes %s to the target', async (_n, argv) => {
    const spy = new SpyTarget();
    const { runner, log } = setup(spy);
    const r = await runner.exec(argv);
    expect(r.refused).toBeUndefined();
    expect(spy.calls.map((c) => c.argv)).toEqual([argv]);
    expect(log.entries()[0]).toMatchObject({ kind: 'exec', result: '0' });
  });

  it('refuses a disallowed environment variable without running', async () => {
    const spy = new SpyTarget();
    const { runner, log } = setup(spy);
    const r = await runner.exec(['id', '-u'], { env: { LD_PRELOAD: '/tmp/x.so' } });
    expect(spy.calls).toHaveLength(0);
    expect(r.refused).toMatch(/LD_PRELOAD/);
    expect(log.entries()[0]?.kind).toBe('refused');
  });

  it('uses an injected policy (tests only)', async () => {
    const spy = new SpyTarget();
    const { runner } = setup(spy, { policy: () => ({ allowed: false, reason: 'nope' }) });
    expect((await runner.exec(['id'])).refused).toBe('nope');
    expect(spy.calls).toHaveLength(0);
  });
});

describe('runner: sudo, timeouts, results', () => {
  it('wraps sudo requests in `sudo -n --` when not root, and not when root', async () => {
    const spy = new SpyTarget();
    const { runner, log } = setup(spy, { isRoot: false });
    await runner.exec(['sshd', '-T'], { sudo: true });
    await runner.exec(['id', '-u']);
    expect(spy.calls.map((c) => c.argv)).toEqual([['sudo', '-n', '--', 'sshd', '-T'], ['id', '-u']]);
    expect(log.entries()[0]?.action).toBe('sudo -n -- sshd -T');

    const rootSpy = new SpyTarget();
    await setup(rootSpy, { isRoot: true }).runner.exec(['sshd', '-T'], { sudo: true });
    expect(rootSpy.calls.map((c) => c.argv)).toEqual([['sshd', '-T']]);
  });

  it('passes the request timeout, else the default, and the output cap', async () => {
    const spy = new SpyTarget();
    const { runner } = setup(spy);
    await runner.exec(['id'], { timeoutMs: 1234, env: { LC_ALL: 'C' } });
    await runner.exec(['id']);
    expect(spy.calls[0]?.options).toMatchObject({ timeoutMs: 1234, maxOutputBytes: 64 * 1024, env: { LC_ALL: 'C' } });
    expect(spy.calls[1]?.options).toMatchObject({ timeoutMs: 5000 });
  });

  it.each([
    [{ exitCode: 2 }, '2'],
    [{ exitCode: null, timedOut: true, signal: 'SIGKILL' }, 'timeout'],
    [{ exitCode: null, spawnError: 'ENOENT' }, 'not-found'],
    [{ exitCode: null, spawnError: 'EACCES' }, 'spawn-error'],
  ] as const)('logs %o as %s', async (answer, word) => {
    const { runner, log } = setup(new SpyTarget(answer));
    await runner.exec(['id']);
    expect(log.entries()[0]?.result).toBe(word);
  });

  it('returns raw output to the probe but logs it redacted', async () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    const spy = new SpyTarget({ stdout: `token ${jwt}\nknown s3cr3t-value\n`, stderr: 'warn: Password=abc12345;' });
    const { runner, log, redactor } = setup(spy);
    redactor.addSecret('s3cr3t-value');
    const r = await runner.exec(['az', 'account', 'get-access-token']);
    expect(r.stdout).toContain(jwt);
    expect(r.stdout).toContain('s3cr3t-value');
    expect(log.entries()[0]?.output).toBe('token [REDACTED:jwt]\nknown [REDACTED]\n[stderr]\nwarn: Password=[REDACTED:password];');
  });

  it('drops the partial last line of a truncated stream from the log', async () => {
    const spy = new SpyTarget({ stdout: 'line1\nline2\nhalf-of-a-sec', truncated: true });
    const { runner, log } = setup(spy);
    const r = await runner.exec(['id']);
    expect(r.stdout).toBe('line1\nline2\nhalf-of-a-sec');
    expect(log.entries()[0]?.output).toBe('line1\nline2\n[... output cut at the size cap]\n');
  });

  it('turns a throwing target into a spawn-error result', async () => {
    const broken = new SpyTarget();
    broken.exec = () => Promise.reject(new Error('ssh died'));
    const { runner, log } = setup(broken);
    const r = await runner.exec(['id']);
    expect(r).toMatchObject({ exitCode: null, spawnError: 'ssh died' });
    expect(log.entries()[0]?.result).toBe('spawn-error');
  });
});

describe('runner: files', () => {
  it('logs a read with path and size, never the content', async () => {
    const { runner, log } = setup(new SpyTarget());
    const buf = await runner.readFile('/data/order-processing/.env', 4096, 'project.env');
    expect(buf?.toString()).toContain('do-not-log-me-123');
    expect(await runner.readFile('/missing', 10)).toBeNull();
    const [hit, miss] = log.entries();
    expect(hit).toMatchObject({ kind: 'read', action: '/data/order-processing/.env', result: 'ok', output: '31 bytes', probe: 'project.env' });
    expect(miss).toMatchObject({ kind: 'read', action: '/missing', result: 'not-found' });
    expect(JSON.stringify(log.entries())).not.toContain('do-not-log-me');
  });

  it('logs and re-throws a read error', async () => {
    const { runner, log } = setup(new SpyTarget());
    await expect(runner.readFile('/denied', 10)).rejects.toThrow(/permission denied/);
    expect(log.entries()[0]).toMatchObject({ kind: 'read', result: 'error' });
  });

  it('logs stat and readDir as read entries', async () => {
    const { runner, log } = setup(new SpyTarget());
    expect((await runner.stat('/x/.env'))?.mode).toBe(0o100640);
    expect(await runner.readDir('/x')).toEqual(['a', 'b']);
    expect(log.entries().map((e) => [e.action, e.result, e.output])).toEqual([
      ['stat /x/.env', 'ok', 'mode=0640 uid=0 gid=4 size=31 type=file'],
      ['list /x', 'ok', '2 entries'],
    ]);
  });
});

describe('runner on the real LocalTarget', () => {
  it('runs `id -u` and logs it', async () => {
    const { runner, log } = setup(new LocalTarget());
    const r = await runner.exec(['id', '-u'], { probe: 'host.whoami' });
    expect(r.exitCode).toBe(0);
    expect(r.stdout.trim()).toBe(String(process.getuid?.()));
    expect(log.entries()[0]).toMatchObject({ seq: 1, kind: 'exec', action: 'id -u', result: '0', probe: 'host.whoami' });
  });

  it('cuts off a hanging command at its timeout and logs `timeout`', async () => {
    const permissive = () => ({ allowed: true }) as const;
    const { runner, log } = setup(new LocalTarget({ killGraceMs: 200 }), { policy: permissive });
    const t0 = performance.now();
    const r = await runner.exec(['sleep', '30'], { timeoutMs: 300 });
    console.log(`runner: sleep 30 cut after ${(performance.now() - t0).toFixed(0)} ms`);
    expect(r.timedOut).toBe(true);
    expect(log.entries()[0]?.result).toBe('timeout');
  });

  it('reports a missing program as not-found, without throwing', async () => {
    const permissive = () => ({ allowed: true }) as const;
    const { runner, log } = setup(new LocalTarget(), { policy: permissive });
    const r = await runner.exec(['predeploy-no-such-program']);
    expect(r.spawnError).toBe('ENOENT');
    expect(log.entries()[0]?.result).toBe('not-found');
  });

  it('sets truncated when the output cap is hit', async () => {
    const permissive = () => ({ allowed: true }) as const;
    const { runner } = setup(new LocalTarget(), { policy: permissive, maxOutputBytes: 100 });
    const r = await runner.exec(['head', '-c', '5000', '/dev/zero']);
    expect(r.truncated).toBe(true);
    expect(r.stdout.length).toBe(100);
  });
});
