import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCertbotCertificates } from './parse.js';
import { parseListTimers } from '../backup-jobs/timers.js';
import { cronRenewalEntries } from './renewal-parse.js';

const fixture = (file: string): string => readFileSync(new URL(`../../../../test/fixtures/certbot/${file}`, import.meta.url), 'utf8');

describe('parseCertbotCertificates', () => {
  it('renewed-and-expired.txt: two lineages; the renewed one shows only its current version', () => {
    const r = parseCertbotCertificates(fixture('renewed-and-expired.txt'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.invalidConfigs).toEqual([]);
    expect(r.value.lineages.map((l) => [l.name, l.valid, l.validity])).toEqual([
      ['old-sandbox', false, 'INVALID: EXPIRED'],
      ['processing.pippaoflondon.co.uk', true, 'VALID: 79 days'],
    ]);
    const cur = r.value.lineages[1];
    expect(cur).toMatchObject({
      serial: '1001',
      keyType: 'ECDSA',
      domains: ['processing.pippaoflondon.co.uk'],
      days: 79,
      certificatePath: '/srv/certbot-capture/le/live/processing.pippaoflondon.co.uk/fullchain.pem',
      privateKeyPath: '/srv/certbot-capture/le/live/processing.pippaoflondon.co.uk/privkey.pem',
    });
    expect(cur?.expiry).toMatch(/^2027-02-14T02:\d\d:\d\d\.000Z$/);
    expect(cur?.lines[0]).toBe('Certificate Name: processing.pippaoflondon.co.uk');
  });

  it('expiring-soon.txt: two domains, VALID: 4 days', () => {
    const r = parseCertbotCertificates(fixture('expiring-soon.txt'));
    expect(r.ok && r.value.lineages[0]).toMatchObject({ domains: ['processing.pippaoflondon.co.uk', 'www.pippaoflondon.co.uk'], days: 4, valid: true });
  });

  it('no-certificates.txt: an empty list, not a failure', () => {
    expect(parseCertbotCertificates(fixture('no-certificates.txt'))).toEqual({ ok: true, value: { lineages: [], invalidConfigs: [] } });
  });

  it('invalid-renewal-config.txt: the invalid renewal configuration is listed', () => {
    expect(parseCertbotCertificates(fixture('invalid-renewal-config.txt'))).toEqual({
      ok: true,
      value: { lineages: [], invalidConfigs: ['/srv/certbot-capture/le-broken/renewal/processing.pippaoflondon.co.uk.conf'] },
    });
  });

  it('jc sample (generic--certbot-certs.out): RSA lineages with masked serials', () => {
    const r = parseCertbotCertificates(fixture('jc-certbot-certs.txt'));
    expect(r.ok && r.value.lineages.map((l) => [l.name, l.domains, l.days])).toEqual([
      ['example.com', ['example.com', 'www.example.com'], 63],
      ['example.org', ['example.org', 'www.example.org'], 63],
    ]);
  });

  it('anything else fails, quoting the first line', () => {
    expect(parseCertbotCertificates(fixture('not-root.txt'))).toMatchObject({ ok: false, reason: 'failed', detail: 'unexpected certbot certificates output: The following error was encountered:' });
    expect(parseCertbotCertificates('Found the following certs:\n  Certificate Name: x\n    Domains: x\n')).toMatchObject({ ok: false, detail: expect.stringContaining('incomplete certificate entry') });
  });
});

describe('parseListTimers', () => {
  it('list-timers-written.txt: reads the certbot.timer row with its next and last run', () => {
    const rows = parseListTimers(fixture('list-timers-written.txt'), new Date('2026-11-26T02:34:00Z')) ?? [];
    expect(rows).toHaveLength(6);
    expect(rows[0]).toMatchObject({
      unit: 'certbot.timer',
      next: 'Thu 2026-11-26 06:07:11 UTC',
      last: 'Wed 2026-11-25 18:12:40 UTC',
      line: 'Thu 2026-11-26 06:07:11 UTC 3h 33min left Wed 2026-11-25 18:12:40 UTC 8h ago certbot.timer certbot.service',
    });
  });

  it('never-run timers print n/a (systemd < 254) or - (newer): no next/last', () => {
    const text = [
      'NEXT                        LEFT     LAST PASSED UNIT                         ACTIVATES',
      'n/a                         n/a      n/a  n/a    certbot.timer                certbot.service',
      '-                           -        -    -      snap.certbot.renew.timer     snap.certbot.renew.service',
    ].join('\n');
    expect((parseListTimers(text, new Date()) ?? []).map((r) => [r.unit, r.next, r.last])).toEqual([
      ['certbot.timer', undefined, undefined],
      ['snap.certbot.renew.timer', undefined, undefined],
    ]);
  });
});

describe('cronRenewalEntries', () => {
  it("cron.d-certbot.txt (Debian's package file): one entry, skipped under systemd", () => {
    expect(cronRenewalEntries(fixture('cron.d-certbot.txt'), '/etc/cron.d/certbot')).toEqual([
      {
        source: '/etc/cron.d/certbot:17',
        line: "0 */12 * * * root test -x /usr/bin/certbot -a \\! -d /run/systemd/system && perl -e 'sleep int(rand(43200))' && certbot -q renew --no-random-sleep-on-renew",
        skippedUnderSystemd: true,
      },
    ]);
  });

  it('crontab-root-written.txt: a plain `certbot renew` line counts; comments do not', () => {
    expect(cronRenewalEntries(fixture('crontab-root-written.txt'), 'crontab -l (root)')).toEqual([
      { source: 'crontab -l (root):2', line: '17 3 * * * /usr/bin/certbot renew --quiet --deploy-hook "systemctl reload nginx"', skippedUnderSystemd: false },
    ]);
  });
});
