/**
 * A fleet host's folder is the same complete run folder `assess` writes for one host (issue 12,
 * part 3): the same files for the same options, its hash chain and SHA256SUMS verify, every
 * commands-log entry names the target, and an interrupted fleet leaves each started host's
 * folder with its log and files marked INCOMPLETE (exit 3). Fleets run here without ssh: an
 * inventory host with `ansible_connection=local` is this machine, assessed as a fleet host.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FORMAT_NAMES } from '../../src/cli/args.js';
import { cli } from '../helpers/cli.js';
import { BIN, EXAMPLE, requireBuilt, tempDirs } from '../helpers/binary.js';

const LOG = '13_PRODUCTION_DEPLOY_COMMANDS.log';

const tmp = tempDirs('predeploy-fleetdir-');
const hung: ChildProcess[] = [];
// registered after tempDirs' hook, so it runs first: the processes go before their folders
afterEach(() => {
  for (const c of hung.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

/** An INI inventory of hosts on this machine (no ssh), each with the example as its root. */
function localInventory(dir: string, names: string[]): string {
  const inv = join(dir, 'hosts.ini');
  writeFileSync(inv, names.map((n) => `${n} ansible_connection=local predeploy_root=${EXAMPLE}`).join('\n') + '\n');
  return inv;
}

type ReportJson = { meta: { files: string[]; target: string; incomplete: boolean; stopped?: string } };
const reportOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as ReportJson;
const listing = (dir: string) => readdirSync(dir).sort();
/** The target field of every entry line (`#<seq> <time> <target> …`) of a commands log. */
const entryTargets = (dir: string) =>
  readFileSync(join(dir, LOG), 'utf8')
    .split('\n')
    .filter((l) => /^#\d+ /.test(l))
    .map((l) => l.split(' ')[2]);

describe('a fleet host folder is a complete run folder', () => {
  const keys = () => {
    const dir = tmp('predeploy-fleetdir-keys-');
    const key = join(dir, 'auditor');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'auditor', '-f', key]);
    const signers = join(dir, 'allowed');
    writeFileSync(signers, `auditor@example.test namespaces="predeploy" ${readFileSync(`${key}.pub`, 'utf8')}`);
    return { key, signers };
  };

  it.each([
    ['the default formats', () => ({ extra: [] as string[], verify: [] as string[] })],
    // every format --format takes, from the parser's own list
    ['every --format', () => ({ extra: ['--format', FORMAT_NAMES.join(',')], verify: [] as string[] })],
    [
      '--sign-with',
      () => {
        const k = keys();
        return { extra: ['--sign-with', k.key], verify: ['--allowed-signers', k.signers] };
      },
    ],
  ])('%s: the same files as a single run with the same options, and `predeploy verify` passes', async (_what, opts) => {
    const { extra, verify } = opts();
    const work = tmp();
    const common = ['--offline', '--only', 'security,secrets', '--quiet', '--run-id', 'same', ...extra];
    const single = await cli(['assess', '--root', EXAMPLE, '--out', join(work, 'single'), ...common]);
    const fleet = await cli(['assess', '--inventory', localInventory(work, ['web1', 'web2']), '--out', join(work, 'fleet'), ...common]);
    expect([single.code, fleet.code], single.stderr + fleet.stderr).toEqual([0, 0]);
    const singleDir = join(work, 'single', 'same');
    // what a run folder holds is what the single-host run writes and its report lists, not a list kept here
    expect(listing(singleDir)).toEqual([...reportOf(singleDir).meta.files].sort());
    for (const host of ['web1', 'web2']) {
      const dir = join(work, 'fleet', 'same', host);
      expect(listing(dir)).toEqual(listing(singleDir));
      expect(reportOf(dir).meta.files).toEqual(reportOf(singleDir).meta.files);
      const v = await cli(['verify', dir, ...verify]);
      expect([v.code, v.stdout], v.stderr).toEqual([0, expect.stringContaining('run folder verifies')]);
      if (verify.length > 0) expect(v.stdout).toContain('signature: good, by auditor@example.test');
      // every entry names the target the host was assessed through
      const targets = entryTargets(dir);
      expect(targets.length).toBeGreaterThan(0);
      expect(new Set(targets)).toEqual(new Set([reportOf(dir).meta.target]));
    }
  }, 120_000);

  it('a fleet run id that is taken is refused (exit 2), and nothing in its host folders is written over', async () => {
    const work = tmp();
    const inv = localInventory(work, ['web1']);
    const first = await cli(['assess', '--inventory', inv, '--out', join(work, 'runs'), '--offline', '--only', 'secrets', '--quiet', '--run-id', 'taken']);
    expect(first.code).toBe(0);
    const before = readFileSync(join(work, 'runs', 'taken', 'web1', 'report.json'), 'utf8');
    const again = await cli(['assess', '--inventory', inv, '--out', join(work, 'runs'), '--offline', '--only', 'secrets', '--quiet', '--run-id', 'taken']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/exists/);
    expect(readFileSync(join(work, 'runs', 'taken', 'web1', 'report.json'), 'utf8')).toBe(before);
  }, 60_000);
});

