/**
 * The HTTP client probes use: every request passes the HTTP policy, has a deadline and is
 * logged as `METHOD <redacted URL>` with its status and redacted, capped response body.
 * Request bodies and headers (tokens, client secrets) are never logged.
 *
 * Built on `node:http`/`node:https` rather than fetch because `connectTo` (curl's `--resolve`)
 * needs the TCP address and the TLS name/Host header to differ: we connect to `connectTo` and
 * keep the URL's host for SNI, certificate verification and `Host`.
 */
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { checkServerIdentity } from 'node:tls';
import type { HttpRequest, HttpResponse } from '../engine/types.js';
import type { CommandLog } from './command-log.js';
import { checkHttp, redactUrl } from './http-policy.js';
import type { Redactor } from './redactor.js';

const MAX_BODY_BYTES = 1024 * 1024;

/** A request refused by the HTTP policy (or by --offline); nothing was sent. */
export class HttpPolicyError extends Error {
  constructor(readonly reason: string) {
    super(`HTTP request refused: ${reason}`);
    this.name = 'HttpPolicyError';
  }
}

/**
 * The request ran past its deadline (connect, headers and body together) — or was not sent
 * because its endpoint timed out earlier in the run without ever answering (`note` says so).
 */
export class HttpTimeoutError extends Error {
  constructor(
    readonly timeoutMs: number,
    readonly note?: string,
  ) {
    super(`HTTP request timed out after ${timeoutMs} ms${note !== undefined ? ` (${note})` : ''}`);
    this.name = 'TimeoutError';
  }
}

/**
 * What the run knows of one endpoint (scheme, host, port, and the connectTo address).
 * An endpoint that timed out and has never answered is taken as dead for the rest of the
 * run: a black-holed domain costs one timeout, not one per request (and none per SDK retry).
 * One that has answered before is alive; a timeout there is that request's own slowness.
 */
interface EndpointState {
  answered: boolean;
  /** the request that timed out, while the endpoint has not answered */
  dead?: { seq: number; timeoutMs: number };
}

function endpointKey(req: HttpClientRequest): { key: string; host: string } {
  const url = new URL(req.url);
  const port = url.port !== '' ? url.port : url.protocol === 'https:' ? '443' : '80';
  return { key: `${url.protocol}//${url.hostname}:${port}${req.connectTo !== undefined ? ` via ${req.connectTo}` : ''}`, host: url.host };
}

/** A request as probes make it. */
export interface HttpClientRequest extends HttpRequest {
  probe?: string;
  /** TLS trust: an extra CA (PEM) or, for tests only, no verification. Default verifies. */
  tls?: { ca?: string; insecure?: boolean };
}

export interface HttpClientOptions {
  log: CommandLog;
  redactor: Redactor;
  defaultTimeoutMs: number;
  /** --offline: every request is refused without touching the network */
  offline: boolean;
  targetName: string;
  /** the HTTP policy; injectable for tests only */
  policy?: typeof checkHttp;
  /** aborted when the run is interrupted: requests in flight are cancelled */
  signal?: AbortSignal;
  /** cap on the response body kept; default 1 MiB (smaller in tests) */
  maxBodyBytes?: number;
  /**
   * What sends a request that passed the policy; default: the network (`sendHttp`). The
   * capture wraps it to record each exchange, a replay answers from its bundle (src/evidence).
   */
  transport?: HttpTransport;
}

/** One answer as the transport returns it (before logging). */
export interface HttpExchange {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** the body was cut at the size cap */
  truncated: boolean;
}

/** Sends one policy-checked request; rejects on a network error or a timeout (HttpTimeoutError). */
/** How one request is sent: `maxBody` caps the body kept; `answered` is called when the response headers arrive. */
export interface SendOptions {
  maxBody?: number;
  answered?: () => void;
}

export type HttpTransport = (req: HttpClientRequest, timeoutMs: number, signal: AbortSignal | undefined, opts?: SendOptions) => Promise<HttpExchange>;

export interface HttpClient {
  /** Sends one request; throws HttpPolicyError when refused, a TimeoutError past its deadline. */
  request(req: HttpClientRequest): Promise<HttpResponse>;
}

/** `host:port` or `[v6]:port` → parts; throws on anything else (a caller bug). */
function parseConnectTo(value: string): { host: string; port: number } {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]]+)):([0-9]{1,5})$/.exec(value);
  const port = Number(m?.[3]);
  if (!m || port < 1 || port > 65535) throw new Error(`connectTo must be host:port, got ${JSON.stringify(value)}`);
  return { host: m[1] ?? m[2] ?? '', port };
}

