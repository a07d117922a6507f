/**
 * `--target replay:DIR`: a Target and an HTTP transport that answer from a capture bundle
 * (docs/bundle-format.md) — no host, no network. The same probes and checks run, through the
 * same runner, policy and commands log; a call the bundle does not hold fails with
 * "not in capture", which its probe reports and its checks turn into `unknown`.
 *
 * Probes whose facts depend on secret values (the bundle holds none) replay at the fact level:
 * they re-issue the calls they made, so the log and the evidence cite the same entries, and
 * return the fact the capture recorded (see REPLAYED_AS_FACTS).
 */
import type { FileStat, Probe, ProbeContext, ProbeResult, RawExecResult, Target, TargetExecOptions } from '../engine/types.js';
import type { Bundle, ExecCall, HttpCall, ReadDirCall, ReadFileCall, RecordedCall, RecordedError, StatCall } from '../evidence/format.js';
import type { FactId } from '../facts/index.js';
import { HttpTimeoutError, type HttpExchange, type HttpTransport } from '../safety/http.js';
import { redactUrl } from '../safety/http-policy.js';
import { Redactor } from '../safety/redactor.js';

export const REPLAY_PREFIX = 'replay:';

/** Why a call fails in a replay when the capture did not make it. */
export const NOT_IN_CAPTURE = 'not in capture';

/**
 * Probes replayed as facts, and why: each derives its fact from secret values (the salted
 * fingerprints of `.env` and credential values, the token requests made with them, the match
 * of a bot secret against its registration, secret-shaped content in world-readable files),
 * which a bundle never holds — replaying their raw reads would see `[REDACTED]` and conclude
 * differently. Their facts hold no secret by design.
 */
export const REPLAYED_AS_FACTS: ReadonlySet<string> = new Set(['project.env', 'project.credentials', 'project.world-readable', 'zoho.prod', 'bot.credentials']);

/** `replay:DIR` → DIR, or undefined for another target spec. */
export function replaySource(spec: string): string | undefined {
  return spec.startsWith(REPLAY_PREFIX) ? spec.slice(REPLAY_PREFIX.length) : undefined;
}

class NotInCaptureError extends Error {
  readonly code = 'ENOTCAPTURED';
  constructor(what: string) {
    super(`${NOT_IN_CAPTURE}: ${what}`);
    this.name = 'NotInCaptureError';
  }
}

function rethrow(e: RecordedError): never {
  const err = e.name === 'TimeoutError' ? new HttpTimeoutError(Number(/(\d+) ms/.exec(e.message)?.[1] ?? 0)) : new Error(e.message);
  if (e.name !== undefined && e.name !== 'TimeoutError') err.name = e.name;
  if (e.code !== undefined) Object.assign(err, { code: e.code });
  throw err;
}

/** Calls by lookup key; each key's calls are answered in order, the last one again when used up. */
class Answers<C> {
  readonly #byKey = new Map<string, { calls: C[]; next: number }>();
  add(key: string, call: C): void {
    const slot = this.#byKey.get(key);
    if (slot) slot.calls.push(call);
    else this.#byKey.set(key, { calls: [call], next: 0 });
  }
  take(key: string): C | undefined {
    const slot = this.#byKey.get(key);
    if (!slot) return undefined;
    const c = slot.calls[Math.min(slot.next, slot.calls.length - 1)];
    slot.next += 1;
    return c;
  }
}

/** A pattern-only redactor: the lookup keys of a bundle were redacted when it was written. */
const keyRedactor = new Redactor();
const execKey = (argv: readonly string[], env: Record<string, string> | undefined) => keyRedactor.redact(JSON.stringify([argv, env ?? {}]));
const httpKey = (method: string, url: string, connectTo: string | undefined) => keyRedactor.redact(JSON.stringify([method, redactUrl(url), connectTo ?? null]));

/** Every recorded call of a bundle, by seq. */
export function callsBySeq(bundle: Bundle): Map<number, RecordedCall> {
  const out = new Map<number, RecordedCall>();
  for (const rec of bundle.probes.values()) for (const c of rec.calls) out.set(c.seq, c);
  return out;
}

/** The bundle as a Target: exec, readFile, stat and readDir answered from it. */
export class ReplayTarget implements Target {
  readonly name: string;
  readonly #exec = new Answers<ExecCall>();
  readonly #read = new Answers<ReadFileCall>();
  readonly #stat = new Answers<StatCall>();
  readonly #dir = new Answers<ReadDirCall>();
  readonly #http = new Answers<HttpCall>();

  constructor(bundle: Bundle) {
    this.name = bundle.manifest.target;
    for (const c of [...callsBySeq(bundle).values()].sort((a, b) => a.seq - b.seq)) {
      if (c.op === 'exec') this.#exec.add(execKey(c.argv, c.env), c);
      else if (c.op === 'readFile') this.#read.add(JSON.stringify([c.path, c.maxBytes]), c);
      else if (c.op === 'stat') this.#stat.add(c.path, c);
      else if (c.op === 'readDir') this.#dir.add(c.path, c);
      else this.#http.add(httpKey(c.method, c.url, c.connectTo), c);
    }
  }

