/**
 * The CLI, process-free so tests can drive it in-process: `runCli(argv, io)` returns the exit
 * code. `main.ts` binds it to the real process. Known errors print one line; unknown ones are
 * bugs and are re-thrown.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CHECKS, findCheck } from '../checks/index.js';
import { EXIT, PredeployError, UsageError } from '../engine/errors.js';
import { runAssessment, unknownSelectors } from '../engine/run.js';
import type { Target } from '../engine/types.js';
import { PROBES } from '../probes/index.js';
import { renderChecklist } from '../reporters/checklist.js';
import { renderCommandsLog } from '../reporters/commands-log.js';
import { renderJson } from '../reporters/json.js';
import { renderMarkdownReport } from '../reporters/markdown.js';
import { buildReport, type RunMeta } from '../reporters/model.js';
import { renderPasteBack } from '../reporters/paste-back.js';
import { CHECKLIST_FILE, JSON_FILE, LOG_FILE, REPORT_FILE } from '../reporters/text.js';
import { Redactor } from '../safety/redactor.js';
import { LocalTarget } from '../targets/local.js';
import { HELP, parseCommand, type AssessArgs } from './args.js';
import { renderCatalog, renderExplain } from './catalog.js';
import { assertRootDir, createRunFolder, generateRunId, RUNS_DIR, validateRunId, writeAtomic } from './run-folder.js';

export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
  isRoot: boolean;
  /** subscribe to SIGINT/SIGTERM; returns an unsubscribe function */
  onInterrupt(handler: (signal: string) => void): () => void;
  /** tests inject a target; default: this machine */
  target?: Target;
  now?: () => Date;
}

export function toolVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

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
  const now = io.now ?? (() => new Date());
  // Validate everything before touching the disk: a bad input changes nothing.
  const generated = args.runId === undefined;
  const runId = validateRunId(args.runId ?? generateRunId(now()));
  const root = await assertRootDir(args.root);
  const bad = unknownSelectors(CHECKS, [...args.only, ...args.skip]);
  if (bad.length > 0) throw new UsageError(`--only/--skip: unknown section or check "${bad[0]}" (list them with: predeploy checks)`);
  // Loaded on use: zod and yaml are most of the start-up cost of `--version`, `checks`, `explain`.
  const { loadConfig } = await import('../config/loader.js');
  const { config, source } = await loadConfig({ root, ...(args.config !== undefined ? { configPath: resolve(args.config) } : {}) });
  const base = args.out !== undefined ? resolve(args.out) : join(root, RUNS_DIR);
  const dir = await createRunFolder(base, runId);
  err(`predeploy: run ${runId}${generated ? ' (generated)' : ''} → ${dir}\n`);

  const abort = new AbortController();
  let interruptedBy: string | null = null;
  const unsubscribe = io.onInterrupt((signal) => {
    if (interruptedBy === null) {
      interruptedBy = signal;
      err(`predeploy: ${signal} received — writing what the run has so far\n`);
      abort.abort();
    }
  });
  try {
    const target = io.target ?? new LocalTarget();
    const run = await runAssessment({
      config,
      configSource: source,
      root,
      target,
      checks: CHECKS,
      probes: PROBES,
      only: args.only,
      skip: args.skip,
      offline: args.offline,
      refreshApt: args.refreshApt,
      timeoutMs: args.timeoutMs,
      concurrency: args.concurrency,
      isRoot: io.isRoot,
      redactor,
      signal: abort.signal,
      now,
    });
    const meta: RunMeta = {
      runId,
      tool: { name: 'predeploy', version: toolVersion() },
      root,
      outDir: dir,
      target: target.name,
      profile: config.profile,
      configSource: source,
      startedAt: run.startedAt.toISOString(),
      finishedAt: run.finishedAt.toISOString(),
      durationMs: run.finishedAt.getTime() - run.startedAt.getTime(),
      offline: args.offline,
      incomplete: run.incomplete,
      skipped: run.skipped,
      logEntries: run.log.entries().length,
    };
    // Structured data is redacted value by value before anything is rendered from it (patterns
    // over serialized JSON could break it), and every text is redacted once more when written:
    // a secret learned late is still hidden.
    const report = redactor.redactDeep(buildReport({ meta, config, results: run.results, scores: run.scores }));
    const entries = redactor.redactDeep(run.log.entries());
    const files: [string, string][] = [
      [REPORT_FILE, redactor.redact(renderMarkdownReport(report))],
      [LOG_FILE, redactor.redact(renderCommandsLog(meta, entries))],
      [CHECKLIST_FILE, redactor.redact(renderChecklist(report))],
      [JSON_FILE, renderJson(report)],
    ];
    await Promise.all(files.map(([name, text]) => writeAtomic(dir, name, text)));
    out(renderPasteBack(report));
    if (run.incomplete) return EXIT.interrupted;
    if (args.failUnder !== undefined) {
      const criticalFail = run.results.some((r) => r.severity === 'critical' && r.status === 'fail');
      if ((report.score ?? 0) < args.failUnder || criticalFail) {
        err(`predeploy: gate failed: score ${report.score ?? 0} ${criticalFail ? 'with a critical check failing' : `< ${args.failUnder}`}\n`);
        return EXIT.gateFailed;
      }
    }
    return EXIT.done;
  } finally {
    unsubscribe();
  }
}
