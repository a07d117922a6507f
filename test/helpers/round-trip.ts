/**
 * Capture → bundle → replay for any run the tests build (docs/bundle-format.md): the run is
 * captured through the real recording seams, its bundle is built (redacted), written as files
 * and parsed back as a replay reads it, and replayed with no host and no network. The caller
 * asserts `replayed` equals `original` (see expectSameVerdicts).
 */
import { expect } from 'vitest';
import { parseBundle } from '../../src/evidence/bundle.js';
import { captureFiles, replayInputs, startCapture } from '../../src/evidence/capture.js';
import { comparableRun, type Comparable } from '../../src/evidence/compare.js';
import type { Bundle } from '../../src/evidence/format.js';
import { runAssessment, type RunOptions, type RunResult } from '../../src/engine/run.js';
import { Redactor } from '../../src/safety/redactor.js';

export interface RoundTrip {
  original: RunResult;
  replayed: RunResult;
  /** the bundle's files, as written */
  files: Map<string, string>;
  bundle: Bundle;
  /** what must be equal, from each side */
  before: Comparable;
  after: Comparable;
}

export async function roundTrip(opts: RunOptions): Promise<RoundTrip> {
  const capture = startCapture({ target: opts.target, redactor: opts.redactor, now: opts.now ?? (() => new Date()), env: opts.env ?? {} });
  const runOpts: RunOptions = { ...opts, ...capture.options };
  const original = await runAssessment(runOpts);
  const files = captureFiles(capture, original, runOpts, { toolVersion: 'test', host: 'test-host', runId: 'round-trip', root: opts.root, configSource: opts.configSource });
  const bundle = parseBundle(new Map([...files].map(([k, v]) => [k, Buffer.from(v, 'utf8')])), 'memory');
  const replayed = await runAssessment({
    checks: opts.checks,
    configSource: opts.configSource,
    redactor: new Redactor(),
    signal: new AbortController().signal,
    ...replayInputs(bundle, opts.probes),
  });
  return {
    original,
    replayed,
    files,
    bundle,
    // as the reports are written: through the capture's redactor (it knows the run's secrets)
    before: opts.redactor.redactDeep(comparableRun(original, original.log.entries())),
    after: opts.redactor.redactDeep(comparableRun(replayed, replayed.log.entries())),
  };
}

/** The replay gave the same statuses, summaries, evidence (refs by the entries they cite), score and verdict. */
export function expectSameVerdicts(rt: RoundTrip): void {
  expect(rt.after).toEqual(rt.before);
  // the replay made the same calls (same entries, whatever their order)
  const kinds = (r: RunResult) => r.log.entries().map((e) => `${e.kind} ${e.action}`).sort();
  expect(kinds(rt.replayed)).toEqual(kinds(rt.original));
}
