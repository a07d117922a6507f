/**
 * `report.html`: one self-contained page — inline CSS, inline SVG, one inline script, the data
 * as JSON in a `<script type="application/json">` — with no external URL to load: it can be
 * mailed, attached to a pipeline run or opened from a file share, and it fetches nothing.
 *
 * A Content-Security-Policy (`default-src 'none'`, the script allowed by its hash) makes that
 * hold in the browser as well: nothing in the page can load anything, and text that slipped
 * through escaping could not run.
 *
 * What it shows: a score gauge and the verdict, per-section bars, the score trend across the
 * runs in the output folder, the change since the last run, blockers, actions, the checklist
 * with status filters, waivers, the key facts, gaps and what could not be verified. The page is
 * complete without the script (filters need it).
 */
import { createHash } from 'node:crypto';
import type { CheckResult, Status } from '../engine/types.js';
import { fmtDelta } from './diff.js';
import { causeNumbersOf, notVerifiedText, type Report, type TrendPoint } from './model.js';
import { fmtHours, fmtScore, JSON_FILE, LOG_FILE, REPORT_FILE, STATUS_LABEL } from './text.js';

/** Escape text for HTML content and quoted attribute values. */
export function htmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
const h = htmlEscape;

/**
 * JSON safe inside `<script type="application/json">`: `<`, `>` and `&` as \u escapes (so no
 * `</script>` or `<!--` can appear), and the two line separators JavaScript once disliked.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const sha256 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('base64');

/** Status display order (filters, tallies). */
const STATUS_ORDER: readonly Status[] = ['fail', 'warn', 'unknown', 'manual', 'waived', 'pass', 'n/a'];