describe('an interrupted fleet (the built binary, a real SIGINT)', () => {
  it('every host that started keeps its log and its files, marked INCOMPLETE; one that had not started says so; exit 3', async () => {
    requireBuilt();
    const work = tmp();
    // a `ufw` first on PATH that records that it started, then never answers
    const bin = join(work, 'bin');
    mkdirSync(bin);
    const started = join(work, 'ufw-started');
    writeFileSync(join(bin, 'ufw'), `#!/bin/sh\necho $$ >> ${started}\nexec sleep 120\n`);
    chmodSync(join(bin, 'ufw'), 0o755);
    const out = join(work, 'runs');
    const child = spawn(process.execPath, [BIN, 'assess', '--inventory', localInventory(work, ['web1', 'web2', 'web3']), '--forks', '2', '--offline', '--out', out, '--run-id', 'cut', '--timeout', '120s'], {
      env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    hung.push(child);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const fleetDir = join(out, 'cut');
    // both running hosts are inside their slow ufw, and their logs are streaming
    const ready = () => existsSync(started) && readFileSync(started, 'utf8').trim().split('\n').length >= 2;
    while (!ready()) {
      if (child.exitCode !== null) throw new Error(`the fleet ended (exit ${child.exitCode}) before both hosts started: ${stderr}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    const runningHosts = ['web1', 'web2'];
    for (const h of runningHosts) {
      const log = readFileSync(join(fleetDir, h, LOG), 'utf8');
      // the streamed log, from the first moment: a run killed now would still leave it
      expect(log).toMatch(/^# started .* · INCOMPLETE: written entry by entry/m);
      expect(reportOf(join(fleetDir, h)).meta.incomplete).toBe(true);
    }
    child.kill('SIGINT');
    expect(await exited, stderr).toBe(3);
    expect(stderr).toMatch(/SIGINT — writing what the run has so far/);
    for (const h of runningHosts) {
      const dir = join(fleetDir, h);
      const report = reportOf(dir);
      expect(listing(dir)).toEqual([...report.meta.files].sort());
      expect(report.meta.incomplete).toBe(true);
      expect(report.meta.stopped).toBe('the run was interrupted (SIGINT)');
      expect(readFileSync(join(dir, '13_PRODUCTION_DEPLOY_REPORT.md'), 'utf8')).toContain('**INCOMPLETE**');
      expect(readFileSync(join(dir, 'PRODUCTION_READINESS_CHECKLIST.md'), 'utf8')).toContain('INCOMPLETE');
      const log = readFileSync(join(dir, LOG), 'utf8');
      expect(log).toMatch(/^# started .* · finished .* · INCOMPLETE \(interrupted\)$/m);
      expect(entryTargets(dir).length).toBeGreaterThan(0);
      const v = await cli(['verify', dir]);
      expect(v.code, v.stderr).toBe(0);
    }
    // the third host never started: its folder says why it holds no report
    expect(listing(join(fleetDir, 'web3'))).toEqual(['NOT_ASSESSED.txt']);
    expect(readFileSync(join(fleetDir, 'web3', 'NOT_ASSESSED.txt'), 'utf8')).toMatch(/interrupted/);
    expect(existsSync(join(fleetDir, 'fleet.json'))).toBe(true);
  }, 120_000);
});
