/**
 * `PRODUCTION_READINESS_CHECKLIST.md`: the eight sections as GitHub task lists. Only `pass`
 * is ticked; every item carries its status, one line of evidence and its log references.
 */
import { causeNumbersOf, notVerifiedText, type Report } from './model.js';
import { partialText, refsText } from './markdown.js';
import { escapeCell, fmtScore, REPORT_FILE, STATUS_LABEL } from './text.js';

export function renderChecklist(report: Report): string {
  const L: string[] = [];
  L.push(`# Production readiness checklist — ${report.meta.profile}`);
  L.push('');
  const partial = partialText(report);
  const causes = causeNumbersOf(report.causes);
  L.push(`Run \`${report.meta.runId}\` · verdict **${report.verdict}** · score **${fmtScore(report.score)}**${report.meta.incomplete ? ' · **INCOMPLETE (interrupted)**' : ''}${partial !== undefined ? ` · **${partial}**` : ''}`);
  L.push('');
  L.push('Ticked means verified as passing. WARN, FAIL, UNKNOWN (could not verify), MANUAL (needs a human attestation) and WAIVED (an accepted risk, with its expiry) are not ticked.');
  for (const s of report.sections) {
    const items = report.results.filter((r) => r.section === s.id);
    L.push('');
    L.push(`## ${s.number}. ${s.title} (${fmtScore(s.score)})`);
    L.push('');
    if (items.length === 0) L.push('_No checks selected in this run._');
    for (const r of items) {
      const first = r.evidence[0]?.text;
      const evidence = first ? `${escapeCell(first)}${r.evidence.length > 1 ? ` (+${r.evidence.length - 1})` : ''}` : escapeCell(r.summary);
      const see = r.status === 'unknown' ? notVerifiedText(causes.get(r.id) ?? []) : undefined;
      // an unknown's cause, action and command are written once, in the report: the item only points there
      L.push(`- [${r.status === 'pass' ? 'x' : ' '}] **${r.title}** — \`${r.id}\` · ${STATUS_LABEL[r.status]} · ${r.severity}${see !== undefined ? ` · ${see} in ${REPORT_FILE}` : ''}`);
      if (see !== undefined) continue;
      L.push(`  - ${escapeCell(r.summary)}`);
      if (first && first !== r.summary) L.push(`  - evidence: ${evidence} (${refsText(r.evidence)})`);
      else L.push(`  - evidence: ${refsText(r.evidence)}`);
    }
  }
  return L.join('\n') + '\n';
}
