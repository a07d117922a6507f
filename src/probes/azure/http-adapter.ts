/**
 * The Azure SDKs' transport, built over `ctx.http`: every request an `@azure/*` client or
 * credential sends passes our read-only HTTP policy, deadline, TLS options and the commands log
 * (method + redacted URL → status, duration, redacted body), exactly like our own requests.
 *
 * It implements `HttpClient` from `@azure/core-rest-pipeline` (`sendRequest(request) →
 * PipelineResponse`), the `httpClient` option every SDK client and credential accepts:
 * https://learn.microsoft.com/javascript/api/@azure/core-rest-pipeline/httpclient
 *
 * Retries stay with the SDK's own retry policies (throttling honours `Retry-After`, 5xx and
 * connection resets back off exponentially); this adapter keeps them inside the probe's time
 * budget: a `Retry-After` longer than the time left is removed from the response, so the
 * pipeline returns the 429 instead of sleeping past the run's deadline. Timeouts and policy
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
      if (left <= 0) throw new AzureBudgetExceeded(budgetMs);
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
      let res;
      try {
        res = await ctx.http(req);
      } catch (err) {
        const code = errnoCode(err);
        if (code !== undefined && TRANSIENT_CODES.has(code)) {
          // a RestError-shaped error: the SDK's exponential retry strategy retries these
          throw Object.assign(new Error(err instanceof Error ? err.message : String(err)), { name: 'RestError', code, request });
        }
        throw err;
      }
      record(res.seq);
      let responseHeaders = { ...res.headers };
      if (res.status === 429 || res.status === 503) {
        const wait = retryAfterMs(responseHeaders, Date.now());
        if (wait !== undefined && wait >= deadline - now() - 50) {
          // waiting would overrun the budget: hand the throttled answer back instead
          responseHeaders = Object.fromEntries(Object.entries(responseHeaders).filter(([k]) => !/^(retry-after|retry-after-ms|x-ms-retry-after-ms)$/i.test(k)));
          responseHeaders['x-predeploy-retry-after-ms'] = String(wait);
        }
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
