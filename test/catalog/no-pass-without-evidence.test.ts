/**
 * The invariant behind every verdict (docs/ARCHITECTURE.md invariant 4, issue "Verdict truth"): a check
 * never says `pass` where it could not look, and less evidence never makes a status better.
 *
 * Generic over the whole catalog: each check has verdict sets (test/fixtures/verdicts/<id>.json,
 * harvested from its own tests by `npm run harvest:verdicts`): outcomes under which it passes,
 * and some under which it warns or fails. Then, probe by probe (every probe the check reads),
 * the probe's outcome is replaced by each way of not looking — failed, refused (permission),
 * timed out, not installed, no credentials, disabled (offline), did not run. The check must not
 * pass; when it says `unknown` it names that probe and a cause; and no status gets better.
 * A check without a passing set fails this test, so every new check is covered.
 */
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/checks/index.js';
import { evaluateCheck } from '../../src/engine/evaluate.js';
import { STATUS_VALUE } from '../../src/engine/scoring.js';
import type { Check, CheckResult, Facts, ProbeFailureReason, ProbeOutcome } from '../../src/engine/types.js';
import type { FactId } from '../../src/facts/index.js';
import { PROBES } from '../../src/probes/index.js';
import { loadVerdictSets, type LoadedSet } from './passing.js';

const REASONS: readonly ProbeFailureReason[] = ['failed', 'permission', 'timeout', 'not-installed', 'no-credentials', 'disabled'];

/** Each way of not looking: a failure outcome, or the probe absent (did not run). */
const WAYS: readonly (ProbeFailureReason | 'absent')[] = [...REASONS, 'absent'];

/** Takes `id` away (with every alternative to it: any one of a group is enough evidence). */
function withoutProbe(check: Check, set: LoadedSet, id: FactId, way: ProbeFailureReason | 'absent'): Map<FactId, ProbeOutcome<unknown>> {
  const next = new Map(set.outcomes);
  const group = check.alternatives?.find((g) => g.includes(id)) ?? [id];
  for (const p of group) {
    if (way === 'absent') next.delete(p);
    else next.set(p, { ok: false, reason: way, detail: `planted: ${p} ${way}`, refs: [900], durationMs: 1 });
  }
  return next;
}

/**
 * The probes a check reads while judging a set: those it requires, and those its `evaluate` asked
 * for (`need`/`maybe`). A fallback it never consulted (processes when systemd answered) is not
 * evidence it relied on.
 */
function probesRead(check: Check, set: LoadedSet): FactId[] {
  const read = new Set<FactId>(check.requires);
  const facts: Facts = {
    need: (id) => {
      read.add(id);
      const o = set.outcomes.get(id);
      if (!o?.ok) throw new Error(`fact ${id} is not available`);
      return o.value as never;
    },
    maybe: (id) => {
      read.add(id);
      return set.outcomes.get(id) as never;
    },
    refs: (id) => set.outcomes.get(id)?.refs ?? [],
  };
  try {
    check.evaluate(facts, set.ctx);
  } catch {
    // a set under which a required probe failed: the engine answers before evaluate
  }
  return [...read].filter((id) => id in PROBES);
}

const explained = (r: CheckResult) => r.status !== 'unknown' || r.unverified.length > 0;

describe('no pass without evidence (every check, every probe it reads, every way of not looking)', () => {
  it.each(CHECKS.map((c) => [c.meta.id, c] as const))('%s', (id, check) => {
    const sets = loadVerdictSets(id);
    expect(sets, `${id}: no passing fact set in test/fixtures/verdicts/${id}.json (run npm run harvest:verdicts after writing a passing test case)`).toBeDefined();
    if (!sets) return;
    const base = evaluateCheck(check, sets.pass.outcomes, sets.pass.ctx);
    expect({ id, status: base.status, summary: base.summary }).toMatchObject({ status: 'pass' });

    const problems: string[] = [];
    for (const set of [sets.pass, ...sets.worse]) {
      const before = evaluateCheck(check, set.outcomes, set.ctx);
      for (const probe of probesRead(check, set)) {
        for (const way of WAYS) {
          const after = evaluateCheck(check, withoutProbe(check, set, probe, way), set.ctx);
          const where = `${before.status} → ${after.status} with ${probe} ${way}: ${after.summary}`;
          // context probes only add evidence lines: taking them away changes no status
          if (check.context?.includes(probe)) {
            if (after.status !== before.status) problems.push(`context probe changed the status: ${where}`);
            continue;
          }
          if (after.status === 'pass') problems.push(`pass without evidence: ${where}`);
          if (STATUS_VALUE[after.status] > STATUS_VALUE[before.status]) problems.push(`better with less evidence: ${where}`);
          if (!explained(after)) problems.push(`unknown without a structured cause: ${where}`);
          const group = check.alternatives?.find((g) => g.includes(probe)) ?? [probe];
          if (after.status === 'unknown' && after.unverified.length > 0 && way !== 'absent' && !after.unverified.some((u) => u.probe !== undefined && (group as readonly string[]).includes(u.probe))) {
            problems.push(`unknown does not name ${probe}: ${where} (unverified: ${after.unverified.map((u) => u.probe ?? u.cause.kind).join(', ')})`);
          }
        }
      }
    }
    expect([...new Set(problems)]).toEqual([]);
  });

  it('alternatives and context probes are probes the check declares', () => {
    for (const c of CHECKS) {
      const declared = new Set([...c.requires, ...(c.uses ?? [])]);
      for (const id of [...(c.context ?? []), ...(c.alternatives ?? []).flat()]) expect(declared.has(id), `${c.meta.id}: ${id}`).toBe(true);
    }
  });

  it('every unknown a check gives in its verdict sets carries a structured cause', () => {
    for (const c of CHECKS) {
      const sets = loadVerdictSets(c.meta.id);
      for (const set of sets ? [sets.pass, ...sets.worse] : []) expect(explained(evaluateCheck(c, set.outcomes, set.ctx)), c.meta.id).toBe(true);
    }
  });
});
