/**
 * The Azure SDKs' transport, built over `ctx.http`: every request an `@azure/*` client or
 * credential sends passes our read-only HTTP policy, deadline, TLS options and the commands log
 * (method + redacted URL → status, duration, redacted body), exactly like our own requests.
 *
 * It implements `HttpClient` from `@azure/core-rest-pipeline` (`sendRequest(request) →
 * PipelineResponse`), the `httpClient` option every SDK client and credential accepts:
 * https://learn.microsoft.com/javascript/api/@azure/core-rest-pipeline/httpclient
 *
 * Throttling is retried here, not by the SDK's fixed retry count: a 429 (or a 503 with
 * `Retry-After`) is waited out and sent again for as many attempts as fit the probe's time
 * budget (ARM asks callers to honour `Retry-After`:
 * https://learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling).
 * When the next wait would overrun the budget, the 429 is handed back without its `Retry-After`
 * (so the SDK does not sleep past the deadline either) and with an `x-predeploy-throttle` note
 * that says why: the wait asked for exceeds the time left, after how many attempts. Other
 * retries (5xx, connection resets) stay with the SDK's exponential policy. Timeouts and policy
 * refusals are thrown as plain errors, which the retry policy never retries.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { Readable } from 'node:stream';
import type { HttpClient, HttpHeaders, PipelineRequest, PipelineResponse, RawHttpHeaders } from '@azure/core-rest-pipeline';
import type { HttpRequest, ProbeContext } from '../../engine/types.js';

/** Commands-log sequence numbers of the requests made inside one {@link trackRefs} call. */
interface RefScope {
  refs: number[];
}

const scopes = new AsyncLocalStorage<RefScope>();

/** The SDK's abort signal on a request. */
type AbortSignalLike = NonNullable<PipelineRequest['abortSignal']>;

/**
 * Runs `fn` and returns its value with the commands-log entries of every request it caused
 * (SDK calls included: the scope follows the promise chain). Scopes nest; an inner request is
 * recorded in every enclosing scope.
 */
export async function trackRefs<T>(fn: () => Promise<T>): Promise<{ value?: T; error?: unknown; refs: number[] }> {
  const scope: RefScope = { refs: [] };
  const parent = scopes.getStore();
  try {
    const value = await scopes.run(scope, fn);
    return { value, refs: sorted(scope.refs) };
  } catch (error) {
    return { error, refs: sorted(scope.refs) };
  } finally {
    parent?.refs.push(...scope.refs);
  }
}

const sorted = (refs: number[]): number[] => [...new Set(refs)].sort((a, b) => a - b);

function record(seq: number): void {
  scopes.getStore()?.refs.push(seq);
}

/** A minimal `HttpHeaders` (case-insensitive, insertion-ordered), so this module loads no SDK code. */
class Headers implements HttpHeaders {
  readonly #map = new Map<string, { name: string; value: string }>();
  constructor(raw: Record<string, string> = {}) {
    for (const [k, v] of Object.entries(raw)) this.set(k, v);
  }
  get(name: string): string | undefined {
    return this.#map.get(name.toLowerCase())?.value;
  }
  has(name: string): boolean {
    return this.#map.has(name.toLowerCase());
  }
  set(name: string, value: string | number | boolean): void {
    this.#map.set(name.toLowerCase(), { name, value: String(value) });
  }
  delete(name: string): void {
    this.#map.delete(name.toLowerCase());
  }
  toJSON(options?: { preserveCase?: boolean }): RawHttpHeaders {
    const out: RawHttpHeaders = {};
    for (const [key, { name, value }] of this.#map) out[options?.preserveCase === true ? name : key] = value;
    return out;
  }
  *[Symbol.iterator](): Iterator<[string, string]> {
    for (const [key, { value }] of this.#map) yield [key, value];
  }
}

/** A request this adapter will not send (a write, or a body it cannot pass on). Never retried. */
export class AzureRequestRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AzureRequestRefused';
  }
}

