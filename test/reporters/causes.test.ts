/**
 * Issue 10 on the report side: unknowns grouped by root cause, the effort split, the paste-back
 * on its worst case, partial runs in the history, and the posture table's key facts.
 */
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/checks/index.js';
import { hasSummary } from '../../src/checks/lib/key-facts.js';
import { score } from '../../src/engine/scoring.js';
import type { CheckResult, Facts } from '../../src/engine/types.js';
import type { FactId } from '../../src/facts/index.js';
import { renderChecklist } from '../../src/reporters/checklist.js';
import { renderMarkdownReport } from '../../src/reporters/markdown.js';
import { buildReport, historyOf, runSummaryOf, type Report } from '../../src/reporters/model.js';
import { fitList, PASTE_BACK_MAX_LINES, renderPasteBack } from '../../src/reporters/paste-back.js';
import { catalogResults, meta, noCredentialsResults } from './fixture.js';

const reportOf = (results: CheckResult[], m = meta()): Report => buildReport({ meta: m, results, scores: score(results) });

describe('golden files: a no-credentials run and a fully green run', () => {
  const noCreds = reportOf(noCredentialsResults());
  const green = reportOf(catalogResults(() => 'pass'));
  it('no credentials: report and paste-back', async () => {
    await expect(renderMarkdownReport(noCreds)).toMatchFileSnapshot('../fixtures/golden/no-credentials/report.md');
    await expect(renderPasteBack(noCreds)).toMatchFileSnapshot('../fixtures/golden/no-credentials/paste-back.txt');
    await expect(renderChecklist(noCreds)).toMatchFileSnapshot('../fixtures/golden/no-credentials/checklist.md');
  });
  it('green: report and paste-back', async () => {
    expect(green.verdict).toBe('READY');
    expect(green.causes).toEqual([]);
    await expect(renderMarkdownReport(green)).toMatchFileSnapshot('../fixtures/golden/green/report.md');
    await expect(renderPasteBack(green)).toMatchFileSnapshot('../fixtures/golden/green/paste-back.txt');
  });
  it('no credentials: three causes, each once, with the checks they unlock', () => {
    expect(noCreds.causes.map((c) => c.key)).toEqual(['no-credentials:azure', 'no-credentials:zoho', 'no-credentials:bot']);
    const md = renderMarkdownReport(noCreds);
    for (const c of noCreds.causes) {
      expect(md.split(`### Cause ${c.n}: ${c.title} — unlocks ${c.checks.length} check(s)`)).toHaveLength(2);
      expect(md.split(c.action)).toHaveLength(2);
    }
    const unknown = noCreds.results.filter((r) => r.status === 'unknown');
    expect(noCreds.causes.reduce((t, c) => t + c.checks.length, 0)).toBe(unknown.length);
    // the per-check detail is not repeated: each unknown's entries only point at its cause
    for (const r of unknown) expect(md).not.toContain(r.summary);
    expect(renderChecklist(noCreds)).not.toContain('could not verify: no-credentials');
  });
});

describe('causes', () => {
  it('are sorted by severity × checks unlocked, and every check of a cause points at it', () => {
    const results = catalogResults((_id, i) => (i % 3 === 0 ? 'unknown' : 'pass')).map((r, i) =>
      r.status === 'unknown' ? { ...r, unverified: [{ cause: i % 2 === 0 ? ({ kind: 'offline' } as const) : ({ kind: 'sudo-password' } as const), detail: 'x' }] } : r,
    );
    const report = reportOf(results);
    const weights = report.causes.map((c) => c.severityWeight);
    expect(weights).toEqual([...weights].sort((a, b) => b - a));
    expect(report.causes.map((c) => c.n)).toEqual(report.causes.map((_c, i) => i + 1));
    for (const c of report.causes) for (const id of c.checks) expect(report.actions.find((a) => a.checkId === id)?.text).toBe(`not verified — see cause ${c.n}`);
  });

  it('a check with two causes points at both, and a cause is counted once per check', () => {
    const [r0] = catalogResults(() => 'unknown');
    const twice = { ...r0!, unverified: [{ cause: { kind: 'offline' } as const, detail: 'a' }, { cause: { kind: 'offline' } as const, detail: 'b' }, { cause: { kind: 'sudo-password' } as const, detail: 'c' }] };
    const report = reportOf([twice]);
    expect(report.causes.map((c) => c.checks)).toEqual([[twice.id], [twice.id]]);
    expect(report.actions[0]!.text).toBe('not verified — see causes 1, 2');
  });
});

describe('effort', () => {
  it('splits into to fix (fail, warn) and to verify (unknown, manual); the total is their sum', () => {
    const results = catalogResults((_id, i) => (['fail', 'warn', 'unknown', 'manual', 'pass'] as const)[i % 5]!);
    const report = reportOf(results);
    const sum = (ss: string[]) => results.filter((r) => ss.includes(r.status)).reduce<[number, number]>((t, r) => [t[0] + r.effort.hours[0], t[1] + r.effort.hours[1]], [0, 0]);
    expect(report.effortToFix).toEqual(sum(['fail', 'warn']));
    expect(report.effortToVerify).toEqual(sum(['unknown', 'manual']));
    expect(report.totalEffortHours).toEqual([report.effortToFix[0] + report.effortToVerify[0], report.effortToFix[1] + report.effortToVerify[1]]);
    expect(renderPasteBack(report)).toMatch(/^effort: {3}to fix .+ h \(\d+ failing\/warning item\(s\)\); to verify .+ h \(\d+ unknown\/manual item\(s\)\)$/m);
  });
});

