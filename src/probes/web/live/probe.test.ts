import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ORDER_PROCESSING_PROFILE } from '../../../config/profile.js';
import type { Config } from '../../../config/schema.js';
import type { HttpRequest, HttpResponse } from '../../../engine/types.js';
import { fakeContext, type CannedExec } from '../../../../test/helpers/fake-context.js';
import { parseSClient } from './parse.js';
import { collectLive, httpAddress, liveProbe } from './probe.js';

const fixture = (file: string): string => readFileSync(new URL(`../../../../test/fixtures/nginx/s_client/${file}`, import.meta.url), 'utf8');
const D = 'processing.pippaoflondon.co.uk';
const SCLIENT = `openssl s_client -connect 127.0.0.1:8443 -servername ${D} -showcerts`;

function config(domain: Partial<Config['domain']>): Config {
  return { ...ORDER_PROCESSING_PROFILE, domain: { ...ORDER_PROCESSING_PROFILE.domain, ...domain } };
}

/** A fake context whose HTTP answers from a table keyed by URL (an Error value is thrown). */
function liveContext(opts: { config: Config; http: Record<string, Omit<HttpResponse, 'seq' | 'durationMs'> | Error>; exec?: Record<string, CannedExec>; files?: Record<string, string> }) {
  const ctx = fakeContext({ config: opts.config, ...(opts.exec ? { exec: opts.exec } : {}), ...(opts.files ? { files: opts.files } : {}) });
  const requests: HttpRequest[] = [];
  ctx.http = async (req) => {
    requests.push(req);
    const a = opts.http[req.url];
    if (a === undefined) throw new Error(`connect ECONNREFUSED ${req.connectTo ?? req.url}`);
    if (a instanceof Error) throw a;
    return { ...a, seq: requests.length, durationMs: 1 };
  };
  return { ctx, requests };
}

