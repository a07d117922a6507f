/**
 * After `npm run build`, the `predeploy` command itself works — installed the two ways that need
 * no network: `npm link` into a temporary prefix, and the `npm pack` tarball laid out as a global
 * install (`<prefix>/lib/node_modules/predeploy` + the `<prefix>/bin/predeploy` symlink) with its
 * dependencies taken from this checkout's node_modules. (`npm install -g --prefix DIR
 * predeploy-0.1.0.tgz` does the same but asks the registry for the dependencies' metadata, so it
 * is documented, not tested here.) Needs `npm run build` first (npm test does it).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = join(import.meta.dirname, '../..');
const BIN = join(REPO, 'dist/cli/main.js');
const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { name: string; version: string; bin: Record<string, string> };
const tmp = () => mkdtempSync(join(tmpdir(), 'predeploy-pkg-'));
// npm without the network: no audit, no fund, no update check, cache only
const NPM_ENV = { ...process.env, npm_config_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };

// npm starts slowly on a busy machine: these wait for it rather than fail on time
const SLOW = 240_000;

function built(): void {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run "npm run build" first`);
}

function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', cwd: opts.cwd ?? REPO, env: opts.env ?? NPM_ENV, timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The installed command answers like the built one. */
function expectWorking(bin: string): void {
  const version = run(bin, ['--version'], { env: process.env });
  expect(version.status, version.stderr).toBe(0);
  expect(version.stdout).toBe(`predeploy ${pkg.version}\n`);
  const checks = run(bin, ['checks'], { env: process.env });
  expect(checks.status, checks.stderr).toBe(0);
  expect(checks.stdout).toContain('security.firewall');
  const none = run(bin, [], { env: process.env });
  expect(none.status).toBe(2);
  expect(none.stderr).toContain('Usage:');
}

describe('the predeploy command after npm run build', () => {
  it('dist/cli/main.js starts with the node shebang and is executable', () => {
    built();
    expect(pkg.bin).toEqual({ predeploy: 'dist/cli/main.js' });
    expect(readFileSync(BIN, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    expect(statSync(BIN).mode & 0o111).toBe(0o111);
    expectWorking(BIN);
  });

  it('npm link into a temporary prefix: <prefix>/bin/predeploy works', () => {
    built();
    const prefix = join(tmp(), 'prefix');
    const r = run('npm', ['link'], { env: { ...NPM_ENV, npm_config_prefix: prefix } });
    expect(r.status, r.stderr).toBe(0);
    expectWorking(join(prefix, 'bin', 'predeploy'));
  }, SLOW);

  it('npm pack: the tarball holds what the command needs (and no sources or tests), and runs as a global install', () => {
    built();
    const dir = tmp();
    const packed = run('npm', ['pack', '--pack-destination', dir]);
    expect(packed.status, packed.stderr).toBe(0);
    const tgz = join(dir, `${pkg.name}-${pkg.version}.tgz`);
    expect(existsSync(tgz)).toBe(true);
    const list = run('tar', ['-tvzf', tgz], { env: process.env }).stdout.split('\n');
    const names = list.map((l) => l.split(/\s+/).at(-1) ?? '');
    for (const f of ['package/package.json', 'package/README.md', 'package/dist/cli/main.js', 'package/schema/predeploy.schema.json', 'package/schema/predeploy.attest.schema.json', 'package/docs/configuration.md', 'package/docs/ARCHITECTURE.md']) {
      expect(names, f).toContain(f);
    }
    expect(names.filter((n) => n.startsWith('package/src/') || n.startsWith('package/test/'))).toEqual([]);
    // the bin keeps its executable bit in the tarball
    expect(list.find((l) => l.endsWith(' package/dist/cli/main.js'))).toMatch(/^-rwx/);

    // lay it out as `npm install -g --prefix` does; dependencies from this checkout
    const prefix = join(dir, 'prefix');
    const lib = join(prefix, 'lib', 'node_modules');
    mkdirSync(join(lib, pkg.name), { recursive: true });
    mkdirSync(join(prefix, 'bin'), { recursive: true });
    const x = run('tar', ['-xzf', tgz, '-C', join(lib, pkg.name), '--strip-components=1'], { env: process.env });
    expect(x.status, x.stderr).toBe(0);
    symlinkSync(join(REPO, 'node_modules'), join(lib, pkg.name, 'node_modules'));
    symlinkSync(join('..', 'lib', 'node_modules', pkg.name, pkg.bin.predeploy!), join(prefix, 'bin', 'predeploy'));
    expectWorking(join(prefix, 'bin', 'predeploy'));
  }, SLOW);
});
