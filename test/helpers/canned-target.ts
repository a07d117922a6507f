/**
 * A Target that answers commands from a table (argv joined by spaces) and reads real files.
 * For CLI tests that need controlled command output (canaries, failures) without a shell.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import type { FileStat, RawExecResult, Target, TargetExecOptions } from '../../src/engine/types.js';

export interface Canned {
  stdout?: string;
  stderr?: string;
  exitCode?: number;
  /** never answers (until the timeout) */
  hang?: boolean;
}

export class CannedTarget implements Target {
  readonly name = 'canned';
  readonly calls: string[][] = [];
  constructor(private readonly table: Record<string, Canned>) {}

  async exec(argv: readonly string[], o: TargetExecOptions): Promise<RawExecResult> {
    this.calls.push([...argv]);
    // sudo -n -- <cmd>: answer for the inner command
    const inner = argv[0] === 'sudo' ? argv.slice(argv.indexOf('--') + 1) : argv;
    const c = this.table[inner.join(' ')];
    if (!c) return { exitCode: null, signal: null, stdout: '', stderr: '', timedOut: false, truncated: false, spawnError: 'ENOENT', durationMs: 0 };
    if (c.hang) {
      await new Promise((r) => setTimeout(r, o.timeoutMs).unref());
      return { exitCode: null, signal: 'SIGKILL', stdout: '', stderr: '', timedOut: true, truncated: false, durationMs: o.timeoutMs };
    }
    return { exitCode: c.exitCode ?? 0, signal: null, stdout: c.stdout ?? '', stderr: c.stderr ?? '', timedOut: false, truncated: false, durationMs: 1 };
  }

  async readFile(path: string, maxBytes: number): Promise<Buffer | null> {
    try {
      return (await readFile(path)).subarray(0, maxBytes);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  async stat(path: string): Promise<FileStat | null> {
    const s = await stat(path).catch(() => null);
    return s ? { mode: s.mode, uid: s.uid, gid: s.gid, size: s.size, mtimeMs: s.mtimeMs, isFile: s.isFile(), isDirectory: s.isDirectory() } : null;
  }

  async readDir(path: string): Promise<string[] | null> {
    return readdir(path).catch(() => null);
  }
}
