/**
 * The local machine as a Target: commands via `child_process.spawn` without a shell, files via
 * `node:fs`. No policy here — the safety runner in front of it decides what may run.
 *
 * Never hangs: stdin is closed (nothing can prompt), each command runs in its own process
 * group so a timeout kills the command and everything it started, and the result is returned
 * at a bounded time even if a daemonised grandchild keeps the pipes open.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { constants } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { FileStat, RawExecResult, Target, TargetExecOptions } from '../engine/types.js';

export interface LocalTargetOptions {
  /** the target's name in the commands log; default `local` */
  name?: string;
  /** time between SIGTERM and SIGKILL on a timeout; default 500 ms */
  killGraceMs?: number;
}

/** errno codes that mean "the path is not there" for our purposes */
const MISSING = new Set(['ENOENT', 'ENOTDIR']);
const READ_CHUNK = 64 * 1024;

function errnoCode(err: unknown): string | undefined {
  return err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}

/** Keeps the first `max` bytes of a stream and counts the rest (the pipe is still drained). */
class Capped {
  readonly #chunks: Buffer[] = [];
  #kept = 0;
  truncated = false;
  constructor(readonly max: number) {}
  push(chunk: Buffer): void {
    const room = this.max - this.#kept;
    if (chunk.length > room) this.truncated = true;
    if (room <= 0) return;
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.#chunks.push(part);
    this.#kept += part.length;
  }
  text(): string {
    return Buffer.concat(this.#chunks).toString('utf8');
  }
}

/** Runs commands and reads files on this machine. */
export class LocalTarget implements Target {
  readonly name: string;
  readonly #killGraceMs: number;

  constructor(opts: LocalTargetOptions = {}) {
    this.name = opts.name ?? 'local';
    this.#killGraceMs = opts.killGraceMs ?? 500;
  }

  /** Runs argv (no shell); never throws for a command that cannot start (`spawnError`). */
  exec(argv: readonly string[], options: TargetExecOptions): Promise<RawExecResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const [program, ...args] = argv;
    if (program === undefined) {
      return Promise.resolve(failed('empty argv', 0));
    }
    return new Promise<RawExecResult>((resolve) => {
      let child: ChildProcessByStdio<null, Readable, Readable>;
      try {
        child = spawn(program, args, {
          shell: false,
          stdio: ['ignore', 'pipe', 'pipe'],
          // own process group: a timeout kills the whole tree with kill(-pid)
          detached: true,
          env: { ...process.env, PATH: withSbin(process.env.PATH), LC_ALL: 'C', LANG: 'C', ...options.env },
        });
      } catch (err) {
        // spawn throws synchronously for invalid arguments (a NUL byte, a bad env value)
        resolve(failed(errnoCode(err) ?? (err instanceof Error ? err.message : String(err)), elapsed()));
        return;
      }
      const stdout = new Capped(options.maxOutputBytes);
      const stderr = new Capped(options.maxOutputBytes);
      child.stdout.on('data', (c: Buffer) => stdout.push(c));
      child.stderr.on('data', (c: Buffer) => stderr.push(c));

      let timedOut = false;
      let settled = false;
      let exit: { code: number | null; signal: string | null } | undefined;
      const timers: NodeJS.Timeout[] = [];

      const killGroup = (sig: NodeJS.Signals) => {
        if (child.pid === undefined) return;
        try {
          process.kill(-child.pid, sig);
        } catch {
          // ESRCH: the group is already gone
        }
      };
      const finish = (result: RawExecResult) => {
        if (settled) return;
        settled = true;
        for (const t of timers) clearTimeout(t);
        options.signal?.removeEventListener('abort', onAbort);
        resolve(result);
      };
      const done = () =>
        finish({
          exitCode: exit?.code ?? null,
          signal: exit?.signal ?? null,
          stdout: stdout.text(),
          stderr: stderr.text(),
          timedOut,
          truncated: stdout.truncated || stderr.truncated,
          durationMs: elapsed(),
        });
      const stop = () => {
        if (timedOut) return;
        timedOut = true;
        killGroup('SIGTERM');
        timers.push(
          setTimeout(() => {
            killGroup('SIGKILL');
            // a process that left our group (setsid) may still hold the pipes: stop waiting
            timers.push(
              setTimeout(() => {
                child.stdout.destroy();
                child.stderr.destroy();
                done();
              }, this.#killGraceMs),
            );
          }, this.#killGraceMs),
        );
      };
      const onAbort = () => stop();

      timers.push(setTimeout(stop, options.timeoutMs));
      if (options.signal?.aborted) stop();
      else options.signal?.addEventListener('abort', onAbort, { once: true });

      child.on('error', (err) => {
        // spawn failures (ENOENT, EACCES) have no pid and no 'close' may follow
        if (child.pid === undefined) finish(failed(errnoCode(err) ?? err.message, elapsed()));
      });
      child.on('exit', (code, signal) => {
        exit = { code, signal };
      });
      child.on('close', (code, signal) => {
        exit ??= { code, signal };
        done();
      });
    });
  }

  /**
   * Reads at most maxBytes of a regular file; null when it does not exist. The file is opened
   * non-blocking and checked to be regular first, so a FIFO or device can never hang the run.
   */
  async readFile(path: string, maxBytes: number): Promise<Buffer | null> {
    let handle;
    try {
      handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch (err) {
      if (MISSING.has(errnoCode(err) ?? '')) return null;
      throw err;
    }
    try {
      const info = await handle.stat();
      if (!info.isFile()) throw new Error(`${path} is not a regular file`);
      // read in chunks rather than allocating maxBytes up front: /proc files report size 0,
      // and a generous limit on a small file should not cost its full size in memory
      const chunks: Buffer[] = [];
      let total = 0;
      while (total < maxBytes) {
        const chunk = Buffer.alloc(Math.min(READ_CHUNK, maxBytes - total));
        const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
        if (bytesRead === 0) break;
        chunks.push(chunk.subarray(0, bytesRead));
        total += bytesRead;
      }
      return Buffer.concat(chunks, total);
    } finally {
      await handle.close();
    }
  }

  /** stat (following symlinks); null when the path does not exist. */
  async stat(path: string): Promise<FileStat | null> {
    try {
      const s = await stat(path);
      return {
        mode: s.mode,
        uid: s.uid,
        gid: s.gid,
        size: s.size,
        mtimeMs: s.mtimeMs,
        isFile: s.isFile(),
        isDirectory: s.isDirectory(),
      };
    } catch (err) {
      if (MISSING.has(errnoCode(err) ?? '')) return null;
      throw err;
    }
  }

  /** Entry names, sorted; null when the directory does not exist. */
  async readDir(path: string): Promise<string[] | null> {
    try {
      return (await readdir(path)).sort();
    } catch (err) {
      if (MISSING.has(errnoCode(err) ?? '')) return null;
      throw err;
    }
  }
}

function failed(spawnError: string, durationMs: number): RawExecResult {
  return { exitCode: null, signal: null, stdout: '', stderr: '', timedOut: false, truncated: false, spawnError, durationMs };
}

/**
 * ufw, sshd, nft and iptables live in the sbin directories, which a non-login shell or a cron
 * job often leaves off PATH: without them a present tool would be reported "not installed".
 */
export function withSbin(path: string | undefined): string {
  const parts = (path ?? '/usr/local/bin:/usr/bin:/bin').split(':').filter((p) => p.length > 0);
  for (const dir of ['/usr/local/sbin', '/usr/sbin', '/sbin']) if (!parts.includes(dir)) parts.push(dir);
  return parts.join(':');
}
