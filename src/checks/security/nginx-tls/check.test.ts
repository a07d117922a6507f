import { describe, expect, it } from 'vitest';
import { ORDER_PROCESSING_PROFILE } from '../../../config/profile.js';
import { evaluateCheck, outcomesOf } from '../../../engine/evaluate.js';
import type { ProbeResult } from '../../../engine/types.js';
import type { NginxConfig, WebLive } from '../../../facts/web.js';
import { DOMAIN, expectTbdDomainSaidOnce, liveFacts, liveTls, nginxFacts, onProdDomain, response } from '../../../../test/fixtures/nginx/facts.js';
import { check, weakCipherWords } from './check.js';

const now = new Date('2026-11-26T00:00:00Z');
const run = (nginx?: ProbeResult<NginxConfig>, live?: ProbeResult<WebLive>) =>
  evaluateCheck(check, outcomesOf({ ...(nginx ? { 'host.nginx': nginx } : {}), ...(live ? { 'web.live': live } : {}) }), { config: ORDER_PROCESSING_PROFILE, now });
const texts = (r: ReturnType<typeof run>) => r.evidence.map((e) => e.text);
const ok = (value: WebLive): ProbeResult<WebLive> => ({ ok: true, value });
const site = (tls: string, http = `server { listen 80; server_name ${DOMAIN}; return 301 https://$host$request_uri; }`) =>
  nginxFacts(`http { ${http} server { listen 443 ssl; server_name ${DOMAIN}; ${tls} location / { } } }`);

/** The live plain-HTTP answer redirects to HTTPS (what a healthy site answers). */
const REDIRECTS = ok(liveFacts({ http: response(`http://${DOMAIN}/`, 301, { Location: `https://${DOMAIN}/` }, 4) }));

