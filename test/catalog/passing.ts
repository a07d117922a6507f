/**
 * Verdict fact sets: for each check, probe outcomes (and config, time) under which it passes,
 * and some under which it warns or fails. The no-pass-without-evidence test starts from these
 * and takes evidence away probe by probe: a pass must never survive it, and no status may get
 * better. Harvested from the check tests' own cases (`npm run harvest:verdicts`); a new check's
 * set may also be written by hand.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ORDER_PROCESSING_PROFILE } from '../../src/config/profile.js';
import type { Config } from '../../src/config/schema.js';
import type { Outcomes } from '../../src/engine/evaluate.js';
import type { Check, CheckContext, ProbeOutcome } from '../../src/engine/types.js';
import type { FactId } from '../../src/facts/index.js';

export interface PassingSet {
  check: string;
  status: string;
  /** the run's time, ISO */
  now: string;
  /** the config, when it is not the built-in profile */
  config?: Config;
  outcomes: Record<string, ProbeOutcome<unknown>>;
}

/** One file a check: the passing set first, then warn/fail sets. */
export interface VerdictSets {
  pass: PassingSet;
  worse: PassingSet[];
}

export const VERDICTS_DIR = join(import.meta.dirname, '../fixtures/verdicts');

export function toPassingSet(check: Check, status: string, outcomes: Outcomes, ctx: CheckContext): PassingSet {
  const isProfile = JSON.stringify(ctx.config) === JSON.stringify(ORDER_PROCESSING_PROFILE);
  return {
    check: check.meta.id,
    status,
    now: ctx.now.toISOString(),
    ...(isProfile ? {} : { config: ctx.config }),
    outcomes: Object.fromEntries([...outcomes].map(([id, o]) => [id, JSON.parse(JSON.stringify(o)) as ProbeOutcome<unknown>])),
  };
}

export interface LoadedSet {
  status: string;
  outcomes: Map<FactId, ProbeOutcome<unknown>>;
  ctx: CheckContext;
}

const loaded = (set: PassingSet): LoadedSet => ({
  status: set.status,
  outcomes: new Map(Object.entries(set.outcomes) as [FactId, ProbeOutcome<unknown>][]),
  ctx: { config: set.config ?? ORDER_PROCESSING_PROFILE, now: new Date(set.now) },
});

/** The verdict sets of a check, or undefined when it has none. */
export function loadVerdictSets(id: string): { pass: LoadedSet; worse: LoadedSet[] } | undefined {
  let sets: VerdictSets;
  try {
    sets = JSON.parse(readFileSync(join(VERDICTS_DIR, `${id}.json`), 'utf8')) as VerdictSets;
  } catch {
    return undefined;
  }
  return { pass: loaded(sets.pass), worse: sets.worse.map(loaded) };
}
