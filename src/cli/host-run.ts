/**
 * One host's assessment, shared by `assess` (one target) and the fleet (many): probes, checks,
 * the run folder's files and the gates. Also the CLI's I/O contract and small shared helpers.
 */
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { CHECKS } from '../checks/index.js';
import { createProbeSession, runAssessment, wantedProbes, type ProbeEvent, type ProbeSession, type RunOptions, type RunResult } from '../engine/run.js';
import { applyDiscovery, discover, type DiscoveredValue, type Discovery } from '../discovery/index.js';
import { describeProvenance } from '../config/provenance.js';
import type { Target } from '../engine/types.js';
import type { Config } from '../config/schema.js';
import { PROBES } from '../probes/index.js';
import { renderCommandsLog } from '../reporters/commands-log.js';
import { buildReport, type EarlierRuns, type Report, type ReportInput, type RunMeta } from '../reporters/model.js';
import { LOG_FILE } from '../reporters/text.js';
import { Redactor } from '../safety/redactor.js';
import { type AssessArgs } from './args.js';
import { writeAtomic } from './run-folder.js';

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
 * Wall time per phase for `--timings` (stderr only; never asserted by a test). The first phase,
 * `start-up`, is the time from the process's start to this object (Node's start and module
 * loading); the total counts from the process's start too.
 */
export class Timings {
  private last = performance.now();
  private readonly phases: [string, number][] = [['start-up', Math.round(this.last)]];
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
    const total = Math.round(performance.now());
    const lines = [`predeploy: timings: ${this.phases.map(([p, ms]) => `${p} ${ms} ms`).join(', ')}; total ${total} ms`];
    const probes = [...outcomes.entries()].sort((a, b) => b[1].durationMs - a[1].durationMs);
    for (const [id, o] of probes) lines.push(`predeploy: timings:   probe ${id} ${o.durationMs} ms${o.ok ? '' : ' (failed)'}`);
    return `${lines.join('\n')}\n`;
  }
}

/** Discovery through the run's session, against the loaded configuration (conflicts name where it came from). */
export async function discoverWith(session: ProbeSession, config: Config, source: string | null, azureImds: boolean): Promise<Discovery> {
  return discover(session.scope(config).context('discovery'), { imds: { force: azureImds }, configuredFrom: source ?? 'the built-in profile' });
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
  const options: RunOptions = {
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
    ...(h.scratchDir !== undefined ? { scratchDir: h.scratchDir } : {}),
    env: h.io.env,
    ...(h.onProbe ? { onProbe: h.onProbe } : {}),
  };
  const session = createProbeSession(options);
  h.timings?.mark('start');
  // Probes that read no configuration start now and run while discovery waits.
  session.prewarm(h.config, wantedProbes(CHECKS, h.only, h.skip, h.config));
  // Discovery first: the values it decides shape what the probes look at (the domain, the
  // resource names). Its commands are shared with the probes through the session's cache.
  const found = args.noDiscovery ? undefined : await discoverWith(session, h.config, h.source, args.azureImds);
  h.timings?.mark('discovery');
  const { config, applied } = found && h.source === null ? applyDiscovery(h.config, found) : { config: h.config, applied: [] as DiscoveredValue[] };
  const run = await runAssessment({ ...options, session, config });
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
    partial: h.only.length > 0 || h.skip.length > 0 || args.offline,
    incomplete: run.incomplete,
    skipped: run.skipped,
    logEntries: run.log.size,
    files: [...names.map((n) => REPORTERS[n].file), LOG_FILE],
  };
  // Structured data is redacted value by value before anything is rendered from it (patterns
  // over serialized JSON could break it), and every text is redacted once more when written:
  // a secret learned late is still hidden. JSON outputs (report.json, SARIF) are redacted as
  // structures and then serialized, never as text.
  const earlier = await h.earlier;
  const discovery = discoveryForReport(found, applied);
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
  return { report, incomplete: run.incomplete, outcomes: run.outcomes, failures: gateFailures(args, run, report) };
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