function headerRecord(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** Builds the HTTP client for one run. */
export function createHttpClient(o: HttpClientOptions): HttpClient {
  const policy = o.policy ?? checkHttp;
  const target = o.targetName;
  const endpoints = new Map<string, EndpointState>();
  const maxBody = o.maxBodyBytes ?? MAX_BODY_BYTES;
  const transport = o.transport ?? sendHttp;

  async function request(req: HttpClientRequest): Promise<HttpResponse> {
    const probe = req.probe !== undefined ? { probe: req.probe } : {};
    const action = `${req.method} ${redactUrl(req.url)}${req.connectTo !== undefined ? ` (connect ${req.connectTo})` : ''}`;
    const verdict = policy({ method: req.method, url: req.url, ...(req.body !== undefined ? { body: req.body } : {}) });
    const refusal = !verdict.allowed ? verdict.reason : o.offline ? 'offline' : undefined;
    if (refusal !== undefined) {
      const entry = o.log.begin({ kind: 'refused', target, action, ...probe });
      entry.finish('refused', refusal === 'offline' ? 'offline: no network calls (--offline)' : refusal, 0);
      throw new HttpPolicyError(refusal);
    }

    const { key, host } = endpointKey(req);
    let endpoint = endpoints.get(key);
    if (endpoint === undefined) endpoints.set(key, (endpoint = { answered: false }));
    const entry = o.log.begin({ kind: 'http', target, action, ...probe });
    if (endpoint.dead !== undefined) {
      const note = `not retried: ${host} timed out earlier in this run, log #${endpoint.dead.seq}`;
      entry.finish('timeout', note, 0);
      throw new HttpTimeoutError(endpoint.dead.timeoutMs, note);
    }
    const state = endpoint;
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const timeoutMs = req.timeoutMs ?? o.defaultTimeoutMs;
    try {
      const res = await transport(req, timeoutMs, o.signal, {
        maxBody,
        answered: () => {
          state.answered = true;
          delete state.dead;
        },
      });
      // A body cut at the cap may end with the first characters of a secret, where neither the
      // value nor a pattern matches: that tail goes, from what the probe gets (it was cut
      // anyway) and from the log copy, which also loses a cut last token (a JWT, a quoted value).
      const body = res.truncated ? o.redactor.trimSecretPrefix(res.body) : res.body;
      // the note goes first: the log's own cap would hide it at the end of a big body
      const cut = res.truncated ? `[body cut at ${maxBody} bytes]\n` : '';
      entry.finish(String(res.status), cut + (res.truncated ? o.redactor.trimCut(body) : body), elapsed());
      return { seq: entry.seq, status: res.status, headers: res.headers, body, durationMs: elapsed() };
    } catch (err) {
      const timeout = err instanceof HttpTimeoutError;
      if (timeout && !state.answered) state.dead ??= { seq: entry.seq, timeoutMs };
      entry.finish(timeout ? 'timeout' : 'error', err instanceof Error ? err.message : String(err), elapsed());
      throw err;
    }
  }

  return { request };
}

type Sent = HttpExchange;

/** The network transport: node:http/https, with `connectTo`, TLS trust, deadline and size cap. */
export const sendHttp: HttpTransport = send;

/** One request; `answered` is called when the response headers arrive. */
function send(req: HttpClientRequest, timeoutMs: number, signal: AbortSignal | undefined, opts: SendOptions = {}): Promise<Sent> {
  const maxBody = opts.maxBody ?? MAX_BODY_BYTES;
  const answered = opts.answered ?? (() => undefined);
  const url = new URL(req.url);
  const secure = url.protocol === 'https:';
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  const via = req.connectTo !== undefined ? parseConnectTo(req.connectTo) : undefined;
  const headers: Record<string, string> = { host: url.host, ...req.headers };
  if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));

  return new Promise<Sent>((resolve, reject) => {
    const options: https.RequestOptions = {
      method: req.method,
      host: via?.host ?? hostname,
      port: via?.port ?? (url.port !== '' ? Number(url.port) : secure ? 443 : 80),
      path: `${url.pathname}${url.search}`,
      headers,
      agent: false,
    };
    if (secure) {
      // SNI must be a DNS name, never an IP literal (RFC 6066 §3)
      if (isIP(hostname) === 0) options.servername = hostname;
      // verify the certificate against the URL's host even when connecting elsewhere
      options.checkServerIdentity = (_host, cert) => checkServerIdentity(hostname, cert);
      if (req.tls?.ca !== undefined) options.ca = req.tls.ca;
      if (req.tls?.insecure === true) options.rejectUnauthorized = false;
    }
    const r = (secure ? https : http).request(options, (res) => {
      answered();
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      res.on('data', (chunk: Buffer) => {
        if (truncated) return;
        const room = maxBody - size;
        if (chunk.length > room) {
          truncated = true;
          chunks.push(chunk.subarray(0, room));
          size += room;
          // enough read: stop the download instead of draining a huge body
          res.destroy();
          settle(() => resolve({ status: res.statusCode ?? 0, headers: headerRecord(res.headers), body: Buffer.concat(chunks).toString('utf8'), truncated }));
          return;
        }
        chunks.push(chunk);
        size += chunk.length;
      });
      res.on('end', () =>
        settle(() => resolve({ status: res.statusCode ?? 0, headers: headerRecord(res.headers), body: Buffer.concat(chunks).toString('utf8'), truncated })),
      );
      res.on('error', (err) => settle(() => reject(err)));
    });

    let done = false;
    const settle = (f: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      f();
    };
    const timer = setTimeout(() => {
      const err = new HttpTimeoutError(timeoutMs);
      settle(() => reject(err));
      r.destroy(err);
    }, timeoutMs);
    const onAbort = () => {
      const err = new Error('HTTP request aborted (run interrupted)');
      settle(() => reject(err));
      r.destroy(err);
    };
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });

    r.on('error', (err) => settle(() => reject(err)));
    r.end(req.body);
  });
}
