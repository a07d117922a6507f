import { describe, expect, it } from 'vitest';
import { FAIL_ON, FORMAT_NAMES } from '../../src/cli/args.js';
import { score } from '../../src/engine/scoring.js';
import type { LogEntry } from '../../src/engine/types.js';
import { renderChecklist } from '../../src/reporters/checklist.js';
import { renderCommandsLog } from '../../src/reporters/commands-log.js';
import { diffRuns, renderDiffText } from '../../src/reporters/diff.js';
import { renderHtml } from '../../src/reporters/html.js';
import { FORMATS, REPORTERS, reportersFor } from '../../src/reporters/index.js';
import { renderJson } from '../../src/reporters/json.js';
import { renderJunit } from '../../src/reporters/junit.js';
import { howToVerify, renderMarkdownReport } from '../../src/reporters/markdown.js';
import { causeAction } from '../../src/engine/causes.js';
import { buildReport, prioritizedActions, runSummaryOf } from '../../src/reporters/model.js';
import { PASTE_BACK_MAX_LINES, renderPasteBack } from '../../src/reporters/paste-back.js';
import { renderSarif } from '../../src/reporters/sarif.js';
import { catalogResults, earlierRuns, goldenReport, meta } from './fixture.js';

const STATUSES = ['pass', 'fail', 'warn', 'unknown', 'manual', 'pass', 'n/a'] as const;
const mixed = (_id: string, i: number) => STATUSES[i % STATUSES.length]!;

const report = goldenReport();

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
  it('sarif', async () => {
    await expect(renderSarif(report)).toMatchFileSnapshot('../fixtures/golden/report.sarif');
  });
  it('junit', async () => {
    await expect(renderJunit(report)).toMatchFileSnapshot('../fixtures/golden/report.junit.xml');
  });
  it('html', async () => {
    await expect(renderHtml(report)).toMatchFileSnapshot('../fixtures/golden/report.html');
  });
  it('diff (text)', async () => {
    const [older, previous] = earlierRuns();
    await expect(renderDiffText(diffRuns(older!, previous!))).toMatchFileSnapshot('../fixtures/golden/diff.txt');
  });
});

describe('reporter registry', () => {
  it('every --format name has a reporter, and md, checklist and json are always written', () => {
    expect([...FORMAT_NAMES]).toEqual([...FORMATS]);
    for (const f of FORMATS) expect(REPORTERS[f]).toBeDefined();
    expect(reportersFor([])).toEqual(['md', 'checklist', 'json']);
    expect(reportersFor(['html', 'sarif', 'sarif'])).toEqual(['md', 'checklist', 'json', 'sarif', 'html']);
    expect(new Set(Object.values(REPORTERS).map((r) => r.file)).size).toBe(Object.keys(REPORTERS).length);
    expect([...FAIL_ON]).toEqual(['blockers']);
  });
});

