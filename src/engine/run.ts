/**
 * Run orchestration: plan → probes (concurrent, once each, via the safety layer) → checks
 * (pure) → scores. Never throws for a probe's sake: a failed probe is a value.
 */
import type { Config } from '../config/schema.js';
import type { FactId, FactTypes } from '../facts/index.js';
import { CommandLog, type LogSink } from '../safety/command-log.js';
import { createHttpClient, type HttpTransport } from '../safety/http.js';
import { Redactor } from '../safety/redactor.js';
import { createRunner } from '../safety/runner.js';
import { evaluateCheck } from './evaluate.js';
import { attestationNotes, probeRows, type ProbeRow } from './run-meta.js';
import { score, type Scores } from './scoring.js';
import { applyWaivers, type WaiverOutcome } from './waivers.js';
import type { Check, CheckResult, ExecResult, Probe, ProbeContext, ProbeFailure, ProbeOutcome, Target } from './types.js';
import { SECTIONS } from './types.js';

/** One assessment: the session's settings, plus the configuration and the checks it judges. */
export interface RunOptions extends SessionOptions {
  config: Config;
  /** where the config came from (a file path), or null for the built-in profile */
  configSource: string | null;
  checks: readonly Check[];
  /** section ids or check ids; empty = all */
  only: readonly string[];
  skip: readonly string[];
  onProbe?: (event: ProbeEvent) => void;
  /** a session already used (by discovery): its log and command cache carry on */
  session?: ProbeSession;
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
  /** every probe of the run: ok or why not, duration, log entries, the sections that read it */
  probes: ProbeRow[];
  /** things the reader should know that are no check's finding (ignored attestations, ...) */
  notes: string[];
  /** wall time of the probe phase and of evaluation, for `--timings` */
  timings: { probesMs: number; checksMs: number };
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
  const reads = log.readsOf(id);
  return [...new Set([...direct, ...reads])].sort((a, b) => a - b);
}

/** What a probe session needs: the target and the run's safety layer settings. */
export interface SessionOptions {
  root: string;
  target: Target;
  probes: { readonly [K in FactId]?: Probe<K> };
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
  /** the streamed commands log: each entry once it is final (see CommandLog.release) */
  logSink?: LogSink;
  /** the commands log to write to (a capture watches it); default: a new one on `now` */
  log?: CommandLog;
  /** what sends HTTP requests (a capture records, a replay answers from its bundle); default: the network */
  transport?: HttpTransport;
  /** `frozen`: probes read the run's start time from `ctx.now()` (capture and replay) */
  probeClock?: 'live' | 'frozen';
}

/**
 * Registered probes run once each for one configuration; `context(label)` gives a collector that
 * is not a registered probe (discovery) the same gated, logged I/O, its entries labelled `label`.
 */
export interface ProbeScope {
  run<K extends FactId>(id: K): Promise<ProbeOutcome<FactTypes[K]>>;
  readonly outcomes: ReadonlyMap<FactId, ProbeOutcome<unknown>>;
  context(label: string): ProbeContext;
}

/**
 * One run's I/O: the commands log, the gated runner and HTTP client, the limiter, and the
 * command cache. Scopes made from one session share the cache, so a command that discovery and
 * a probe both need (`nginx -T`, `ss -tlnp`) runs once, and both cite its one log entry.
 */
export interface ProbeSession {
  readonly log: CommandLog;
  readonly startedAt: Date;
  scope(config: Config, onProbe?: (event: ProbeEvent) => void): ProbeScope;
  /**
   * Start the probes of {@link CONFIG_FREE_PROBES} among `ids` now (they read no configuration,
   * so their outcome holds for every scope): they run while discovery waits.
   */
  prewarm(config: Config, ids: Iterable<FactId>): void;
}

/**
 * Probes whose outcome does not depend on the configuration (they read neither `ctx.config` nor a
 * probe that does): one outcome serves every scope of a session — discovery's and the run's.
 */
export const CONFIG_FREE_PROBES: ReadonlySet<FactId> = new Set<FactId>([
  'host.apt-upgradable',
  'host.backup-jobs',
  'host.certbot',
  'host.certbot-renewal',
  'host.disk',
  'host.fail2ban',
  'host.listening',
  'host.netfilter',
  'host.processes',
  'host.sshd',
  'host.ufw',
  'project.attestations',
  'project.policies',
  'project.runbooks',
  'project.world-readable',
]);

