/**
 * Comparing two fleet runs (`predeploy diff` on two `assess --inventory` / `--target ssh://…`
 * run folders): per host, the check-status changes of {@link diffRuns}, hosts added and removed,
 * hosts that became unreachable or reachable, score and verdict changes; then the fleet's worst
 * host before and after.
 *
 * A fleet run is read back from its `fleet.json` as a {@link FleetRunSummary} (validated, the
 * few fields a diff needs) and each assessed host's `report.json` as a {@link RunSummary}. Pure:
 * the CLI reads the files (src/cli/history.ts) and passes the parsed values in.
 */
import { diffRuns, field, fmtDelta, statusChangeLine, type RunDiff, type RunSummary, type StatusChange } from './diff.js';
import { worstFirst } from './fleet.js';
import { fmtScore, oneLine } from './text.js';

/** One host of a fleet run, as a diff sees it. */
export interface FleetRunHost {
  name: string;
  /** the host's run folder, relative to the fleet folder (a plain name) */
  folder: string;
  state: 'assessed' | 'unreachable' | 'error';
  reason?: string;
  detail?: string;
  verdict?: string;
  score?: number | null;
  incomplete?: boolean;
}

/** What a fleet diff needs from a fleet run's `fleet.json`. */
export interface FleetRunSummary {
  runId: string;
  startedAt: string;
  /** interrupted: a host did not finish, or was never started */
  incomplete: boolean;
  hosts: FleetRunHost[];
}

const STATES: readonly string[] = ['assessed', 'unreachable', 'error'];

const bad = (path: string): { ok: false; why: string } => ({ ok: false, why: `incomplete fleet.json (${path} missing or malformed)` });

/** A host folder name as the fleet writes it: one path segment, never `.` or `..`. */
const PLAIN_FOLDER = /^(?!\.{1,2}$)[A-Za-z0-9._@-]{1,120}$/;

/**
 * Validate a parsed fleet.json. Returns the summary, or why it cannot be used (one line). Only
 * `schemaVersion` 1 with `kind: "fleet"` is read.
 */
export function parseFleetRunSummary(json: unknown): { ok: true; fleet: FleetRunSummary } | { ok: false; why: string } {
  if (json === null || typeof json !== 'object') return { ok: false, why: 'not a JSON object' };
  if (field(json, 'kind') !== 'fleet') return { ok: false, why: 'no "kind": "fleet": not a predeploy fleet.json' };
  const version = field(json, 'schemaVersion');
  if (version !== 1) return { ok: false, why: `schemaVersion ${String(version)} is not 1 (written by another version of predeploy)` };
  const runId = field(json, 'runId');
  const startedAt = field(json, 'startedAt');
  if (typeof runId !== 'string' || runId === '') return bad('runId');
  if (typeof startedAt !== 'string' || Number.isNaN(Date.parse(startedAt))) return bad('startedAt');
  const list = field(json, 'hosts');
  if (!Array.isArray(list)) return bad('hosts');
  const hosts: FleetRunHost[] = [];
  const names = new Set<string>();
  for (const [i, r] of list.entries()) {
    const [name, folder, state, reason, detail, verdict, score, incomplete] = ['name', 'folder', 'state', 'reason', 'detail', 'verdict', 'score', 'incomplete'].map((k) => field(r, k));
    if (typeof name !== 'string' || name === '' || names.has(name)) return bad(`hosts.${i}.name`);
    if (typeof folder !== 'string' || !PLAIN_FOLDER.test(folder)) return bad(`hosts.${i}.folder`);
    if (typeof state !== 'string' || !STATES.includes(state)) return bad(`hosts.${i}.state`);
    if (state === 'assessed' && typeof verdict !== 'string') return bad(`hosts.${i}.verdict`);
    if (score !== undefined && score !== null && typeof score !== 'number') return bad(`hosts.${i}.score`);
    names.add(name);
    hosts.push({
      name,
      folder,
      state: state as FleetRunHost['state'],
      ...(typeof reason === 'string' ? { reason } : {}),
      ...(typeof detail === 'string' ? { detail } : {}),
      ...(typeof verdict === 'string' ? { verdict } : {}),
      ...(score !== undefined ? { score: score as number | null } : {}),
      ...(incomplete === true ? { incomplete: true } : {}),
    });
  }
  // written by this version when the run was interrupted; older fleet.json files say it per host
  const incomplete = field(json, 'incomplete') === true || hosts.some((h) => h.incomplete === true || h.reason === 'interrupted');
  return { ok: true, fleet: { runId, startedAt, incomplete, hosts } };
}

