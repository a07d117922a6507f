import { describe, expect, it } from 'vitest';
import { score, scoreOf, verdictOf } from '../../src/engine/scoring.js';
import type { CheckResult, Severity, Status } from '../../src/engine/types.js';

const r = (severity: Severity, status: Status, id = `x.${severity}-${status}-${Math.random().toString(36).slice(2, 7)}`): CheckResult => ({
  id,
  section: 'security',
  title: id,
  severity,
  status,
  summary: '',
  evidence: [],
  effort: { size: 'S', hours: [1, 2] },
  remediation: { text: '' },
  blocker: severity === 'critical',
  unverified: [],
  keyFacts: [],
  gapRows: [],
  runs: '',
});

describe('scoreOf (docs/ARCHITECTURE.md "Scoring")', () => {
  it.each([
    ['all pass', [r('critical', 'pass'), r('low', 'pass')], 100],
    ['all fail', [r('critical', 'fail'), r('high', 'fail')], 0],
    // (10·1 + 5·0.5) / 15 = 83.33
    ['critical pass, high warn', [r('critical', 'pass'), r('high', 'warn')], 83.3],
    // waived counts like warn: (3·0.5 + 1·1) / 4 = 62.5
    ['medium waived, low pass', [r('medium', 'waived'), r('low', 'pass')], 62.5],
    // unknown and manual score 0: (5·1) / (5 + 3 + 1) = 55.6
    ['unknown and manual are 0', [r('high', 'pass'), r('medium', 'unknown'), r('low', 'manual')], 55.6],
    // n/a is excluded from both sums
    ['n/a excluded', [r('critical', 'n/a'), r('low', 'pass')], 100],
  ] as const)('%s → %s', (_name, results, expected) => {
    expect(scoreOf(results).score).toBe(expected);
  });

  it('is null when every check is n/a', () => {
    expect(scoreOf([r('high', 'n/a')]).score).toBeNull();
  });

  it('counts every status', () => {
    const s = scoreOf([r('high', 'pass'), r('high', 'pass'), r('low', 'unknown')]);
    expect(s.counts.pass).toBe(2);
    expect(s.counts.unknown).toBe(1);
    expect(s.earned).toBe(10);
    expect(s.possible).toBe(11);
  });
});

describe('verdictOf', () => {
  it.each([
    ['a critical fail is NOT READY even at a high score', [r('critical', 'fail'), ...Array.from({ length: 30 }, () => r('critical', 'pass'))], 'NOT READY'],
    ['score below 75 is NOT READY', [r('high', 'pass'), r('high', 'fail')], 'NOT READY'],
    ['score exactly 75 is READY WITH RISKS', [r('medium', 'pass'), r('medium', 'warn')], 'READY WITH RISKS'],
    ['score 89.x is READY WITH RISKS', [...Array.from({ length: 9 }, () => r('low', 'pass')), r('low', 'unknown'), r('low', 'warn')], 'READY WITH RISKS'],
    ['a high fail is READY WITH RISKS even at ≥ 90', [...Array.from({ length: 20 }, () => r('critical', 'pass')), r('high', 'fail')], 'READY WITH RISKS'],
    ['score 90 without high fails is READY', [...Array.from({ length: 9 }, () => r('low', 'pass')), r('low', 'fail')], 'READY'],
    ['all pass is READY', [r('critical', 'pass')], 'READY'],
    ['unknown is not pass: all unknown is NOT READY', [r('critical', 'unknown'), r('high', 'unknown')], 'NOT READY'],
  ] as const)('%s', (_name, results, verdict) => {
    const s = scoreOf(results).score;
    expect(verdictOf(results, s).verdict).toBe(verdict);
  });

  it('gives per-section scores that add up to the overall sums', () => {
    const results = [r('critical', 'pass'), { ...r('high', 'fail'), section: 'infra' as const }];
    const s = score(results);
    expect(s.sections.security.score).toBe(100);
    expect(s.sections.infra.score).toBe(0);
    expect(s.sections.zoho.score).toBeNull();
    expect(s.overall.score).toBe(66.7);
  });
});

describe('the verdict uses the exact score', () => {
  // 2249 of 2500 low checks pass: 89.96, displayed as 90
  const results = [...Array.from({ length: 2249 }, () => r('low', 'pass')), ...Array.from({ length: 251 }, () => r('low', 'fail'))];

  it('89.96 displays as 90 but reads READY WITH RISKS', () => {
    const s = score(results);
    expect(s.overall.score).toBe(90);
    expect(s.overall.exact).toBeCloseTo(89.96, 10);
    expect(s.verdict).toBe('READY WITH RISKS');
    expect(s.verdictReasons).toEqual(['score 89.96 < 90']);
  });

  it('74.99 is NOT READY', () => {
    const rs = [...Array.from({ length: 7499 }, () => r('low', 'pass')), ...Array.from({ length: 2501 }, () => r('low', 'fail'))];
    const s = score(rs);
    expect(s.overall.score).toBe(75);
    expect(s.verdict).toBe('NOT READY');
  });
});
