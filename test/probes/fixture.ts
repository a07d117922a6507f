/** Read a captured host output from test/fixtures/host (see its SOURCES.md). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../fixtures/host/', import.meta.url));

/** The text of `test/fixtures/host/<relative>`, e.g. `hostFixture('ufw/inactive.txt')`. */
export function hostFixture(relative: string): string {
  return readFileSync(`${ROOT}${relative}`, 'utf8');
}

/** The absolute path of `test/fixtures/host/<relative>`. */
export function hostFixturePath(relative: string): string {
  return `${ROOT}${relative}`;
}

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** The text of `test/fixtures/<relative>`, e.g. `testFixture('netfilter/nft/empty.json')` (see each folder's SOURCES.md). */
export function testFixture(relative: string): string {
  return readFileSync(`${FIXTURES}${relative}`, 'utf8');
}

/** The absolute path of `test/fixtures/<relative>`. */
export function testFixturePath(relative: string): string {
  return `${FIXTURES}${relative}`;
}