/** A fleet run with its hosts' reports: what {@link diffFleets} compares. */
export interface FleetRunInput {
  fleet: FleetRunSummary;
  /** the report of each assessed host whose report.json could be read, by host name */
  reports: ReadonlyMap<string, RunSummary>;
  /** hosts whose report.json could not be read, and why */
  unreadable: ReadonlyMap<string, string>;
}

/**
 * The scope of a fleet run: the distinct scopes of its hosts' reports (online/offline and the
 * checks left out, see `scopeOf`), so two fleet runs are compared by default only when they
 * assessed their hosts the same way.
 */
export function fleetScope(reports: Iterable<RunSummary>): string {
  const scopes = [...new Set([...reports].map((r) => r.scope))].sort();
  return scopes.length === 0 ? 'no host assessed' : scopes.join(' + ');
}

/** A fleet run named in a diff. */
export interface FleetRef {
  runId: string;
  startedAt: string;
  incomplete: boolean;
  hosts: number;
  assessed: number;
  /** the worst assessed host (worst verdict, then lowest score, then name); null when none was assessed */
  worst: { host: string; verdict: string; score: number | null } | null;
}

/** One host on one side of a fleet diff. */
export interface FleetHostSide {
  state: FleetRunHost['state'];
  verdict?: string;
  score?: number | null;
  reason?: string;
  detail?: string;
  incomplete?: boolean;
}

export type FleetHostChange =
  /** only in the later run */
  | 'added'
  /** only in the earlier run */
  | 'removed'
  /** assessed before, unreachable now */
  | 'became-unreachable'
  /** assessed before, not assessed now for another reason (root missing, config error, interrupted) */
  | 'not-assessed'
  /** not assessed before, assessed now */
  | 'became-reachable'
  /** not assessed in either run */
  | 'still-not-assessed'
  /** assessed in both: a status, the score or the verdict changed */
  | 'changed'
  | 'unchanged';

/** One host of a fleet diff. */
export interface FleetHostDiff {
  name: string;
  change: FleetHostChange;
  from: FleetHostSide | null;
  to: FleetHostSide | null;
  /** to.score − from.score, one decimal; null unless both were assessed with a score */
  scoreDelta: number | null;
  /** the check-status changes, when the host was assessed in both runs and both reports were read */
  checks?: RunDiff;
  /** why the check-status changes are missing for a host assessed in both runs */
  note?: string;
}

/** The difference between two fleet runs, from `from` (earlier) to `to` (later). */
export interface FleetDiff {
  kind: 'fleet';
  from: FleetRef;
  to: FleetRef;
  /** every host of either run: the most serious change first, then by name */
  hosts: FleetHostDiff[];
  summary: {
    /** the worst host before and after (null: none assessed) */
    worstBefore: FleetRef['worst'];
    worstAfter: FleetRef['worst'];
    /** how many hosts had each kind of change */
    changes: Record<FleetHostChange, number>;
    /** across the hosts assessed in both runs */
    newlyFailing: number;
    newlyPassing: number;
    newBlockers: number;
    resolvedBlockers: number;
  };
  /** what the reader should know: incomplete runs, unreadable host reports, different scopes */
  notes: string[];
}

function worstOf(hosts: readonly FleetRunHost[]): FleetRef['worst'] {
  const w = hosts.filter((h) => h.state === 'assessed').sort(worstFirst)[0];
  return w === undefined ? null : { host: w.name, verdict: w.verdict ?? '—', score: w.score ?? null };
}

const refOf = (f: FleetRunSummary): FleetRef => ({
  runId: f.runId,
  startedAt: f.startedAt,
  incomplete: f.incomplete,
  hosts: f.hosts.length,
  assessed: f.hosts.filter((h) => h.state === 'assessed').length,
  worst: worstOf(f.hosts),
});

function side(h: FleetRunHost): FleetHostSide {
  return {
    state: h.state,
    ...(h.verdict !== undefined ? { verdict: h.verdict } : {}),
    ...(h.score !== undefined ? { score: h.score } : {}),
    ...(h.reason !== undefined ? { reason: h.reason } : {}),
    ...(h.detail !== undefined ? { detail: h.detail } : {}),
    ...(h.incomplete === true ? { incomplete: true } : {}),
  };
}

/** The order hosts are listed in: what got worse first. */
const CHANGE_ORDER: readonly FleetHostChange[] = ['became-unreachable', 'not-assessed', 'changed', 'became-reachable', 'added', 'removed', 'still-not-assessed', 'unchanged'];