describe('paste-back on the worst case', () => {
  it('every check failing or unknown, each unknown with its own causes: ≤ 120 lines, nothing cut mid-sentence', () => {
    const results = catalogResults((_id, i) => (i % 2 === 0 ? 'fail' : 'unknown')).map((r, i) => ({
      ...r,
      summary: `${r.summary} ${'with a long explanation that goes on and on '.repeat(6)}`,
      unverified:
        r.status === 'unknown'
          ? [
              { cause: { kind: 'not-installed', tool: `tool-${i}`, package: `package-${i}` } as const, detail: 'x' },
              { cause: { kind: 'unreachable', endpoint: `https://endpoint-${i}.example.test/${'path/'.repeat(20)}` } as const, detail: 'y' },
            ]
          : [],
    }));
    const report = reportOf(results, meta({ incomplete: true, skipped: ['a.b'], offline: true }));
    expect(report.causes.length).toBeGreaterThan(40);
    const text = renderPasteBack(report);
    const lines = text.trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(PASTE_BACK_MAX_LINES);
    expect(lines.at(-1)).toBe('===== END PASTE-BACK REPORT =====');
    // an ellipsis only ever says how many more there are
    expect(text).not.toMatch(/…(?! \d+ more in )/);
    expect(lines.every((l) => l.length <= 240)).toBe(true);
    expect(text).toMatch(/^verdict: {2}NOT READY {2}\(partial run: 1 check\(s\) left out by --only\/--skip; offline \(network probes off\); INCOMPLETE: run interrupted\)$/m);
    // top actions are fixes and cause-actions, never an unknown check's own line
    const top = lines.slice(lines.findIndex((l) => l.startsWith('top actions')) + 1, lines.indexOf('sections:'));
    expect(top.some((l) => /\[cause \d+, unlocks/.test(l))).toBe(true);
    expect(top.some((l) => /\(unknown/.test(l))).toBe(false);
  });

  it('fitList keeps whole items and says how many more', () => {
    expect(fitList(['alpha', 'beta', 'gamma', 'delta'], 24)).toBe('alpha, beta, and 2 more');
    expect(fitList(['alpha', 'beta'], 20)).toBe('alpha, beta');
    expect(fitList(['a-very-long-single-item'], 5)).toBe('a-very-long-single-item');
  });
});

describe('history: partial runs', () => {
  const results = catalogResults(() => 'pass');
  const summary = (runId: string, startedAt: string, partial: boolean) => runSummaryOf(meta({ runId, startedAt, ...(partial ? { skipped: ['security.ssh'] } : {}) }), results, score(results));
  it('compares a full run with the latest earlier full run, and marks partial runs on the trend', () => {
    const h = historyOf(summary('now', '2026-11-26T00:00:00Z', false), {
      runs: [summary('full-1', '2026-11-20T00:00:00Z', false), summary('partial-2', '2026-11-24T00:00:00Z', true)],
      notes: [],
    });
    expect(h.previous?.from.runId).toBe('full-1');
    expect(h.trend.map((t) => [t.runId, t.partial])).toEqual([
      ['full-1', false],
      ['partial-2', true],
      ['now', false],
    ]);
  });
  it('compares a partial run only with a run of the same scope', () => {
    const h = historyOf(summary('now', '2026-11-26T00:00:00Z', true), { runs: [summary('full-1', '2026-11-20T00:00:00Z', false)], notes: [] });
    expect(h.previous).toBeNull();
    const same = historyOf(summary('now', '2026-11-26T00:00:00Z', true), { runs: [summary('partial-1', '2026-11-20T00:00:00Z', true), summary('full-2', '2026-11-24T00:00:00Z', false)], notes: [] });
    expect(same.previous?.from.runId).toBe('partial-1');
  });
  it('the markdown trend and the HTML mark partial runs', async () => {
    const report = buildReport({
      meta: meta({ runId: 'now', startedAt: '2026-11-26T00:00:00Z' }),
      results,
      scores: score(results),
      earlier: { runs: [summary('full-1', '2026-11-20T00:00:00Z', false), summary('partial-2', '2026-11-24T00:00:00Z', true)], notes: [] },
    });
    expect(renderMarkdownReport(report)).toMatch(/100\.0 \(partial\) → 100\.0\)\. A partial run/);
    const { renderHtml } = await import('../../src/reporters/html.js');
    const html = renderHtml(report);
    expect(html).toContain('data-partial="true"');
    expect(html).toContain('<code>partial-2</code> <em>(partial)</em>');
  });
});

describe('posture table: key facts, never "collected"', () => {
  const PROBES: FactId[] = ['host.nginx', 'host.certbot', 'host.certbot-renewal', 'host.netfilter', 'host.ufw', 'host.sshd', 'host.listening', 'host.apt-upgradable', 'host.fail2ban'];
  it.each(PROBES)('%s has a summary', (id) => {
    expect(hasSummary(id)).toBe(true);
  });
  it('a security check attaches each of them', () => {
    const none: Facts = { need: (() => { throw new Error('no facts'); }) as Facts['need'], maybe: (() => undefined) as Facts['maybe'], refs: () => [] };
    const attached = new Set(CHECKS.filter((c) => c.meta.section === 'security').flatMap((c) => (c.keyFacts?.(none) ?? []).map((k) => k.probe)));
    for (const id of PROBES) expect(attached, id).toContain(id);
  });
});
