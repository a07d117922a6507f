import { defineCheck } from '../../../engine/define.js';
import type { Evidence, Facts, Finding, ProbeOutcome, Unverified } from '../../../engine/types.js';
import type { FactId } from '../../../facts/index.js';
import type { CertbotCertificates, CertbotLineage, CertRenewal, LiveTls, NginxConfig } from '../../../facts/web.js';
import { assessedDomain } from '../../../config/domain.js';
import { failureText, unverifiedOf } from '../../lib/failure.js';
import { livePartUnverified } from '../../lib/live.js';
import { worst } from '../../lib/status.js';
import { summaries } from '../../lib/key-facts.js';
import { domainEvidenceText } from '../../lib/domain.js';

type Grade = 'pass' | 'warn' | 'fail';
const worse = (a: Grade, b: Grade): Grade => (a === 'fail' || b === 'fail' ? 'fail' : a === 'warn' || b === 'warn' ? 'warn' : 'pass');

/** Below this many days left the certificate fails: a renewal that has not happened by now is broken. */
export const FAIL_DAYS = 7;
/** Below this many days it warns: certbot renews at 30 days left, so < 21 means renewals are failing. */
export const WARN_DAYS = 21;

const DAY_MS = 86_400_000;


/** Hex serial without leading zeros, lower case (certbot prints `1001`, X509 `1001` or `0A…`). */
const serialKey = (s: string | undefined): string => (s ?? '').toLowerCase().replace(/^0+/, '');

/** A certificate name covers a host: exact, or a one-label `*.` wildcard (RFC 6125 §6.4.3). */
export function covers(name: string, host: string): boolean {
  const n = name.toLowerCase().replace(/^dns:/, '');
  const h = host.toLowerCase();
  if (n === h) return true;
  return n.startsWith('*.') && h.endsWith(n.slice(1)) && !h.slice(0, h.length - n.length + 1).includes('.');
}

/**
 * OpenSSL verify codes (https://docs.openssl.org/3.0/man1/openssl-verification-options/) →
 * what they mean for a public HTTPS service.
 */
function chainProblem(tls: LiveTls): string | undefined {
  if (!tls.chainLinked) return 'the served chain is out of order or not linked (each certificate must be signed by the next)';
  const code = tls.verifyCode;
  if (code === undefined || code === 0) return undefined;
  if (tls.trustedByConfiguredCa === true) return undefined;
  const leaf = tls.chain[0];
  const what = `OpenSSL verify ${code} (${tls.verifyMessage ?? ''})`;
  if (code === 18 || leaf?.selfSigned) return `self-signed certificate: ${what}`;
  if ((code === 20 || code === 21) && tls.chain.length === 1) return `incomplete chain: nginx sends only the leaf, not the intermediate (use fullchain.pem): ${what}`;
  if (code === 10) return undefined; // expired: reported from the dates
  return `the chain is not trusted: ${what}`;
}

interface Renewal {
  found: boolean;
  evidence: Evidence[];
  unknown?: string;
}

/** Whether certbot renews automatically: a running systemd timer, or a cron entry cron will run. */
export function renewalState(r: CertRenewal): Renewal {
  const evidence: Evidence[] = [];
  let found = false;
  for (const t of r.timers) {
    if (t.enabled === 'enabled' && r.systemdRunning) {
      found = true;
      evidence.push({ text: `${t.unit} enabled${t.listed?.next ? `, next run ${t.listed.next}` : ''}${t.listed?.last ? `, last run ${t.listed.last}` : ''}` });
    } else if (t.enabled === 'enabled') {
      evidence.push({ text: `${t.unit} enabled, but systemd is not running (${r.systemdDetail ?? 'systemctl list-timers failed'})` });
    } else if (t.enabled !== undefined) {
      evidence.push({ text: `${t.unit} ${t.enabled}` });
    }
  }
  const active = r.cron.entries.filter((e) => !(e.skippedUnderSystemd && r.systemdRunning));
  for (const e of r.cron.entries) {
    if (!active.includes(e)) evidence.push({ text: `${e.source} only runs without systemd: ${e.line}` });
  }
  if (active.length > 0) {
    if (r.cron.daemonInstalled && r.cron.daemonRunning) {
      found = true;
      for (const e of active) evidence.push({ text: `${e.source} ${e.line}` });
    } else {
      const why = r.cron.daemonInstalled ? 'cron is installed but not running (no /run/crond.pid)' : 'no cron daemon is installed (/usr/sbin/cron)';
      for (const e of active) evidence.push({ text: `${e.source} ${e.line} — but ${why}` });
    }
  }
  for (const e of r.cron.errors) evidence.push({ text: `could not read ${e}` });
  return { found, evidence };
}

