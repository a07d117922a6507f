/**
 * A fleet host's own input is checked as `assess` checks one host's: an unknown check id in its
 * predeploy.yaml or its predeploy.attest.yaml stops that host with a one-line, located reason
 * (the host is listed as not assessed), and never the other hosts.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BEFORE, fleetRun } from '../helpers/fleet-runs.js';

const dir = mkdtempSync(join(tmpdir(), 'pd-fleet-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Row {
  name: string;
  state: string;
  reason?: string;
  detail?: string;
}

describe('fleet hosts: their own configuration and attestations are validated', () => {
  it('an unknown check id in an attestation file or a notApplicable entry stops that host only, naming file:line', async () => {
    const runId = 'fleet-config-1';
    // the roots are made by the helper; predeploy.yaml is written into one of them before the run
    const roots = join(dir, 'roots', runId);
    const r = await fleetRun(
      dir,
      runId,
      [
        { name: 'good', kind: 'local', only: 'golive', attest: ['golive.uat'] },
        { name: 'typo-attest', kind: 'local', only: 'golive', attest: ['golive.uta'] },
        { name: 'typo-config', kind: 'local', only: 'golive' },
      ],
      {
        canned: BEFORE,
        at: '2026-12-01T10:00:00Z',
        beforeRun: () => writeFileSync(join(roots, 'typo-config', 'predeploy.yaml'), 'notApplicable:\n  zoho.webhook: no webhooks in this deployment\n'),
      },
    );
    const fleet = JSON.parse(readFileSync(join(dir, 'runs', runId, 'fleet.json'), 'utf8')) as { hosts: Row[] };
    const row = (n: string) => fleet.hosts.find((h) => h.name === n);
    expect(row('good')?.state, r.stderr).toBe('assessed');
    expect(row('typo-attest')).toMatchObject({ state: 'error', reason: 'config' });
    expect(row('typo-attest')?.detail).toMatch(/predeploy\.attest\.yaml:2:\d+: attestations\[0\]\.check: no check "golive\.uta" \(did you mean "golive\.uat"\?\)/);
    expect(row('typo-config')).toMatchObject({ state: 'error', reason: 'config' });
    expect(row('typo-config')?.detail).toMatch(/predeploy\.yaml:2:\d+: notApplicable: no check "zoho\.webhook" \(did you mean "zoho\.webhooks"\?\)/);
    // one line each on stderr, no stack trace
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(join(dir, 'runs', runId, 'typo-attest', 'NOT_ASSESSED.txt'), 'utf8')).toMatch(/golive\.uta/);
  });
});

describe('options a fleet cannot honour are refused, not dropped', () => {
  it('--capture with an inventory is a usage error (exit 2) and writes nothing', async () => {
    const runId = 'fleet-capture-1';
    const r = await fleetRun(dir, runId, [{ name: 'one', kind: 'local', only: 'golive' }], { canned: BEFORE, at: '2026-12-01T10:00:00Z', extra: ['--capture', join(dir, 'bundle')] });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^predeploy: --capture records one host on this machine; it does not apply to --inventory/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(dir, 'runs', runId))).toBe(false);
    expect(existsSync(join(dir, 'bundle'))).toBe(false);
  });
});

describe('--timings in a fleet', () => {
  it('prints each host its own phases and its three slowest probes, named by host (figures never asserted)', async () => {
    const runId = 'fleet-timings-1';
    const r = await fleetRun(dir, runId, [{ name: 'alpha', kind: 'local', only: 'security' }, { name: 'beta', kind: 'local', only: 'security' }], { canned: BEFORE, at: '2026-12-01T10:00:00Z', extra: ['--timings'] });
    expect(r.code, r.stderr).not.toBe(2);
    for (const host of ['alpha', 'beta']) {
      const lines = r.stderr.split('\n').filter((l) => l.startsWith(`predeploy: timings: ${host}:`));
      expect(lines[0]).toMatch(new RegExp(`^predeploy: timings: ${host}: setup \\d+ ms, discovery \\d+ ms, probes \\d+ ms, checks \\d+ ms, reporters \\d+ ms, write \\d+ ms; total \\d+ ms$`));
      expect(lines.slice(1)).toHaveLength(3);
      for (const l of lines.slice(1)) expect(l).toMatch(/^predeploy: timings: \w+: {3}probe [a-z]+\.[a-z0-9.-]+ \d+ ms( \(failed\))?$/);
    }
  });
});
