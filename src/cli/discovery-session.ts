/**
 * Discovery outside a host run (`predeploy init`, `predeploy config`): a probe session of its
 * own on this machine (or on one ssh host), through the same policies, redactor and probes as `assess`. certbot writes
 * a debug log even to list certificates, so the session gets a scratch folder, removed after.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import { discover, type Discovery } from '../discovery/index.js';
import { createProbeSession } from '../engine/run.js';
import type { Target } from '../engine/types.js';
import { PROBES } from '../probes/index.js';
import type { Redactor } from '../safety/redactor.js';
import { LocalTarget } from '../targets/local.js';
import { removeScratch, type CliIO } from './host-run.js';

export interface DiscoverySessionArgs {
  root: string;
  offline: boolean;
  azureImds: boolean;
  timeoutMs: number;
  /** an ssh host (`--target ssh://…`); default: this machine (or the test's target) */
  target?: Target;
  /** the target's login user is root */
  isRoot?: boolean;
}

/** Discover against a configuration; `configuredFrom` names it in conflict notes. */
export type DiscoverFn = (config: Config, configuredFrom?: string) => Promise<Discovery>;

/** Runs `fn` with a discovery function bound to a session on this machine; cleans up after. */
export async function withDiscovery<T>(args: DiscoverySessionArgs, io: CliIO, redactor: Redactor, err: (s: string) => void, fn: (discover: DiscoverFn) => Promise<T>): Promise<T> {
  const now = io.now ?? (() => new Date());
  const abort = new AbortController();
  const unsubscribe = io.onInterrupt(() => abort.abort());
  // a scratch folder is a folder on this machine: a remote host's certbot gets none (it writes
  // its usual log there, as in a fleet run), never a path that would create folders on the host
  const scratchDir = args.target === undefined ? await mkdtemp(join(tmpdir(), 'predeploy-discovery-')) : undefined;
  try {
    const session = createProbeSession({
      root: args.root,
      ...(scratchDir !== undefined ? { scratchDir } : {}),
      target: args.target ?? io.target ?? new LocalTarget(),
      probes: PROBES,
      offline: args.offline,
      refreshApt: false,
      timeoutMs: args.timeoutMs,
      concurrency: 8,
      isRoot: args.isRoot ?? io.isRoot,
      redactor,
      signal: abort.signal,
      now,
      env: io.env,
    });
    return await fn((config, configuredFrom) =>
      discover(session.scope(config).context('discovery'), { imds: { force: args.azureImds }, ...(configuredFrom !== undefined ? { configuredFrom } : {}) }),
    );
  } finally {
    unsubscribe();
    if (scratchDir !== undefined) await removeScratch(scratchDir, err);
  }
}
