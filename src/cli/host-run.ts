/**
 * One host's assessment, shared by `assess` (one target) and the fleet (many): probes, checks,
 * the complete run folder and the gates (assessHost). Also the CLI's I/O contract and small shared helpers.
 */
import { readFileSync, rmSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CHECKS } from '../checks/index.js';
import { createProbeSession, runAssessment, unfinishedRun, wantedProbes, type ProbeEvent, type ProbeSession, type RunOptions, type RunResult } from '../engine/run.js';
import { applyDiscovery, discover, type DiscoveredValue, type Discovery } from '../discovery/index.js';
import { describeProvenance } from '../config/provenance.js';
import type { Target } from '../engine/types.js';
import type { Config } from '../config/schema.js';
import { SIG_FILE, SUMS_FILE } from '../evidence/format.js';
import { PROBES } from '../probes/index.js';
import { renderCommandsLog, renderStreamingLogHead } from '../reporters/commands-log.js';
import { buildReport, type EarlierRuns, type Report, type ReportInput, type RunMeta } from '../reporters/model.js';
import { LOG_FILE } from '../reporters/text.js';
import { chainEntries, type LogSink } from '../safety/command-log.js';
import { chainSummary } from '../safety/log-chain.js';
import { Redactor } from '../safety/redactor.js';
import { type AssessArgs } from './args.js';
import { sealFolder } from './evidence.js';
import { LogStream } from './log-stream.js';
import { resourceError, writeFilesAtomic } from './run-folder.js';

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

/**
 * Wall time per phase for `--timings` (stderr only; never asserted by a test). For a single run
 * the first phase, `start-up`, is the time from the process's start to this object (Node's start
 * and module loading), and the total counts from the process's start too. A fleet host's timings
 * (`host` set) count from when that host started and name it on every line.
 */
export class Timings {
  private last = performance.now();
  private readonly started: number;
  private readonly phases: [string, number][];
  constructor(private readonly host?: string) {
    this.started = host === undefined ? 0 : this.last;
    this.phases = host === undefined ? [['start-up', Math.round(this.last)]] : [];
  }
  /** the time since the previous mark belongs to `phase` (`start` and `run` are bookkeeping marks, not shown) */
  mark(phase: string): void {
    const t = performance.now();
    if (phase !== 'start' && phase !== 'run') this.phases.push([phase, Math.round(t - this.last)]);
    this.last = t;
  }
  add(phase: string, ms: number): void {
    this.phases.push([phase, ms]);
  }
  /** the phases, then each probe slowest first (only the `slowest` few when given) */
  render(outcomes: ReadonlyMap<string, { durationMs: number; ok: boolean }>, slowest?: number): string {
    const total = Math.round(performance.now() - this.started);
    const head = `predeploy: timings:${this.host === undefined ? '' : ` ${this.host}:`}`;
    const lines = [`${head} ${this.phases.map(([p, ms]) => `${p} ${ms} ms`).join(', ')}; total ${total} ms`];
    const probes = [...outcomes.entries()].sort((a, b) => b[1].durationMs - a[1].durationMs).slice(0, slowest);
    for (const [id, o] of probes) lines.push(`${head}   probe ${id} ${o.durationMs} ms${o.ok ? '' : ' (failed)'}`);
    return `${lines.join('\n')}\n`;
  }
}

/** Discovery through the run's session, against the loaded configuration (conflicts name where it came from). */
export async function discoverWith(session: ProbeSession, config: Config, source: string | null, azureImds: boolean): Promise<Discovery> {
  return discover(session.scope(config).context('discovery'), { imds: { force: azureImds }, configuredFrom: source ?? 'the built-in profile' });
}

/**
 * One host's assessment and its complete run folder — the one place that builds a run folder,
 * for `assess` (its run folder) and for each host of a fleet (the host's folder): the commands
 * log streamed as the run goes, a report that says the run has not finished from the first
 * moment, the complete files (every `--format`, the commands log with its hash chain) replacing
 * them at the end, SHA256SUMS (and its signature with `--sign-with`) over them. An interrupted
 * run writes the same files, marked INCOMPLETE, saying why.
 */
