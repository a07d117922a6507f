/**
 * `predeploy diff` on two real runs of the tool (in-process CLI, a CannedTarget whose answers
 * change between the runs): it reports exactly the checks whose status changed.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CannedTarget, type Canned } from '../helpers/canned-target.js';
import { cli } from '../helpers/cli.js';

const HOST = join(import.meta.dirname, '../fixtures/host');
const fixture = (p: string) => readFileSync(join(HOST, p), 'utf8');

/** Run 1: ufw inactive, root login allowed, no attestations. */
const BEFORE: Record<string, Canned> = {
  'ufw status verbose': { stdout: fixture('ufw/inactive.txt') },
  'sshd -T': { stdout: fixture('sshd/root-login-yes.txt') },
};
/** Run 2: ufw active and denying; sshd unchanged. */
const AFTER: Record<string, Canned> = {
  'ufw status verbose': { stdout: fixture('ufw/active-deny-in.txt') },
  'sshd -T': { stdout: fixture('sshd/root-login-yes.txt') },
};

interface RunJson {
  meta: { runId: string };
  score: number;
  results: { id: string; status: string }[];
  history: { trend: { runId: string }[]; previous: { from: { runId: string }; changed: { id: string }[] } | null };
}
interface DiffJson {
  from: { runId: string };
  to: { runId: string };
  scoreDelta: number;
  changed: { id: string; from: string; to: string }[];
  newlyPassing: { id: string }[];
  newlyFailing: { id: string }[];
  unchanged: number;
}

const at = (iso: string) => () => new Date(iso);

async function twoRuns() {
  const root = mkdtempSync(join(tmpdir(), 'predeploy-diff-'));
  const base = join(root, '_codex_predeploy');
  const r1 = await cli(['assess', '--offline', '--quiet'], { env: { OP_ROOT: root, OP_RUN_ID: 'run-a' }, target: new CannedTarget(BEFORE), now: at('2026-11-26T09:00:00Z') });
  // between the runs: a person attests UAT, and the firewall is turned on
  writeFileSync(join(root, 'predeploy.attest.yaml'), 'attestations:\n  - check: golive.uat\n    by: Jane (ops)\n    date: 2026-11-25\n    evidence: https://tickets.example/UAT-9\n');
  const r2 = await cli(['assess', '--offline', '--quiet'], { env: { OP_ROOT: root, OP_RUN_ID: 'run-b' }, target: new CannedTarget(AFTER), now: at('2026-11-26T10:00:00Z') });
  expect([r1.code, r2.code]).toEqual([0, 0]);
  const read = (id: string) => JSON.parse(readFileSync(join(base, id, 'report.json'), 'utf8')) as RunJson;
  return { root, base, a: read('run-a'), b: read('run-b'), r2 };
}

