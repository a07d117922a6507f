/**
 * The CLI, process-free so tests can drive it in-process: `runCli(argv, io)` returns the exit
 * code. `main.ts` binds it to the real process. Known errors print one line; unknown ones are
 * bugs and are re-thrown.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { loadConfig } from '../config/load.js';
import { join, resolve } from 'node:path';
import { CHECKS, findCheck } from '../checks/index.js';
import { EXIT, PredeployError, UsageError } from '../engine/errors.js';
import { unknownSelectors } from '../engine/run.js';
import { SECTIONS } from '../engine/types.js';
import { ATTESTATION_FILE_NAME } from '../config/tbd.js';
import { applyDiscovery, type DiscoveredValue } from '../discovery/index.js';
import { PROBES } from '../probes/index.js';
import { diffRuns, renderDiffText } from '../reporters/diff.js';
import { renderPasteBack } from '../reporters/paste-back.js';
import { LOG_FILE } from '../reporters/text.js';
import { Redactor } from '../safety/redactor.js';
import { LocalTarget } from '../targets/local.js';
import { parseCommand, renderCommandHelp, renderHelp, type AssessArgs, type ConfigArgs, type DiffArgs, type InitArgs } from './args.js';
import { runInit } from './init.js';
import { withDiscovery } from './discovery-session.js';
import type { RemoteHost } from './remote.js';
import { renderCatalog, renderExplain, suggestCheckIds } from './catalog.js';
import { readEarlierRuns } from './history.js';
import { createProgress, progressMode } from './progress.js';
import { stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { Config } from '../config/schema.js';
import { BundleError, parseBundle, readBundleFiles } from '../evidence/bundle.js';
import { captureFiles, replayInputs, startCapture } from '../evidence/capture.js';
import { BUNDLE_LOG, BUNDLE_REPORT, type Bundle } from '../evidence/format.js';
import { REPLAY_PREFIX, replaySource } from '../targets/replay.js';
import { archivePath, verifyPath, writeBundle } from './evidence.js';
import { assertRootDir, createRunFolder, generateRunId, RUNS_DIR, validateRunId } from './run-folder.js';
import { assessHost, removeScratch, Timings, toolVersion, type CliIO } from './host-run.js';

export type { CliIO };
export { toolVersion };

export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const redactor = new Redactor();
  const out = (s: string) => io.stdout(redactor.redact(s));
  const err = (s: string) => io.stderr(redactor.redact(s));
  try {
    const cmd = parseCommand(argv, io.env);
    switch (cmd.kind) {
      case 'help':
        out(cmd.topic !== undefined ? renderCommandHelp(cmd.topic) : renderHelp());
        return EXIT.done;
      case 'usage':
        // no command: the help, as an error (stdout stays for what a command prints)
        err(renderHelp());
        return EXIT.badInput;
      case 'version':
        out(`predeploy ${toolVersion()}\n`);
        return EXIT.done;
      case 'checks':
        out(renderCatalog(CHECKS, PROBES, cmd.json));
        return EXIT.done;
      case 'explain': {
        const check = findCheck(cmd.id);
        if (!check) throw unknownCheck(cmd.id);
        out(renderExplain(check, PROBES));
        return EXIT.done;
      }
      case 'config':
        return await showConfig(cmd.args, io, redactor, out, err);
      case 'assess':
        return await assess(cmd.args, io, redactor, out, err);
      case 'diff':
        return await diff(cmd.args, io, redactor, out);
      case 'init':
        return await init(cmd.args, io, redactor, out, err);
      case 'verify': {
        const v = await verifyPath(resolve(cmd.args.path), cmd.args.allowedSigners !== undefined ? resolve(cmd.args.allowedSigners) : undefined);
        (v.ok ? out : err)(v.lines.join('\n') + '\n');
        return v.ok ? EXIT.done : EXIT.gateFailed;
      }
    }
  } catch (e) {
    if (e instanceof PredeployError) {
      // one line per problem (a config file lists every problem it has, each file:line:col)
      err(e.message.split('\n').map((line) => `predeploy: ${line}\n`).join(''));
      return e.exitCode;
    }
    // A bug: re-throw, but its message and stack pass the redactor like every other byte.
    const bug = new Error(redactor.redact(e instanceof Error ? e.message : String(e)));
    bug.stack = redactor.redact((e instanceof Error ? e.stack : undefined) ?? bug.message);
    throw bug;
  }
}

/** `explain <word>` for a word that is no check id: the ids it may mean, in one line. */
function unknownCheck(word: string): UsageError {
  const shown = /^[A-Za-z0-9._-]{1,60}$/.test(word) ? `"${word}"` : '(not shown)';
  const ids = suggestCheckIds(word, CHECKS);
  if (ids.length === 0) return new UsageError(`unknown check ${shown} (list them with: predeploy checks)`);
  if (SECTIONS.some((s) => s.id === word)) return new UsageError(`${shown} is a section, not a check; its checks: ${ids.join(', ')} (predeploy explain <id>)`);
  const many = ids.length > 8 ? `${ids.slice(0, 8).join(', ')}, … (${ids.length} in all; predeploy checks)` : ids.join(', ');
  return new UsageError(`unknown check ${shown}; did you mean ${ids.length === 1 ? many : `one of: ${many}`}? (predeploy explain <id>)`);
}

