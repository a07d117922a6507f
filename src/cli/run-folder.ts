/**
 * The run folder: `<root>/_codex_predeploy/<run-id>/`, created exclusively (an existing one is
 * refused and left untouched), and files written atomically (temp file + rename) so a reader
 * never sees half a report.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { RunFolderExistsError, UsageError } from '../engine/errors.js';

export const RUNS_DIR = '_codex_predeploy';
const RUN_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** `YYYYMMDDTHHMMSSZ-<4 hex>` in UTC (DESIGN.md "Outputs"). */
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

/** Create the run folder; refuse (exit 2) when it exists. Returns its absolute path. */
export async function createRunFolder(base: string, runId: string): Promise<string> {
  const dir = join(resolve(base), runId);
  try {
    await mkdir(resolve(base), { recursive: true, mode: 0o750 });
  } catch (err) {
    throw new UsageError(`cannot create ${resolve(base)}: ${(err as NodeJS.ErrnoException).code ?? String(err)}; pass --out <dir>`);
  }
  try {
    // Non-recursive mkdir fails with EEXIST when the folder is there: that is the exclusive create.
    await mkdir(dir, { mode: 0o750 });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new RunFolderExistsError(dir);
    throw new UsageError(`cannot create run folder ${dir}: ${code ?? String(err)}`);
  }
  return dir;
}

/** Write a file atomically inside the run folder: temp file, fsync, rename. Mode 0640. */
export async function writeAtomic(dir: string, name: string, content: string): Promise<void> {
  const final = join(dir, name);
  const tmp = join(dir, `.${name}.${randomBytes(4).toString('hex')}.tmp`);
  const fh = await open(tmp, 'wx', 0o640);
  try {
    await fh.writeFile(content, 'utf8');
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, final);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