describe('predeploy diff', () => {
  it('on two real runs reports exactly the checks whose status changed', async () => {
    const { root, a, b } = await twoRuns();
    const before = new Map(a.results.map((r) => [r.id, r.status]));
    const expected = b.results.filter((r) => before.get(r.id) !== r.status).map((r) => ({ id: r.id, from: before.get(r.id), to: r.status }));
    // the two things that changed between the runs, and nothing else
    expect(expected.map((c) => c.id).sort()).toEqual(['golive.uat', 'security.firewall']);

    const json = await cli(['diff', '--json'], { env: { OP_ROOT: root } });
    expect(json.code).toBe(0);
    const d = JSON.parse(json.stdout) as DiffJson;
    expect([d.from.runId, d.to.runId]).toEqual(['run-a', 'run-b']);
    expect(d.changed.map((c) => ({ id: c.id, from: c.from, to: c.to }))).toEqual(expected);
    expect(d.newlyPassing.map((c) => c.id).sort()).toEqual(['golive.uat', 'security.firewall']);
    expect(d.newlyFailing).toEqual([]);
    expect(d.unchanged).toBe(b.results.length - 2);
    expect(d.scoreDelta).toBe(Math.round((b.score - a.score) * 10) / 10);

    const text = await cli(['diff'], { env: { OP_ROOT: root } });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^predeploy diff: run-a \(2026-11-26T09:00:00\.000Z\) → run-b \(2026-11-26T10:00:00\.000Z\)$/m);
    expect(text.stdout).toMatch(/^newly passing \(2\):$/m);
    expect(text.stdout).toMatch(/^ {2}- security\.firewall \(critical, blocker\): (FAIL|UNKNOWN) → PASS — /m);
    expect(text.stdout).toMatch(/^ {2}- golive\.uat \(high, blocker\): MANUAL → PASS — /m);
    expect(text.stdout).toMatch(/^newly failing \(0\):\n {2}none$/m);
    expect(text.stdout).toMatch(/^2 changed, \d+ unchanged$/m);
  });

  it('the next report carries a short section of it, and the trend', async () => {
    const { base, b, r2 } = await twoRuns();
    expect(b.history.previous?.from.runId).toBe('run-a');
    expect(b.history.previous?.changed.map((c) => c.id).sort()).toEqual(['golive.uat', 'security.firewall']);
    expect(b.history.trend.map((t) => t.runId)).toEqual(['run-a', 'run-b']);
    const md = readFileSync(join(base, 'run-b', '13_PRODUCTION_DEPLOY_REPORT.md'), 'utf8');
    expect(md).toMatch(/## Since the last run\n\nCompared with `run-a` /);
    expect(md).toMatch(/- \*\*Newly passing \(2\)\*\*:\n {2}- `security\.firewall` /);
    expect(r2.stdout).toMatch(/^since: {4}run-a: score \+[\d.]+; 0 newly failing, 2 newly passing \(security\.firewall, golive\.uat\)$/m);
  });

  it('takes run ids, run folders and report.json paths, in the order given', async () => {
    const { root, base } = await twoRuns();
    const byId = await cli(['diff', 'run-b', 'run-a', '--json'], { env: { OP_ROOT: root } });
    const byPath = await cli(['diff', join(base, 'run-b'), join(base, 'run-a', 'report.json'), '--json'], {});
    const byOut = await cli(['diff', 'run-b', 'run-a', '--json', '--out', base], {});
    for (const r of [byId, byPath, byOut]) {
      expect(r.code).toBe(0);
      const d = JSON.parse(r.stdout) as DiffJson;
      expect([d.from.runId, d.to.runId]).toEqual(['run-b', 'run-a']);
      expect(d.newlyPassing).toEqual([]);
      expect(d.changed).toHaveLength(2);
    }
    // one run named: compared with the latest other complete run
    const one = JSON.parse((await cli(['diff', 'run-a', '--json'], { env: { OP_ROOT: root } })).stdout) as DiffJson;
    expect([one.from.runId, one.to.runId]).toEqual(['run-a', 'run-b']);
  });

  it('leaves out broken and interrupted runs, and refuses what it cannot compare (exit 2)', async () => {
    const { root, base } = await twoRuns();
    mkdirSync(join(base, 'broken'));
    writeFileSync(join(base, 'broken', 'report.json'), '{"schemaVersion": 1, "meta": ');
    mkdirSync(join(base, 'future'));
    writeFileSync(join(base, 'future', 'report.json'), JSON.stringify({ schemaVersion: 2 }));
    const d = JSON.parse((await cli(['diff', '--json'], { env: { OP_ROOT: root } })).stdout) as DiffJson;
    expect([d.from.runId, d.to.runId]).toEqual(['run-a', 'run-b']);

    const bad = async (argv: string[], message: RegExp) => {
      const r = await cli(argv, { env: { OP_ROOT: root } });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    };
    await bad(['diff', 'broken', 'run-a'], /^predeploy: diff: broken: report\.json is not valid JSON/);
    await bad(['diff', 'future', 'run-a'], /^predeploy: diff: future: schemaVersion 2 is not 1 \(written by another version of predeploy\)/);
    await bad(['diff', 'nosuch', 'run-a'], /^predeploy: diff: no run "nosuch" in /);
    await bad(['diff', '../no-such-run-folder', 'run-a'], /^predeploy: diff: \/.*no-such-run-folder does not exist$/m);
    await bad(['diff', 'a', 'b', 'c'], /^predeploy: diff takes at most two runs/);
    const empty = mkdtempSync(join(tmpdir(), 'predeploy-diff-'));
    await bad(['diff', '--root', empty], /^predeploy: diff: needs two complete runs in .*, found 0/);
  });

  it('an earlier run that cannot be read is noted in the next report, not fatal', async () => {
    const { root, base } = await twoRuns();
    mkdirSync(join(base, 'broken'));
    writeFileSync(join(base, 'broken', 'report.json'), 'not json');
    const r = await cli(['assess', '--offline', '--quiet'], { env: { OP_ROOT: root, OP_RUN_ID: 'run-c' }, target: new CannedTarget(AFTER), now: at('2026-11-26T11:00:00Z') });
    expect(r.code).toBe(0);
    const c = JSON.parse(readFileSync(join(base, 'run-c', 'report.json'), 'utf8')) as RunJson & { history: { notes: string[] } };
    expect(c.history.notes).toEqual(['earlier run broken left out: report.json is not valid JSON']);
    expect(c.history.trend.map((t) => t.runId)).toEqual(['run-a', 'run-b', 'run-c']);
    expect(c.history.previous?.changed).toEqual([]);
  });
});
