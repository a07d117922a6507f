/**
 * Reading fleet runs back for `predeploy diff`: a fleet run folder (`<out>/<run-id>/` with
 * `fleet.json` and a run folder per host) as a {@link FleetRunInput}, and the runs of either
 * kind in the output folders `diff` looks in. Like history.ts: only reads, and a folder that
 * cannot be used is left out with a one-line note.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../engine/errors.js';
import { byStartedAt, type RunSummary } from '../reporters/diff.js';
import { fleetScope, parseFleetRunSummary, type FleetRunInput } from '../reporters/fleet-diff.js';
import { FLEET_JSON_FILE } from '../reporters/fleet.js';
import { JSON_FILE } from '../reporters/text.js';
import { loadNamedRun, readEarlierRuns, readRunSummary } from './history.js';
import { validateRunId } from './run-folder.js';

/** A fleet.json larger than this is not read (one with 1000 hosts is well under 2 MB). */
const MAX_FLEET_BYTES = 20 * 1024 * 1024;
/** The file the fleet writes in a host folder it could not assess. */
const NOT_ASSESSED_FILE = 'NOT_ASSESSED.txt';

/** A run `diff` can compare: one host's run, or a fleet run with its hosts' reports. */
export type AnyRun =
  | { kind: 'single'; run: RunSummary; runId: string; startedAt: string; scope: string }
  | { kind: 'fleet'; input: FleetRunInput; dir: string; runId: string; startedAt: string; scope: string };

const errno = (e: unknown): string => (e instanceof Error && 'code' in e && typeof e.code === 'string' ? e.code : 'error');
const exists = async (p: string): Promise<boolean> => (await stat(p).catch(() => null)) !== null;

const single = (run: RunSummary): AnyRun => ({ kind: 'single', run, runId: run.runId, startedAt: run.startedAt, scope: run.scope });

/**
 * A folder a fleet run started but never finished: no report.json, no fleet.json, and a host
 * folder with a report.json or NOT_ASSESSED.txt in it (the fleet writes fleet.json last).
 */
async function isUnfinishedFleet(dir: string): Promise<boolean> {
  if ((await exists(join(dir, JSON_FILE))) || (await exists(join(dir, FLEET_JSON_FILE)))) return false;
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries.filter((x) => x.isDirectory() && !x.name.startsWith('.')).slice(0, 50)) {
    if ((await exists(join(dir, e.name, JSON_FILE))) || (await exists(join(dir, e.name, NOT_ASSESSED_FILE)))) return true;
  }
  return false;
}

/** Read a fleet run folder: its fleet.json, and the report.json of each assessed host. */
export async function readFleetRun(dir: string): Promise<{ ok: true; run: AnyRun & { kind: 'fleet' } } | { ok: false; why: string }> {
  const file = join(dir, FLEET_JSON_FILE);
  let json: unknown;
  try {
    const s = await stat(file);
    if (s.size > MAX_FLEET_BYTES) return { ok: false, why: `${file} is larger than ${MAX_FLEET_BYTES / 1024 / 1024} MB` };
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    if (e instanceof SyntaxError) return { ok: false, why: `${FLEET_JSON_FILE} is not valid JSON` };
    return { ok: false, why: errno(e) === 'ENOENT' ? `no ${FLEET_JSON_FILE} (the fleet run did not finish writing, or is still running)` : `cannot read ${file} (${errno(e)})` };
  }
  const parsed = parseFleetRunSummary(json);
  if (!parsed.ok) return parsed;
  const fleet = parsed.fleet;
  const reports = new Map<string, RunSummary>();
  const unreadable = new Map<string, string>();
  await Promise.all(
    fleet.hosts
      .filter((h) => h.state === 'assessed')
      .map(async (h) => {
        const r = await readRunSummary(join(dir, h.folder, JSON_FILE));
        if (r.ok) reports.set(h.name, r.run);
        else unreadable.set(h.name, r.why);
      }),
  );
  const input: FleetRunInput = { fleet, reports, unreadable };
  return { ok: true, run: { kind: 'fleet', input, dir, runId: fleet.runId, startedAt: fleet.startedAt, scope: fleetScope(reports.values()) } };
}

/**
 * The complete runs of both kinds in the output folders `bases`, in time order, and a note for
 * each folder left out (incomplete or unreadable fleet runs; single runs as readEarlierRuns says).
 */
