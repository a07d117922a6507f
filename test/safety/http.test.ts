/**
 * The HTTP client against real loopback servers (http and https with a throwaway self-signed
 * certificate for `example.test`). Nothing leaves 127.0.0.1.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CommandLog } from '../../src/safety/command-log.js';
import { createHttpClient, HttpPolicyError, type HttpClientOptions } from '../../src/safety/http.js';
import { Redactor } from '../../src/safety/redactor.js';

interface Seen {
  method: string;
  url: string;
  host: string;
  servername?: string | false | null;
  body: string;
}

let seen: Seen[] = [];
const CAP_SECRET = 'Cap-s3cret"value$with\\chars';
let connections = 0;

function handler(req: http.IncomingMessage, res: http.ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const socket = req.socket as TLSSocket;
    seen.push({ method: req.method ?? '', url: req.url ?? '', host: req.headers.host ?? '', servername: socket.servername, body: Buffer.concat(chunks).toString() });
    const path = (req.url ?? '').split('?')[0];
    if (path === '/slow') return; // never answers
    if (path === '/big') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('z'.repeat(2 * 1024 * 1024));
      return;
    }
    if (path === '/secret-body') {
      // a body that carries a secret, to be cut by a small cap at every offset
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"data":"ordinary","blob":"${Buffer.from('prefix:' + CAP_SECRET + ':suffix').toString('base64')}","raw":"${CAP_SECRET}"}`);
      return;
    }
    if (path?.endsWith('/oauth/v2/token')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ access_token: '1000.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', expires_in: 3600 }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'x-test': 'yes' });
    res.end(JSON.stringify({ ok: true, path }));
  });
}

const httpServer = http.createServer(handler);
let httpsServer: https.Server;
let dir = '';
let cert = '';
let httpBase = '';
let httpsPort = 0;

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'predeploy-tls-'));
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=example.test', '-addext', 'subjectAltName=DNS:example.test', '-keyout', join(dir, 'k'), '-out', join(dir, 'c'), '-days', '2'],
    { stdio: 'ignore' },
  );
  cert = readFileSync(join(dir, 'c'), 'utf8');
  httpsServer = https.createServer({ key: readFileSync(join(dir, 'k')), cert }, handler);
  for (const s of [httpServer, httpsServer]) s.on('connection', () => (connections += 1));
  httpBase = `http://127.0.0.1:${await listen(httpServer)}`;
  httpsPort = await listen(httpsServer);
});

afterAll(async () => {
  for (const s of [httpServer, httpsServer]) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  seen = [];
  connections = 0;
});

function client(over: Partial<HttpClientOptions> = {}) {
  const redactor = new Redactor();
  const log = new CommandLog(redactor);
  const c = createHttpClient({ log, redactor, defaultTimeoutMs: 5000, offline: false, targetName: 'local', ...over });
  return { c, log, redactor };
}

describe('http client', () => {
  it('GETs and logs the call with a redacted query', async () => {
    const { c, log } = client();
    const res = await c.request({ method: 'GET', url: `${httpBase}/health?api-version=2024-01-01&code=s3cret-code`, probe: 'web.health' });
    expect(res).toMatchObject({ seq: 1, status: 200 });
    expect(res.headers['x-test']).toBe('yes');
    expect(JSON.parse(res.body)).toEqual({ ok: true, path: '/health' });
    expect(seen[0]?.url).toBe('/health?api-version=2024-01-01&code=s3cret-code');
    const [e] = log.entries();
    expect(e).toMatchObject({ kind: 'http', result: '200', probe: 'web.health', action: `GET ${httpBase}/health?api-version=2024-01-01&code=[REDACTED]` });
    expect(e?.output).toBe('{"ok":true,"path":"/health"}');
  });

  it('connects to connectTo while keeping the URL host for SNI, Host and verification', async () => {
    const { c, log } = client();
    const res = await c.request({ method: 'GET', url: 'https://example.test/health', connectTo: `127.0.0.1:${httpsPort}`, tls: { ca: cert } });
    expect(res.status).toBe(200);
    expect(seen[0]).toMatchObject({ host: 'example.test', servername: 'example.test', url: '/health' });
    expect(log.entries()[0]?.action).toBe(`GET https://example.test/health (connect 127.0.0.1:${httpsPort})`);
  });

  it('verifies certificates by default', async () => {
    const { c, log } = client();
    await expect(c.request({ method: 'GET', url: 'https://example.test/health', connectTo: `127.0.0.1:${httpsPort}` })).rejects.toThrow(/self-signed|self signed/);
    expect(log.entries()[0]?.result).toBe('error');
  });

  it('checks the certificate against the URL host, not the connect address', async () => {
    const { c } = client();
    await expect(c.request({ method: 'GET', url: 'https://other.test/health', connectTo: `127.0.0.1:${httpsPort}`, tls: { ca: cert } })).rejects.toThrow(/other\.test/);
  });

  it('refuses a POST to a non-token URL before any connection', async () => {
    const { c, log } = client();
    const err = await c.request({ method: 'POST', url: `${httpBase}/api/invoices`, body: '{"x":1}' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpPolicyError);
    expect((err as HttpPolicyError).reason).toMatch(/only to OAuth token endpoints/);
    expect(connections).toBe(0);
    expect(seen).toHaveLength(0);
    expect(log.entries()[0]).toMatchObject({ kind: 'refused', result: 'refused' });
  });

  it('sends an allowed token POST, never logs the request body, and redacts the token in the response', async () => {
    const { c, log } = client();
    const body = 'refresh_token=1000.cccccccccccccccccccccccccccccccc.dddddddddddddddddddddddddddddddd&client_id=1000.ABC&client_secret=topsecret-xyz&grant_type=refresh_token';
    const res = await c.request({ method: 'POST', url: `${httpBase}/oauth/v2/token`, body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(200);
    expect(seen[0]?.body).toBe(body);
    expect(JSON.parse(res.body).access_token).toMatch(/^1000\./);
    const logged = JSON.stringify(log.entries());
    expect(logged).not.toContain('topsecret-xyz');
    expect(logged).not.toContain('cccccccc');
    expect(logged).not.toContain('aaaaaaaa');
    expect(log.entries()[0]?.output).toContain('"access_token":"[REDACTED:');
  });

  it('refuses everything when offline, without touching the network', async () => {
    const { c, log } = client({ offline: true });
    const err = await c.request({ method: 'GET', url: `${httpBase}/health` }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpPolicyError);
    expect((err as HttpPolicyError).reason).toBe('offline');
    expect(connections).toBe(0);
    expect(log.entries()[0]).toMatchObject({ kind: 'refused', result: 'refused' });
  });

  it('rejects with a TimeoutError when the server is too slow', async () => {
    const { c, log } = client();
    const t0 = performance.now();
    const err = await c.request({ method: 'GET', url: `${httpBase}/slow`, timeoutMs: 300 }).catch((e: unknown) => e);
    expect((err as Error).name).toBe('TimeoutError');
    console.log(`a 300 ms timeout against a slow server returned after ${(performance.now() - t0).toFixed(0)} ms`);
    expect(log.entries()[0]?.result).toBe('timeout');
  });

  it('caps the body at 1 MiB and says so in the log', async () => {
    const { c, log } = client();
    const res = await c.request({ method: 'GET', url: `${httpBase}/big` });
    expect(res.body.length).toBe(1024 * 1024);
    const output = log.entries()[0]?.output ?? '';
    expect(output.startsWith('[body cut at 1048576 bytes]\nzzz'), output.slice(0, 60)).toBe(true);
  });

  it('supports HEAD', async () => {
    const { c } = client();
    const res = await c.request({ method: 'HEAD', url: `${httpBase}/health` });
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    expect(seen[0]?.method).toBe('HEAD');
  });

  it('cancels a request when the run is aborted', async () => {
    const ac = new AbortController();
    const { c } = client({ signal: ac.signal });
    setTimeout(() => ac.abort(), 100);
    await expect(c.request({ method: 'GET', url: `${httpBase}/slow` })).rejects.toThrow(/aborted/);
  });
});

describe('a dead endpoint costs one timeout, not one per request (issue 11.8)', () => {
  const unexpected = (): Error => {
    throw new Error('the request was expected to fail');
  };

  /** A loopback server that accepts connections and never answers (a black hole behind a SYN-ACK). */
  async function blackHole(): Promise<{ base: string; accepted: () => number; close: () => Promise<void> }> {
    let accepted = 0;
    const sockets = new Set<net.Socket>();
    const server = net.createServer((sock) => {
      accepted += 1;
      sockets.add(sock);
      sock.on('error', () => undefined);
    });
    const port = await listen(server);
    return {
      base: `http://127.0.0.1:${port}`,
      accepted: () => accepted,
      close: async () => {
        for (const s of sockets) s.destroy();
        await new Promise((r) => server.close(r));
      },
    };
  }

  it('after one timeout, later requests to that endpoint fail at once with the same cause and say so', async () => {
    const hole = await blackHole();
    try {
      const { c, log } = client();
      const first = await c.request({ method: 'GET', url: `${hole.base}/`, timeoutMs: 300 }).then(unexpected, (e: unknown) => e as Error);
      expect(first.name).toBe('TimeoutError');
      const later = await Promise.all(
        ['/health', '/api', '/?x=1'].map((path) => c.request({ method: 'GET', url: `${hole.base}${path}`, timeoutMs: 300 }).then(unexpected, (e: unknown) => e as Error)),
      );
      for (const e of later) {
        expect(e.name).toBe('TimeoutError');
        expect(e.message).toMatch(/not retried: 127\.0\.0\.1:\d+ timed out earlier in this run, log #1/);
      }
      // one connection reached the server: the other three were never sent
      expect(hole.accepted()).toBe(1);
      const entries = log.entries();
      expect(entries.map((e) => e.result)).toEqual(['timeout', 'timeout', 'timeout', 'timeout']);
      expect(entries.slice(1).every((e) => /^not retried: .* timed out earlier in this run, log #1$/.test(e.output))).toBe(true);
      expect(entries.slice(1).every((e) => e.durationMs === 0)).toBe(true);
    } finally {
      await hole.close();
    }
  });

  it('an endpoint that has answered stays alive: one slow request does not condemn the next', async () => {
    const { c, log } = client();
    expect((await c.request({ method: 'GET', url: `${httpBase}/health` })).status).toBe(200);
    const slow = await c.request({ method: 'GET', url: `${httpBase}/slow`, timeoutMs: 300 }).then(unexpected, (e: unknown) => e as Error);
    expect(slow.name).toBe('TimeoutError');
    expect((await c.request({ method: 'GET', url: `${httpBase}/health` })).status).toBe(200);
    expect(log.entries().map((e) => e.result)).toEqual(['200', 'timeout', '200']);
  });

  it('another endpoint (another port) is not affected, and each client (run) starts afresh', async () => {
    const hole = await blackHole();
    try {
      const { c } = client();
      await c.request({ method: 'GET', url: `${hole.base}/`, timeoutMs: 300 }).catch(() => undefined);
      expect((await c.request({ method: 'GET', url: `${httpBase}/health` })).status).toBe(200);
      const { c: next } = client();
      await next.request({ method: 'GET', url: `${hole.base}/`, timeoutMs: 300 }).catch(() => undefined);
      expect(hole.accepted()).toBe(2);
    } finally {
      await hole.close();
    }
  });
});

describe('a body cut at its size cap', () => {
  it('never ends with the first characters of a registered secret, in the log or in what the probe gets', async () => {
    const full = `{"data":"ordinary","blob":"${Buffer.from('prefix:' + CAP_SECRET + ':suffix').toString('base64')}","raw":"${CAP_SECRET}"}`;
    // the base64 characters that carry the secret's bits alone ('prefix:' is 7 bytes before it)
    const blob = Buffer.from('prefix:' + CAP_SECRET + ':suffix').toString('base64');
    const core = blob.slice(Math.ceil((8 * 7) / 6), Math.floor((8 * (7 + Buffer.byteLength(CAP_SECRET))) / 6));
    let checked = 0;
    for (let cap = 20; cap < full.length; cap += 1) {
      const { c, log, redactor } = client({ maxBodyBytes: cap });
      redactor.addSecret(CAP_SECRET);
      const res = await c.request({ method: 'GET', url: `${httpBase}/secret-body` });
      const logged = log.entries()[0]?.output ?? '';
      for (const text of [res.body, logged]) {
        for (let k = 3; k < CAP_SECRET.length; k++) expect(text.endsWith(CAP_SECRET.slice(0, k)), `cap ${cap}: ${text}`).toBe(false);
        for (let k = 4; k < core.length; k++) expect(text.endsWith(core.slice(0, k)), `cap ${cap}: ${text}`).toBe(false);
      }
      expect(logged).not.toContain(CAP_SECRET);
      expect(logged.startsWith(`[body cut at ${cap} bytes]`)).toBe(true);
      checked++;
    }
    expect(checked).toBeGreaterThan(50);
  });
});