/** `predeploy config`: the effective configuration and where each value came from. */
async function showConfig(args: ConfigArgs, io: CliIO, redactor: Redactor, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const remote = args.remote !== undefined ? await (await import('./remote.js')).openRemote({ ...args, remote: args.remote }, args.root, io.env) : undefined;
  try {
    return await showConfigOn(args, io, redactor, out, err, remote);
  } finally {
    await remote?.close();
  }
}

async function showConfigOn(args: ConfigArgs, io: CliIO, redactor: Redactor, out: (s: string) => void, err: (s: string) => void, remote: RemoteHost | undefined): Promise<number> {
  const root = remote ? args.root : resolve(args.root);
  const checkIds = CHECKS.map((c) => c.meta.id);
  const loaded = await loadConfig({
    root,
    checkIds,
    ...(args.config !== undefined ? { configPath: resolve(args.config) } : remote ? { remoteConfig: async () => (await import('./remote.js')).readRemoteConfig(remote.target, remote.display, root) } : {}),
  });
  const { source } = loaded;
  // What assess would use: without a config file, discovery fills what the profile leaves undecided;
  // with one, discovery only reports where it disagrees (the configuration wins).
  const found = args.noDiscovery
    ? undefined
    : await withDiscovery({ ...args, root, ...(remote ? { target: remote.target, isRoot: remote.isRoot } : {}) }, io, redactor, err, (d) => d(loaded.config, source ?? 'the built-in profile'));
  const { config, applied } = found && source === null ? applyDiscovery(loaded.config, found) : { config: loaded.config, applied: [] as DiscoveredValue[] };
  const provenance = new Map([...loaded.provenance, ...applied.map((v) => [v.path, v.provenance] as const)]);
  const { configView, configViewJson, renderConfigView } = await import('./config-view.js');
  const rootFrom = args.rootFrom;
  const view = configView({ config, provenance, source, root: { path: remote ? `${remote.display}:${root}` : root, from: rootFrom }, env: io.env, ...(found ? { discovery: found } : {}) });
  // JSON is redacted as a structure, then serialized (patterns over serialized JSON could break it)
  if (args.json) io.stdout(JSON.stringify(redactor.redactDeep(configViewJson(view)), null, 2) + '\n');
  else out(renderConfigView(view));
  return EXIT.done;
}