describe('report content', () => {
  it('checklist has the eight sections and ticks only passes', () => {
    const text = renderChecklist(report);
    expect(text.match(/^## \d\. /gm)).toHaveLength(8);
    const ticked = text.match(/^- \[x\] /gm) ?? [];
    expect(ticked).toHaveLength(report.results.filter((r) => r.status === 'pass').length);
  });

  it('paste-back stays within 120 lines with every check failing', () => {
    const allFail = catalogResults(() => 'fail');
    const r = buildReport({
      meta: meta({ incomplete: true }),
      results: allFail,
      scores: score(allFail),
      earlier: { runs: earlierRuns(), notes: [] },
      waivers: { applied: [], expired: allFail.map((x) => ({ check: x.id, reason: 'r', approver: 'a', expires: '2020-01-01', status: 'fail', daysAgo: 9 })), unused: [] },
    });
    const lines = renderPasteBack(r).trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(PASTE_BACK_MAX_LINES);
    expect(lines.join('\n')).toContain('NOT READY');
    expect(lines.join('\n')).toMatch(/… \d+ more in 13_PRODUCTION_DEPLOY_REPORT.md/);
    expect(lines.at(-1)).toBe('===== END PASTE-BACK REPORT =====');
    expect(lines.every((l) => l.length <= 240)).toBe(true);
  });

  it('orders actions: blockers, then severity, then the smallest effort first', () => {
    const actions = prioritizedActions(catalogResults(mixed));
    const firstNonBlocker = actions.findIndex((a) => !a.blocker);
    expect(actions.slice(firstNonBlocker).some((a) => a.blocker)).toBe(false);
    const weight = { critical: 4, high: 3, medium: 2, low: 1 } as const;
    for (const group of [actions.slice(0, firstNonBlocker), actions.slice(firstNonBlocker)]) {
      for (let i = 1; i < group.length; i++) {
        const [a, b] = [group[i - 1]!, group[i]!];
        expect(weight[a.severity]).toBeGreaterThanOrEqual(weight[b.severity]);
        if (a.severity === b.severity) expect(a.effort.hours[1]).toBeLessThanOrEqual(b.effort.hours[1]);
      }
    }
    expect(actions.every((a) => a.status !== 'pass' && a.status !== 'n/a' && a.status !== 'waived')).toBe(true);
    expect(report.totalEffortHours).toEqual(report.actions.reduce<[number, number]>((t, a) => [t[0] + a.effort.hours[0], t[1] + a.effort.hours[1]], [0, 0]));
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

  it('shows waived checks apart from passes, and lists expired and unused waivers', () => {
    expect(report.waivers.applied.map((w) => w.check)).toEqual(['security.open-ports']);
    expect(report.waivers.expired.map((w) => w.check)).toEqual(['monitoring.log-shipping']);
    expect(report.waivers.unused.map((w) => [w.check, w.why])).toEqual([['golive.window', 'not needed: the check is pass']]);
    const waived = report.results.find((r) => r.id === 'security.open-ports')!;
    expect(waived.status).toBe('waived');
    expect(report.results.find((r) => r.id === 'monitoring.log-shipping')!.status).toBe('fail');
    const md = renderMarkdownReport(report);
    expect(md).toMatch(/## Waived risks[\s\S]*\| `security\.open-ports` \| FAIL: /);
    expect(md).toContain('**Expired waivers — no longer applied:**');
    // the checklist never ticks a waived check
    expect(renderChecklist(report)).toMatch(new RegExp(`- \\[ \\] .*\`${waived.id}\` · WAIVED`));
  });

  it('security posture and backup status carry the key raw facts with their log entries', () => {
    const md = renderMarkdownReport(report);
    const security = md.slice(md.indexOf('## Security posture'), md.indexOf('## Backup status'));
    expect(security).toContain('| `host.ufw` | Status: inactive | log #4 |');
    expect(security).toMatch(/`host.listening` \| TCP listening on non-loopback addresses: 22 \(sshd\), 443 \(nginx\), 5432 \(postgres\); loopback-only sockets: 1/);
    expect(security).toContain('permitrootlogin no; passwordauthentication no');
    expect(security).toMatch(/`host.apt-upgradable` \| \*\*not collected\*\* — permission — sudo: a password is required/);
    const backup = md.slice(md.indexOf('## Backup status'), md.indexOf('## What could not be verified'));
    expect(backup).toContain('| `host.backup-jobs` | 1 scheduled backup job(s): /etc/cron.d/orders-backup (30 2 * * *; last run 7 h ago) | log #14 |');
    expect(backup).toContain('| `project.runbooks` | 1 runbook(s): docs/RECOVERY.md (recovery) | log #15 |');
  });

  it('says how to verify what could not be verified', () => {
    const how = (id: string) => howToVerify(report.results.find((r) => r.id === id)!);
    // from the structured cause, never from the summary's text
    for (const r of report.results.filter((x) => x.status === 'unknown' && x.unverified.length > 0)) {
      expect(how(r.id)).toBe(causeAction(r.unverified[0]!.cause).action);
    }
    expect(how('golive.rollback')).toMatch(/^a person confirms it, as the finding says \(go-live items: an entry in predeploy\.attest\.yaml/);
    expect(renderMarkdownReport(report)).toMatch(/\| check \| status \| why \| how to verify \|/);
  });

  it('includes the change since the last run and the trend', () => {
    const prev = report.history.previous!;
    expect(prev.from.runId).toBe('run-2');
    expect(report.history.trend.map((t) => t.runId)).toEqual(['run-1', 'run-2', 'golden']);
    const md = renderMarkdownReport(report);
    expect(md).toContain('## Since the last run');
    expect(md).toContain(`Compared with \`run-2\``);
    for (const c of prev.newlyFailing.slice(0, 10)) expect(md).toContain(`\`${c.id}\` ${c.from.toUpperCase()} → FAIL`);
    expect(renderPasteBack(report)).toMatch(/^since: {4}run-2: score [+-]/m);
  });

  it('points out attestations for automated checks', () => {
    expect(report.notes).toEqual([
      expect.stringMatching(/^predeploy\.attest\.yaml line 7: the attestation for security\.firewall does not count — that check is verified by its probes/),
    ]);
  });
});

describe('diff', () => {
  it('reports exactly the checks whose status changed', () => {
    const a = catalogResults(mixed);
    const b = a.map((r) => (r.id === 'security.firewall' ? { ...r, status: 'pass' as const } : r.id === 'security.ssh' ? { ...r, status: 'fail' as const } : r));
    const from = runSummaryOf(meta({ runId: 'a', startedAt: '2026-11-25T00:00:00.000Z' }), a, score(a));
    const to = runSummaryOf(meta({ runId: 'b' }), b, score(b));
    const d = diffRuns(from, to);
    const changedIds = a.filter((r, i) => r.status !== b[i]!.status).map((r) => r.id);
    expect(d.changed.map((c) => c.id)).toEqual(changedIds);
    expect(d.unchanged).toBe(a.length - changedIds.length);
    if (a.find((r) => r.id === 'security.ssh')!.status !== 'fail') expect(d.newBlockers.map((c) => c.id)).toContain('security.ssh');
  });

  it('lists checks present in only one run apart', () => {
    const a = catalogResults(mixed);
    const from = runSummaryOf(meta({ runId: 'a' }), a.slice(1), score(a.slice(1)));
    const to = runSummaryOf(meta({ runId: 'b' }), a.slice(0, -1), score(a.slice(0, -1)));
    const d = diffRuns(from, to);
    expect(d.added.map((x) => x.id)).toEqual([a[0]!.id]);
    expect(d.removed.map((x) => x.id)).toEqual([a.at(-1)!.id]);
    expect(d.changed).toEqual([]);
  });
});
