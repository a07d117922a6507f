/**
 * `predeploy init`: discover the deployment and write `predeploy.yaml` (commented, every value
 * with its source) and a `predeploy.attest.yaml` template into the root.
 *
 * Never overwrites: an existing `predeploy.yaml` is refused (exit 2) unless `--force`, which
 * first keeps it as `predeploy.yaml.bak` (`.bak.1`, … when that exists too). An existing
 * attestation file is left alone without `--force`. Files appear atomically (a hard link of a
 * complete temporary file, which fails instead of replacing). The config written is validated
 * against the schema before anything is written.
 */
import { randomBytes } from 'node:crypto';
import { copyFile, constants, link, open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CONFIG_FILE_NAME } from '../config/load.js';
import { ORDER_PROCESSING_PROFILE } from '../config/profile.js';
import type { Config } from '../config/schema.js';
import { ATTESTATION_FILE_NAME } from '../config/tbd.js';
import { renderAttestTemplate, renderInitConfig } from '../discovery/init-files.js';
import type { Discovery } from '../discovery/types.js';
import { EXIT, UsageError } from '../engine/errors.js';

export interface InitOptions {
  root: string;
  /** where the files go; default the root (for an ssh host, a local folder: the host is never written to) */
  outDir?: string;
  /** the ssh host discovered (`ssh://…`), for the next-step hint */
  remote?: string;
  force: boolean;
  now: Date;
  /** checks that take an attestation (id, title), for the template */
  attestable: readonly { id: string; title: string }[];
  discover(profile: Config): Promise<Discovery>;
  redact(text: string): string;
  out(text: string): void;
  err(text: string): void;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (e) {
    if (e instanceof Error && 'code' in e && e.code === 'ENOENT') return false;
    throw e;
  }
}

/** A free `<path>.bak`, `<path>.bak.1`, … */
async function backupName(path: string): Promise<string> {
  for (let i = 0; ; i += 1) {
    const candidate = i === 0 ? `${path}.bak` : `${path}.bak.${i}`;
    if (!(await exists(candidate))) return candidate;
  }
}

/** Write `content` as `path`: exclusively (fails when it exists), or replacing it after a backup. */
async function writeNew(path: string, content: string, replace: boolean): Promise<string | undefined> {
  const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  const fh = await open(tmp, 'wx', 0o640);
  try {
    await fh.writeFile(content, 'utf8');
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    if (replace && (await exists(path))) {
      const bak = await backupName(path);
      await copyFile(path, bak, constants.COPYFILE_EXCL);
      await rename(tmp, path);
      return bak;
    }
    await link(tmp, path);
    return undefined;
  } finally {
    await rm(tmp, { force: true });
  }
}

export async function runInit(o: InitOptions): Promise<number> {
  const dir = o.outDir ?? o.root;
  const configPath = join(dir, CONFIG_FILE_NAME);
  const attestPath = join(dir, ATTESTATION_FILE_NAME);
  if (!o.force && (await exists(configPath))) {
    throw new UsageError(`${configPath} already exists; nothing was written (--force keeps it as ${CONFIG_FILE_NAME}.bak and writes a new one)`);
  }
  const profile = structuredClone(ORDER_PROCESSING_PROFILE);
  const discovery = await o.discover(profile);
  const now = o.now.toISOString();
  const text = o.redact(renderInitConfig({ profile, discovery, now, root: o.root }));
  // What init writes must load: a file that fails the schema would be a bug, not the user's.
  const { parseConfigText } = await import('../config/loader.js');
  parseConfigText(text, configPath);
  const bak = await writeNew(configPath, text, o.force).catch((e: unknown) => {
    if (e instanceof Error && 'code' in e && e.code === 'EEXIST') throw new UsageError(`${configPath} appeared while init ran; nothing was overwritten`);
    throw e;
  });
  o.err(`predeploy: wrote ${configPath}${bak ? ` (the old one is ${bak})` : ''}: ${discovery.values.length} value(s) discovered\n`);
  if (!o.force && (await exists(attestPath))) {
    o.err(`predeploy: ${attestPath} exists; left as it is\n`);
  } else {
    const abak = await writeNew(attestPath, o.redact(renderAttestTemplate(o.attestable, now)), o.force);
    o.err(`predeploy: wrote ${attestPath}${abak ? ` (the old one is ${abak})` : ''}: a template, every item a placeholder until filled in\n`);
  }
  for (const v of discovery.values) o.out(`${v.path}: ${Array.isArray(v.value) ? v.value.join(', ') : v.value}  (discovered: ${v.provenance.source})\n`);
  for (const n of discovery.notes) o.out(`note: ${n}\n`);
  if (o.remote === undefined) o.out(`next: review ${configPath}, fill in what is TBD, then run predeploy assess --root ${o.root}\n`);
  else {
    // the attestations are read from the host's root; the configuration can stay here
    o.out(`next: review ${configPath}, fill in what is TBD, copy ${ATTESTATION_FILE_NAME} into ${o.root} on the host once filled in, then run predeploy assess --target ${o.remote} --root ${o.root} --config ${configPath}\n`);
  }
  return EXIT.done;
}
