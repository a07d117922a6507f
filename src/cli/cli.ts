/**
 * The CLI, process-free so tests can drive it in-process: `runCli(argv, io)` returns the exit
 * code. `main.ts` binds it to the real process. Known errors print one line; unknown ones are
 * bugs and are re-thrown.
 */
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { join, resolve } from 'node:path';
import { CHECKS, findCheck } from '../checks/index.js';
import { ConfigError, EXIT, PredeployError, UsageError } from '../engine/errors.js';
import { runAssessment, unknownSelectors, type RunOptions } from '../engine/run.js';
import { BundleError, parseBundle, readBundleFiles } from '../evidence/bundle.js';
import { captureFiles, replayInputs, startCapture } from '../evidence/capture.js';
import { BUNDLE_LOG, BUNDLE_REPORT, SIG_FILE, SUMS_FILE, type Bundle } from '../evidence/format.js';
import { chainEntries } from '../safety/command-log.js';
import { chainSummary } from '../safety/log-chain.js';
import { REPLAY_PREFIX, replaySource } from '../targets/replay.js';
import { archivePath, sealFolder, verifyPath, writeBundle } from './evidence.js';
import type { Target } from '../engine/types.js';
import { PROBES } from '../probes/index.js';
import { renderCommandsLog } from '../reporters/commands-log.js';
import { diffRuns, renderDiffText, type RunSummary } from '../reporters/diff.js';
import { buildReport, type RunMeta } from '../reporters/model.js';
import { renderPasteBack } from '../reporters/paste-back.js';
import { LOG_FILE } from '../reporters/text.js';
import { Redactor } from '../safety/redactor.js';
import { LocalTarget } from '../targets/local.js';
import { HELP, parseCommand, type AssessArgs, type DiffArgs } from './args.js';
import { renderCatalog, renderExplain } from './catalog.js';
import { loadNamedRun, readEarlierRuns } from './history.js';
import { createProgress, progressMode } from './progress.js';
import { assertRootDir, createRunFolder, generateRunId, RUNS_DIR, validateRunId, writeAtomic } from './run-folder.js';

