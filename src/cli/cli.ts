/**
 * The CLI, process-free so tests can drive it in-process: `runCli(argv, io)` returns the exit
 * code. `main.ts` binds it to the real process. Known errors print one line; unknown ones are
 * bugs and are re-thrown.
 */
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { loadConfig } from '../config/load.js';
import { join, resolve } from 'node:path';
import { CHECKS, findCheck } from '../checks/index.js';
import { ConfigError, EXIT, PredeployError, UsageError } from '../engine/errors.js';
import { createProbeSession, runAssessment, unknownSelectors, wantedProbes, type ProbeEvent, type ProbeSession } from '../engine/run.js';
import { applyDiscovery, discover, type DiscoveredValue, type Discovery } from '../discovery/index.js';
import { describeProvenance } from '../config/provenance.js';
import type { Target } from '../engine/types.js';
import type { Config } from '../config/schema.js';
import { PROBES } from '../probes/index.js';
import { renderCommandsLog } from '../reporters/commands-log.js';
import { diffRuns, renderDiffText, type RunSummary } from '../reporters/diff.js';
import { buildReport, type EarlierRuns, type Report, type RunMeta } from '../reporters/model.js';
import { renderPasteBack } from '../reporters/paste-back.js';
import { LOG_FILE } from '../reporters/text.js';
import { Redactor } from '../safety/redactor.js';
import { LocalTarget } from '../targets/local.js';
import { HELP, parseCommand, type AssessArgs, type DiffArgs, type InitArgs } from './args.js';
import { runInit } from './init.js';
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
      case 'init':
        return await init(cmd.args, io, redactor, out, err);
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
  if (args.inventory !== undefined || args.targets.length > 1 || args.targets.some((t) => t !== 'local')) {
    const { assessFleet } = await import('./fleet.js');
    return await assessFleet(args, io, redactor, out, err);
  }
  const now = io.now ?? (() => new Date());
  const timings = new Timings();
  // Validate everything before touching the disk: a bad input changes nothing.
  const generated = args.runId === undefined;
  const runId = validateRunId(args.runId ?? generateRunId(now()));
  const root = await assertRootDir(args.root);
  const bad = unknownSelectors(CHECKS, [...args.only, ...args.skip]);
  if (bad.length > 0) throw new UsageError(`--only/--skip: unknown section or check "${bad[0]}" (list them with: predeploy checks)`);
  // zod and yaml load only when there is a predeploy.yaml to parse (config/load.ts)
  const { config: loaded, source } = await loadConfig({ root, ...(args.config !== undefined ? { configPath: resolve(args.config) } : {}) });
  timings.mark('config');
  for (const [i, w] of (loaded.waivers ?? []).entries()) {
    if (!findCheck(w.check)) throw new ConfigError(`${source ?? 'predeploy.yaml'}: waivers[${i}].check: no check "${w.check}" (list them with: predeploy checks)`);
  }
  const base = args.out !== undefined ? resolve(args.out) : join(root, RUNS_DIR);
  const dir = await createRunFolder(base, runId);
  err(`predeploy: run ${runId}${generated ? ' (generated)' : ''} → ${dir}\n`);
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
    const target = io.target ?? new LocalTarget();
    const { report, incomplete, failures, outcomes } = await runHost({
      args,
      io,
      redactor,
      runId,
      dir,
      root,
      config: loaded,
      source,
      timings,
      target,
      isRoot: io.isRoot,
      scratchDir,
      earlier: earlierRuns,
      signal: abort.signal,
      onProbe: (e) => progress.onProbe(e),
      only: args.only,
      skip: args.skip,
    });
    progress.stop();
    out(renderPasteBack(report));
    if (args.timings) err(timings.render(outcomes));
    if (incomplete) return EXIT.interrupted;
    if (failures.length > 0) {
      err(`predeploy: gate failed: ${failures.join('; ')}\n`);
      return EXIT.gateFailed;
    }
    return EXIT.done;
  } finally {
    progress.stop();
    unsubscribe();
    await removeScratch(scratchDir, err);
  }
}

