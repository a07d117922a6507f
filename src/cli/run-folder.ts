/**
 * The run folder: `<root>/_codex_predeploy/<run-id>/`, created exclusively (an existing one is
 * refused and left untouched), and files written atomically (temp file + rename) so a reader
 * never sees half a report.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ResourceError, RunFolderExistsError, UsageError } from '../engine/errors.js';

export const RUNS_DIR = '_codex_predeploy';
const RUN_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** `YYYYMMDDTHHMMSSZ-<4 hex>` in UTC (docs/ARCHITECTURE.md "Outputs"). */
export function generateRunId(now: Date = new Date()): string {
  const iso = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
  return `${iso}-${randomBytes(2).toString('hex')}`;
}

/** Throws a UsageError (exit 2) for an id that could escape the runs folder or is malformed. */
export function validateRunId(id: string): string {
  if (!RUN_ID.test(id) || id.includes('..') || id === '.') {
    throw new UsageError(`invalid run id "${id.slice(0, 80)}": use 1-64 characters from A-Z a-z 0-9 . _ - and no ".."`);
  }
  return id;
}

export async function assertRootDir(root: string): Promise<string> {
  const abs = resolve(root);
  const s = await stat(abs).catch(() => null);
  if (!s) throw new UsageError(`root ${abs} does not exist; pass --root <dir> or set OP_ROOT`);
  if (!s.isDirectory()) throw new UsageError(`root ${abs} is not a directory; pass --root <dir> or set OP_ROOT`);
  return abs;
}

const errnoCode = (err: unknown): string | undefined =>
  err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : undefined;

/**
 * A file-system error as the system words it (`read-only file system`, `no space left on
 * device`, `disk quota exceeded`), from node's `EROFS: read-only file system, open '…'`.
 */
export function fsCause(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const m = /^E[A-Z0-9]+: ([^,]+),/.exec(message);
  const code = errnoCode(err);
  if (m?.[1] !== undefined) return m[1];
  return code ?? message.split('\n')[0] ?? 'error';
}

/** A file-system error while writing `path` as a one-line ResourceError (exit 2). */
export function resourceError(path: string, err: unknown): ResourceError {
  return new ResourceError(path, fsCause(err));
}

/**
 * `mkdir -p` that reports the real cause. Node's recursive mkdir says ENOENT on a read-only
 * file system (it cannot tell a missing parent from one it may not create in); creating one
 * level at a time gets the EROFS, ENOSPC or EACCES of the level that failed.
 */
async function mkdirs(path: string): Promise<void> {
  try {
    await mkdir(path, { mode: 0o750 });
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'EEXIST') {
      if (!(await stat(path)).isDirectory()) throw err;
      return;
    }
    if (code !== 'ENOENT' || dirname(path) === path) throw err;
    await mkdirs(dirname(path));
    await mkdir(path, { mode: 0o750 }).catch((e: unknown) => {
      if (errnoCode(e) !== 'EEXIST') throw e;
    });
  }
}

/** How often a generated run id is drawn again when its folder is taken (two runs at once). */
const GENERATED_ID_TRIES = 8;

/**
 * Create the run folder exclusively; returns its absolute path and the run id. An id given by
 * the user that is taken is refused (exit 2, nothing touched); a generated one that is taken
 * (another run started in the same second drew the same suffix) is drawn again: two runs at
 * once never share a folder. `mkdir` without `recursive` is the exclusive create: of two
 * processes creating one folder, exactly one succeeds.
 */
export async function createRunFolder(base: string, runId: string, regenerate?: () => string): Promise<{ dir: string; runId: string }> {
  const abs = resolve(base);
  try {
    await mkdirs(abs);
  } catch (err) {
    throw resourceError(abs, err);
  }
  let id = runId;
  for (let attempt = 1; ; attempt++) {
    const dir = join(abs, id);
    try {
      await mkdir(dir, { mode: 0o750 });
      return { dir, runId: id };
    } catch (err) {
      if (errnoCode(err) !== 'EEXIST') throw resourceError(dir, err);
      if (regenerate === undefined || attempt >= GENERATED_ID_TRIES) throw new RunFolderExistsError(dir);
      id = regenerate();
    }
  }
}

/**
 * Write files atomically inside the run folder, all or none: each is first written in full to
 * a temp file and fsynced; only when every one is staged are they renamed over their final
 * names (a rename needs no space), then the folder is fsynced. A full or read-only file system
 * fails in staging: the temp files are removed, what was there stays (an earlier version, or
 * the report written at the start that says the run did not finish), and the error names the
 * file and the cause (exit 2). A reader never sees half a file. Mode 0640.
 */
export async function writeFilesAtomic(dir: string, files: readonly (readonly [name: string, content: string])[]): Promise<void> {
  const staged: [tmp: string, final: string][] = [];
  try {
    for (const [name, content] of files) {
      const final = join(dir, name);
      const tmp = join(dir, `.${name}.${randomBytes(4).toString('hex')}.tmp`);
      try {
        const fh = await open(tmp, 'wx', 0o640);
        staged.push([tmp, final]);
        try {
          await fh.writeFile(content, 'utf8');
          await fh.sync();
        } finally {
          await fh.close();
        }
      } catch (err) {
        throw resourceError(final, err);
      }
    }
    for (const [tmp, final] of staged) {
      try {
        await rename(tmp, final);
      } catch (err) {
        throw resourceError(final, err);
      }
    }
  } catch (err) {
    await Promise.all(staged.map(([tmp]) => rm(tmp, { force: true }).catch(() => undefined)));
    throw err;
  }
  // the renames themselves reach the disk with the folder's own fsync
  const d = await open(dir, 'r').catch(() => null);
  await d?.sync().catch(() => undefined);
  await d?.close();
}

/** Write one file atomically inside the run folder (see writeFilesAtomic). */
export function writeAtomic(dir: string, name: string, content: string): Promise<void> {
  return writeFilesAtomic(dir, [[name, content]]);
}
