/**
 * The report model: everything the reporters print, as plain data. `report.json` is this
 * object; the other reporters are pure functions of it (plus the log entries for the log file).
 */
import type { ProbeRow } from '../engine/run-meta.js';
import type { Scores } from '../engine/scoring.js';
import { SECTIONS, SEVERITY_WEIGHT, type CheckResult, type Effort, type GapRow, type SectionId, type Severity } from '../engine/types.js';
import type { WaiverOutcome } from '../engine/waivers.js';
import type { LogChain } from '../safety/log-chain.js';
import { causeAction, causeKey } from '../engine/causes.js';
import type { Cause } from '../engine/types.js';
import { byStartedAt, diffRuns, scopeOf, type RunDiff, type RunSummary } from './diff.js';

export type { GapRow, ProbeRow };

/** One probe's key facts, in the section whose check attached them. */
export interface KeyFact {
  section: SectionId;
  probe: string;
  ok: boolean;
  value: string;
  refs: number[];
}

/** Sections whose key facts the report shows. */
export const KEY_FACT_SECTIONS: readonly SectionId[] = ['security', 'backup'];

export const SCHEMA_VERSION = 1;

export interface RunMeta {
  runId: string;
  tool: { name: 'predeploy'; version: string };
  root: string;
  outDir: string;
  target: string;
  /**
   * Set when the target is another machine: where the live web checks (HTTP, TLS handshakes
   * made by predeploy itself) ran from, e.g. `the machine predeploy ran on (ci-runner-3)`.
   */
  webFrom?: string;
  profile: string;
  configSource: string | null;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  offline: boolean;
  /**
   * true when the run did not assess everything it would by default: --only/--skip left checks
   * out, or --offline turned the network probes off. A partial run is not compared with full runs.
   */
  partial: boolean;
  /** true when the run was interrupted: results are partial */
  incomplete: boolean;
  /**
   * Why an incomplete run stopped, when it was not a plain interrupt: `SIGTERM`, an internal
   * error, or (in the report written when the run starts) that it has not finished yet.
   */
  stopped?: string;
  /** check ids left out by --only/--skip */
  skipped: string[];
  /** how many entries the commands log holds */
  logEntries: number;
  /** the files this run writes in its folder */
  files: string[];
}

export interface Action {
  rank: number;
  checkId: string;
  title: string;
  severity: Severity;
  status: CheckResult['status'];
  blocker: boolean;
  /** what to do, one line */
  text: string;
  command?: string;
  url?: string;
  effort: Effort;
}

export interface Report {
  schemaVersion: typeof SCHEMA_VERSION;
  meta: RunMeta;
  verdict: Scores['verdict'];
  verdictReasons: string[];
  /** rounded to one decimal, for display */
  score: number | null;
  /** the unrounded score the verdict and the gates use */
  scoreExact: number | null;
  sections: { id: string; number: number; title: string; score: number | null; earned: number; possible: number; counts: Scores['overall']['counts'] }[];
  counts: Scores['overall']['counts'];
  results: CheckResult[];
  blockers: CheckResult[];
  actions: Action[];
  /** Σ effort hours of all actions, [low, high]: exactly {@link effortToFix} + {@link effortToVerify} */
  totalEffortHours: [number, number];
  /** Σ effort hours of the failing and warning items: the work to fix what was found */
  effortToFix: [number, number];
  /** Σ effort hours of the items not verified (unknown) or needing an attestation (manual) */
  effortToVerify: [number, number];
  /** what could not be verified, grouped by root cause: one action each, most weight first */
  causes: CauseGroup[];
  gaps: GapRow[];
  /** what the waivers of predeploy.yaml did: applied (the check is `waived`), expired, unused */
  waivers: WaiverOutcome;
  /** every probe of the run: ok or why not, duration, log entries, the sections that read it */
  probes: ProbeRow[];
  /** the key raw facts behind the security and backup sections */
  keyFacts: KeyFact[];
  /** earlier runs in the same output folder: the score trend and the change since the last one */
  history: History;
  /** things the reader should know that are no check's finding (ignored attestations, ...) */
  notes: string[];
  /** the commands log's hash chain: every entry's hashes and the head (`predeploy verify` checks it) */
  logChain?: LogChain;
  /** values this run took from discovery (the configuration left them undecided), each with its source */
  discovered?: DiscoveredRow[];
  /** what discovery noticed but did not decide */
  discoveryNotes?: string[];
}

/** One root cause of unknowns, with the one action that removes it and the checks it unlocks. */
export interface CauseGroup {
  /** 1-based, in this order: checks refer to it as "see cause N" */
  n: number;
  key: string;
  cause: Cause;
  title: string;
  action: string;
  command?: string;
  /** the ids of the checks it keeps from being verified */
  checks: string[];
  /** Σ severity weight of those checks: severity × checks unlocked, the order of the causes */
  severityWeight: number;
}

/** One configuration value the run discovered on the machine. */
export interface DiscoveredRow {
  path: string;
  value: string;
  /** `discovered: nginx server_name at /etc/nginx/sites-enabled/x:12` */
  source: string;
}

