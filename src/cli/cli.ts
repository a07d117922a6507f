/**
 * The CLI, process-free so tests can drive it in-process: `runCli(argv, io)` returns the exit
 * code. `main.ts` binds it to the real process. Known errors print one line; unknown ones are
 * bugs and are re-thrown.
 */
import { readFileSync, rmSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { loadConfig } from '../config/load.js';
import { join, resolve } from 'node:path';
import { CHECKS, findCheck } from '../checks/index.js';
import { ConfigError, EXIT, PredeployError, UsageError } from '../engine/errors.js';
import { runAssessment, unfinishedRun, unknownSelectors } from '../engine/run.js';
import type { Target } from '../engine/types.js';
import { PROBES } from '../probes/index.js';
import { renderCommandsLog, renderStreamingLogHead } from '../reporters/commands-log.js';
import { diffRuns, renderDiffText, type RunSummary } from '../reporters/diff.js';
import { buildReport, type Report, type RunMeta } from '../reporters/model.js';
import { renderPasteBack } from '../reporters/paste-back.js';
import { LOG_FILE } from '../reporters/text.js';
import { Redactor } from '../safety/redactor.js';
import { LocalTarget } from '../targets/local.js';
import { HELP, parseCommand, type AssessArgs, type DiffArgs } from './args.js';
import { renderCatalog, renderExplain } from './catalog.js';
import { loadNamedRun, readEarlierRuns } from './history.js';
import { createProgress, progressMode } from './progress.js';
import { LogStream } from './log-stream.js';
import { assertRootDir, createRunFolder, generateRunId, resourceError, RUNS_DIR, validateRunId, writeFilesAtomic } from './run-folder.js';

export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
  isRoot: boolean;
  /** subscribe to SIGINT/SIGTERM/SIGHUP; returns an unsubscribe function */
  onInterrupt(handler: (signal: string) => void): () => void;
  /**
   * subscribe to errors nothing caught (an exception thrown in a timer, a rejected promise
   * nobody awaited) while a run is on: the run stops and writes its files marked incomplete
   */
  onFault?(handler: (err: unknown) => void): () => void;
  /** run `fn` (synchronously) when the process exits by any path that runs code */
  atExit?(fn: () => void): () => void;
  /** tests inject a target; default: this machine */
  target?: Target;
  now?: () => Date;
  /** stderr is a terminal: progress is drawn live (unless CI is set) */
  isTTY?: boolean;
  /** the terminal's width, for the live progress lines */
  columns?: number;
}

export function toolVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const redactor = new Redactor();
  const out = (s: string) => io.stdout(redactor.redact(s));
  const err = (s: string) => io.stderr(redactor.redact(s));
  try {
    const cmd = parseCommand(argv, io.env);
    switch (cmd.kind) {
      case 'help':
        out(HELP);
        return EXIT.done;
      case 'version':
        out(`predeploy ${toolVersion()}\n`);
        return EXIT.done;
      case 'checks':
        out(renderCatalog(CHECKS, PROBES, cmd.json));
        return EXIT.done;
      case 'explain': {
        const check = findCheck(cmd.id);
        if (!check) throw new UsageError(`unknown check "${cmd.id}" (list them with: predeploy checks)`);
        out(renderExplain(check, PROBES));
        return EXIT.done;
      }
      case 'assess':
        return await assess(cmd.args, io, redactor, out, err);
      case 'diff':
        return await diff(cmd.args, io, redactor, out);
    }
  } catch (e) {
    if (e instanceof PredeployError) {
      err(`predeploy: ${e.message}\n`);
      return e.exitCode;
    }
    // A bug: re-throw, but its message and stack pass the redactor like every other byte.
    const bug = new Error(redactor.redact(e instanceof Error ? e.message : String(e)));
    bug.stack = redactor.redact((e instanceof Error ? e.stack : undefined) ?? bug.message);
    throw bug;
  }
}

