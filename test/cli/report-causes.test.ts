/**
 * Issue 10 acceptance on the example root: a first run with no credentials, offline, gives a
 * report a decider reads in two minutes — every cause once with its action, each check's own
 * entry only "see cause N", nothing repeated more than 3 times, each file ≤ 40 KB; partial runs
 * say so in the paste-back's verdict line, the report header and report.json.
 */
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CannedTarget } from '../helpers/canned-target.js';
import { cli } from '../helpers/cli.js';

const EXAMPLE = join(import.meta.dirname, '../../examples/order-processing');

function exampleRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'predeploy-example-'));
  // runs a user made in the example root (the README's first command writes one there) are not copied
  cpSync(EXAMPLE, root, { recursive: true, filter: (src) => !src.includes('_codex_predeploy') });
  return root;
}

const target = () => new CannedTarget({ 'ufw status verbose': { stdout: 'Status: inactive\n' } });

async function run(args: string[], runId: string, root = exampleRoot()) {
  const r = await cli(['assess', ...args, '--root', root], { env: { OP_RUN_ID: runId }, target: target() });
  const dir = join(root, '_codex_predeploy', runId);
  const read = (f: string) => readFileSync(join(dir, f), 'utf8');
  return { r, root, md: read('13_PRODUCTION_DEPLOY_REPORT.md'), checklist: read('PRODUCTION_READINESS_CHECKLIST.md'), json: JSON.parse(read('report.json')) as Record<string, unknown> & { meta: { partial: boolean; offline: boolean }; causes: { n: number; key: string; title: string; checks: string[] }[] } };
}

/** Paragraphs and list items (table rows and headings count as items too), trimmed. */
function items(text: string): string[] {
  return text
    .split(/\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^\|?[-| ]+\|?$/.test(l) && l !== '| | |');
}

function maxRepeat(text: string): { item: string; n: number } {
  const counts = new Map<string, number>();
  for (const i of items(text)) counts.set(i, (counts.get(i) ?? 0) + 1);
  let best = { item: '', n: 0 };
  for (const [item, n] of counts) if (n > best.n) best = { item, n };
  return best;
}

