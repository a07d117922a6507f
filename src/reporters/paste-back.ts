/**
 * The Paste-Back Report printed at the end of `assess`: at most 120 lines whatever the
 * results, so it can be pasted into a ticket or chat as is.
 */
import { fmtDelta } from './diff.js';
import type { Report } from './model.js';
import { fmtHours, fmtScore, oneLine, REPORT_FILE } from './text.js';

export const PASTE_BACK_MAX_LINES = 120;
const MAX_BLOCKERS = 15;
const MAX_ACTIONS = 12;

export function renderPasteBack(report: Report): string {
  const m = report.meta;
  const L: string[] = [];
  L.push('===== PREDEPLOY PASTE-BACK REPORT =====');
  L.push(`run id:   ${m.runId}`);
  L.push(`folder:   ${m.outDir}`);
  if (m.webFrom !== undefined) L.push(`target:   ${m.target} (live web checks ran from ${m.webFrom})`);
  L.push(`verdict:  ${report.verdict}${m.incomplete ? '  (INCOMPLETE: run interrupted)' : ''}`);
  L.push(`score:    ${fmtScore(report.score)} / 100  (${oneLine(report.verdictReasons.join('; '), 200)})`);
  const c = report.counts;
  L.push(`checks:   ${report.results.length} — ${c.pass} pass, ${c.warn} warn, ${c.fail} fail, ${c.unknown} unknown, ${c.manual} manual, ${c.waived} waived, ${c['n/a']} n/a`);
  const prev = report.history.previous;
  if (prev) {
    const ids = (xs: { id: string }[]) => (xs.length > 0 ? ` (${oneLine(xs.map((x) => x.id).join(', '), 60)})` : '');
    L.push(`since:    ${prev.from.runId}: score ${fmtDelta(prev.scoreDelta)}; ${prev.newlyFailing.length} newly failing${ids(prev.newlyFailing)}, ${prev.newlyPassing.length} newly passing${ids(prev.newlyPassing)}`);
  }
  const w = report.waivers;
  if (w.applied.length > 0 || w.expired.length > 0) {
    L.push(`waivers:  ${w.applied.length} applied (accepted risks)${w.expired.length > 0 ? `; ${w.expired.length} EXPIRED, no longer applied: ${oneLine(w.expired.map((x) => x.check).join(', '), 70)}` : ''}`);
  }
  L.push('');
  L.push(`critical blockers (${report.blockers.length}):`);
  if (report.blockers.length === 0) L.push('  none failing');
  for (const b of report.blockers.slice(0, MAX_BLOCKERS)) L.push(`  - ${b.id}: ${oneLine(b.summary, 100)}`);
  if (report.blockers.length > MAX_BLOCKERS) L.push(`  … ${report.blockers.length - MAX_BLOCKERS} more in ${REPORT_FILE}`);
  L.push('');
  L.push(`top actions (total effort ${fmtHours(report.totalEffortHours)} for all ${report.actions.length}):`);
  for (const a of report.actions.slice(0, MAX_ACTIONS)) {
    L.push(`  ${String(a.rank).padStart(2)}. [${a.effort.size} ${fmtHours(a.effort.hours)}] ${a.checkId} (${a.status}${a.blocker ? ', blocker' : ''}): ${oneLine(a.text, 110)}`);
  }
  if (report.actions.length > MAX_ACTIONS) L.push(`  … ${report.actions.length - MAX_ACTIONS} more in ${REPORT_FILE}`);
  L.push('');
  L.push('sections:');
  for (const s of report.sections) {
    const k = s.counts;
    L.push(`  ${s.number}. ${s.title.padEnd(24)} ${fmtScore(s.score).padStart(5)}  pass ${k.pass} warn ${k.warn} fail ${k.fail} unknown ${k.unknown} manual ${k.manual}${k.waived > 0 ? ` waived ${k.waived}` : ''}`);
  }
  L.push('');
  L.push(`files: ${m.files.join(', ')}`);
  L.push('===== END PASTE-BACK REPORT =====');
  return L.slice(0, PASTE_BACK_MAX_LINES).join('\n') + '\n';
}
