/**
 * Reading `openssl s_client -connect <host:port> -servername <domain> -showcerts` (OpenSSL 3):
 * the certificates the server sent (PEM blocks under "Certificate chain", leaf first), the
 * negotiated protocol and cipher, and `Verify return code: N (text)` — OpenSSL's verdict
 * against the system trust store (https://docs.openssl.org/3.0/man1/openssl-s_client/).
 * Certificates are read with node's X509Certificate; nothing here does I/O.
 */
import { X509Certificate } from 'node:crypto';
import type { ProbeResult } from '../../../engine/types.js';
import type { LiveCertificate, LiveTls } from '../../../facts/web.js';

const PEM = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** The PEM certificates in a text, in order. */
export function pemBlocks(text: string): string[] {
  return text.match(PEM) ?? [];
}

function describe(cert: X509Certificate): LiveCertificate {
  const sans = (cert.subjectAltName ?? '')
    .split(/,\s*/)
    .map((s) => s.trim())
    .filter(Boolean);
  return {
    subject: cert.subject.replace(/\n/g, ', '),
    issuer: cert.issuer.replace(/\n/g, ', '),
    subjectAltNames: sans,
    notBefore: new Date(cert.validFrom).toISOString(),
    notAfter: new Date(cert.validTo).toISOString(),
    serial: cert.serialNumber.toUpperCase(),
    fingerprint256: cert.fingerprint256,
    selfSigned: cert.checkIssued(cert) && cert.verify(cert.publicKey),
  };
}

/** `b` issued `a`: names chain and `a`'s signature verifies with `b`'s key. */
function issuedBy(a: X509Certificate, b: X509Certificate): boolean {
  try {
    return a.checkIssued(b) && a.verify(b.publicKey);
  } catch {
    return false;
  }
}

/** s_client's stdout and what it was run for. */
export interface SClientInput {
  stdout: string;
  /** host:port connected to */
  address: string;
  domain: string;
  seq: number;
  /** PEM CA certificates trusted in addition to the system store (domain.caFile) */
  extraCa?: string;
}

/** Parse s_client's stdout into the served chain and OpenSSL's verdict. */
export function parseSClient(input: SClientInput): ProbeResult<LiveTls> {
  const blocks = pemBlocks(input.stdout);
  if (blocks.length === 0) {
    const said = input.stdout.split('\n').find((l) => /error|errno|no peer certificate/i.test(l))?.trim();
    return { ok: false, reason: 'failed', detail: `no certificate in openssl s_client output${said ? `: ${said}` : ''}` };
  }
  let certs: X509Certificate[];
  try {
    certs = blocks.map((b) => new X509Certificate(b));
  } catch (err) {
    return { ok: false, reason: 'failed', detail: `unreadable certificate from ${input.address}: ${err instanceof Error ? err.message : String(err)}` };
  }
  const leaf = certs[0];
  if (!leaf) return { ok: false, reason: 'failed', detail: 'no leaf certificate' };
  const verify = /Verify return code: (\d+) \(([^)]*)\)/.exec(input.stdout);
  const negotiated = /New, (TLSv[\d.]+|SSLv\d), Cipher is (\S+)/.exec(input.stdout);
  const chainLinked = certs.every((c, i) => i === certs.length - 1 || issuedBy(c, certs[i + 1] as X509Certificate));
  let trustedByConfiguredCa: boolean | undefined;
  if (input.extraCa !== undefined) {
    const cas = pemBlocks(input.extraCa).map((p) => new X509Certificate(p));
    const top = certs[certs.length - 1] as X509Certificate;
    trustedByConfiguredCa = chainLinked && cas.some((ca) => ca.fingerprint256 === top.fingerprint256 || issuedBy(top, ca));
  }
  return {
    ok: true,
    value: {
      address: input.address,
      chain: certs.map(describe),
      // checkHost follows RFC 6125: SANs first, one-label wildcards
      hostnameMatch: leaf.checkHost(input.domain) !== undefined,
      chainLinked,
      ...(verify ? { verifyCode: Number(verify[1]), verifyMessage: verify[2] ?? '' } : {}),
      ...(trustedByConfiguredCa !== undefined ? { trustedByConfiguredCa } : {}),
      ...(negotiated ? { protocol: negotiated[1], cipher: negotiated[2] } : {}),
      seq: input.seq,
    },
  };
}
