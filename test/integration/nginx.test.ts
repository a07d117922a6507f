/**
 * The nginx, live-HTTPS and certificate checks against the real nginx (Debian package nginx),
 * started on loopback with TLS certificates made by the real openssl, one configuration per
 * scenario (test/fixtures/nginx/scenarios). Each scenario asserts the verdict from the static
 * reading (`nginx -T -c <conf>`) and from the whole run with the live requests
 * (`GET https://…`, `GET http://…`, `openssl s_client`), through the real command policy and
 * HTTP client. Nothing is sent beyond 127.0.0.1. A missing tool fails with its Debian package.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { check as healthCheck } from '../../src/checks/monitoring/health-endpoint/check.js';
import { check as headersCheck } from '../../src/checks/security/nginx-headers/check.js';
import { check as tlsCheck } from '../../src/checks/security/nginx-tls/check.js';
import { check as rateCheck } from '../../src/checks/security/rate-limiting/check.js';
import { check as certCheck } from '../../src/checks/security/tls-certificate/check.js';
import { ORDER_PROCESSING_PROFILE } from '../../src/config/profile.js';
import { defineProbe } from '../../src/engine/define.js';
import { evaluateCheck } from '../../src/engine/evaluate.js';
import type { Check, Status } from '../../src/engine/types.js';
import type { FactId } from '../../src/facts/index.js';
import type { CertRenewal } from '../../src/facts/web.js';
import { collectCertbot } from '../../src/probes/host/certbot/probe.js';
import { certbotRenewalProbe } from '../../src/probes/host/certbot/renewal.js';
import { collectNginx } from '../../src/probes/host/nginx/probe.js';
import { liveProbe } from '../../src/probes/web/live/probe.js';
import { TIMER_RENEWAL } from '../fixtures/nginx/facts.js';
import { assess, DOMAIN, freePort, loopbackConfig, renderScenario, RunningNginx, tail, type Assessment } from '../fixtures/nginx/harness.js';
import { addLineageVersion, TestCa, type Leaf } from '../fixtures/nginx/pki.js';
import { requireTool } from '../helpers/real-context.js';

const CHECKS: readonly Check[] = [headersCheck, tlsCheck, rateCheck, certCheck, healthCheck];

let root = '';
let ca: TestCa;
/** certbot config dirs: `le` (80-day lineage, renewed once: archive holds an expired v1) and `le-soon` (3 days) */
const dirs = { le: '', leSoon: '' };
let running: RunningNginx | undefined;

beforeAll(async () => {
  await requireTool('nginx', 'nginx');
  await requireTool('openssl', 'openssl');
  await requireTool('certbot', 'certbot');
  root = await mkdtemp(join(tmpdir(), 'predeploy-nginx-'));
  ca = await TestCa.create(root);
  const expired: Leaf = await ca.leaf('leaf-expired', [DOMAIN], -120, -30);
  const current: Leaf = await ca.leaf('leaf-80d', [DOMAIN], -10, 80);
  const soon: Leaf = await ca.leaf('leaf-3d', [DOMAIN], -87, 3);
  dirs.le = join(root, 'letsencrypt');
  dirs.leSoon = join(root, 'letsencrypt-soon');
  await addLineageVersion(dirs.le, DOMAIN, 1, expired, ca);
  await addLineageVersion(dirs.le, DOMAIN, 2, current, ca);
  await addLineageVersion(dirs.leSoon, DOMAIN, 1, soon, ca);
});

afterEach(async () => {
  await running?.stop();
  running = undefined;
});

afterAll(async () => {
  await running?.stop();
  if (root !== '') await rm(root, { recursive: true, force: true });
});

interface Scenario {
  /** scenarios/<conf>.conf */
  conf: string;
  /** the certbot config dir nginx's certificate comes from */
  certs?: 'le' | 'leSoon';
  /** the real renewal probe (this container: no systemd, no cron daemon) instead of a systemd host's */
  realRenewal?: boolean;
}

interface Ran extends Assessment {
  /** verdicts from nginx -T alone (web.live left out) */
  staticStatus: (check: Check) => Status;
  status: (id: string) => Status | undefined;
  evidence: (id: string) => string[];
  error: string;
}