async function assess(
  args: AssessArgs,
  io: CliIO,
  redactor: Redactor,
  out: (s: string) => void,
  err: (s: string) => void,
): Promise<number> {
  const now = io.now ?? (() => new Date());
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
    const root = await assertRootDir(args.root);
    const bad = unknownSelectors(CHECKS, [...args.only, ...args.skip]);
    if (bad.length > 0) throw new UsageError(`--only/--skip: unknown section or check "${bad[0]}" (list them with: predeploy checks)`);
    // zod and yaml load only when there is a predeploy.yaml to parse (config/load.ts)
    const { config, source } = await loadConfig({ root, ...(args.config !== undefined ? { configPath: resolve(args.config) } : {}) });
    for (const [i, w] of (config.waivers ?? []).entries()) {
      if (!findCheck(w.check)) throw new ConfigError(`${source ?? 'predeploy.yaml'}: waivers[${i}].check: no check "${w.check}" (list them with: predeploy checks)`);
    }
    const { REPORTERS, reportersFor, serializeJson } = await import('../reporters/index.js');
    const early = interruptedBeforeStart(state.stopped, err);
    if (early !== null) return early;
    const base = args.out !== undefined ? resolve(args.out) : join(root, RUNS_DIR);
    const folder = await createRunFolder(base, runId, generated ? () => generateRunId(now()) : undefined);
    const dir = folder.dir;
    runId = folder.runId;
    state.folderMade = true;
    err(`predeploy: run ${runId}${generated ? ' (generated)' : ''} → ${dir}\n`);
    const target = io.target ?? new LocalTarget();
    const names = reportersFor(args.formats);
    const startedAt = now();
    const metaOf = (m: Pick<RunMeta, 'finishedAt' | 'durationMs' | 'incomplete' | 'skipped' | 'logEntries'> & { stopped?: string }): RunMeta => ({
      runId,
      tool: { name: 'predeploy', version: toolVersion() },
      root,
      outDir: dir,
      target: target.name,
      profile: config.profile,
      configSource: source,
      startedAt: startedAt.toISOString(),
      offline: args.offline,
      files: [...names.map((n) => REPORTERS[n].file), LOG_FILE],
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
      const pending = unfinishedRun({ config, checks: CHECKS, only: args.only, skip: args.skip }, startedAt, 'the run has not finished');
      const meta = metaOf({
        finishedAt: startedAt.toISOString(),
        durationMs: 0,
        incomplete: true,
        stopped: 'the run has not finished: it is still running, or it was killed before it could write its results (the commands log holds every call it completed)',
        skipped: pending.skipped,
        logEntries: 0,
      });
      const report = redactor.redactDeep(buildReport({ meta, config, results: pending.results, scores: pending.scores, waivers: pending.waivers, checks: CHECKS }));
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
      const run = await runAssessment({
        config,
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
        onProbe: (e) => progress.onProbe(e),
        logSink: stream,
      });
      progress.stop();
      const why = state.stopped;
      const meta = metaOf({
        finishedAt: run.finishedAt.toISOString(),
        durationMs: run.finishedAt.getTime() - run.startedAt.getTime(),
        incomplete: run.incomplete,
        ...(run.incomplete && why !== null ? { stopped: `the run was interrupted (${why.why})` } : {}),
        skipped: run.skipped,
        logEntries: run.log.entries().length,
      });
      // Structured data is redacted value by value before anything is rendered from it (patterns
      // over serialized JSON could break it), and every text is redacted once more when written:
      // a secret learned late is still hidden. JSON outputs (report.json, SARIF) are redacted as
      // structures and then serialized, never as text.
      const earlier = await earlierRuns;
      const report = redactor.redactDeep(
        buildReport({ meta, config, results: run.results, scores: run.scores, waivers: run.waivers, outcomes: run.outcomes, checks: CHECKS, earlier }),
      );
      const entries = redactor.redactDeep(run.log.entries());
      const files = reportFiles(report);
      files.push([LOG_FILE, redactor.redact(renderCommandsLog(meta, entries))]);
      // The complete log replaces the streamed one, in sequence order, with every late secret hidden.
      await stream.close();
      await writeFilesAtomic(dir, files);
      if (why?.fault !== undefined) throw why.fault;
      out(renderPasteBack(report));
      if (run.incomplete) return EXIT.interrupted;
      const failures: string[] = [];
      if (args.failUnder !== undefined) {
        const critical = run.results.filter((r) => r.severity === 'critical' && r.status === 'fail').map((r) => r.id);
        if ((report.score ?? 0) < args.failUnder) failures.push(`score ${report.score ?? 0} < ${args.failUnder}`);
        if (critical.length > 0) failures.push(`critical check(s) failing: ${critical.join(', ')}`);
      }
      if (args.failOn.includes('blockers') && report.blockers.length > 0) {
        failures.push(`${report.blockers.length} go-live blocker(s) failing: ${report.blockers.map((b) => b.id).join(', ')}`);
      }
      if (failures.length > 0) {
        err(`predeploy: gate failed: ${[...new Set(failures)].join('; ')}\n`);
        return EXIT.gateFailed;
      }
      return EXIT.done;
    } finally {
      progress.stop();
      await stream.close();
      await removeScratch(scratchDir, err);
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

/** The scratch folder's name inside the run folder. */
const SCRATCH_DIR = '.scratch';

/** Remove the scratch folder; a failure is one line on stderr, never the run's failure. */
async function removeScratch(path: string, err: (s: string) => void): Promise<void> {
  try {
    await rm(path, { recursive: true, force: true });
  } catch (e) {
    err(`predeploy: could not remove ${path} (${e instanceof Error && 'code' in e ? String(e.code) : 'error'}); it holds only tool scratch files\n`);
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
    const { runs } = await readEarlierRuns(base);
    if (args.a !== undefined) {
      from = await loadNamedRun(args.a, base);
      const fromId = from.runId;
      to = runs.filter((r) => r.runId !== fromId).at(-1);
      if (to === undefined) throw new UsageError(`diff: no other complete run in ${base} to compare ${fromId} with; name both runs`);
    } else {
      if (runs.length < 2) throw new UsageError(`diff: needs two complete runs in ${base}, found ${runs.length} (pass --root or --out, or name the runs)`);
      [from, to] = [runs[runs.length - 2]!, runs[runs.length - 1]!];
    }
  }
  const d = diffRuns(from, to);
  // The runs' report.json files were redacted when written; this passes the redactor again. JSON
  // is redacted as a structure and then serialized (patterns over serialized JSON could break it).
  if (args.json) io.stdout(JSON.stringify(redactor.redactDeep(d), null, 2) + '\n');
  else out(renderDiffText(d));
  return EXIT.done;
}
