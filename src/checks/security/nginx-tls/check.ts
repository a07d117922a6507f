import { defineCheck } from '../../../engine/define.js';
import type { Evidence, Finding } from '../../../engine/types.js';
import type { NginxConfig, NginxDirective, WebLive } from '../../../facts/web.js';
import { failureText, unverifiedOf } from '../../lib/failure.js';
import { capUnverified, liveUnverified } from '../../lib/unverified.js';
import { summaries } from '../../lib/key-facts.js';
import { domainEvidenceText } from '../../lib/domain.js';

type Grade = 'pass' | 'warn' | 'fail';
const worse = (a: Grade, b: Grade): Grade => (a === 'fail' || b === 'fail' ? 'fail' : a === 'warn' || b === 'warn' ? 'warn' : 'pass');

/**
 * Protocols a production server must not offer: SSLv2/3 and TLS 1.0/1.1 are deprecated
 * (RFC 8996); Mozilla's "intermediate" profile is TLS 1.2 + 1.3
 * (https://wiki.mozilla.org/Security/Server_Side_TLS).
 */
const OLD_PROTOCOLS = new Set(['SSLv2', 'SSLv3', 'TLSv1', 'TLSv1.1']);

/**
 * OpenSSL cipher-string words that enable broken suites when not excluded with `!`/`-`:
 * NULL/anonymous (no encryption or authentication), EXPORT, RC4, DES/3DES (Sweet32), MD5.
 * https://docs.openssl.org/3.0/man1/openssl-ciphers/
 */
const WEAK_CIPHER = /(^|[-+])(e?NULL|aNULL|ADH|AECDH|EXP(ORT)?(40|56)?|RC4|DES|3DES|DES-CBC3|IDEA|MD5|LOW)($|[-+])/i;

/** `ssl_ciphers` words that switch on a weak family (not those that exclude one). */
export function weakCipherWords(ciphers: string): string[] {
  return ciphers
    .split(/[:\s,]+/)
    .filter((w) => w !== '' && !w.startsWith('!') && !w.startsWith('-'))
    .filter((w) => WEAK_CIPHER.test(w) || /^(ALL|COMPLEMENTOFALL|MEDIUM)$/i.test(w));
}


/** Protocol and cipher findings of one server's effective TLS settings. */
function tlsSettings(sslProtocols: NginxDirective | undefined, sslCiphers: NginxDirective | undefined, where: string): { grade: Grade; evidence: Evidence[]; summary: string[] } {
  const out = { grade: 'pass' as Grade, evidence: [] as Evidence[], summary: [] as string[] };
  if (!sslProtocols) {
    // nginx's default is `TLSv1 TLSv1.1 TLSv1.2 TLSv1.3` (1.23.4+; without TLSv1.3 before):
    // whether 1.0/1.1 are refused then depends on the system OpenSSL policy.
    out.grade = 'warn';
    out.evidence.push({ text: `ssl_protocols not set for ${where}: nginx's default enables TLSv1 and TLSv1.1 unless the system OpenSSL policy refuses them` });
    out.summary.push('ssl_protocols not set (default includes TLSv1/TLSv1.1)');
  } else {
    const old = sslProtocols.args.filter((p) => OLD_PROTOCOLS.has(p));
    if (old.length > 0) {
      out.grade = 'fail';
      out.evidence.push({ text: `${sslProtocols.at} ${sslProtocols.text} (in force for ${where})` });
      out.summary.push(`${old.join(' ')} enabled (${sslProtocols.text})`);
    } else {
      out.evidence.push({ text: `${sslProtocols.at} ${sslProtocols.text}` });
    }
  }
  if (sslCiphers) {
    const weak = weakCipherWords(sslCiphers.args.join(':'));
    if (weak.length > 0) {
      const broken = weak.filter((w) => !/^(ALL|COMPLEMENTOFALL|MEDIUM)$/i.test(w));
      out.grade = worse(out.grade, broken.length > 0 ? 'fail' : 'warn');
      out.evidence.push({ text: `${sslCiphers.at} ssl_ciphers enables ${weak.join(', ')}` });
      out.summary.push(`weak ciphers enabled: ${weak.join(', ')}`);
    }
  }
  return out;
}

