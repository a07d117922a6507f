/**
 * `13_PRODUCTION_DEPLOY_REPORT.md`: verdict box, score (overall and per section, with how it
 * was computed), critical blockers with why, evidence and fix, recommended actions in priority
 * order with effort, the change since the last run and the score trend, dev-vs-prod gaps,
 * waived risks (apart from passes), security posture and backup status with their key raw
 * facts, and what could not be verified with how to verify it.
 */
import { causeAction } from '../engine/causes.js';
import type { CheckResult, Evidence } from '../engine/types.js';
import { fmtDelta } from './diff.js';
import { causeNumbersOf, notVerifiedText, type Report } from './model.js';
import { escapeCell, fmtHours, fmtScore, LOG_FILE, oneLine, STATUS_LABEL } from './text.js';

export function refsText(evidence: readonly Evidence[]): string {
  const refs = [...new Set(evidence.flatMap((e) => e.refs ?? []))].sort((a, b) => a - b);
  return refs.length > 0 ? `log ${refs.map((r) => `#${r}`).join(', ')}` : 'no command run';
}

function evidenceLines(r: CheckResult, indent = ''): string[] {
  const lines = r.evidence.slice(0, 8).map((e) => `${indent}- ${e.text}${e.refs && e.refs.length > 0 ? ` (${refsText([e])})` : ''}`);
  if (r.evidence.length > 8) lines.push(`${indent}- … ${r.evidence.length - 8} more in report.json`);
  return lines;
}

/**
 * What a check's own entry says: its summary, or for an unknown whose causes are grouped in
 * "What could not be verified — by cause" only `not verified — see cause N` (the cause's detail
 * and action are printed once there, not once a check).
 */
export function findingText(report: Report, r: CheckResult): string {
  if (r.status !== 'unknown') return r.summary;
  return notVerifiedText(causeNumbersOf(report.causes).get(r.id) ?? []) ?? r.summary;
}

function resultTable(report: Report, results: readonly CheckResult[]): string[] {
  const out = ['| check | status | severity | finding | evidence |', '|---|---|---|---|---|'];
  for (const r of results) {
    out.push(`| \`${r.id}\` | ${STATUS_LABEL[r.status]} | ${r.severity} | ${escapeCell(findingText(report, r))} | ${refsText(r.evidence)} |`);
  }
  return out;
}

/** `partial run: 12 check(s) left out by --only/--skip; offline (network probes off)`, or undefined for a full run. */
export function partialText(report: Report): string | undefined {
  const m = report.meta;
  if (!m.partial && !m.offline) return undefined;
  const parts: string[] = [];
  if (m.skipped.length > 0) parts.push(`${m.skipped.length} check(s) left out by --only/--skip`);
  if (m.offline) parts.push('offline (network probes off)');
  return `partial run${parts.length > 0 ? `: ${parts.join('; ')}` : ''}`;
}

/** Eight levels of a Unicode sparkline, for the score trend in one line. */
const SPARKS = '▁▂▃▄▅▆▇█';
export function sparkline(scores: readonly (number | null)[]): string {
  return scores.map((s) => (s === null ? '·' : SPARKS[Math.min(7, Math.floor((s / 100) * 8))])).join('');
}

/**
 * How to verify a check the cause table does not cover: a person for `manual` items; otherwise
 * the action of its first structured cause (never a rule matched from the summary's text).
 */
export function howToVerify(r: CheckResult): string {
  if (r.status === 'manual') return 'a person confirms it, as the finding says (go-live items: an entry in predeploy.attest.yaml with who, date, evidence link and expiry)';
  const first = r.unverified[0];
  if (first !== undefined) return causeAction(first.cause).action;
  return `fix the problem named, then re-run; what it looks at: ${r.runs}`;
}