/** The probe's time budget ran out before the request could be sent. Never retried. */
export class AzureBudgetExceeded extends Error {
  constructor(readonly budgetMs: number) {
    super(`the Azure time budget of ${budgetMs} ms ran out`);
    // same name as the HTTP client's timeout, so callers classify both as `timeout`
    this.name = 'TimeoutError';
  }
}

export interface AzureHttpOptions {
  /** per-request deadline; default the run's probe timeout */
  timeoutMs?: number;
  /** total time the probe may spend on Azure requests, retries and Retry-After waits included */
  budgetMs?: number;
  /** extra CA certificates (PEM) to trust: `azure.caFile` */
  ca?: string;
  /** the clock, for tests */
  now?: () => number;
  /** how a throttled request waits (default: a timer that the request's abort signal ends); for tests */
  sleep?: (ms: number, signal?: AbortSignalLike) => Promise<void>;
}

/** A wait for a 429 without `Retry-After`: short, doubling (ARM normally sends the header). */
const THROTTLE_BACKOFF_MS = 500;
/** A ceiling on attempts, whatever the budget: a service that never stops throttling is not waited for all day. */
export const MAX_THROTTLE_ATTEMPTS = 30;
/** The note on a throttled answer handed back to the SDK: `attempts=<n>;wait-ms=<ms>;left-ms=<ms>`. */
export const THROTTLE_NOTE = 'x-predeploy-throttle';
const RETRY_HEADERS = /^(retry-after|retry-after-ms|x-ms-retry-after-ms)$/i;

function sleepFor(ms: number, signal?: AbortSignalLike): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) return reject(Object.assign(new Error('aborted while waiting for Retry-After'), { name: 'AbortError' }));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(Object.assign(new Error('aborted while waiting for Retry-After'), { name: 'AbortError' }));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** What {@link THROTTLE_NOTE} says, parsed; undefined when absent or malformed. */
export function parseThrottleNote(note: string | undefined): { attempts: number; waitMs: number; leftMs: number } | undefined {
  if (note === undefined) return undefined;
  const m = /^attempts=(\d+);wait-ms=(\d+);left-ms=(\d+)$/.exec(note.trim());
  return m ? { attempts: Number(m[1]), waitMs: Number(m[2]), leftMs: Number(m[3]) } : undefined;
}

/** Connection-level failures the SDK's exponential retry strategy treats as transient. */
const TRANSIENT_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ENOTFOUND', 'EPIPE', 'EAI_AGAIN']);

function errnoCode(err: unknown): string | undefined {
  return err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}

/** Seconds (or an HTTP date) of `Retry-After`, or the `*-retry-after-ms` headers, in ms. */
export function retryAfterMs(headers: Readonly<Record<string, string>>, nowMs: number): number | undefined {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const v = lower[name];
    if (v !== undefined && /^\d+(\.\d+)?$/.test(v.trim())) return Number(v);
  }
  const ra = lower['retry-after'];
  if (ra === undefined) return undefined;
  if (/^\d+(\.\d+)?$/.test(ra.trim())) return Number(ra) * 1000;
  const date = Date.parse(ra);
  return Number.isFinite(date) ? Math.max(0, date - nowMs) : undefined;
}

const isReadMethod = (m: string): m is HttpRequest['method'] => m === 'GET' || m === 'HEAD' || m === 'POST';

function bodyText(request: PipelineRequest): string | undefined {
  const body = request.body;
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (Buffer.isBuffer(body)) return body.toString('utf8');
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  throw new AzureRequestRefused(`${request.method} ${new URL(request.url).pathname}: request bodies other than text are not sent (read-only tool)`);
}

/**
 * The adapter for one probe. Each Azure probe makes its own (its requests are attributed to
 * it in the commands log) and passes it as `httpClient` to every client and credential.
 */
