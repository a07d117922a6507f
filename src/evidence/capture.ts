/**
 * Capture and replay, as the CLI and the tests wire them into a run (engine/run.ts):
 * `startCapture` gives the run a recording target, transport, environment and log;
 * `replayInputs` gives a run everything it needs from a bundle instead of a host.
 */
import type { RunOptions, RunResult } from '../engine/run.js';
import type { Target } from '../engine/types.js';
import { CommandLog, type LogSink } from '../safety/command-log.js';
import { sendHttp } from '../safety/http.js';
import type { Redactor } from '../safety/redactor.js';
import { ReplayTarget, replayProbes } from '../targets/replay.js';
import { buildBundle } from './bundle.js';
import type { Bundle } from './format.js';
import { Recorder } from './recorder.js';

export interface Capture {
  recorder: Recorder;
  /** the run options that record: pass them to runAssessment */
  options: Pick<RunOptions, 'log' | 'target' | 'transport' | 'env' | 'probeClock'>;
  /** the environment as given (unwrapped), for the bundle */
  env: Readonly<Record<string, string | undefined>>;
}

export function startCapture(o: { target: Target; redactor: Redactor; now: () => Date; env: Readonly<Record<string, string | undefined>>; sink?: LogSink }): Capture {
  const log = new CommandLog(o.redactor, { now: o.now, ...(o.sink !== undefined ? { sink: o.sink } : {}) });
  const recorder = new Recorder(log);
  return {
    recorder,
    env: o.env,
    options: { log, target: recorder.target(o.target), transport: recorder.transport(sendHttp), env: recorder.env(o.env), probeClock: 'frozen' },
  };
}

export interface CaptureMeta {
  toolVersion: string;
  host: string;
  runId: string;
  root: string;
  configSource: string | null;
}

/** The bundle's files for a finished capture run. */
export function captureFiles(c: Capture, run: RunResult, o: RunOptions, meta: CaptureMeta, extra?: ReadonlyMap<string, string>): Map<string, string> {
  return buildBundle({
    manifest: {
      tool: { name: 'predeploy', version: meta.toolVersion },
      createdAt: run.startedAt.toISOString(),
      host: meta.host,
      target: o.target.name,
      runId: meta.runId,
      root: meta.root,
      configSource: meta.configSource,
      options: {
        offline: o.offline,
        refreshApt: o.refreshApt,
        timeoutMs: o.timeoutMs,
        concurrency: o.concurrency,
        isRoot: o.isRoot,
        only: [...o.only],
        skip: [...o.skip],
        ...(o.scratchDir !== undefined ? { scratchDir: o.scratchDir } : {}),
      },
    },
    config: o.config,
    env: c.env,
    recorder: c.recorder,
    outcomes: run.outcomes,
    entries: run.log.entries(),
    redactor: o.redactor,
    ...(extra ? { extra } : {}),
  });
}

/**
 * Run options for a replay of `bundle`: its config, root, options, clock (the capture's start)
 * and environment; the ReplayTarget and its transport; fact-replayed probes swapped in.
 */
export function replayInputs(bundle: Bundle, probes: RunOptions['probes']): Pick<RunOptions, 'config' | 'root' | 'target' | 'transport' | 'probes' | 'offline' | 'refreshApt' | 'timeoutMs' | 'concurrency' | 'isRoot' | 'only' | 'skip' | 'env' | 'now' | 'probeClock' | 'scratchDir'> {
  const m = bundle.manifest;
  const target = new ReplayTarget(bundle);
  const at = Date.parse(m.createdAt);
  return {
    config: bundle.config as RunOptions['config'],
    root: m.root,
    target,
    transport: target.transport,
    probes: replayProbes(bundle, probes),
    offline: m.options.offline,
    refreshApt: m.options.refreshApt,
    timeoutMs: m.options.timeoutMs,
    concurrency: m.options.concurrency,
    isRoot: m.options.isRoot,
    only: m.options.only,
    skip: m.options.skip,
    env: bundle.env,
    now: () => new Date(at),
    probeClock: 'frozen',
    ...(m.options.scratchDir !== undefined ? { scratchDir: m.options.scratchDir } : {}),
  };
}