describe('the example root, offline, with no credentials', () => {
  it('lists each cause once with its action, and each file stays short', async () => {
    const { r, md, checklist, json } = await run(['--offline'], 'first');
    expect(r.code).toBe(0);
    expect(maxRepeat(md).n, maxRepeat(md).item).toBeLessThanOrEqual(3);
    expect(maxRepeat(checklist).n, maxRepeat(checklist).item).toBeLessThanOrEqual(3);
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(40 * 1024);
    expect(Buffer.byteLength(checklist)).toBeLessThanOrEqual(40 * 1024);
    // one section, every cause once, keys distinct
    expect(md.match(/^## What could not be verified — by cause$/gm)).toHaveLength(1);
    const keys = json.causes.map((c) => c.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(json.causes.length).toBeGreaterThan(0);
    for (const c of json.causes) {
      expect(md.match(new RegExp(`^### Cause ${c.n}: `, 'gm'))).toHaveLength(1);
      expect(md).toContain(`### Cause ${c.n}: ${c.title} — unlocks ${c.checks.length} check(s)`);
    }
    // every unknown check's own entry points at its cause
    const unknown = (json.results as { id: string; status: string }[]).filter((x) => x.status === 'unknown');
    for (const u of unknown) expect(md).toMatch(new RegExp(`\\| \`${u.id.replace('.', '\\.')}\` \\| UNKNOWN \\| [a-z]+ \\| not verified — see causes? \\d`));
    // the paste-back's lines are whole
    expect(r.stdout.trimEnd().split('\n').length).toBeLessThanOrEqual(120);
    expect(r.stdout).not.toMatch(/…(?! \d+ more)/);
    expect(r.stdout).toMatch(/^verdict: {2}.*\(partial run: offline/m);
    expect(json.meta).toMatchObject({ partial: true, offline: true });
    expect(md).toMatch(/^> \*\*PARTIAL RUN\*\* — offline/m);
  });
});

describe('the example root, online, with no credentials', () => {
  it('gives the credentials action once, with the checks it unlocks, and never the wrong advice', async () => {
    const { r, md, checklist, json } = await run(['--timeout', '5s'], 'online');
    expect(maxRepeat(md).n, maxRepeat(md).item).toBeLessThanOrEqual(3);
    expect(maxRepeat(checklist).n, maxRepeat(checklist).item).toBeLessThanOrEqual(3);
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(40 * 1024);
    expect(Buffer.byteLength(checklist)).toBeLessThanOrEqual(40 * 1024);
    const azure = json.causes.find((c) => c.key === 'no-credentials:azure');
    expect(azure).toBeDefined();
    expect(azure!.checks.length).toBeGreaterThan(1);
    expect(md.match(/^### Cause \d+: no Azure credentials — unlocks \d+ check\(s\)$/gm)).toEqual([`### Cause ${azure!.n}: no Azure credentials — unlocks ${azure!.checks.length} check(s)`]);
    expect(r.stdout.match(/no Azure credentials/g)).toHaveLength(1);
    expect(r.stdout).toContain(`[cause ${azure!.n}, unlocks ${azure!.checks.length} check(s)] no Azure credentials: az login`);
    // the advice fits the cause: no install advice for credentials, no az login for Zoho
    const section = (title: string) => {
      const at = md.indexOf(`: ${title} — unlocks`);
      return at < 0 ? '' : md.slice(at, md.indexOf('\n### ', at + 1) > 0 ? md.indexOf('\n### ', at + 1) : md.indexOf('\n## ', at));
    };
    expect(section('no Azure credentials')).not.toMatch(/apt-get|install/);
    const zoho = section('no Zoho production credentials');
    expect(zoho).toContain('ZOHO_PROD_CLIENT_SECRET=<value>');
    expect(zoho).not.toMatch(/az login|apt-get/);
    // no repeated per-check paragraph: the old "could not verify: …" summaries are gone from the tables
    expect(md).not.toMatch(/\| UNKNOWN \| [a-z]+ \| could not verify/);
    expect(r.stdout).not.toMatch(/…(?! \d+ more)/);
    expect(r.stdout).toMatch(/^verdict: {2}(NOT READY|READY WITH RISKS|READY)$/m);
    expect(json.meta.partial).toBe(false);
  }, 60_000);
});

describe('partial runs say so', () => {
  it('--only security: partial in the verdict line, the report header and report.json; not compared as full', async () => {
    const root = exampleRoot();
    await run(['--offline'], 'a-offline', root);
    const { r, md, json } = await run(['--only', 'security', '--offline'], 'b-only', root);
    expect(r.stdout).toMatch(/^verdict: {2}\S.*\(partial run: \d+ check\(s\) left out by --only\/--skip; offline/m);
    expect(json.meta).toMatchObject({ partial: true, offline: true });
    expect(md).toMatch(/^> \*\*PARTIAL RUN\*\*/m);
    expect(md).toContain('No earlier complete run of the same scope (the same --only/--skip/--offline) in this output folder: a partial run is not compared with full runs.');
    expect(r.stdout).not.toMatch(/^since:/m);
    // the trend marks the earlier partial run
    const history = json.history as { trend: { runId: string; partial: boolean }[]; previous: unknown };
    expect(history.previous).toBeNull();
    expect(history.trend.map((t) => [t.runId, t.partial])).toEqual([
      ['a-offline', true],
      ['b-only', true],
    ]);
    // `predeploy diff` with no runs named compares runs of the same scope only
    const d = await cli(['diff', '--root', root]);
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(/none of them earlier than b-only with its scope \(offline without .*\): a partial run/);
    // a second run of the same scope is compared with the first
    const again = await run(['--only', 'security', '--offline'], 'c-only', root);
    expect((again.json.history as { previous: { from: { runId: string } } | null }).previous?.from.runId).toBe('b-only');
    const d2 = await cli(['diff', '--root', root]);
    expect(d2.code, d2.stderr).toBe(0);
    expect(d2.stdout).toContain('b-only');
  });
});
