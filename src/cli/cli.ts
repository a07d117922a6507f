/**
 * The CLI, process-free so tests can drive it in-process: `runCli(argv, io)` returns the exit
 * code. `main.ts` binds it to the real process. Known errors print one line; unknown ones are
 * bugs and are re-thrown.
 */
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { loadConfig } from '../config/load.js';
import { join, resolve } from 'node:path';
import { CHECKS, findCheck } from '../checks/index.js';
import { ConfigError, EXIT, PredeployError, UsageError } from '../engine/errors.js';
import { createProbeSession, unknownSelectors } from '../engine/run.js';
import { discover } from '../discovery/index.js';
import { PROBES } from '../probes/index.js';
import { diffRuns, renderDiffText, type RunSummary } from '../reporters/diff.js';
import { renderPasteBack } from '../reporters/paste-back.js';
import { Redactor } from '../safety/redactor.js';
import { LocalTarget } from '../targets/local.js';
import { HELP, parseCommand, type AssessArgs, type DiffArgs, type InitArgs } from './args.js';
import { runInit } from './init.js';
import { renderCatalog, renderExplain } from './catalog.js';
import { loadNamedRun, readEarlierRuns } from './history.js';
import { createProgress, progressMode } from './progress.js';
import { assertRootDir, createRunFolder, generateRunId, RUNS_DIR, validateRunId } from './run-folder.js';
import { removeScratch, runHost, SCRATCH_DIR, Timings, toolVersion, type CliIO } from './host-run.js';

export type { CliIO };
export { toolVersion };



export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const redactor = new Redactor();
  const out = (s: string) => io.stdout(redactor.redact(s));
  const err = (s: string) => io.stderr(redactor.redact(s));
  try {
    const cmd = parseCommand(argv, io.env);
    switch (cmd.kind) {
      case 'help':
        out(HELP);
        return EXIT.done;
      case 'version':
        out(`predeploy ${toolVersion()}\n`);
        return EXIT.done;
      case 'checks':
        out(renderCatalog(CHECKS, PROBES, cmd.json));
        return EXIT.done;
      case 'explain': {
        const check = findCheck(cmd.id);
        if (!check) throw new UsageError(`unknown check "${cmd.id}" (list them with: predeploy checks)`);
        out(renderExplain(check, PROBES));
        return EXIT.done;
      }
      case 'assess':
        return await assess(cmd.args, io, redactor, out, err);
      case 'diff':
        return await diff(cmd.args, io, redactor, out);
      case 'init':
        return await init(cmd.args, io, redactor, out, err);
    }
  } catch (e) {
    if (e instanceof PredeployError) {
      err(`predeploy: ${e.message}\n`);
      return e.exitCode;
    }
    // A bug: re-throw, but its message and stack pass the redactor like every other byte.
    const bug = new Error(redactor.redact(e instanceof Error ? e.message : String(e)));
    bug.stack = redactor.redact((e instanceof Error ? e.stack : undefined) ?? bug.message);
    throw bug;
  }
}

async function assess(
  args: AssessArgs,
  io: CliIO,
  redactor: Redactor,
  out: (s: string) => void,
  err: (s: string) => void,
): Promise<number> {
  if (args.inventory !== undefined || args.targets.length > 1 || args.targets.some((t) => t !== 'local')) {
    const { assessFleet } = await import('./fleet.js');
    return await assessFleet(args, io, redactor, out, err);
  }
  const now = io.now ?? (() => new Date());
  const timings = new Timings();
  // Validate everything before touching the disk: a bad input changes nothing.
  const generated = args.runId === undefined;
  const runId = validateRunId(args.runId ?? generateRunId(now()));
  const root = await assertRootDir(args.root);
  const bad = unknownSelectors(CHECKS, [...args.only, ...args.skip]);
  if (bad.length > 0) throw new UsageError(`--only/--skip: unknown section or check "${bad[0]}" (list them with: predeploy checks)`);
  // zod and yaml load only when there is a predeploy.yaml to parse (config/load.ts)
  const { config: loaded, source } = await loadConfig({ root, ...(args.config !== undefined ? { configPath: resolve(args.config) } : {}) });
  timings.mark('config');
  for (const [i, w] of (loaded.waivers ?? []).entries()) {
    if (!findCheck(w.check)) throw new ConfigError(`${source ?? 'predeploy.yaml'}: waivers[${i}].check: no check "${w.check}" (list them with: predeploy checks)`);
  }
  const base = args.out !== undefined ? resolve(args.out) : join(root, RUNS_DIR);
  const dir = await createRunFolder(base, runId);
  err(`predeploy: run ${runId}${generated ? ' (generated)' : ''} → ${dir}\n`);
  // Earlier runs in the same output folder (the trend, the change since the last run): read
  // while the probes run, not before them.
  const earlierRuns = readEarlierRuns(base, runId).catch((e: unknown) => ({ runs: [], notes: [`earlier runs in ${base} could not be read (${e instanceof Error ? e.message : String(e)})`] }));
  // For tools that write even to list things (certbot): inside the run folder, removed at the end.
  const scratchDir = join(dir, SCRATCH_DIR);
  await mkdir(scratchDir, { mode: 0o700 });

  const progress = createProgress({
    ...progressMode({ quiet: args.quiet, isTTY: io.isTTY === true, env: io.env }),
    write: err,
    ...(io.columns !== undefined ? { columns: io.columns } : {}),
    tickMs: 120,
  });
  const abort = new AbortController();
  let interruptedBy: string | null = null;
  const unsubscribe = io.onInterrupt((signal) => {
    if (interruptedBy === null) {
      interruptedBy = signal;
      // Above the live progress lines, so the redraw stays in step.
      progress.note(`predeploy: ${signal} received — writing what the run has so far`);
      abort.abort();
    }
  });
  try {
    const target = io.target ?? new LocalTarget();
    const { report, incomplete, failures, outcomes } = await runHost({
      args,
      io,
      redactor,
      runId,
      dir,
      root,
      config: loaded,
      source,
      timings,
      target,
      isRoot: io.isRoot,
      scratchDir,
      earlier: earlierRuns,
      signal: abort.signal,
      onProbe: (e) => progress.onProbe(e),
      only: args.only,
      skip: args.skip,
    });
    progress.stop();
    out(renderPasteBack(report));
    if (args.timings) err(timings.render(outcomes));
    if (incomplete) return EXIT.interrupted;
    if (failures.length > 0) {
      err(`predeploy: gate failed: ${failures.join('; ')}\n`);
      return EXIT.gateFailed;
    }
    return EXIT.done;
  } finally {
    progress.stop();
    unsubscribe();
    await removeScratch(scratchDir, err);
  }
}