/** One run on the score trend. */
export interface TrendPoint {
  runId: string;
  startedAt: string;
  score: number | null;
  verdict: string;
  /** true for this run */
  current: boolean;
  /** a partial run (--only/--skip/--offline): shown on the trend, never compared as a full run */
  partial: boolean;
}

export interface History {
  /** complete runs in time order, this one last; at most {@link TREND_MAX} */
  trend: TrendPoint[];
  /** this run compared with the latest complete earlier run of the same scope (full with full), when there is one */
  previous: RunDiff | null;
  /** earlier run folders that were left out, and why */
  notes: string[];
}

/** How many runs the trend shows. */
export const TREND_MAX = 30;

/** Earlier runs as the CLI read them from the output folder: complete ones, and notes on the rest. */
export interface EarlierRuns {
  runs: RunSummary[];
  notes: string[];
}

const isBlocking = (r: CheckResult) => r.blocker && r.status === 'fail';

/** Statuses that need an action; the rank breaks ties after blockers, severity and effort. */
const STATUS_RANK: Record<string, number> = { fail: 0, warn: 1, unknown: 2, manual: 3 };

/**
 * The recommended actions in priority order: failing blockers first, then by severity, then the
 * smallest effort first (quick wins among equals); fail before warn before not-verified breaks
 * the remaining ties. `waived` checks are accepted risks and get no action.
 */
export function prioritizedActions(results: readonly CheckResult[], causeNumbers?: ReadonlyMap<string, number[]>): Action[] {
  const open = results.filter((r) => r.status in STATUS_RANK);
  open.sort(
    (a, b) =>
      Number(isBlocking(b)) - Number(isBlocking(a)) ||
      SEVERITY_WEIGHT[b.severity] - SEVERITY_WEIGHT[a.severity] ||
      a.effort.hours[1] - b.effort.hours[1] ||
      a.effort.hours[0] - b.effort.hours[0] ||
      (STATUS_RANK[a.status] ?? 9) - (STATUS_RANK[b.status] ?? 9) ||
      a.id.localeCompare(b.id),
  );
  return open.map((r, i) => ({
    rank: i + 1,
    checkId: r.id,
    title: r.title,
    severity: r.severity,
    status: r.status,
    blocker: isBlocking(r),
    text: actionText(r, causeNumbers),
    ...(r.remediation.command && !(r.status === 'unknown' && causeNumbers?.has(r.id)) ? { command: r.remediation.command } : {}),
    ...(r.remediation.url ? { url: r.remediation.url } : {}),
    effort: r.effort,
  }));
}

function actionText(r: CheckResult, causeNumbers?: ReadonlyMap<string, number[]>): string {
  if (r.status === 'unknown') return notVerifiedText(causeNumbers?.get(r.id) ?? []) ?? `Verify: ${r.summary}. ${r.remediation.text}`;
  if (r.status === 'manual') return `Attest: ${r.summary}`;
  return r.remediation.text;
}

/** `not verified — see cause 2` (or `causes 1, 3`); undefined when the check names no cause. */
export function notVerifiedText(ns: readonly number[]): string | undefined {
  if (ns.length === 0) return undefined;
  return `not verified — see cause${ns.length > 1 ? 's' : ''} ${ns.join(', ')}`;
}

/** The cause numbers of each check (check id → cause numbers, in order). */
export function causeNumbersOf(causes: readonly CauseGroup[]): Map<string, number[]> {
  const m = new Map<string, number[]>();
  for (const c of causes) for (const id of c.checks) m.set(id, [...(m.get(id) ?? []), c.n]);
  return m;
}

/**
 * The unknowns grouped by root cause ({@link causeKey}): one entry a cause, with the action that
 * removes it and the checks it unlocks, sorted by Σ severity weight of those checks (severity ×
 * checks unlocked), then by how many, then by title. Waived and n/a checks are left out.
 */
export function causeGroupsOf(results: readonly CheckResult[]): CauseGroup[] {
  const groups = new Map<string, { cause: Cause; checks: CheckResult[] }>();
  for (const r of results) {
    if (r.status === 'waived' || r.status === 'n/a' || r.status === 'pass') continue;
    for (const u of r.unverified) {
      const key = causeKey(u.cause);
      const g = groups.get(key) ?? { cause: u.cause, checks: [] };
      if (!g.checks.includes(r)) g.checks.push(r);
      groups.set(key, g);
    }
  }
  const list = [...groups.entries()].map(([key, g]) => {
    const a = causeAction(g.cause);
    return {
      key,
      cause: g.cause,
      title: a.title,
      action: a.action,
      ...(a.command !== undefined ? { command: a.command } : {}),
      checks: g.checks.map((c) => c.id),
      severityWeight: g.checks.reduce((t, c) => t + SEVERITY_WEIGHT[c.severity], 0),
    };
  });
  list.sort((a, b) => b.severityWeight - a.severityWeight || b.checks.length - a.checks.length || a.title.localeCompare(b.title) || a.key.localeCompare(b.key));
  return list.map((g, i) => ({ n: i + 1, ...g }));
}