/** Compare two fleet runs host by host. Pure. */
export function diffFleets(from: FleetRunInput, to: FleetRunInput): FleetDiff {
  const before = new Map(from.fleet.hosts.map((h) => [h.name, h]));
  const after = new Map(to.fleet.hosts.map((h) => [h.name, h]));
  const names = [...new Set([...before.keys(), ...after.keys()])].sort();
  const hosts: FleetHostDiff[] = [];
  for (const name of names) {
    const b = before.get(name);
    const a = after.get(name);
    if (b === undefined && a !== undefined) {
      hosts.push({ name, change: 'added', from: null, to: side(a), scoreDelta: null });
      continue;
    }
    if (a === undefined && b !== undefined) {
      hosts.push({ name, change: 'removed', from: side(b), to: null, scoreDelta: null });
      continue;
    }
    if (a === undefined || b === undefined) continue;
    const wasIn = b.state === 'assessed';
    const isIn = a.state === 'assessed';
    if (!wasIn || !isIn) {
      const change: FleetHostChange = wasIn ? (a.state === 'unreachable' ? 'became-unreachable' : 'not-assessed') : isIn ? 'became-reachable' : 'still-not-assessed';
      hosts.push({ name, change, from: side(b), to: side(a), scoreDelta: null });
      continue;
    }
    const scoreDelta = b.score === undefined || b.score === null || a.score === undefined || a.score === null ? null : Math.round((a.score - b.score) * 10) / 10;
    const rb = from.reports.get(name);
    const ra = to.reports.get(name);
    const checks = rb !== undefined && ra !== undefined ? diffRuns(rb, ra) : undefined;
    const why = [from.unreadable.get(name), to.unreadable.get(name)].filter((x): x is string => x !== undefined);
    const moved = b.verdict !== a.verdict || (scoreDelta ?? 0) !== 0 || (checks?.changed.length ?? 0) > 0 || (checks?.added.length ?? 0) > 0 || (checks?.removed.length ?? 0) > 0 || b.incomplete !== a.incomplete;
    hosts.push({
      name,
      change: moved || checks === undefined ? 'changed' : 'unchanged',
      from: side(b),
      to: side(a),
      scoreDelta,
      ...(checks !== undefined ? { checks } : { note: `check statuses not compared: ${why.join('; ') || 'a report.json is missing'}` }),
    });
  }
  hosts.sort((x, y) => CHANGE_ORDER.indexOf(x.change) - CHANGE_ORDER.indexOf(y.change) || x.name.localeCompare(y.name));
  const changes = Object.fromEntries(CHANGE_ORDER.map((c) => [c, hosts.filter((h) => h.change === c).length])) as Record<FleetHostChange, number>;
  const sum = (pick: (d: RunDiff) => unknown[]) => hosts.reduce((n, h) => n + (h.checks ? pick(h.checks).length : 0), 0);
  const notes: string[] = [];
  for (const f of [from.fleet, to.fleet]) if (f.incomplete) notes.push(`run ${f.runId} is incomplete (interrupted): its unfinished hosts and checks are not assessed or unknown`);
  const scopes = [fleetScope(from.reports.values()), fleetScope(to.reports.values())];
  if (scopes[0] !== scopes[1]) notes.push(`the runs assessed their hosts differently (${scopes[0]} vs ${scopes[1]}): not a like-for-like comparison`);
  for (const [f, input] of [[from.fleet, from], [to.fleet, to]] as const) {
    for (const [host, why] of input.unreadable) notes.push(`run ${f.runId}, host ${host}: report.json could not be read (${why})`);
  }
  const fromRef = refOf(from.fleet);
  const toRef = refOf(to.fleet);
  return {
    kind: 'fleet',
    from: fromRef,
    to: toRef,
    hosts,
    summary: {
      worstBefore: fromRef.worst,
      worstAfter: toRef.worst,
      changes,
      newlyFailing: sum((d) => d.newlyFailing),
      newlyPassing: sum((d) => d.newlyPassing),
      newBlockers: sum((d) => d.newBlockers),
      resolvedBlockers: sum((d) => d.resolvedBlockers),
    },
    notes,
  };
}

const fmtSide = (s: FleetHostSide | null): string => {
  if (s === null) return '—';
  if (s.state !== 'assessed') return `not assessed (${s.reason ?? s.state})`;
  return `${s.verdict ?? '—'} ${fmtScore(s.score ?? null)}${s.incomplete === true ? ' (incomplete)' : ''}`;
};

const why = (s: FleetHostSide | null): string => (s === null ? '' : `${s.reason ?? s.state}${s.detail !== undefined && s.detail !== '' ? `: ${oneLine(s.detail, 140)}` : ''}`);

