/**
 * A ProbeContext for probe unit tests: commands are answered from a table of canned results
 * (captured real outputs), keyed by the argv joined with spaces. Anything not in the table
 * answers like a missing program (exit 127, spawnError ENOENT).
 */
import type { FactTypes } from '../../src/facts/index.js';
import { ORDER_PROCESSING_PROFILE } from '../../src/config/profile.js';
import type { Config } from '../../src/config/schema.js';
import type { ExecResult, FileStat, HttpRequest, HttpResponse, ProbeContext, ProbeOutcome } from '../../src/engine/types.js';

export interface CannedExec {
  stdout?: string;
  stderr?: string;
  exitCode?: number | null;
  timedOut?: boolean;
  spawnError?: string;
}

export interface FakeContextOptions {
  exec?: Record<string, CannedExec>;
  files?: Record<string, string | { content: string; mode?: number; uid?: number }>;
  config?: Config;
  root?: string;
  now?: Date;
  probes?: { [K in keyof FactTypes]?: ProbeOutcome<FactTypes[K]> };
  env?: Record<string, string>;
  /** paths (files or directories, and everything under them) this user may not read: readFile, stat and readDir throw EACCES */
  denied?: string[];
}

export interface FakeContext extends ProbeContext {
  /** argv of every exec call, in order */
  calls: string[][];
  /** whether each call asked for sudo */
  sudoCalls: boolean[];
  secrets: string[];
}

export function fakeContext(opts: FakeContextOptions = {}): FakeContext {
  let seq = 0;
  const calls: string[][] = [];
  const sudoCalls: boolean[] = [];
  const secrets: string[] = [];
  const files = opts.files ?? {};
  // Like the kernel: a denied file or directory cannot be read or listed, but stat()s fine (it needs
  // only search permission on the parent); what lies under a denied directory cannot even be stat()ed.
  const deny = (p: string, self = true) => {
    if ((opts.denied ?? []).some((d) => (self && p === d) || p.startsWith(d.endsWith('/') ? d : `${d}/`))) {
      throw Object.assign(new Error(`EACCES: permission denied, open '${p}'`), { code: 'EACCES' });
    }
  };
  const fileOf = (p: string) => {
    const f = files[p];
    if (f === undefined) return undefined;
    return typeof f === 'string' ? { content: f, mode: 0o100600, uid: 0 } : { mode: 0o100600, uid: 0, ...f };
  };
  const ctx: FakeContext = {
    calls,
    sudoCalls,
    secrets,
    config: opts.config ?? ORDER_PROCESSING_PROFILE,
    root: opts.root ?? '/data/order-processing',
    options: { offline: true, refreshApt: false, timeoutMs: 5000 },
    targetName: 'fake',
    env: opts.env ?? {},
    signal: new AbortController().signal,
    now: () => opts.now ?? new Date('2026-11-26T00:00:00Z'),
    async exec(argv, request): Promise<ExecResult> {
      calls.push([...argv]);
      sudoCalls.push(request?.sudo === true);
      const canned = opts.exec?.[argv.join(' ')];
      seq += 1;
      if (!canned) {
        return { seq, exitCode: 127, signal: null, stdout: '', stderr: '', timedOut: false, truncated: false, spawnError: 'ENOENT', durationMs: 1 };
      }
      return {
        seq,
        exitCode: canned.exitCode === undefined ? 0 : canned.exitCode,
        signal: null,
        stdout: canned.stdout ?? '',
        stderr: canned.stderr ?? '',
        timedOut: canned.timedOut ?? false,
        truncated: false,
        ...(canned.spawnError ? { spawnError: canned.spawnError } : {}),
        durationMs: 1,
      };
    },
    async readFile(path) {
      seq += 1;
      deny(path);
      const f = fileOf(path);
      return f ? Buffer.from(f.content) : null;
    },
    async stat(path): Promise<FileStat | null> {
      deny(path, false);
      const f = fileOf(path);
      if (f) return { mode: f.mode, uid: f.uid, gid: 0, size: f.content.length, mtimeMs: 0, isFile: true, isDirectory: false };
      const isDir = Object.keys(files).some((k) => k.startsWith(path.endsWith('/') ? path : `${path}/`));
      return isDir ? { mode: 0o40755, uid: 0, gid: 0, size: 0, mtimeMs: 0, isFile: false, isDirectory: true } : null;
    },
    async readDir(path) {
      deny(path);
      const prefix = path.endsWith('/') ? path : `${path}/`;
      const names = new Set<string>();
      for (const k of Object.keys(files)) if (k.startsWith(prefix)) names.add(k.slice(prefix.length).split('/')[0] ?? '');
      return names.size > 0 ? [...names] : null;
    },
    async http(_request: HttpRequest): Promise<HttpResponse> {
      throw new Error('fake context: no HTTP');
    },
    addSecret(value) {
      secrets.push(value);
    },
    async probe(id) {
      const o = opts.probes?.[id];
      if (!o) throw new Error(`fake context: probe ${id} not provided`);
      return o;
    },
  };
  return ctx;
}
