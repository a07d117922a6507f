import { describe, expect, it } from 'vitest';
import { ORDER_PROCESSING_PROFILE } from '../../../config/profile.js';
import { evaluateCheck, outcomesOf } from '../../../engine/evaluate.js';
import type { ProbeResult } from '../../../engine/types.js';
import type { NginxConfig, WebLive } from '../../../facts/web.js';
import { DOMAIN, expectTbdDomainSaidOnce, GOOD_HEADERS, liveFacts, nginxFacts, onProdDomain, response } from '../../../../test/fixtures/nginx/facts.js';
import { check } from './check.js';
import { hstsMaxAge, judge, REQUIREMENTS } from './headers.js';

const now = new Date('2026-11-26T00:00:00Z');
const run = (nginx?: ProbeResult<NginxConfig>, live?: ProbeResult<WebLive>) =>
  evaluateCheck(check, outcomesOf({ ...(nginx ? { 'host.nginx': nginx } : {}), ...(live ? { 'web.live': live } : {}) }), { config: ORDER_PROCESSING_PROFILE, now });
const texts = (r: ReturnType<typeof run>) => r.evidence.map((e) => e.text);
const ok = (value: WebLive): ProbeResult<WebLive> => ({ ok: true, value });

describe('security.nginx-headers', () => {
  it.each([
    ['vm-hardened.txt', 'pass', 'Strict-Transport-Security: max-age=63072000; includeSubDomains (/etc/nginx/snippets/security-headers.conf:3)'],
  ] as const)('%s with the live responses agreeing → %s', (dump, status, line) => {
    const r = run(nginxFacts(dump), ok(liveFacts({ root: response(`https://${DOMAIN}/`, 200, GOOD_HEADERS), health: response(`https://${DOMAIN}/health`, 200, GOOD_HEADERS) })));
    expect(r.status).toBe(status);
    expect(texts(r)).toContain(line);
  });

  it('static only (offline): the configuration passes, but what is sent is unverified → unknown, never pass', () => {
    const r = run(nginxFacts('vm-hardened.txt'), { ok: false, reason: 'disabled', detail: 'network probes are off (--offline)', cause: { kind: 'offline' } });
    expect(r.status).toBe('unknown');
    expect(r.unverified.map((u) => u.cause)).toEqual([{ kind: 'offline' }]);
    expect(r.summary).toMatch(/^all \d+ HTTPS location\(s\) send the security headers; server_tokens off; but not verified: probe web.live disabled/);
  });

  it.each([
    [
      'vm-misconfigured.txt',
      'fail',
      '/etc/nginx/sites-enabled/workflow:14 location /api/ add_header X-Frame-Options DENY — drops server-level Strict-Transport-Security, X-Content-Type-Options, Referrer-Policy, Content-Security-Policy',
    ],
  ] as const)('%s (static only) → %s', (dump, status, line) => {
    const r = run(nginxFacts(dump));
    expect(r.status).toBe(status);
    expect(texts(r)).toContain(line);
  });

  it('vm-misconfigured.txt: the short HSTS max-age and server_tokens are quoted with file:line', () => {
    const r = run(nginxFacts('vm-misconfigured.txt'));
    expect(texts(r)).toEqual(
      expect.arrayContaining([
        'Strict-Transport-Security: max-age=3600 (< 15768000) — /etc/nginx/sites-enabled/workflow:8 (in force in location /api/messages, location /)',
        'location /api/ (/etc/nginx/sites-enabled/workflow:13) lacks Strict-Transport-Security, X-Content-Type-Options, Referrer-Policy, Content-Security-Policy',
        'server_tokens not set for the server at /etc/nginx/sites-enabled/workflow:5 (default on: nginx sends its version)',
      ]),
    );
    expect(r.summary).toContain('location /api/ lacks Strict-Transport-Security');
  });

  it('missing HSTS only → fail naming the header and the locations', () => {
    const r = run(
      nginxFacts(`http { server { listen 443 ssl; server_name ${DOMAIN}; server_tokens off;
        add_header X-Content-Type-Options nosniff always; add_header X-Frame-Options DENY always;
        add_header Referrer-Policy no-referrer always; add_header Content-Security-Policy "default-src 'self'" always;
        location / { } } }`),
    );
    expect(r.status).toBe('fail');
    expect(r.summary).toBe('location / lacks Strict-Transport-Security');
  });

  it('only CSP and Referrer-Policy missing → warn', () => {
    const sent = { Server: 'nginx', 'Strict-Transport-Security': 'max-age=31536000', 'X-Content-Type-Options': 'nosniff', 'X-Frame-Options': 'SAMEORIGIN' };
    const r = run(
      nginxFacts(`http { server { listen 443 ssl; server_name ${DOMAIN}; server_tokens off;
        add_header Strict-Transport-Security "max-age=31536000" always; add_header X-Content-Type-Options nosniff always; add_header X-Frame-Options SAMEORIGIN always;
        location / { } } }`),
      ok(liveFacts({ root: response(`https://${DOMAIN}/`, 200, sent) })),
    );
    expect(r.status).toBe('warn');
    expect(r.summary).toBe('location / lacks Referrer-Policy, Content-Security-Policy');
  });

  it('config and live disagree: the configuration has HSTS, the live response lacks it → the live response wins', () => {
    const headers: Record<string, string> = { ...GOOD_HEADERS };
    delete headers['Strict-Transport-Security'];
    const r = run(nginxFacts('vm-hardened.txt'), ok(liveFacts({ root: response(`https://${DOMAIN}/`, 200, headers, 3), health: response(`https://${DOMAIN}/health`, 200, GOOD_HEADERS, 5) })));
    expect(r.status).toBe('fail');
    expect(texts(r)).toContain(
      `location /: the configuration sets Strict-Transport-Security: max-age=63072000; includeSubDomains (/etc/nginx/snippets/security-headers.conf:3) but the live response from https://${DOMAIN}/ (status 200) has Strict-Transport-Security missing — the live response wins`,
    );
    expect(r.evidence.find((e) => e.text.startsWith('location / (') )?.refs).toEqual([3]);
  });

  it('a 502 from the upstream without "always": the live response explains why the header is missing', () => {
    const nginx = nginxFacts(`http { server { listen 443 ssl; server_name ${DOMAIN}; server_tokens off;
      add_header Strict-Transport-Security "max-age=63072000"; add_header X-Content-Type-Options nosniff; add_header X-Frame-Options DENY;
      add_header Referrer-Policy no-referrer; add_header Content-Security-Policy "default-src 'none'";
      location / { } } }`);
    const r = run(nginx, ok(liveFacts({ root: response(`https://${DOMAIN}/`, 502, { Server: 'nginx' }) })));
    expect(r.status).toBe('fail');
    expect(texts(r).join('\n')).toContain('without "always" nginx does not add it to a 502 response');
  });

  it('headers the application sets (not nginx) count when the live response shows them', () => {
    const nginx = nginxFacts(`http { server { listen 443 ssl; server_name ${DOMAIN}; server_tokens off; location = /health { } location / { } } }`);
    const r = run(nginx, ok(liveFacts({ root: response(`https://${DOMAIN}/`, 200, GOOD_HEADERS), health: response(`https://${DOMAIN}/health`, 200, GOOD_HEADERS) })));
    expect(r.status).toBe('pass');
    expect(texts(r)).toContain(`location /: Strict-Transport-Security: max-age=63072000; includeSubDomains is sent by the application behind nginx (not set in the nginx configuration; live https://${DOMAIN}/)`);
  });

  it('the live Server header shows a version even though the configuration says off → warn', () => {
    const r = run(nginxFacts('vm-hardened.txt'), ok(liveFacts({ root: response(`https://${DOMAIN}/`, 200, { ...GOOD_HEADERS, Server: 'nginx/1.22.1' }) })));
    expect(r.status).toBe('warn');
    expect(texts(r)).toContain(`Server: nginx/1.22.1 in the live response from https://${DOMAIN}/ (server_tokens is not off)`);
  });

  it('nginx -T refused, HTTPS failed, plain HTTP answered: unknown with both causes, never "all 0 locations"', () => {
    const refused = { ok: false as const, reason: 'permission' as const, detail: 'nginx (exit 1): sudo: a password is required', cause: { kind: 'sudo-password' as const } };
    const live = ok({ ...liveFacts({ http: response(`http://${DOMAIN}/`, 301, { Location: `https://${DOMAIN}/` }) }), https: { ok: false, error: `GET https://${DOMAIN}/: connect ECONNREFUSED`, endpoint: `https://${DOMAIN}/` } });
    const r = run(refused, live);
    expect(r.status).toBe('unknown');
    expect(r.summary).not.toMatch(/all 0/);
    expect(r.unverified.map((u) => u.cause)).toEqual([{ kind: 'sudo-password' }, { kind: 'unreachable', endpoint: `https://${DOMAIN}/` }]);
  });

  it('nginx -T not readable: judged from the live responses, saying so — unknown, the other locations unseen', () => {
    const r = run({ ok: false, reason: 'permission', detail: 'nginx (exit 1): [emerg] open() "/run/nginx.pid" failed (13: Permission denied)' }, ok(liveFacts({ root: response(`https://${DOMAIN}/`, 200, GOOD_HEADERS) })));
    expect(r.status).toBe('unknown');
    expect(r.unverified.map((u) => u.probe)).toEqual(['host.nginx']);
    expect(texts(r)).toContain('probe host.nginx permission denied: nginx (exit 1): [emerg] open() "/run/nginx.pid" failed (13: Permission denied): judged from the live responses only');
  });

  it('no HTTPS server for the domain and no live answer → fail', () => {
    const r = run(nginxFacts(`http { server { listen 80; server_name ${DOMAIN}; } }`));
    expect(r.status).toBe('fail');
    expect(r.summary).toBe(`no nginx server block serves ${DOMAIN} over HTTPS`);
  });

  it('both probes failed → unknown with both reasons', () => {
    const r = run({ ok: false, reason: 'not-installed', detail: 'nginx not found (install the Debian/Ubuntu package nginx)' }, { ok: false, reason: 'disabled', detail: 'network probes are off (--offline)' });
    expect(r.status).toBe('unknown');
    expect(r.summary).toBe('could not verify: probe host.nginx not installed: nginx not found (install the Debian/Ubuntu package nginx); probe web.live disabled: network probes are off (--offline)');
  });
});

