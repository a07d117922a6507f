/**
 * fleet.html in a real browser: Debian's Chromium (/usr/bin/chromium) driven by playwright-core.
 * A real fleet run (`assess --inventory --format html`, in-process CLI; local hosts answered by a
 * CannedTarget, each with its own project root, attestations and scope, so the verdicts differ;
 * one ssh host on a loopback port nothing listens on, one host whose project root is missing),
 * then fleet.html is loaded from file:// and checked against fleet.json: the hosts × sections
 * matrix, worst first, the verdict and score per host, the hosts not assessed with their reason,
 * the run id and time, and a relative link to each host's own report.html that exists and opens.
 * No request leaves the page (every request is routed and counted), no console error. A
 * screenshot is kept in test-artifacts/fleet-html.png.
 *
 * A missing Chromium is a failure, not a skip (scripts/test.sh installs it).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { ARTIFACTS, openInChromium } from '../helpers/chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AFTER, fleetRun } from '../helpers/fleet-runs.js';

const GOLIVE_ALL = ['golive.dev-tests', 'golive.uat', 'golive.rollback', 'golive.support-contacts', 'golive.window'];

interface FleetJson {
  runId: string;
  startedAt: string;
  hosts: { name: string; folder: string; state: string; verdict?: string; score?: number | null; reason?: string; detail?: string; sections?: { id: string }[]; files?: string[] }[];
  worst: { host: string | null; verdict: string | null };
}

const fmt = (s: number | null | undefined) => (s === null || s === undefined ? '—' : s.toFixed(1));
const RANK: Record<string, number> = { 'NOT READY': 0, 'READY WITH RISKS': 1, READY: 2 };

let context: BrowserContext;
let page: Page;
let fleet: FleetJson;
let fleetDir: string;
let fileUrl: string;
const consoleErrors: string[] = [];
const requests: string[] = [];
/** every request the page made that was not a file:// URL (routed, counted and aborted) */
const escaped: string[] = [];

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'predeploy-fleet-html-'));
  const r = await fleetRun(
    dir,
    'fleet-html-1',
    [
      // READY: the go-live items it checks are all attested
      { name: 'web-01.prod.example.test', kind: 'local', only: 'golive.dev-tests,golive.uat,golive.support-contacts,golive.window', attest: GOLIVE_ALL },
      // READY WITH RISKS: the rollback plan is attested but still only a warning
      { name: 'web-02.prod.example.test', kind: 'local', only: 'golive', attest: GOLIVE_ALL },
      // NOT READY: everything, offline, firewall on but root login allowed
      { name: 'worker-01.prod.example.test', kind: 'local' },
      { name: 'db-01.prod.example.test', kind: 'unreachable' },
      { name: 'batch-01.prod.example.test', kind: 'root-missing' },
    ],
    { canned: AFTER, at: '2026-11-26T09:00:00Z', extra: ['--format', 'html'] },
  );
  expect(r.code, r.stderr).toBe(0);
  fleetDir = join(dir, 'runs', 'fleet-html-1');
  fleet = JSON.parse(readFileSync(join(fleetDir, 'fleet.json'), 'utf8')) as FleetJson;
  fileUrl = pathToFileURL(join(fleetDir, 'fleet.html')).href;

  ({ context, page } = await openInChromium(fileUrl, { width: 1400, height: 900 }, { requests, escaped, consoleErrors }));
}, 90_000);

afterAll(async () => {
  await context?.close();
});