  exec(argv: readonly string[], options: TargetExecOptions): Promise<RawExecResult> {
    const c = this.#exec.take(execKey(argv, options.env));
    if (!c) return Promise.resolve({ exitCode: null, signal: null, stdout: '', stderr: '', timedOut: false, truncated: false, spawnError: NOT_IN_CAPTURE, durationMs: 0 });
    return Promise.resolve({
      exitCode: c.exitCode,
      signal: c.signal,
      stdout: c.stdout,
      stderr: c.stderr,
      timedOut: c.timedOut,
      truncated: c.truncated,
      ...(c.spawnError !== undefined ? { spawnError: c.spawnError } : {}),
      durationMs: c.durationMs,
    });
  }

  readFile(path: string, maxBytes: number): Promise<Buffer | null> {
    const c = this.#read.take(JSON.stringify([path, maxBytes]));
    if (!c) return Promise.reject(new NotInCaptureError(`read ${path}`));
    if (c.error) rethrow(c.error);
    if (c.content === null || c.content === undefined) return Promise.resolve(null);
    const buf = Buffer.from(c.content, 'utf8');
    return Promise.resolve(buf.length > maxBytes ? buf.subarray(0, maxBytes) : buf);
  }

  stat(path: string): Promise<FileStat | null> {
    const c = this.#stat.take(path);
    if (!c) return Promise.reject(new NotInCaptureError(`stat ${path}`));
    if (c.error) rethrow(c.error);
    return Promise.resolve(c.stat ?? null);
  }

  readDir(path: string): Promise<string[] | null> {
    const c = this.#dir.take(path);
    if (!c) return Promise.reject(new NotInCaptureError(`list ${path}`));
    if (c.error) rethrow(c.error);
    return Promise.resolve(c.names ?? null);
  }

  /** The HTTP layer answered from the bundle. */
  readonly transport: HttpTransport = (req, _timeoutMs, _signal, opts) => {
    const c = this.#http.take(httpKey(req.method, req.url, req.connectTo));
    if (!c) return Promise.reject(new NotInCaptureError(`${req.method} ${redactUrl(req.url)}`));
    if (c.error) rethrow(c.error);
    const r = c.response;
    if (!r) return Promise.reject(new NotInCaptureError(`${req.method} ${redactUrl(req.url)} (no answer recorded)`));
    const answer: HttpExchange = { status: r.status, headers: r.headers, body: r.body, truncated: r.truncated };
    // the endpoint answered, as it did when captured
    opts?.answered?.();
    return Promise.resolve(answer);
  };
}

/**
 * Re-issues one recorded call through the probe's context (so it is logged and cited again);
 * returns the new log entry's number for commands and HTTP calls.
 */
async function reissue(ctx: ProbeContext, c: RecordedCall): Promise<number | undefined> {
  try {
    switch (c.op) {
      case 'exec': {
        const sudo = c.argv[0] === 'sudo' && c.argv[1] === '-n' && c.argv[2] === '--';
        return (await ctx.exec(sudo ? c.argv.slice(3) : c.argv, { ...(sudo ? { sudo } : {}), ...(c.env ? { env: c.env } : {}) })).seq;
      }
      case 'readFile':
        await ctx.readFile(c.path, c.maxBytes);
        return;
      case 'stat':
        await ctx.stat(c.path);
        return;
      case 'readDir':
        await ctx.readDir(c.path);
        return;
      case 'http':
        return (await ctx.http({
          method: c.method as 'GET' | 'HEAD' | 'POST',
          url: c.url,
          headers: c.requestHeaders,
          ...(c.requestBody !== undefined ? { body: c.requestBody } : {}),
          ...(c.connectTo !== undefined ? { connectTo: c.connectTo } : {}),
        })).seq;
    }
  } catch {
    // the failure was the capture's too: it is in the log, as it was then
  }
  return undefined;
}

/** A fact with its `seq` fields (the log entries it cites) renumbered to the replay's log. */
function renumbered(value: unknown, seqs: ReadonlyMap<number, number>): unknown {
  if (Array.isArray(value)) return value.map((v) => renumbered(v, seqs));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, k === 'seq' && typeof v === 'number' ? (seqs.get(v) ?? v) : renumbered(v, seqs)]),
    );
  }
  return value;
}

/**
 * The probe registry for a replay: REPLAYED_AS_FACTS probes re-issue their recorded calls and
 * return the recorded fact; every other probe runs as it is, against the ReplayTarget.
 */
export function replayProbes<R extends { readonly [K in FactId]?: Probe<K> }>(bundle: Bundle, probes: R): R {
  const bySeq = callsBySeq(bundle);
  const out: Record<string, Probe> = { ...(probes as Record<string, Probe>) };
  for (const id of REPLAYED_AS_FACTS) {
    const original = out[id];
    if (!original) continue;
    const rec = bundle.probes.get(id);
    out[id] = {
      ...original,
      async collect(ctx): Promise<ProbeResult<never>> {
        if (!rec?.outcome) return { ok: false, reason: 'failed', detail: `${NOT_IN_CAPTURE}: the capture has no outcome for ${id}` };
        const seqs = [...new Set([...rec.calls.map((c) => c.seq), ...rec.outcome.refs])].sort((a, b) => a - b);
        const renumber = new Map<number, number>();
        for (const s of seqs) {
          const c = bySeq.get(s);
          const now = c ? await reissue(ctx, c) : undefined;
          if (now !== undefined) renumber.set(s, now);
        }
        const o = rec.outcome;
        return (o.ok ? { ok: true, value: renumbered(o.value, renumber) } : { ok: false, reason: o.reason, detail: o.detail }) as ProbeResult<never>;
      },
    } as Probe;
  }
  return out as R;
}
