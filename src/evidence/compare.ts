/**
 * Comparing a replay with its capture. Probes run concurrently, so the order in which calls
 * begin — and with it the commands-log numbers — depends on timing: a replay cannot promise
 * the same numbers. It promises the same entries. So evidence refs are compared by what they
 * point at: `#12` becomes the entry's identity (kind, action, the probe for reads and HTTP
 * calls, and which occurrence of that it is), and a finding's refs are compared as a set (they
 * are listed in log order, which is the timing-dependent part). Commands are identified
 * without their probe: a command two probes ask for runs once, for whichever asks first.
 */
import type { CheckResult, LogEntry } from '../engine/types.js';
import type { Scores } from '../engine/scoring.js';

/** seq → a stable identity of the entry. */
export function entryIdentities(entries: readonly Pick<LogEntry, 'seq' | 'kind' | 'action' | 'probe'>[]): Map<number, string> {
  const seen = new Map<string, number>();
  const out = new Map<number, string>();
  for (const e of [...entries].sort((a, b) => a.seq - b.seq)) {
    const base = e.kind === 'exec' ? `exec ${e.action}` : `${e.kind} ${e.action} probe=${e.probe ?? '-'}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    out.set(e.seq, `${base} #${n}`);
  }
  return out;
}

/** What a replay must reproduce of a result: status, summary, evidence (refs as identities). */
export interface ComparableResult {
  id: string;
  status: string;
  summary: string;
  evidence: { text: string; refs: string[] }[];
}

export function comparableResults(results: readonly CheckResult[], entries: readonly Pick<LogEntry, 'seq' | 'kind' | 'action' | 'probe'>[]): ComparableResult[] {
  const ids = entryIdentities(entries);
  return results.map((r) => ({
    id: r.id,
    status: r.status,
    summary: r.summary,
    evidence: r.evidence.map((e) => ({ text: e.text, refs: (e.refs ?? []).map((s) => ids.get(s) ?? `missing #${s}`).sort() })),
  }));
}

export interface Comparable {
  results: ComparableResult[];
  score: number | null;
  verdict: string;
}

export function comparableRun(run: { results: readonly CheckResult[]; scores: Scores }, entries: readonly Pick<LogEntry, 'seq' | 'kind' | 'action' | 'probe'>[]): Comparable {
  return { results: comparableResults(run.results, entries), score: run.scores.overall.score, verdict: run.scores.verdict };
}