const sumHours = (actions: readonly Action[]): [number, number] => actions.reduce<[number, number]>((t, a) => [t[0] + a.effort.hours[0], t[1] + a.effort.hours[1]], [0, 0]);

/** What {@link buildReport} needs: the run's results and, optionally, what surrounds them. */
export interface ReportInput {
  meta: RunMeta;
  results: CheckResult[];
  scores: Scores;
  waivers?: WaiverOutcome;
  /** the run's probe table (engine/run-meta.ts) */
  probes?: ProbeRow[];
  /** the run's notes (ignored attestations, ...) */
  notes?: string[];
  /** earlier complete runs in the output folder */
  earlier?: EarlierRuns;
  /** discovery: the values the run used, conflicts with the configuration (it won), notes */
  discovery?: { used: readonly DiscoveredRow[]; conflicts: readonly string[]; notes: readonly string[] };
  /** the commands log's hash chain */
  logChain?: LogChain;
}

/** This run as a diff sees it. */
export function runSummaryOf(meta: RunMeta, results: readonly CheckResult[], scores: Scores): RunSummary {
  return {
    runId: meta.runId,
    startedAt: meta.startedAt,
    incomplete: meta.incomplete,
    partial: meta.partial,
    scope: scopeOf(meta.offline, meta.skipped),
    verdict: scores.verdict,
    score: scores.overall.score,
    results: results.map((r) => ({ id: r.id, title: r.title, section: r.section, severity: r.severity, status: r.status, blocker: r.blocker, summary: r.summary })),
  };
}

/** The trend and the change since the latest complete earlier run. */
export function historyOf(current: RunSummary, earlier: EarlierRuns | undefined): History {
  const runs = (earlier?.runs ?? []).filter((r) => !r.incomplete && r.runId !== current.runId && byStartedAt(r, current) < 0).sort(byStartedAt);
  // a partial run (--only/--skip/--offline) is never compared as if it were full, either way:
  // "since the last run" is the latest earlier run of the same scope (a full run with a full run)
  const last = runs.filter((r) => r.scope === current.scope).at(-1);
  const point = (r: RunSummary, isCurrent: boolean): TrendPoint => ({ runId: r.runId, startedAt: r.startedAt, score: r.score, verdict: r.verdict, current: isCurrent, partial: r.partial });
  return {
    trend: [...runs.slice(-(TREND_MAX - 1)).map((r) => point(r, false)), point(current, true)],
    previous: last ? diffRuns(last, current) : null,
    notes: earlier?.notes ?? [],
  };
}

/** The key facts of the security and backup sections, as their checks attached them (once a probe). */
export function keyFactsOf(results: readonly CheckResult[]): KeyFact[] {
  const out: KeyFact[] = [];
  for (const section of KEY_FACT_SECTIONS) {
    const seen = new Set<string>();
    for (const r of results.filter((x) => x.section === section)) {
      for (const k of r.keyFacts) {
        if (seen.has(k.probe)) continue;
        seen.add(k.probe);
        out.push({ section, probe: k.probe, ok: k.ok, value: k.text, refs: k.refs });
      }
    }
  }
  return out;
}

export function buildReport(input: ReportInput): Report {
  const { meta, results, scores } = input;
  const causes = causeGroupsOf(results);
  const actions = prioritizedActions(results, causeNumbersOf(causes));
  const effortToFix = sumHours(actions.filter((a) => a.status === 'fail' || a.status === 'warn'));
  const effortToVerify = sumHours(actions.filter((a) => a.status === 'unknown' || a.status === 'manual'));
  const totalEffortHours: [number, number] = [effortToFix[0] + effortToVerify[0], effortToFix[1] + effortToVerify[1]];
  return {
    schemaVersion: SCHEMA_VERSION,
    meta,
    verdict: scores.verdict,
    verdictReasons: scores.verdictReasons,
    score: scores.overall.score,
    scoreExact: scores.overall.exact,
    sections: SECTIONS.map((s) => ({ id: s.id, number: s.number, title: s.title, ...scores.sections[s.id] })),
    counts: scores.overall.counts,
    results,
    blockers: results.filter(isBlocking),
    actions,
    totalEffortHours,
    effortToFix,
    effortToVerify,
    causes,
    gaps: results.flatMap((r) => r.gapRows),
    waivers: input.waivers ?? { applied: [], expired: [], unused: [] },
    probes: input.probes ?? [],
    keyFacts: keyFactsOf(results),
    history: historyOf(runSummaryOf(meta, results, scores), input.earlier),
    notes: [...(input.notes ?? []), ...(input.discovery?.conflicts ?? [])],
    ...(input.discovery && (input.discovery.used.length > 0 || input.discovery.notes.length > 0)
      ? { discovered: [...input.discovery.used], discoveryNotes: [...input.discovery.notes] }
      : {}),
    ...(input.logChain !== undefined ? { logChain: input.logChain } : {}),
  };
}
