/**
 * Parser for `certbot certificates` (certbot 1.x/2.x; the format of `certbot/_internal/cert_manager.py`):
 *
 * ```
 * Found the following certs:
 *   Certificate Name: example.com
 *     Serial Number: 3f7a…
 *     Key Type: RSA
 *     Domains: example.com www.example.com
 *     Expiry Date: 2023-05-11 01:33:10+00:00 (VALID: 63 days)
 *     Certificate Path: /etc/letsencrypt/live/example.com/fullchain.pem
 *     Private Key Path: /etc/letsencrypt/live/example.com/privkey.pem
 * ```
 * or `No certificates found.`, and a `The following renewal configurations were invalid:` list.
 * certbot lists lineages (the `live/` links and their renewal configuration), never the older
 * versions kept under `archive/`, so an expired archived certificate never shows up here.
 */
import type { ProbeResult } from '../../../engine/types.js';
import type { CertbotCertificates, CertbotLineage } from '../../../facts/web.js';

const FIELD = /^\s+([A-Z][A-Za-z ]+):\s*(.*)$/;

function lineage(lines: string[]): CertbotLineage | string {
  const fields = new Map<string, string>();
  for (const line of lines) {
    const m = FIELD.exec(line);
    if (m) fields.set(m[1] ?? '', (m[2] ?? '').trim());
  }
  const name = fields.get('Certificate Name');
  const expiryText = fields.get('Expiry Date');
  const certificatePath = fields.get('Certificate Path');
  const privateKeyPath = fields.get('Private Key Path');
  if (name === undefined || expiryText === undefined || certificatePath === undefined || privateKeyPath === undefined) {
    return `incomplete certificate entry: ${lines.map((l) => l.trim()).join(' | ')}`;
  }
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})([+-]\d{2}:\d{2})?\s*\((.*)\)$/.exec(expiryText);
  if (!m) return `unreadable expiry date for ${name}: ${expiryText}`;
  const validity = m[4] ?? '';
  const days = /^VALID: (-?\d+) days?$/.exec(validity)?.[1];
  const serial = fields.get('Serial Number');
  const keyType = fields.get('Key Type');
  return {
    name,
    ...(serial !== undefined ? { serial } : {}),
    ...(keyType !== undefined ? { keyType } : {}),
    domains: (fields.get('Domains') ?? '').split(/\s+/).filter(Boolean),
    expiry: new Date(`${m[1]}T${m[2]}${m[3] ?? 'Z'}`).toISOString(),
    validity,
    valid: validity.startsWith('VALID'),
    ...(days !== undefined ? { days: Number(days) } : {}),
    certificatePath,
    privateKeyPath,
    lines: lines.map((l) => l.trim()),
  };
}

/** Parse `certbot certificates` stdout+stderr. Output that says neither "Found" nor "No certificates" fails. */
export function parseCertbotCertificates(text: string): ProbeResult<CertbotCertificates> {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const found = lines.findIndex((l) => l.trim() === 'Found the following certs:');
  const none = lines.some((l) => l.trim() === 'No certificates found.');
  const invalidAt = lines.findIndex((l) => l.trim() === 'The following renewal configurations were invalid:');
  if (found < 0 && !none && invalidAt < 0) {
    const said = lines.find((l) => l.trim() !== '' && !l.startsWith('Saving debug log'))?.trim() ?? '(empty)';
    return { ok: false, reason: 'failed', detail: `unexpected certbot certificates output: ${said}` };
  }
  const result: CertbotCertificates = { lineages: [], invalidConfigs: [] };
  if (invalidAt >= 0) {
    for (const line of lines.slice(invalidAt + 1)) {
      if (!/^\s+\S/.test(line)) break;
      result.invalidConfigs.push(line.trim());
    }
  }
  if (found >= 0) {
    let block: string[] = [];
    const flush = (): string | undefined => {
      if (block.length === 0) return undefined;
      const l = lineage(block);
      block = [];
      if (typeof l === 'string') return l;
      result.lineages.push(l);
      return undefined;
    };
    for (const line of lines.slice(found + 1)) {
      if (!/^\s/.test(line) || line.trim() === '') break;
      if (/^\s+Certificate Name:/.test(line)) {
        const error = flush();
        if (error) return { ok: false, reason: 'failed', detail: error };
      }
      block.push(line);
    }
    const error = flush();
    if (error) return { ok: false, reason: 'failed', detail: error };
  }
  return { ok: true, value: result };
}