async function runScenario(s: Scenario): Promise<Ran> {
  const dir = await mkdtemp(join(root, `${s.conf}-`));
  const [httpPort, httpsPort] = [await freePort(), await freePort()];
  const configDir = dirs[s.certs ?? 'le'];
  const conf = await renderScenario(s.conf, dir, {
    httpPort,
    httpsPort,
    cert: join(configDir, 'live', DOMAIN, 'fullchain.pem'),
    key: join(configDir, 'live', DOMAIN, 'privkey.pem'),
  });
  running = await RunningNginx.start(conf, dir, [httpPort, httpsPort]);
  const config = loopbackConfig({ httpsPort, httpPort, caFile: ca.certPath });
  const work = join(dir, 'certbot-work');
  const probes = {
    'host.nginx': defineProbe({ id: 'host.nginx', describe: 'nginx -T -c <scenario>', collect: (ctx) => collectNginx(ctx, conf) }),
    'web.live': liveProbe,
    'host.certbot': defineProbe({ id: 'host.certbot', describe: 'certbot certificates --config-dir <fixture>', collect: (ctx) => collectCertbot(ctx, { configDir, workDir: work, logsDir: join(dir, 'certbot-logs') }) }),
    // This container has no systemd: unless a scenario asks for the real state, renewal is
    // what a systemd VM with certbot.timer reports (test/fixtures/certbot/list-timers-written.txt).
    'host.certbot-renewal': s.realRenewal ? certbotRenewalProbe : defineProbe({ id: 'host.certbot-renewal', describe: 'fixture: certbot.timer on a systemd host', collect: async () => ({ ok: true, value: TIMER_RENEWAL }) }),
  };
  const a = await assess(config, CHECKS, probes);
  const nginxOutcome = a.outcomes.get('host.nginx');
  const staticOnly = new Map<FactId, NonNullable<typeof nginxOutcome>>();
  if (nginxOutcome) staticOnly.set('host.nginx', nginxOutcome);
  for (const id of ['host.certbot', 'host.certbot-renewal'] as const) {
    const o = a.outcomes.get(id);
    if (o) staticOnly.set(id, o);
  }
  return {
    ...a,
    staticStatus: (check) => evaluateCheck(check, staticOnly, { config, now: new Date() }).status,
    status: (id) => a.results.get(id)?.status,
    evidence: (id) => a.results.get(id)?.evidence.map((e) => e.text) ?? [],
    error: `${running.stderr}${await tail(join(dir, 'error.log'))}`,
  };
}