/**
 * The domain is served over TLS 1.2+ with sound ciphers, and plain HTTP redirects to HTTPS.
 * Static: the HTTPS server blocks nginx picks for the domain (`nginx -T`), their effective
 * ssl_protocols/ssl_ciphers (inherited from http when the server sets none — Debian's stock
 * nginx.conf enables TLSv1 and TLSv1.1 there), and how the port-80 server answers `/`.
 * Live: `GET http://<domain>/` (not followed) — the live answer wins over the configuration.
 */
export const check = defineCheck({
  meta: {
    id: 'security.nginx-tls',
    section: 'security',
    title: 'nginx serves the domain with TLS 1.2+ only and strong ciphers, and redirects HTTP to HTTPS',
    severity: 'high',
    effort: { size: 'S', hours: [0.5, 1] },
    remediation: {
      text:
        "In the HTTPS server block for the domain set ssl_protocols TLSv1.2 TLSv1.3 and Mozilla's intermediate ssl_ciphers (certbot's /etc/letsencrypt/options-ssl-nginx.conf has both; also fix the http-level line in /etc/nginx/nginx.conf), and make the port-80 server answer `return 301 https://$host$request_uri;`.",
      command: 'sudo nginx -t && sudo systemctl reload nginx',
      url: 'https://ssl-config.mozilla.org/#server=nginx&config=intermediate',
    },
    runs: 'sudo -n nginx -T (ssl_protocols, ssl_ciphers, the port-80 server) and GET http://<domain>/',
  },
  requires: [],
  uses: ['host.nginx', 'web.live'],
  keyFacts: summaries('host.nginx'),
  evaluate(facts): Finding {
    const n = facts.maybe('host.nginx');
    const l = facts.maybe('web.live');
    const nginx: NginxConfig | undefined = n?.ok ? n.value : undefined;
    const live: WebLive | undefined = l?.ok ? l.value : undefined;
    // protocols and ciphers come from nginx -T only; the redirect from the live answer, else the configuration
    const unverified = [...[nginx ? undefined : unverifiedOf('host.nginx', n)].filter((u) => u !== undefined), ...liveUnverified(l, ['http'])];
    if (!nginx && !live) {
      const why = [failureText('host.nginx', n), failureText('web.live', l)];
      return { status: 'unknown', summary: `could not verify: ${why.join('; ')}`, evidence: why.map((text) => ({ text })), unverified };
    }
    const domain = nginx?.domain ?? live?.domain;
    const evidence: Evidence[] = [];
    if (domain) evidence.push({ text: domainEvidenceText(domain) });
    let grade: Grade = 'pass';
    const summary: string[] = [];
    let unknownPart: string | undefined;

    // --- protocols and ciphers (configuration only: s_client shows just the negotiated protocol)
    if (nginx) {
      if (nginx.domain.https.length === 0) {
        grade = 'fail';
        summary.push(`no server block serves ${nginx.domain.name} over TLS`);
        evidence.push({ text: `no listen … ssl server answers ${nginx.domain.name} (files: ${nginx.files.join(', ')})` });
      }
      for (const m of nginx.domain.https) {
        const s = nginx.servers[m.server];
        if (!s) continue;
        const where = `the server at ${s.at} (port ${m.port})`;
        if (m.matchedBy === 'default_server' || m.matchedBy === 'first') {
          grade = worse(grade, 'warn');
          evidence.push({ text: `no server_name names ${nginx.domain.name} on port ${m.port}: the ${m.matchedBy === 'first' ? 'first' : 'default'} server at ${s.at} answers it` });
          summary.push(`${nginx.domain.name} is answered by a catch-all server on port ${m.port}`);
        }
        const t = tlsSettings(s.sslProtocols, s.sslCiphers, where);
        grade = worse(grade, t.grade);
        evidence.push(...t.evidence);
        summary.push(...t.summary);
      }
    } else {
      unknownPart = `protocols and ciphers not verified (${failureText('host.nginx', n)})`;
      evidence.push({ text: unknownPart });
    }
    if (live?.tls.ok && live.tls.value.protocol) {
      evidence.push({ text: `live handshake: ${live.tls.value.protocol} ${live.tls.value.cipher ?? ''}`.trim(), refs: [live.tls.value.seq] });
    }

    // --- HTTP → HTTPS: the live answer wins
    const redirect = httpRedirect(nginx, live);
    grade = worse(grade, redirect.grade);
    evidence.push(...redirect.evidence);
    if (redirect.summary) summary.push(redirect.summary);

    if (grade === 'pass' && unknownPart !== undefined) {
      return { status: 'unknown', summary: `HTTP redirects to HTTPS, but ${unknownPart}`, evidence, unverified };
    }
    if (grade === 'pass') return capUnverified({ status: 'pass', summary: 'TLS 1.2+ only, no weak ciphers, and HTTP redirects to HTTPS', evidence }, unverified);
    return capUnverified({ status: grade, summary: summary.join('; '), evidence }, unverified);
  },
});

