/**
 * Fault injection over HTTP (issue 11, item 4): TLS servers on 127.0.0.1 that stall mid-body,
 * reset the connection, send 10 MB of headers, or send a chunked body that never ends; a
 * black hole that accepts and never answers (11.8: one timeout per endpoint); and a DNS
 * failure (a name under `.invalid`, RFC 6761 — the tests' DNS guard answers it as a resolver
 * would, nothing is sent). The whole CLI runs in-process against each, through `domain.connectTo`;
 * each ends as a value in the report that carries the cause, within its timeout.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net, { type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { PathTarget } from '../servers/path-target.js';
import { testCa } from '../servers/test-ca.js';

type Behaviour = (sock: tls.TLSSocket) => void;

const servers: net.Server[] = [];
const sockets = new Set<Socket>();
const temps: string[] = [];
afterEach(async () => {
  for (const s of sockets) s.destroy();
  sockets.clear();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

/** A TLS server on 127.0.0.1 that does `behaviour` once a request has arrived; counts connections. */
async function faultServer(behaviour: Behaviour): Promise<{ address: string; connections: () => number }> {
  const { cert, key } = testCa();
  let connections = 0;
  const server = tls.createServer({ cert, key }, (sock) => {
    connections += 1;
    sockets.add(sock);
    sock.on('error', () => undefined);
    sock.once('data', () => behaviour(sock));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { address: `127.0.0.1:${(server.address() as AddressInfo).port}`, connections: () => connections };
}

/** A TCP server that answers the first bytes (the TLS ClientHello) with a reset (RST). */
async function resettingServer(): Promise<{ address: string }> {
  const server = net.createServer((sock) => {
    sockets.add(sock);
    sock.on('error', () => undefined);
    sock.once('data', () => sock.resetAndDestroy());
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { address: `127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const BEHAVIOURS: Record<string, Behaviour> = {
  'stalls mid-body': (sock) => sock.write('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\nthe first ten'),
  'sends 10 MB of headers': (sock) => {
    sock.write('HTTP/1.1 200 OK\r\n');
    const line = `X-Filler: ${'a'.repeat(1000)}\r\n`;
    let sent = 0;
    const pump = () => {
      while (sent < 10 * 1024 * 1024 && !sock.destroyed) {
        sent += line.length;
        if (!sock.write(line)) return;
      }
    };
    sock.on('drain', pump);
    pump();
  },
  'sends a chunked body that never ends': (sock) => {
    sock.write('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n');
    const chunk = `4000\r\n${'x'.repeat(0x4000)}\r\n`;
    const pump = () => {
      while (!sock.destroyed) if (!sock.write(chunk)) return;
    };
    sock.on('drain', pump);
    pump();
  },
  'accepts and never answers': () => undefined,
};

/** A root with a predeploy.yaml for `domain` (and its connectTo); the run's report and log. */
async function assessDomain(domain: string, connectTo: string | undefined, path?: string) {
  const root = mkdtempSync(join(tmpdir(), 'predeploy-http-faults-'));
  temps.push(root);
  // plain HTTP goes to a port where nothing listens: refused at once, it is not under test here
  const via = connectTo !== undefined ? `, connectTo: "${connectTo}", connectToHttp: "127.0.0.1:1"` : '';
  writeFileSync(join(root, 'predeploy.yaml'), `profile: order-processing\ndomain: { prod: ${domain}${via} }\n`);
  const r = await cli(['assess', '--quiet', '--only', 'monitoring.health-endpoint,security.nginx-headers', '--root', root, '--run-id', 'h', '--timeout', '3s'], {
    ...(path !== undefined ? { target: new PathTarget(path) } : {}),
  });
  const dir = join(root, '_codex_predeploy', 'h');
  const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as { results: { id: string; status: string; summary: string }[] };
  const health = report.results.find((x) => x.id === 'monitoring.health-endpoint');
  return { code: r.code, health, log: readFileSync(join(dir, '13_PRODUCTION_DEPLOY_COMMANDS.log'), 'utf8') };
}

describe('HTTP servers that misbehave: each a value in the report with its cause', () => {
  it.each([
    ['stalls mid-body', /timed out after \d+ ms/],
    ['resets the connection', /ECONNRESET|socket hang up/],
    ['sends 10 MB of headers', /Header overflow|HPE_HEADER_OVERFLOW/i],
  ])('a server that %s → the health check says so', async (name, cause) => {
    const server = name === 'resets the connection' ? await resettingServer() : await faultServer(BEHAVIOURS[name] as Behaviour);
    const r = await assessDomain('orders.example.test', server.address);
    expect(r.code).toBe(0);
    expect(['fail', 'unknown']).toContain(r.health?.status);
    expect(r.health?.summary).toMatch(cause);
    expect(r.log).toMatch(/GET https:\/\/orders\.example\.test\/health \(connect 127\.0\.0\.1:\d+\) → (timeout|error)/);
  });

  it('a chunked body that never ends: read up to the 1 MiB cap, then the connection is dropped; the status is judged, the cut is logged', async () => {
    const server = await faultServer(BEHAVIOURS['sends a chunked body that never ends'] as Behaviour);
    const r = await assessDomain('orders.example.test', server.address);
    expect(r.code).toBe(0);
    expect(r.health?.status).toBe('pass');
    expect(r.log).toMatch(/GET https:\/\/orders\.example\.test\/health \(connect 127\.0\.0\.1:\d+\) → 200 .*\n {2}\[body cut at 1048576 bytes\]/);
  });

  it('a black hole (accepts, never answers): one timeout for the endpoint; later requests are not sent and say why', async () => {
    const server = await faultServer(BEHAVIOURS['accepts and never answers'] as Behaviour);
    const r = await assessDomain('orders.example.test', server.address);
    expect(r.health?.summary).toMatch(/timed out after \d+ ms \(not retried: orders\.example\.test timed out earlier in this run, log #\d+\)/);
    expect(r.log).toMatch(/→ timeout \(0 ms\)[^\n]*\n {2}not retried: orders\.example\.test timed out earlier in this run, log #\d+/);
    // two HTTPS requests to the endpoint (/ and /health); one connection reached it, plus
    // openssl s_client's own handshake
    expect(server.connections()).toBeLessThanOrEqual(2);
  });
});

describe('DNS failure', () => {
  it('a name under .invalid does not resolve: the health check names the lookup failure; nothing is sent', async () => {
    // openssl s_client resolves names itself (a child process, outside the tests' DNS guard):
    // a stand-in answers as the real one does for a name that does not resolve.
    const bin = mkdtempSync(join(tmpdir(), 'predeploy-dns-bin-'));
    temps.push(bin);
    writeFileSync(join(bin, 'openssl'), '#!/bin/sh\necho "BIO_lookup_ex:system lib:crypto/bio/bio_addr.c:738:Name or service not known" >&2\necho "connect:errno=0" >&2\nexit 1\n');
    chmodSync(join(bin, 'openssl'), 0o755);
    const r = await assessDomain('orders.invalid', undefined, `${bin}:${process.env.PATH ?? ''}`);
    expect(r.code).toBe(0);
    expect(['fail', 'unknown']).toContain(r.health?.status);
    expect(r.health?.summary).toMatch(/getaddrinfo ENOTFOUND orders\.invalid/);
  });
});
