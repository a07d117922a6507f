/**
 * Scoring and verdict, exactly as docs/ARCHITECTURE.md "Scoring":
 * weights critical 10, high 5, medium 3, low 1; status value pass 1, warn 0.5, waived 0.5,
 * others 0; `n/a` excluded. Score = 100 × Σ(w·v)/Σw. NOT READY if any critical check fails or
 * score < 75; READY WITH RISKS if score < 90 or any high check fails; else READY.
 */
import { SECTIONS, SEVERITY_WEIGHT, type CheckResult, type SectionId, type Status } from './types.js';

export type Verdict = 'READY' | 'READY WITH RISKS' | 'NOT READY';

export const STATUS_VALUE: Readonly<Record<Status, number>> = {
  pass: 1,
  warn: 0.5,
  waived: 0.5,
  fail: 0,
  unknown: 0,
  manual: 0,
  'n/a': 0,
};

export interface ScoreBreakdown {
  /** 0..100, rounded to one decimal for display; null when every check is n/a */
  score: number | null;
  /** 0..100 unrounded: the verdict and the gates compare this, never the rounded score */
  exact: number | null;
  /** Σ w·v */
  earned: number;
  /** Σ w over scored checks */
  possible: number;
  counts: Record<Status, number>;
}

export interface Scores {
  overall: ScoreBreakdown;
  sections: Record<SectionId, ScoreBreakdown>;
  verdict: Verdict;
  /** why the verdict is what it is, one line each */
  verdictReasons: string[];
}

const emptyCounts = (): Record<Status, number> => ({ pass: 0, warn: 0, fail: 0, unknown: 0, manual: 0, waived: 0, 'n/a': 0 });

export function scoreOf(results: readonly CheckResult[]): ScoreBreakdown {
  let earned = 0;
  let possible = 0;
  const counts = emptyCounts();
  for (const r of results) {
    counts[r.status] += 1;
    if (r.status === 'n/a') continue;
    const w = SEVERITY_WEIGHT[r.severity];
    earned += w * STATUS_VALUE[r.status];
    possible += w;
  }
  const exact = possible === 0 ? null : (100 * earned) / possible;
  const score = exact === null ? null : Math.round(exact * 10) / 10;
  return { score, exact, earned, possible, counts };
}

/**
 * The verdict from the exact score: 89.96 displays as 90.0 but is below 90, so it is READY WITH
 * RISKS. The reasons show the exact score when rounding would hide why.
 */
export function verdictOf(results: readonly CheckResult[], score: number | null): { verdict: Verdict; reasons: string[] } {
  const criticalFails = results.filter((r) => r.severity === 'critical' && r.status === 'fail').map((r) => r.id);
  const highFails = results.filter((r) => r.severity === 'high' && r.status === 'fail').map((r) => r.id);
  const s = score ?? 0;
  // 89.96 would display as 90: show it as 89.96 where rounding would hide the reason.
  const shown = (limit: number) => String(Math.round(s * 10) / 10 >= limit ? Math.floor(s * 100) / 100 : Math.round(s * 10) / 10);
  const notReady: string[] = [];
  if (criticalFails.length > 0) notReady.push(`critical check(s) failing: ${criticalFails.join(', ')}`);
  if (s < 75) notReady.push(`score ${shown(75)} < 75`);
  if (notReady.length > 0) return { verdict: 'NOT READY', reasons: notReady };
  const risks: string[] = [];
  if (s < 90) risks.push(`score ${shown(90)} < 90`);
  if (highFails.length > 0) risks.push(`high check(s) failing: ${highFails.join(', ')}`);
  if (risks.length > 0) return { verdict: 'READY WITH RISKS', reasons: risks };
  return { verdict: 'READY', reasons: [`score ${Math.round(s * 10) / 10} ≥ 90, no critical or high check failing`] };
}

export function score(results: readonly CheckResult[]): Scores {
  const overall = scoreOf(results);
  const sections = Object.fromEntries(
    SECTIONS.map((s) => [s.id, scoreOf(results.filter((r) => r.section === s.id))]),
  ) as Record<SectionId, ScoreBreakdown>;
  const { verdict, reasons } = verdictOf(results, overall.exact);
  return { overall, sections, verdict, verdictReasons: reasons };
}