/** `predeploy init`: discovery on this machine, written as predeploy.yaml and an attestation template. */
async function init(args: InitArgs, io: CliIO, redactor: Redactor, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const root = await assertRootDir(args.root);
  const now = io.now ?? (() => new Date());
  const abort = new AbortController();
  const unsubscribe = io.onInterrupt(() => abort.abort());
  // certbot writes a debug log even to list certificates: into a scratch folder, removed after
  const scratchDir = await mkdtemp(join(tmpdir(), 'predeploy-init-'));
  try {
    const session = createProbeSession({
      root,
      scratchDir,
      target: io.target ?? new LocalTarget(),
      probes: PROBES,
      offline: args.offline,
      refreshApt: false,
      timeoutMs: args.timeoutMs,
      concurrency: 8,
      isRoot: io.isRoot,
      redactor,
      signal: abort.signal,
      now,
      env: io.env,
    });
    const attestable = CHECKS.filter((c) => c.requires.includes('project.attestations') || (c.uses ?? []).includes('project.attestations')).map((c) => ({ id: c.meta.id, title: c.meta.title }));
    return await runInit({
      root,
      force: args.force,
      now: now(),
      attestable,
      discover: (profile) => discover(session.scope(profile).context('discovery'), { imds: { force: args.azureImds } }),
      redact: (s) => redactor.redact(s),
      out,
      err,
    });
  } finally {
    unsubscribe();
    await removeScratch(scratchDir, err);
  }
}



/** `predeploy diff [A] [B]`: text or JSON on stdout; exit 0, or 2 for runs that cannot be read. */
async function diff(args: DiffArgs, io: CliIO, redactor: Redactor, out: (s: string) => void): Promise<number> {
  const base = args.out !== undefined ? resolve(args.out) : join(resolve(args.root), RUNS_DIR);
  let from: RunSummary;
  let to: RunSummary | undefined;
  if (args.a !== undefined && args.b !== undefined) {
    [from, to] = await Promise.all([loadNamedRun(args.a, base), loadNamedRun(args.b, base)]);
  } else {
    const { runs } = await readEarlierRuns(base);
    if (args.a !== undefined) {
      from = await loadNamedRun(args.a, base);
      const fromId = from.runId;
      to = runs.filter((r) => r.runId !== fromId).at(-1);
      if (to === undefined) throw new UsageError(`diff: no other complete run in ${base} to compare ${fromId} with; name both runs`);
    } else {
      if (runs.length < 2) throw new UsageError(`diff: needs two complete runs in ${base}, found ${runs.length} (pass --root or --out, or name the runs)`);
      [from, to] = [runs[runs.length - 2]!, runs[runs.length - 1]!];
    }
  }
  const d = diffRuns(from, to);
  // The runs' report.json files were redacted when written; this passes the redactor again. JSON
  // is redacted as a structure and then serialized (patterns over serialized JSON could break it).
  if (args.json) io.stdout(JSON.stringify(redactor.redactDeep(d), null, 2) + '\n');
  else out(renderDiffText(d));
  return EXIT.done;
}