async function assess(
  args: AssessArgs,
  io: CliIO,
  redactor: Redactor,
  out: (s: string) => void,
  err: (s: string) => void,
): Promise<number> {
  // a fleet: an inventory, several targets, or a host over ssh (a replay is one local run)
  if (args.inventory !== undefined || args.targets.length > 1 || args.targets.some((t) => t !== 'local' && !t.startsWith(REPLAY_PREFIX))) {
    const { assessFleet } = await import('./fleet.js');
    return await assessFleet(args, io, redactor, out, err);
  }
  const now = io.now ?? (() => new Date());
  const timings = new Timings();
  // Signals and faults are taken from the very start. One that lands before the run folder
  // exists ends the command there (nothing was written); after that, the files are written
  // marked incomplete. A second one is ignored: the files are being written.
  const abort = new AbortController();
  // a holder, not a `let`: the handlers set it while the code below awaits
  const state: { stopped: Stop | null; folderMade: boolean } = { stopped: null, folderMade: false };
  let note = (line: string) => err(`${line}\n`);
  const stop = (why: string, fault?: unknown) => {
    if (state.stopped !== null) return;
    state.stopped = fault !== undefined ? { why, fault } : { why };
    if (state.folderMade) note(`predeploy: ${why} — writing what the run has so far`);
    abort.abort();
  };
  const unsubscribe = io.onInterrupt((signal) => stop(signal));
  const unfault = io.onFault?.((e) => stop(`internal error: ${redactor.redact(errorMessage(e))}`, e)) ?? (() => undefined);
  try {
    // Validate everything before touching the disk: a bad input changes nothing.
    const generated = args.runId === undefined;
    let runId = validateRunId(args.runId ?? generateRunId(now()));
    // --target replay:DIR: the bundle gives the root, the config, the options and the clock
    const replayFrom = args.target !== undefined ? replaySource(args.target) : undefined;
    const bundle = replayFrom !== undefined ? await loadBundle(replayFrom) : undefined;
    const root = bundle ? bundle.manifest.root : await assertRootDir(args.root);
    const bad = unknownSelectors(CHECKS, [...args.only, ...args.skip]);
    if (bad.length > 0) throw new UsageError(`--only/--skip: unknown section or check "${bad[0]}" (list them with: predeploy checks)`);
    // zod and yaml load only when there is a predeploy.yaml to parse (config/load.ts)
    // unknown check ids in waivers, notApplicable and attestations are refused here (exit 2)
    const checkIds = CHECKS.map((c) => c.meta.id);
    const { config: loaded, source } = bundle
      ? { config: bundle.config as Config, source: bundle.manifest.configSource }
      : await loadConfig({ root, checkIds, ...(args.config !== undefined ? { configPath: resolve(args.config) } : {}) });
    timings.mark('config');
    const local = io.target ?? new LocalTarget();
    // zod and yaml load only when there is an attestation file to check (a stat error: it is checked)
    const attestationFile = bundle ? null : await local.stat(join(root, ATTESTATION_FILE_NAME)).catch(() => true);
    if (attestationFile !== null) {
      // The attestation file is input like predeploy.yaml: malformed is exit 2 here, before anything
      // runs, not five go-live checks quietly unknown. (The probe reads it again, for the log.)
      const { loadAttestationFile } = await import('../config/attestations.js');
      await loadAttestationFile(root, (path, max) => local.readFile(path, max), { checkIds });
    }
    const early = interruptedBeforeStart(state.stopped, err);
    if (early !== null) return early;
    // a replay's runs go under the current folder: the captured root need not exist here
    const base = args.out !== undefined ? resolve(args.out) : bundle ? resolve(RUNS_DIR) : join(root, RUNS_DIR);
    const bundleOut = args.capture !== undefined ? resolve(args.capture) : undefined;
    if (bundleOut !== undefined && (await stat(args.archive ? archivePath(bundleOut) : bundleOut).catch(() => null))) {
      throw new UsageError(`${args.archive ? archivePath(bundleOut) : bundleOut} exists; a bundle is never overwritten (choose another path)`);
    }
    // `capture` writes only its bundle: the run folder is a private temp folder, removed at the end
    const folder = args.captureOnly === true ? { dir: await mkdtemp(join(tmpdir(), 'predeploy-capture-')), runId } : await createRunFolder(base, runId, generated ? () => generateRunId(now()) : undefined);
    const dir = folder.dir;
    runId = folder.runId;
    state.folderMade = true;
    err(`predeploy: run ${runId}${generated ? ' (generated)' : ''} → ${args.captureOnly === true ? (args.archive ? archivePath(bundleOut ?? '') : (bundleOut ?? '')) : dir}${bundle ? ` (replay of ${bundle.source}, as of ${bundle.manifest.createdAt})` : ''}\n`);
    const replay = bundle ? replayInputs(bundle, PROBES) : undefined;
    const progress = createProgress({
      ...progressMode({ quiet: args.quiet, isTTY: io.isTTY === true, env: io.env }),
      write: err,
      ...(io.columns !== undefined ? { columns: io.columns } : {}),
      tickMs: 120,
    });
    // Above the live progress lines, so the redraw stays in step.
    note = (line) => progress.note(line);
    if (state.stopped !== null) note(`predeploy: ${state.stopped.why} — writing what the run has so far`);
    // A capture records what the probes see through the target, the HTTP transport and the
    // environment; a replay answers all three from its bundle (src/evidence, src/targets/replay.ts).
    let capture: ReturnType<typeof startCapture> | undefined;
    try {
      const h = await assessHost({
        args,
        io,
        redactor,
        runId,
        dir,
        root,
        config: loaded,
        source,
        target: replay?.target ?? local,
        ...(bundle ? { targetName: `${REPLAY_PREFIX}${bundle.source}`, discover: false } : {}),
        isRoot: io.isRoot,
        scratch: true,
        // earlier runs in the same output folder (the trend, the change since the last run)
        earlier: () => readEarlierRuns(base, runId).catch((e: unknown) => ({ runs: [], notes: [`earlier runs in ${base} could not be read (${errorMessage(e)})`] })),
        signal: abort.signal,
        stoppedBy: () => state.stopped?.why ?? null,
        timings,
        onProbe: (e) => progress.onProbe(e),
        onRunEnd: () => progress.stop(),
        only: args.only,
        skip: args.skip,
        instrument: (sink) => {
          capture = bundleOut !== undefined ? startCapture({ target: local, redactor, now, env: io.env, sink }) : undefined;
          return { ...capture?.options, ...replay };
        },
        writeFiles: args.captureOnly !== true,
      });
      if (capture && bundleOut !== undefined) {
        const extra = new Map([
          [BUNDLE_REPORT, h.files.get('report.json') ?? ''],
          [BUNDLE_LOG, h.files.get(LOG_FILE) ?? ''],
        ]);
        const bundleFiles = captureFiles(capture, h.run, h.options, { toolVersion: toolVersion(), host: hostname(), runId, root, configSource: source }, extra);
        const written = await writeBundle(bundleOut, bundleFiles, { archive: args.archive, ...(args.signWith !== undefined ? { signWith: args.signWith } : {}), mtime: h.run.startedAt.getTime() });
        err(`predeploy: capture bundle → ${written}\n`);
        timings.mark('capture');
      }
      const why = state.stopped;
      if (why?.fault !== undefined) throw why.fault;
      out(renderPasteBack(h.report));
      if (args.timings) err(timings.render(h.outcomes));
      if (h.incomplete) return EXIT.interrupted;
      if (h.failures.length > 0) {
        err(`predeploy: gate failed: ${h.failures.join('; ')}\n`);
        return EXIT.gateFailed;
      }
      return EXIT.done;
    } finally {
      progress.stop();
      // `capture`: the run folder was a private temp folder
      if (args.captureOnly === true) await removeScratch(dir, err);
    }
  } finally {
    unsubscribe();
    unfault();
  }
}

