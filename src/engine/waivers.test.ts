import { describe, expect, it } from 'vitest';
import { score } from './scoring.js';
import type { CheckResult, Status } from './types.js';
import { applyWaivers, type Waiver } from './waivers.js';

const result = (id: string, status: Status): CheckResult => ({
  id,
  section: 'security',
  title: `${id} title`,
  severity: 'critical',
  status,
  summary: `${status} finding`,
  evidence: [{ text: 'Status: inactive', refs: [3] }],
  effort: { size: 'S', hours: [1, 2] },
  remediation: { text: 'fix it' },
  blocker: true,
  unverified: [],
  keyFacts: [],
  gapRows: [],
  runs: 'x',
});

const waiver = (check: string, expires: string): Waiver => ({ check, reason: 'accepted for the pilot', approver: 'CTO', expires });
const NOW = new Date('2026-11-26T15:00:00Z');

describe('applyWaivers', () => {
  it.each<[Status, Status]>([
    ['fail', 'waived'],
    ['warn', 'waived'],
    ['unknown', 'waived'],
    ['manual', 'waived'],
    ['pass', 'pass'],
    ['n/a', 'n/a'],
  ])('%s → %s', (from, to) => {
    const { results, waivers } = applyWaivers([result('security.firewall', from)], [waiver('security.firewall', '2026-12-31')], NOW);
    expect(results[0]!.status).toBe(to);
    if (to === 'waived') {
      expect(waivers.applied).toEqual([{ ...waiver('security.firewall', '2026-12-31'), was: from, wasSummary: `${from} finding`, daysLeft: 35 }]);
      expect(results[0]!.summary).toBe(`waived until 2026-12-31 by CTO: accepted for the pilot (the check says ${from}: ${from} finding)`);
      // the waiver leads the evidence; what the check found is kept
      expect(results[0]!.evidence).toEqual([{ text: 'waiver (predeploy.yaml): approved by CTO, expires 2026-12-31; reason: accepted for the pilot' }, { text: 'Status: inactive', refs: [3] }]);
    } else {
      expect(waivers.applied).toEqual([]);
      expect(waivers.unused).toEqual([{ ...waiver('security.firewall', '2026-12-31'), why: `not needed: the check is ${from}` }]);
    }
  });

  it('applies through the expiry day and not after it', () => {
    const onTheDay = applyWaivers([result('a.b', 'fail')], [waiver('a.b', '2026-11-26')], NOW);
    expect(onTheDay.results[0]!.status).toBe('waived');
    expect(onTheDay.waivers.applied[0]!.daysLeft).toBe(0);
    const dayAfter = applyWaivers([result('a.b', 'fail')], [waiver('a.b', '2026-11-25')], NOW);
    expect(dayAfter.results[0]!.status).toBe('fail');
    expect(dayAfter.waivers.expired).toEqual([{ ...waiver('a.b', '2026-11-25'), status: 'fail', daysAgo: 1 }]);
  });

  it('a waived check scores 0.5 and no longer counts as a failing critical check', () => {
    const before = [result('a.b', 'fail'), result('c.d', 'pass')];
    const { results } = applyWaivers(before, [waiver('a.b', '2027-01-01')], NOW);
    expect(score(before).overall.score).toBe(50);
    expect(score(results).overall.score).toBe(75);
    expect(score(results).verdictReasons.join()).not.toMatch(/critical check/);
  });

  it('does not change its input, keeps order, and reports waivers for checks not in the run', () => {
    const input = [result('a.b', 'fail'), result('c.d', 'warn')];
    const copy = structuredClone(input);
    const out = applyWaivers(input, [waiver('c.d', '2027-01-01'), waiver('x.y', '2027-01-01')], NOW);
    expect(input).toEqual(copy);
    expect(out.results.map((r) => `${r.id}=${r.status}`)).toEqual(['a.b=fail', 'c.d=waived']);
    expect(out.waivers.unused).toEqual([{ ...waiver('x.y', '2027-01-01'), why: 'the check is not in this run' }]);
  });

  it('two active waivers for one check: the longer one applies, the other is reported', () => {
    const out = applyWaivers([result('a.b', 'fail')], [waiver('a.b', '2026-12-01'), waiver('a.b', '2027-03-01')], NOW);
    expect(out.waivers.applied.map((w) => w.expires)).toEqual(['2027-03-01']);
    expect(out.waivers.unused).toEqual([{ ...waiver('a.b', '2026-12-01'), why: 'another waiver for a.b applies (expires 2027-03-01)' }]);
  });
});