describe('parseSClient (captured openssl s_client -showcerts against real nginx)', () => {
  it('leaf-and-ca.txt: two certificates, linked, verify 19 (the test CA is not in the system store)', () => {
    const r = parseSClient({ stdout: fixture('leaf-and-ca.txt'), address: '127.0.0.1:18443', domain: D, seq: 4 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({ address: '127.0.0.1:18443', hostnameMatch: true, chainLinked: true, verifyCode: 19, verifyMessage: 'self-signed certificate in certificate chain', protocol: 'TLSv1.2', seq: 4 });
    expect(r.value.chain.map((c) => [c.subject, c.issuer, c.selfSigned])).toEqual([
      [`CN=${D}`, 'CN=Predeploy Test CA', false],
      ['CN=Predeploy Test CA', 'CN=Predeploy Test CA', true],
    ]);
    expect(r.value.chain[0]?.subjectAltNames).toEqual([`DNS:${D}`]);
    expect(r.value.trustedByConfiguredCa).toBeUndefined();
  });

  it('with domain.caFile: the chain ends at a configured CA', () => {
    const r = parseSClient({ stdout: fixture('leaf-and-ca.txt'), address: 'a:1', domain: D, seq: 1, extraCa: fixture('test-ca.pem') });
    expect(r.ok && r.value.trustedByConfiguredCa).toBe(true);
    const other = parseSClient({ stdout: fixture('leaf-and-ca.txt'), address: 'a:1', domain: D, seq: 1, extraCa: '' });
    expect(other.ok && other.value.trustedByConfiguredCa).toBe(false);
  });

  it('leaf-only.txt: verify 21 (unable to verify the first certificate)', () => {
    const r = parseSClient({ stdout: fixture('leaf-only.txt'), address: 'a:1', domain: D, seq: 1 });
    expect(r.ok && [r.value.chain.length, r.value.verifyCode]).toEqual([1, 21]);
  });

  it('wrong-host.txt: the certificate does not name the domain', () => {
    const r = parseSClient({ stdout: fixture('wrong-host.txt'), address: 'a:1', domain: D, seq: 1 });
    expect(r.ok && r.value.hostnameMatch).toBe(false);
    expect(r.ok && r.value.chain[0]?.subjectAltNames).toEqual(['DNS:other.example.test']);
  });

  it('no certificate in the output fails', () => {
    expect(parseSClient({ stdout: fixture('refused.txt'), address: 'a:1', domain: D, seq: 1 })).toMatchObject({ ok: false, reason: 'failed' });
  });
});

describe('web.live probe', () => {
  const cfg = config({ connectTo: '127.0.0.1:8443', connectToHttp: '127.0.0.1:8080', caFile: '/srv/ca.pem' });
  const headers = { 'Strict-Transport-Security': 'max-age=63072000', server: 'nginx' };

  it('reads headers, the redirect, the health status and the certificate through connectTo', async () => {
    const { ctx, requests } = liveContext({
      config: cfg,
      http: {
        [`https://${D}/`]: { status: 200, headers, body: 'ok' },
        [`http://${D}/`]: { status: 301, headers: { location: `https://${D}/` }, body: '' },
        [`https://${D}/health`]: { status: 200, headers: {}, body: 'ok' },
      },
      exec: { [SCLIENT]: { stdout: fixture('leaf-and-ca.txt') } },
      files: { '/srv/ca.pem': fixture('test-ca.pem') },
    });
    const r = await collectLive(ctx);
    expect(requests.map((q) => [q.method, q.url, q.connectTo, q.tls?.insecure])).toEqual([
      ['GET', `https://${D}/`, '127.0.0.1:8443', true],
      ['GET', `http://${D}/`, '127.0.0.1:8080', undefined],
      ['GET', `https://${D}/health`, '127.0.0.1:8443', true],
    ]);
    expect(ctx.calls).toEqual([['openssl', 's_client', '-connect', '127.0.0.1:8443', '-servername', D, '-showcerts']]);
    expect(ctx.sudoCalls).toEqual([false]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.domain).toEqual({ name: D, source: 'dev' });
    expect(r.value.https).toMatchObject({ ok: true, value: { status: 200, headers: { 'strict-transport-security': 'max-age=63072000', server: 'nginx' } } });
    expect(r.value.http).toMatchObject({ ok: true, value: { status: 301, headers: { location: `https://${D}/` } } });
    expect(r.value.health).toMatchObject({ ok: true, value: { status: 200, path: '/health' } });
    expect(r.value.tls).toMatchObject({ ok: true, value: { verifyCode: 19, trustedByConfiguredCa: true } });
  });

  it('each part fails on its own: a closed port 80 leaves the rest', async () => {
    const { ctx } = liveContext({ config: cfg, http: { [`https://${D}/`]: { status: 200, headers: {}, body: '' } }, exec: { [SCLIENT]: { stdout: fixture('leaf-and-ca.txt') } } });
    const r = await collectLive(ctx);
    expect(r.ok && r.value.http).toEqual({ ok: false, error: `GET http://${D}/ (connect 127.0.0.1:8080): connect ECONNREFUSED 127.0.0.1:8080`, endpoint: `http://${D}/` });
    expect(r.ok && r.value.tls).toMatchObject({ ok: true, value: { trustedByConfiguredCa: false, configuredCaError: 'domain.caFile /srv/ca.pem does not exist' } });
  });

  it('nothing answers → failed, with both reasons', async () => {
    const { ctx } = liveContext({ config: cfg, http: {}, exec: { [SCLIENT]: { exitCode: 1, stdout: fixture('refused.txt'), stderr: fixture('refused.stderr.txt') } } });
    const r = await liveProbe.collect(ctx);
    expect(r).toMatchObject({ ok: false, reason: 'failed' });
    expect(!r.ok && r.detail).toContain('connect ECONNREFUSED 127.0.0.1:8443');
    expect(!r.ok && r.detail).toContain('Connection refused');
    expect(!r.ok && r.cause).toEqual({ kind: 'unreachable', endpoint: '127.0.0.1:8443' });
  });

  it('openssl missing is not the endpoint\'s fault: no endpoint on the TLS part', async () => {
    const { ctx } = liveContext({ config: cfg, http: { [`https://${D}/`]: { status: 200, headers: {}, body: '' } } });
    const r = await collectLive(ctx);
    expect(r.ok && r.value.tls).toEqual({ ok: false, error: expect.stringContaining('openssl') });
  });

  it('without connectTo, DNS is used (no connectTo, s_client to <domain>:443)', async () => {
    const { ctx, requests } = liveContext({ config: ORDER_PROCESSING_PROFILE, http: { [`https://${D}/`]: { status: 200, headers: {}, body: '' } } });
    await collectLive(ctx);
    expect(requests.every((q) => q.connectTo === undefined)).toBe(true);
    expect(ctx.calls[0]).toEqual(['openssl', 's_client', '-connect', `${D}:443`, '-servername', D, '-showcerts']);
  });

  it('is a network probe (skipped with --offline)', () => {
    expect(liveProbe.network).toBe(true);
  });

  it('httpAddress: connectToHttp, else connectTo\'s host on port 80', () => {
    expect(httpAddress('127.0.0.1:8443', undefined)).toBe('127.0.0.1:80');
    expect(httpAddress('[::1]:8443', undefined)).toBe('[::1]:80');
    expect(httpAddress('127.0.0.1:8443', '127.0.0.1:8080')).toBe('127.0.0.1:8080');
    expect(httpAddress(undefined, undefined)).toBeUndefined();
  });
});
