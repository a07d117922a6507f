/** Drive the CLI in-process and capture what it prints. */
import { runCli, type CliIO } from '../../src/cli/cli.js';
import type { Target } from '../../src/engine/types.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function cli(
  argv: string[],
  opts: {
    env?: Record<string, string>;
    target?: Target;
    interruptAfterMs?: number;
    /** send SIGINT once this holds (polled), e.g. once a hanging command has started */
    interruptWhen?: () => boolean;
    now?: () => Date;
    isTTY?: boolean;
    columns?: number;
  } = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    env: opts.env ?? {},
    isRoot: true,
    onInterrupt(handler) {
      const t = opts.interruptAfterMs === undefined ? undefined : setTimeout(() => handler('SIGINT'), opts.interruptAfterMs);
      const when = opts.interruptWhen;
      const poll =
        when === undefined
          ? undefined
          : setInterval(() => {
              if (when()) {
                clearInterval(poll);
                handler('SIGINT');
              }
            }, 10);
      return () => {
        clearTimeout(t);
        clearInterval(poll);
      };
    },
    ...(opts.target ? { target: opts.target } : {}),
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.isTTY !== undefined ? { isTTY: opts.isTTY } : {}),
    ...(opts.columns !== undefined ? { columns: opts.columns } : {}),
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}
