/**
 * A run folder on a read-only or full file system (issue 11, item 2): one line naming the path
 * and the cause as the system words it, exit 2, and never a half-written file that looks
 * complete. The built binary runs in a private mount namespace (`unshare -m`) on a small tmpfs,
 * so the host's mount table never changes and the mount goes away with the process; what the
 * folder holds afterwards is copied out before the namespace ends. Runs as root (npm test does).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fsCause, resourceError } from '../../src/cli/run-folder.js';
import { BIN, EXAMPLE, requireBuilt, RUN_FILES, tempDirs } from '../helpers/binary.js';

const FILES = RUN_FILES;
const tmp = tempDirs();

interface Outcome {
  code: number;
  stderr: string;
  /** the mount point inside the namespace */
  mnt: string;
  /** a copy of what the mount held when predeploy had exited */
  after: string;
}

/**
 * `setup` (sh) prepares the tmpfs at $M; then predeploy runs with `args(mnt)`; then the mount's
 * content is copied to $AFTER. `path` may put fake tools first.
 */
function inMountNamespace(setup: string, args: (mnt: string) => string[], o: { sizeKb: number; path?: string }): Outcome {
  requireBuilt();
  const mnt = tmp('predeploy-mnt-');
  const after = tmp('predeploy-after-');
  const script = [
    'set -e',
    `mount -t tmpfs -o size=${o.sizeKb}k,mode=0755 tmpfs "$M"`,
    setup,
    'set +e',
    '"$NODE" "$BIN" "$@"; code=$?',
    'cp -a "$M/." "$AFTER/" 2>/dev/null',
    'exit $code',
  ].join('\n');
  const r = spawnSync('unshare', ['-m', '--propagation', 'private', '--', 'sh', '-c', script, 'sh', ...args(mnt)], {
    encoding: 'utf8',
    env: { ...process.env, M: mnt, AFTER: after, NODE: process.execPath, BIN, ...(o.path !== undefined ? { PATH: o.path } : {}) },
  });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stderr: r.stderr, mnt, after };
}

const errorLines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('predeploy: cannot write'));
const expectClean = (stderr: string) => expect(stderr).not.toMatch(/\bat .*\.js:\d+|internal error|ENOENT/);
const assess = (o: { root?: string; out?: string; runId: string }) => [
  'assess',
  '--offline',
  '--quiet',
  '--root',
  o.root ?? EXAMPLE,
  ...(o.out !== undefined ? ['--out', o.out] : []),
  '--run-id',
  o.runId,
];

describe('a read-only file system: one line naming the path and "read-only file system", exit 2', () => {
  it('--root on a read-only mount, the default output folder inside it', () => {
    const r = inMountNamespace('mkdir "$M/_codex_predeploy" && mount -o remount,ro "$M"', (m) => assess({ root: m, runId: 'ro1' }), { sizeKb: 256 });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`predeploy: cannot write ${r.mnt}/_codex_predeploy/ro1: read-only file system\n`);
    expectClean(r.stderr);
    expect(readdirSync(join(r.after, '_codex_predeploy'))).toEqual([]);
  });

  it('--out below a read-only mount, folders to create (node would say ENOENT here)', () => {
    const r = inMountNamespace('mount -o remount,ro "$M"', (m) => assess({ out: join(m, 'runs', 'deep'), runId: 'ro2' }), { sizeKb: 256 });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`predeploy: cannot write ${r.mnt}/runs/deep: read-only file system\n`);
    expectClean(r.stderr);
  });
});

describe('a full file system: one line naming the path and "no space left on device", exit 2', () => {
  it('full before the run: nothing is left behind (the run id stays free)', () => {
    const r = inMountNamespace('mkdir "$M/runs" && (dd if=/dev/zero of="$M/fill" bs=4k 2>/dev/null || true)', (m) => assess({ out: join(m, 'runs'), runId: 'full1' }), {
      sizeKb: 256,
    });
    expect(r.code).toBe(2);
    const lines = errorLines(r.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^predeploy: cannot write ${r.mnt}/runs/full1(/[^:]+)?: no space left on device$`));
    expectClean(r.stderr);
    expect(readdirSync(join(r.after, 'runs'))).toEqual([]);
  });

  it('fills up mid-run: exit 2, and every file left says the run did not finish; no temp file, no scratch folder', () => {
    // a `ufw` first on PATH that fills the file system, then answers
    const bin = tmp('predeploy-fill-bin-');
    writeFileSync(join(bin, 'ufw'), '#!/bin/sh\ndd if=/dev/zero of="$M/fill" bs=4k 2>/dev/null\necho "Status: inactive"\n');
    chmodSync(join(bin, 'ufw'), 0o755);
    const r = inMountNamespace('mkdir "$M/runs"', (m) => assess({ out: join(m, 'runs'), runId: 'full2' }), { sizeKb: 2048, path: `${bin}:${process.env.PATH ?? ''}` });
    expect(r.code).toBe(2);
    const lines = errorLines(r.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^predeploy: cannot write ${r.mnt}/runs/full2/[^:]+: no space left on device$`));
    expectClean(r.stderr);
    const dir = join(r.after, 'runs', 'full2');
    expect(readdirSync(dir).sort()).toEqual([...FILES].sort());
    expect(readFileSync(join(dir, '13_PRODUCTION_DEPLOY_REPORT.md'), 'utf8')).toMatch(/\*\*INCOMPLETE\*\* — the run has not finished/);
    expect(readFileSync(join(dir, 'PRODUCTION_READINESS_CHECKLIST.md'), 'utf8')).toContain('INCOMPLETE');
    expect((JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as { meta: { incomplete: boolean } }).meta.incomplete).toBe(true);
    expect(readFileSync(join(dir, '13_PRODUCTION_DEPLOY_COMMANDS.log'), 'utf8')).toMatch(/^# started .* · INCOMPLETE: written entry by entry/m);
  });
});

describe('the cause as the system words it', () => {
  it.each([
    ['EROFS', "EROFS: read-only file system, open '/x/a'", 'read-only file system'],
    ['ENOSPC', "ENOSPC: no space left on device, write", 'no space left on device'],
    ['EDQUOT', "EDQUOT: disk quota exceeded, write", 'disk quota exceeded'],
    ['EACCES', "EACCES: permission denied, mkdir '/x'", 'permission denied'],
  ])('%s', (code, message, cause) => {
    const err = Object.assign(new Error(message), { code });
    expect(fsCause(err)).toBe(cause);
    expect(resourceError('/x/_codex_predeploy/ID', err).message).toBe(`cannot write /x/_codex_predeploy/ID: ${cause}`);
    expect(resourceError('/x', err).exitCode).toBe(2);
  });
});
