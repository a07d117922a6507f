/**
 * report.html in a real browser: Debian's Chromium (/usr/bin/chromium) driven by playwright-core.
 * Two real runs of the tool (in-process CLI; canary secrets planted in .env, predeploy.yaml and
 * command outputs), then the second run's page is loaded from file:// and checked: it renders,
 * logs no console error (a CSP violation would be one), requests nothing but itself, shows the
 * numbers of report.json, filters the checklist, draws the trend, and holds no canary. A
 * screenshot is kept in test-artifacts/html-report.png.
 *
 * A missing Chromium is a failure, not a skip (scripts/test.sh installs it).
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { ARTIFACTS, openInChromium } from '../helpers/chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CannedTarget } from '../helpers/canned-target.js';
import { cli } from '../helpers/cli.js';

const HOST = join(import.meta.dirname, '../fixtures/host');

const CANARIES = {
  ZOHO_CLIENT_SECRET: 'canaryHtmlZohoSecret5c1e77d0',
  MICROSOFT_APP_PASSWORD: 'canary~HtmlBotPw.Z9y8x7w6',
  ZOHO_REFRESH_TOKEN: '1000.c4n4ryh7m1f00d.11aa22bb33cc44dd55ee66ff77889900',
};
const URL_PASS = 'CanaryHtmlUrlPass42';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjYW5hcnktaHRtbCJ9.aHRtbC1jYW5hcnktc2lnbmF0dXJlLTk4NzY1';
const ALL = [...Object.values(CANARIES), URL_PASS, JWT];

interface ReportJson {
  score: number | null;
  verdict: string;
  counts: Record<string, number>;
  sections: { id: string; score: number | null }[];
  results: { id: string; status: string }[];
}

const fmt = (s: number | null) => (s === null ? '—' : s.toFixed(1));

let context: BrowserContext;
let page: Page;
let report: ReportJson;
let runDir: string;
let fileUrl: string;
const consoleErrors: string[] = [];
const requests: string[] = [];
/** requests that were not file:// URLs (routed, recorded and aborted) */
const escaped: string[] = [];

beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), 'predeploy-html-'));
  writeFileSync(join(root, '.env'), Object.entries(CANARIES).map(([k, v]) => `${k}=${v}`).join('\n') + '\n', { mode: 0o600 });
  writeFileSync(join(root, 'predeploy.yaml'), `profile: order-processing\nzoho:\n  accountsUrl: "https://admin:${URL_PASS}@accounts.example.test"\n`);
  const leaky = (ufw: string) =>
    new CannedTarget({
      'ufw status verbose': { stdout: readFileSync(join(HOST, ufw), 'utf8'), stderr: `WARN: Authorization: Bearer ${JWT}\n` },
      'sshd -T': { stdout: readFileSync(join(HOST, 'sshd/root-login-yes.txt'), 'utf8'), stderr: `ZOHO_CLIENT_SECRET=${CANARIES.ZOHO_CLIENT_SECRET}\n` },
    });
  const env = { OP_ROOT: root };
  const first = await cli(['assess', '--offline', '--quiet', '--format', 'html'], { env: { ...env, OP_RUN_ID: 'html-1' }, target: leaky('ufw/inactive.txt'), now: () => new Date('2026-11-25T09:00:00Z') });
  const second = await cli(['assess', '--offline', '--quiet', '--format', 'html,junit,sarif'], { env: { ...env, OP_RUN_ID: 'html-2' }, target: leaky('ufw/active-deny-in.txt'), now: () => new Date('2026-11-26T09:00:00Z') });
  expect([first.code, second.code]).toEqual([0, 0]);
  runDir = join(root, '_codex_predeploy', 'html-2');
  report = JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8')) as ReportJson;
  fileUrl = pathToFileURL(join(runDir, 'report.html')).href;

  ({ context, page } = await openInChromium(fileUrl, { width: 1200, height: 900 }, { requests, escaped, consoleErrors }));
}, 60_000);

afterAll(async () => {
  await context?.close();
});