/** Why a run stopped early: a signal's name, or an internal error with the error itself. */
interface Stop {
  why: string;
  fault?: unknown;
}

const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';

/** A signal before the run folder exists: nothing was written; one line, exit 3. */
function interruptedBeforeStart(stopped: Stop | null, err: (s: string) => void): number | null {
  if (stopped === null) return null;
  if (stopped.fault !== undefined) throw stopped.fault;
  err(`predeploy: ${stopped.why} received before the run started; nothing was written\n`);
  return EXIT.interrupted;
}

/**
 * `predeploy diff [A] [B] [--host NAME]`: text or JSON on stdout; exit 0, or 2 for runs that
 * cannot be read or compared. Two single-host runs compare check by check; two fleet runs host
 * by host (src/reporters/fleet-diff.ts); `--host` compares one host of fleet runs, also with a
 * single-host run.
 */
async function diff(args: DiffArgs, io: CliIO, redactor: Redactor, out: (s: string) => void): Promise<number> {
  // where runs are: --out, else <root>/_codex_predeploy; when no place was named at all, also
  // ./_codex_predeploy, where fleet, ssh and replay runs go by default
  const bases =
    args.out !== undefined ? [resolve(args.out)] : [...new Set([join(resolve(args.root), RUNS_DIR), ...(args.defaultPlace ? [resolve(RUNS_DIR)] : [])])];
  const where = bases.join(' and ');
  const { hostRun, hostRunOrNull, loadNamedAnyRun, readAllRuns } = await import('./fleet-history.js');
  type Any = Awaited<ReturnType<typeof loadNamedAnyRun>>;
  const host = args.host;
  // with --host, each fleet run stands for that host's run in it
  const asHost = (r: Any): Any => {
    if (host === undefined) return r;
    const run = hostRun(r, host);
    return { kind: 'single', run, runId: r.runId, startedAt: r.startedAt, scope: run.scope };
  };
  const key = (r: Any) => `${r.kind} ${r.scope}`;
  let from: Any;
  let to: Any;
  if (args.a !== undefined && args.b !== undefined) {
    const [a, b] = await Promise.all([loadNamedAnyRun(args.a, bases), loadNamedAnyRun(args.b, bases)]);
    if (host !== undefined && a.kind !== 'fleet' && b.kind !== 'fleet') throw new UsageError(`diff: --host ${host}: neither ${a.runId} nor ${b.runId} is a fleet run (--host picks a host of a fleet run)`);
    [from, to] = [asHost(a), asHost(b)];
  } else {
    // by default a run is compared only with a run of the same kind (fleet or single host) and
    // the same scope: a partial run (--only, --skip, --offline) is never compared as if it were full
    const all = (await readAllRuns(bases)).runs;
    const runs: Any[] =
      host === undefined
        ? all
        : all.flatMap((r): Any[] => {
            const run = hostRunOrNull(r, host);
            return run === null ? [] : [{ kind: 'single', run, runId: r.runId, startedAt: r.startedAt, scope: run.scope }];
          });
    const what = host === undefined ? 'runs' : `fleet runs with host ${host} assessed`;
    if (args.a !== undefined) {
      from = asHost(await loadNamedAnyRun(args.a, bases));
      const f = from;
      const later = runs.filter((r) => r.runId !== f.runId && key(r) === key(f)).at(-1);
      if (later === undefined) throw new UsageError(`diff: no other complete ${f.kind === 'fleet' ? 'fleet run' : host === undefined ? 'run' : `run of host ${host}`} of the same scope (${f.scope}) in ${where} to compare ${f.runId} with; name both runs`);
      to = later;
    } else {
      const latest = runs.at(-1);
      const earlier = latest === undefined ? undefined : runs.filter((r) => r.runId !== latest.runId && key(r) === key(latest)).at(-1);
      if (latest === undefined || earlier === undefined) {
        const scope =
          latest !== undefined && runs.length > 1
            ? `, none of them earlier than ${latest.runId} with its scope (${latest.scope}) and kind (${latest.kind === 'fleet' ? 'fleet run' : 'single-host run'}): a partial run (--only/--skip/--offline) is compared only with a run of the same scope, a fleet run only with a fleet run, or when named`
            : '';
        throw new UsageError(`diff: needs two complete ${what} in ${where}, found ${runs.length}${scope} (pass --root or --out, or name the runs)`);
      }
      [from, to] = [earlier, latest];
    }
  }
  // The runs' JSON files were redacted when written; this passes the redactor again. JSON is
  // redacted as a structure and then serialized (patterns over serialized JSON could break it).
  if (from.kind === 'fleet' && to.kind === 'fleet') {
    const { diffFleets, renderFleetDiffText } = await import('../reporters/fleet-diff.js');
    const d = diffFleets(from.input, to.input);
    if (args.json) io.stdout(JSON.stringify(redactor.redactDeep(d), null, 2) + '\n');
    else out(renderFleetDiffText(d));
    return EXIT.done;
  }
  if (from.kind === 'single' && to.kind === 'single') {
    const d = diffRuns(from.run, to.run);
    if (args.json) io.stdout(JSON.stringify(redactor.redactDeep(host !== undefined ? { host, ...d } : d), null, 2) + '\n');
    else {
      const text = renderDiffText(d);
      // the host under the title line: the run ids are the fleet runs'
      out(host === undefined ? text : text.replace('\n', `\nhost: ${host}\n`));
    }
    return EXIT.done;
  }
  const [fleet, one] = from.kind === 'fleet' ? [from, to] : [to, from];
  throw new UsageError(`diff: ${fleet.runId} is a fleet run and ${one.runId} is a single-host run; compare one host of the fleet with it: --host NAME`);
}