export function createAzureHttpClient(ctx: Pick<ProbeContext, 'http' | 'options'>, o: AzureHttpOptions = {}): HttpClient {
  const now = o.now ?? (() => performance.now());
  const timeoutMs = o.timeoutMs ?? ctx.options.timeoutMs;
  const budgetMs = o.budgetMs ?? 2 * timeoutMs;
  const deadline = now() + budgetMs;

  return {
    async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      const method = request.method.toUpperCase();
      if (!isReadMethod(method)) {
        throw new AzureRequestRefused(`${method} ${new URL(request.url).pathname}: only reads are sent (GET, HEAD and token POSTs)`);
      }
      const left = deadline - now();
      if (left <= 0) throw Object.assign(new AzureBudgetExceeded(budgetMs), { endpoint: new URL(request.url).origin });
      // the SDK's own per-request timeout (IMDS probing uses 1 s) wins when shorter
      const requested = request.timeout > 0 ? request.timeout : timeoutMs;
      // we do not decompress: leave out the SDK's Accept-Encoding (gzip, deflate)
      const headers = Object.fromEntries(Object.entries(request.headers.toJSON({ preserveCase: true })).filter(([k]) => k.toLowerCase() !== 'accept-encoding'));
      const body = bodyText(request);
      const req: HttpRequest = {
        method,
        url: request.url,
        headers,
        timeoutMs: Math.max(1, Math.min(requested, timeoutMs, Math.floor(left))),
        ...(body !== undefined ? { body } : {}),
        ...(o.ca !== undefined ? { tls: { ca: o.ca } } : {}),
      };
      const endpoint = new URL(request.url).origin;
      const send = async () => {
        const leftNow = deadline - now();
        if (leftNow <= 0) throw Object.assign(new AzureBudgetExceeded(budgetMs), { endpoint });
        try {
          return await ctx.http({ ...req, timeoutMs: Math.max(1, Math.min(requested, timeoutMs, Math.floor(leftNow))) });
        } catch (err) {
          const code = errnoCode(err);
          if (code !== undefined && TRANSIENT_CODES.has(code)) {
            // a RestError-shaped error: the SDK's exponential retry strategy retries these
            throw Object.assign(new Error(err instanceof Error ? err.message : String(err)), { name: 'RestError', code, request, endpoint });
          }
          // which origin did not answer, for the report's "unreachable" cause
          if (err instanceof Error) Object.assign(err, { endpoint });
          throw err;
        }
      };
      let res = await send();
      record(res.seq);
      let responseHeaders = { ...res.headers };
      // Throttled: wait as long as it asks and try again, while the wait fits the budget.
      for (let attempts = 1; ; attempts++) {
        const hinted = retryAfterMs(responseHeaders, Date.now());
        const throttled = res.status === 429 || (res.status === 503 && hinted !== undefined);
        if (!throttled) break;
        const wait = hinted ?? THROTTLE_BACKOFF_MS * 2 ** (attempts - 1);
        const leftMs = deadline - now();
        if (attempts >= MAX_THROTTLE_ATTEMPTS || wait >= leftMs - 50) {
          // waiting would overrun the budget: hand the throttled answer back, saying why
          responseHeaders = Object.fromEntries(Object.entries(responseHeaders).filter(([k]) => !RETRY_HEADERS.test(k)));
          responseHeaders[THROTTLE_NOTE] = `attempts=${attempts};wait-ms=${Math.round(wait)};left-ms=${Math.max(0, Math.round(leftMs))}`;
          break;
        }
        await (o.sleep ?? sleepFor)(wait, request.abortSignal);
        res = await send();
        record(res.seq);
        responseHeaders = { ...res.headers };
      }
      const response: PipelineResponse = {
        request,
        status: res.status,
        headers: new Headers(responseHeaders),
        bodyAsText: method === 'HEAD' ? '' : res.body,
      };
      if (request.streamResponseStatusCodes?.has(res.status) === true) {
        response.readableStreamBody = Readable.from([Buffer.from(res.body, 'utf8')]);
      }
      return response;
    },
  };
}
