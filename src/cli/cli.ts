/**
 * The CLI, process-free so tests can drive it in-process: `runCli(argv, io)` returns the exit
 * code. `main.ts` binds it to the real process. Known errors print one line; unknown ones are
 * bugs and are re-thrown.
 */
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { loadConfig } from '../config/load.js';
import { join, resolve } from 'node:path';
import { CHECKS, findCheck } from '../checks/index.js';
import { EXIT, PredeployError, UsageError } from '../engine/errors.js';
import { createProbeSession, runAssessment, unfinishedRun, unknownSelectors, wantedProbes } from '../engine/run.js';
import { SECTIONS } from '../engine/types.js';
import { ATTESTATION_FILE_NAME } from '../config/tbd.js';
import { applyDiscovery, discover, type DiscoveredValue } from '../discovery/index.js';
import { PROBES } from '../probes/index.js';
import { renderCommandsLog, renderStreamingLogHead } from '../reporters/commands-log.js';
import { diffRuns, renderDiffText, type RunSummary } from '../reporters/diff.js';
import { buildReport, type Report, type RunMeta } from '../reporters/model.js';
import { renderPasteBack } from '../reporters/paste-back.js';
import { LOG_FILE } from '../reporters/text.js';
import { Redactor } from '../safety/redactor.js';
import { LocalTarget } from '../targets/local.js';
import { parseCommand, renderCommandHelp, renderHelp, type AssessArgs, type ConfigArgs, type DiffArgs, type InitArgs } from './args.js';
import { runInit } from './init.js';
import { renderCatalog, renderExplain, suggestCheckIds } from './catalog.js';
import { loadNamedRun, readEarlierRuns } from './history.js';
import { createProgress, progressMode } from './progress.js';
import { stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { Config } from '../config/schema.js';
import type { RunOptions } from '../engine/run.js';
import { BundleError, parseBundle, readBundleFiles } from '../evidence/bundle.js';
import { captureFiles, replayInputs, startCapture } from '../evidence/capture.js';
import { BUNDLE_LOG, BUNDLE_REPORT, SIG_FILE, SUMS_FILE, type Bundle } from '../evidence/format.js';
import { chainEntries } from '../safety/command-log.js';
import { chainSummary } from '../safety/log-chain.js';
import { REPLAY_PREFIX, replaySource } from '../targets/replay.js';
import { archivePath, sealFolder, verifyPath, writeBundle } from './evidence.js';
import { LogStream } from './log-stream.js';
import { assertRootDir, createRunFolder, generateRunId, resourceError, RUNS_DIR, validateRunId, writeFilesAtomic } from './run-folder.js';
import { discoverWith, discoveryForReport, gateFailures, removeScratch, SCRATCH_DIR, Timings, toolVersion, type CliIO } from './host-run.js';

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
        return await showConfig(cmd.args, io, redactor, out);
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
async function showConfig(args: ConfigArgs, io: CliIO, redactor: Redactor, out: (s: string) => void): Promise<number> {
  const root = resolve(args.root);
  const { config, source, provenance } = await loadConfig({
    root,
    checkIds: CHECKS.map((c) => c.meta.id),
    ...(args.config !== undefined ? { configPath: resolve(args.config) } : {}),
  });
  const { configView, configViewJson, renderConfigView } = await import('./config-view.js');
  const rootFrom = args.rootFrom;
  const view = configView({ config, provenance, source, root: { path: root, from: rootFrom }, env: io.env });
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
  const cleanups: (() => void)[] = [];
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
    const { REPORTERS, reportersFor, serializeJson } = await import('../reporters/index.js');
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
    const target = replay?.target ?? local;
    const names = reportersFor(args.formats);
    const startedAt = now();
    const metaOf = (m: Pick<RunMeta, 'finishedAt' | 'durationMs' | 'incomplete' | 'skipped' | 'logEntries'> & { stopped?: string; startedAt?: string }): RunMeta => ({
      runId,
      tool: { name: 'predeploy', version: toolVersion() },
      root,
      outDir: dir,
      target: bundle ? `${REPLAY_PREFIX}${bundle.source}` : target.name,
      profile: loaded.profile,
      configSource: source,
      startedAt: startedAt.toISOString(),
      offline: args.offline,
      partial: args.only.length > 0 || args.skip.length > 0 || args.offline,
      files: [...names.map((n) => REPORTERS[n].file), LOG_FILE, SUMS_FILE, ...(args.signWith !== undefined ? [SIG_FILE] : [])],
      ...m,
    });
    /** The report files from a report; every text passes the redactor once more when written. */
    const reportFiles = (report: Report): [string, string][] =>
      names.map((n) => {
        const r = REPORTERS[n];
        return [r.file, r.kind === 'json' ? serializeJson(redactor.redactDeep(r.build(report))) : redactor.redact(r.render(report))];
      });

    // From here on the folder always holds the four files. First the commands log, streamed as
    // the run goes, and a report that says the run has not finished; both are replaced
    // atomically at the end. A kill -9 leaves exactly these: the entries so far, and a report
    // that says the run did not finish. A folder that cannot be written is removed again: it
    // holds nothing of value, and the run id stays free.
    const stream = await startRunFolder(dir, () => new LogStream(dir, renderStreamingLogHead(metaOf({ finishedAt: startedAt.toISOString(), durationMs: 0, incomplete: true, skipped: [], logEntries: 0 }))), async () => {
      const pending = unfinishedRun({ config: loaded, checks: CHECKS, only: args.only, skip: args.skip }, startedAt, 'the run has not finished');
      const meta = metaOf({
        finishedAt: startedAt.toISOString(),
        durationMs: 0,
        incomplete: true,
        stopped: 'the run has not finished: it is still running, or it was killed before it could write its results (the commands log holds every call it completed)',
        skipped: pending.skipped,
        logEntries: 0,
      });
      const report = redactor.redactDeep(buildReport({ meta, results: pending.results, scores: pending.scores, waivers: pending.waivers }));
      await writeFilesAtomic(dir, reportFiles(report));
    });
    // For tools that write even to list things (certbot): inside the run folder, removed at the
    // end, and on any exit that runs code (not kill -9).
    const scratchDir = join(dir, SCRATCH_DIR);
    try {
      await mkdir(scratchDir, { mode: 0o700 });
    } catch (e) {
      await stream.close();
      throw resourceError(scratchDir, e);
    }
    const removeNow = () => {
      try {
        rmSync(scratchDir, { recursive: true, force: true });
      } catch {
        // the process is exiting: nothing left to report to
      }
    };
    cleanups.push(io.atExit?.(removeNow) ?? (() => undefined));

    // Earlier runs in the same output folder (the trend, the change since the last run): read
    // while the probes run, not before them.
    const earlierRuns = readEarlierRuns(base, runId).catch((e: unknown) => ({ runs: [], notes: [`earlier runs in ${base} could not be read (${errorMessage(e)})`] }));
    const progress = createProgress({
      ...progressMode({ quiet: args.quiet, isTTY: io.isTTY === true, env: io.env }),
      write: err,
      ...(io.columns !== undefined ? { columns: io.columns } : {}),
      tickMs: 120,
    });
    // Above the live progress lines, so the redraw stays in step.
    note = (line) => progress.note(line);
    if (state.stopped !== null) note(`predeploy: ${state.stopped.why} — writing what the run has so far`);
    try {
      // A capture records what the probes see through the target, the HTTP transport and the
      // environment; a replay answers all three from its bundle (src/evidence, src/targets/replay.ts).
      const capture = bundleOut !== undefined ? startCapture({ target: local, redactor, now, env: io.env, sink: stream }) : undefined;
      const runOptions: RunOptions = {
        config: loaded,
        configSource: source,
        root,
        target,
        checks: CHECKS,
        probes: PROBES,
        only: args.only,
        skip: args.skip,
        offline: args.offline,
        refreshApt: args.refreshApt,
        timeoutMs: args.timeoutMs,
        concurrency: args.concurrency,
        isRoot: io.isRoot,
        redactor,
        signal: abort.signal,
        now,
        scratchDir,
        env: io.env,
        logSink: stream,
        onProbe: (e) => progress.onProbe(e),
        ...capture?.options,
        ...replay,
      };
      const session = createProbeSession(runOptions);
      timings.mark('setup');
      // Probes that read no configuration start now and run while discovery waits.
      session.prewarm(loaded, wantedProbes(CHECKS, args.only, args.skip, loaded));
      // Discovery first: the values it decides shape what the probes look at (the domain, the
      // resource names). Its commands are shared with the probes through the session's cache.
      // A replay's config is the captured run's effective one: discovery already happened.
      const found = args.noDiscovery || bundle ? undefined : await discoverWith(session, runOptions.config, source, args.azureImds);
      timings.mark('discovery');
      const { config, applied } = found && source === null ? applyDiscovery(runOptions.config, found) : { config: runOptions.config, applied: [] as DiscoveredValue[] };
      const finalOptions: RunOptions = { ...runOptions, session, config };
      const run = await runAssessment(finalOptions);
      progress.stop();
      timings.add('probes', run.timings.probesMs);
      timings.add('checks', run.timings.checksMs);
      timings.mark('run');
      const why = state.stopped;
      const meta = metaOf({
        // the run's own clock: a replay runs as of its capture
        startedAt: run.startedAt.toISOString(),
        finishedAt: run.finishedAt.toISOString(),
        durationMs: run.finishedAt.getTime() - run.startedAt.getTime(),
        incomplete: run.incomplete,
        ...(run.incomplete && why !== null ? { stopped: `the run was interrupted (${why.why})` } : {}),
        skipped: run.skipped,
        logEntries: run.log.size,
      });
      // Structured data is redacted value by value before anything is rendered from it (patterns
      // over serialized JSON could break it), and every text is redacted once more when written:
      // a secret learned late is still hidden. JSON outputs (report.json, SARIF) are redacted as
      // structures and then serialized, never as text.
      const earlier = await earlierRuns;
      const discovery = discoveryForReport(found, applied);
      // the chain is taken over the entries exactly as the log file shows them (log-chain.ts)
      const entries = chainEntries(redactor.redactDeep(run.log.entries()));
      const report = redactor.redactDeep(
        buildReport({ meta, results: run.results, scores: run.scores, waivers: run.waivers, probes: run.probes, notes: run.notes, earlier, logChain: chainSummary(entries), ...(discovery ? { discovery } : {}) }),
      );
      const files = reportFiles(report);
      files.push([LOG_FILE, redactor.redact(renderCommandsLog(meta, entries))]);
      // The complete log replaces the streamed one, in sequence order, with every late secret hidden.
      timings.mark('reporters');
      await stream.close();
      if (args.captureOnly !== true) {
        await writeFilesAtomic(dir, files);
        await sealFolder(dir, new Map(files), args.signWith);
      }
      if (capture && bundleOut !== undefined) {
        const byName = new Map(files);
        const extra = new Map([
          [BUNDLE_REPORT, byName.get('report.json') ?? ''],
          [BUNDLE_LOG, byName.get(LOG_FILE) ?? ''],
        ]);
        const bundleFiles = captureFiles(capture, run, finalOptions, { toolVersion: toolVersion(), host: hostname(), runId, root, configSource: source }, extra);
        const written = await writeBundle(bundleOut, bundleFiles, { archive: args.archive, ...(args.signWith !== undefined ? { signWith: args.signWith } : {}), mtime: run.startedAt.getTime() });
        err(`predeploy: capture bundle → ${written}\n`);
      }
      timings.mark('write');
      if (why?.fault !== undefined) throw why.fault;
      out(renderPasteBack(report));
      if (args.timings) err(timings.render(run.outcomes));
      if (run.incomplete) return EXIT.interrupted;
      const failures = gateFailures(args, run, report);
      if (failures.length > 0) {
        err(`predeploy: gate failed: ${failures.join('; ')}\n`);
        return EXIT.gateFailed;
      }
      return EXIT.done;
    } finally {
      progress.stop();
      await stream.close();
      await removeScratch(args.captureOnly === true ? dir : scratchDir, err);
    }
  } finally {
    unsubscribe();
    unfault();
    for (const c of cleanups) c();
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
 * The first files of a new run folder: the streamed commands log, then the report that says
 * the run has not finished. When either cannot be written (a full or read-only file system),
 * the folder is removed again and the error is one line (exit 2).
 */
async function startRunFolder(dir: string, open: () => LogStream, placeholders: () => Promise<void>): Promise<LogStream> {
  let stream: LogStream | undefined;
  try {
    stream = open();
    await placeholders();
    return stream;
  } catch (e) {
    await stream?.close();
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    throw e;
  }
}

/** `predeploy diff [A] [B]`: text or JSON on stdout; exit 0, or 2 for runs that cannot be read. */
async function diff(args: DiffArgs, io: CliIO, redactor: Redactor, out: (s: string) => void): Promise<number> {
  const base = args.out !== undefined ? resolve(args.out) : join(resolve(args.root), RUNS_DIR);
  let from: RunSummary;
  let to: RunSummary | undefined;
  if (args.a !== undefined && args.b !== undefined) {
    [from, to] = await Promise.all([loadNamedRun(args.a, base), loadNamedRun(args.b, base)]);
  } else {
    // by default a run is compared only with a run of the same scope: a partial run (--only,
    // --skip, --offline) is never compared as if it were full
    const { runs } = await readEarlierRuns(base);
    if (args.a !== undefined) {
      from = await loadNamedRun(args.a, base);
      const f = from;
      to = runs.filter((r) => r.runId !== f.runId && r.scope === f.scope).at(-1);
      if (to === undefined) throw new UsageError(`diff: no other complete run of the same scope (${f.scope}) in ${base} to compare ${f.runId} with; name both runs`);
    } else {
      const latest = runs.at(-1);
      const earlier = latest === undefined ? undefined : runs.filter((r) => r.runId !== latest.runId && r.scope === latest.scope).at(-1);
      if (latest === undefined || earlier === undefined) {
        const scope = latest !== undefined && runs.length > 1 ? `, none of them earlier than ${latest.runId} with its scope (${latest.scope}): a partial run (--only/--skip/--offline) is compared only with a run of the same scope, or when named` : '';
        throw new UsageError(`diff: needs two complete runs in ${base}, found ${runs.length}${scope} (pass --root or --out, or name the runs)`);
      }
      [from, to] = [earlier, latest];
    }
  }
  const d = diffRuns(from, to);
  // The runs' report.json files were redacted when written; this passes the redactor again. JSON
  // is redacted as a structure and then serialized (patterns over serialized JSON could break it).
  if (args.json) io.stdout(JSON.stringify(redactor.redactDeep(d), null, 2) + '\n');
  else out(renderDiffText(d));
  return EXIT.done;
}

/** `predeploy init`: discovery on this machine, written as predeploy.yaml and an attestation template. */
async function init(args: InitArgs, io: CliIO, redactor: Redactor, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const root = await assertRootDir(args.root);
  const now = io.now ?? (() => new Date());
  const abort = new AbortController();
  const unsubscribe = io.onInterrupt(() => abort.abort());
  // certbot writes a debug log even to list certificates: into a scratch folder, removed after
  const scratchDir = await mkdtemp(join(tmpdir(), 'predeploy-init-'));
  try {
    const session = createProbeSession({
      root,
      scratchDir,
      target: io.target ?? new LocalTarget(),
      probes: PROBES,
      offline: args.offline,
      refreshApt: false,
      timeoutMs: args.timeoutMs,
      concurrency: 8,
      isRoot: io.isRoot,
      redactor,
      signal: abort.signal,
      now,
      env: io.env,
    });
    const attestable = CHECKS.filter((c) => c.requires.includes('project.attestations') || (c.uses ?? []).includes('project.attestations')).map((c) => ({ id: c.meta.id, title: c.meta.title }));
    return await runInit({
      root,
      force: args.force,
      now: now(),
      attestable,
      discover: (profile) => discover(session.scope(profile).context('discovery'), { imds: { force: args.azureImds } }),
      redact: (s) => redactor.redact(s),
      out,
      err,
    });
  } finally {
    unsubscribe();
    await removeScratch(scratchDir, err);
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