/** `predeploy init`: discovery on this machine, written as predeploy.yaml and an attestation template. */
async function init(args: InitArgs, io: CliIO, redactor: Redactor, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  // over ssh the files are written here (--out), never on the host
  const outDir = args.out !== undefined ? await assertRootDir(args.out) : undefined;
  const remote = args.remote !== undefined ? await (await import('./remote.js')).openRemote({ ...args, remote: args.remote }, args.root, io.env) : undefined;
  try {
    const root = remote ? args.root : await assertRootDir(args.root);
    const now = io.now ?? (() => new Date());
    const attestable = CHECKS.filter((c) => c.requires.includes('project.attestations') || (c.uses ?? []).includes('project.attestations')).map((c) => ({ id: c.meta.id, title: c.meta.title }));
    return await withDiscovery({ ...args, root, ...(remote ? { target: remote.target, isRoot: remote.isRoot } : {}) }, io, redactor, err, (discover) =>
      runInit({
        root,
        ...(outDir !== undefined ? { outDir } : {}),
        ...(remote ? { remote: remote.display } : {}),
        force: args.force,
        now: now(),
        attestable,
        discover: (profile) => discover(profile),
        redact: (s) => redactor.redact(s),
        out,
        err,
      }),
    );
  } finally {
    await remote?.close();
  }
}

/** A replay's bundle; anything wrong with it is bad input (exit 2), in one line. */
async function loadBundle(path: string): Promise<Bundle> {
  const abs = resolve(path);
  let files;
  try {
    files = await readBundleFiles(abs);
  } catch (e) {
    throw new UsageError(`--target replay:${path}: cannot read the bundle (${e instanceof Error && 'code' in e ? String(e.code) : e instanceof Error ? e.message : String(e)})`);
  }
  try {
    return parseBundle(files, abs);
  } catch (e) {
    if (e instanceof BundleError) throw new UsageError(`--target replay:${path}: ${e.message}`);
    throw e;
  }
}
