/**
 * `assess` over ssh and over an inventory: one run folder for the fleet
 * (`<out>/<run-id>/`, default out `./_codex_predeploy`), a complete run folder per host inside
 * it, FLEET_SUMMARY.md, fleet.json, fleet.html and the fleet paste-back. Hosts run `--forks` at
 * a time; a host that cannot be reached costs its ConnectTimeout and never stops the others.
 */
import { setMaxListeners } from 'node:events';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { CHECKS } from '../checks/index.js';
import { ConfigError, EXIT, UsageError } from '../engine/errors.js';
import { unknownSelectors } from '../engine/run.js';
import type { Target } from '../engine/types.js';
import { loadInventoryHosts, type FleetHost } from '../inventory/hosts.js';
import { assessedRow, buildFleet, FLEET_HTML_FILE, FLEET_JSON_FILE, FLEET_SUMMARY_FILE, renderFleetHtml, renderFleetPasteBack, renderFleetSummary, type FleetHostRow } from '../reporters/fleet.js';
import { renderPasteBack } from '../reporters/paste-back.js';
import type { Redactor } from '../safety/redactor.js';
import { LocalTarget } from '../targets/local.js';
import { parseTargetSpec, sshTargetName } from '../targets/select.js';
import { checkSshOptions, type SshTarget } from '../targets/ssh.js';
import { newSshTarget, readRemoteConfig } from './remote.js';
import type { AssessArgs } from './args.js';
import { assessHost, SCRATCH_DIR, Timings, toolVersion, type CliIO } from './host-run.js';
import { readEarlierRuns } from './history.js';
import { createRunFolder, generateRunId, RUNS_DIR, validateRunId, writeAtomic } from './run-folder.js';

/** The hosts of this run: the inventory's (after --limit), then each --target. */
async function fleetHosts(args: AssessArgs, sshArgs: string[]): Promise<FleetHost[]> {
  const hosts: FleetHost[] = [];
  if (args.inventory !== undefined) hosts.push(...(await loadInventoryHosts(resolve(args.inventory), args.limit)));
  else if (args.limit !== undefined) throw new UsageError('--limit needs --inventory');
  for (const t of args.targets) {
    const spec = parseTargetSpec(t);
    if (spec.kind === 'local') hosts.push({ name: 'local', connection: 'local', address: 'localhost', sshArgs: [], groups: [] });
    else hosts.push({ name: sshTargetName(spec), connection: 'ssh', address: spec.host, ...(spec.port !== undefined ? { port: spec.port } : {}), ...(spec.user !== undefined ? { user: spec.user } : {}), sshArgs: [], groups: [] });
  }
  for (const host of hosts) host.sshArgs = [...host.sshArgs, ...sshArgs];
  const seen = new Set<string>();
  for (const host of hosts) {
    if (seen.has(host.name)) throw new UsageError(`host "${host.name}" is named twice (inventory and --target, or two --target values)`);
    seen.add(host.name);
  }
  return hosts;
}

/** A folder name for a host: its name with anything but [A-Za-z0-9._@-] as `_`, unique in the fleet. */
function folderNames(hosts: readonly FleetHost[]): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>([SCRATCH_DIR, '.ssh']);
  for (const host of hosts) {
    const base = host.name.replace(/[^A-Za-z0-9._@-]/g, '_').replace(/^\.+/, '_').slice(0, 100) || 'host';
    let name = base;
    for (let i = 2; used.has(name); i++) name = `${base}-${i}`;
    used.add(name);
    out.set(host.name, name);
  }
  return out;
}

/** Runs `fn` over items, at most `n` at once. */
async function pool<T>(items: readonly T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
}