/**
 * Config-free probes whose command takes longest, longest first: {@link ProbeSession.prewarm}
 * starts them before the others so that they overlap all the rest of the run. `apt list
 * --upgradable` builds apt's package cache in memory when the cache file is disabled (as in
 * Docker images), about a second of CPU; `certbot certificates` is a Python start-up, and
 * discovery waits for its lineage names.
 */
const LONG_PROBES: readonly FactId[] = ['host.apt-upgradable', 'host.certbot', 'host.fail2ban', 'host.ufw'];

/** The probes the selected checks read (`--only`/`--skip` and notApplicable applied). */
export function wantedProbes(checks: readonly Check[], only: readonly string[], skip: readonly string[], config: Config): Set<FactId> {
  const wanted = new Set<FactId>();
  for (const c of selectChecks(checks, only, skip)) {
    if (config.notApplicable[c.meta.id] !== undefined) continue;
    for (const id of [...c.requires, ...(c.uses ?? [])]) wanted.add(id);
  }
  return wanted;
}

export function createProbeSession(o: SessionOptions): ProbeSession {
  const now = o.now ?? (() => new Date());
  const startedAt = now();
  const redactor = o.redactor;
  const log = o.log ?? new CommandLog(redactor, { now, ...(o.logSink !== undefined ? { sink: o.logSink } : {}) });
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
  const commands = new Map<string, Promise<ExecResult>>();
  const shared = new Map<FactId, Promise<ProbeOutcome<unknown>>>();

  const scope = (config: Config, onProbe?: (event: ProbeEvent) => void): ProbeScope => {
    const outcomes = new Map<FactId, ProbeOutcome<unknown>>();
    const running = new Map<FactId, Promise<ProbeOutcome<unknown>>>();

    const contextFor = (label: string, refs: number[]): ProbeContext => ({
      config,
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
          pending = limit(() => runner.exec(argv, { ...req, probe: label }));
          commands.set(key, pending);
        }
        const r = await pending;
        refs.push(r.seq);
        return r;
      },
      readFile: async (path, maxBytes = 1024 * 1024) => runner.readFile(path, maxBytes, label),
      stat: (path) => runner.stat(path, label),
      readDir: (path) => runner.readDir(path, label),
      http: (req) =>
        limit(async () => {
          const r = await http.request({ ...req, probe: label });
          refs.push(r.seq);
          return r;
        }),
      addSecret: (v) => redactor.addSecret(v),
      probe: (dep) => runProbe(dep),
    });

    const runProbe = <K extends FactId>(id: K): Promise<ProbeOutcome<FactTypes[K]>> => {
      const existing = running.get(id);
      if (existing) return existing as Promise<ProbeOutcome<FactTypes[K]>>;
      const free = CONFIG_FREE_PROBES.has(id) ? shared.get(id) : undefined;
      if (free) {
        // started by another scope (prewarmed, or by discovery): its one outcome, reported here too
        onProbe?.({ id, phase: 'start' });
        const p = free.then((r) => {
          outcomes.set(id, r);
          onProbe?.({ id, phase: 'done', ok: r.ok, ...(r.ok ? {} : { reason: r.reason }), durationMs: r.durationMs });
          return r;
        });
        running.set(id, p);
        return p as Promise<ProbeOutcome<FactTypes[K]>>;
      }
      const started = performance.now();
      const refs: number[] = [];
      const done = (r: ProbeOutcome<FactTypes[K]>) => {
        outcomes.set(id, r);
        // the probe has registered every secret it learned: its log entries may reach the disk
        log.release(id);
        onProbe?.({ id, phase: 'done', ok: r.ok, ...(r.ok ? {} : { reason: r.reason }), durationMs: r.durationMs });
        return r;
      };
      const probe = o.probes[id] as Probe<K> | undefined;
      let promise: Promise<ProbeOutcome<FactTypes[K]>>;
      if (!probe) {
        promise = Promise.resolve(done({ ok: false, reason: 'failed', detail: `no probe registered for ${id}`, refs, durationMs: 0 }));
      } else if (probe.network && o.offline) {
        promise = Promise.resolve(done({ ok: false, reason: 'disabled', detail: 'network probes are off (--offline)', cause: { kind: 'offline' }, refs, durationMs: 0 }));
      } else {
        onProbe?.({ id, phase: 'start' });
        promise = probe
          .collect(contextFor(id, refs))
          .catch((err: unknown): ProbeFailure => ({
            ok: false,
            reason: 'failed',
            detail: `probe error: ${err instanceof Error ? err.message : String(err)}`,
          }))
          .then((r) => done({ ...r, refs: probeRefs(log, id, refs), durationMs: Math.round(performance.now() - started) }));
      }
      running.set(id, promise as Promise<ProbeOutcome<unknown>>);
      if (CONFIG_FREE_PROBES.has(id)) shared.set(id, promise as Promise<ProbeOutcome<unknown>>);
      return promise;
    };

    return { run: runProbe, outcomes, context: (label) => contextFor(label, []) };
  };

  const prewarm = (config: Config, ids: Iterable<FactId>): void => {
    const s = scope(config);
    // the longest first: they take their command slots before the quick ones queue up
    const free = [...ids].filter((id) => CONFIG_FREE_PROBES.has(id));
    const order = (id: FactId) => (LONG_PROBES.includes(id) ? LONG_PROBES.indexOf(id) : LONG_PROBES.length);
    for (const id of free.sort((a, b) => order(a) - order(b))) void s.run(id);
  };

  return { log, startedAt, scope, prewarm };
}

