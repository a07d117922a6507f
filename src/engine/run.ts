/**
 * Run orchestration: plan → probes (concurrent, once each, via the safety layer) → checks
 * (pure) → scores. Never throws for a probe's sake: a failed probe is a value.
 */
import type { Config } from '../config/schema.js';
import type { FactId, FactTypes } from '../facts/index.js';
import { CommandLog } from '../safety/command-log.js';
import { createHttpClient, type HttpTransport } from '../safety/http.js';
import { Redactor } from '../safety/redactor.js';
import { createRunner } from '../safety/runner.js';
import { evaluateCheck } from './evaluate.js';
import { score, type Scores } from './scoring.js';
import { applyWaivers, type WaiverOutcome } from './waivers.js';
import type { Check, CheckResult, ExecResult, Probe, ProbeContext, ProbeOutcome, Target } from './types.js';
import { SECTIONS } from './types.js';

export interface RunOptions {
  config: Config;
  /** where the config came from (a file path), or null for the built-in profile */
  configSource: string | null;
  root: string;
  target: Target;
  checks: readonly Check[];
  probes: { readonly [K in FactId]?: Probe<K> };
  /** section ids or check ids; empty = all */
  only: readonly string[];
  skip: readonly string[];
  offline: boolean;
  refreshApt: boolean;
  /** per-probe command/HTTP timeout */
  timeoutMs: number;
  /** commands and HTTP calls in flight at once */
  concurrency: number;
  isRoot: boolean;
  /** the run's redactor: the CLI shares it so that stdout and stderr pass it too */
  redactor: Redactor;
  /** the environment predeploy was started with (credentials for this run only) */
  env?: Readonly<Record<string, string | undefined>>;
  /** see ProbeContext.scratchDir */
  scratchDir?: string;
  /** aborted on SIGINT/SIGTERM: the run stops waiting and reports what it has */
  signal: AbortSignal;
  now?: () => Date;
  onProbe?: (event: ProbeEvent) => void;
  /** the commands log to write to (a capture watches it); default: a new one on `now` */
  log?: CommandLog;
  /** what sends HTTP requests (a capture records, a replay answers from its bundle); default: the network */
  transport?: HttpTransport;
  /**
   * `frozen`: probes read the run's start time from `ctx.now()` (capture and replay: a replay
   * judges ages and expiry as of the capture, to the millisecond). Default `live`.
   */
  probeClock?: 'live' | 'frozen';
}

/** Progress of one probe, for the CLI's progress display. */
export interface ProbeEvent {
  id: FactId;
  phase: 'start' | 'done';
  ok?: boolean;
  /** why it failed (done, not ok): `permission`, `timeout`, ... */
  reason?: string;
  durationMs?: number;
}

export interface RunResult {
  results: CheckResult[];
  /** what the waivers of predeploy.yaml did (the results already carry `waived`) */
  waivers: WaiverOutcome;
  scores: Scores;
  outcomes: ReadonlyMap<FactId, ProbeOutcome<unknown>>;
  log: CommandLog;
  startedAt: Date;
  finishedAt: Date;
  /** true when the run was interrupted before every probe finished */
  incomplete: boolean;
  /** checks left out by --only/--skip */
  skipped: string[];
}

/** Which checks a run includes: `--only` and `--skip` take section ids or check ids. */
export function selectChecks(checks: readonly Check[], only: readonly string[], skip: readonly string[]): Check[] {
  const matches = (c: Check, sel: string) => c.meta.id === sel || c.meta.section === sel;
  return checks.filter((c) => (only.length === 0 || only.some((s) => matches(c, s))) && !skip.some((s) => matches(c, s)));
}

/** Reject --only/--skip values that name no section and no check. */
export function unknownSelectors(checks: readonly Check[], selectors: readonly string[]): string[] {
  const known = new Set<string>([...SECTIONS.map((s) => s.id), ...checks.map((c) => c.meta.id)]);
  return selectors.filter((s) => !known.has(s));
}

/** A small counting semaphore: bounds commands and HTTP calls in flight, not probes. */
function limiter(max: number) {
  let active = 0;
  const queue: (() => void)[] = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active >= max) await new Promise<void>((resolve) => queue.push(resolve));
    active += 1;
    try {
      return await fn();
    } finally {
      active -= 1;
      queue.shift()?.();
    }
  };
}

/**
 * The log entries a probe's findings cite: its commands and HTTP calls, plus the files it read.
 * `stat`/`list` entries are left out: a directory walk would bury the evidence in hundreds of them.
 */
function probeRefs(log: CommandLog, id: FactId, direct: readonly number[]): number[] {
  const reads = log.entries().filter((e) => e.probe === id && e.kind === 'read' && !/^(stat|list) /.test(e.action)).map((e) => e.seq);
  return [...new Set([...direct, ...reads])].sort((a, b) => a - b);
}

