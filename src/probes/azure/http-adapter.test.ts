import { createHttpHeaders, createPipelineRequest } from '@azure/core-rest-pipeline';
import { describe, expect, it } from 'vitest';
import type { HttpRequest, HttpResponse } from '../../engine/types.js';
import { throttleText } from './errors.js';
import { AzureBudgetExceeded, AzureRequestRefused, createAzureHttpClient, MAX_THROTTLE_ATTEMPTS, parseThrottleNote, retryAfterMs, THROTTLE_NOTE, trackRefs } from './http-adapter.js';

function fakeHttp(answer: (req: HttpRequest) => Partial<HttpResponse> | Error) {
  const seen: HttpRequest[] = [];
  let seq = 0;
  return {
    seen,
    ctx: {
      options: { offline: false, refreshApt: false, timeoutMs: 5000 },
      async http(req: HttpRequest): Promise<HttpResponse> {
        seen.push(req);
        const a = answer(req);
        if (a instanceof Error) throw a;
        seq += 1;
        return { seq, status: 200, headers: {}, body: '', durationMs: 1, ...a };
      },
    },
  };
}

const get = (url = 'https://management.azure.com/subscriptions/s?api-version=1', o: Parameters<typeof createPipelineRequest>[0] = { url }) =>
  createPipelineRequest({ ...o, url, headers: createHttpHeaders({ 'Accept-Encoding': 'gzip,deflate', Authorization: 'Bearer t', accept: 'application/json' }) });

