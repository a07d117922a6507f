/**
 * The Paste-Back Report printed at the end of `assess`: at most 120 lines whatever the
 * results, so it can be pasted into a ticket or chat as is. No text is cut mid-sentence: where
 * a field is too long, a shorter field is chosen (the check's title instead of its finding), and
 * lists keep whole items and say how many more there are.
 */
import { SEVERITY_WEIGHT } from '../engine/types.js';
import { fmtDelta } from './diff.js';
import { partialText } from './markdown.js';
import type { Action, CauseGroup, Report } from './model.js';
import { fmtHours, fmtScore, REPORT_FILE } from './text.js';

export const PASTE_BACK_MAX_LINES = 120;
const MAX_BLOCKERS = 15;
const MAX_ACTIONS = 12;
/** the longest free text a line carries before a shorter field is chosen */
const MAX_TEXT = 160;

const flat = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** Whole items joined while they fit in `max` characters, then `and N more` (never half an item). */
export function fitList(items: readonly string[], max: number, sep = ', '): string {
  const out: string[] = [];
  let len = 0;
  for (const [i, item] of items.entries()) {
    const more = items.length - i - 1;
    const tail = more > 0 ? `${sep}and ${more} more`.length : 0;
    const add = (out.length > 0 ? sep.length : 0) + item.length;
    if (out.length > 0 && len + add + tail > max) return `${out.join(sep)}${sep}and ${items.length - out.length} more`;
    out.push(item);
    len += add;
  }
  return out.join(sep);
}

/** A reason such as `critical check(s) failing: a, b, c, …` kept whole, its list shortened to whole items. */
function fitReason(reason: string, max: number): string {
  const t = flat(reason);
  const colon = t.indexOf(': ');
  if (t.length <= max || colon < 0) return t;
  return `${t.slice(0, colon + 2)}${fitList(t.slice(colon + 2).split(', '), Math.max(20, max - colon - 2))}`;
}

/** The first of the texts that fits in `max` characters, else the last one (the shortest field). */
const firstFitting = (max: number, ...texts: string[]): string => texts.map(flat).find((t) => t.length <= max) ?? flat(texts[texts.length - 1] ?? '');

/** One top action: a fix (an action of a failing, warning or manual check) or a cause's action. */
export type TopAction = { kind: 'fix'; weight: number; action: Action } | { kind: 'cause'; weight: number; cause: CauseGroup };

/**
 * Fixes and cause-actions in one ranking: failing blockers first, then by severity × checks
 * unlocked (a fix unlocks its own check; a cause the checks it keeps unverified), fixes before
 * causes among equals, then the smaller effort. Unknown checks get no line of their own: their
 * cause does.
 */
export function topActions(report: Report): TopAction[] {
  const items: TopAction[] = [
    ...report.actions.filter((a) => a.status !== 'unknown').map((a): TopAction => ({ kind: 'fix', weight: SEVERITY_WEIGHT[a.severity], action: a })),
    ...report.causes.map((c): TopAction => ({ kind: 'cause', weight: c.severityWeight, cause: c })),
  ];
  const blocking = (t: TopAction) => (t.kind === 'fix' && t.action.blocker ? 1 : 0);
  return items.sort(
    (a, b) =>
      blocking(b) - blocking(a) ||
      b.weight - a.weight ||
      (a.kind === 'fix' ? 0 : 1) - (b.kind === 'fix' ? 0 : 1) ||
      (a.kind === 'fix' && b.kind === 'fix' ? a.action.rank - b.action.rank : 0) ||
      (a.kind === 'cause' && b.kind === 'cause' ? a.cause.n - b.cause.n : 0),
  );
}

