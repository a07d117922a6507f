/**
 * The fleet's outputs (a run over several hosts): `FLEET_SUMMARY.md` (hosts × sections, worst
 * first, unreachable hosts with the reason), `fleet.json`, `fleet.html` (self-contained, no
 * script) and the fleet paste-back (≤ 120 lines). Pure functions of the {@link Fleet} model,
 * which is built from each host's report — the checks judged once, here only gathered.
 */
import type { Verdict } from '../engine/scoring.js';
import { htmlEscape as h } from './html.js';
import type { Report } from './model.js';
import { escapeCell, fmtScore, HTML_FILE, JSON_FILE, oneLine, REPORT_FILE } from './text.js';

export const FLEET_SUMMARY_FILE = 'FLEET_SUMMARY.md';
export const FLEET_JSON_FILE = 'fleet.json';
export const FLEET_HTML_FILE = 'fleet.html';
export const FLEET_PASTE_BACK_MAX_LINES = 120;

/** One section of one host, as the fleet matrix shows it. */
export interface FleetCell {
  id: string;
  number: number;
  title: string;
  score: number | null;
  fail: number;
  unknown: number;
}

/** One host of the fleet: assessed (with its report's figures) or not (with the reason). */
export interface FleetHostRow {
  name: string;
  /** how it was reached: `ssh://user@host:port` or `local` */
  target: string;
  groups: string[];
  /** the host's run folder, relative to the fleet folder */
  folder: string;
  state: 'assessed' | 'unreachable' | 'error';
  /** why not assessed: `timeout`, `host-key-changed`, `auth`, `root-missing`, ... */
  reason?: string;
  detail?: string;
  durationMs: number;
  verdict?: Verdict;
  score?: number | null;
  sections?: FleetCell[];
  blockers?: string[];
  incomplete?: boolean;
  /** the host's report files in its folder: report.html when `--format html` wrote it, the markdown report, report.json */
  files?: string[];
  /** --fail-under / --fail-on results for this host */
  gateFailures?: string[];
}

export interface Fleet {
  schemaVersion: 1;
  kind: 'fleet';
  runId: string;
  outDir: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /** where predeploy ran (the live web checks ran from there) */
  ranFrom: string;
  inventory?: string;
  limit?: string;
  forks: number;
  /** the run was interrupted: some hosts did not finish or never started */
  incomplete?: boolean;
  /** worst first */
  hosts: FleetHostRow[];
  /** the worst assessed host's verdict and score, and counts */
  worst: { verdict: Verdict | null; score: number | null; host: string | null };
  counts: { hosts: number; assessed: number; unreachable: number; error: number; notReady: number; risks: number; ready: number };
}

const VERDICT_RANK: Record<Verdict, number> = { 'NOT READY': 0, 'READY WITH RISKS': 1, READY: 2 };

/** A host row from its report. */
export function assessedRow(base: Omit<FleetHostRow, 'state' | 'verdict' | 'score' | 'sections' | 'blockers'>, report: Report): FleetHostRow {
  return {
    ...base,
    state: 'assessed',
    verdict: report.verdict,
    score: report.score,
    sections: report.sections.map((s) => ({ id: s.id, number: s.number, title: s.title, score: s.score, fail: s.counts.fail, unknown: s.counts.unknown })),
    blockers: report.blockers.map((b) => b.id),
    incomplete: report.meta.incomplete,
    files: [HTML_FILE, REPORT_FILE, JSON_FILE].filter((f) => report.meta.files.includes(f)),
  };
}

/** What ranking a host needs: a row here, or a host read back from a fleet.json (fleet-diff.ts). */
type Ranked = Pick<FleetHostRow, 'name' | 'state'> & { verdict?: string | undefined; score?: number | null | undefined };

/** Unreachable and failed hosts first, then NOT READY, READY WITH RISKS, READY; lower score first; then name. */
export function worstFirst(a: Ranked, b: Ranked): number {
  const rank = (r: Ranked) => (r.state !== 'assessed' ? -1 : (VERDICT_RANK[(r.verdict ?? 'NOT READY') as Verdict] ?? -1));
  return rank(a) - rank(b) || (a.score ?? -1) - (b.score ?? -1) || a.name.localeCompare(b.name);
}