export async function runAssessment(o: RunOptions): Promise<RunResult> {
  const now = o.now ?? (() => new Date());
  const session = o.session ?? createProbeSession(o);
  const startedAt = session.startedAt;
  const log = session.log;

  const selected = selectChecks(o.checks, o.only, o.skip);
  const skipped = o.checks.filter((c) => !selected.includes(c)).map((c) => c.meta.id);
  const wanted = wantedProbes(o.checks, o.only, o.skip, o.config);

  const scope = session.scope(o.config, o.onProbe);
  const outcomes = scope.outcomes as Map<FactId, ProbeOutcome<unknown>>;
  const runProbe = scope.run;
  const probesStarted = performance.now();

  // Interrupted before it began (a signal during start-up): start nothing.
  const all = o.signal.aborted ? Promise.resolve([]) : Promise.all([...wanted].map((id) => runProbe(id)));
  const interrupted = new Promise<'interrupted'>((resolve) => {
    if (o.signal.aborted) resolve('interrupted');
    o.signal.addEventListener('abort', () => resolve('interrupted'), { once: true });
  });
  const how = await Promise.race([all.then(() => 'done' as const), interrupted]);
  const incomplete = how === 'interrupted';
  if (incomplete) {
    for (const id of wanted) {
      if (!outcomes.has(id)) outcomes.set(id, { ok: false, reason: 'failed', detail: 'run interrupted before the probe finished', cause: { kind: 'interrupted' }, refs: [], durationMs: 0 });
    }
  }

  const probesMs = Math.round(performance.now() - probesStarted);
  const checksStarted = performance.now();
  const judged = judge(o, selected, outcomes, startedAt);
  const timings = { probesMs, checksMs: Math.round(performance.now() - checksStarted) };
  return {
    ...judged,
    outcomes,
    log,
    startedAt,
    finishedAt: now(),
    incomplete,
    skipped,
    probes: probeRows(outcomes, o.checks),
    notes: attestationNotes(outcomes, o.checks),
    timings,
  };
}

/** Checks → results (waivers applied after evaluation: a check never sees them) → scores. */
function judge(o: Pick<RunOptions, 'config'>, selected: readonly Check[], outcomes: ReadonlyMap<FactId, ProbeOutcome<unknown>>, startedAt: Date) {
  const ctx = { config: o.config, now: startedAt };
  const { results, waivers } = applyWaivers(
    selected.map((c) => evaluateCheck(c, outcomes, ctx)),
    o.config.waivers ?? [],
    startedAt,
  );
  return { results, waivers, scores: score(results) };
}

/**
 * The results of a run that has not run: every selected check `unknown` because its probes
 * did not finish (`detail` says why). The CLI writes a report from these when the run folder is
 * created, so a run killed before it could write its own results still leaves a report that
 * says so — replaced atomically by the real one at the end.
 */
export function unfinishedRun(o: Pick<RunOptions, 'config' | 'checks' | 'only' | 'skip'>, startedAt: Date, detail: string): Pick<RunResult, 'results' | 'waivers' | 'scores' | 'skipped'> {
  const selected = selectChecks(o.checks, o.only, o.skip);
  const outcomes = new Map<FactId, ProbeOutcome<unknown>>();
  for (const c of selected) for (const id of [...c.requires, ...(c.uses ?? [])]) outcomes.set(id, { ok: false, reason: 'failed', detail, cause: { kind: 'interrupted' }, refs: [], durationMs: 0 });
  return { ...judge(o, selected, outcomes, startedAt), skipped: o.checks.filter((c) => !selected.includes(c)).map((c) => c.meta.id) };
}