export function renderMarkdownReport(report: Report): string {
  const m = report.meta;
  const L: string[] = [];
  const prev = report.history.previous;
  const w = report.waivers;
  L.push(`# Production deploy report — ${m.profile}`);
  L.push('');
  if (m.incomplete) {
    L.push(`> **INCOMPLETE** — ${m.stopped ?? 'the run was interrupted'}; checks whose probes had not finished are \`unknown\`.`);
    L.push('');
  }
  const partial = partialText(report);
  if (partial !== undefined) {
    L.push(`> **PARTIAL RUN** — ${partial.replace(/^partial run:? ?/, '') || 'not everything was assessed'}: the verdict covers only what was assessed, and this run is compared only with runs of the same scope.`);
    L.push('');
  }
  L.push('| | |', '|---|---|');
  L.push(`| **Verdict** | **${report.verdict}**${partial !== undefined ? ` (${partial})` : ''} |`);
  L.push(`| Readiness score | **${fmtScore(report.score)} / 100** |`);
  L.push(`| Why | ${escapeCell(report.verdictReasons.join('; '))} |`);
  L.push(`| Critical blockers | ${report.blockers.length} failing |`);
  L.push(`| Actions | ${report.actions.length}: effort to fix ${fmtHours(report.effortToFix)}, to verify ${fmtHours(report.effortToVerify)} |`);
  if (report.causes.length > 0) L.push(`| Not verified | ${report.counts.unknown} check(s), from ${report.causes.length} cause(s) — see "What could not be verified — by cause" |`);
  L.push(`| Checks | ${countsLine(report)} |`);
  if (w.applied.length > 0 || w.expired.length > 0) L.push(`| Waivers | ${w.applied.length} applied (accepted risks, not passes)${w.expired.length > 0 ? `; **${w.expired.length} expired** (no longer applied)` : ''} |`);
  if (prev) L.push(`| Since last run | ${fmtDelta(prev.scoreDelta)} since \`${prev.from.runId}\`; ${prev.newlyFailing.length} newly failing, ${prev.newlyPassing.length} newly passing, ${prev.newBlockers.length} new blocker(s) |`);
  L.push(`| Run | \`${m.runId}\` on \`${m.target}\`, ${m.startedAt} (${(m.durationMs / 1000).toFixed(1)} s) |`);
  if (m.webFrom !== undefined) L.push(`| Live web checks | ran from ${m.webFrom}, not from the target |`);
  L.push(`| Root | \`${m.root}\`; config: ${m.configSource ? `\`${m.configSource}\`` : 'built-in profile'}${m.offline ? '; offline' : ''} |`);
  L.push(`| Evidence | every \`log #N\` below is entry N of \`${LOG_FILE}\` (${m.logEntries} entries) |`);
  L.push('');

  L.push('## Score by section');
  L.push('');
  L.push('| section | score | points | pass | warn | fail | unknown | manual | waived | n/a |', '|---|---|---|---|---|---|---|---|---|---|');
  for (const s of report.sections) {
    const c = s.counts;
    L.push(`| ${s.number}. ${s.title} | ${fmtScore(s.score)} | ${s.earned} / ${s.possible} | ${c.pass} | ${c.warn} | ${c.fail} | ${c.unknown} | ${c.manual} | ${c.waived} | ${c['n/a']} |`);
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

  L.push('## Recommended actions (priority order)');
  L.push('');
  L.push(
    `Failing blockers first, then by severity, then the smallest effort first (fail before warn before unverified among equals). Waived checks are accepted risks and get no action. ` +
      `Effort to fix (failing and warning items): **${fmtHours(report.effortToFix)}**; to verify (unknown and manual items): **${fmtHours(report.effortToVerify)}**; together ${fmtHours(report.totalEffortHours)}.`,
  );
  L.push('');
  L.push('| # | check | severity | status | action | effort |', '|---|---|---|---|---|---|');
  for (const a of report.actions) {
    const cmd = a.command ? ` \`${escapeCell(a.command)}\`` : '';
    L.push(`| ${a.rank} | \`${a.checkId}\`${a.blocker ? ' **blocker**' : ''} | ${a.severity} | ${STATUS_LABEL[a.status]} | ${escapeCell(a.text)}${cmd} | ${a.effort.size} (${fmtHours(a.effort.hours)}) |`);
  }
  L.push('');

  L.push('## Since the last run');
  L.push('');
  if (!prev) L.push(report.meta.partial ? 'No earlier complete run of the same scope (the same --only/--skip/--offline) in this output folder: a partial run is not compared with full runs.' : 'No earlier complete, full run in this output folder to compare with.');
  else {
    L.push(`Compared with \`${prev.from.runId}\` (${prev.from.startedAt}): score ${fmtScore(prev.from.score)} → ${fmtScore(prev.to.score)} (**${fmtDelta(prev.scoreDelta)}**), verdict ${prev.from.verdict} → ${prev.to.verdict}; ${prev.changed.length} changed, ${prev.unchanged} unchanged.`);
    L.push('');
    const lines = (title: string, items: typeof prev.changed) => {
      L.push(`- **${title} (${items.length})**${items.length === 0 ? ': none' : ':'}`);
      for (const c of items.slice(0, 10)) L.push(`  - \`${c.id}\` ${STATUS_LABEL[c.from]} → ${STATUS_LABEL[c.to]}: ${escapeCell(oneLine(c.summary, 140))}`);
      if (items.length > 10) L.push(`  - … ${items.length - 10} more (\`predeploy diff ${prev.from.runId} ${prev.to.runId}\`)`);
    };
    lines('Newly failing', prev.newlyFailing);
    lines('Newly passing', prev.newlyPassing);
    L.push(`- **New blockers (${prev.newBlockers.length})**: ${prev.newBlockers.length === 0 ? 'none' : prev.newBlockers.map((c) => `\`${c.id}\``).join(', ')}`);
    const other = prev.changed.filter((c) => c.to !== 'fail' && c.to !== 'pass');
    if (other.length > 0) L.push(`- Other status changes: ${other.map((c) => `\`${c.id}\` ${STATUS_LABEL[c.from]} → ${STATUS_LABEL[c.to]}`).join(', ')}`);
  }
  const trend = report.history.trend;
  if (trend.length > 1) {
    L.push('');
    const marked = trend.some((t) => t.partial);
    L.push(
      `Score trend over the last ${trend.length} complete runs in this folder: \`${sparkline(trend.map((t) => t.score))}\` (${trend.map((t) => `${fmtScore(t.score)}${t.partial ? ' (partial)' : ''}`).join(' → ')})` +
        (marked ? '. A partial run (--only/--skip/--offline) assessed less: its score is not comparable.' : ''),
    );
  }
  L.push('');

  L.push('## Dev vs prod gaps');
  L.push('');
  L.push('| item | dev | prod | gap | action |', '|---|---|---|---|---|');
  for (const g of report.gaps) L.push(`| ${g.item} | ${escapeCell(g.dev)} | ${escapeCell(g.prod)} | ${escapeCell(g.gap)} | ${escapeCell(g.action)} |`);
  L.push('');

  L.push('## Waived risks');
  L.push('');
  L.push('Accepted risks from `waivers:` in predeploy.yaml: each scores 0.5, is not a pass, and stops applying after its expiry day.');
  L.push('');
  if (w.applied.length === 0) L.push('None applied.');
  else {
    L.push('| check | found | reason | approver | expires |', '|---|---|---|---|---|');
    for (const x of w.applied) L.push(`| \`${x.check}\` | ${STATUS_LABEL[x.was]}: ${escapeCell(oneLine(x.wasSummary, 120))} | ${escapeCell(x.reason)} | ${escapeCell(x.approver)} | ${x.expires} (${x.daysLeft} day(s) left) |`);
  }
  if (w.expired.length > 0) {
    L.push('');
    L.push('**Expired waivers — no longer applied:**');
    L.push('');
    L.push('| check | expired | status now | reason | approver |', '|---|---|---|---|---|');
    for (const x of w.expired) L.push(`| \`${x.check}\` | ${x.expires} (${x.daysAgo} day(s) ago) | ${x.status ? STATUS_LABEL[x.status] : 'not in this run'} | ${escapeCell(x.reason)} | ${escapeCell(x.approver)} |`);
  }
  if (w.unused.length > 0) {
    L.push('');
    L.push('Waivers that changed nothing:');
    for (const x of w.unused) L.push(`- \`${x.check}\`: ${x.why}`);
  }
  L.push('');

  const section = (id: string) => report.results.filter((r) => r.section === id);
  const keyFacts = (id: string) => {
    const facts = report.keyFacts.filter((f) => f.section === id);
    if (facts.length === 0) return;
    L.push('Key facts, as the probes saw them:');
    L.push('');
    L.push('| probe | what it saw | evidence |', '|---|---|---|');
    for (const f of facts) L.push(`| \`${f.probe}\` | ${f.ok ? '' : '**not collected** — '}${escapeCell(f.ok ? f.value : f.value.replace(/^not collected: /, ''))} | ${f.refs.length > 0 ? `log ${f.refs.map((r) => `#${r}`).join(', ')}` : 'no command run'} |`);
    L.push('');
  };
  L.push('## Security posture');
  L.push('');
  keyFacts('security');
  L.push(...resultTable(report, section('security')));
  L.push('');
  for (const r of section('security').filter((x) => x.status === 'fail' || x.status === 'warn')) {
    L.push(`**${r.id}** (${STATUS_LABEL[r.status]}): ${r.summary}`);
    L.push(...evidenceLines(r));
    L.push('');
  }

  L.push('## Backup status');
  L.push('');
  keyFacts('backup');
  L.push(...resultTable(report, section('backup')));
  L.push('');
  for (const r of section('backup').filter((x) => x.status !== 'n/a')) {
    const text = findingText(report, r);
    L.push(`**${r.id}** (${STATUS_LABEL[r.status]}): ${text}`);
    if (text === r.summary) L.push(...evidenceLines(r));
    L.push('');
  }

  L.push('## What could not be verified — by cause');
  L.push('');
  const grouped = causeNumbersOf(report.causes);
  const rest = report.results.filter((r) => r.status === 'manual' || (r.status === 'unknown' && !grouped.has(r.id)));
  if (report.causes.length === 0 && rest.length === 0) L.push('Everything was verified.');
  if (report.causes.length > 0) {
    const n = new Set(report.causes.flatMap((c) => c.checks)).size;
    L.push(`${report.causes.length} cause(s) keep ${n} check(s) from being verified, most weight first (severity × checks unlocked). Each needs one action; then re-run and the checks it unlocks are judged. The detail of each check is in report.json (\`unverified\`).`);
    L.push('');
    for (const c of report.causes) {
      L.push(`### Cause ${c.n}: ${c.title} — unlocks ${c.checks.length} check(s)`);
      L.push('');
      L.push(`- **Action:** ${c.action}`);
      if (c.command !== undefined) L.push(`- **Command:** \`${c.command}\``);
      L.push(`- **Checks:** ${c.checks.map((id) => `\`${id}\``).join(', ')}`);
      L.push('');
    }
  }
  if (rest.length > 0) {
    L.push('Needing a person, or with no cause named:');
    L.push('');
    L.push('| check | status | why | how to verify |', '|---|---|---|---|');
    for (const r of rest) L.push(`| \`${r.id}\` | ${STATUS_LABEL[r.status]} | ${escapeCell(r.summary)} | ${escapeCell(howToVerify(r))} |`);
  }
  L.push('');

  if (report.discovered !== undefined) {
    L.push('## Discovered configuration');
    L.push('');
    if (report.discovered.length > 0) {
      L.push('The configuration left these undecided; this run took them from the machine:', '');
      L.push('| setting | value | source |', '|---|---|---|');
      for (const d of report.discovered) L.push(`| \`${d.path}\` | \`${escapeCell(d.value)}\` | ${escapeCell(d.source)} |`);
      L.push('');
    }
    for (const n of report.discoveryNotes ?? []) L.push(`- ${escapeCell(n)}`);
    if ((report.discoveryNotes ?? []).length > 0) L.push('');
  }

  const notes = [...report.notes, ...report.history.notes];
  if (notes.length > 0) {
    L.push('## Notes');
    L.push('');
    for (const n of notes) L.push(`- ${n}`);
    L.push('');
  }

  L.push('## All checks');
  L.push('');
  L.push(...resultTable(report, report.results));
  L.push('');
  if (m.skipped.length > 0) {
    L.push(`Left out by --only/--skip: ${m.skipped.map((s) => `\`${s}\``).join(', ')}.`);
    L.push('');
  }
  if (report.logChain !== undefined) {
    L.push(`Commands log hash chain head (SHA-256 of entry #${report.logChain.entries.at(-1)?.seq ?? 0}): \`${report.logChain.head}\` — check the run folder with \`predeploy verify <run-folder>\`.`);
    L.push('');
  }
  L.push(`_Written by ${m.tool.name} ${m.tool.version}. Nothing on the target was changed; secrets are redacted._`);
  return L.join('\n') + '\n';
}

function countsLine(report: Report): string {
  const c = report.counts;
  return `${c.pass} pass, ${c.warn} warn, ${c.fail} fail, ${c.unknown} unknown, ${c.manual} manual, ${c.waived} waived, ${c['n/a']} n/a`;
}
