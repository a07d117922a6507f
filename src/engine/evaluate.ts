/**
 * Turning probe outcomes into a check result. Shared by the run and by check tests, so a
 * check test exercises exactly what a run does (including the probe-failed path).
 */
import type { FactTypes } from '../facts/index.js';
import type { Check, CheckContext, CheckResult, Evidence, Facts, Finding, ProbeFailureReason, ProbeOutcome } from './types.js';

export type Outcomes = ReadonlyMap<keyof FactTypes, ProbeOutcome<unknown>>;

/** How a failed probe reads in a finding. */
export const REASON_TEXT: Readonly<Record<ProbeFailureReason, string>> = {
  'not-installed': 'not installed',
  permission: 'permission denied',
  timeout: 'timed out',
  failed: 'failed',
  'no-credentials': 'no credentials',
  disabled: 'disabled',
};

/** Evidence for a probe that failed: `probe host.ufw timed out: ...`, citing its log entries. */
export function failedProbeEvidence(id: keyof FactTypes, o: ProbeOutcome<unknown> & { ok: false }): Evidence {
  return { text: `probe ${id} ${REASON_TEXT[o.reason]}: ${o.detail}`, refs: o.refs };
}

class FactsView implements Facts {
  constructor(private readonly outcomes: Outcomes) {}
  need<K extends keyof FactTypes>(id: K): FactTypes[K] {
    const o = this.outcomes.get(id);
    if (!o || !o.ok) throw new Error(`fact ${id} is not available`);
    return o.value as FactTypes[K];
  }
  maybe<K extends keyof FactTypes>(id: K): ProbeOutcome<FactTypes[K]> | undefined {
    return this.outcomes.get(id) as ProbeOutcome<FactTypes[K]> | undefined;
  }
  refs(id: keyof FactTypes): number[] {
    return this.outcomes.get(id)?.refs ?? [];
  }
}

function result(check: Check, finding: Finding, live: boolean): CheckResult {
  const m = check.meta;
  return {
    id: m.id,
    section: m.section,
    title: m.title,
    severity: m.severity,
    status: finding.status,
    summary: finding.summary,
    evidence: finding.evidence,
    effort: m.effort,
    remediation: m.remediation,
    blocker: m.blocker === true || m.severity === 'critical',
    live,
    runs: m.runs,
  };
}

/** Evaluate one check against probe outcomes. Never throws. */
export function evaluateCheck(check: Check, outcomes: Outcomes, ctx: CheckContext): CheckResult {
  const live = check.pending === undefined;
  const na = ctx.config.notApplicable[check.meta.id];
  if (na !== undefined) {
    return result(check, { status: 'n/a', summary: `not applicable: ${na}`, evidence: [{ text: 'predeploy.yaml notApplicable' }] }, live);
  }
  if (check.pending !== undefined) {
    return result(check, { status: 'unknown', summary: `not assessed: ${check.pending}`, evidence: [] }, live);
  }
  const failed: Evidence[] = [];
  for (const id of check.requires) {
    const o = outcomes.get(id);
    if (!o) {
      failed.push({ text: `probe ${id} did not run` });
    } else if (!o.ok) {
      failed.push(failedProbeEvidence(id, o));
    }
  }
  if (failed.length > 0) {
    return result(
      check,
      { status: 'unknown', summary: `could not verify: ${failed.map((e) => e.text).join('; ')}`, evidence: failed },
      live,
    );
  }
  try {
    const finding = check.evaluate(new FactsView(outcomes), ctx);
    // Every finding cites the commands-log entries of the probes it read.
    const probeRefs = [...check.requires, ...(check.uses ?? [])].flatMap((id) => outcomes.get(id)?.refs ?? []);
    const evidence = finding.evidence.map((e) => (e.refs && e.refs.length > 0 ? e : { ...e, refs: probeRefs }));
    if (evidence.length === 0 && probeRefs.length > 0) evidence.push({ text: 'see commands log', refs: probeRefs });
    return result(check, { ...finding, evidence }, live);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return result(check, { status: 'unknown', summary: `check error: ${message}`, evidence: [] }, live);
  }
}

/** Build an outcomes map for tests: `{ 'host.ufw': { ok: true, value } }`. */
export function outcomesOf(
  entries: { [K in keyof FactTypes]?: ProbeOutcome<FactTypes[K]> | (ProbeOutcome<FactTypes[K]> extends infer O ? Omit<O & object, 'refs' | 'durationMs'> : never) },
): Outcomes {
  const map = new Map<keyof FactTypes, ProbeOutcome<unknown>>();
  for (const [k, v] of Object.entries(entries)) {
    if (!v) continue;
    const o = v as ProbeOutcome<unknown>;
    map.set(k as keyof FactTypes, { ...o, refs: o.refs ?? [1], durationMs: o.durationMs ?? 0 });
  }
  return map;
}
