/**
 * The capture's recording seams: a Target wrapper (exec, readFile, stat, readDir) and an HTTP
 * transport wrapper. They keep exactly what the probes got, in memory, tagged with the
 * commands-log entry the call belongs to (the runner and the HTTP client begin the entry and
 * call the target in the same tick, so the log's size at call time is the entry's number).
 * Nothing is redacted here: the bundle is redacted when it is built, with the run's final
 * redactor, so secrets learned late (a token in a response) are hidden everywhere.
 */
import type { FileStat, RawExecResult, Target, TargetExecOptions } from '../engine/types.js';
import type { CommandLog } from '../safety/command-log.js';
import type { HttpClientRequest, HttpExchange, HttpTransport } from '../safety/http.js';

/** A call as recorded, before redaction. */
export type RawCall =
  | { seq: number; op: 'exec'; argv: string[]; env?: Record<string, string>; result: RawExecResult }
  | { seq: number; op: 'readFile'; path: string; maxBytes: number; content?: Buffer | null; error?: unknown }
  | { seq: number; op: 'stat'; path: string; stat?: FileStat | null; error?: unknown }
  | { seq: number; op: 'readDir'; path: string; names?: string[] | null; error?: unknown }
  | { seq: number; op: 'http'; request: HttpClientRequest; response?: HttpExchange; error?: unknown };

export class Recorder {
  readonly calls: RawCall[] = [];
  /** environment variables the probes looked up (present or not) */
  readonly envRead = new Set<string>();
  readonly #log: CommandLog;

  constructor(log: CommandLog) {
    this.#log = log;
  }

  /** The target, recording every call. */
  target(inner: Target): Target {
    const calls = this.calls;
    const seq = () => this.#log.size;
    async function recorded<T>(make: (s: number) => RawCall, run: () => Promise<T>, keep: (c: RawCall, v: T) => void): Promise<T> {
      const call = make(seq());
      calls.push(call);
      try {
        const v = await run();
        keep(call, v);
        return v;
      } catch (err) {
        (call as { error?: unknown }).error = err;
        throw err;
      }
    }
    return {
      name: inner.name,
      async exec(argv: readonly string[], options: TargetExecOptions): Promise<RawExecResult> {
        const s = seq();
        const result = await inner.exec(argv, options);
        calls.push({ seq: s, op: 'exec', argv: [...argv], ...(options.env ? { env: { ...options.env } } : {}), result });
        return result;
      },
      readFile: (path, maxBytes) =>
        recorded(
          (s) => ({ seq: s, op: 'readFile', path, maxBytes }),
          () => inner.readFile(path, maxBytes),
          (c, v) => ((c as { content?: Buffer | null }).content = v),
        ),
      stat: (path) =>
        recorded(
          (s) => ({ seq: s, op: 'stat', path }),
          () => inner.stat(path),
          (c, v) => ((c as { stat?: FileStat | null }).stat = v),
        ),
      readDir: (path) =>
        recorded(
          (s) => ({ seq: s, op: 'readDir', path }),
          () => inner.readDir(path),
          (c, v) => ((c as { names?: string[] | null }).names = v),
        ),
    };
  }

  /** The HTTP transport, recording every exchange (and every failure). */
  transport(inner: HttpTransport): HttpTransport {
    return async (req, timeoutMs, signal, opts) => {
      const call: RawCall = { seq: this.#log.size, op: 'http', request: req };
      this.calls.push(call);
      try {
        const res = await inner(req, timeoutMs, signal, opts);
        call.response = res;
        return res;
      } catch (err) {
        call.error = err;
        throw err;
      }
    };
  }

  /** The run's environment, noting which variables the probes look up. */
  env(inner: Readonly<Record<string, string | undefined>>): Readonly<Record<string, string | undefined>> {
    return new Proxy(inner, {
      get: (t, key) => {
        if (typeof key === 'string') this.envRead.add(key);
        return Reflect.get(t, key) as unknown;
      },
      has: (t, key) => {
        if (typeof key === 'string') this.envRead.add(key);
        return Reflect.has(t, key);
      },
      getOwnPropertyDescriptor: (t, key) => {
        if (typeof key === 'string') this.envRead.add(key);
        return Reflect.getOwnPropertyDescriptor(t, key);
      },
    });
  }
}
