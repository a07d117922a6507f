/**
 * A page opened in Debian's Chromium (playwright-core, no browser download) the way the browser
 * tests need it: a throw-away profile, headless, no background networking; every request the
 * page makes is recorded, anything but a file:// URL is aborted and recorded as escaped, and
 * console errors and page errors are collected.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = join(import.meta.dirname, '../../test-artifacts');

export interface PageLog {
  /** every URL the page requested */
  requests: string[];
  /** requests that were not file:// URLs (aborted) */
  escaped: string[];
  /** console errors and uncaught page errors */
  consoleErrors: string[];
}

export async function openInChromium(fileUrl: string, viewport: { width: number; height: number }, log: PageLog): Promise<{ context: BrowserContext; page: Page }> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (scripts/test.sh installs it as root)`);
  const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'predeploy-chromium-')), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    viewport,
  });
  context.on('request', (q) => log.requests.push(q.url()));
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    log.escaped.push(url);
    return route.abort();
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (m) => {
    if (m.type() === 'error') log.consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => log.consoleErrors.push(String(e)));
  await page.goto(fileUrl, { waitUntil: 'load' });
  return { context, page };
}
