/**
 * Harvests verdict fact sets for every check from the check tests' own cases (run by
 * `npm run harvest:verdicts`; not part of `npm test`). Wraps `evaluateCheck`: per check, the
 * passing case with the most probes answered, and up to six warn/fail cases (most probes
 * answered first, one per distinct summary).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, vi } from 'vitest';
import type { Outcomes } from '../../src/engine/evaluate.js';
import type { Check, CheckContext, CheckResult } from '../../src/engine/types.js';
import { toPassingSet, VERDICTS_DIR, type PassingSet } from './passing.js';

interface Seen {
  answered: number;
  summary: string;
  set: PassingSet;
}
const pass = new Map<string, Seen>();
const worse = new Map<string, Seen[]>();

vi.mock('../../src/engine/evaluate.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../../src/engine/evaluate.js')>();
  return {
    ...orig,
    evaluateCheck: (check: Check, outcomes: Outcomes, ctx: CheckContext): CheckResult => {
      const r = orig.evaluateCheck(check, outcomes, ctx);
      const ids = [...check.requires, ...(check.uses ?? [])];
      const answered = ids.filter((id) => outcomes.get(id)?.ok === true).length;
      const seen = (): Seen => ({ answered, summary: r.summary, set: toPassingSet(check, r.status, outcomes, ctx) });
      if (r.status === 'pass') {
        const old = pass.get(check.meta.id);
        if (!old || answered > old.answered) pass.set(check.meta.id, seen());
      } else if (r.status === 'warn' || r.status === 'fail') {
        const list = worse.get(check.meta.id) ?? [];
        if (!list.some((x) => x.summary === r.summary)) list.push(seen());
        worse.set(check.meta.id, list);
      }
      return r;
    },
  };
});

afterAll(() => {
  mkdirSync(VERDICTS_DIR, { recursive: true });
  for (const [id, p] of pass) {
    const w = (worse.get(id) ?? []).sort((a, b) => b.answered - a.answered).slice(0, 6).map((x) => x.set);
    writeFileSync(join(VERDICTS_DIR, `${id}.json`), JSON.stringify({ pass: p.set, worse: w }) + '\n');
  }
});
