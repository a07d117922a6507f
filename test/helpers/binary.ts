/**
 * For tests that run the built binary (`dist/cli/main.js`) as a real process: where it and the
 * example root are, the four files every run folder holds, a check that the build exists, and
 * temp folders removed after each test.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

export const BIN = join(import.meta.dirname, '../../dist/cli/main.js');
export const EXAMPLE = join(import.meta.dirname, '../../examples/order-processing');
/** the files every run folder holds (SHA256SUMS comes with them once the run is sealed) */
export const RUN_FILES = ['13_PRODUCTION_DEPLOY_COMMANDS.log', '13_PRODUCTION_DEPLOY_REPORT.md', 'PRODUCTION_READINESS_CHECKLIST.md', 'report.json'];

/** Fails the test with the fix when the binary was not built. */
export function requireBuilt(): void {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run "npm run build" first`);
}

/** Call at a test file's top level: returns `tmp(prefix)`; every folder it made is removed after each test. */
export function tempDirs(defaultPrefix = 'predeploy-'): (prefix?: string) => string {
  const temps: string[] = [];
  afterEach(() => {
    for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  return (prefix = defaultPrefix) => {
    const d = mkdtempSync(join(tmpdir(), prefix));
    temps.push(d);
    return d;
  };
}
