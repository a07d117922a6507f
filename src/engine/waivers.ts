/**
 * Waivers: a known risk accepted for one check, by a named approver, until a date
 * (`waivers:` in predeploy.yaml). Applied after evaluation, so a check never knows about them:
 *
 * - a `fail`, `warn`, `unknown` or `manual` result becomes `waived` (scores 0.5, docs/ARCHITECTURE.md
 *   "Scoring"), its summary and evidence keep what the check found, the waiver leads the evidence;
 * - `pass` and `n/a` are left alone (the waiver is reported as not needed);
 * - a waiver past its `expires` day (inclusive, UTC) does not apply and is reported as expired.
 *
 * Pure: no I/O, the clock comes in as an argument.
 */
import type { WaiverConfig } from '../config/schema.js';
import type { CheckResult, Status } from './types.js';

/** A waiver as configured. */
export type Waiver = WaiverConfig;

/** Statuses a waiver can accept. */
export const WAIVABLE: ReadonlySet<Status> = new Set<Status>(['fail', 'warn', 'unknown', 'manual']);

/** A waiver that applied: the check is `waived` in this run. */
export interface AppliedWaiver extends Waiver {
  /** the status the check had before the waiver */
  was: Status;
  /** the check's own summary */
  wasSummary: string;
  /** whole days from the run's day to the expiry day (0: expires today) */
  daysLeft: number;
}

/** A waiver past its expiry: not applied, the check reports what it found. */
export interface ExpiredWaiver extends Waiver {
  /** the check's status in this run, or null when the check is not in the run */
  status: Status | null;
  daysAgo: number;
}

/** An active waiver that changed nothing, and why. */
export interface UnusedWaiver extends Waiver {
  why: string;
}

export interface WaiverOutcome {
  applied: AppliedWaiver[];
  expired: ExpiredWaiver[];
  unused: UnusedWaiver[];
}

const DAY_MS = 24 * 60 * 60 * 1000;
const dayOf = (d: Date): string => d.toISOString().slice(0, 10);
const daysBetween = (from: string, to: string): number => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);

/** The summary of a waived result: the waiver first, then what the check found. */
export function waivedSummary(w: Waiver, was: Status, summary: string): string {
  return `waived until ${w.expires} by ${w.approver}: ${w.reason} (the check says ${was}: ${summary})`;
}

/**
 * Apply waivers to evaluated results. Returns new result objects (the input is not changed)
 * and what happened to each waiver.
 */
export function applyWaivers(
  results: readonly CheckResult[],
  waivers: readonly Waiver[],
  now: Date,
): { results: CheckResult[]; waivers: WaiverOutcome } {
  const today = dayOf(now);
  const outcome: WaiverOutcome = { applied: [], expired: [], unused: [] };
  const byId = new Map(results.map((r) => [r.id, r]));
  const active = new Map<string, Waiver>();
  for (const w of waivers) {
    const r = byId.get(w.check);
    if (w.expires < today) {
      outcome.expired.push({ ...w, status: r?.status ?? null, daysAgo: daysBetween(w.expires, today) });
      continue;
    }
    const current = active.get(w.check);
    // Two active waivers for one check: the one that lasts longer applies; the other is reported.
    if (current === undefined || w.expires > current.expires) {
      if (current !== undefined) outcome.unused.push({ ...current, why: `another waiver for ${w.check} applies (expires ${w.expires})` });
      active.set(w.check, w);
    } else {
      outcome.unused.push({ ...w, why: `another waiver for ${w.check} applies (expires ${current.expires})` });
    }
  }
  const out = results.map((r) => {
    const w = active.get(r.id);
    if (w === undefined) return r;
    if (!WAIVABLE.has(r.status)) {
      outcome.unused.push({ ...w, why: `not needed: the check is ${r.status}` });
      return r;
    }
    outcome.applied.push({ ...w, was: r.status, wasSummary: r.summary, daysLeft: daysBetween(today, w.expires) });
    return {
      ...r,
      status: 'waived' as const,
      summary: waivedSummary(w, r.status, r.summary),
      evidence: [{ text: `waiver (predeploy.yaml): approved by ${w.approver}, expires ${w.expires}; reason: ${w.reason}` }, ...r.evidence],
    };
  });
  for (const w of active.values()) {
    if (!byId.has(w.check)) outcome.unused.push({ ...w, why: 'the check is not in this run' });
  }
  return { results: out, waivers: outcome };
}