/** Wall time per phase for `--timings` (stderr only; never asserted by a test). */
class Timings {
  private last = performance.now();
  private readonly started = this.last;
  private readonly phases: [string, number][] = [];
  /** the time since the previous mark belongs to `phase` (`start` and `run` are bookkeeping marks, not shown) */
  mark(phase: string): void {
    const t = performance.now();
    if (phase !== 'start' && phase !== 'run') this.phases.push([phase, Math.round(t - this.last)]);
    this.last = t;
  }
  add(phase: string, ms: number): void {
    this.phases.push([phase, ms]);
  }
  render(outcomes: ReadonlyMap<string, { durationMs: number; ok: boolean }>): string {
    const total = Math.round(performance.now() - this.started);
    const lines = [`predeploy: timings: ${this.phases.map(([p, ms]) => `${p} ${ms} ms`).join(', ')}; total ${total} ms`];
    const probes = [...outcomes.entries()].sort((a, b) => b[1].durationMs - a[1].durationMs);
    for (const [id, o] of probes) lines.push(`predeploy: timings:   probe ${id} ${o.durationMs} ms${o.ok ? '' : ' (failed)'}`);
    return `${lines.join('\n')}\n`;
  }
}

/** Discovery through the run's session, against the loaded configuration (conflicts name where it came from). */
async function discoverWith(session: ProbeSession, config: Config, source: string | null, azureImds: boolean): Promise<Discovery> {
  return discover(session.scope(config).context('discovery'), { imds: { force: azureImds }, configuredFrom: source ?? 'the built-in profile' });
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

/** One host's assessment, as `assess` and the fleet run it: probes, checks, the run folder's files. */
export interface HostRunInput {
  args: AssessArgs;
  io: CliIO;
  redactor: Redactor;
  runId: string;
  /** the host's run folder (already created) */
  dir: string;
  root: string;
  config: Config;
  source: string | null;
  target: Target;
  isRoot: boolean;
  scratchDir?: string;
  earlier: Promise<EarlierRuns>;
  signal: AbortSignal;
  /** phase timings for `--timings` */
  timings?: Timings;
  onProbe?: (e: ProbeEvent) => void;
  only: string[];
  skip: string[];
  /** see RunMeta.webFrom */
  webFrom?: string;
}

export interface HostRunOutput {
  report: Report;
  incomplete: boolean;
  /** per-probe durations, for `--timings` */
  outcomes: ReadonlyMap<string, { durationMs: number; ok: boolean }>;
  /** why the --fail-under / --fail-on gates fail for this host; empty when they hold */
  failures: string[];
}

/** Runs the assessment on one target and writes its run folder; returns the report and the gate result. */
export async function runHost(h: HostRunInput): Promise<HostRunOutput> {
  const { args, redactor, target } = h;
  const now = h.io.now ?? (() => new Date());
  const { REPORTERS, reportersFor, serializeJson } = await import('../reporters/index.js');
  const session = createProbeSession({
    root: h.root,
    target,
    probes: PROBES,
    offline: args.offline,
    refreshApt: args.refreshApt,
    timeoutMs: args.timeoutMs,
    concurrency: args.concurrency,
    isRoot: h.isRoot,
    redactor,
    signal: h.signal,
    now,
    ...(h.scratchDir !== undefined ? { scratchDir: h.scratchDir } : {}),
    env: h.io.env,
  });
  h.timings?.mark('start');
  // Probes that read no configuration start now and run while discovery waits.
  session.prewarm(h.config, wantedProbes(CHECKS, h.only, h.skip, h.config));
  // Discovery first: the values it decides shape what the probes look at (the domain, the
  // resource names). Its commands are shared with the probes through the session's cache.
  const found = args.noDiscovery ? undefined : await discoverWith(session, h.config, h.source, args.azureImds);
  h.timings?.mark('discovery');
  const { config, applied } = found && h.source === null ? applyDiscovery(h.config, found) : { config: h.config, applied: [] as DiscoveredValue[] };
  const run = await runAssessment({
    session,
    config,
    configSource: h.source,
    root: h.root,
    target,
    checks: CHECKS,
    probes: PROBES,
    only: h.only,
    skip: h.skip,
    offline: args.offline,
    refreshApt: args.refreshApt,
    timeoutMs: args.timeoutMs,
    concurrency: args.concurrency,
    isRoot: h.isRoot,
    redactor,
    signal: h.signal,
    now,
    ...(h.scratchDir !== undefined ? { scratchDir: h.scratchDir } : {}),
    env: h.io.env,
    ...(h.onProbe ? { onProbe: h.onProbe } : {}),
  });
  h.timings?.add('probes', run.timings.probesMs);
  h.timings?.add('checks', run.timings.checksMs);
  h.timings?.mark('run');
  const names = reportersFor(args.formats);
  const meta: RunMeta = {
    runId: h.runId,
    tool: { name: 'predeploy', version: toolVersion() },
    root: h.root,
    outDir: h.dir,
    target: target.name,
    ...(h.webFrom !== undefined ? { webFrom: h.webFrom } : {}),
    profile: config.profile,
    configSource: h.source,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt.toISOString(),
    durationMs: run.finishedAt.getTime() - run.startedAt.getTime(),
    offline: args.offline,
    incomplete: run.incomplete,
    skipped: run.skipped,
    logEntries: run.log.entries().length,
    files: [...names.map((n) => REPORTERS[n].file), LOG_FILE],
  };
  // Structured data is redacted value by value before anything is rendered from it (patterns
  // over serialized JSON could break it), and every text is redacted once more when written:
  // a secret learned late is still hidden. JSON outputs (report.json, SARIF) are redacted as
  // structures and then serialized, never as text.
  const earlier = await h.earlier;
  const discovery = found
    ? {
        used: applied.map((v) => ({ path: v.path, value: Array.isArray(v.value) ? v.value.join(', ') : v.value, source: describeProvenance(v.provenance) })),
        conflicts: found.conflicts.map(
          (c) => `discovery disagrees with ${c.configuredFrom} on ${c.path}: configured ${String(c.configured)}, this machine shows ${String(c.discovered)} (${c.source}); the configuration wins`,
        ),
        notes: found.notes,
      }
    : undefined;
  const report = redactor.redactDeep(
    buildReport({ meta, results: run.results, scores: run.scores, waivers: run.waivers, probes: run.probes, notes: run.notes, earlier, ...(discovery ? { discovery } : {}) }),
  );
  const entries = redactor.redactDeep(run.log.entries());
  const files: [string, string][] = names.map((n) => {
    const r = REPORTERS[n];
    return [r.file, r.kind === 'json' ? serializeJson(redactor.redactDeep(r.build(report))) : redactor.redact(r.render(report))];
  });
  files.push([LOG_FILE, redactor.redact(renderCommandsLog(meta, entries))]);
  h.timings?.mark('reporters');
  await Promise.all(files.map(([name, text]) => writeAtomic(h.dir, name, text)));
  h.timings?.mark('write');
  const failures: string[] = [];
  if (args.failUnder !== undefined) {
    const critical = run.results.filter((r) => r.severity === 'critical' && r.status === 'fail').map((r) => r.id);
    // The gate compares the exact score: 89.96 is below 90 even though it displays as 90.
    const exact = run.scores.overall.exact ?? 0;
    if (exact < args.failUnder) failures.push(`score ${Math.floor(exact * 100) / 100} < ${args.failUnder}`);
    if (critical.length > 0) failures.push(`critical check(s) failing: ${critical.join(', ')}`);
  }
  if (args.failOn.includes('blockers') && report.blockers.length > 0) {
    failures.push(`${report.blockers.length} go-live blocker(s) failing: ${report.blockers.map((b) => b.id).join(', ')}`);
  }
  return { report, incomplete: run.incomplete, outcomes: run.outcomes, failures: [...new Set(failures)] };
}

/** The scratch folder's name inside the run folder. */
export const SCRATCH_DIR = '.scratch';

/** Remove the scratch folder; a failure is one line on stderr, never the run's failure. */
export async function removeScratch(path: string, err: (s: string) => void): Promise<void> {
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
