import { describe, expect, it } from 'vitest';
import { ORDER_PROCESSING_PROFILE } from '../../../config/profile.js';
import { evaluateCheck, outcomesOf } from '../../../engine/evaluate.js';
import type { ProbeResult } from '../../../engine/types.js';
import type { CertbotCertificates, CertRenewal, NginxConfig, WebLive } from '../../../facts/web.js';
import { parseCertbotCertificates } from '../../../probes/host/certbot/parse.js';
import { cronRenewalEntries } from '../../../probes/host/certbot/renewal-parse.js';
import { readFileSync } from 'node:fs';
import { DOMAIN, expectTbdDomainSaidOnce, liveFacts, liveTls, nginxFacts, onProdDomain, TIMER_RENEWAL } from '../../../../test/fixtures/nginx/facts.js';
import { check, covers } from './check.js';

const now = new Date('2026-11-26T03:00:00Z');
const certbotFixture = (file: string) => readFileSync(new URL(`../../../../test/fixtures/certbot/${file}`, import.meta.url), 'utf8');

/** A captured `certbot certificates` listing, with the capture's config dir shown as /etc/letsencrypt. */
function certbot(file: string): ProbeResult<CertbotCertificates> {
  return parseCertbotCertificates(certbotFixture(file).replace(/\/srv\/certbot-capture\/le(-soon)?/g, '/etc/letsencrypt'));
}
const ok = <T>(value: T): ProbeResult<T> => ({ ok: true, value });
const captured = certbot('renewed-and-expired.txt');
/** the expiry of the captured lineage (the capture date decides the exact time) */
const EXPIRY = captured.ok ? (captured.value.lineages[1]?.expiry ?? '') : '';

interface Inputs {
  live?: ProbeResult<WebLive>;
  certbot?: ProbeResult<CertbotCertificates>;
  renewal?: ProbeResult<CertRenewal>;
  nginx?: ProbeResult<NginxConfig>;
}
function run(i: Inputs) {
  return evaluateCheck(
    check,
    outcomesOf({
      ...(i.live ? { 'web.live': i.live } : {}),
      ...(i.certbot ? { 'host.certbot': i.certbot } : {}),
      ...(i.renewal ? { 'host.certbot-renewal': i.renewal } : {}),
      ...(i.nginx ? { 'host.nginx': i.nginx } : {}),
    }),
    { config: ORDER_PROCESSING_PROFILE, now },
  );
}
const texts = (r: ReturnType<typeof run>) => r.evidence.map((e) => e.text);
const served = (o: Parameters<typeof liveTls>[0]) => ok(liveFacts({ tls: liveTls(o) }));
/** certbot lineage 1001 expires 2027-02-14 (79 days), nginx points at it, certbot.timer runs. */
const healthy: Inputs = { certbot: certbot('renewed-and-expired.txt'), renewal: ok(TIMER_RENEWAL), nginx: nginxFacts('vm-hardened.txt') };
const OFFLINE: ProbeResult<WebLive> = { ok: false, reason: 'disabled', detail: 'network probes are off (--offline)', cause: { kind: 'offline' } };
/** The captured listing with certbot's verdict on the domain's lineage replaced (`INVALID: REVOKED`, as cert_manager.py prints it). */
const withValidity = (validity: string) => parseCertbotCertificates(certbotFixture('renewed-and-expired.txt').replace(/\/srv\/certbot-capture\/le/g, '/etc/letsencrypt').replace('(VALID: 79 days)', `(${validity})`));
const CONTAINER_RENEWAL: CertRenewal = {
  timers: [{ unit: 'certbot.timer', enabled: 'enabled' }, { unit: 'snap.certbot.renew.timer' }],
  systemdRunning: false,
  systemdDetail: "systemctl (exit 1): System has not been booted with systemd as init system (PID 1). Can't operate.",
  cron: { entries: cronRenewalEntries(certbotFixture('cron.d-certbot.txt'), '/etc/cron.d/certbot'), daemonInstalled: false, daemonRunning: false, errors: [] },
};

