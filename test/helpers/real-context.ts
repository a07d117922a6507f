/**
 * A minimal real ProbeContext for tests that run the host tools for real: commands go straight
 * to child_process.execFile (no shell). No policy, no redaction, no commands log — that is the
 * real runner's job (src/safety); this helper stays small until the lead switches tests to it.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile, stat } from 'node:fs/promises';
import { ORDER_PROCESSING_PROFILE } from '../../src/config/profile.js';
import type { Config } from '../../src/config/schema.js';
import type { ExecRequest, ExecResult, FileStat, ProbeContext, ProbeOptions } from '../../src/engine/types.js';

export interface RealContextOptions {
  config?: Config;
  options?: Partial<ProbeOptions>;
}

export interface RealContext extends ProbeContext {
  /** argv of every exec call (after any `sudo -n` prefix) */
  calls: string[][];
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
// Non-login shells may lack the sbin directories where ufw and sshd live.
const PATH = [process.env['PATH'] ?? '', '/usr/local/sbin', '/usr/sbin', '/sbin'].filter(Boolean).join(':');

function notFound(p: string): boolean {
  return p === 'ENOENT';
}

async function statOf(path: string): Promise<FileStat | null> {
  try {
    const s = await stat(path);
    return { mode: s.mode, uid: s.uid, gid: s.gid, size: s.size, mtimeMs: s.mtimeMs, isFile: s.isFile(), isDirectory: s.isDirectory() };
  } catch (err) {
    if (err instanceof Error && 'code' in err && notFound(String(err.code))) return null;
    throw err;
  }
}

export function realContext(opts: RealContextOptions = {}): RealContext {
  let seq = 0;
  const calls: string[][] = [];
  const options: ProbeOptions = { offline: true, refreshApt: false, timeoutMs: 20_000, ...opts.options };
  return {
    calls,
    config: opts.config ?? ORDER_PROCESSING_PROFILE,
    root: '/data/order-processing',
    options,
    targetName: 'local-test',
    env: {},
    signal: new AbortController().signal,
    now: () => new Date(),
    exec(argv, request?: ExecRequest): Promise<ExecResult> {
      const full = request?.sudo && !isRoot ? ['sudo', '-n', ...argv] : [...argv];
      calls.push(full);
      seq += 1;
      const mySeq = seq;
      const started = Date.now();
      const [program = '', ...args] = full;
      return new Promise((resolve) => {
        execFile(
          program,
          args,
          { timeout: request?.timeoutMs ?? options.timeoutMs, maxBuffer: 8 * 1024 * 1024, env: { ...process.env, PATH, ...request?.env }, encoding: 'utf8' },
          (error, stdout, stderr) => {
            const base = { seq: mySeq, stdout, stderr, truncated: false, durationMs: Date.now() - started };
            if (!error) return resolve({ ...base, exitCode: 0, signal: null, timedOut: false });
            const code: unknown = 'code' in error ? error.code : undefined;
            if (typeof code === 'string') {
              return resolve({ ...base, exitCode: null, signal: null, timedOut: false, spawnError: code });
            }
            resolve({
              ...base,
              exitCode: typeof code === 'number' ? code : null,
              signal: error.signal ?? null,
              timedOut: error.killed === true && error.signal !== undefined && error.signal !== null,
            });
          },
        );
      });
    },
    async readFile(path, maxBytes) {
      try {
        const buf = await readFile(path);
        return maxBytes === undefined ? buf : buf.subarray(0, maxBytes);
      } catch (err) {
        if (err instanceof Error && 'code' in err && notFound(String(err.code))) return null;
        throw err;
      }
    },
    stat: statOf,
    async readDir(path) {
      try {
        return await readdir(path);
      } catch (err) {
        if (err instanceof Error && 'code' in err && notFound(String(err.code))) return null;
        throw err;
      }
    },
    async http() {
      throw new Error('real test context: no HTTP');
    },
    addSecret() {},
    async probe(id) {
      throw new Error(`real test context: probe ${id} not available`);
    },
  };
}

/** Throw (failing the test, never skipping it) when a program the test runs is not installed. */
export async function requireTool(program: string, debianPackage: string): Promise<void> {
  for (const dir of PATH.split(':')) {
    if ((await statOf(`${dir}/${program}`))?.isFile) return;
  }
  throw new Error(`${program} is not installed: install the Debian package ${debianPackage} (sudo apt-get install ${debianPackage})`);
}