describe('fleet.html in Chromium', () => {
  it('the fleet has what the page must show: three verdicts, an unreachable host, a host not assessed', () => {
    const verdicts = fleet.hosts.filter((h) => h.state === 'assessed').map((h) => h.verdict);
    expect(new Set(verdicts)).toEqual(new Set(['NOT READY', 'READY WITH RISKS', 'READY']));
    expect(fleet.hosts.find((h) => h.name === 'db-01.prod.example.test')).toMatchObject({ state: 'unreachable', reason: 'unreachable' });
    expect(fleet.hosts.find((h) => h.name === 'batch-01.prod.example.test')).toMatchObject({ state: 'error', reason: 'root-missing' });
  });

  it('renders without console errors, and no request leaves the page', async () => {
    expect(await page.locator('h1').count()).toBe(1);
    expect(consoleErrors).toEqual([]);
    expect(escaped).toEqual([]);
    expect(requests).toEqual([fileUrl]);
    const html = readFileSync(join(fleetDir, 'fleet.html'), 'utf8');
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    expect(html).not.toMatch(/<script\b|<link\b|@import|url\(|\b(src|srcset|poster|data|action)\s*=/i);
  });

  it('says which run and when: the run id, the start time, the worst host', async () => {
    expect(await page.title()).toBe(`predeploy fleet ${fleet.runId} — worst ${fleet.worst.verdict}`);
    expect(await page.locator('#run-id').textContent()).toBe('fleet-html-1');
    expect(await page.locator('#started').getAttribute('datetime')).toBe(fleet.startedAt);
    expect(fleet.startedAt).toBe('2026-11-26T09:00:00.000Z');
    expect(await page.locator('#worst').textContent()).toContain(`${fleet.worst.host} — ${fleet.worst.verdict}`);
  });

  it('shows the hosts × sections matrix, worst first, with each host’s verdict and score', async () => {
    const assessed = fleet.hosts.filter((h) => h.state === 'assessed');
    const rows = page.locator('#matrix tbody tr');
    expect(await rows.count()).toBe(assessed.length);
    // worst first, in the order of fleet.json
    const shown = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-host')));
    expect(shown).toEqual(assessed.map((h) => h.name));
    const ranks = assessed.map((h) => RANK[h.verdict!]!);
    expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
    expect(shown[0]).toBe('worker-01.prod.example.test');
    // one column per section (every host's report has all eight)
    const sectionIds = assessed[0]!.sections!.map((s) => s.id);
    expect(sectionIds).toHaveLength(8);
    const headers = await page.locator('#matrix thead th').allTextContents();
    for (const [i, id] of sectionIds.entries()) expect(headers).toContain(`${i + 1}. ${id}`);
    for (const h of assessed) {
      const row = page.locator(`#matrix tr[data-host="${h.name}"]`);
      expect(await row.locator('td.verdict').textContent(), h.name).toBe(h.verdict);
      expect(await row.locator('td.score').textContent(), h.name).toBe(fmt(h.score));
      expect(await row.locator('td[data-section]').count()).toBe(8);
    }
    expect(await page.locator('#matrix td.verdict.good').count()).toBe(1);
    expect(await page.locator('#matrix td.verdict.warn').count()).toBe(1);
    expect(await page.locator('#matrix td.verdict.bad').count()).toBe(1);
  });

  it('lists the hosts not assessed with their reason', async () => {
    const down = fleet.hosts.filter((h) => h.state !== 'assessed');
    expect(await page.locator('#down tbody tr').count()).toBe(down.length);
    const dead = page.locator('#down tr[data-host="db-01.prod.example.test"]');
    expect(await dead.locator('td.reason').textContent()).toBe('unreachable');
    expect(await dead.locator('td.detail').textContent()).toMatch(/^ssh: connect to host 127\.0\.0\.1 port \d+: Connection refused$/);
    expect(await page.locator('#down tr[data-host="batch-01.prod.example.test"] td.reason').textContent()).toBe('root-missing');
  });

  it('links each host to its own report.html, relative, and the file exists', async () => {
    for (const h of fleet.hosts.filter((x) => x.state === 'assessed')) {
      expect(h.files, h.name).toEqual(['report.html', '13_PRODUCTION_DEPLOY_REPORT.md', 'report.json']);
      const href = await page.locator(`#matrix tr[data-host="${h.name}"] td.host a`).getAttribute('href');
      expect(href, h.name).toBe(`${encodeURIComponent(h.folder)}/report.html`);
      const target = fileURLToPath(new URL(href!, fileUrl));
      expect(target).toBe(join(fleetDir, h.folder, 'report.html'));
      expect(existsSync(target), target).toBe(true);
      for (const a of await page.locator(`#matrix tr[data-host="${h.name}"] td.files a`).all()) {
        expect(existsSync(fileURLToPath(new URL((await a.getAttribute('href'))!, fileUrl)))).toBe(true);
      }
    }
  });

  it('keeps a screenshot as a test artifact', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const path = join(ARTIFACTS, 'fleet-html.png');
    await page.screenshot({ path, fullPage: true });
    expect(readFileSync(path).subarray(1, 4).toString('latin1')).toBe('PNG');
  });

  it('a host link opens that host’s own report', async () => {
    const worst = fleet.hosts[0]!.state === 'assessed' ? fleet.hosts[0]! : fleet.hosts.find((h) => h.state === 'assessed')!;
    await page.locator(`#matrix tr[data-host="${worst.name}"] td.host a`).click();
    await page.waitForLoadState('load');
    expect(page.url()).toBe(pathToFileURL(join(fleetDir, worst.folder, 'report.html')).href);
    expect(await page.locator('#verdict').textContent()).toBe(worst.verdict);
    expect(escaped).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