describe('security.tls-certificate', () => {
  it.each([
    ['trusted, 80 days left, renewal by certbot.timer', { notAfter: '2027-02-14T02:33:03.000Z' }, 'pass'],
    ['20 days left', { notAfter: '2026-12-16T04:00:00.000Z' }, 'warn'],
    ['3 days left', { notAfter: '2026-11-29T04:00:00.000Z' }, 'fail'],
    ['expired', { notAfter: '2026-11-20T00:00:00.000Z' }, 'fail'],
    ['another host name', { notAfter: '2027-02-14T02:33:03.000Z', names: ['other.example.test'], hostnameMatch: false }, 'fail'],
    ['leaf only (verify 21)', { notAfter: '2027-02-14T02:33:03.000Z', verifyCode: 21, chainLength: 1 }, 'fail'],
    ['untrusted root (verify 19)', { notAfter: '2027-02-14T02:33:03.000Z', verifyCode: 19 }, 'fail'],
    ['private CA configured in domain.caFile', { notAfter: '2027-02-14T02:33:03.000Z', verifyCode: 19, trustedByConfiguredCa: true }, 'pass'],
  ] as const)('%s → %s', (_name, tls, status) => {
    expect(run({ ...healthy, live: served({ serial: '1001', ...tls }) }).status).toBe(status);
  });

  it('pass: evidence names the served certificate, the lineage nginx uses and the timer; the expired unused lineage is not a finding', () => {
    const r = run({ ...healthy, live: served({ notAfter: '2027-02-14T02:33:03.000Z', serial: '1001' }) });
    expect(r.summary).toBe(`certificate valid for 79 more days, trusted, names ${DOMAIN}; renewal automatic`);
    expect(texts(r)).toEqual(
      expect.arrayContaining([
        `live 127.0.0.1:8443: CN=${DOMAIN}, issuer CN=R11, O=Let's Encrypt, C=US, expires 2027-02-14T02:33:03.000Z (79 days), serial 1001`,
        'chain of 2 trusted (OpenSSL verify 0)',
        `nginx uses certbot lineage ${DOMAIN} (/etc/letsencrypt/live/${DOMAIN}/fullchain.pem)`,
        'other lineage old-sandbox (INVALID: EXPIRED) is not used for processing.pippaoflondon.co.uk: not a finding',
        'certbot.timer enabled, next run Thu 2026-11-26 06:07:11 UTC, last run Wed 2026-11-25 18:12:40 UTC',
      ]),
    );
    expect(r.evidence[1]?.refs).toEqual([9]);
  });

  it('fail reasons are in the summary: 3 days left', () => {
    const r = run({ ...healthy, live: served({ notAfter: '2026-11-29T04:00:00.000Z', serial: '1001' }) });
    expect(r.summary).toMatch(/^certificate expires in 3 day\(s\) \(< 7\)/);
  });

  it('leaf only: names the missing intermediate', () => {
    const r = run({ ...healthy, live: served({ notAfter: '2027-02-14T02:33:03.000Z', verifyCode: 21, chainLength: 1, serial: '1001' }) });
    expect(texts(r)).toContain('incomplete chain: nginx sends only the leaf, not the intermediate (use fullchain.pem): OpenSSL verify 21 (unable to verify the first certificate)');
  });

  it('certbot renewed but nginx still serves the old certificate: the live certificate wins', () => {
    const r = run({ ...healthy, live: served({ notAfter: '2026-11-30T00:00:00.000Z', serial: '0FFF' }) });
    expect(r.status).toBe('fail');
    expect(texts(r)).toContain(
      `certbot lineage ${DOMAIN} holds serial 1001 (expires ${EXPIRY}) but the live certificate is serial 0FFF: nginx has not been reloaded since the renewal (add a deploy hook) — the live certificate wins`,
    );
  });

  it('no automatic renewal (container: timer enabled but no systemd, cron entry but no cron) → warn', () => {
    const r = run({ ...healthy, renewal: ok(CONTAINER_RENEWAL), live: served({ notAfter: '2027-02-14T02:33:03.000Z', serial: '1001' }) });
    expect(r.status).toBe('warn');
    expect(r.summary).toBe('no automatic renewal found (certbot.timer or a cron entry)');
    expect(texts(r)).toEqual(
      expect.arrayContaining([
        "certbot.timer enabled, but systemd is not running (systemctl (exit 1): System has not been booted with systemd as init system (PID 1). Can't operate.)",
        expect.stringMatching(/^\/etc\/cron\.d\/certbot:17 0 \*\/12 .* — but no cron daemon is installed \(\/usr\/sbin\/cron\)$/),
      ]),
    );
  });

  it("Debian's cron entry does nothing under systemd: with the timer disabled there is no renewal", () => {
    const renewal: CertRenewal = { ...CONTAINER_RENEWAL, systemdRunning: true, timers: [{ unit: 'certbot.timer', enabled: 'disabled' }], cron: { ...CONTAINER_RENEWAL.cron, daemonInstalled: true, daemonRunning: true } };
    const r = run({ ...healthy, renewal: ok(renewal), live: served({ notAfter: '2027-02-14T02:33:03.000Z', serial: '1001' }) });
    expect(r.status).toBe('warn');
    expect(texts(r)).toContain('certbot.timer disabled');
  });

  it('cron installed but not running (a container without init) → no renewal', () => {
    const renewal: CertRenewal = { ...CONTAINER_RENEWAL, cron: { ...CONTAINER_RENEWAL.cron, daemonInstalled: true, daemonRunning: false } };
    const r = run({ ...healthy, renewal: ok(renewal), live: served({ notAfter: '2027-02-14T02:33:03.000Z', serial: '1001' }) });
    expect(r.status).toBe('warn');
    expect(texts(r).some((t) => t.endsWith('— but cron is installed but not running (no /run/crond.pid)'))).toBe(true);
  });

  it('a cron entry with cron running (no systemd) is automatic renewal → pass', () => {
    const renewal: CertRenewal = { ...CONTAINER_RENEWAL, cron: { ...CONTAINER_RENEWAL.cron, daemonInstalled: true, daemonRunning: true } };
    expect(run({ ...healthy, renewal: ok(renewal), live: served({ notAfter: '2027-02-14T02:33:03.000Z', serial: '1001' }) }).status).toBe('pass');
  });

  it('renewal probe failed and the certificate is fine → unknown', () => {
    const r = run({ ...healthy, renewal: { ok: false, reason: 'failed', detail: 'probe error: boom' }, live: served({ notAfter: '2027-02-14T02:33:03.000Z', serial: '1001' }) });
    expect(r.status).toBe('unknown');
  });

  it('offline: the lineage nginx uses is judged, but the served certificate is unverified → unknown, never pass', () => {
    const good = run({ ...healthy, live: OFFLINE });
    expect(good.status).toBe('unknown');
    expect(good.unverified.map((u) => u.cause)).toEqual([{ kind: 'offline' }]);
    expect(good.summary).toMatch(new RegExp(`^certbot lineage ${DOMAIN} valid for 79 days, but not verified: probe web.live disabled`));
    expect(texts(good)).toContain(`probe web.live disabled: network probes are off (--offline); judged from certbot lineage ${DOMAIN}: Expiry Date: ${EXPIRY.slice(0, 10)} ${EXPIRY.slice(11, 19)}+00:00 (VALID: 79 days)`);
    const soon = run({ ...healthy, certbot: certbot('expiring-soon.txt'), live: OFFLINE });
    expect(soon.status).toBe('fail');
  });

  it.each([
    ['TEST_CERT', /a staging \(test\) certificate that browsers do not trust/],
    ['REVOKED', /revoked by its CA/],
    ['EXPIRED', /expired/],
    ['TEST_CERT, EXPIRED', /staging .*, expired/],
  ])('offline: a lineage certbot marks INVALID: %s fails', (reason, said) => {
    const r = run({ ...healthy, certbot: withValidity(`INVALID: ${reason}`), live: OFFLINE });
    expect(r.status).toBe('fail');
    expect(r.summary).toContain(`certbot marks lineage ${DOMAIN} INVALID: ${reason}`);
    expect(r.summary).toMatch(said);
  });

  it('live: the served certificate is the lineage certbot marks REVOKED → fail (the handshake does not check revocation)', () => {
    const r = run({ ...healthy, certbot: withValidity('INVALID: REVOKED'), live: served({ notAfter: '2027-02-14T02:33:03.000Z', serial: '1001' }) });
    expect(r.status).toBe('fail');
    expect(r.summary).toContain(`certbot marks lineage ${DOMAIN} INVALID: REVOKED`);
  });

  it('the live handshake unreachable: unknown with the endpoint as the cause', () => {
    const live = ok({ ...liveFacts({}), tls: { ok: false as const, error: 'openssl s_client -connect 127.0.0.1:8443: connect:errno=111', endpoint: '127.0.0.1:8443' } });
    const r = run({ ...healthy, live });
    expect(r.status).toBe('unknown');
    expect(r.unverified.map((u) => u.cause)).toEqual([{ kind: 'unreachable', endpoint: '127.0.0.1:8443' }]);
  });

  it('certbot could not be read: a good live certificate is not a pass (whether renewals reach it is unknown)', () => {
    const r = run({ ...healthy, certbot: { ok: false, reason: 'permission', detail: 'certbot (exit 1): sudo: a password is required' }, live: served({ notAfter: '2027-02-14T02:33:03.000Z', serial: '1001' }) });
    expect(r.status).toBe('unknown');
    expect(r.unverified.map((u) => u.probe)).toEqual(['host.certbot']);
  });

  it('nginx -T refused and the served serial is no certbot lineage: unknown, not pass', () => {
    const r = run({ ...healthy, nginx: { ok: false, reason: 'permission', detail: 'nginx (exit 1): permission denied' }, live: served({ notAfter: '2027-02-14T02:33:03.000Z', serial: '2002' }) });
    expect(r.status).toBe('unknown');
    expect(r.unverified.map((u) => u.probe)).toEqual(['host.nginx']);
  });

  it('certbot manages no certificate for the domain: renewals do not reach the served one → warn', () => {
    const r = run({ ...healthy, nginx: { ok: false, reason: 'permission', detail: 'nginx (exit 1): permission denied' }, certbot: certbot('no-certificates.txt'), live: served({ notAfter: '2027-02-14T02:33:03.000Z', serial: '1001' }) });
    expect(r.status).toBe('warn');
  });

  /** Less evidence never makes the status better: pass > warn > fail = unknown. */
  describe('offline is never better than online', () => {
    const rank = (s: string) => (s === 'pass' ? 2 : s === 'warn' ? 1 : 0);
    const far = '2027-02-14T02:33:03.000Z';
    const certPem = nginxFacts(`http { server { listen 443 ssl; server_name ${DOMAIN}; ssl_certificate /etc/letsencrypt/live/${DOMAIN}/cert.pem; } }`);
    const manual = nginxFacts(`http { server { listen 443 ssl; server_name ${DOMAIN}; ssl_certificate /etc/ssl/certs/manual.pem; } }`);
    it.each<[string, Inputs, Parameters<typeof liveTls>[0]]>([
      ['healthy', healthy, { notAfter: far, serial: '1001' }],
      ['nginx not reloaded since the renewal: serves a certificate 3 days from expiry', healthy, { notAfter: '2026-11-29T04:00:00.000Z', serial: '0FFF' }],
      ['nginx loads cert.pem: leaf only', { ...healthy, nginx: certPem }, { notAfter: far, serial: '1001', verifyCode: 21, chainLength: 1 }],
      ['a staging certificate', { ...healthy, certbot: withValidity('INVALID: TEST_CERT') }, { notAfter: far, serial: '1001', verifyCode: 20 }],
      ['a revoked certificate', { ...healthy, certbot: withValidity('INVALID: REVOKED') }, { notAfter: far, serial: '1001' }],
      ['nginx serves an expired certificate certbot does not manage', { ...healthy, nginx: manual }, { notAfter: '2026-11-20T00:00:00.000Z', serial: '0AAA' }],
      ['20 days left', healthy, { notAfter: '2026-12-16T04:00:00.000Z', serial: '1001' }],
      ['no automatic renewal', { ...healthy, renewal: ok(CONTAINER_RENEWAL) }, { notAfter: far, serial: '1001' }],
    ])('%s', (_name, inputs, tls) => {
      const online = run({ ...inputs, live: served(tls) });
      const offline = run({ ...inputs, live: OFFLINE });
      expect(rank(offline.status)).toBeLessThanOrEqual(rank(online.status));
      expect(offline.status).not.toBe('pass');
    });
  });

  it("nginx serves a file certbot does not manage → warn", () => {
    const nginx = nginxFacts(`http { server { listen 443 ssl; server_name ${DOMAIN}; ssl_certificate /etc/ssl/certs/manual.pem; } }`);
    const r = run({ ...healthy, nginx, live: served({ notAfter: '2027-02-14T02:33:03.000Z', serial: '1001' }) });
    expect(r.status).toBe('warn');
    expect(texts(r)).toContain("nginx's ssl_certificate /etc/ssl/certs/manual.pem is not a certbot lineage: certbot renewals do not reach it");
  });

  it('an invalid renewal configuration → warn', () => {
    const r = run({ ...healthy, certbot: certbot('invalid-renewal-config.txt'), live: served({ notAfter: '2027-02-14T02:33:03.000Z', serial: '1001' }) });
    expect(r.status).toBe('warn');
  });

  it('nothing to judge (offline and certbot not installed) → unknown with both reasons', () => {
    const r = run({ live: { ok: false, reason: 'disabled', detail: 'network probes are off (--offline)' }, certbot: { ok: false, reason: 'not-installed', detail: 'certbot not found (install the Debian/Ubuntu package certbot)' } });
    expect(r.status).toBe('unknown');
    expect(r.summary).toBe('could not verify: probe web.live disabled: network probes are off (--offline); probe host.certbot not installed: certbot not found (install the Debian/Ubuntu package certbot)');
  });

  it('covers: exact names and one-label wildcards', () => {
    expect(covers('*.pippaoflondon.co.uk', DOMAIN)).toBe(true);
    expect(covers('*.co.uk', DOMAIN)).toBe(false);
    expect(covers(`DNS:${DOMAIN}`, DOMAIN.toUpperCase())).toBe(true);
  });

  it.each([
    ['certbot, renewal and nginx, no live answer', healthy],
    ['with the served certificate', { ...healthy, live: served({ notAfter: EXPIRY }) }],
  ] as const)('domain.prod TBD: judged on the current domain, said once, status unchanged (%s)', (_n, i) => {
    const prod: Inputs = { ...i, ...(i.nginx ? { nginx: onProdDomain(i.nginx) } : {}), ...('live' in i && i.live ? { live: onProdDomain(i.live) } : {}) };
    expectTbdDomainSaidOnce(run(i), run(prod));
  });
});
