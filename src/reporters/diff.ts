/**
 * Comparing two runs: `predeploy diff` and the "since the last run" section of the report.
 *
 * A run is read back from its `report.json` as a {@link RunSummary} — the few fields a diff
 * needs, validated, everything else ignored — so reports written by earlier versions of the
 * same schema still compare. Pure: the CLI reads the files and passes the parsed JSON in.
 */
import type { Severity, Status } from '../engine/types.js';
import { fmtScore, STATUS_LABEL } from './text.js';

/** The `schemaVersion` this version writes and reads. */
export const READABLE_SCHEMA_VERSION = 1;

const STATUSES: readonly string[] = ['pass', 'warn', 'fail', 'unknown', 'manual', 'waived', 'n/a'];
const SEVERITIES: readonly string[] = ['critical', 'high', 'medium', 'low'];

/** One check of a run, as a diff sees it. */
export interface RunCheck {
  id: string;
  title: string;
  section: string;
  severity: Severity;
  status: Status;
  blocker: boolean;
  summary: string;
}

/** What a diff and the score trend need from a run's report.json. */
export interface RunSummary {
  runId: string;
  startedAt: string;
  incomplete: boolean;
  /** --only/--skip/--offline: not comparable with a full run (false for reports written before the field) */
  partial: boolean;
  /**
   * What the run assessed: online or offline, and the checks --only/--skip left out. Runs are
   * compared by default only with a run of the same scope (see {@link scopeOf}).
   */
  scope: string;
  verdict: string;
  score: number | null;
  results: RunCheck[];
}

/**
 * Validate a parsed report.json. Returns the summary, or why it cannot be used (one line).
 * Only `schemaVersion` {@link READABLE_SCHEMA_VERSION} is read: another version may mean
 * something else by the same field names.
 */
export function parseRunSummary(json: unknown): { ok: true; run: RunSummary } | { ok: false; why: string } {
  if (json === null || typeof json !== 'object') return { ok: false, why: 'not a JSON object' };
  const version: unknown = Reflect.get(json, 'schemaVersion');
  if (version === undefined) return { ok: false, why: 'no schemaVersion: not a predeploy report.json' };
  if (version !== READABLE_SCHEMA_VERSION) return { ok: false, why: `schemaVersion ${String(version)} is not ${READABLE_SCHEMA_VERSION} (written by another version of predeploy)` };
  // Checked by hand, not with zod: this module loads on every start-up (the CLI imports the
  // report model), and zod is loaded only when a run needs it.
  const meta = field(json, 'meta');
  const runId = field(meta, 'runId');
  const startedAt = field(meta, 'startedAt');
  const incomplete = field(meta, 'incomplete');
  if (typeof runId !== 'string' || runId === '') return bad('meta.runId');
  if (typeof startedAt !== 'string' || Number.isNaN(Date.parse(startedAt))) return bad('meta.startedAt');
  if (typeof incomplete !== 'boolean') return bad('meta.incomplete');
  const verdict = field(json, 'verdict');
  const score = field(json, 'score');
  if (typeof verdict !== 'string') return bad('verdict');
  if (score !== null && typeof score !== 'number') return bad('score');
  const list = field(json, 'results');
  if (!Array.isArray(list)) return bad('results');
  const results: RunCheck[] = [];
  for (const [i, r] of list.entries()) {
    const [id, title, section, severity, status, blocker, summary] = ['id', 'title', 'section', 'severity', 'status', 'blocker', 'summary'].map((k) => field(r, k));
    if (typeof id !== 'string' || typeof title !== 'string' || typeof section !== 'string' || typeof summary !== 'string') return bad(`results.${i}`);
    if (typeof severity !== 'string' || !SEVERITIES.includes(severity)) return bad(`results.${i}.severity`);
    if (typeof status !== 'string' || !STATUSES.includes(status)) return bad(`results.${i}.status`);
    if (typeof blocker !== 'boolean') return bad(`results.${i}.blocker`);
    results.push({ id, title, section, severity: severity as Severity, status: status as Status, blocker, summary });
  }
  const offline = field(meta, 'offline') === true;
  const skippedField = field(meta, 'skipped');
  const skipped = Array.isArray(skippedField) ? skippedField.filter((x): x is string => typeof x === 'string') : [];
  const partial = field(meta, 'partial') === true || offline || skipped.length > 0;
  return { ok: true, run: { runId, startedAt, incomplete, partial, scope: scopeOf(offline, skipped), verdict, score, results } };
}

/** `online` or `offline`, then the left-out checks: two runs with equal scopes assessed the same checks the same way. */
export function scopeOf(offline: boolean, skipped: readonly string[]): string {
  return `${offline ? 'offline' : 'online'}${skipped.length > 0 ? ` without ${[...skipped].sort().join(',')}` : ''}`;
}

/** `o[key]` when `o` is an object that has it (read-back JSON is untrusted). */
export function field(o: unknown, key: string): unknown {
  return o !== null && typeof o === 'object' && Object.hasOwn(o, key) ? (o as Record<string, unknown>)[key] : undefined;
}

const bad = (path: string): { ok: false; why: string } => ({ ok: false, why: `incomplete report.json (${path} missing or malformed)` });

/** Runs in time order (`meta.startedAt`), then by id. */
export const byStartedAt = (a: { startedAt: string; runId: string }, b: { startedAt: string; runId: string }): number =>
  Date.parse(a.startedAt) - Date.parse(b.startedAt) || a.runId.localeCompare(b.runId);

/** A run named in a diff. */
export interface RunRef {
  runId: string;
  startedAt: string;
  score: number | null;
  verdict: string;
  incomplete: boolean;
  /** set when the run was partial (--only/--skip/--offline) */
  partial?: boolean;
}

