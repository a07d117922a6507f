/**
 * `13_PRODUCTION_DEPLOY_REPORT.md`: verdict, score (overall and per section, with how it was
 * computed), critical blockers with evidence and fix, dev-vs-prod gaps, recommended actions in
 * priority order with effort, security posture and backup status, and what could not be verified.
 */
import type { CheckResult, Evidence } from '../engine/types.js';
import type { Report } from './model.js';
import { LOG_FILE, escapeCell, fmtHours, fmtScore, STATUS_LABEL } from './text.js';

export function refsText(evidence: readonly Evidence[]): string {
  const refs = [...new Set(evidence.flatMap((e) => e.refs ?? []))].sort((a, b) => a - b);
  return refs.length > 0 ? `log ${refs.map((r) => `#${r}`).join(', ')}` : 'no command run';
}

function evidenceLines(r: CheckResult, indent = ''): string[] {
  const lines = r.evidence.slice(0, 8).map((e) => `${indent}- ${e.text}${e.refs && e.refs.length > 0 ? ` (${refsText([e])})` : ''}`);
  if (r.evidence.length > 8) lines.push(`${indent}- … ${r.evidence.length - 8} more in report.json`);
  return lines;
}

function resultTable(results: readonly CheckResult[]): string[] {
  const out = ['| check | status | severity | finding | evidence |', '|---|---|---|---|---|'];
  for (const r of results) {
    out.push(`| \`${r.id}\` | ${STATUS_LABEL[r.status]} | ${r.severity} | ${escapeCell(r.summary)} | ${refsText(r.evidence)} |`);
  }
  return out;
}