export function buildFleet(f: Omit<Fleet, 'schemaVersion' | 'kind' | 'hosts' | 'worst' | 'counts'>, rows: readonly FleetHostRow[]): Fleet {
  const hosts = [...rows].sort(worstFirst);
  const assessed = hosts.filter((r) => r.state === 'assessed');
  const worst = assessed[0];
  return {
    schemaVersion: 1,
    kind: 'fleet',
    ...f,
    hosts,
    worst: { verdict: worst?.verdict ?? null, score: worst?.score ?? null, host: worst?.name ?? null },
    counts: {
      hosts: hosts.length,
      assessed: assessed.length,
      unreachable: hosts.filter((r) => r.state === 'unreachable').length,
      error: hosts.filter((r) => r.state === 'error').length,
      notReady: assessed.filter((r) => r.verdict === 'NOT READY').length,
      risks: assessed.filter((r) => r.verdict === 'READY WITH RISKS').length,
      ready: assessed.filter((r) => r.verdict === 'READY').length,
    },
  };
}

const SHORT: Record<Verdict, string> = { 'NOT READY': 'NOT READY', 'READY WITH RISKS': 'RISKS', READY: 'READY' };

/** A matrix cell: the section score, and how many checks fail or could not be verified. */
function cell(c: FleetCell | undefined): string {
  if (!c) return '—';
  const marks = [c.fail > 0 ? `✗${c.fail}` : '', c.unknown > 0 ? `?${c.unknown}` : ''].filter((x) => x !== '').join(' ');
  return `${fmtScore(c.score)}${marks !== '' ? ` ${marks}` : ''}`;
}

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function renderFleetSummary(f: Fleet): string {
  const L: string[] = [];
  const c = f.counts;
  L.push(`# Fleet production-readiness summary — run \`${f.runId}\``);
  L.push('');
  if (f.incomplete === true) L.push('**This run was interrupted**: some hosts did not finish or were never started; their results are incomplete.', '');
  L.push(`${c.hosts} host(s): ${c.assessed} assessed (${c.notReady} NOT READY, ${c.risks} READY WITH RISKS, ${c.ready} READY), ${c.unreachable} unreachable, ${c.error} not assessed for another reason.`);
  L.push(`Worst host: ${f.worst.host === null ? 'none assessed' : `\`${f.worst.host}\` — ${f.worst.verdict} (${fmtScore(f.worst.score)})`}. Started ${f.startedAt}, ${secs(f.durationMs)}, ${f.forks} host(s) at once.`);
  L.push(`Live web checks ran from ${f.ranFrom} (where predeploy ran), not from the hosts.${f.inventory !== undefined ? ` Inventory: \`${f.inventory}\`${f.limit !== undefined ? `, --limit \`${f.limit}\`` : ''}.` : ''}`);
  L.push('');
  const assessed = f.hosts.filter((r) => r.state === 'assessed');
  const sections = assessed[0]?.sections ?? [];
  L.push('## Hosts × sections (worst first)');
  L.push('');
  L.push('Each cell is the section score; `✗n` n checks fail, `?n` n could not be verified. Details in each host folder.');
  L.push('');
  L.push(`| host | verdict | score | ${sections.map((s) => `${s.number}. ${s.id}`).join(' | ')} | blockers | folder |`);
  L.push(`|---|---|---|${sections.map(() => '---').join('|')}|---|---|`);
  for (const r of assessed) {
    const by = new Map((r.sections ?? []).map((s) => [s.id, s]));
    L.push(
      `| \`${escapeCell(r.name)}\` | ${r.verdict ?? '—'}${r.incomplete === true ? ' (incomplete)' : ''} | ${fmtScore(r.score ?? null)} | ${sections.map((s) => cell(by.get(s.id))).join(' | ')} | ${(r.blockers ?? []).length} | [${escapeCell(r.folder)}/](${encodeURI(r.folder)}/${REPORT_FILE}) |`,
    );
  }
  if (assessed.length === 0) L.push(`| — | no host was assessed | | ${sections.map(() => '').join(' | ')} | | |`);
  const down = f.hosts.filter((r) => r.state !== 'assessed');
  L.push('');
  L.push(`## Not assessed (${down.length})`);
  L.push('');
  if (down.length === 0) L.push('Every host was reached.');
  else {
    L.push('| host | target | reason | detail | time |');
    L.push('|---|---|---|---|---|');
    for (const r of down) L.push(`| \`${escapeCell(r.name)}\` | \`${escapeCell(r.target)}\` | ${r.reason ?? r.state} | ${escapeCell(oneLine(r.detail ?? '', 200))} | ${secs(r.durationMs)} |`);
  }
  const blockers = new Map<string, string[]>();
  for (const r of assessed) for (const b of r.blockers ?? []) blockers.set(b, [...(blockers.get(b) ?? []), r.name]);
  L.push('');
  L.push('## Blockers across the fleet');
  L.push('');
  if (blockers.size === 0) L.push('No go-live blocker fails on an assessed host.');
  for (const [id, hosts] of [...blockers.entries()].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]))) {
    L.push(`- \`${id}\` on ${hosts.length} host(s): ${hosts.slice(0, 20).map((x) => `\`${x}\``).join(', ')}${hosts.length > 20 ? ', …' : ''}`);
  }
  L.push('');
  L.push(`_Written by predeploy. Nothing on the hosts was changed; secrets are redacted. Each host folder holds its full report, checklist, report.json and commands log._`);
  return L.join('\n') + '\n';
}

/** The fleet paste-back: at most 120 lines whatever the fleet's size. */
export function renderFleetPasteBack(f: Fleet): string {
  const L: string[] = [];
  const c = f.counts;
  L.push('===== PREDEPLOY FLEET PASTE-BACK REPORT =====');
  L.push(`run id:   ${f.runId}`);
  L.push(`folder:   ${f.outDir}`);
  L.push(`hosts:    ${c.hosts} — ${c.assessed} assessed (${c.notReady} NOT READY, ${c.risks} READY WITH RISKS, ${c.ready} READY), ${c.unreachable} unreachable, ${c.error} other`);
  L.push(`worst:    ${f.worst.host === null ? 'no host assessed' : `${f.worst.host}: ${f.worst.verdict}, score ${fmtScore(f.worst.score)}`}`);
  L.push(`web from: ${f.ranFrom}`);
  L.push(`time:     ${secs(f.durationMs)} (${f.forks} at once)`);
  L.push('');
  const down = f.hosts.filter((r) => r.state !== 'assessed');
  const assessed = f.hosts.filter((r) => r.state === 'assessed');
  const budget = FLEET_PASTE_BACK_MAX_LINES - L.length - 8;
  const downShown = down.slice(0, Math.min(down.length, Math.max(5, Math.floor(budget / 3))));
  L.push(`not assessed (${down.length}):`);
  if (down.length === 0) L.push('  none');
  for (const r of downShown) L.push(`  - ${r.name}: ${r.reason ?? r.state}: ${oneLine(r.detail ?? '', 90)}`);
  if (down.length > downShown.length) L.push(`  … ${down.length - downShown.length} more in FLEET_SUMMARY.md`);
  L.push('');
  L.push('hosts, worst first (verdict, score, failing sections, blockers):');
  const room = FLEET_PASTE_BACK_MAX_LINES - L.length - 3;
  const shown = assessed.slice(0, Math.max(0, room));
  for (const r of shown) {
    const failing = (r.sections ?? []).filter((s) => s.fail > 0).map((s) => s.id);
    L.push(`  ${SHORT[r.verdict ?? 'NOT READY'].padEnd(9)} ${fmtScore(r.score ?? null).padStart(5)}  ${oneLine(r.name, 40)}${failing.length > 0 ? `  fail: ${failing.join(',')}` : ''}${(r.blockers ?? []).length > 0 ? `  blockers ${(r.blockers ?? []).length}` : ''}`);
  }
  if (assessed.length > shown.length) L.push(`  … ${assessed.length - shown.length} more in FLEET_SUMMARY.md`);
  L.push('');
  L.push('files: FLEET_SUMMARY.md, fleet.json, fleet.html, and a run folder per host');
  L.push('===== END FLEET PASTE-BACK REPORT =====');
  return L.slice(0, FLEET_PASTE_BACK_MAX_LINES).join('\n') + '\n';
}

const VERDICT_CLASS: Record<Verdict, string> = { 'NOT READY': 'bad', 'READY WITH RISKS': 'warn', READY: 'good' };

/** A relative link into a host's folder (folder names are plain, but encode them anyway). */
const hostHref = (folder: string, file: string) => `${encodeURIComponent(folder)}/${encodeURIComponent(file)}`;

/** The host's main report: report.html when it was written, else the markdown report. */
const mainReport = (r: FleetHostRow): string => (r.files ?? [REPORT_FILE]).find((f) => f === HTML_FILE) ?? REPORT_FILE;

/** `fleet.html`: one self-contained page, no script, nothing fetched (CSP `default-src 'none'`). */
export function renderFleetHtml(f: Fleet): string {
  const assessed = f.hosts.filter((r) => r.state === 'assessed');
  const down = f.hosts.filter((r) => r.state !== 'assessed');
  const sections = assessed[0]?.sections ?? [];
  const css = [
    'body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1b1f24}',
    'table{border-collapse:collapse;margin:12px 0}',
    'th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}',
    'th{background:#f6f8fa}',
    '.good{background:#dafbe1}.warn{background:#fff8c5}.bad{background:#ffebe9}.down{background:#eaeef2}',
    'td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}',
    'td.host a,td.verdict{white-space:nowrap}.none{color:#57606a}',
    'a{color:#0969da}',
    '.files a{margin-right:6px}',
    '#incomplete{border:1px solid #cf222e;background:#ffebe9;padding:8px}',
  ].join('');
  // a section with no score (nothing assessed there: --only, n/a) is neither good nor bad
  const cellClass = (c: FleetCell | undefined) => (!c ? '' : c.fail > 0 ? 'bad' : c.unknown > 0 ? 'warn' : c.score === null ? 'none' : c.score < 90 ? 'warn' : 'good');
  const rows = assessed.map((r) => {
    const by = new Map((r.sections ?? []).map((s) => [s.id, s]));
    const files = (r.files ?? [REPORT_FILE]).map((file) => `<a href="${h(hostHref(r.folder, file))}">${h(file === REPORT_FILE ? 'report.md' : file)}</a>`).join('');
    return `<tr data-host="${h(r.name)}"><td class="host"><a href="${h(hostHref(r.folder, mainReport(r)))}">${h(r.name)}</a><br><code>${h(r.target)}</code></td><td class="verdict ${VERDICT_CLASS[r.verdict ?? 'NOT READY']}">${h(r.verdict ?? '—')}${r.incomplete === true ? ' (incomplete)' : ''}</td><td class="num score">${h(fmtScore(r.score ?? null))}</td>${sections
      .map((s) => {
        const c = by.get(s.id);
        return `<td class="num ${cellClass(c)}" data-section="${h(s.id)}">${h(cell(c))}</td>`;
      })
      .join('')}<td class="num">${(r.blockers ?? []).length}</td><td class="files">${files}</td></tr>`;
  });
  const downRows = down.map(
    (r) =>
      `<tr class="down" data-host="${h(r.name)}"><td>${h(r.name)}</td><td><code>${h(r.target)}</code></td><td class="reason">${h(r.reason ?? r.state)}</td><td class="detail">${h(r.detail ?? '')}</td><td class="num">${h(secs(r.durationMs))}</td></tr>`,
  );
  const c = f.counts;
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<title>predeploy fleet ${h(f.runId)} — worst ${h(f.worst.verdict ?? 'none assessed')}</title>`,
    `<style>${css}</style></head><body>`,
    `<h1>Fleet readiness — run <code id="run-id">${h(f.runId)}</code></h1>`,
    f.incomplete === true ? '<p id="incomplete">This run was interrupted: some hosts did not finish or were never started; their results are incomplete.</p>' : '',
    `<p id="counts">${c.hosts} hosts: ${c.assessed} assessed (${c.notReady} NOT READY, ${c.risks} READY WITH RISKS, ${c.ready} READY), ${c.unreachable} unreachable, ${c.error} other. Worst: ${f.worst.host === null ? 'none assessed' : `<span id="worst">${h(f.worst.host)} — ${h(f.worst.verdict ?? '')} (${h(fmtScore(f.worst.score))})</span>`}.</p>`,
    `<p>Started <time id="started" datetime="${h(f.startedAt)}">${h(f.startedAt)}</time>, took ${h(secs(f.durationMs))}, ${f.forks} host(s) at once. Live web checks ran from ${h(f.ranFrom)}, not from the hosts.${f.inventory !== undefined ? ` Inventory <code>${h(f.inventory)}</code>${f.limit !== undefined ? `, --limit <code>${h(f.limit)}</code>` : ''}.` : ''}</p>`,
    '<h2>Hosts × sections, worst first</h2>',
    `<table id="matrix"><thead><tr><th>host</th><th>verdict</th><th>score</th>${sections.map((s) => `<th title="${h(s.title)}">${s.number}. ${h(s.id)}</th>`).join('')}<th>blockers</th><th>files</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
    `<h2>Not assessed (${down.length})</h2>`,
    down.length === 0 ? '<p>Every host was reached.</p>' : `<table id="down"><thead><tr><th>host</th><th>target</th><th>reason</th><th>detail</th><th>time</th></tr></thead><tbody>${downRows.join('')}</tbody></table>`,
    '<footer><p>Written by predeploy. Nothing on the hosts was changed; secrets are redacted. ✗n: n checks fail; ?n: n could not be verified. Each host name opens its own report.</p></footer>',
    '</body></html>',
    '',
  ]
    .filter((line) => line !== '')
    .concat('')
    .join('\n');
}