describe('report.html in Chromium', () => {
  it('renders without console errors and requests nothing but the file itself', async () => {
    expect(await page.locator('h1').count()).toBe(1);
    expect(await page.title()).toContain(report.verdict);
    expect(consoleErrors).toEqual([]);
    expect(escaped).toEqual([]);
    expect(requests).toEqual([fileUrl]);
    // no URL the page could load: every http(s) URL is in text or a link, never a src or href to fetch on load
    const html = readFileSync(join(runDir, 'report.html'), 'utf8');
    expect(html).not.toMatch(/\b(src|srcset|poster|data|action)\s*=\s*["']?https?:/i);
    expect(html).not.toMatch(/<link\b|@import|url\(/i);
  });

  it('shows the numbers of report.json: gauge, verdict, per-section scores, tallies', async () => {
    expect(await page.locator('#gauge-score').textContent()).toBe(fmt(report.score));
    expect(await page.locator('#verdict').textContent()).toBe(report.verdict);
    for (const s of report.sections) {
      expect(await page.locator(`.bars .row[data-section="${s.id}"] .section-score`).textContent(), s.id).toBe(fmt(s.score));
    }
    for (const [status, n] of Object.entries(report.counts)) {
      if (n > 0) expect(await page.locator(`.tally[data-status="${status}"]`).textContent(), status).toBe(String(n));
    }
    expect(await page.locator('li.check').count()).toBe(report.results.length);
  });

  it('a status filter hides the checks that do not match, and All shows them again', async () => {
    const target = report.results.some((r) => r.status === 'unknown') ? 'unknown' : report.results[0]!.status;
    const expected = report.results.filter((r) => r.status === target).length;
    await page.locator(`.filters button[data-filter="${target}"]`).click();
    expect(await page.locator(`.filters button[data-filter="${target}"]`).getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator('li.check:visible').count()).toBe(expected);
    expect(await page.locator(`li.check:visible:not([data-status="${target}"])`).count()).toBe(0);
    expect(await page.locator('#shown').textContent()).toBe(`${expected} of ${report.results.length} checks shown`);
    await page.locator('.filters button[data-filter="all"]').click();
    expect(await page.locator('li.check:visible').count()).toBe(report.results.length);
  });

  it('draws the score trend across the runs in the root, and the change since the last run', async () => {
    expect(await page.locator('.trend circle.point').count()).toBe(2);
    expect(await page.locator('.trend circle.current').getAttribute('data-score')).toBe(fmt(report.score));
    expect(await page.locator('#since').textContent()).toContain('html-1');
    expect(await page.locator('#changes').textContent()).toContain('security.firewall');
  });

  it('holds no canary secret', async () => {
    const content = await page.content();
    const leaked = ALL.filter((c) => content.includes(c));
    expect(leaked).toEqual([]);
    for (const f of ['report.html', 'report.junit.xml', 'report.sarif']) {
      const text = readFileSync(join(runDir, f), 'utf8');
      expect(ALL.filter((c) => text.includes(c)), f).toEqual([]);
    }
  });

  it('report.junit.xml is well-formed XML (Chromium DOMParser) with one testcase per check', async () => {
    const xml = readFileSync(join(runDir, 'report.junit.xml'), 'utf8');
    const parsed = await page.evaluate((text) => {
      // Runs in the page; this project's TypeScript has no DOM lib, so the parser is typed here.
      interface XmlDoc {
        documentElement: { getAttribute(name: string): string | null };
        getElementsByTagName(name: string): { length: number };
      }
      const { DOMParser } = globalThis as unknown as { DOMParser: new () => { parseFromString(s: string, type: string): XmlDoc } };
      const doc = new DOMParser().parseFromString(text, 'application/xml');
      return {
        errors: doc.getElementsByTagName('parsererror').length,
        tests: doc.documentElement.getAttribute('tests'),
        cases: doc.getElementsByTagName('testcase').length,
        failures: doc.getElementsByTagName('failure').length,
        errorsEl: doc.getElementsByTagName('error').length,
        skipped: doc.getElementsByTagName('skipped').length,
      };
    }, xml);
    const n = (s: string) => report.results.filter((r) => r.status === s).length;
    expect(parsed).toEqual({
      errors: 0,
      tests: String(report.results.length),
      cases: report.results.length,
      failures: n('fail') + n('warn') + n('manual'),
      errorsEl: n('unknown'),
      skipped: n('n/a') + n('waived'),
    });
  });

  it('keeps a screenshot as a test artifact', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const path = join(ARTIFACTS, 'html-report.png');
    await page.screenshot({ path, fullPage: true });
    expect(readFileSync(path).subarray(1, 4).toString('latin1')).toBe('PNG');
  });
});