export function renderMarkdownReport(report: Report): string {
  const m = report.meta;
  const L: string[] = [];
  L.push(`# Production deploy report — ${m.profile}`);
  L.push('');
  if (m.incomplete) {
    L.push('> **INCOMPLETE** — the run was interrupted; checks whose probes had not finished are `unknown`.');
    L.push('');
  }
  L.push('| | |', '|---|---|');
  L.push(`| **Verdict** | **${report.verdict}** |`);
  L.push(`| Readiness score | **${fmtScore(report.score)} / 100** |`);
  L.push(`| Why | ${escapeCell(report.verdictReasons.join('; '))} |`);
  L.push(`| Critical blockers | ${report.blockers.length} |`);
  L.push(`| Checks | ${countsLine(report)} |`);
  L.push(`| Run | \`${m.runId}\` on \`${m.target}\`, ${m.startedAt} (${(m.durationMs / 1000).toFixed(1)} s) |`);
  L.push(`| Root | \`${m.root}\`; config: ${m.configSource ? `\`${m.configSource}\`` : 'built-in profile'}${m.offline ? '; offline' : ''} |`);
  L.push(`| Evidence | every \`log #N\` below is entry N of \`${LOG_FILE}\` (${m.logEntries} entries) |`);
  L.push('');

  L.push('## Score by section');
  L.push('');
  L.push('| section | score | pass | warn | fail | unknown | manual | n/a |', '|---|---|---|---|---|---|---|---|');
  for (const s of report.sections) {
    const c = s.counts;
    L.push(`| ${s.number}. ${s.title} | ${fmtScore(s.score)} | ${c.pass} | ${c.warn} | ${c.fail} | ${c.unknown} | ${c.manual} | ${c['n/a']} |`);
  }
  L.push('');
  L.push(
    `How: each check weighs critical 10, high 5, medium 3, low 1; pass counts 1, warn or waived 0.5, fail/unknown/manual 0; n/a is left out. ` +
      `Score = 100 × Σ(weight × value) / Σ weight = 100 × ${report.sections.reduce((t, s) => t + s.earned, 0)} / ${report.sections.reduce((t, s) => t + s.possible, 0)}. ` +
      'NOT READY when a critical check fails or the score is below 75; READY WITH RISKS below 90 or when a high check fails.',
  );
  L.push('');

  L.push('## Critical blockers');
  L.push('');
  if (report.blockers.length === 0) L.push('None failing. (Checks that could not be verified are listed further down: unknown is not pass.)');
  for (const b of report.blockers) {
    L.push(`### ${b.id} — ${b.title}`);
    L.push('');
    L.push(`- **Finding:** ${b.summary}`);
    L.push(`- **Why it blocks:** ${b.severity === 'critical' ? 'critical severity' : 'marked as a go-live blocker'}; production must not go live while it fails.`);
    L.push(`- **Fix:** ${b.remediation.text}${b.remediation.command ? ` — \`${b.remediation.command}\`` : ''}`);
    if (b.remediation.url) L.push(`- **Reference:** ${b.remediation.url}`);
    L.push(`- **Effort:** ${b.effort.size} (${fmtHours(b.effort.hours)})`);
    L.push('- **Evidence:**');
    L.push(...evidenceLines(b, '  '));
    L.push('');
  }

  L.push('## Dev vs prod gaps');
  L.push('');
  L.push('| item | dev | prod | gap | action |', '|---|---|---|---|---|');
  for (const g of report.gaps) L.push(`| ${g.item} | ${escapeCell(g.dev)} | ${escapeCell(g.prod)} | ${escapeCell(g.gap)} | ${escapeCell(g.action)} |`);
  L.push('');

  L.push('## Recommended actions (priority order)');
  L.push('');
  L.push(`Blockers first, then failures, warnings and unverified items; within each, higher severity and then the smallest effort first. Total effort: **${fmtHours(report.totalEffortHours)}**.`);
  L.push('');
  L.push('| # | check | severity | status | action | effort |', '|---|---|---|---|---|---|');
  for (const a of report.actions) {
    const cmd = a.command ? ` \`${escapeCell(a.command)}\`` : '';
    L.push(`| ${a.rank} | \`${a.checkId}\`${a.blocker ? ' **blocker**' : ''} | ${a.severity} | ${STATUS_LABEL[a.status]} | ${escapeCell(a.text)}${cmd} | ${a.effort.size} (${fmtHours(a.effort.hours)}) |`);
  }
  L.push('');

  const section = (id: string) => report.results.filter((r) => r.section === id);
  L.push('## Security posture');
  L.push('');
  L.push(...resultTable(section('security')));
  L.push('');
  for (const r of section('security').filter((x) => x.status === 'fail' || x.status === 'warn')) {
    L.push(`**${r.id}** (${STATUS_LABEL[r.status]}): ${r.summary}`);
    L.push(...evidenceLines(r));
    L.push('');
  }

  L.push('## Backup status');
  L.push('');
  L.push(...resultTable(section('backup')));
  L.push('');

  const unverified = report.results.filter((r) => r.status === 'unknown' || r.status === 'manual');
  L.push('## What could not be verified');
  L.push('');
  if (unverified.length === 0) L.push('Everything was verified.');
  else {
    L.push('| check | why | how to verify |', '|---|---|---|');
    for (const r of unverified) {
      const how = r.status === 'manual' ? 'attest it in predeploy.attest.yaml (who, date, evidence, expiry)' : r.live ? 'fix the probe problem named, then re-run' : 'not assessed by this version: check by hand — ' + r.runs;
      L.push(`| \`${r.id}\` | ${escapeCell(r.summary)} | ${escapeCell(how)} |`);
    }
  }
  L.push('');

  L.push('## All checks');
  L.push('');
  L.push(...resultTable(report.results));
  L.push('');
  if (m.skipped.length > 0) {
    L.push(`Left out by --only/--skip: ${m.skipped.map((s) => `\`${s}\``).join(', ')}.`);
    L.push('');
  }
  L.push(`_Written by ${m.tool.name} ${m.tool.version}. Nothing on the target was changed; secrets are redacted._`);
  return L.join('\n') + '\n';
}

function countsLine(report: Report): string {
  const c = report.counts;
  return `${c.pass} pass, ${c.warn} warn, ${c.fail} fail, ${c.unknown} unknown, ${c.manual} manual, ${c.waived} waived, ${c['n/a']} n/a`;
}
