/**
 * `predeploy diff` on two real fleet runs (`assess --inventory`, in-process CLI; local hosts
 * answered by a CannedTarget whose answers change between the runs, one ssh host on a port
 * nothing listens on): per host, exactly the checks whose status changed (the same as diffing
 * that host's two report.json), hosts added, removed, unreachable and reachable again, the worst
 * host before and after; `--host`; and what cannot be compared (exit 2).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/cli/args.js';
import { CannedTarget } from '../helpers/canned-target.js';
import { cli } from '../helpers/cli.js';
import { AFTER, BEFORE, fleetRun, type TestHost } from '../helpers/fleet-runs.js';

const GOLIVE_SOME = ['golive.dev-tests', 'golive.uat'];
const GOLIVE_MORE = ['golive.dev-tests', 'golive.uat', 'golive.support-contacts'];

/** Run f1 → f2: web1 gets its firewall turned on, web2 gets an attestation, db1 stays the same,
 * old1 goes, new1 comes, flaky becomes unreachable, back gets its project root. */
const F1: TestHost[] = [
  { name: 'web1', kind: 'local' },
  { name: 'web2', kind: 'local', only: 'golive', attest: GOLIVE_SOME },
  { name: 'db1', kind: 'local', only: 'golive', attest: GOLIVE_MORE },
  { name: 'old1', kind: 'local', only: 'golive' },
  { name: 'flaky', kind: 'local', only: 'golive' },
  { name: 'back', kind: 'root-missing' },
];
const F2: TestHost[] = [
  { name: 'web1', kind: 'local' },
  { name: 'web2', kind: 'local', only: 'golive', attest: GOLIVE_MORE },
  { name: 'db1', kind: 'local', only: 'golive', attest: GOLIVE_MORE },
  { name: 'new1', kind: 'local', only: 'golive' },
  { name: 'flaky', kind: 'unreachable' },
  { name: 'back', kind: 'local', only: 'golive' },
];

interface Status {
  id: string;
  status: string;
}
interface FleetJson {
  hosts: { name: string; folder: string; state: string; verdict?: string; score?: number | null }[];
  worst: { host: string | null; verdict: string | null; score: number | null };
  incomplete?: boolean;
}
interface HostDiffJson {
  name: string;
  change: string;
  from: { state: string; verdict?: string; score?: number | null; reason?: string } | null;
  to: { state: string; verdict?: string; score?: number | null; reason?: string; detail?: string } | null;
  scoreDelta: number | null;
  checks?: { changed: { id: string; from: string; to: string }[]; unchanged: number };
}
interface FleetDiffJson {
  kind: string;
  from: { runId: string; hosts: number; assessed: number };
  to: { runId: string; hosts: number; assessed: number };
  hosts: HostDiffJson[];
  summary: { worstBefore: { host: string; verdict: string; score: number | null } | null; worstAfter: { host: string; verdict: string; score: number | null } | null; changes: Record<string, number>; newlyPassing: number; newlyFailing: number };
  notes: string[];
}

let dir: string;
let base: string;
const readJson = <T>(...p: string[]) => JSON.parse(readFileSync(join(base, ...p), 'utf8')) as T;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'predeploy-fleet-diff-'));
  base = join(dir, 'runs');
  const r1 = await fleetRun(dir, 'f1', F1, { canned: BEFORE, at: '2026-11-26T09:00:00Z' });
  const r2 = await fleetRun(dir, 'f2', F2, { canned: AFTER, at: '2026-11-26T10:00:00Z' });
  expect([r1.code, r2.code], r1.stderr + r2.stderr).toEqual([0, 0]);
}, 60_000);

