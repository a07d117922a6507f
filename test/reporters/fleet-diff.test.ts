/**
 * Reading a fleet.json back for `predeploy diff`: what the fleet reporter writes (buildFleet, the
 * real writer, over typed rows) parses; what could lead a diff astray is refused with one line.
 * The per-host comparison itself is tested on real fleet runs in test/cli/fleet-diff.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { parseFleetRunSummary } from '../../src/reporters/fleet-diff.js';
import { buildFleet, type FleetHostRow } from '../../src/reporters/fleet.js';

const ROWS: FleetHostRow[] = [
  { name: 'web1', target: 'local', groups: ['web'], folder: 'web1', state: 'assessed', durationMs: 10, verdict: 'READY', score: 95, sections: [], blockers: [], incomplete: false },
  { name: 'db 1', target: 'ssh://db1', groups: [], folder: 'db_1', state: 'unreachable', reason: 'timeout', detail: 'no answer', durationMs: 5000 },
];
const META = { runId: 'f1', outDir: '/x/f1', startedAt: '2026-11-26T09:00:00.000Z', finishedAt: '2026-11-26T09:00:05.000Z', durationMs: 5000, ranFrom: 'here', forks: 10 };
/** fleet.json as written (a JSON round trip of the real model) */
const written = (rows: FleetHostRow[] = ROWS, extra: object = {}) => JSON.parse(JSON.stringify({ ...buildFleet({ ...META, ...extra }, rows), tool: { name: 'predeploy', version: '0' } })) as Record<string, unknown> & { hosts: Record<string, unknown>[] };

describe('parseFleetRunSummary', () => {
  it('reads what the fleet reporter writes', () => {
    const r = parseFleetRunSummary(written());
    expect(r).toEqual({
      ok: true,
      fleet: {
        runId: 'f1',
        startedAt: META.startedAt,
        incomplete: false,
        hosts: [
          { name: 'db 1', folder: 'db_1', state: 'unreachable', reason: 'timeout', detail: 'no answer' },
          { name: 'web1', folder: 'web1', state: 'assessed', verdict: 'READY', score: 95 },
        ],
      },
    });
  });

  it('an interrupted run is incomplete: from the fleet flag, or (older files) from its hosts', () => {
    expect(parseFleetRunSummary(written(ROWS, { incomplete: true }))).toMatchObject({ ok: true, fleet: { incomplete: true } });
    const older = written([ROWS[0]!, { ...ROWS[1]!, state: 'error', reason: 'interrupted' }]);
    expect(parseFleetRunSummary(older)).toMatchObject({ ok: true, fleet: { incomplete: true } });
    expect(parseFleetRunSummary(written([{ ...ROWS[0]!, incomplete: true }]))).toMatchObject({ ok: true, fleet: { incomplete: true } });
  });

  it.each([
    ['a host folder that leaves the fleet folder', (j: ReturnType<typeof written>) => (j.hosts[0]!.folder = '../etc'), 'incomplete fleet.json (hosts.0.folder missing or malformed)'],
    ['a host folder with a slash', (j: ReturnType<typeof written>) => (j.hosts[1]!.folder = 'a/b'), 'incomplete fleet.json (hosts.1.folder missing or malformed)'],
    ['a host folder ..', (j: ReturnType<typeof written>) => (j.hosts[1]!.folder = '..'), 'incomplete fleet.json (hosts.1.folder missing or malformed)'],
    ['a host named twice', (j: ReturnType<typeof written>) => (j.hosts[1]!.name = 'db 1'), 'incomplete fleet.json (hosts.1.name missing or malformed)'],
    ['an unknown state', (j: ReturnType<typeof written>) => (j.hosts[0]!.state = 'maybe'), 'incomplete fleet.json (hosts.0.state missing or malformed)'],
    ['an assessed host without a verdict', (j: ReturnType<typeof written>) => delete j.hosts[1]!.verdict, 'incomplete fleet.json (hosts.1.verdict missing or malformed)'],
    ['another schema version', (j: ReturnType<typeof written>) => (j.schemaVersion = 2), 'schemaVersion 2 is not 1 (written by another version of predeploy)'],
    ['not a fleet', (j: ReturnType<typeof written>) => delete j.kind, 'no "kind": "fleet": not a predeploy fleet.json'],
  ])('refuses %s', (_what, mutate, why) => {
    const j = written();
    mutate(j);
    expect(parseFleetRunSummary(j)).toEqual({ ok: false, why });
  });
});
