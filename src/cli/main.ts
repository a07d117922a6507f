#!/usr/bin/env node
/** The `predeploy` binary: binds the CLI to the real process (argv, env, signals, exit code). */
import { runCli } from './cli.js';

const signals = ['SIGINT', 'SIGTERM'] as const;

runCli(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  env: process.env,
  isRoot: typeof process.getuid === 'function' && process.getuid() === 0,
  isTTY: process.stderr.isTTY === true,
  ...(process.stderr.columns !== undefined ? { columns: process.stderr.columns } : {}),
  onInterrupt(handler) {
    const listeners = signals.map((sig) => {
      const l = () => handler(sig);
      process.on(sig, l);
      return [sig, l] as const;
    });
    return () => listeners.forEach(([sig, l]) => process.off(sig, l));
  },
}).then(
  (code) => {
    // Exit explicitly once stdout is flushed: nothing the run started may keep the process alive.
    process.stdout.write('', () => process.exit(code));
  },
  (err: unknown) => {
    // Not a known error: a bug. Say so in one line, keep the stack for the bug report only on request.
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`predeploy: internal error: ${message.split('\n')[0]} (set PREDEPLOY_DEBUG=1 for the stack)\n`);
    if (process.env.PREDEPLOY_DEBUG) process.stderr.write(`${err instanceof Error ? err.stack : ''}\n`);
    process.exit(70);
  },
);
