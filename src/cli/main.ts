#!/usr/bin/env node
/**
 * The `predeploy` binary: binds the CLI to the real process (argv, env, signals, exit code).
 *
 * Signals are taken first thing, before the CLI and its dependencies load (that takes a few
 * hundred milliseconds): a Ctrl-C at any moment ends the process cleanly with exit 3. Before the
 * CLI listens, nothing has been written, so the process just says so and exits; after, the run
 * writes its files marked incomplete (cli.ts). Output to a closed pipe (`| head -1`) is dropped
 * silently: the run still completes and writes its files.
 */
import type { CliIO } from './cli.js';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const INTERRUPTED = 3;
const INTERNAL_ERROR = 70;

let onSignal: ((signal: string) => void) | null = null;
for (const sig of SIGNALS) {
  process.on(sig, () => {
    if (onSignal !== null) onSignal(sig);
    else {
      writeErr(`predeploy: ${sig} received before the run started; nothing was written\n`);
      process.exit(INTERRUPTED);
    }
  });
}

/** stdout/stderr that went away (EPIPE from `| head`, EIO from a closed terminal): writes are dropped. */
const broken = { stdout: false, stderr: false };
process.stdout.on('error', () => (broken.stdout = true));
process.stderr.on('error', () => (broken.stderr = true));
function writeOut(s: string): void {
  if (!broken.stdout) process.stdout.write(s);
}
function writeErr(s: string): void {
  if (!broken.stderr) process.stderr.write(s);
}

let onFault: ((err: unknown) => void) | null = null;
const fault = (err: unknown) => {
  if (onFault !== null) {
    // The run stops and writes its files marked incomplete, then exits 70 (cli.ts re-throws).
    // Should it not get there, the process ends anyway; the folder keeps the report written at
    // the start (marked incomplete) and the commands log so far.
    onFault(err);
    setTimeout(() => internalError(err), 30_000).unref();
  } else internalError(err);
};
process.on('uncaughtException', fault);
process.on('unhandledRejection', fault);

const atExit = new Set<() => void>();
process.on('exit', () => {
  for (const fn of atExit) fn();
});

function internalError(err: unknown): never {
  // Not a known error: a bug. Say so in one line, keep the stack for the bug report only on request.
  const message = err instanceof Error ? err.message : String(err);
  writeErr(`predeploy: internal error: ${message.split('\n')[0]} (set PREDEPLOY_DEBUG=1 for the stack)\n`);
  if (process.env.PREDEPLOY_DEBUG) writeErr(`${err instanceof Error ? err.stack : ''}\n`);
  process.exit(INTERNAL_ERROR);
}

/** Exit once stdout is flushed — or at once when it is gone: nothing may keep the process alive. */
function exit(code: number): void {
  if (broken.stdout) process.exit(code);
  process.stdout.write('', () => process.exit(code));
  setTimeout(() => process.exit(code), 5_000).unref();
}

const { runCli } = await import('./cli.js');

const io: CliIO = {
  stdout: writeOut,
  stderr: writeErr,
  env: process.env,
  isRoot: typeof process.getuid === 'function' && process.getuid() === 0,
  isTTY: process.stderr.isTTY === true,
  ...(process.stderr.columns !== undefined ? { columns: process.stderr.columns } : {}),
  onInterrupt(handler) {
    onSignal = handler;
    return () => {
      // after the run: a late signal just ends the process (the files are written)
      onSignal = () => process.exit(INTERRUPTED);
    };
  },
  onFault(handler) {
    onFault = handler;
    return () => (onFault = null);
  },
  atExit(fn) {
    atExit.add(fn);
    return () => atExit.delete(fn);
  },
};

runCli(process.argv.slice(2), io).then(exit, internalError);
