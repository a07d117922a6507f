/**
 * One host over ssh for the commands that discover without assessing (`predeploy config`,
 * `predeploy init` with `--target ssh://…`): the same SshTarget, policy and options as a fleet
 * host, a private folder for the ControlMaster socket, and the host's predeploy.yaml read over
 * the connection. A host that cannot be reached, or a root that is not a directory there, is one
 * line (exit 2), like any other input that cannot be used.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { CONFIG_FILE_NAME } from '../config/load.js';
import { UsageError } from '../engine/errors.js';
import type { Target } from '../engine/types.js';
import { sshTargetName } from '../targets/select.js';
import { checkSshOptions, SshTarget, type SshTargetOptions } from '../targets/ssh.js';
import type { RemoteArgs } from './args.js';

export interface RemoteHost {
  target: SshTarget;
  /** `ssh://user@host:port`, as the user wrote it (defaults left out) */
  display: string;
  /** the login user is root (no sudo needed for root-only reads) */
  isRoot: boolean;
  close(): Promise<void>;
}

/**
 * An ssh target as the CLI makes one (a fleet host, or `config`/`init --target`):
 * `PREDEPLOY_SSH_CONFIG=FILE` passes `ssh -F FILE` (the tests use it to stay off ~/.ssh).
 */
export function newSshTarget(o: Omit<SshTargetOptions, 'configFile'>, env: Readonly<Record<string, string | undefined>>): SshTarget {
  return new SshTarget({ ...o, ...(env.PREDEPLOY_SSH_CONFIG !== undefined && env.PREDEPLOY_SSH_CONFIG !== '' ? { configFile: env.PREDEPLOY_SSH_CONFIG } : {}) });
}

/** Connects to `args.remote` and checks that `root` is a directory there. */
export async function openRemote(args: RemoteArgs & { remote: NonNullable<RemoteArgs['remote']> }, root: string, env: Readonly<Record<string, string | undefined>>): Promise<RemoteHost> {
  const ssh = checkSshOptions(args.sshOptions);
  if (!ssh.ok) throw new UsageError(`--ssh-option: ${ssh.error}`);
  if (!posix.isAbsolute(root)) throw new UsageError(`--root ${root}: over ssh the project root is a path on the host and must be absolute`);
  const name = sshTargetName(args.remote);
  const display = `ssh://${name}`;
  const controlDir = await mkdtemp(join(tmpdir(), 'pd-ssh-'));
  const target = newSshTarget({ name, ...args.remote, extraArgs: ssh.args, controlDir, connectTimeoutS: args.connectTimeoutS, acceptNewHostKeys: args.acceptNewHostKeys }, env);
  const close = async () => {
    await target.close().catch(() => undefined);
    await rm(controlDir, { recursive: true, force: true }).catch(() => undefined);
  };
  try {
    const c = await target.connect();
    if (!c.ok) throw new UsageError(`${display}: cannot connect (${c.reason}): ${c.detail.split('\n')[0] ?? ''}`);
    const s = await target.stat(root).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
    if (s instanceof Error) throw new UsageError(`${display}: project root ${root}: ${s.message}`);
    if (s === null || !s.isDirectory) throw new UsageError(`${display}: project root ${root} is not a directory on the host (pass --root)`);
    return { target, display, isRoot: c.uid === 0, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/** A host's `<root>/predeploy.yaml` as text and where it came from (`<label>:<path>`), or null when it has none. */
export async function readRemoteConfig(target: Target, label: string, root: string): Promise<{ text: string; source: string } | null> {
  const path = posix.join(root, CONFIG_FILE_NAME);
  const buf = await target.readFile(path, 1024 * 1024);
  return buf === null ? null : { text: buf.toString('utf8'), source: `${label}:${path}` };
}