const verdictClass = (v: string): string => (v === 'READY' ? 'ready' : v === 'READY WITH RISKS' ? 'risks' : 'not-ready');
const scoreClass = (s: number | null): string => (s === null ? 'none' : s >= 90 ? 'good' : s >= 75 ? 'fair' : 'poor');
const refsText = (refs: readonly number[] | undefined): string => (refs && refs.length > 0 ? `log ${refs.map((r) => `#${r}`).join(', ')}` : '');
const badge = (s: Status): string => `<span class="badge s-${s === 'n/a' ? 'na' : s}">${STATUS_LABEL[s]}</span>`;

const CSS = `
:root{--bg:#fff;--fg:#1d2330;--muted:#5d6676;--line:#dde1e8;--card:#f6f7f9;--pass:#1b7f3b;--warn:#a86200;--fail:#c62828;--unknown:#6b4fa3;--manual:#1f5fae;--waived:#00796b;--na:#7a828e;--accent:#1f5fae}
@media (prefers-color-scheme:dark){:root{--bg:#14171c;--fg:#e6e9ef;--muted:#a3abb8;--line:#2d333d;--card:#1c2027;--pass:#4cc36f;--warn:#e9a23b;--fail:#ff6b6b;--unknown:#b39ddb;--manual:#74a9ef;--waived:#4db6ac;--na:#9aa3ad;--accent:#74a9ef}}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Ubuntu,sans-serif;background:var(--bg);color:var(--fg)}
main{max-width:1100px;margin:0 auto;padding:24px 20px 48px}
h1{font-size:1.6rem;margin:0 0 4px}h2{font-size:1.2rem;margin:32px 0 12px;padding-bottom:4px;border-bottom:1px solid var(--line)}h3{font-size:1rem;margin:20px 0 8px}
.meta,.muted{color:var(--muted);font-size:.9rem}
code{font:.85em ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--card);padding:1px 4px;border-radius:4px;overflow-wrap:anywhere}
pre{background:var(--card);padding:8px 10px;border-radius:6px;overflow-x:auto;white-space:pre-wrap}
table{border-collapse:collapse;width:100%;font-size:.9rem;margin-bottom:16px}code.id{white-space:nowrap}th,td{text-align:left;vertical-align:top;padding:6px 8px;border-bottom:1px solid var(--line)}th{color:var(--muted);font-weight:600}
.summary{display:flex;flex-wrap:wrap;gap:24px;align-items:center;margin-top:16px}
.gauge svg{width:240px;height:150px}.gauge .track{stroke:var(--line)}.gauge .value{stroke:var(--accent)}
.gauge.good .value{stroke:var(--pass)}.gauge.fair .value{stroke:var(--warn)}.gauge.poor .value{stroke:var(--fail)}
.gauge .tick{stroke:var(--fg);opacity:.55}.gauge text{fill:var(--fg);font-weight:700}.gauge .sub{fill:var(--muted);font-weight:400}
.verdict{display:inline-block;font-weight:700;padding:4px 12px;border-radius:999px;color:#fff;background:var(--fail)}
.verdict.ready{background:var(--pass)}.verdict.risks{background:var(--warn)}
.tallies{display:flex;flex-wrap:wrap;gap:6px;margin:10px 0}
.badge{display:inline-block;min-width:4.6em;text-align:center;font-size:.72rem;font-weight:700;letter-spacing:.03em;padding:2px 6px;border-radius:4px;color:#fff;background:var(--na)}
.s-pass{background:var(--pass)}.s-warn{background:var(--warn)}.s-fail{background:var(--fail)}.s-unknown{background:var(--unknown)}.s-manual{background:var(--manual)}.s-waived{background:var(--waived)}.s-na{background:var(--na)}
.bars .row{display:grid;grid-template-columns:minmax(150px,230px) 1fr 56px;gap:10px;align-items:center;padding:4px 0}
.bars svg{width:100%;height:14px}.bars .track{fill:var(--line)}.bars .fill{fill:var(--accent)}
.bars .good .fill{fill:var(--pass)}.bars .fair .fill{fill:var(--warn)}.bars .poor .fill{fill:var(--fail)}
.bars .value{font-weight:700;text-align:right;font-variant-numeric:tabular-nums}.bars .counts{grid-column:2/4;font-size:.8rem;color:var(--muted);margin-top:-4px}
.trend svg{width:100%;max-width:760px;height:auto}.trend .axis{stroke:var(--line)}.trend .guide{stroke:var(--muted);stroke-dasharray:4 4;opacity:.6}
.trend .line{fill:none;stroke:var(--accent);stroke-width:2.5}.trend circle{fill:var(--bg);stroke:var(--accent);stroke-width:2}.trend circle.current{fill:var(--accent)}
.trend text{fill:var(--muted);font-size:11px}.trend circle.partial{stroke-dasharray:2 2;fill:var(--bg)}
.card{background:var(--card);border-left:4px solid var(--fail);border-radius:6px;padding:10px 14px;margin:10px 0}
.card h3{margin:0 0 6px}.card p{margin:4px 0}
.filters{display:flex;flex-wrap:wrap;gap:6px;margin:8px 0}
.filters button{font:inherit;font-size:.85rem;padding:4px 10px;border-radius:999px;border:1px solid var(--line);background:var(--bg);color:var(--fg);cursor:pointer}
.filters button[aria-pressed=true]{background:var(--fg);color:var(--bg);border-color:var(--fg)}
.filters .n{opacity:.7;margin-left:4px}
ul.checks{list-style:none;padding:0;margin:0}
li.check{border-bottom:1px solid var(--line);padding:8px 0}
li.check .head{display:flex;gap:8px;align-items:baseline;flex-wrap:wrap}
li.check .title{font-weight:600}li.check p{margin:4px 0 0}
details summary{cursor:pointer;color:var(--accent);font-size:.85rem;margin-top:4px}
details ul{margin:4px 0;padding-left:20px;font-size:.88rem}
footer{margin-top:40px;color:var(--muted);font-size:.85rem}
[hidden]{display:none!important}
@media print{.filters{display:none}details{display:block}details>*{display:block}}
`.trim();

const SCRIPT = `
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var items = Array.prototype.slice.call(document.querySelectorAll('li.check'));
  var groups = Array.prototype.slice.call(document.querySelectorAll('.check-group'));
  var buttons = Array.prototype.slice.call(document.querySelectorAll('.filters button'));
  var shown = document.getElementById('shown');
  var counts = { all: data.results.length };
  data.results.forEach(function (r) { counts[r.status] = (counts[r.status] || 0) + 1; });
  buttons.forEach(function (b) {
    var n = b.querySelector('.n');
    if (n) n.textContent = String(counts[b.getAttribute('data-filter')] || 0);
  });
  function apply(filter) {
    var visible = 0;
    items.forEach(function (li) {
      var match = filter === 'all' || li.getAttribute('data-status') === filter;
      li.hidden = !match;
      if (match) visible += 1;
    });
    groups.forEach(function (g) { g.hidden = !g.querySelector('li.check:not([hidden])'); });
    buttons.forEach(function (b) { b.setAttribute('aria-pressed', String(b.getAttribute('data-filter') === filter)); });
    shown.textContent = visible + ' of ' + items.length + ' checks shown';
  }
  buttons.forEach(function (b) { b.addEventListener('click', function () { apply(b.getAttribute('data-filter')); }); });
  apply('all');
})();
`.trim();

/** The score gauge: a half circle filled to the score, with ticks at the 75 and 90 thresholds. */
function gauge(score: number | null, verdict: string): string {
  const value = score ?? 0;
  const tick = (t: number): string => {
    const a = Math.PI * (1 - t / 100);
    const [x1, y1, x2, y2] = [100 + 70 * Math.cos(a), 100 - 70 * Math.sin(a), 100 + 92 * Math.cos(a), 100 - 92 * Math.sin(a)].map((n) => n.toFixed(1));
    return `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" class="tick" stroke-width="2"/>`;
  };
  return [
    `<figure class="gauge ${scoreClass(score)}" aria-label="readiness score ${fmtScore(score)} of 100">`,
    '<svg viewBox="0 0 200 125" role="img">',
    '<path d="M 20 100 A 80 80 0 0 1 180 100" class="track" fill="none" stroke-width="18" pathLength="100"/>',
    `<path d="M 20 100 A 80 80 0 0 1 180 100" class="value" fill="none" stroke-width="18" pathLength="100" stroke-dasharray="${value.toFixed(1)} 100"/>`,
    tick(75),
    tick(90),
    `<text id="gauge-score" x="100" y="92" text-anchor="middle" font-size="34">${fmtScore(score)}</text>`,
    '<text class="sub" x="100" y="116" text-anchor="middle" font-size="12">of 100 · ticks at 75 and 90</text>',
    '</svg>',
    `<figcaption><span id="verdict" class="verdict ${verdictClass(verdict)}">${h(verdict)}</span></figcaption>`,
    '</figure>',
  ].join('\n');
}

function sectionBars(report: Report): string {
  const rows = report.sections.map((s) => {
    const c = s.counts;
    const parts = STATUS_ORDER.filter((st) => c[st] > 0).map((st) => `${c[st]} ${STATUS_LABEL[st].toLowerCase()}`);
    const width = (s.score ?? 0).toFixed(1);
    return [
      `<div class="row ${scoreClass(s.score)}" data-section="${h(s.id)}">`,
      `<span class="label">${s.number}. ${h(s.title)}</span>`,
      `<svg viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true"><rect class="track" width="100" height="10" rx="2"/><rect class="fill" width="${width}" height="10" rx="2"/></svg>`,
      `<span class="value section-score">${fmtScore(s.score)}</span>`,
      `<span class="counts">${parts.length > 0 ? h(parts.join(' · ')) : 'no checks in this run'} · ${s.earned} of ${s.possible} points</span>`,
      '</div>',
    ].join('');
  });
  return `<div class="bars">\n${rows.join('\n')}\n</div>`;
}

/** The score trend across the complete runs in the output folder (this run last). */
function trendChart(trend: readonly TrendPoint[]): string {
  if (trend.length < 2) return '<p class="muted" id="trend-empty">The trend appears from the second complete run in this output folder.</p>';
  const W = 720;
  const H = 200;
  const pad = { l: 36, r: 16, t: 12, b: 28 };
  const x = (i: number) => pad.l + (i * (W - pad.l - pad.r)) / (trend.length - 1);
  const y = (s: number) => pad.t + ((100 - s) * (H - pad.t - pad.b)) / 100;
  const segments: string[] = [];
  let current: string[] = [];
  trend.forEach((p, i) => {
    if (p.score === null) {
      if (current.length > 1) segments.push(current.join(' '));
      current = [];
    } else current.push(`${x(i).toFixed(1)},${y(p.score).toFixed(1)}`);
  });
  if (current.length > 1) segments.push(current.join(' '));
  const out: string[] = [`<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="score trend over ${trend.length} runs">`];
  for (const g of [0, 50, 100]) out.push(`<line class="axis" x1="${pad.l}" x2="${W - pad.r}" y1="${y(g)}" y2="${y(g)}"/><text x="${pad.l - 6}" y="${y(g) + 4}" text-anchor="end">${g}</text>`);
  for (const g of [75, 90]) out.push(`<line class="guide" x1="${pad.l}" x2="${W - pad.r}" y1="${y(g)}" y2="${y(g)}"/><text x="${W - pad.r}" y="${y(g) - 3}" text-anchor="end">${g}</text>`);
  for (const s of segments) out.push(`<polyline class="line" points="${s}"/>`);
  trend.forEach((p, i) => {
    if (p.score === null) return;
    out.push(
      `<circle class="point${p.current ? ' current' : ''}${p.partial ? ' partial' : ''}" data-run="${h(p.runId)}" data-score="${fmtScore(p.score)}"${p.partial ? ' data-partial="true"' : ''} cx="${x(i).toFixed(1)}" cy="${y(p.score).toFixed(1)}" r="${p.current ? 5 : 4}"><title>${h(`${p.runId} · ${p.startedAt} · ${fmtScore(p.score)} · ${p.verdict}${p.partial ? ' · partial run (--only/--skip/--offline): not comparable' : ''}`)}</title></circle>`,
    );
  });
  const first = trend[0]!;
  const last = trend[trend.length - 1]!;
  out.push(`<text x="${pad.l}" y="${H - 8}">${h(first.startedAt.slice(0, 10))}</text>`);
  out.push(`<text x="${W - pad.r}" y="${H - 8}" text-anchor="end">${h(last.startedAt.slice(0, 10))} (this run)</text>`);
  out.push('</svg>');
  const rows = trend.map(
    (p) =>
      `<tr${p.current || p.partial ? ` class="${[p.current ? 'current' : '', p.partial ? 'partial' : ''].filter(Boolean).join(' ')}"` : ''}><td><code>${h(p.runId)}</code>${p.partial ? ' <em>(partial)</em>' : ''}</td><td>${h(p.startedAt)}</td><td>${fmtScore(p.score)}</td><td>${h(p.verdict)}</td></tr>`,
  );
  if (trend.some((p) => p.partial)) out.push('<p class="muted" id="trend-partial">Hollow dashed points are partial runs (--only/--skip/--offline): they assessed less, so their score is not comparable.</p>');
  out.push(`<details><summary>The ${trend.length} runs</summary><table><thead><tr><th>run</th><th>started</th><th>score</th><th>verdict</th></tr></thead><tbody>${rows.join('')}</tbody></table></details>`);
  return out.join('\n');
}

function changes(report: Report): string {
  const d = report.history.previous;
  if (!d) return '<p class="muted">No earlier complete run in this output folder to compare with.</p>';
  const list = (title: string, items: { id: string; from: Status; to: Status }[]) =>
    `<p><strong>${h(title)} (${items.length})</strong>${items.length === 0 ? ': none' : ''}</p>${items.length === 0 ? '' : `<ul>${items.map((c) => `<li><code class="id">${h(c.id)}</code> ${badge(c.from)} → ${badge(c.to)}</li>`).join('')}</ul>`}`;
  return [
    `<p id="since">Since <code>${h(d.from.runId)}</code> (${h(d.from.startedAt)}): score ${fmtScore(d.from.score)} → ${fmtScore(d.to.score)} (<strong>${fmtDelta(d.scoreDelta)}</strong>), verdict ${h(d.from.verdict)} → ${h(d.to.verdict)}; ${d.changed.length} changed, ${d.unchanged} unchanged.</p>`,
    list('Newly failing', d.newlyFailing),
    list('Newly passing', d.newlyPassing),
    `<p><strong>New blockers (${d.newBlockers.length})</strong>: ${d.newBlockers.length === 0 ? 'none' : d.newBlockers.map((c) => `<code class="id">${h(c.id)}</code>`).join(', ')}</p>`,
  ].join('\n');
}

function evidenceList(r: CheckResult): string {
  const items = r.evidence.map((e) => `<li>${h(e.text)}${e.refs && e.refs.length > 0 ? ` <span class="muted">(${refsText(e.refs)})</span>` : ''}</li>`);
  return items.length > 0 ? `<ul>${items.join('')}</ul>` : '<p class="muted">No command output behind this finding.</p>';
}

function fix(r: CheckResult): string {
  const rem = r.remediation;
  return [
    `<p><strong>Fix:</strong> ${h(rem.text)}</p>`,
    rem.command ? `<pre><code>${h(rem.command)}</code></pre>` : '',
    rem.url ? `<p class="muted">Reference: <a href="${h(rem.url)}" rel="noreferrer">${h(rem.url)}</a></p>` : '',
    `<p class="muted">Effort: ${r.effort.size} (${fmtHours(r.effort.hours)})</p>`,
  ].join('');
}

function checklist(report: Report): string {
  const present = STATUS_ORDER.filter((s) => report.counts[s] > 0);
  const out: string[] = [];
  out.push('<div class="filters" role="toolbar" aria-label="Filter checks by status">');
  out.push(`<button type="button" data-filter="all" aria-pressed="true">All<span class="n">${report.results.length}</span></button>`);
  for (const s of present) out.push(`<button type="button" data-filter="${s}" aria-pressed="false">${STATUS_LABEL[s]}<span class="n">${report.counts[s]}</span></button>`);
  out.push('</div>');
  out.push(`<p id="shown" class="muted">${report.results.length} of ${report.results.length} checks shown</p>`);
  for (const s of report.sections) {
    const rs = report.results.filter((r) => r.section === s.id);
    if (rs.length === 0) continue;
    out.push(`<div class="check-group" data-section="${h(s.id)}"><h3>${s.number}. ${h(s.title)} <span class="muted">(${fmtScore(s.score)})</span></h3><ul class="checks">`);
    for (const r of rs) {
      const withFix = r.status !== 'pass' && r.status !== 'n/a' && r.status !== 'waived';
      out.push(
        `<li class="check" id="check-${h(r.id)}" data-status="${r.status}" data-severity="${r.severity}"><div class="head">${badge(r.status)}<span class="title">${h(r.title)}</span><code class="id">${h(r.id)}</code><span class="muted">${r.severity}${r.blocker ? ' · blocker' : ''}</span></div>` +
          `<p>${h(r.summary)}</p><details><summary>Evidence${withFix ? ' and fix' : ''}</summary>${evidenceList(r)}${withFix ? fix(r) : ''}</details></li>`,
      );
    }
    out.push('</ul></div>');
  }
  return out.join('\n');
}

function table(head: string[], rows: string[][]): string {
  return `<table><thead><tr>${head.map((x) => `<th>${x}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

/** The data the page's script reads (filters); also handy for anyone scraping the page. */
function pageData(report: Report) {
  return {
    schemaVersion: report.schemaVersion,
    runId: report.meta.runId,
    verdict: report.verdict,
    score: report.score,
    sections: report.sections.map((s) => ({ id: s.id, score: s.score, earned: s.earned, possible: s.possible })),
    results: report.results.map((r) => ({ id: r.id, section: r.section, severity: r.severity, status: r.status, blocker: r.blocker })),
    trend: report.history.trend,
  };
}

/** `report.html`. */
export function renderHtml(report: Report): string {
  const m = report.meta;
  const c = report.counts;
  const csp = `default-src 'none'; script-src 'sha256-${sha256(SCRIPT)}'; style-src 'sha256-${sha256(CSS)}'; img-src data:; base-uri 'none'; form-action 'none'`;
  const B: string[] = [];
  B.push('<!doctype html>');
  B.push('<html lang="en">');
  B.push('<head>');
  B.push('<meta charset="utf-8">');
  B.push(`<meta http-equiv="Content-Security-Policy" content="${h(csp)}">`);
  B.push('<meta name="referrer" content="no-referrer">');
  B.push('<meta name="viewport" content="width=device-width, initial-scale=1">');
  B.push(`<title>${h(`${report.verdict} · ${fmtScore(report.score)} — production readiness of ${m.profile} (${m.runId})`)}</title>`);
  B.push(`<style>${CSS}</style>`);
  B.push('</head>');
  B.push('<body>');
  B.push('<main>');
  B.push(`<h1>Production readiness — ${h(m.profile)}</h1>`);
  B.push(
    `<p class="meta">Run <code>${h(m.runId)}</code> on <code>${h(m.target)}</code> · ${h(m.startedAt)} (${(m.durationMs / 1000).toFixed(1)} s) · root <code>${h(m.root)}</code>${m.partial ? ' · <strong>partial run</strong>' : ''}${m.offline ? ' · offline' : ''}${m.incomplete ? ' · <strong>INCOMPLETE (interrupted)</strong>' : ''}</p>`,
  );

  B.push('<section class="summary" id="summary">');
  B.push(gauge(report.score, report.verdict));
  B.push('<div>');
  B.push(`<div class="tallies">${STATUS_ORDER.filter((s) => c[s] > 0).map((s) => `<span>${badge(s)} <span class="tally" data-status="${s}">${c[s]}</span></span>`).join(' ')}</div>`);
  B.push(`<ul>${report.verdictReasons.map((r) => `<li>${h(r)}</li>`).join('')}</ul>`);
  B.push(`<p>${report.blockers.length} failing blocker(s) · ${report.actions.length} action(s): effort to fix ${fmtHours(report.effortToFix)}, to verify ${fmtHours(report.effortToVerify)}${report.waivers.applied.length > 0 ? ` · ${report.waivers.applied.length} waived` : ''}</p>`);
  B.push('</div>');
  B.push('</section>');

  B.push('<section id="sections"><h2>Score by section</h2>');
  B.push(sectionBars(report));
  B.push(
    `<p class="muted">Weights: critical 10, high 5, medium 3, low 1. Values: pass 1, warn or waived 0.5, fail, unknown and manual 0; n/a left out. Score = 100 × Σ(weight × value) / Σ weight = 100 × ${report.sections.reduce((t, s) => t + s.earned, 0)} / ${report.sections.reduce((t, s) => t + s.possible, 0)}.</p>`,
  );
  B.push('</section>');

  B.push('<section id="trend" class="trend"><h2>Score trend</h2>');
  B.push(trendChart(report.history.trend));
  B.push('</section>');

  B.push('<section id="changes"><h2>Since the last run</h2>');
  B.push(changes(report));
  B.push('</section>');

  B.push(`<section id="blockers"><h2>Critical blockers (${report.blockers.length})</h2>`);
  if (report.blockers.length === 0) B.push('<p>None failing. Unknown is not pass: see what could not be verified below.</p>');
  for (const b of report.blockers) {
    B.push(
      `<div class="card"><h3>${h(b.title)} <code class="id">${h(b.id)}</code></h3><p><strong>Finding:</strong> ${h(b.summary)}</p><p><strong>Why it blocks:</strong> ${b.severity === 'critical' ? 'critical severity' : 'marked as a go-live blocker'}; production must not go live while it fails.</p>${fix(b)}<details><summary>Evidence</summary>${evidenceList(b)}</details></div>`,
    );
  }
  B.push('</section>');

  B.push(`<section id="actions"><h2>Recommended actions</h2><p class="muted">Blockers first, then by severity, then the smallest effort first. Effort to fix (failing and warning items): <strong>${fmtHours(report.effortToFix)}</strong>; to verify (unknown and manual items): <strong>${fmtHours(report.effortToVerify)}</strong>.</p>`);
  B.push(
    table(
      ['#', 'check', 'severity', 'status', 'action', 'effort'],
      report.actions.map((a) => [String(a.rank), `<code class="id">${h(a.checkId)}</code>${a.blocker ? ' <strong>blocker</strong>' : ''}`, a.severity, badge(a.status), `${h(a.text)}${a.command ? `<br><code>${h(a.command)}</code>` : ''}`, `${a.effort.size} (${fmtHours(a.effort.hours)})`]),
    ),
  );
  B.push('</section>');

  B.push('<section id="checklist"><h2>Checklist</h2>');
  B.push(checklist(report));
  B.push('</section>');

  const w = report.waivers;
  B.push(`<section id="waivers"><h2>Waived risks (${w.applied.length})</h2>`);
  B.push('<p class="muted">Accepted risks: scored 0.5, not counted as passes, and no longer applied after their expiry.</p>');
  if (w.applied.length > 0) {
    B.push(table(['check', 'found', 'reason', 'approver', 'expires'], w.applied.map((x) => [`<code class="id">${h(x.check)}</code>`, badge(x.was), h(x.reason), h(x.approver), `${h(x.expires)} (${x.daysLeft} day(s) left)`])));
  } else B.push('<p>None.</p>');
  if (w.expired.length > 0) {
    B.push('<h3>Expired waivers (no longer applied)</h3>');
    B.push(table(['check', 'expired', 'status now', 'reason', 'approver'], w.expired.map((x) => [`<code class="id">${h(x.check)}</code>`, `${h(x.expires)} (${x.daysAgo} day(s) ago)`, x.status ? badge(x.status) : 'not in this run', h(x.reason), h(x.approver)])));
  }
  if (w.unused.length > 0) B.push(`<h3>Waivers that changed nothing</h3><ul>${w.unused.map((x) => `<li><code class="id">${h(x.check)}</code>: ${h(x.why)}</li>`).join('')}</ul>`);
  B.push('</section>');

  for (const [id, title] of [
    ['security', 'Security posture'],
    ['backup', 'Backup status'],
  ] as const) {
    const facts = report.keyFacts.filter((f) => f.section === id);
    const rs = report.results.filter((r) => r.section === id);
    B.push(`<section id="${id}-facts"><h2>${title}</h2>`);
    if (facts.length > 0) B.push(table(['probe', 'key facts', 'log'], facts.map((f) => [`<code class="id">${h(f.probe)}</code>`, `${f.ok ? '' : badge('unknown') + ' '}${h(f.value)}`, h(refsText(f.refs))])));
    else B.push('<p class="muted">No probe of this section ran in this run.</p>');
    B.push(table(['check', 'status', 'finding'], rs.map((r) => [`<code class="id">${h(r.id)}</code>`, badge(r.status), h(r.summary)])));
    B.push('</section>');
  }

  B.push('<section id="gaps"><h2>Dev vs prod</h2>');
  B.push(table(['item', 'dev', 'prod', 'gap', 'action'], report.gaps.map((g) => [h(g.item), h(g.dev), h(g.prod), h(g.gap), h(g.action)])));
  B.push('</section>');

  const unverified = report.results.filter((r) => r.status === 'unknown' || r.status === 'manual');
  B.push(`<section id="unverified"><h2>Not verified (${unverified.length})</h2>`);
  if (unverified.length === 0) B.push('<p>Everything was verified.</p>');
  else {
    // one row a root cause (its action and command once), then each check only points at it
    if (report.causes.length > 0) {
      B.push('<h3>By cause</h3>');
      B.push(
        table(
          ['#', 'cause', 'action', 'checks it unlocks'],
          report.causes.map((c) => [String(c.n), h(c.title), `${h(c.action)}${c.command !== undefined ? `<br><code>${h(c.command)}</code>` : ''}`, `${c.checks.length}: ${c.checks.map((id) => `<code class="id">${h(id)}</code>`).join(', ')}`]),
        ),
      );
    }
    const numbers = causeNumbersOf(report.causes);
    B.push(table(['check', 'status', 'why'], unverified.map((r) => [`<code class="id">${h(r.id)}</code>`, badge(r.status), h((r.status === 'unknown' ? notVerifiedText(numbers.get(r.id) ?? []) : undefined) ?? r.summary)])));
  }
  B.push('</section>');

  const notes = [...report.notes, ...report.history.notes];
  if (notes.length > 0) B.push(`<section id="notes"><h2>Notes</h2><ul>${notes.map((n) => `<li>${h(n)}</li>`).join('')}</ul></section>`);

  B.push(
    `<footer>Written by ${h(m.tool.name)} ${h(m.tool.version)}. Nothing on the target was changed; secrets are redacted. Evidence <code>log #N</code> is entry N of <code>${LOG_FILE}</code>; the full results are in <code>${JSON_FILE}</code> and <code>${REPORT_FILE}</code>.</footer>`,
  );
  B.push('</main>');
  B.push(`<script type="application/json" id="report-data">${scriptJson(pageData(report))}</script>`);
  B.push(`<script>${SCRIPT}</script>`);
  B.push('</body>');
  B.push('</html>');
  return B.join('\n') + '\n';
}
