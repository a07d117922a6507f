import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/checks/index.js';
import { ORDER_PROCESSING_PROFILE } from '../../src/config/profile.js';
import { score } from '../../src/engine/scoring.js';
import type { CheckResult, LogEntry, Status } from '../../src/engine/types.js';
import { renderChecklist } from '../../src/reporters/checklist.js';
import { renderCommandsLog } from '../../src/reporters/commands-log.js';
import { renderJson } from '../../src/reporters/json.js';
import { renderMarkdownReport } from '../../src/reporters/markdown.js';
import { buildReport, prioritizedActions, type RunMeta } from '../../src/reporters/model.js';
import { PASTE_BACK_MAX_LINES, renderPasteBack } from '../../src/reporters/paste-back.js';

const STATUSES: Status[] = ['pass', 'fail', 'warn', 'unknown', 'manual', 'pass', 'n/a'];

/** Every check, with a status picked by position so each status and section appears. */
function results(pick: (i: number) => Status): CheckResult[] {
  return CHECKS.map((c, i) => {
    const status = pick(i);
    return {
      id: c.meta.id,
      section: c.meta.section,
      title: c.meta.title,
      severity: c.meta.severity,
      status,
      summary: `${status} summary for ${c.meta.id}`,
      evidence: [{ text: `evidence for ${c.meta.id}`, refs: [i + 1] }],
      effort: c.meta.effort,
      remediation: c.meta.remediation,
      blocker: c.meta.blocker === true || c.meta.severity === 'critical',
      live: c.pending === undefined,
      runs: c.meta.runs,
    };
  });
}

const meta = (incomplete = false): RunMeta => ({
  runId: 'golden',
  tool: { name: 'predeploy', version: '0.0.0-test' },
  root: '/data/order-processing',
  outDir: '/data/order-processing/_codex_predeploy/golden',
  target: 'local',
  profile: 'order-processing',
  configSource: null,
  startedAt: '2026-11-26T00:00:00.000Z',
  finishedAt: '2026-11-26T00:00:01.234Z',
  durationMs: 1234,
  offline: true,
  incomplete,
  skipped: [],
  logEntries: 2,
});

const mixed = results((i) => STATUSES[i % STATUSES.length]!);
const report = buildReport({ meta: meta(), config: ORDER_PROCESSING_PROFILE, results: mixed, scores: score(mixed) });

const entries: LogEntry[] = [
  { seq: 1, time: '2026-11-26T00:00:00.010Z', target: 'local', kind: 'exec', action: 'ufw status verbose', result: '0', durationMs: 12, output: 'Status: inactive', probe: 'host.ufw' },
  { seq: 2, time: '2026-11-26T00:00:00.020Z', target: 'local', kind: 'refused', action: 'ufw enable', result: 'refused', durationMs: 0, output: '"ufw enable" is not on the read-only allowlist' },
];

describe('reporters (golden files)', () => {
  it('markdown report', async () => {
    await expect(renderMarkdownReport(report)).toMatchFileSnapshot('../fixtures/golden/report.md');
  });
  it('checklist', async () => {
    await expect(renderChecklist(report)).toMatchFileSnapshot('../fixtures/golden/checklist.md');
  });
  it('paste-back', async () => {
    await expect(renderPasteBack(report)).toMatchFileSnapshot('../fixtures/golden/paste-back.txt');
  });
  it('json', async () => {
    await expect(renderJson(report)).toMatchFileSnapshot('../fixtures/golden/report.json');
  });
  it('commands log', async () => {
    await expect(renderCommandsLog(meta(), entries)).toMatchFileSnapshot('../fixtures/golden/commands.log');
  });
});

describe('report content', () => {
  it('checklist has the eight sections and ticks only passes', () => {
    const text = renderChecklist(report);
    expect(text.match(/^## \d\. /gm)).toHaveLength(8);
    const ticked = text.match(/^- \[x\] /gm) ?? [];
    expect(ticked).toHaveLength(mixed.filter((r) => r.status === 'pass').length);
  });

  it('paste-back stays within 120 lines with every check failing', () => {
    const allFail = results(() => 'fail');
    const r = buildReport({ meta: meta(true), config: ORDER_PROCESSING_PROFILE, results: allFail, scores: score(allFail) });
    const lines = renderPasteBack(r).trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(PASTE_BACK_MAX_LINES);
    expect(lines.join('\n')).toContain('NOT READY');
    expect(lines.join('\n')).toMatch(/… \d+ more in 13_PRODUCTION_DEPLOY_REPORT.md/);
  });

  it('orders actions: blockers, then fail before warn before unverified, then severity, then smallest effort', () => {
    const actions = prioritizedActions(mixed);
    const firstNonBlocker = actions.findIndex((a) => !a.blocker);
    expect(actions.slice(firstNonBlocker).some((a) => a.blocker)).toBe(false);
    const rank = { fail: 0, warn: 1, unknown: 2, manual: 3 } as Record<string, number>;
    const rest = actions.slice(firstNonBlocker);
    for (let i = 1; i < rest.length; i++) expect(rank[rest[i]!.status]!).toBeGreaterThanOrEqual(rank[rest[i - 1]!.status]!);
    expect(actions.every((a) => a.status !== 'pass' && a.status !== 'n/a')).toBe(true);
  });

  it('every number in the report traces to the checks', () => {
    const possible = report.sections.reduce((t, s) => t + s.possible, 0);
    const earned = report.sections.reduce((t, s) => t + s.earned, 0);
    expect(report.score).toBe(Math.round((1000 * earned) / possible) / 10);
    expect(renderMarkdownReport(report)).toContain(`100 × ${earned} / ${possible}`);
  });

  it('the gap table marks TBD production names as gaps', () => {
    const kv = report.gaps.find((g) => g.item === 'Key Vault');
    expect(kv).toMatchObject({ dev: 'pippai-keyvault-dev', prod: 'TBD', gap: 'prod undecided (TBD)' });
  });
});