describe('header requirements', () => {
  const get = (id: string) => REQUIREMENTS.find((r) => r.id === id) ?? REQUIREMENTS[0]!;
  it.each([
    ['hsts', { 'strict-transport-security': 'max-age=15768000' }, true],
    ['hsts', { 'strict-transport-security': '"max-age=3600"; includeSubDomains' }, false],
    ['hsts', { 'strict-transport-security': 'includeSubDomains' }, false],
    ['nosniff', { 'x-content-type-options': 'NoSniff' }, true],
    ['frame', { 'content-security-policy': "default-src 'self'; frame-ancestors 'none'" }, true],
    ['frame', { 'x-frame-options': 'ALLOW-FROM https://a.example' }, false],
    ['referrer', { 'referrer-policy': 'unsafe-url' }, false],
    ['csp', {}, false],
  ] as const)('%s %j → %s', (id, headers, expected) => {
    expect(judge(get(id), new Map(Object.entries(headers))).ok).toBe(expected);
  });
  it('hstsMaxAge reads quoted and spaced values', () => {
    expect(hstsMaxAge('max-age = "63072000" ; preload')).toBe(63072000);
  });

  it.each(['vm-hardened.txt', 'vm-misconfigured.txt'])('domain.prod TBD: judged on the current domain, said once, status unchanged (%s)', (dump) => {
    const live = ok(liveFacts({ root: response(`https://${DOMAIN}/`, 200, GOOD_HEADERS), health: response(`https://${DOMAIN}/health`, 200, GOOD_HEADERS) }));
    expectTbdDomainSaidOnce(run(nginxFacts(dump), live), run(onProdDomain(nginxFacts(dump)), onProdDomain(live)));
  });
});