export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
  isRoot: boolean;
  /** subscribe to SIGINT/SIGTERM; returns an unsubscribe function */
  onInterrupt(handler: (signal: string) => void): () => void;
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
      case 'verify': {
        const v = await verifyPath(resolve(cmd.args.path), cmd.args.allowedSigners !== undefined ? resolve(cmd.args.allowedSigners) : undefined);
        (v.ok ? out : err)(v.lines.join('\n') + '\n');
        return v.ok ? EXIT.done : EXIT.gateFailed;
      }
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
  // Validate everything before touching the disk: a bad input changes nothing.
  const generated = args.runId === undefined;
  const runId = validateRunId(args.runId ?? generateRunId(now()));
  // --target replay:DIR: the bundle gives the root, the config, the options and the clock
  const replayFrom = args.target !== undefined ? replaySource(args.target) : undefined;
  const bundle = replayFrom !== undefined ? await loadBundle(replayFrom) : undefined;
  const root = bundle ? bundle.manifest.root : await assertRootDir(args.root);
  const bad = unknownSelectors(CHECKS, [...args.only, ...args.skip]);
  if (bad.length > 0) throw new UsageError(`--only/--skip: unknown section or check "${bad[0]}" (list them with: predeploy checks)`);
  // zod and yaml load only when there is a predeploy.yaml to parse (config/load.ts)
  const { config, source } = bundle
    ? { config: bundle.config as Config, source: bundle.manifest.configSource }
    : await loadConfig({ root, ...(args.config !== undefined ? { configPath: resolve(args.config) } : {}) });
  for (const [i, w] of (config.waivers ?? []).entries()) {
    if (!findCheck(w.check)) throw new ConfigError(`${source ?? 'predeploy.yaml'}: waivers[${i}].check: no check "${w.check}" (list them with: predeploy checks)`);
  }
  const { REPORTERS, reportersFor, serializeJson } = await import('../reporters/index.js');
  // a replay's runs go under the current folder: the captured root need not exist here
  const base = args.out !== undefined ? resolve(args.out) : bundle ? resolve(RUNS_DIR) : join(root, RUNS_DIR);
  // `capture` writes only its bundle: the run folder is a private temp folder, removed at the end
  const dir = args.captureOnly === true ? await mkdtemp(join(tmpdir(), 'predeploy-capture-')) : await createRunFolder(base, runId);
  const bundleOut = args.capture !== undefined ? resolve(args.capture) : undefined;
  if (bundleOut !== undefined && (await stat(args.archive ? archivePath(bundleOut) : bundleOut).catch(() => null))) {
    throw new UsageError(`${args.archive ? archivePath(bundleOut) : bundleOut} exists; a bundle is never overwritten (choose another path)`);
  }
  err(`predeploy: run ${runId}${generated ? ' (generated)' : ''} → ${args.captureOnly === true ? (args.archive ? archivePath(bundleOut ?? '') : (bundleOut ?? '')) : dir}${bundle ? ` (replay of ${bundle.source}, as of ${bundle.manifest.createdAt})` : ''}\n`);
  // Earlier runs in the same output folder (the trend, the change since the last run): read
  // while the probes run, not before them.
  const earlierRuns = readEarlierRuns(base, runId).catch((e: unknown) => ({ runs: [], notes: [`earlier runs in ${base} could not be read (${e instanceof Error ? e.message : String(e)})`] }));
  // For tools that write even to list things (certbot): inside the run folder, removed at the end.
  const scratchDir = join(dir, SCRATCH_DIR);
  await mkdir(scratchDir, { mode: 0o700 });

  const progress = createProgress({
    ...progressMode({ quiet: args.quiet, isTTY: io.isTTY === true, env: io.env }),
    write: err,
    ...(io.columns !== undefined ? { columns: io.columns } : {}),
    tickMs: 120,
  });
  const abort = new AbortController();
  let interruptedBy: string | null = null;
  const unsubscribe = io.onInterrupt((signal) => {
    if (interruptedBy === null) {
      interruptedBy = signal;
      // Above the live progress lines, so the redraw stays in step.
      progress.note(`predeploy: ${signal} received — writing what the run has so far`);
      abort.abort();
    }
  });
  try {
    const local = io.target ?? new LocalTarget();
    const capture = bundleOut !== undefined ? startCapture({ target: local, redactor, now, env: io.env }) : undefined;
    const runOptions: RunOptions = {
      config,
      configSource: source,
      root,
      target: local,
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
      ...capture?.options,
      ...(bundle ? replayInputs(bundle, PROBES) : {}),
    };
    const target = runOptions.target;
    const run = await runAssessment(runOptions);
    progress.stop();
    const names = reportersFor(args.formats);
    const meta: RunMeta = {
      runId,
      tool: { name: 'predeploy', version: toolVersion() },
      root,
      outDir: dir,
      target: bundle ? `${REPLAY_PREFIX}${bundle.source}` : target.name,
      profile: config.profile,
      configSource: source,
      startedAt: run.startedAt.toISOString(),
      finishedAt: run.finishedAt.toISOString(),
      durationMs: run.finishedAt.getTime() - run.startedAt.getTime(),
      offline: args.offline,
      incomplete: run.incomplete,
      skipped: run.skipped,
      logEntries: run.log.entries().length,
      files: [...names.map((n) => REPORTERS[n].file), LOG_FILE, SUMS_FILE, ...(args.signWith !== undefined ? [SIG_FILE] : [])],
    };
    // Structured data is redacted value by value before anything is rendered from it (patterns
    // over serialized JSON could break it), and every text is redacted once more when written:
    // a secret learned late is still hidden. JSON outputs (report.json, SARIF) are redacted as
    // structures and then serialized, never as text.
    const earlier = await earlierRuns;
    // the chain is taken over the entries exactly as the log file shows them (log-chain.ts)
    const entries = chainEntries(redactor.redactDeep(run.log.entries()));
    const report = redactor.redactDeep(
      buildReport({ meta, config, results: run.results, scores: run.scores, waivers: run.waivers, outcomes: run.outcomes, checks: CHECKS, earlier, logChain: chainSummary(entries) }),
    );
    const files: [string, string][] = names.map((n) => {
      const r = REPORTERS[n];
      return [r.file, r.kind === 'json' ? serializeJson(redactor.redactDeep(r.build(report))) : redactor.redact(r.render(report))];
    });
    files.push([LOG_FILE, redactor.redact(renderCommandsLog(meta, entries))]);
    if (args.captureOnly !== true) {
      await Promise.all(files.map(([name, text]) => writeAtomic(dir, name, text)));
      await sealFolder(dir, new Map(files), args.signWith);
    }
    if (capture && bundleOut !== undefined) {
      const byName = new Map(files);
      const extra = new Map([
        [BUNDLE_REPORT, byName.get('report.json') ?? ''],
        [BUNDLE_LOG, byName.get(LOG_FILE) ?? ''],
      ]);
      const bundleFiles = captureFiles(capture, run, runOptions, { toolVersion: toolVersion(), host: hostname(), runId, root, configSource: source }, extra);
      const written = await writeBundle(bundleOut, bundleFiles, { archive: args.archive, ...(args.signWith !== undefined ? { signWith: args.signWith } : {}), mtime: run.startedAt.getTime() });
      err(`predeploy: capture bundle → ${written}\n`);
    }
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
    unsubscribe();
    await removeScratch(args.captureOnly === true ? dir : scratchDir, err);
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