/** A check whose status differs between the two runs. */
export interface StatusChange {
  id: string;
  title: string;
  severity: Severity;
  blocker: boolean;
  from: Status;
  to: Status;
  /** the check's summary in the later run */
  summary: string;
}

/** A check present in only one of the two runs. */
export interface PresenceChange {
  id: string;
  title: string;
  status: Status;
}

/** The difference between two runs, from `from` (earlier) to `to` (later). */
export interface RunDiff {
  from: RunRef;
  to: RunRef;
  /** to.score − from.score, one decimal; null when either has no score */
  scoreDelta: number | null;
  /** every check in both runs whose status changed, in catalog order */
  changed: StatusChange[];
  /** changed to `fail` */
  newlyFailing: StatusChange[];
  /** changed to `pass` */
  newlyPassing: StatusChange[];
  /** blockers that fail now and did not before */
  newBlockers: StatusChange[];
  /** blockers that failed before and do not now */
  resolvedBlockers: StatusChange[];
  /** checks only in the later run (new checks, or --only/--skip differences) */
  added: PresenceChange[];
  /** checks only in the earlier run */
  removed: PresenceChange[];
  /** checks in both runs with the same status */
  unchanged: number;
}

const ref = (r: RunSummary): RunRef => ({ runId: r.runId, startedAt: r.startedAt, score: r.score, verdict: r.verdict, incomplete: r.incomplete, ...(r.partial ? { partial: true } : {}) });

/** Compare two runs. Pure. */
export function diffRuns(from: RunSummary, to: RunSummary): RunDiff {
  const before = new Map(from.results.map((r) => [r.id, r]));
  const afterIds = new Set(to.results.map((r) => r.id));
  const changed: StatusChange[] = [];
  const added: PresenceChange[] = [];
  let unchanged = 0;
  for (const r of to.results) {
    const b = before.get(r.id);
    if (b === undefined) added.push({ id: r.id, title: r.title, status: r.status });
    else if (b.status === r.status) unchanged += 1;
    else changed.push({ id: r.id, title: r.title, severity: r.severity, blocker: r.blocker, from: b.status, to: r.status, summary: r.summary });
  }
  const removed = from.results.filter((r) => !afterIds.has(r.id)).map((r) => ({ id: r.id, title: r.title, status: r.status }));
  const scoreDelta = from.score === null || to.score === null ? null : Math.round((to.score - from.score) * 10) / 10;
  return {
    from: ref(from),
    to: ref(to),
    scoreDelta,
    changed,
    newlyFailing: changed.filter((c) => c.to === 'fail'),
    newlyPassing: changed.filter((c) => c.to === 'pass'),
    newBlockers: changed.filter((c) => c.blocker && c.to === 'fail'),
    resolvedBlockers: changed.filter((c) => c.blocker && c.from === 'fail'),
    added,
    removed,
    unchanged,
  };
}

/** `+3.5`, `-2`, `±0`, or `n/a`. */
export function fmtDelta(d: number | null): string {
  if (d === null) return 'n/a';
  if (d === 0) return '±0';
  return `${d > 0 ? '+' : '-'}${fmtScore(Math.abs(d))}`;
}

/** One status change as a line of `predeploy diff`'s text (the fleet diff indents it under its host). */
export const statusChangeLine = (c: StatusChange): string =>
  `  - ${c.id} (${c.severity}${c.blocker ? ', blocker' : ''}): ${STATUS_LABEL[c.from]} → ${STATUS_LABEL[c.to]} — ${c.summary.replace(/\s+/g, ' ').slice(0, 160)}`;

/** `predeploy diff` as text: what changed from the earlier run to the later one. */
export function renderDiffText(d: RunDiff): string {
  const L: string[] = [];
  L.push(`predeploy diff: ${d.from.runId} (${d.from.startedAt}) → ${d.to.runId} (${d.to.startedAt})`);
  for (const r of [d.from, d.to]) if (r.incomplete) L.push(`note: run ${r.runId} is incomplete (interrupted): its unfinished checks are unknown`);
  for (const r of [d.from, d.to]) if (r.partial === true) L.push(`note: run ${r.runId} is partial (--only/--skip/--offline): it did not assess everything, so it is not a like-for-like comparison`);
  L.push(`score:   ${fmtScore(d.from.score)} → ${fmtScore(d.to.score)} (${fmtDelta(d.scoreDelta)})`);
  L.push(`verdict: ${d.from.verdict} → ${d.to.verdict}`);
  const group = (title: string, items: StatusChange[]) => {
    L.push(`${title} (${items.length}):`);
    if (items.length === 0) L.push('  none');
    for (const c of items) L.push(statusChangeLine(c));
  };
  group('newly failing', d.newlyFailing);
  group('newly passing', d.newlyPassing);
  group('other status changes', d.changed.filter((c) => c.to !== 'fail' && c.to !== 'pass'));
  L.push(`new blockers (${d.newBlockers.length}): ${d.newBlockers.length === 0 ? 'none' : d.newBlockers.map((c) => c.id).join(', ')}`);
  L.push(`resolved blockers (${d.resolvedBlockers.length}): ${d.resolvedBlockers.length === 0 ? 'none' : d.resolvedBlockers.map((c) => c.id).join(', ')}`);
  if (d.added.length > 0) L.push(`only in ${d.to.runId} (${d.added.length}): ${d.added.map((a) => `${a.id} ${STATUS_LABEL[a.status]}`).join(', ')}`);
  if (d.removed.length > 0) L.push(`only in ${d.from.runId} (${d.removed.length}): ${d.removed.map((a) => `${a.id} ${STATUS_LABEL[a.status]}`).join(', ')}`);
  L.push(`${d.changed.length} changed, ${d.unchanged} unchanged`);
  return L.join('\n') + '\n';
}
