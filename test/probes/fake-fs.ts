/**
 * Adds what fakeContext's file table lacks for the backup and runbook probes: modification times
 * (files and directories) and paths that fail with EACCES, as a root-only directory does.
 */
import type { FakeContext } from '../helpers/fake-context.js';

export interface FakeFsOptions {
  /** path → mtime (ms); directories may be listed too */
  mtimes?: Record<string, number>;
  /** paths (files or directories) whose read or listing fails with EACCES */
  denied?: string[];
}

const eacces = (path: string) => Object.assign(new Error(`EACCES: permission denied, open '${path}'`), { code: 'EACCES' });

/** Wrap a fake context in place and return it. */
export function withFakeFs<T extends FakeContext>(ctx: T, opts: FakeFsOptions): T {
  const { stat, readDir, readFile } = { stat: ctx.stat.bind(ctx), readDir: ctx.readDir.bind(ctx), readFile: ctx.readFile.bind(ctx) };
  const denied = new Set(opts.denied ?? []);
  ctx.stat = async (path) => {
    const s = await stat(path);
    const mtime = opts.mtimes?.[path];
    return s && mtime !== undefined ? { ...s, mtimeMs: mtime } : s;
  };
  ctx.readDir = async (path) => {
    if (denied.has(path)) throw eacces(path);
    return readDir(path);
  };
  ctx.readFile = async (path, max) => {
    if (denied.has(path)) throw eacces(path);
    return readFile(path, max);
  };
  return ctx;
}