/** The lineage nginx loads for the domain (by certificate path), else one whose names cover it. */
function lineageFor(certbot: CertbotCertificates, nginx: NginxConfig | undefined, host: string): { lineage?: CertbotLineage; nginxPath?: string; byPath: boolean } {
  const servers = (nginx?.domain.https ?? []).map((m) => nginx?.servers[m.server]);
  const paths = servers.flatMap((s) => s?.sslCertificates.map((c) => c.args[0] ?? '') ?? []);
  for (const p of paths) {
    const l = certbot.lineages.find((x) => x.certificatePath === p || x.certificatePath.replace(/fullchain\.pem$/, 'cert.pem') === p);
    if (l) return { lineage: l, nginxPath: p, byPath: true };
  }
  const byName = certbot.lineages.find((l) => l.domains.some((d) => covers(d, host)));
  return { ...(byName ? { lineage: byName } : {}), ...(paths[0] !== undefined ? { nginxPath: paths[0] } : {}), byPath: false };
}

function daysLeft(notAfter: string, now: Date): number {
  return Math.floor((Date.parse(notAfter) - now.getTime()) / DAY_MS);
}

/**
 * The certificate the domain serves is valid, names the domain, chains to a trusted root, has
 * ≥ 21 days left, and renews automatically. The live handshake (`openssl s_client`) is the
 * certificate clients get; certbot's lineage (the one nginx's ssl_certificate points at) is
 * the fallback offline and tells whether nginx serves the renewed file. Older versions under
 * certbot's `archive/` are history, never findings: certbot lists only the current ones.
 */