export async function runAssessment(o: RunOptions): Promise<RunResult> {
  const now = o.now ?? (() => new Date());
  const startedAt = now();
  const redactor = o.redactor;
  const log = o.log ?? new CommandLog(redactor, { now });
  const probeNow = o.probeClock === 'frozen' ? () => new Date(startedAt.getTime()) : now;
  const runner = createRunner({
    target: o.target,
    log,
    redactor,
    defaultTimeoutMs: o.timeoutMs,
    maxOutputBytes: 1024 * 1024,
    isRoot: o.isRoot,
    refreshApt: o.refreshApt,
    // Commands run in their own process groups: Ctrl-C reaches them only through this signal.
    signal: o.signal,
  });
  const http = createHttpClient({
    log,
    redactor,
    defaultTimeoutMs: o.timeoutMs,
    offline: o.offline,
    targetName: o.target.name,
    signal: o.signal,
    ...(o.transport !== undefined ? { transport: o.transport } : {}),
  });
  const limit = limiter(Math.max(1, o.concurrency));

  const selected = selectChecks(o.checks, o.only, o.skip);
  const skipped = o.checks.filter((c) => !selected.includes(c)).map((c) => c.meta.id);
  const wanted = new Set<FactId>();
  for (const c of selected) {
    if (c.pending !== undefined || o.config.notApplicable[c.meta.id] !== undefined) continue;
    for (const id of [...c.requires, ...(c.uses ?? [])]) wanted.add(id);
  }

  const outcomes = new Map<FactId, ProbeOutcome<unknown>>();
  const commands = new Map<string, Promise<ExecResult>>();
  const running = new Map<FactId, Promise<ProbeOutcome<unknown>>>();

  const runProbe = <K extends FactId>(id: K): Promise<ProbeOutcome<FactTypes[K]>> => {
    const existing = running.get(id);
    if (existing) return existing as Promise<ProbeOutcome<FactTypes[K]>>;
    const started = performance.now();
    const refs: number[] = [];
    const done = (r: ProbeOutcome<FactTypes[K]>) => {
      outcomes.set(id, r);
      o.onProbe?.({ id, phase: 'done', ok: r.ok, ...(r.ok ? {} : { reason: r.reason }), durationMs: r.durationMs });
      return r;
    };
    const probe = o.probes[id] as Probe<K> | undefined;
    let promise: Promise<ProbeOutcome<FactTypes[K]>>;
    if (!probe) {
      promise = Promise.resolve(done({ ok: false, reason: 'failed', detail: `no probe registered for ${id}`, refs, durationMs: 0 }));
    } else if (probe.network && o.offline) {
      promise = Promise.resolve(done({ ok: false, reason: 'disabled', detail: 'network probes are off (--offline)', refs, durationMs: 0 }));
    } else {
      o.onProbe?.({ id, phase: 'start' });
      const ctx: ProbeContext = {
        config: o.config,
        root: o.root,
        options: { offline: o.offline, refreshApt: o.refreshApt, timeoutMs: o.timeoutMs },
        targetName: o.target.name,
        env: o.env ?? {},
        ...(o.scratchDir !== undefined ? { scratchDir: o.scratchDir } : {}),
        signal: o.signal,
        now: probeNow,
        exec: async (argv, req) => {
          // Read-only commands give the same answer twice in one run: two probes asking for the
          // same command (crontab -l, systemctl list-timers) share one run and one log entry.
          const key = JSON.stringify([argv, o.isRoot ? false : req?.sudo === true, req?.env ?? {}]);
          let pending = commands.get(key);
          if (!pending) {
            pending = limit(() => runner.exec(argv, { ...req, probe: id }));
            commands.set(key, pending);
          }
          const r = await pending;
          refs.push(r.seq);
          return r;
        },
        readFile: async (path, maxBytes = 1024 * 1024) => runner.readFile(path, maxBytes, id),
        stat: (path) => runner.stat(path, id),
        readDir: (path) => runner.readDir(path, id),
        http: (req) =>
          limit(async () => {
            const r = await http.request({ ...req, probe: id });
            refs.push(r.seq);
            return r;
          }),
        addSecret: (v) => redactor.addSecret(v),
        probe: (dep) => runProbe(dep),
      };
      promise = probe
        .collect(ctx)
        .catch((err: unknown) => ({
          ok: false as const,
          reason: 'failed' as const,
          detail: `probe error: ${err instanceof Error ? err.message : String(err)}`,
        }))
        .then((r) => done({ ...r, refs: probeRefs(log, id, refs), durationMs: Math.round(performance.now() - started) }));
    }
    running.set(id, promise as Promise<ProbeOutcome<unknown>>);
    return promise;
  };

  const all = Promise.all([...wanted].map((id) => runProbe(id)));
  const interrupted = new Promise<'interrupted'>((resolve) => {
    if (o.signal.aborted) resolve('interrupted');
    o.signal.addEventListener('abort', () => resolve('interrupted'), { once: true });
  });
  const how = await Promise.race([all.then(() => 'done' as const), interrupted]);
  const incomplete = how === 'interrupted';
  if (incomplete) {
    for (const id of wanted) {
      if (!outcomes.has(id)) outcomes.set(id, { ok: false, reason: 'failed', detail: 'run interrupted before the probe finished', refs: [], durationMs: 0 });
    }
  }

  const ctx = { config: o.config, now: startedAt };
  // Waivers apply after evaluation: a check never sees them, and an expired one changes nothing.
  const { results, waivers } = applyWaivers(
    selected.map((c) => evaluateCheck(c, outcomes, ctx)),
    o.config.waivers ?? [],
    startedAt,
  );
  return { results, waivers, scores: score(results), outcomes, log, startedAt, finishedAt: now(), incomplete, skipped };
}
