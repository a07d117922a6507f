/**
 * Turning probe outcomes into a check result. Shared by the run and by check tests, so a
 * check test exercises exactly what a run does (including the probe-failed path).
 */
import type { FactTypes } from '../facts/index.js';
import { causeOf } from './causes.js';
import type { Check, CheckContext, CheckResult, Evidence, Facts, Finding, ProbeFailureReason, ProbeOutcome, Unverified } from './types.js';

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

/** What a failed probe leaves unverified, with its root cause. */
export function failedProbeUnverified(id: keyof FactTypes, o: ProbeOutcome<unknown> & { ok: false }): Unverified {
  return { probe: id, cause: causeOf(id, o), detail: `probe ${id} ${REASON_TEXT[o.reason]}: ${o.detail}`, ...(o.refs.length > 0 ? { refs: o.refs } : {}) };
}

/** A probe that should have run and did not (not registered, or left out). */
function missingProbeUnverified(id: keyof FactTypes): Unverified {
  return { probe: id, cause: { kind: 'probe', probe: id, reason: 'failed' }, detail: `probe ${id} did not run` };
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

/** A check's key facts and gap rows: shown whatever the status; a bug there never costs the result. */
function extras(check: Check, facts: Facts, ctx: CheckContext): Pick<CheckResult, 'keyFacts' | 'gapRows'> {
  const safely = <T>(f: (() => T[]) | undefined): T[] => {
    try {
      return f ? f() : [];
    } catch {
      return [];
    }
  };
  return { keyFacts: safely(check.keyFacts && (() => check.keyFacts!(facts))), gapRows: safely(check.gapRows && (() => check.gapRows!(facts, ctx))) };
}

function result(check: Check, finding: Finding, more: Pick<CheckResult, 'keyFacts' | 'gapRows'> = { keyFacts: [], gapRows: [] }): CheckResult {
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
    runs: m.runs,
    unverified: finding.unverified ?? [],
    ...more,
  };
}

/** Evaluate one check against probe outcomes. Never throws. */
export function evaluateCheck(check: Check, outcomes: Outcomes, ctx: CheckContext): CheckResult {
  const na = ctx.config.notApplicable[check.meta.id];
  if (na !== undefined) {
    return result(check, { status: 'n/a', summary: `not applicable: ${na}`, evidence: [{ text: 'predeploy.yaml notApplicable' }] });
  }
  const facts = new FactsView(outcomes);
  const more = extras(check, facts, ctx);
  const unverified: Unverified[] = [];
  for (const id of check.requires) {
    const o = outcomes.get(id);
    if (!o) unverified.push(missingProbeUnverified(id));
    else if (!o.ok) unverified.push(failedProbeUnverified(id, o));
  }
  if (unverified.length > 0) {
    return result(check, {
      status: 'unknown',
      summary: `could not verify: ${unverified.map((u) => u.detail).join('; ')}`,
      evidence: unverified.map((u) => ({ text: u.detail, ...(u.refs ? { refs: u.refs } : {}) })),
      unverified,
    }, more);
  }
  try {
    const finding = check.evaluate(facts, ctx);
    // Every finding cites the commands-log entries of the probes it read.
    const probeRefs = [...check.requires, ...(check.uses ?? [])].flatMap((id) => outcomes.get(id)?.refs ?? []);
    const evidence = finding.evidence.map((e) => (e.refs && e.refs.length > 0 ? e : { ...e, refs: probeRefs }));
    if (evidence.length === 0 && probeRefs.length > 0) evidence.push({ text: 'see commands log', refs: probeRefs });
    // An unknown always says why: when the check named no cause, the probes it reads that failed
    // or did not run are the cause.
    const unverified =
      finding.status === 'unknown' && (finding.unverified?.length ?? 0) === 0
        ? (check.uses ?? []).flatMap((id) => {
            const o = outcomes.get(id);
            return !o ? [missingProbeUnverified(id)] : o.ok ? [] : [failedProbeUnverified(id, o)];
          })
        : finding.unverified;
    return result(check, { ...finding, evidence, ...(unverified ? { unverified } : {}) }, more);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const detail = `check error: ${message}`;
    return result(check, { status: 'unknown', summary: detail, evidence: [], unverified: [{ cause: { kind: 'check-error', check: check.meta.id }, detail }] }, more);
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