function topActionLine(t: TopAction, i: number): string {
  const n = `  ${String(i + 1).padStart(2)}.`;
  if (t.kind === 'cause') {
    const c = t.cause;
    // the command, else the action, else its first clause (whole), else a pointer to the report
    const what = c.command ?? firstFitting(MAX_TEXT, c.action, c.action.split(/; |, then /)[0] ?? '', `see cause ${c.n} in ${REPORT_FILE}`);
    return `${n} [cause ${c.n}, unlocks ${c.checks.length} check(s)] ${c.title}: ${what}`;
  }
  const a = t.action;
  // the check's title states the good state to reach when its remediation is too long for a line
  const text = a.status === 'manual' ? firstFitting(MAX_TEXT, a.text, `Attest: ${a.title}`) : firstFitting(MAX_TEXT, a.text, `make it true: ${a.title}`);
  return `${n} [fix ${a.effort.size} ${fmtHours(a.effort.hours)}] ${a.checkId} (${a.status}${a.blocker ? ', blocker' : ''}): ${text}`;
}

export function renderPasteBack(report: Report): string {
  const m = report.meta;
  const L: string[] = [];
  L.push('===== PREDEPLOY PASTE-BACK REPORT =====');
  L.push(`run id:   ${m.runId}`);
  L.push(`folder:   ${m.outDir}`);
  if (m.webFrom !== undefined) L.push(`target:   ${m.target} (live web checks ran from ${m.webFrom})`);
  const partial = partialText(report);
  const flags = [...(partial !== undefined ? [partial] : []), ...(m.incomplete ? ['INCOMPLETE: run interrupted'] : [])];
  L.push(`verdict:  ${report.verdict}${flags.length > 0 ? `  (${flags.join('; ')})` : ''}`);
  L.push(`score:    ${fmtScore(report.score)} / 100  (${fitList(report.verdictReasons.map((r) => fitReason(r, 160)), 200, '; ')})`);
  const c = report.counts;
  L.push(`checks:   ${report.results.length} — ${c.pass} pass, ${c.warn} warn, ${c.fail} fail, ${c.unknown} unknown, ${c.manual} manual, ${c.waived} waived, ${c['n/a']} n/a`);
  const toFix = report.actions.filter((a) => a.status === 'fail' || a.status === 'warn').length;
  const toVerify = report.actions.filter((a) => a.status === 'unknown' || a.status === 'manual').length;
  L.push(`effort:   to fix ${fmtHours(report.effortToFix)} (${toFix} failing/warning item(s)); to verify ${fmtHours(report.effortToVerify)} (${toVerify} unknown/manual item(s))`);
  const prev = report.history.previous;
  if (prev) {
    const ids = (xs: { id: string }[]) => (xs.length > 0 ? ` (${fitList(xs.map((x) => x.id), 60)})` : '');
    L.push(`since:    ${prev.from.runId}: score ${fmtDelta(prev.scoreDelta)}; ${prev.newlyFailing.length} newly failing${ids(prev.newlyFailing)}, ${prev.newlyPassing.length} newly passing${ids(prev.newlyPassing)}`);
  }
  const w = report.waivers;
  if (w.applied.length > 0 || w.expired.length > 0) {
    L.push(`waivers:  ${w.applied.length} applied (accepted risks)${w.expired.length > 0 ? `; ${w.expired.length} EXPIRED, no longer applied: ${fitList(w.expired.map((x) => x.check), 70)}` : ''}`);
  }
  L.push('');
  L.push(`critical blockers (${report.blockers.length}):`);
  if (report.blockers.length === 0) L.push('  none failing');
  for (const b of report.blockers.slice(0, MAX_BLOCKERS)) L.push(`  - ${b.id}: ${firstFitting(MAX_TEXT, b.summary, `not met: ${b.title}`)}`);
  if (report.blockers.length > MAX_BLOCKERS) L.push(`  … ${report.blockers.length - MAX_BLOCKERS} more in ${REPORT_FILE}`);
  L.push('');
  const top = topActions(report);
  L.push(`top actions (fixes and causes of what could not be verified, by severity × checks unlocked; ${top.length} in all):`);
  if (top.length === 0) L.push('  none');
  top.slice(0, MAX_ACTIONS).forEach((t, i) => L.push(topActionLine(t, i)));
  if (top.length > MAX_ACTIONS) L.push(`  … ${top.length - MAX_ACTIONS} more in ${REPORT_FILE}`);
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
