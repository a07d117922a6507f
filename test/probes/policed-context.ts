/**
 * A real test context whose commands must pass the read-only command policy first
 * (src/safety/command-policy.ts), exactly as in a run: an argv shape a probe uses that the
 * allowlist refuses fails the test. Optionally runs each command inside a network namespace.
 */
import { checkCommand } from '../../src/safety/command-policy.js';
import { realContext, type RealContext, type RealContextOptions } from '../helpers/real-context.js';

/** Options of {@link policedContext}. */
export interface PolicedContextOptions extends RealContextOptions {
  /** run every command in the network namespace of this process (`nsenter --net=/proc/<pid>/ns/net`) */
  netnsOf?: number;
  /** with netnsOf: its mount namespace too (a test's private copy of /etc/ufw) */
  mountNamespace?: boolean;
  /** programs to answer as "not installed" (ENOENT) without running them */
  missing?: readonly string[];
}

/**
 * A {@link realContext} whose `exec` first asks the command policy (refused argv → the test fails),
 * then runs the command, inside the given process's namespaces when `netnsOf` is set.
 */
export function policedContext(opts: PolicedContextOptions = {}): RealContext {
  const base = realContext(opts);
  const calls: string[][] = [];
  return {
    ...base,
    calls,
    exec(argv, request) {
      const verdict = checkCommand(argv, { refreshApt: false });
      if (!verdict.allowed) throw new Error(`the command policy refuses an argv a probe uses: ${verdict.reason}`);
      calls.push([...argv]);
      if (opts.missing?.includes(argv[0] ?? '')) {
        return Promise.resolve({ seq: calls.length, exitCode: null, signal: null, stdout: '', stderr: '', timedOut: false, truncated: false, spawnError: 'ENOENT', durationMs: 0 });
      }
      const ns = opts.netnsOf;
      const wrapped =
        ns === undefined ? argv : ['nsenter', `--net=/proc/${ns}/ns/net`, ...(opts.mountNamespace ? [`--mount=/proc/${ns}/ns/mnt`] : []), '--', ...argv];
      return base.exec(wrapped, request);
    },
  };
}