/** The host's configuration: --config / predeploy_config (local files), else `<root>/predeploy.yaml` on the host, else the built-in profile. */
async function hostConfig(args: AssessArgs, host: FleetHost, target: Target, root: string): Promise<{ config: Config; source: string | null }> {
  // unknown check ids in waivers, notApplicable and attestations are refused, as for one host;
  // a host's file that cannot be read is that host's config error, like one host's
  const checkIds = CHECKS.map((c) => c.meta.id);
  const configPath = host.config ?? (args.config !== undefined ? resolve(args.config) : undefined);
  if (configPath !== undefined) return loadConfig({ root: '/nonexistent', configPath, checkIds });
  return loadConfig({ root, checkIds, ...(host.connection === 'ssh' ? { remoteConfig: () => readRemoteConfig(target, host.name, root) } : {}) });
}

/**
 * The host's attestation file is input like its predeploy.yaml: malformed, or naming an unknown
 * check, stops that host with a one-line reason before anything runs (as `assess` does for one
 * host), instead of five go-live checks quietly unknown.
 */
async function hostAttestations(target: Target, root: string): Promise<void> {
  const { loadAttestationFile } = await import('../config/attestations.js');
  await loadAttestationFile(root, (path, max) => target.readFile(path, max), { checkIds: CHECKS.map((c) => c.meta.id) });
}

export async function assessFleet(args: AssessArgs, io: CliIO, redactor: Redactor, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  // Signals and faults are taken from the start, as for one host (cli.ts): one that lands
  // before the fleet's folder exists ends the command there; after that, every host that
  // started writes its files marked incomplete, and those that did not say so.
  const abort = new AbortController();
  // every command in flight on every host listens for the interrupt
  setMaxListeners(0, abort.signal);
  const state: { stopped: string | null; fault?: unknown; folderMade: boolean } = { stopped: null, folderMade: false };
  const stop = (why: string, fault?: unknown) => {
    if (state.stopped !== null) return;
    state.stopped = why;
    if (fault !== undefined) state.fault = fault;
    if (state.folderMade) err(`predeploy: ${why} — writing what the run has so far\n`);
    abort.abort();
  };
  const unsubscribe = io.onInterrupt((signal) => stop(signal));
  const unfault = io.onFault?.((e) => stop(`internal error: ${redactor.redact((e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '')}`, e)) ?? (() => undefined);
  try {
    return await fleetRun(args, io, redactor, out, err, abort.signal, state);
  } finally {
    unsubscribe();
    unfault();
  }
}