describe('predeploy diff on fleet runs', () => {
  it('compares host by host: the checks whose status changed, exactly as in each host’s report.json', async () => {
    const r = await cli(['diff', '--out', base, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const d = JSON.parse(r.stdout) as FleetDiffJson;
    expect(d.kind).toBe('fleet');
    expect([d.from.runId, d.to.runId]).toEqual(['f1', 'f2']);
    const byName = new Map(d.hosts.map((h) => [h.name, h]));
    expect(Object.fromEntries(d.hosts.map((h) => [h.name, h.change]))).toEqual({
      web1: 'changed',
      web2: 'changed',
      db1: 'unchanged',
      old1: 'removed',
      new1: 'added',
      flaky: 'became-unreachable',
      back: 'became-reachable',
    });
    // every host assessed in both: the changes are those of its two report.json files, nothing else
    for (const name of ['web1', 'web2', 'db1']) {
      const [a, b] = ['f1', 'f2'].map((run) => readJson<{ results: Status[] }>(run, name, 'report.json'));
      const before = new Map(a!.results.map((x) => [x.id, x.status]));
      const expected = b!.results.filter((x) => before.get(x.id) !== x.status).map((x) => ({ id: x.id, from: before.get(x.id), to: x.status }));
      expect(byName.get(name)?.checks?.changed.map((c) => ({ id: c.id, from: c.from, to: c.to })), name).toEqual(expected);
    }
    expect(byName.get('web1')?.checks?.changed.map((c) => c.id)).toEqual(['security.firewall']);
    expect(byName.get('web2')?.checks?.changed.map((c) => `${c.id} ${c.to}`)).toEqual(['golive.support-contacts pass']);
    expect(byName.get('flaky')?.to).toMatchObject({ state: 'unreachable', reason: 'unreachable' });
    expect(byName.get('flaky')?.to?.detail).toMatch(/Connection refused/);
    expect(byName.get('back')?.from).toMatchObject({ state: 'error', reason: 'root-missing' });
    // score and verdict per host, from each run's fleet.json
    const [f1, f2] = ['f1', 'f2'].map((run) => readJson<FleetJson>(run, 'fleet.json'));
    const w1 = f1!.hosts.find((h) => h.name === 'web2')!;
    const w2 = f2!.hosts.find((h) => h.name === 'web2')!;
    expect(byName.get('web2')).toMatchObject({ from: { verdict: w1.verdict, score: w1.score }, to: { verdict: w2.verdict, score: w2.score } });
    expect(byName.get('web2')?.scoreDelta).toBe(Math.round((w2.score! - w1.score!) * 10) / 10);
    expect(byName.get('web2')?.scoreDelta).toBeGreaterThan(0);
    // the fleet: worst host before and after, as each fleet.json says
    expect(d.summary.worstBefore).toEqual({ host: f1!.worst.host, verdict: f1!.worst.verdict, score: f1!.worst.score });
    expect(d.summary.worstAfter).toEqual({ host: f2!.worst.host, verdict: f2!.worst.verdict, score: f2!.worst.score });
    expect(d.summary.changes).toMatchObject({ changed: 2, unchanged: 1, added: 1, removed: 1, 'became-unreachable': 1, 'became-reachable': 1 });
    expect(d.summary.newlyPassing).toBe(2);
    expect(d.summary.newlyFailing).toBe(0);
    expect([d.from.hosts, d.from.assessed, d.to.hosts, d.to.assessed]).toEqual([6, 5, 6, 5]);
    expect(d.notes).toEqual([]);
  });

  it('as text: per host, then the fleet summary', async () => {
    const r = await cli(['diff', 'f1', 'f2', '--out', base]);
    expect(r.code, r.stderr).toBe(0);
    const t = r.stdout;
    expect(t).toMatch(/^predeploy diff \(fleet\): f1 \(2026-11-26T09:00:00\.000Z\) → f2 \(2026-11-26T10:00:00\.000Z\)$/m);
    expect(t).toMatch(/^hosts: {3}6 → 6; assessed 5 → 5$/m);
    expect(t).toMatch(/^flaky: became unreachable — was (NOT READY|READY WITH RISKS|READY) [\d.]+; now unreachable: ssh: connect to host 127\.0\.0\.1 port \d+: Connection refused$/m);
    expect(t).toMatch(/^web1: NOT READY, score [\d.]+ → [\d.]+ \(\+[\d.]+\)\n {2}newly passing \(1\):\n {4}- security\.firewall \(critical, blocker\): (FAIL|UNKNOWN) → PASS — /m);
    expect(t).toMatch(/^back: assessed again \(was not: root-missing: project root .* is not a directory/m);
    expect(t).toMatch(/^new1: added — /m);
    expect(t).toMatch(/^old1: removed — was /m);
    expect(t).toMatch(/^unchanged hosts \(1\): db1$/m);
    const [f1, f2] = ['f1', 'f2'].map((run) => readJson<FleetJson>(run, 'fleet.json'));
    const worst = (f: FleetJson) => `${f.worst.verdict} ${f.worst.score?.toFixed(1)} (${f.worst.host})`;
    expect(t).toContain(`\nfleet:   worst host ${worst(f1!)} → ${worst(f2!)}\n`);
    expect(t).toMatch(/^changes: 2 changed, 1 unchanged, 1 added, 1 removed, 1 became unreachable, 0 no longer assessed, 1 assessed again, 0 not assessed in either$/m);
    expect(t).toMatch(/^checks: {2}0 newly failing, 2 newly passing, 0 new blockers, 1 resolved blockers /m);
    // the order: what got worse first
    expect(t.indexOf('flaky:')).toBeLessThan(t.indexOf('web1:'));
    expect(t.indexOf('web1:')).toBeLessThan(t.indexOf('new1:'));
  });

  it('takes fleet run folders and fleet.json paths, in the order given', async () => {
    const byPath = await cli(['diff', join(base, 'f2'), join(base, 'f1', 'fleet.json'), '--json']);
    expect(byPath.code, byPath.stderr).toBe(0);
    const d = JSON.parse(byPath.stdout) as FleetDiffJson;
    expect([d.from.runId, d.to.runId]).toEqual(['f2', 'f1']);
    expect(d.hosts.find((h) => h.name === 'flaky')?.change).toBe('became-reachable');
    expect(d.hosts.find((h) => h.name === 'new1')?.change).toBe('removed');
    // one run named: compared with the latest other complete fleet run
    const one = JSON.parse((await cli(['diff', 'f1', '--out', base, '--json'])).stdout) as FleetDiffJson;
    expect([one.from.runId, one.to.runId]).toEqual(['f1', 'f2']);
  });

  it('--host compares one host: of two fleet runs, or of a fleet run with a single-host run', async () => {
    const viaHost = await cli(['diff', 'f1', 'f2', '--host', 'web1', '--out', base, '--json']);
    const viaFolders = await cli(['diff', join(base, 'f1', 'web1'), join(base, 'f2', 'web1'), '--json']);
    expect([viaHost.code, viaFolders.code]).toEqual([0, 0]);
    const h = JSON.parse(viaHost.stdout) as { host: string; changed: { id: string }[] };
    expect(h.host).toBe('web1');
    expect(h).toEqual({ host: 'web1', ...(JSON.parse(viaFolders.stdout) as object) });
    expect(h.changed.map((c) => c.id)).toEqual(['security.firewall']);
    // no run named: that host's last two fleet runs
    const latest = await cli(['diff', '--host', 'web2', '--out', base]);
    expect(latest.code, latest.stderr).toBe(0);
    expect(latest.stdout).toMatch(/^predeploy diff: f1 \(.*\) → f2 \(.*\)\nhost: web2\n/);
    expect(latest.stdout).toMatch(/^ {2}- golive\.support-contacts \(medium\): \w+ → PASS — /m);

    // a single-host run of the same project: compared with one host of the fleet
    const root = mkdtempSync(join(tmpdir(), 'predeploy-fleet-diff-single-'));
    const single = await cli(['assess', '--offline', '--quiet'], { env: { OP_ROOT: root, OP_RUN_ID: 'solo' }, target: new CannedTarget(AFTER), now: () => new Date('2026-11-26T11:00:00Z') });
    expect(single.code).toBe(0);
    const solo = join(root, '_codex_predeploy', 'solo');
    const mixed = await cli(['diff', join(base, 'f1'), solo, '--host', 'web1', '--json']);
    expect(mixed.code, mixed.stderr).toBe(0);
    expect((JSON.parse(mixed.stdout) as { changed: { id: string }[] }).changed.map((c) => c.id)).toEqual(['security.firewall']);

    const bad = async (argv: string[], message: RegExp) => {
      const r = await cli(argv);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    };
    await bad(['diff', join(base, 'f1'), solo], /^predeploy: diff: f1 is a fleet run and solo is a single-host run; compare one host of the fleet with it: --host NAME\n$/);
    await bad(['diff', join(base, 'f1'), join(base, 'f2'), '--host', 'nosuch'], /^predeploy: diff: fleet run f1 has no host "nosuch" \(its hosts: /);
    await bad(['diff', join(base, 'f1'), join(base, 'f2'), '--host', 'flaky'], /^predeploy: diff: host flaky was not assessed in run f2 \(unreachable: ssh: connect to host/);
    await bad(['diff', solo, solo, '--host', 'web1'], /^predeploy: diff: --host web1: neither solo nor solo is a fleet run/);
  });

  it('leaves out interrupted and unfinished fleet runs, and refuses to compare them by default (exit 2 when named and unusable)', async () => {
    const local = mkdtempSync(join(tmpdir(), 'predeploy-fleet-diff-int-'));
    const runs = join(local, 'runs');
    const ok1 = await fleetRun(local, 'g1', F1.slice(0, 3), { canned: BEFORE, at: '2026-11-27T09:00:00Z' });
    const ok2 = await fleetRun(local, 'g2', F1.slice(0, 3), { canned: AFTER, at: '2026-11-27T10:00:00Z' });
    expect([ok1.code, ok2.code]).toEqual([0, 0]);
    // g3: interrupted while a host's sshd -T hangs; fleet.json says so
    const hanging = new CannedTarget({ ...AFTER, 'sshd -T': { hang: true } });
    const g3 = await fleetRun(local, 'g3', F1.slice(0, 3), { canned: AFTER, target: hanging, at: '2026-11-27T11:00:00Z', interruptWhen: () => hanging.calls.some((c) => c.includes('sshd')) });
    expect(g3.code).toBe(3);
    expect((JSON.parse(readFileSync(join(runs, 'g3', 'fleet.json'), 'utf8')) as FleetJson).incomplete).toBe(true);
    // g4: killed before it wrote fleet.json (the host folders are there)
    const g4 = await fleetRun(local, 'g4', F1.slice(0, 3), { canned: AFTER, at: '2026-11-27T12:00:00Z' });
    expect(g4.code).toBe(0);
    rmSync(join(runs, 'g4', 'fleet.json'));
    expect(existsSync(join(runs, 'g4', 'web1', 'report.json'))).toBe(true);

    const d = JSON.parse((await cli(['diff', '--out', runs, '--json'])).stdout) as FleetDiffJson;
    expect([d.from.runId, d.to.runId]).toEqual(['g1', 'g2']);
    // named, an interrupted run is compared, with a note
    const named = await cli(['diff', 'g2', 'g3', '--out', runs]);
    expect(named.code).toBe(0);
    expect(named.stdout).toMatch(/^note: run g3 is incomplete \(interrupted\)/m);
    const killed = await cli(['diff', 'g2', 'g4', '--out', runs]);
    expect(killed.code).toBe(2);
    expect(killed.stderr).toMatch(/^predeploy: diff: g4: no fleet\.json: the fleet run did not finish \(interrupted, killed, or still running\); name one host's folder to compare that host\n$/);
    // a single-host run next to fleet runs is not noted as a broken run in its report's history
    const solo = await cli(['assess', '--offline', '--quiet', '--out', runs], { env: { OP_ROOT: local, OP_RUN_ID: 'solo' }, target: new CannedTarget(AFTER), now: () => new Date('2026-11-27T13:00:00Z') });
    expect(solo.code).toBe(0);
    const notes = (JSON.parse(readFileSync(join(runs, 'solo', 'report.json'), 'utf8')) as { history: { notes: string[] } }).history.notes;
    expect(notes.filter((n) => /g1|g2|g3/.test(n))).toEqual([]);
    // the newest run is a single-host run with no other: no silent fleet/single mix
    const mixed = await cli(['diff', '--out', runs]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/^predeploy: diff: needs two complete runs in .*, found \d+, none of them earlier than solo with its scope \(offline\) and kind \(single-host run\): .* a fleet run only with a fleet run/);
  }, 60_000);

  it('with no place named, looks in ./_codex_predeploy too (where fleet runs go by default)', () => {
    const p = (argv: string[], env: Record<string, string> = {}) => {
      const c = parseCommand(argv, env);
      if (c.kind !== 'diff') throw new Error(c.kind);
      return c.args.defaultPlace;
    };
    expect(p(['diff'])).toBe(true);
    expect(p(['diff', '--root', '/x'])).toBe(false);
    expect(p(['diff', '--out', '/x'])).toBe(false);
    expect(p(['diff'], { OP_ROOT: '/x' })).toBe(false);
  });
});
