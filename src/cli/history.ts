/**
 * Reading earlier runs back: the `report.json` of each run folder in the output folder, for the
 * score trend, the "since the last run" section and `predeploy diff`. Only reads, only inside
 * the output folder (or the paths the user names for `diff`). A folder that cannot be used is
 * left out with a one-line note, never an error: history is a convenience, not the run.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { UsageError } from '../engine/errors.js';
import { byStartedAt, parseRunSummary, type RunSummary } from '../reporters/diff.js';
import type { EarlierRuns } from '../reporters/model.js';
import { JSON_FILE } from '../reporters/text.js';
import { validateRunId } from './run-folder.js';

/** A report.json larger than this is not read (a real one is well under 5 MB). */
const MAX_REPORT_BYTES = 50 * 1024 * 1024;
/** At most this many run folders are read, the most recently modified first. */
const MAX_RUNS = 200;
/** Notes about left-out folders kept in the report. */
const MAX_NOTES = 10;

/** reporters/fleet.ts FLEET_JSON_FILE (not imported: this module loads on every start, the fleet reporter need not) */
const FLEET_JSON_FILE = 'fleet.json';

const errno = (e: unknown): string => (e instanceof Error && 'code' in e && typeof e.code === 'string' ? e.code : 'error');

/** Read and validate one report.json; returns the summary or why not (one line). */
export async function readRunSummary(file: string): Promise<{ ok: true; run: RunSummary } | { ok: false; why: string }> {
  let size: number;
  try {
    const s = await stat(file);
    if (!s.isFile()) return { ok: false, why: `${file} is not a file` };
    size = s.size;
  } catch (e) {
    return { ok: false, why: errno(e) === 'ENOENT' ? `no ${JSON_FILE} (the run did not finish writing, or is still running)` : `cannot read ${file} (${errno(e)})` };
  }
  if (size > MAX_REPORT_BYTES) return { ok: false, why: `${file} is larger than ${MAX_REPORT_BYTES / 1024 / 1024} MB` };
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    return { ok: false, why: e instanceof SyntaxError ? `${JSON_FILE} is not valid JSON` : `cannot read ${file} (${errno(e)})` };
  }
  return parseRunSummary(json);
}

/**
 * The complete runs in the output folder `base` other than `excludeRunId`, in time order
 * (`meta.startedAt`), and a note for each folder left out. With `hostFolder` (a fleet run), the
 * runs are `<base>/<run-id>/<hostFolder>/`: that host's history across fleet runs.
 */
export async function readEarlierRuns(base: string, excludeRunId?: string, hostFolder?: string): Promise<EarlierRuns> {
  let names: string[];
  try {
    const entries = await readdir(base, { withFileTypes: true });
    names = entries.filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== excludeRunId).map((e) => e.name);
  } catch (e) {
    return errno(e) === 'ENOENT' ? { runs: [], notes: [] } : { runs: [], notes: [`earlier runs in ${base} could not be listed (${errno(e)})`] };
  }
  const notes: string[] = [];
  if (names.length > MAX_RUNS) {
    const withTime = await Promise.all(names.map(async (n) => ({ n, t: (await stat(join(base, n)).catch(() => null))?.mtimeMs ?? 0 })));
    names = withTime.sort((a, b) => b.t - a.t).slice(0, MAX_RUNS).map((x) => x.n);
    notes.push(`only the ${MAX_RUNS} most recently modified of ${withTime.length} run folders in ${base} were read`);
  }
  const runs: RunSummary[] = [];
  const read = await Promise.all(names.sort().map(async (name) => ({ name, r: await readRunSummary(join(base, name, hostFolder ?? '', JSON_FILE)) })));
  for (const { name, r } of read) {
    // a fleet run without this host (or a single-host run) is not this host's history
    if (!r.ok && hostFolder !== undefined && r.why.startsWith('no ')) continue;
    // a fleet run's folder has no report.json of its own (its hosts' are one level down): not a single run left out
    if (!r.ok && hostFolder === undefined && r.why.startsWith('no ') && (await stat(join(base, name, FLEET_JSON_FILE)).catch(() => null)) !== null) continue;
    if (!r.ok) notes.push(`earlier run ${name} left out: ${r.why}`);
    else if (r.run.incomplete) notes.push(`earlier run ${name} left out: it is incomplete (interrupted, killed, or still running)`);
    else runs.push(r.run);
  }
  // A folder that never got a report.json stays one forever: keep the notes short.
  const shown = notes.length > MAX_NOTES ? [...notes.slice(0, MAX_NOTES - 1), `… and ${notes.length - MAX_NOTES + 1} more earlier run folders left out`] : notes;
  return { runs: runs.sort(byStartedAt), notes: shown };
}

/**
 * A run named on the `diff` command line: a path to a run folder or a report.json, or a run id
 * in the output folder `base`. Anything unusable is a usage error (exit 2).
 */
export async function loadNamedRun(spec: string, base: string): Promise<RunSummary> {
  const asPath = resolve(spec);
  const s = await stat(asPath).catch(() => null);
  let file: string;
  if (s?.isDirectory()) file = join(asPath, JSON_FILE);
  else if (s?.isFile()) file = asPath;
  else if (spec.includes('/') || spec.endsWith('.json')) throw new UsageError(`diff: ${asPath} does not exist`);
  else {
    const dir = join(base, validateRunId(spec));
    if (!(await stat(dir).catch(() => null))?.isDirectory()) throw new UsageError(`diff: no run "${spec}" in ${base} (pass a run id, a run folder or a report.json)`);
    file = join(dir, JSON_FILE);
  }
  const r = await readRunSummary(file);
  if (!r.ok) throw new UsageError(`diff: ${s ? basename(asPath) : spec}: ${r.why}`);
  return r.run;
}