async function fleetRun(
  args: AssessArgs,
  io: CliIO,
  redactor: Redactor,
  out: (s: string) => void,
  err: (s: string) => void,
  signal: AbortSignal,
  state: { readonly stopped: string | null; readonly fault?: unknown; folderMade: boolean },
): Promise<number> {
  const now = io.now ?? (() => new Date());
  const generated = args.runId === undefined;
  const runId = validateRunId(args.runId ?? generateRunId(now()));
  const bad = unknownSelectors(CHECKS, [...args.only, ...args.skip]);
  if (bad.length > 0) throw new UsageError(`--only/--skip: unknown section or check "${bad[0]}" (list them with: predeploy checks)`);
  // a capture bundle records one host (its replay is one local run): refused, never silently dropped
  if (args.capture !== undefined) throw new UsageError(`${args.captureOnly === true ? 'capture' : '--capture'} records one host on this machine; it does not apply to --inventory, ssh targets or several targets`);
  const ssh = checkSshOptions(args.sshOptions);
  if (!ssh.ok) throw new UsageError(`--ssh-option: ${ssh.error}`);
  const hosts = await fleetHosts(args, ssh.args);
  for (const host of hosts) {
    const sel = unknownSelectors(CHECKS, [...(host.only ?? []), ...(host.skip ?? [])]);
    if (sel.length > 0) throw new UsageError(`host ${host.name}: predeploy_only/predeploy_skip: unknown section or check "${sel[0]}"`);
  }
  const base = resolve(args.out ?? RUNS_DIR);
  if (state.stopped !== null) {
    if (state.fault !== undefined) throw state.fault;
    err(`predeploy: ${state.stopped} received before the run started; nothing was written\n`);
    return EXIT.interrupted;
  }
  const fleetDir = (await createRunFolder(base, runId)).dir;
  state.folderMade = true;
  const folders = folderNames(hosts);
  const ranFrom = `the machine predeploy ran on (${hostname()})`;
  const single = hosts.length === 1;
  const note = (s: string) => {
    if (!args.quiet) err(`${s}\n`);
  };
  err(`predeploy: run ${runId}${generated ? ' (generated)' : ''} → ${fleetDir} (${hosts.length} host${single ? '' : 's'}, ${Math.min(args.forks, hosts.length)} at once)\n`);

  // ControlMaster sockets: unix socket paths are capped at ~108 bytes, and ssh adds a random
  // suffix while it creates one; use the run folder when short enough, else a private temp folder.
  const inRun = join(fleetDir, '.ssh');
  const controlDir = inRun.length <= 60 ? inRun : await mkdtemp(join(tmpdir(), 'pd-ssh-'));
  await mkdir(controlDir, { recursive: true, mode: 0o700 });

  const started = now();
  const rows: FleetHostRow[] = [];
  const gate: string[] = [];
  let incomplete = false;
  let singleReport: string | undefined;
  try {
    await pool(hosts, args.forks, async (host) => {
      const folder = folders.get(host.name)!;
      // exclusive, like a single run's folder: a host never writes into another one's
      const { dir } = await createRunFolder(fleetDir, folder);
      const t0 = performance.now();
      const display = host.connection === 'local' ? 'local' : `ssh://${sshTargetName({ host: host.address, ...(host.user !== undefined ? { user: host.user } : {}), ...(host.port !== undefined ? { port: host.port } : {}) })}`;
      const base = { name: host.name, target: display, groups: host.groups, folder };
      const down = async (kind: 'unreachable' | 'error', reason: string, detail: string) => {
        const durationMs = Math.round(performance.now() - t0);
        rows.push({ ...base, state: kind, reason, detail, durationMs });
        note(`predeploy: ✗ ${host.name}: ${reason}: ${detail}`);
        // the host folder says why it holds no report
        await writeAtomic(dir, 'NOT_ASSESSED.txt', redactor.redact(`${host.name} (${display}) was not assessed in run ${runId}: ${reason}\n${detail}\n`));
      };
      if (signal.aborted) return down('error', 'interrupted', 'the run was interrupted before this host started');
      let target: Target;
      let ssh: SshTarget | undefined;
      let isRoot = io.isRoot;
      if (host.connection === 'local') {
        target = io.target ?? new LocalTarget();
      } else {
        ssh = newSshTarget(
          {
            name: host.name,
            host: host.address,
            ...(host.user !== undefined ? { user: host.user } : {}),
            ...(host.port !== undefined ? { port: host.port } : {}),
            ...(host.identityFile !== undefined ? { identityFile: host.identityFile } : {}),
            extraArgs: host.sshArgs,
            controlDir,
            connectTimeoutS: args.connectTimeoutS,
            acceptNewHostKeys: args.acceptNewHostKeys,
          },
          io.env,
        );
        const c = await ssh.connect();
        if (!c.ok) return down('unreachable', c.reason, c.detail);
        isRoot = c.uid === 0;
        target = ssh;
      }
      try {
        const root = host.root ?? args.root;
        const rootStat = await target.stat(root).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
        if (rootStat instanceof Error) return await down('error', 'root-unreadable', `project root ${root}: ${rootStat.message}`);
        if (rootStat === null || !rootStat.isDirectory) return await down('error', 'root-missing', `project root ${root} is not a directory on the host (set predeploy_root or --root)`);
        let loaded: { config: Config; source: string | null };
        try {
          loaded = await hostConfig(args, host, target, root);
          await hostAttestations(target, root);
        } catch (e) {
          if (e instanceof ConfigError || e instanceof UsageError) return await down('error', 'config', e.message);
          throw e;
        }
        const timings = args.timings ? new Timings(host.name) : undefined;
        const r = await assessHost({
          args,
          io,
          ...(timings !== undefined ? { timings } : {}),
          redactor,
          runId,
          dir,
          root,
          config: loaded.config,
          source: loaded.source,
          target,
          isRoot,
          // tools that write even to list things write into the host's folder only on this machine
          scratch: host.connection === 'local',
          earlier: () => readEarlierRuns(base_(args), runId, folder).catch(() => ({ runs: [], notes: [] })),
          signal,
          stoppedBy: () => state.stopped,
          only: host.only ?? args.only,
          skip: host.skip ?? args.skip,
          ...(host.connection === 'ssh' ? { webFrom: ranFrom } : {}),
        });
        const durationMs = Math.round(performance.now() - t0);
        rows.push({ ...assessedRow({ ...base, durationMs }, r.report), gateFailures: r.failures });
        if (r.incomplete) incomplete = true;
        for (const f of r.failures) gate.push(`${host.name}: ${f}`);
        if (single) singleReport = renderPasteBack(r.report);
        // per host: its phases and its three slowest probes (a fleet's every probe would be pages)
        if (timings !== undefined) err(timings.render(r.outcomes, 3));
        note(`predeploy: ${r.incomplete ? '…' : '✓'} ${host.name}: ${r.incomplete ? 'INCOMPLETE, ' : ''}${r.report.verdict}, score ${r.report.score ?? '—'} (${(durationMs / 1000).toFixed(1)} s)`);
      } finally {
        await ssh?.close();
      }
    });
  } finally {
    await rm(controlDir, { recursive: true, force: true }).catch(() => undefined);
  }
  const finished = now();
  const fleet = redactor.redactDeep(
    buildFleet(
      {
        runId,
        outDir: fleetDir,
        startedAt: started.toISOString(),
        finishedAt: finished.toISOString(),
        durationMs: finished.getTime() - started.getTime(),
        ranFrom,
        ...(args.inventory !== undefined ? { inventory: resolve(args.inventory) } : {}),
        ...(args.limit !== undefined ? { limit: args.limit } : {}),
        forks: args.forks,
        ...(incomplete || state.stopped !== null ? { incomplete: true } : {}),
      },
      rows,
    ),
  );
  await Promise.all([
    writeAtomic(fleetDir, FLEET_SUMMARY_FILE, redactor.redact(renderFleetSummary(fleet))),
    writeAtomic(fleetDir, FLEET_JSON_FILE, JSON.stringify({ ...fleet, tool: { name: 'predeploy', version: toolVersion() } }, null, 2) + '\n'),
    writeAtomic(fleetDir, FLEET_HTML_FILE, redactor.redact(renderFleetHtml(fleet))),
  ]);
  if (state.fault !== undefined) throw state.fault;
  out(single && singleReport !== undefined ? singleReport : renderFleetPasteBack(fleet));
  if (incomplete || state.stopped !== null) return EXIT.interrupted;
  // the gates apply to the worst host; a host that could not be assessed fails any gate
  const gated = args.failUnder !== undefined || args.failOn.length > 0;
  const notAssessed = fleet.hosts.filter((r) => r.state !== 'assessed').map((r) => `${r.name}: not assessed (${r.reason ?? r.state})`);
  const failures = gated ? [...gate, ...notAssessed] : [];
  if (failures.length > 0) {
    err(`predeploy: gate failed: ${failures.slice(0, 10).join('; ')}${failures.length > 10 ? `; … ${failures.length - 10} more` : ''}\n`);
    return EXIT.gateFailed;
  }
  return EXIT.done;
}

const base_ = (args: AssessArgs): string => resolve(args.out ?? RUNS_DIR);