export interface HostRunInput {
  args: AssessArgs;
  io: CliIO;
  redactor: Redactor;
  runId: string;
  /** the run folder: just created, exclusively (run-folder.ts createRunFolder), and empty */
  dir: string;
  root: string;
  config: Config;
  source: string | null;
  target: Target;
  /** the target as the report and the log head name it; default `target.name` (a replay names its bundle) */
  targetName?: string;
  isRoot: boolean;
  /**
   * a scratch folder inside the run folder for tools that write even to list things (certbot):
   * for a target on this machine; a remote target has none
   */
  scratch: boolean;
  /** earlier runs for the trend, started once the folder holds its first files */
  earlier: () => Promise<EarlierRuns>;
  signal: AbortSignal;
  /** why the run was stopped (a signal's name, an internal error), once it was; null while it was not */
  stoppedBy: () => string | null;
  /** phase timings for `--timings` */
  timings?: Timings;
  onProbe?: (e: ProbeEvent) => void;
  /** the probes and checks are done; the files are built next (the live progress stops here) */
  onRunEnd?: () => void;
  only: string[];
  skip: string[];
  /** see RunMeta.webFrom */
  webFrom?: string;
  /** false: no discovery even without --no-discovery (a replay's config is already the discovered one) */
  discover?: boolean;
  /**
   * run options that replace the defaults, given the streamed log as a sink: a capture's
   * recorder, a replay's inputs
   */
  instrument?: (sink: LogSink) => Partial<RunOptions>;
  /** false: the folder keeps only its first files (`capture`: the bundle is the output, the folder is temporary) */
  writeFiles?: boolean;
}

export interface HostRunOutput {
  report: Report;
  run: RunResult;
  /** the options the run ran with (a capture bundle records them) */
  options: RunOptions;
  /** the run folder's files as written (name → text), SHA256SUMS aside */
  files: ReadonlyMap<string, string>;
  incomplete: boolean;
  /** per-probe durations, for `--timings` */
  outcomes: ReadonlyMap<string, { durationMs: number; ok: boolean }>;
  /** why the --fail-under / --fail-on gates fail for this host; empty when they hold */
  failures: string[];
}

/** The files a run folder holds for these options, in the order report.json lists them. */
export function runFolderFiles(args: Pick<AssessArgs, 'signWith'>, reporterFiles: readonly string[]): string[] {
  return [...reporterFiles, LOG_FILE, SUMS_FILE, ...(args.signWith !== undefined ? [SIG_FILE] : [])];
}

