/** `predeploy checks` and `predeploy explain <id>`: the catalog as text or JSON. */
import type { FactId } from '../facts/index.js';
import type { Check, Probe } from '../engine/types.js';
import { SECTIONS } from '../engine/types.js';
import { nearest } from '../config/suggest.js';
import { WHY } from './rationale.js';

type ProbeMap = { readonly [K in FactId]?: Probe<K> };

export interface CatalogRow {
  id: string;
  section: string;
  severity: string;
  blocker: boolean;
  title: string;
  /** what goes wrong in production when it fails */
  why: string;
  runs: string;
  probes: string[];
}

export function catalogRows(checks: readonly Check[]): CatalogRow[] {
  return checks.map((c) => ({
    id: c.meta.id,
    section: c.meta.section,
    severity: c.meta.severity,
    blocker: c.meta.blocker === true || c.meta.severity === 'critical',
    title: c.meta.title,
    why: WHY[c.meta.id] ?? '',
    runs: c.meta.runs,
    probes: [...c.requires, ...(c.uses ?? [])],
  }));
}

export function renderCatalog(checks: readonly Check[], _probes: ProbeMap, json: boolean): string {
  const rows = catalogRows(checks);
  if (json) return JSON.stringify(rows, null, 2) + '\n';
  const w = Math.max(...rows.map((r) => r.id.length));
  const lines: string[] = [];
  for (const s of SECTIONS) {
    const inSection = rows.filter((x) => x.section === s.id);
    if (lines.length > 0) lines.push('');
    lines.push(`${s.number}. ${s.title} — section id: ${s.id} (${inSection.length} checks)`);
    for (const r of inSection) {
      lines.push(`  ${r.id.padEnd(w)}  ${r.severity.padEnd(8)}  ${r.blocker ? 'BLOCKER' : '       '}  ${r.runs}`);
    }
  }
  const blockers = rows.filter((r) => r.blocker).length;
  lines.push(
    '',
    `${rows.length} checks, ${blockers} go-live blockers (BLOCKER: a failure blocks go-live — critical checks and those marked so).`,
    'Section ids and check ids work with assess --only/--skip; predeploy explain <id> for what, why and how to fix.',
  );
  return lines.join('\n') + '\n';
}

/** Wrap a paragraph at `width` columns, continuing lines under `indent` spaces. */
function wrap(text: string, indent: number, width = 100): string {
  const words = text.split(/\s+/).filter((x) => x.length > 0);
  const lines: string[] = [];
  let cur = '';
  for (const word of words) {
    if (cur.length > 0 && indent + cur.length + 1 + word.length > width) {
      lines.push(cur);
      cur = word;
    } else cur = cur.length > 0 ? `${cur} ${word}` : word;
  }
  if (cur.length > 0) lines.push(cur);
  return lines.join(`\n${' '.repeat(indent)}`);
}

export function renderExplain(check: Check, probes: ProbeMap): string {
  const m = check.meta;
  const section = SECTIONS.find((s) => s.id === m.section);
  const blocker = m.blocker === true || m.severity === 'critical';
  const L = [
    `${m.id} — ${m.title}`,
    '',
    `section:     ${section ? `${section.number}. ${section.title} (${section.id})` : m.section}`,
    `severity:    ${m.severity}${blocker ? ' — a go-live blocker: a failure blocks go-live' : ''}`,
    `looks at:    ${wrap(m.runs, 13)}`,
  ];
  const why = WHY[m.id];
  if (why !== undefined) L.push(`why:         ${wrap(why, 13)}`);
  const ids = [...check.requires, ...(check.uses ?? [])];
  for (const id of ids) L.push(`probe:       ${id} — ${probes[id]?.describe ?? 'not built yet'}${check.requires.includes(id) ? '' : ' (optional)'}`);
  L.push(`effort:      ${m.effort.size} (${m.effort.hours[0]}–${m.effort.hours[1]} h)`);
  L.push('', `fix:         ${wrap(m.remediation.text, 13)}`);
  if (m.remediation.command) L.push(`command:     ${m.remediation.command}`);
  if (m.remediation.url) L.push(`reference:   ${m.remediation.url}`);
  return L.join('\n') + '\n';
}

/**
 * Check ids for a word that is not one (`explain firewall`): every check of a section named so,
 * else the ids and titles containing the word, else the nearest id by spelling. Empty: nothing close.
 */
export function suggestCheckIds(word: string, checks: readonly Check[]): string[] {
  const q = word.trim().toLowerCase();
  if (q.length === 0) return [];
  const section = SECTIONS.find((s) => s.id === q || s.title.toLowerCase() === q);
  if (section) return checks.filter((c) => c.meta.section === section.id).map((c) => c.meta.id);
  // the id's own part is the word (`firewall` → security.firewall), then ids containing it, then titles
  const rank = (c: Check): number => (c.meta.id.endsWith(`.${q}`) ? 0 : c.meta.id.includes(q) ? 1 : c.meta.title.toLowerCase().includes(q) ? 2 : 3);
  const containing = checks
    .filter((c) => rank(c) < 3)
    .sort((a, b) => rank(a) - rank(b))
    .map((c) => c.meta.id);
  if (containing.length > 0) return containing;
  const ids = checks.map((c) => c.meta.id);
  const byId = nearest(q, ids);
  if (byId !== undefined) return [byId];
  const byName = nearest(q, ids.map((id) => id.split('.')[1] ?? id));
  return byName !== undefined ? ids.filter((id) => id.endsWith(`.${byName}`)) : [];
}

export const CATALOG_START = '<!-- catalog:start (generated by npm run catalog; do not edit) -->';
export const CATALOG_END = '<!-- catalog:end -->';

/** The README's check catalog table. A test keeps the README in step with the registry. */
export function renderCatalogMarkdown(checks: readonly Check[]): string {
  const rows = catalogRows(checks);
  const L = ['| # | check | severity | what it looks at |', '|---|---|---|---|'];
  for (const s of SECTIONS) {
    for (const r of rows.filter((x) => x.section === s.id)) {
      L.push(`| ${s.number} | \`${r.id}\` | ${r.severity}${r.blocker ? ' (blocker)' : ''} | ${r.runs.replace(/\|/g, '\\|')} |`);
    }
  }
  L.push('', `${rows.length} checks, ${rows.filter((r) => r.blocker).length} of them go-live blockers.`);
  return L.join('\n');
}