export async function readAllRuns(bases: readonly string[]): Promise<{ runs: AnyRun[]; notes: string[] }> {
  const runs: AnyRun[] = [];
  const notes: string[] = [];
  for (const base of bases) {
    const singles = await readEarlierRuns(base);
    runs.push(...singles.runs.map(single));
    notes.push(...singles.notes);
    const names = await readdir(base, { withFileTypes: true }).then(
      (es) => es.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name),
      () => [] as string[],
    );
    for (const name of names.sort()) {
      const dir = join(base, name);
      if (await exists(join(dir, FLEET_JSON_FILE))) {
        const r = await readFleetRun(dir);
        if (!r.ok) notes.push(`fleet run ${name} left out: ${r.why}`);
        else if (r.run.input.fleet.incomplete) notes.push(`fleet run ${name} left out: it is incomplete (interrupted)`);
        else runs.push(r.run);
      } else if (await isUnfinishedFleet(dir)) notes.push(`fleet run ${name} left out: no ${FLEET_JSON_FILE} (interrupted, killed, or still running)`);
    }
  }
  return { runs: runs.sort(byStartedAt), notes };
}

/**
 * A run named on the `diff` command line: a run folder (single or fleet), a report.json or
 * fleet.json, or a run id in one of the output folders `bases` (the first that has it).
 * Anything unusable is a usage error (exit 2).
 */
export async function loadNamedAnyRun(spec: string, bases: readonly string[]): Promise<AnyRun> {
  const asPath = resolve(spec);
  const s = await stat(asPath).catch(() => null);
  let dir: string | undefined;
  if (s?.isDirectory()) dir = asPath;
  else if (s?.isFile() && basename(asPath) === FLEET_JSON_FILE) dir = dirname(asPath);
  else if (!s && !spec.includes('/') && !spec.endsWith('.json')) {
    validateRunId(spec);
    for (const base of bases) {
      if ((await stat(join(base, spec)).catch(() => null))?.isDirectory()) {
        dir = join(base, spec);
        break;
      }
    }
    if (dir === undefined) throw new UsageError(`diff: no run "${spec}" in ${bases.join(' or ')} (pass a run id, a run folder, a report.json or a fleet.json)`);
  }
  if (dir !== undefined && !(await exists(join(dir, JSON_FILE)))) {
    if (await exists(join(dir, FLEET_JSON_FILE))) {
      const r = await readFleetRun(dir);
      if (!r.ok) throw new UsageError(`diff: ${basename(dir)}: ${r.why}`);
      return r.run;
    }
    if (await isUnfinishedFleet(dir)) throw new UsageError(`diff: ${basename(dir)}: no ${FLEET_JSON_FILE}: the fleet run did not finish (interrupted, killed, or still running); name one host's folder to compare that host`);
  }
  // a single run: the existing reader says what is wrong with it
  return single(await loadNamedRun(dir ?? spec, dirname(dir ?? asPath)));
}

/**
 * One host of a run, for `diff --host NAME`: a fleet run's host (by name, or by its folder
 * name), or a single run as it is. A host that is missing or was not assessed is a usage error.
 */
export function hostRun(r: AnyRun, host: string): RunSummary {
  if (r.kind === 'single') return r.run;
  const fleet = r.input.fleet;
  const h = fleet.hosts.find((x) => x.name === host) ?? fleet.hosts.find((x) => x.folder === host);
  if (h === undefined) {
    const names = fleet.hosts.map((x) => x.name);
    throw new UsageError(`diff: fleet run ${fleet.runId} has no host "${host}" (its hosts: ${names.slice(0, 10).join(', ')}${names.length > 10 ? `, … ${names.length - 10} more` : ''})`);
  }
  if (h.state !== 'assessed') throw new UsageError(`diff: host ${h.name} was not assessed in run ${fleet.runId} (${h.reason ?? h.state}${h.detail !== undefined ? `: ${h.detail.split('\n')[0]}` : ''})`);
  const run = r.input.reports.get(h.name);
  if (run === undefined) throw new UsageError(`diff: host ${h.name} in run ${fleet.runId}: ${r.input.unreadable.get(h.name) ?? 'no report.json'}`);
  return run;
}

/** A fleet run's host as a run of its own (for `diff --host` with no run named), or null. */
export function hostRunOrNull(r: AnyRun, host: string): RunSummary | null {
  if (r.kind !== 'fleet') return null;
  const h = r.input.fleet.hosts.find((x) => x.name === host) ?? r.input.fleet.hosts.find((x) => x.folder === host);
  return h === undefined ? null : (r.input.reports.get(h.name) ?? null);
}