/** Runs the assessment on one target and writes its complete run folder; returns the report and the gate result. */
export async function assessHost(h: HostRunInput): Promise<HostRunOutput> {
  const { args, redactor, target, dir } = h;
  const now = h.io.now ?? (() => new Date());
  const { REPORTERS, reportersFor, serializeJson } = await import('../reporters/index.js');
  const names = reportersFor(args.formats);
  const startedAt = now();
  const metaOf = (m: Pick<RunMeta, 'finishedAt' | 'durationMs' | 'incomplete' | 'skipped' | 'logEntries'> & { stopped?: string; startedAt?: string }): RunMeta => ({
    runId: h.runId,
    tool: { name: 'predeploy', version: toolVersion() },
    root: h.root,
    outDir: dir,
    target: h.targetName ?? target.name,
    ...(h.webFrom !== undefined ? { webFrom: h.webFrom } : {}),
    profile: h.config.profile,
    configSource: h.source,
    startedAt: startedAt.toISOString(),
    offline: args.offline,
    partial: h.only.length > 0 || h.skip.length > 0 || args.offline,
    files: runFolderFiles(args, names.map((n) => REPORTERS[n].file)),
    ...m,
  });
  /** The report files from a report; every text passes the redactor once more when written. */
  const reportFiles = (report: Report): [string, string][] =>
    names.map((n) => {
      const r = REPORTERS[n];
      return [r.file, r.kind === 'json' ? serializeJson(redactor.redactDeep(r.build(report))) : redactor.redact(r.render(report))];
    });

  // From here on the folder always holds its files. First the commands log, streamed as the run
  // goes, and a report that says the run has not finished; both are replaced atomically at the
  // end. A kill -9 leaves exactly these: the entries so far, and a report that says the run did
  // not finish. A folder that cannot be written is removed again: it holds nothing of value,
  // and the run id stays free.
  const stream = await startRunFolder(dir, () => new LogStream(dir, renderStreamingLogHead(metaOf({ finishedAt: startedAt.toISOString(), durationMs: 0, incomplete: true, skipped: [], logEntries: 0 }))), async () => {
    const pending = unfinishedRun({ config: h.config, checks: CHECKS, only: h.only, skip: h.skip }, startedAt, 'the run has not finished');
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
  const scratchDir = h.scratch ? join(dir, SCRATCH_DIR) : undefined;
  let unregister = () => {};
  try {
    if (scratchDir !== undefined) {
      try {
        await mkdir(scratchDir, { mode: 0o700 });
      } catch (e) {
        throw resourceError(scratchDir, e);
      }
      const removeNow = () => {
        try {
          rmSync(scratchDir, { recursive: true, force: true });
        } catch {
          // the process is exiting: nothing left to report to
        }
      };
      const off = h.io.atExit?.(removeNow);
      if (off) unregister = off;
    }
    // Earlier runs in the same output folder (the trend, the change since the last run): read
    // while the probes run, not before them.
    const earlierRuns = h.earlier();
    const runOptions: RunOptions = {
      config: h.config,
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
      ...(scratchDir !== undefined ? { scratchDir } : {}),
      env: h.io.env,
      logSink: stream,
      ...(h.onProbe ? { onProbe: h.onProbe } : {}),
      ...h.instrument?.(stream),
    };
    const session = createProbeSession(runOptions);
    h.timings?.mark('setup');
    // Probes that read no configuration start now and run while discovery waits.
    session.prewarm(h.config, wantedProbes(CHECKS, h.only, h.skip, h.config));
    // Discovery first: the values it decides shape what the probes look at (the domain, the
    // resource names). Its commands are shared with the probes through the session's cache.
    const found = args.noDiscovery || h.discover === false ? undefined : await discoverWith(session, runOptions.config, h.source, args.azureImds);
    h.timings?.mark('discovery');
    const { config, applied } = found && h.source === null ? applyDiscovery(runOptions.config, found) : { config: runOptions.config, applied: [] as DiscoveredValue[] };
    const options: RunOptions = { ...runOptions, session, config };
    const run = await runAssessment(options);
    h.onRunEnd?.();
    h.timings?.add('probes', run.timings.probesMs);
    h.timings?.add('checks', run.timings.checksMs);
    h.timings?.mark('run');
    const why = h.stoppedBy();
    const meta = metaOf({
      // the run's own clock: a replay runs as of its capture
      startedAt: run.startedAt.toISOString(),
      finishedAt: run.finishedAt.toISOString(),
      durationMs: run.finishedAt.getTime() - run.startedAt.getTime(),
      incomplete: run.incomplete,
      ...(run.incomplete && why !== null ? { stopped: `the run was interrupted (${why})` } : {}),
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
    // The complete log replaces the streamed one, in sequence order, with every late secret hidden.
    files.push([LOG_FILE, redactor.redact(renderCommandsLog(meta, entries))]);
    h.timings?.mark('reporters');
    await stream.close();
    if (h.writeFiles !== false) {
      await writeFilesAtomic(dir, files);
      await sealFolder(dir, new Map(files), args.signWith);
    }
    h.timings?.mark('write');
    return { report, run, options, files: new Map(files), incomplete: run.incomplete, outcomes: run.outcomes, failures: gateFailures(args, run, report) };
  } finally {
    await stream.close();
    if (scratchDir !== undefined) await removeScratch(scratchDir, (line) => h.io.stderr(redactor.redact(line)));
    unregister();
  }
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

/** What the report says about discovery: the values used (with their source), conflicts with the config (it won), notes. */
export function discoveryForReport(found: Discovery | undefined, applied: readonly DiscoveredValue[]): ReportInput['discovery'] {
  if (!found) return undefined;
  return {
    used: applied.map((v) => ({ path: v.path, value: Array.isArray(v.value) ? v.value.join(', ') : v.value, source: describeProvenance(v.provenance) })),
    conflicts: found.conflicts.map(
      (c) => `discovery disagrees with ${c.configuredFrom} on ${c.path}: configured ${String(c.configured)}, this machine shows ${String(c.discovered)} (${c.source}); the configuration wins`,
    ),
    notes: found.notes,
  };
}

/** Why the --fail-under / --fail-on gates fail for a run; empty when they hold. */
export function gateFailures(args: Pick<AssessArgs, 'failUnder' | 'failOn'>, run: Pick<RunResult, 'results' | 'scores'>, report: Pick<Report, 'blockers'>): string[] {
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
  return [...new Set(failures)];
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