const fmtWorst = (w: FleetRef['worst']): string => (w === null ? 'no host assessed' : `${w.verdict} ${fmtScore(w.score)} (${w.host})`);

/** `predeploy diff` of two fleet runs, as text: per host, then the fleet. */
export function renderFleetDiffText(d: FleetDiff): string {
  const L: string[] = [];
  L.push(`predeploy diff (fleet): ${d.from.runId} (${d.from.startedAt}) → ${d.to.runId} (${d.to.startedAt})`);
  for (const n of d.notes) L.push(`note: ${n}`);
  L.push(`hosts:   ${d.from.hosts} → ${d.to.hosts}; assessed ${d.from.assessed} → ${d.to.assessed}`);
  const unchanged: string[] = [];
  for (const h of d.hosts) {
    switch (h.change) {
      case 'unchanged':
        unchanged.push(h.name);
        break;
      case 'added':
        L.push(`${h.name}: added — ${h.to?.state === 'assessed' ? fmtSide(h.to) : `not assessed (${why(h.to)})`}`);
        break;
      case 'removed':
        L.push(`${h.name}: removed — was ${fmtSide(h.from)}`);
        break;
      case 'became-unreachable':
        L.push(`${h.name}: became unreachable — was ${fmtSide(h.from)}; now ${why(h.to)}`);
        break;
      case 'not-assessed':
        L.push(`${h.name}: no longer assessed — was ${fmtSide(h.from)}; now ${why(h.to)}`);
        break;
      case 'became-reachable':
        L.push(`${h.name}: assessed again (was not: ${why(h.from)}) — ${fmtSide(h.to)}`);
        break;
      case 'still-not-assessed':
        L.push(`${h.name}: not assessed in either run — ${why(h.to)}`);
        break;
      case 'changed': {
        const verdict = h.from?.verdict === h.to?.verdict ? `${h.to?.verdict ?? '—'}` : `${h.from?.verdict ?? '—'} → ${h.to?.verdict ?? '—'}`;
        L.push(`${h.name}: ${verdict}, score ${fmtScore(h.from?.score ?? null)} → ${fmtScore(h.to?.score ?? null)} (${fmtDelta(h.scoreDelta)})`);
        if (h.checks === undefined) {
          L.push(`  ${h.note ?? 'check statuses not compared'}`);
          break;
        }
        const c = h.checks;
        const group = (title: string, items: StatusChange[]) => {
          if (items.length === 0) return;
          L.push(`  ${title} (${items.length}):`);
          for (const x of items) L.push(`  ${statusChangeLine(x)}`);
        };
        group('newly failing', c.newlyFailing);
        group('newly passing', c.newlyPassing);
        group('other status changes', c.changed.filter((x) => x.to !== 'fail' && x.to !== 'pass'));
        if (c.newBlockers.length > 0) L.push(`  new blockers (${c.newBlockers.length}): ${c.newBlockers.map((x) => x.id).join(', ')}`);
        if (c.resolvedBlockers.length > 0) L.push(`  resolved blockers (${c.resolvedBlockers.length}): ${c.resolvedBlockers.map((x) => x.id).join(', ')}`);
        if (c.added.length > 0) L.push(`  only in ${c.to.runId} (${c.added.length}): ${c.added.map((x) => x.id).join(', ')}`);
        if (c.removed.length > 0) L.push(`  only in ${c.from.runId} (${c.removed.length}): ${c.removed.map((x) => x.id).join(', ')}`);
        L.push(`  ${c.changed.length} changed, ${c.unchanged} unchanged`);
        break;
      }
    }
  }
  L.push(`unchanged hosts (${unchanged.length}): ${unchanged.length === 0 ? 'none' : unchanged.join(', ')}`);
  const s = d.summary;
  const k = s.changes;
  L.push(`fleet:   worst host ${fmtWorst(s.worstBefore)} → ${fmtWorst(s.worstAfter)}`);
  L.push(
    `changes: ${k.changed} changed, ${k.unchanged} unchanged, ${k.added} added, ${k.removed} removed, ${k['became-unreachable']} became unreachable, ${k['not-assessed']} no longer assessed, ${k['became-reachable']} assessed again, ${k['still-not-assessed']} not assessed in either`,
  );
  L.push(`checks:  ${s.newlyFailing} newly failing, ${s.newlyPassing} newly passing, ${s.newBlockers} new blockers, ${s.resolvedBlockers} resolved blockers (across the hosts assessed in both)`);
  return L.join('\n') + '\n';
}
