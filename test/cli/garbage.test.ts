/**
 * Garbage tool output (a wrapper that prints something else, a locale we did not expect, binary
 * noise) must become `unknown` with a reason — never a crash, a stack trace or a made-up verdict.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RawExecResult, TargetExecOptions } from '../../src/engine/types.js';
import { CannedTarget } from '../helpers/canned-target.js';
import { cli } from '../helpers/cli.js';

const NOISE = [
  '\u0000\u0001\u00ff garbage \u001b[31m',
  'Segmentation fault (core dumped)',
  '{"not": "what you expected"',
  'lorem ipsum dolor sit amet\n'.repeat(50),
  '-----\n|||\n::::\n0.0.0.0:99999999\n',
];

/** Every command answers with noise (exit 0), whatever it is; with `noise` empty, with nothing at all. */
class GarbageTarget extends CannedTarget {
  #n = 0;
  constructor(private readonly noise: readonly string[] = NOISE) {
    super({});
  }
  override async exec(argv: readonly string[], _o: TargetExecOptions): Promise<RawExecResult> {
    this.calls.push([...argv]);
    const stdout = this.noise[this.#n++ % Math.max(1, this.noise.length)] ?? '';
    return { exitCode: 0, signal: null, stdout, stderr: '', timedOut: false, truncated: false, durationMs: 1 };
  }
}

// the checks that read the tools' output
const FROM_TOOLS = ['security.firewall', 'security.ssh', 'security.open-ports', 'security.os-patches', 'security.fail2ban', 'security.nginx-headers', 'security.rate-limiting', 'security.nginx-tls', 'infra.disk-usage', 'monitoring.azure-monitor-vm', 'monitoring.log-shipping'];

describe('garbage tool output', () => {
  it('never crashes a run: every check still gets a status, and nothing is invented', async () => {
    const root = mkdtempSync(join(tmpdir(), 'predeploy-garbage-'));
    const r = await cli(['assess', '--offline', '--root', root, '--run-id', 'garbage', '-q'], { target: new GarbageTarget() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    const report = JSON.parse(readFileSync(join(root, '_codex_predeploy/garbage/report.json'), 'utf8')) as {
      results: { id: string; status: string; summary: string }[];
    };
    for (const x of report.results) {
      // a probe or check that threw is a bug, not a finding
      expect(x.summary, x.id).not.toMatch(/check error|probe error/);
    }
    // the checks that read the tools' output say they could not read it: no pass, and no fail either
    for (const id of FROM_TOOLS) {
      const x = report.results.find((y) => y.id === id);
      expect({ id, status: x?.status }).toEqual({ id, status: 'unknown' });
      expect(x?.summary, id).toMatch(/could not verify: probe \S+ failed: /);
    }
  });

  it('a tool that exits 0 and prints nothing is never "nothing there": no check passes or warns on it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'predeploy-empty-'));
    const target = new GarbageTarget([]);
    const r = await cli(['assess', '--offline', '--root', root, '--run-id', 'empty', '-q'], { target });
    expect(r.code, r.stderr).toBe(0);
    expect(target.calls.length).toBeGreaterThan(10);
    const report = JSON.parse(readFileSync(join(root, '_codex_predeploy/empty/report.json'), 'utf8')) as {
      results: { id: string; status: string; summary: string }[];
    };
    // an empty root: what fails is about the project (no runbooks, TBD decisions), never a host tool
    for (const x of report.results) expect({ id: x.id, status: x.status }).not.toMatchObject({ status: expect.stringMatching(/^(pass|warn)$/) });
    for (const id of FROM_TOOLS) {
      const x = report.results.find((y) => y.id === id);
      expect({ id, status: x?.status }).toEqual({ id, status: 'unknown' });
      expect(x?.summary, id).toMatch(/could not verify: probe \S+ failed: /);
    }
  });
});
