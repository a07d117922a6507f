/**
 * The built binary as a user runs it: real process, real environment, real signals, real tools
 * on this machine. Needs `npm run build` first (npm test does it).
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '../../dist/cli/main.js');
const EXAMPLE = join(import.meta.dirname, '../../examples/order-processing');

function built(): void {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run "npm run build" first`);
}

const tmp = () => mkdtempSync(join(tmpdir(), 'predeploy-bin-'));

describe('predeploy binary', () => {
  it('assesses this machine with the real tools: security.firewall fails on "Status: inactive"', () => {
    built();
    const out = tmp();
    const r = spawnSync(process.execPath, [BIN, 'assess', '--offline', '--root', EXAMPLE, '--out', out], {
      encoding: 'utf8',
      env: { ...process.env, OP_RUN_ID: 'host1' },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trimEnd().split('\n').length).toBeLessThanOrEqual(120);
    const dir = join(out, 'host1');
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as {
      results: { id: string; status: string; evidence: { text: string; refs?: number[] }[] }[];
    };
    const fw = report.results.find((x) => x.id === 'security.firewall');
    expect(fw?.status).toBe('fail');
    expect(fw?.evidence.map((e) => e.text)).toContain('Status: inactive');
    // the evidence cites the log entry of the real command
    const log = readFileSync(join(dir, '13_PRODUCTION_DEPLOY_COMMANDS.log'), 'utf8');
    const ref = fw?.evidence[0]?.refs?.[0];
    expect(ref).toBeDefined();
    expect(log).toMatch(new RegExp(`^#${ref} .*ufw status verbose → 0`, 'm'));
    expect(log).toContain('Status: inactive');
    // no live check is unknown because of a bug in our own code
    for (const x of report.results) {
      expect(JSON.stringify(x)).not.toMatch(/probe error|check error|no probe registered/);
    }
  });

  it('exits 2 with one line and no stack trace for OP_RUN_ID=../x', () => {
    built();
    const out = tmp();
    const r = spawnSync(process.execPath, [BIN, 'assess', '--offline', '--root', EXAMPLE, '--out', out], {
      encoding: 'utf8',
      env: { ...process.env, OP_RUN_ID: '../x' },
    });
    expect(r.status).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
    expect(r.stdout).toBe('');
  });

  it('on a real SIGINT writes the files marked incomplete, exits 3 and leaves no command running', async () => {
    built();
    // A `ufw` first on PATH that never answers: the run is mid-probe when the signal lands.
    const bin = tmp();
    const marker = join(bin, 'started');
    writeFileSync(join(bin, 'ufw'), `#!/bin/sh\necho $$ > ${marker}\nexec sleep 60\n`);
    chmodSync(join(bin, 'ufw'), 0o755);
    const out = tmp();
    const child = spawn(process.execPath, [BIN, 'assess', '--offline', '--root', EXAMPLE, '--out', out, '--timeout', '60s'], {
      env: { ...process.env, OP_RUN_ID: 'sigint', PATH: `${bin}:${process.env.PATH ?? ''}` },
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    for (let i = 0; i < 100 && !existsSync(marker); i++) await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(marker), 'fake ufw never started').toBe(true);
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code).toBe(3);
    const dir = join(out, 'sigint');
    expect(readFileSync(join(dir, '13_PRODUCTION_DEPLOY_REPORT.md'), 'utf8')).toContain('INCOMPLETE');
    expect(readFileSync(join(dir, 'PRODUCTION_READINESS_CHECKLIST.md'), 'utf8')).toContain('INCOMPLETE');
    expect(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')).meta.incomplete).toBe(true);
    expect(stdout).toContain('INCOMPLETE');
    const pid = Number(readFileSync(marker, 'utf8'));
    await new Promise((r) => setTimeout(r, 300));
    expect(() => process.kill(pid, 0), 'the hanging command was left running').toThrow();
  });

  it('does not touch an existing run folder', () => {
    built();
    const out = tmp();
    mkdirSync(join(out, 'taken'));
    writeFileSync(join(out, 'taken', 'keep.txt'), 'keep');
    const r = spawnSync(process.execPath, [BIN, 'assess', '--offline', '--root', EXAMPLE, '--out', out, '--run-id', 'taken'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(readFileSync(join(out, 'taken', 'keep.txt'), 'utf8')).toBe('keep');
  });
});