function httpRedirect(nginx: NginxConfig | undefined, live: WebLive | undefined): { grade: Grade; evidence: Evidence[]; summary?: string } {
  const name = nginx?.domain.name ?? live?.domain.name ?? 'the domain';
  const staticLines: Evidence[] = [];
  let staticGrade: Grade | undefined;
  let staticSummary: string | undefined;
  if (nginx) {
    if (nginx.domain.http.length === 0) {
      staticGrade = 'warn';
      staticSummary = 'nginx does not listen on plain HTTP: no redirect for http:// links';
      staticLines.push({ text: `no server listens on plain HTTP for ${name}` });
    }
    for (const m of nginx.domain.http) {
      const s = nginx.servers[m.server];
      if (m.redirect?.https) {
        staticGrade ??= 'pass';
        staticLines.push({ text: `${m.redirect.at} ${m.redirect.text}${m.redirect.condition ? ` (if ${m.redirect.condition})` : ''} (port ${m.port})` });
      } else if (m.redirect) {
        staticGrade = 'fail';
        staticSummary = `http://${name}/ redirects to ${m.redirect.target}, not HTTPS`;
        staticLines.push({ text: `${m.redirect.at} ${m.redirect.text} (port ${m.port}): the redirect does not go to https://` });
      } else {
        staticGrade = 'fail';
        staticSummary = `http://${name}/ is not redirected to HTTPS`;
        staticLines.push({
          text: m.stop
            ? `${m.stop.at} ${m.stop.text}: the plain-HTTP server (port ${m.port}) for ${name} answers / without a redirect`
            : `the plain-HTTP server (port ${m.port}) at ${s?.at ?? '?'} serves ${name} without a redirect to HTTPS`,
        });
      }
    }
  }
  if (live?.http.ok) {
    const r = live.http.value;
    const location = r.headers['location'];
    const refs = [r.seq];
    if (r.status >= 300 && r.status < 400 && location?.startsWith('https://')) {
      return { grade: 'pass', evidence: [...staticLines.filter(() => staticGrade === 'pass'), { text: `live: GET ${r.url} → ${r.status} Location: ${location}`, refs }] };
    }
    const said = r.status >= 300 && r.status < 400 ? `${r.status} Location: ${location ?? '(none)'}` : `${r.status} without a redirect`;
    const disagree = staticGrade === 'pass' ? ' (the configuration has a redirect, but the live answer wins)' : '';
    return { grade: 'fail', evidence: [...staticLines, { text: `live: GET ${r.url} → ${said}${disagree}`, refs }], summary: `http://${name}/ answers ${said}` };
  }
  if (live && !live.http.ok) staticLines.push({ text: `live HTTP request failed: ${live.http.error}` });
  if (staticGrade === undefined) return { grade: 'pass', evidence: staticLines };
  return { grade: staticGrade, evidence: staticLines, ...(staticSummary ? { summary: staticSummary } : {}) };
}
