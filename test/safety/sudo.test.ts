/**
 * `sudo -n` never prompts (docs/ARCHITECTURE.md invariant 3): run the real runner as an unprivileged user
 * (`nobody`, no sudo rights, no cached credential) and ask for sudo. It must fail fast with
 * "a password is required" instead of hanging on a prompt.
 *
 * The runner runs in a child node process started as nobody. Node 20 cannot load TypeScript,
 * so the safety and target modules are transpiled (no type check) into a temp folder first;
 * their imports of engine types are type-only and vanish.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecResult, LogEntry } from '../../src/engine/types.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MODULES = ['safety/runner.ts', 'safety/command-policy.ts', 'safety/command-log.ts', 'safety/log-chain.ts', 'safety/redactor.ts', 'config/dotenv.ts', 'targets/local.ts'];

const CHILD = `
import { createRunner } from './safety/runner.js';
import { CommandLog } from './safety/command-log.js';
import { Redactor } from './safety/redactor.js';
import { LocalTarget } from './targets/local.js';
const redactor = new Redactor();
const log = new CommandLog(redactor);
const runner = createRunner({ target: new LocalTarget(), log, redactor, defaultTimeoutMs: 10000,
  maxOutputBytes: 65536, isRoot: false, refreshApt: false });
const plain = await runner.exec(['id', '-u']);
const sudo = await runner.exec(['id', '-u'], { sudo: true });
console.log(JSON.stringify({ uid: process.getuid(), plain, sudo, log: log.entries() }));
`;

function which(program: string): string | undefined {
  return (process.env.PATH ?? '')
    .split(delimiter)
    .map((d) => join(d, program))
    .find((p) => existsSync(p));
}

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'predeploy-sudo-'));
  chmodSync(dir, 0o755); // nobody must be able to read the modules
  for (const m of MODULES) {
    const out = ts.transpileModule(readFileSync(join(repo, 'src', m), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
    }).outputText;
    mkdirSync(join(dir, dirname(m)), { recursive: true, mode: 0o755 });
    writeFileSync(join(dir, m.replace(/\.ts$/, '.js')), out, { mode: 0o644 });
  }
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}', { mode: 0o644 });
  writeFileSync(join(dir, 'child.js'), CHILD, { mode: 0o644 });
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('sudo -n as an unprivileged user', () => {
  it('fails fast with "a password is required" instead of prompting', () => {
    expect(which('sudo'), 'sudo is not installed: install it (apt-get install sudo); this test needs the real sudo').toBeDefined();
    expect(which('setpriv'), 'setpriv (util-linux) is needed to drop to the nobody user').toBeDefined();
    expect(process.getuid?.(), 'this test drops privileges and must start as root').toBe(0);

    const t0 = performance.now();
    const stdout = execFileSync('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, 'child.js'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 20_000,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const ms = performance.now() - t0;
    const out = JSON.parse(stdout) as { uid: number; plain: ExecResult; sudo: ExecResult; log: LogEntry[] };
    console.log(`sudo -n as nobody: ${out.sudo.durationMs} ms (child total ${ms.toFixed(0)} ms): ${out.sudo.stderr.trim()}`);

    // the child really was unprivileged
    expect(out.uid).not.toBe(0);
    expect(out.plain.stdout.trim()).toBe(String(out.uid));

    expect(out.sudo.refused).toBeUndefined();
    expect(out.sudo.timedOut).toBe(false);
    expect(out.sudo.exitCode).not.toBe(0);
    expect(out.sudo.exitCode).not.toBeNull();
    expect(out.sudo.stderr).toMatch(/a password is required/);
    console.log(`sudo -n without a cached credential answered in ${out.sudo.durationMs} ms`);
    expect(out.log.map((e) => [e.action, e.result])).toEqual([
      ['id -u', '0'],
      ['sudo -n -- id -u', String(out.sudo.exitCode)],
    ]);
  });
});
