/**
 * The CLI's side of the evidence features: writing SHA256SUMS into a run folder, writing a
 * capture bundle (folder or `.tar.gz`), signing with `ssh-keygen -Y sign` and `predeploy verify`.
 *
 * ssh-keygen is run here, by the CLI, on the machine predeploy runs on — not through the probe
 * command policy: it is not a probe and reads nothing of the target. Signing writes exactly one
 * file, `SHA256SUMS.sig`, into the run folder or bundle; verifying writes nothing.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { PredeployError, UsageError } from '../engine/errors.js';
import { readBundleFiles, sha256Sums } from '../evidence/bundle.js';
import { SIG_FILE, SUMS_FILE } from '../evidence/format.js';
import { writeTarGz } from '../evidence/tar.js';
import { verifyFiles } from '../evidence/verify.js';
import { createRunFolder, writeAtomic } from './run-folder.js';

/** The namespace of predeploy's SSH signatures (`ssh-keygen -Y sign -n`). */
export const SIGNATURE_NAMESPACE = 'predeploy';

/** A file could not be signed (ssh-keygen failed): exit 2, the run's files stay as written. */
export class SigningError extends PredeployError {
  constructor(message: string) {
    super(message, 2);
  }
}

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** ssh-keygen with no shell, stdin from `input` (or closed), bounded in time. */
function sshKeygen(args: string[], input?: Buffer): Promise<Ran> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let child;
    try {
      child = spawn('ssh-keygen', args, { shell: false, stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    } catch (e) {
      resolve({ code: null, stdout: '', stderr: e instanceof Error ? e.message : String(e) });
      return;
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ code: null, stdout, stderr: `${stderr}${e.message}` });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    if (input) child.stdin?.end(input);
  });
}

const firstLine = (s: string): string => s.trim().split('\n')[0] ?? '';

/** Signs `<dir>/SHA256SUMS` with the SSH key; writes `<dir>/SHA256SUMS.sig`. */
export async function signSums(dir: string, key: string): Promise<void> {
  const r = await sshKeygen(['-Y', 'sign', '-q', '-f', key, '-n', SIGNATURE_NAMESPACE, join(dir, SUMS_FILE)]);
  if (r.code !== 0) throw new SigningError(`--sign-with ${key}: ssh-keygen -Y sign failed: ${firstLine(r.stderr) || `exit ${String(r.code)}`} (a key with a passphrase needs ssh-agent; the run folder is complete but unsigned)`);
}

/** SHA256SUMS over the files just written, then the signature when asked for. */
export async function sealFolder(dir: string, files: ReadonlyMap<string, string>, signWith: string | undefined): Promise<void> {
  await writeAtomic(dir, SUMS_FILE, sha256Sums(files));
  if (signWith !== undefined) await signSums(dir, signWith);
}

/** `<out>.tar.gz` unless it already ends so. */
export const archivePath = (out: string): string => (/\.t(ar\.)?gz$/.test(out) ? out : `${out}.tar.gz`);

/**
 * Writes a bundle: a new folder (refused when it exists), or one `.tar.gz` (refused when it
 * exists). With a signature, SHA256SUMS is signed before archiving, and the .sig goes in too.
 */
export async function writeBundle(out: string, files: Map<string, string>, o: { archive: boolean; signWith?: string; mtime: number }): Promise<string> {
  if (!o.archive) {
    const { dir } = await createRunFolder(dirname(resolve(out)), basename(resolve(out)));
    for (const name of files.keys()) if (name.includes('/')) await mkdir(join(dir, dirname(name)), { recursive: true, mode: 0o750 });
    for (const [name, text] of files) {
      const slash = name.lastIndexOf('/');
      await writeAtomic(slash < 0 ? dir : join(dir, name.slice(0, slash)), slash < 0 ? name : name.slice(slash + 1), text);
    }
    if (o.signWith !== undefined) await signSums(dir, o.signWith);
    return dir;
  }
  const path = archivePath(out);
  if (await stat(path).catch(() => null)) throw new UsageError(`${path} exists; a bundle is never overwritten (choose another --out)`);
  const all = new Map<string, string | Buffer>(files);
  if (o.signWith !== undefined) {
    const tmp = await mkdtemp(join(tmpdir(), 'predeploy-sign-'));
    try {
      await writeFile(join(tmp, SUMS_FILE), files.get(SUMS_FILE) ?? '');
      await signSums(tmp, o.signWith);
      all.set(SIG_FILE, await readFile(join(tmp, SIG_FILE)));
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  }
  const fh = await open(path, 'wx', 0o640);
  try {
    await fh.writeFile(writeTarGz(all, o.mtime));
  } finally {
    await fh.close();
  }
  return path;
}

export interface VerifyOutcome {
  ok: boolean;
  lines: string[];
}

/** Checks a run folder or a bundle (folder or .tar.gz); with allowed signers, its signature too. */
export async function verifyPath(path: string, allowedSigners: string | undefined): Promise<VerifyOutcome> {
  let files: Map<string, Buffer>;
  try {
    files = await readBundleFiles(path);
  } catch (e) {
    throw new UsageError(`verify: cannot read ${path}: ${e instanceof Error && 'code' in e ? String(e.code) : e instanceof Error ? e.message : String(e)}`);
  }
  const { kind, problems } = verifyFiles(files);
  const lines: string[] = [];
  if (allowedSigners !== undefined) {
    const sig = files.get(SIG_FILE);
    const sums = files.get(SUMS_FILE);
    if (sig === undefined || sums === undefined) problems.push(`${SIG_FILE} is missing: the ${kind} is not signed`);
    else {
      const tmp = await mkdtemp(join(tmpdir(), 'predeploy-verify-'));
      try {
        const sigPath = join(tmp, SIG_FILE);
        await writeFile(sigPath, sig);
        const found = await sshKeygen(['-Y', 'find-principals', '-s', sigPath, '-f', allowedSigners]);
        const principal = found.code === 0 ? firstLine(found.stdout) : '';
        if (principal === '') problems.push(`${SIG_FILE}: signed by a key that is not in ${allowedSigners}`);
        else {
          const v = await sshKeygen(['-Y', 'verify', '-f', allowedSigners, '-I', principal, '-n', SIGNATURE_NAMESPACE, '-s', sigPath], sums);
          if (v.code !== 0) problems.push(`${SIG_FILE}: does not verify for ${principal} (${firstLine(v.stderr) || firstLine(v.stdout)})`);
          else lines.push(`signature: good, by ${principal} (namespace ${SIGNATURE_NAMESPACE})`);
        }
      } finally {
        await rm(tmp, { recursive: true, force: true });
      }
    }
  }
  if (problems.length > 0) return { ok: false, lines: [`${path}: ${kind} does NOT verify`, ...problems.map((p) => `  ${p}`)] };
  return { ok: true, lines: [`${path}: ${kind} verifies (hash chain, report, SHA256SUMS)`, ...lines] };
}
