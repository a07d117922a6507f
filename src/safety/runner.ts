/**
 * The one gate every command and file read goes through: policy check first (nothing refused
 * ever reaches the target), `sudo -n` wrapping, timeouts, and the commands log. Probes get raw
 * stdout/stderr back (they must parse it); only the log copy is redacted.
 */
import type { ExecRequest, ExecResult, FileStat, RawExecResult, Target } from '../engine/types.js';
import type { CommandLog } from './command-log.js';
import { checkCommand, checkEnv, formatArgv } from './command-policy.js';
import type { Redactor } from './redactor.js';

export interface RunnerOptions {
  target: Target;
  log: CommandLog;
  /** the run's redactor; the log redacts with it (kept here so one instance is wired) */
  redactor: Redactor;
  defaultTimeoutMs: number;
  /** cap on bytes kept from each of stdout and stderr */
  maxOutputBytes: number;
  /** already root: `sudo` requests run the command directly */
  isRoot: boolean;
  /** allow `apt-get update` */
  refreshApt: boolean;
  /** the command policy; injectable for tests only */
  policy?: typeof checkCommand;
  /** aborted when the run is interrupted: running commands are killed */
  signal?: AbortSignal;
}

/** A command request as probes make it. */
export type RunnerExecRequest = ExecRequest & { probe?: string };

/** The safety layer in front of a Target. */
export interface Runner {
  /** Runs argv if the policy allows it; a refusal is a result (`refused`), never a throw. */
  exec(argv: readonly string[], req?: RunnerExecRequest): Promise<ExecResult>;
  /** Reads a file (logged with path and size, never content); null when missing. */
  readFile(path: string, maxBytes: number, probe?: string): Promise<Buffer | null>;
  stat(path: string, probe?: string): Promise<FileStat | null>;
  readDir(path: string, probe?: string): Promise<string[] | null>;
}

/**
 * The argv actually run. The only place sudo is added: `-n` so it fails fast ("a password is
 * required") instead of prompting, `--` so nothing after it is read as a sudo option.
 */
export function privileged(argv: readonly string[], sudo: boolean, isRoot: boolean): readonly string[] {
  return sudo && !isRoot ? ['sudo', '-n', '--', ...argv] : argv;
}

/** The log's word for how a command ended. */
function resultWord(raw: RawExecResult): string {
  if (raw.spawnError !== undefined) return raw.spawnError === 'ENOENT' ? 'not-found' : 'spawn-error';
  if (raw.timedOut) return 'timeout';
  if (raw.exitCode !== null) return String(raw.exitCode);
  return raw.signal ?? 'unknown';
}

/**
 * A stream cut by the byte cap may end in the middle of a secret, where neither the known
 * value nor a pattern matches any more: drop that last partial line from the log copy, and
 * any tail that could start a known secret (wrapped base64 spans lines).
 */
function forLog(text: string, truncated: boolean, redactor: Redactor): string {
  return truncated ? `${redactor.trimCutToLine(text)}[... output cut at the size cap]\n` : text;
}

/** stdout, then stderr under a `[stderr]` line, then why it could not start; one per line. */
function logOutput(raw: RawExecResult, redactor: Redactor): string {
  const parts: string[] = [];
  if (raw.stdout !== '') parts.push(forLog(raw.stdout, raw.truncated, redactor));
  if (raw.stderr !== '') parts.push(`[stderr]\n${forLog(raw.stderr, raw.truncated, redactor)}`);
  if (raw.spawnError !== undefined) parts.push(`[could not start: ${raw.spawnError}]`);
  return parts.reduce((out, part) => (out === '' || out.endsWith('\n') ? out + part : `${out}\n${part}`), '');
}

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Builds the runner for one target. */
export function createRunner(o: RunnerOptions): Runner {
  const policy = o.policy ?? checkCommand;
  const target = o.target.name;

  async function exec(argv: readonly string[], req: RunnerExecRequest = {}): Promise<ExecResult> {
    const probe = req.probe !== undefined ? { probe: req.probe } : {};
    const verdict = policy(argv, { refreshApt: o.refreshApt });
    const envVerdict = verdict.allowed ? checkEnv(req.env) : verdict;
    if (!envVerdict.allowed) {
      const entry = o.log.begin({ kind: 'refused', target, action: formatArgv(argv), ...probe });
      entry.finish('refused', envVerdict.reason, 0);
      return {
        seq: entry.seq,
        exitCode: null,
        signal: null,
        stdout: '',
        stderr: '',
        timedOut: false,
        truncated: false,
        durationMs: 0,
        refused: envVerdict.reason,
      };
    }

    const full = privileged(argv, req.sudo === true, o.isRoot);
    const entry = o.log.begin({ kind: 'exec', target, action: formatArgv(full), ...probe });
    let raw: RawExecResult;
    try {
      raw = await o.target.exec(full, {
        timeoutMs: req.timeoutMs ?? o.defaultTimeoutMs,
        maxOutputBytes: o.maxOutputBytes,
        ...(req.env ? { env: req.env } : {}),
        ...(o.signal ? { signal: o.signal } : {}),
      });
    } catch (err) {
      // a target should not throw, but a broken one must not take the run down either
      raw = { exitCode: null, signal: null, stdout: '', stderr: '', timedOut: false, truncated: false, spawnError: errorText(err), durationMs: 0 };
    }
    // killed because the run was interrupted, not because the command was slow
    entry.finish(raw.timedOut && o.signal?.aborted === true ? 'interrupted' : resultWord(raw), logOutput(raw, o.redactor), raw.durationMs);
    return { ...raw, seq: entry.seq };
  }

  /** Logs one file-system action as a `read` entry; errors are logged and re-thrown. */
  async function logged<T>(action: string, probe: string | undefined, run: () => Promise<T>, describe: (v: T) => [string, string]): Promise<T> {
    const entry = o.log.begin({ kind: 'read', target, action, ...(probe !== undefined ? { probe } : {}) });
    const started = performance.now();
    try {
      const value = await run();
      const [result, output] = describe(value);
      entry.finish(result, output, performance.now() - started);
      return value;
    } catch (err) {
      entry.finish('error', errorText(err), performance.now() - started);
      throw err;
    }
  }

  return {
    exec,
    readFile: (path, maxBytes, probe) =>
      logged(path, probe, () => o.target.readFile(path, maxBytes), (buf) =>
        buf === null ? ['not-found', ''] : ['ok', `${buf.length} bytes${buf.length >= maxBytes ? ` (read limit ${maxBytes})` : ''}`],
      ),
    stat: (path, probe) =>
      logged(`stat ${path}`, probe, () => o.target.stat(path), (s) =>
        s === null
          ? ['not-found', '']
          : ['ok', `mode=${(s.mode & 0o7777).toString(8).padStart(4, '0')} uid=${s.uid} gid=${s.gid} size=${s.size} type=${s.isFile ? 'file' : s.isDirectory ? 'dir' : 'other'}`],
      ),
    readDir: (path, probe) =>
      logged(`list ${path}`, probe, () => o.target.readDir(path), (names) =>
        names === null ? ['not-found', ''] : ['ok', `${names.length} entries`],
      ),
  };
}