export const check = defineCheck({
  meta: {
    id: 'security.tls-certificate',
    section: 'security',
    title: 'The domain serves a trusted certificate for its name with ≥ 21 days left, and certbot renews it automatically',
    severity: 'critical',
    blocker: true,
    effort: { size: 'S', hours: [1, 2] },
    remediation: {
      text:
        "Issue a Let's Encrypt certificate for the production host name (certbot --nginx), point nginx's ssl_certificate at the lineage's fullchain.pem, make sure certbot.timer is enabled (or a cron entry runs `certbot renew` with a deploy hook that reloads nginx), and test the renewal with a dry run.",
      command: 'sudo certbot certonly --nginx -d <prod-domain> && sudo systemctl enable --now certbot.timer && sudo certbot renew --dry-run',
      url: 'https://eff-certbot.readthedocs.io/en/stable/using.html#automated-renewals',
    },
    runs: 'openssl s_client -showcerts (live), sudo -n certbot certificates, sudo -n nginx -T (ssl_certificate), certbot.timer / cron',
  },
  requires: [],
  uses: ['web.live', 'host.certbot', 'host.certbot-renewal', 'host.nginx'],
  // the certificate nginx serves is read from the live handshake, or matched in nginx's config
  alternatives: [['web.live', 'host.nginx']],
  keyFacts: summaries('host.certbot', 'host.certbot-renewal'),
  evaluate(facts: Facts, { now, config }): Finding {
    const lo = facts.maybe('web.live');
    const co = facts.maybe('host.certbot');
    const ro = facts.maybe('host.certbot-renewal');
    const no = facts.maybe('host.nginx');
    const live = lo?.ok ? lo.value : undefined;
    const certbot = co?.ok ? co.value : undefined;
    const renewal = ro?.ok ? ro.value : undefined;
    const nginx = no?.ok ? no.value : undefined;
    const domain = live?.domain ?? nginx?.domain ?? assessedDomain(config);
    const host = domain.name;
    const evidence: Evidence[] = [];
    evidence.push({ text: domainEvidenceText(domain) });

    // What could not be looked at. Any entry makes the best outcome `unknown`: the certificate
    // clients get is only seen live, so offline (or unreachable) is never a pass.
    const unverified: Unverified[] = [];
    const missed = (id: FactId, o: ProbeOutcome<unknown> | undefined) => {
      const u = unverifiedOf(id, o);
      if (u) unverified.push(u);
    };
    const tls = live?.tls.ok ? live.tls.value : undefined;
    if (live && !live.tls.ok) unverified.push(livePartUnverified(live.tls, facts.refs('web.live')));
    else if (!live) missed('web.live', lo);
    if (!certbot) missed('host.certbot', co);

    const picked = certbot && host ? lineageFor(certbot, nginx, host) : undefined;
    const lineage = picked?.lineage;
    if (!tls && !lineage) {
      const why = [
        live ? `live certificate not read: ${live.tls.ok ? '' : live.tls.error}` : failureText('web.live', lo),
        certbot ? `certbot manages no certificate for ${host ?? 'the domain'}` : failureText('host.certbot', co),
      ];
      return { status: 'unknown', summary: `could not verify: ${why.join('; ')}`, evidence: [...evidence, ...why.map((text) => ({ text }))], unverified };
    }

    let grade: Grade = 'pass';
    const summary: string[] = [];
    let days: number;
    if (tls && host) {
      const leaf = tls.chain[0];
      if (!leaf) {
        return { status: 'unknown', summary: 'no leaf certificate in the live handshake', evidence, unverified: [{ probe: 'web.live', cause: { kind: 'probe', probe: 'web.live', reason: 'failed' }, detail: 'no leaf certificate in the live handshake' }] };
      }
      days = daysLeft(leaf.notAfter, now);
      const refs = [tls.seq];
      evidence.push({ text: `live ${tls.address}: ${leaf.subject}, issuer ${leaf.issuer}, expires ${leaf.notAfter} (${days} days), serial ${leaf.serial}`, refs });
      if (!tls.hostnameMatch) {
        grade = 'fail';
        evidence.push({ text: `the served certificate does not name ${host}: ${leaf.subjectAltNames.join(', ') || leaf.subject}`, refs });
        summary.push(`certificate does not match ${host}`);
      }
      const chain = chainProblem(tls);
      if (chain) {
        grade = 'fail';
        evidence.push({ text: chain, refs });
        summary.push(chain.split(':')[0] ?? chain);
      } else if (tls.verifyCode === 0) {
        evidence.push({ text: `chain of ${tls.chain.length} trusted (OpenSSL verify 0)`, refs });
      } else if (tls.trustedByConfiguredCa) {
        evidence.push({ text: `chain of ${tls.chain.length} ends at a CA of domain.caFile (OpenSSL verify ${tls.verifyCode ?? '?'} against the system store)`, refs });
      }
      if (tls.configuredCaError) evidence.push({ text: tls.configuredCaError });
      const sameSerial = lineage !== undefined && serialKey(lineage.serial) !== '' && serialKey(lineage.serial) === serialKey(leaf.serial);
      // nginx reads certificates at start and reload only: a renewed lineage is served after a reload.
      if (lineage && serialKey(lineage.serial) !== '' && !sameSerial) {
        const newer = Date.parse(lineage.expiry) > Date.parse(leaf.notAfter);
        evidence.push({
          text: `certbot lineage ${lineage.name} holds serial ${lineage.serial ?? '?'} (expires ${lineage.expiry}) but the live certificate is serial ${leaf.serial}${newer ? ': nginx has not been reloaded since the renewal (add a deploy hook) — the live certificate wins' : ''}`,
        });
        if (newer) summary.push('nginx serves an older certificate than certbot holds');
      }
      // The handshake does not check revocation; certbot does (OCSP): a served lineage it marks INVALID fails.
      if (sameSerial && lineage && !lineage.valid) {
        grade = 'fail';
        summary.push(invalidText(lineage));
        evidence.push({ text: `certbot lineage ${lineage.name}: ${lineage.validity}` });
      }
      // Without nginx's configuration, only the serial ties the served certificate to a lineage.
      if (lineage && !sameSerial && !nginx) missed('host.nginx', no);
    } else if (lineage) {
      // offline or unreachable: judge the lineage nginx loads (the served certificate stays unverified)
      const l = lineage;
      days = daysLeft(l.expiry, now);
      evidence.push({ text: `${live ? `live certificate not read (${live.tls.ok ? '' : live.tls.error}); ` : lo && !lo.ok ? `${failureText('web.live', lo)}; ` : ''}judged from certbot lineage ${l.name}: ${l.lines.find((x) => x.startsWith('Expiry Date')) ?? l.expiry}` });
      if (host && !l.domains.some((d) => covers(d, host))) {
        grade = 'fail';
        evidence.push({ text: `lineage ${l.name} covers ${l.domains.join(' ')}, not ${host}` });
        summary.push(`certificate does not match ${host}`);
      }
      // certbot's own verdict (VALID: N days / INVALID: TEST_CERT, EXPIRED, REVOKED — certbot/_internal/cert_manager.py)
      if (!l.valid) {
        grade = 'fail';
        summary.push(invalidText(l));
      }
      // the offline counterpart of the live "leaf only" finding: nginx loads cert.pem, not fullchain.pem
      if (picked?.byPath && picked.nginxPath !== undefined && picked.nginxPath !== l.certificatePath && /\/cert\.pem$/.test(picked.nginxPath)) {
        grade = 'fail';
        evidence.push({ text: `nginx's ssl_certificate is ${picked.nginxPath}: it sends only the leaf, not the intermediate (use ${l.certificatePath})` });
        summary.push('incomplete chain: nginx is configured with cert.pem instead of fullchain.pem');
      }
      if (!nginx) missed('host.nginx', no);
    } else {
      return { status: 'unknown', summary: 'no certificate to judge', evidence, unverified };
    }

    if (days < 0) {
      grade = 'fail';
      summary.unshift(`certificate expired ${-days} day(s) ago`);
    } else if (days < FAIL_DAYS) {
      grade = 'fail';
      summary.unshift(`certificate expires in ${days} day(s) (< ${FAIL_DAYS})`);
    } else if (days < WARN_DAYS) {
      grade = worse(grade, 'warn');
      summary.unshift(`certificate expires in ${days} days (< ${WARN_DAYS}): renewals may be failing`);
    }

    if (picked?.nginxPath !== undefined) {
      if (picked.byPath && lineage) evidence.push({ text: `nginx uses certbot lineage ${lineage.name} (${picked.nginxPath})` });
      else if (certbot) {
        grade = worse(grade, 'warn');
        evidence.push({ text: `nginx's ssl_certificate ${picked.nginxPath} is not a certbot lineage: certbot renewals do not reach it` });
        summary.push('nginx serves a certificate certbot does not manage');
      }
    } else if (certbot && !lineage) {
      grade = worse(grade, 'warn');
      evidence.push({ text: `certbot manages no certificate for ${host ?? 'the domain'}: renewals do not reach the served one` });
      summary.push('the served certificate is not managed by certbot');
    }
    for (const c of certbot?.invalidConfigs ?? []) {
      grade = worse(grade, 'warn');
      evidence.push({ text: `certbot: invalid renewal configuration ${c} (that lineage will not renew)` });
      summary.push('an invalid certbot renewal configuration');
    }
    for (const other of certbot?.lineages ?? []) {
      if (other !== lineage && !other.valid) evidence.push({ text: `other lineage ${other.name} (${other.validity}) is not used for ${host ?? 'the domain'}: not a finding` });
    }

    // automatic renewal
    if (renewal) {
      const r = renewalState(renewal);
      evidence.push(...r.evidence);
      if (!r.found) {
        grade = worse(grade, 'warn');
        summary.push('no automatic renewal found (certbot.timer or a cron entry)');
      }
    } else {
      evidence.push({ text: `renewal not verified: ${failureText('host.certbot-renewal', ro)}` });
      missed('host.certbot-renewal', ro);
    }

    const status = unverified.length > 0 ? worst(grade, 'unknown') : grade;
    if (status === 'unknown') {
      const seen = tls ? `certificate valid for ${days} days` : `certbot lineage ${lineage?.name ?? '?'} valid for ${days} days`;
      const also = summary.length > 0 ? `; also: ${summary.join('; ')}` : '';
      return { status, summary: `${seen}, but not verified: ${unverified.map((u) => u.detail).join('; ')}${also}`, evidence, unverified };
    }
    const withUnverified = unverified.length > 0 ? { unverified } : {};
    if (status === 'pass') return { status: 'pass', summary: `certificate valid for ${days} more days, trusted, names ${host ?? 'the domain'}; renewal automatic`, evidence };
    return { status, summary: summary.join('; '), evidence, ...withUnverified };
  },
});

/** `certbot marks the certificate INVALID: REVOKED (revoked)` */
function invalidText(l: CertbotLineage): string {
  const reasons = l.validity.replace(/^INVALID:\s*/, '').split(/,\s*/);
  const said = reasons.map((r) => INVALID_REASON[r] ?? r.toLowerCase()).join(', ');
  return `certbot marks lineage ${l.name} ${l.validity} (${said})`;
}

const INVALID_REASON: Readonly<Record<string, string>> = {
  TEST_CERT: "a staging (test) certificate that browsers do not trust",
  EXPIRED: 'expired',
  REVOKED: 'revoked by its CA (OCSP)',
};