describe('real nginx on loopback, one configuration per scenario', () => {
  it('good: every check passes, statically and live', async () => {
    const r = await runScenario({ conf: 'good' });
    expect(r.outcomes.get('host.nginx')?.ok, r.error).toBe(true);
    expect(r.outcomes.get('web.live')?.ok, r.log).toBe(true);
    for (const c of CHECKS) expect([c.meta.id, r.status(c.meta.id)], r.results.get(c.meta.id)?.summary).toEqual([c.meta.id, 'pass']);
    // without the live answers, what is really sent is unseen: never better than unknown
    for (const c of [headersCheck, tlsCheck]) expect([c.meta.id, r.staticStatus(c)]).toEqual([c.meta.id, 'unknown']);
    expect(r.staticStatus(rateCheck)).toBe('pass');
    // the static model came from nginx -T of the rendered file, with its lines
    expect(r.evidence('security.nginx-tls').some((t) => /\/nginx\.conf:31 ssl_protocols TLSv1\.2 TLSv1\.3$/.test(t))).toBe(true);
    expect(r.evidence('security.nginx-tls')).toContain(`live: GET http://${DOMAIN}/ → 301 Location: https://${DOMAIN}/`);
    expect(r.evidence('security.tls-certificate')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^chain of 2 ends at a CA of domain\.caFile \(OpenSSL verify 19 against the system store\)$/),
        `nginx uses certbot lineage ${DOMAIN} (${join(dirs.le, 'live', DOMAIN, 'fullchain.pem')})`,
      ]),
    );
    // the archived, expired version 1 of the lineage is not a finding: certbot lists only the live one
    expect(r.evidence('security.tls-certificate').join('\n')).not.toMatch(/EXPIRED|expired/);
    // nothing left loopback, and the real policy allowed every command and request
    expect(r.log).not.toContain('refused');
    expect(r.log).toContain(`openssl s_client -connect 127.0.0.1:`);
  });

  it('missing HSTS: nginx-headers fails statically and live, naming the header', async () => {
    const r = await runScenario({ conf: 'missing-hsts' });
    expect(r.staticStatus(headersCheck)).toBe('fail');
    expect(r.status('security.nginx-headers')).toBe('fail');
    expect(r.results.get('security.nginx-headers')?.summary).toBe('location /api/ lacks Strict-Transport-Security; location = /health lacks Strict-Transport-Security; location / lacks Strict-Transport-Security');
    expect(r.evidence('security.nginx-headers')).toContainEqual(expect.stringMatching(/^location \/ \(.*nginx\.conf:52\) lacks Strict-Transport-Security \(live https:\/\/processing\.pippaoflondon\.co\.uk\/, status 200\)$/));
    expect(r.status('security.nginx-tls')).toBe('pass');
    expect(r.status('security.rate-limiting')).toBe('pass');
  });

  it('location inheritance trap: /api/ and /health drop the server-level headers; the live /health response confirms it', async () => {
    const r = await runScenario({ conf: 'location-trap' });
    expect(r.staticStatus(headersCheck)).toBe('fail');
    expect(r.status('security.nginx-headers')).toBe('fail');
    const ev = r.evidence('security.nginx-headers');
    expect(ev).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/nginx\.conf:46 location \/api\/ add_header X-Frame-Options DENY — drops server-level Strict-Transport-Security, X-Content-Type-Options, Referrer-Policy, Content-Security-Policy$/),
        expect.stringMatching(/^location \/api\/ \(.*nginx\.conf:45\) lacks Strict-Transport-Security, X-Content-Type-Options, Referrer-Policy, Content-Security-Policy$/),
        expect.stringMatching(/nginx\.conf:52 location = \/health add_header Cache-Control no-store — drops server-level Strict-Transport-Security, X-Content-Type-Options, X-Frame-Options, Referrer-Policy, Content-Security-Policy$/),
        expect.stringMatching(/^location = \/health \(.*nginx\.conf:51\) lacks Strict-Transport-Security, X-Content-Type-Options, X-Frame-Options, Referrer-Policy, Content-Security-Policy \(live https:\/\/processing\.pippaoflondon\.co\.uk\/health, status 200\)$/),
      ]),
    );
    // `/` keeps the server's headers: the live response has them
    expect(ev.join('\n')).not.toMatch(/^location \/ \(/m);
  });

  it('no rate limits: rate-limiting fails, naming the API location', async () => {
    const r = await runScenario({ conf: 'no-rate-limits' });
    expect(r.staticStatus(rateCheck)).toBe('fail');
    expect(r.status('security.rate-limiting')).toBe('fail');
    expect(r.results.get('security.rate-limiting')?.summary).toBe('no limit_req_zone defined: no request is rate-limited; no limit_conn');
    expect(r.status('security.nginx-headers')).toBe('pass');
  });

  it('TLSv1.0 enabled: nginx-tls fails quoting ssl_protocols with file:line', async () => {
    const r = await runScenario({ conf: 'tls-v1' });
    expect(r.staticStatus(tlsCheck)).toBe('fail');
    expect(r.status('security.nginx-tls')).toBe('fail');
    expect(r.evidence('security.nginx-tls').some((t) => /nginx\.conf:31 ssl_protocols TLSv1 TLSv1\.1 TLSv1\.2 \(in force for the server at .*nginx\.conf:25 \(port \d+\)\)$/.test(t))).toBe(true);
    expect(r.results.get('security.nginx-tls')?.summary).toBe('TLSv1 TLSv1.1 enabled (ssl_protocols TLSv1 TLSv1.1 TLSv1.2)');
  });

  it('no HTTP→HTTPS redirect: nginx-tls fails statically and live', async () => {
    const r = await runScenario({ conf: 'no-redirect' });
    expect(r.staticStatus(tlsCheck)).toBe('fail');
    expect(r.status('security.nginx-tls')).toBe('fail');
    expect(r.evidence('security.nginx-tls')).toContain(`live: GET http://${DOMAIN}/ → 200 without a redirect`);
    expect(r.evidence('security.nginx-tls').some((t) => /nginx\.conf:23 return 200 "workflow over plain HTTP": the plain-HTTP server \(port \d+\) for/.test(t))).toBe(true);
  });

  it('a certificate 3 days from expiry: tls-certificate fails (< 7 days), the live leaf and the certbot lineage agree', async () => {
    const r = await runScenario({ conf: 'good', certs: 'leSoon' });
    expect(r.status('security.tls-certificate')).toBe('fail');
    expect(r.results.get('security.tls-certificate')?.summary).toMatch(/^certificate expires in [23] day\(s\) \(< 7\)$/);
    expect(r.staticStatus(certCheck)).toBe('fail');
    expect(r.status('security.nginx-headers')).toBe('pass');
  });

  it("this machine's real renewal state (no systemd here): the verdict follows what the renewal probe read", async () => {
    const r = await runScenario({ conf: 'good', realRenewal: true });
    const renewal = r.outcomes.get('host.certbot-renewal');
    expect(renewal?.ok).toBe(true);
    if (!renewal?.ok) return;
    const value = renewal.value as CertRenewal;
    // a container: systemctl answers is-enabled from the unit files but list-timers needs systemd as PID 1
    expect(value.systemdRunning).toBe(false);
    expect(value.timers.find((t) => t.unit === 'certbot.timer')?.enabled).toBe('enabled');
    // Debian's /etc/cron.d/certbot (package certbot) runs only when systemd is not PID 1: here it applies
    expect(value.cron.entries.map((e) => e.source)).toContain('/etc/cron.d/certbot:17');
    const cronWorks = value.cron.daemonInstalled && value.cron.daemonRunning;
    expect(r.status('security.tls-certificate')).toBe(cronWorks ? 'pass' : 'warn');
    if (!cronWorks) expect(r.results.get('security.tls-certificate')?.summary).toBe('no automatic renewal found (certbot.timer or a cron entry)');
  });

  it('--offline: web.live is skipped; the static checks still judge, but a clean configuration is unknown (cause offline), never pass', async () => {
    const dir = await mkdtemp(join(root, 'offline-'));
    const conf = await renderScenario('good', dir, { httpPort: 1, httpsPort: 2, cert: join(dirs.le, 'live', DOMAIN, 'fullchain.pem'), key: join(dirs.le, 'live', DOMAIN, 'privkey.pem') });
    const probes = {
      'host.nginx': defineProbe({ id: 'host.nginx', describe: 'nginx -T -c <scenario>', collect: (ctx) => collectNginx(ctx, conf) }),
      'web.live': liveProbe,
      'host.certbot': defineProbe({ id: 'host.certbot', describe: 'certbot', collect: (ctx) => collectCertbot(ctx, { configDir: dirs.le, workDir: join(dir, 'w'), logsDir: join(dir, 'l') }) }),
      'host.certbot-renewal': defineProbe({ id: 'host.certbot-renewal', describe: 'fixture', collect: async () => ({ ok: true, value: TIMER_RENEWAL }) }),
    };
    const a = await assess(ORDER_PROCESSING_PROFILE, CHECKS, probes, true);
    expect(a.outcomes.get('web.live')).toMatchObject({ ok: false, reason: 'disabled' });
    for (const id of ['security.nginx-headers', 'security.nginx-tls', 'security.tls-certificate']) {
      expect([id, a.results.get(id)?.status]).toEqual([id, 'unknown']);
      expect(a.results.get(id)?.unverified.map((u) => u.cause)).toContainEqual({ kind: 'offline' });
    }
    expect(a.results.get('security.rate-limiting')?.status).toBe('pass');
    expect(a.results.get('monitoring.health-endpoint')?.status).toBe('unknown');
  });
});