describe('security.nginx-tls', () => {
  it.each([
    ['vm-hardened.txt', 'pass', '/etc/letsencrypt/options-ssl-nginx.conf:11 ssl_protocols TLSv1.2 TLSv1.3'],
    ['vm-misconfigured.txt', 'fail', '/etc/nginx/nginx.conf:33 ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3 (in force for the server at /etc/nginx/sites-enabled/workflow:5 (port 443))'],
  ] as const)('%s → %s', (dump, status, line) => {
    const r = run(nginxFacts(dump), REDIRECTS);
    expect(r.status).toBe(status);
    expect(texts(r)).toContain(line);
  });

  it("vm-misconfigured.txt: certbot's `if ($host = …)` redirect counts", () => {
    const r = run(nginxFacts('vm-misconfigured.txt'));
    expect(texts(r)).toContain('/etc/nginx/sites-enabled/workflow:35 return 301 https://$host$request_uri (if $host = processing.pippaoflondon.co.uk) (port 80)');
    expect(r.summary).toBe('TLSv1 TLSv1.1 enabled (ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3)');
  });

  it('ssl_protocols TLSv1 TLSv1.1 TLSv1.2 set in the server → fail quoting it', () => {
    const r = run(site('ssl_protocols TLSv1 TLSv1.1 TLSv1.2;'));
    expect(r.status).toBe('fail');
    expect(texts(r).some((t) => t.endsWith(' ssl_protocols TLSv1 TLSv1.1 TLSv1.2 (in force for the server at /etc/nginx/nginx.conf:1 (port 443))'))).toBe(true);
  });

  it('ssl_protocols not set anywhere → warn (the default depends on the OpenSSL policy)', () => {
    const r = run(site(''), REDIRECTS);
    expect(r.status).toBe('warn');
    expect(r.summary).toBe('ssl_protocols not set (default includes TLSv1/TLSv1.1)');
  });

  it('weak ciphers enabled → fail; excluded ones are fine', () => {
    const r = run(site('ssl_protocols TLSv1.2; ssl_ciphers "HIGH:RC4-SHA:DES-CBC3-SHA:!aNULL:!MD5";'));
    expect(r.status).toBe('fail');
    expect(r.summary).toBe('weak ciphers enabled: RC4-SHA, DES-CBC3-SHA');
    expect(weakCipherWords('HIGH:!aNULL:!MD5:!RC4')).toEqual([]);
    expect(weakCipherWords('ALL:!EXPORT')).toEqual(['ALL']);
  });

  it('no redirect on port 80 → fail quoting what answers instead', () => {
    const r = run(site('ssl_protocols TLSv1.2 TLSv1.3;', `server { listen 80; server_name ${DOMAIN}; location / { return 200 "hello"; } }`));
    expect(r.status).toBe('fail');
    expect(texts(r)).toContain('/etc/nginx/nginx.conf:1 return 200 hello: the plain-HTTP server (port 80) for processing.pippaoflondon.co.uk answers / without a redirect');
  });

  it('config redirects but the live answer is 200: the live answer wins', () => {
    const r = run(nginxFacts('vm-hardened.txt'), ok(liveFacts({ http: response(`http://${DOMAIN}/`, 200, {}, 4), tls: liveTls({ notAfter: '2027-02-01T00:00:00Z' }) })));
    expect(r.status).toBe('fail');
    expect(texts(r)).toContain(`live: GET http://${DOMAIN}/ → 200 without a redirect (the configuration has a redirect, but the live answer wins)`);
    expect(texts(r)).toContain('live handshake: TLSv1.3 TLS_AES_256_GCM_SHA384');
  });

  it('live 301 to https → pass with the Location quoted', () => {
    const r = run(nginxFacts('vm-hardened.txt'), ok(liveFacts({ http: response(`http://${DOMAIN}/`, 301, { Location: `https://${DOMAIN}/` }) })));
    expect(r.status).toBe('pass');
    expect(texts(r)).toContain(`live: GET http://${DOMAIN}/ → 301 Location: https://${DOMAIN}/`);
  });

  it('the domain is only served by a catch-all default server → warn', () => {
    const r = run(nginxFacts(`http { server { listen 443 ssl default_server; server_name _; ssl_protocols TLSv1.2; } server { listen 80; return 301 https://$host$request_uri; } }`), REDIRECTS);
    expect(r.status).toBe('warn');
    expect(r.summary).toContain('catch-all server on port 443');
  });

  it('offline: a good configuration is not a pass — the live redirect is unverified', () => {
    const r = run(nginxFacts('vm-hardened.txt'), { ok: false, reason: 'disabled', detail: 'network probes are off (--offline)', cause: { kind: 'offline' } });
    expect(r.status).toBe('unknown');
    expect(r.unverified.map((u) => u.cause)).toEqual([{ kind: 'offline' }]);
  });

  it('plain HTTP unreachable while the configuration redirects: unknown naming the endpoint', () => {
    const live = ok({ ...liveFacts({}), http: { ok: false as const, error: `GET http://${DOMAIN}/: connect ECONNREFUSED`, endpoint: `http://${DOMAIN}/` } });
    const r = run(nginxFacts('vm-hardened.txt'), live);
    expect(r.status).toBe('unknown');
    expect(r.unverified.map((u) => u.cause)).toEqual([{ kind: 'unreachable', endpoint: `http://${DOMAIN}/` }]);
  });

  it('nginx -T failed, live redirect fine → unknown (protocols not verified)', () => {
    const r = run({ ok: false, reason: 'permission', detail: 'sudo: a password is required' }, ok(liveFacts({ http: response(`http://${DOMAIN}/`, 308, { Location: `https://${DOMAIN}/` }) })));
    expect(r.status).toBe('unknown');
    expect(r.summary).toBe('HTTP redirects to HTTPS, but protocols and ciphers not verified (probe host.nginx permission denied: sudo: a password is required)');
    expect(r.unverified.map((u) => u.probe)).toEqual(['host.nginx']);
  });

  it('both probes failed → unknown', () => {
    expect(run({ ok: false, reason: 'timeout', detail: 'nginx did not answer within 20000 ms' }).status).toBe('unknown');
  });

  it.each(['vm-hardened.txt', 'vm-misconfigured.txt'])('domain.prod TBD: judged on the current domain, said once, status unchanged (%s)', (dump) => {
    expectTbdDomainSaidOnce(run(nginxFacts(dump), REDIRECTS), run(onProdDomain(nginxFacts(dump)), onProdDomain(REDIRECTS)));
  });
});
