/** Read fixtures of the monitoring, crontab and runbooks folders (each has its own SOURCES.md). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** The text of `test/fixtures/<relative>`, e.g. `fixtureText('monitoring/rsyslog/forward-legacy.conf')`. */
export function fixtureText(relative: string): string {
  return readFileSync(`${ROOT}${relative}`, 'utf8');
}

/** The absolute path of `test/fixtures/<relative>`. */
export function fixturePath(relative: string): string {
  return `${ROOT}${relative}`;
}