describe('createAzureHttpClient', () => {
  it('sends a GET through ctx.http and builds the pipeline response', async () => {
    const f = fakeHttp(() => ({ status: 200, headers: { 'Content-Type': 'application/json', 'x-ms-request-id': 'r1' }, body: '{"id":"x"}' }));
    const res = await createAzureHttpClient(f.ctx, { ca: 'PEM' }).sendRequest(get());
    expect(res.status).toBe(200);
    expect(res.bodyAsText).toBe('{"id":"x"}');
    expect(res.headers.get('content-type')).toBe('application/json');
    const sent = f.seen[0];
    expect(sent?.method).toBe('GET');
    expect(sent?.tls).toEqual({ ca: 'PEM' });
    // we do not decompress, so we never ask for gzip; the token goes as a header (never logged)
    expect(Object.keys(sent?.headers ?? {}).map((k) => k.toLowerCase())).not.toContain('accept-encoding');
    expect(sent?.headers?.['Authorization']).toBe('Bearer t');
  });

  it.each(['PUT', 'PATCH', 'DELETE'] as const)('refuses %s without sending it', async (method) => {
    const f = fakeHttp(() => ({}));
    await expect(createAzureHttpClient(f.ctx).sendRequest(createPipelineRequest({ url: 'https://management.azure.com/x', method }))).rejects.toBeInstanceOf(AzureRequestRefused);
    expect(f.seen).toHaveLength(0);
  });

  it('passes a token POST body on as text', async () => {
    const f = fakeHttp(() => ({ status: 200, body: '{}' }));
    const req = createPipelineRequest({ url: 'https://login.microsoftonline.com/t/oauth2/v2.0/token', method: 'POST', body: 'grant_type=client_credentials&client_id=x' });
    await createAzureHttpClient(f.ctx).sendRequest(req);
    expect(f.seen[0]).toMatchObject({ method: 'POST', body: 'grant_type=client_credentials&client_id=x' });
  });

  it('uses the shorter of the SDK request timeout and the run timeout', async () => {
    const f = fakeHttp(() => ({}));
    const client = createAzureHttpClient(f.ctx);
    await client.sendRequest(get(undefined, { url: '', timeout: 1000 }));
    await client.sendRequest(get());
    expect(f.seen.map((r) => r.timeoutMs)).toEqual([1000, 5000]);
  });

  it('waits out a Retry-After that fits the budget and sends again, as many times as it fits (not a fixed 2)', async () => {
    let n = 0;
    const f = fakeHttp(() => (++n <= 4 ? { status: 429, headers: { 'Retry-After': '1' } } : { status: 200, body: 'ok' }));
    const waits: number[] = [];
    // a clock that the waits move: what happened is asserted, never how long it took
    let t = 0;
    const client = createAzureHttpClient(f.ctx, {
      budgetMs: 10_000,
      now: () => t,
      sleep: async (ms) => {
        waits.push(ms);
        t += ms;
      },
    });
    const res = await client.sendRequest(get());
    expect(res.status).toBe(200);
    expect(f.seen).toHaveLength(5);
    expect(waits).toEqual([1000, 1000, 1000, 1000]);
  });

  it('stops when the next wait does not fit the time left, and says so: first answer vs after N attempts', async () => {
    let t = 0;
    const sleep = async (ms: number) => void (t += ms);
    const long = fakeHttp(() => ({ status: 429, headers: { 'Retry-After': '120' } }));
    const first = await createAzureHttpClient(long.ctx, { budgetMs: 10_000, now: () => t, sleep }).sendRequest(get());
    expect(long.seen).toHaveLength(1);
    expect(first.headers.get('retry-after')).toBeUndefined();
    expect(parseThrottleNote(first.headers.get(THROTTLE_NOTE))).toEqual({ attempts: 1, waitMs: 120_000, leftMs: 10_000 });

    t = 0;
    const always = fakeHttp(() => ({ status: 429, headers: { 'Retry-After': '3' } }));
    const later = await createAzureHttpClient(always.ctx, { budgetMs: 10_000, now: () => t, sleep }).sendRequest(get());
    // 3 s waits at 0, 3, 6 fit a 10 s budget; the fourth (at 9 s, 1 s left) does not
    expect(always.seen).toHaveLength(4);
    expect(parseThrottleNote(later.headers.get(THROTTLE_NOTE))).toEqual({ attempts: 4, waitMs: 3000, leftMs: 1000 });
  });

  it('names the real cause of a throttled read', () => {
    expect(throttleText({ attempts: 1, waitMs: 30_000, leftMs: 9_000 })).toBe('throttled: HTTP 429, Retry-After 30 s exceeds the time left (9 s)');
    expect(throttleText({ attempts: 4, waitMs: 3000, leftMs: 1000 })).toBe('still throttled after 4 attempts (HTTP 429); the next Retry-After 3 s exceeds the time left (1 s)');
    expect(throttleText({ attempts: MAX_THROTTLE_ATTEMPTS, waitMs: 10, leftMs: 100_000 })).toBe(`still throttled after ${MAX_THROTTLE_ATTEMPTS} attempts (HTTP 429)`);
  });

  it('turns connection resets into retryable RestErrors, and leaves timeouts alone (not retried)', async () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const timeout = Object.assign(new Error('HTTP request timed out after 5 ms'), { name: 'TimeoutError' });
    const client = createAzureHttpClient(fakeHttp((req) => (req.url.endsWith('reset') ? reset : timeout)).ctx);
    await expect(client.sendRequest(get('https://x/reset'))).rejects.toMatchObject({ name: 'RestError', code: 'ECONNRESET' });
    await expect(client.sendRequest(get('https://x/slow'))).rejects.toMatchObject({ name: 'TimeoutError' });
  });

  it('stops sending once the probe budget is spent', async () => {
    let t = 0;
    const client = createAzureHttpClient(fakeHttp(() => ({})).ctx, { budgetMs: 100, now: () => t });
    t = 150;
    await expect(client.sendRequest(get())).rejects.toBeInstanceOf(AzureBudgetExceeded);
  });

  it('records the commands-log entries of each tracked call', async () => {
    const client = createAzureHttpClient(fakeHttp(() => ({})).ctx);
    const outer = await trackRefs(async () => {
      const inner = await trackRefs(() => client.sendRequest(get()));
      await client.sendRequest(get());
      return inner.refs;
    });
    expect(outer.value).toEqual([1]);
    expect(outer.refs).toEqual([1, 2]);
  });
});

describe('retryAfterMs', () => {
  it.each([
    [{ 'Retry-After': '2' }, 2000],
    [{ 'retry-after-ms': '150' }, 150],
    [{ 'x-ms-retry-after-ms': '40' }, 40],
    [{ 'Retry-After': new Date(10_000).toUTCString() }, 10_000],
    [{}, undefined],
  ])('%j → %s', (headers, ms) => expect(retryAfterMs(headers, 0)).toBe(ms));
});
