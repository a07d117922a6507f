/**
 * `certbot certificates --config-dir <dir>` (Debian package certbot) on real certbot layouts built
 * with openssl-made certificates: live/<name>/*.pem symlinks into archive/<name>/*N.pem and a
 * renewal/<name>.conf. No ACME server is contacted: listing reads the local files only.
 */
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check as certCheck } from '../../src/checks/security/tls-certificate/check.js';
import { ORDER_PROCESSING_PROFILE } from '../../src/config/profile.js';
import { evaluateCheck, outcomesOf } from '../../src/engine/evaluate.js';
import { collectCertbot } from '../../src/probes/host/certbot/probe.js';
import { TIMER_RENEWAL } from '../fixtures/nginx/facts.js';
import { DOMAIN } from '../fixtures/nginx/harness.js';
import { addLineageVersion, TestCa } from '../fixtures/nginx/pki.js';
import { realContext, requireTool } from '../helpers/real-context.js';

let root = '';
let ca: TestCa;
const now = () => new Date();

beforeAll(async () => {
  await requireTool('certbot', 'certbot');
  await requireTool('openssl', 'openssl');
  root = await mkdtemp(join(tmpdir(), 'predeploy-certbot-'));
  ca = await TestCa.create(root);
});
afterAll(async () => {
  if (root !== '') await rm(root, { recursive: true, force: true });
});

/** Run the real certbot on a config dir through the probe. */
async function certificates(configDir: string) {
  return collectCertbot(realContext(), { configDir, workDir: join(configDir, '..', 'work'), logsDir: join(configDir, '..', 'logs') });
}

describe('certbot certificates --config-dir <layout>', () => {
  it('a renewed lineage (archive holds an expired v1) and an expired unused lineage: the archive is never listed', async () => {
    const dir = join(await mkdtemp(join(root, 'le-')), 'letsencrypt');
    await addLineageVersion(dir, DOMAIN, 1, await ca.leaf('v1', [DOMAIN], -120, -30), ca);
    const current = await ca.leaf('v2', [DOMAIN, `www.${DOMAIN}`], -10, 80);
    await addLineageVersion(dir, DOMAIN, 2, current, ca);
    await addLineageVersion(dir, 'old-sandbox', 1, await ca.leaf('sandbox', ['old-sandbox.pippaoflondon.co.uk'], -100, -10), ca);

    const r = await certificates(dir);
    expect(r.ok, r.ok ? '' : r.detail).toBe(true);
    if (!r.ok) return;
    expect(r.value.invalidConfigs).toEqual([]);
    expect(r.value.lineages.map((l) => [l.name, l.valid])).toEqual([
      ['old-sandbox', false],
      [DOMAIN, true],
    ]);
    const lineage = r.value.lineages[1];
    const x509 = new X509Certificate(await readFile(current.cert));
    expect(lineage).toMatchObject({
      domains: [DOMAIN, `www.${DOMAIN}`],
      certificatePath: join(dir, 'live', DOMAIN, 'fullchain.pem'),
      privateKeyPath: join(dir, 'live', DOMAIN, 'privkey.pem'),
      serial: x509.serialNumber.toLowerCase().replace(/^0+/, ''),
    });
    expect(Date.parse(lineage?.expiry ?? '')).toBe(Date.parse(x509.validTo));
    expect(lineage?.days).toBeGreaterThanOrEqual(79);
    // the expired archive/…/cert1.pem is not among them
    expect(JSON.stringify(r.value)).not.toContain('cert1.pem');

    // tls-certificate, offline (no live handshake): the lineage is judged and the expired ones are
    // not findings, but what nginx serves is not seen: unknown (offline), never pass
    const result = evaluateCheck(
      certCheck,
      outcomesOf({ 'host.certbot': r, 'host.certbot-renewal': { ok: true, value: TIMER_RENEWAL }, 'web.live': { ok: false, reason: 'disabled', detail: 'network probes are off (--offline)', cause: { kind: 'offline' } } }),
      { config: ORDER_PROCESSING_PROFILE, now: now() },
    );
    expect(result.status).toBe('unknown');
    expect(result.unverified.map((u) => u.cause)).toContainEqual({ kind: 'offline' });
    expect(result.evidence.map((e) => e.text)).toContain(`other lineage old-sandbox (INVALID: EXPIRED) is not used for ${DOMAIN}: not a finding`);
  });

  it('a lineage from the staging server: real certbot prints INVALID: TEST_CERT and tls-certificate fails', async () => {
    const dir = join(await mkdtemp(join(root, 'le-')), 'letsencrypt');
    await addLineageVersion(dir, DOMAIN, 1, await ca.leaf('staging', [DOMAIN], -10, 80), ca, 'https://acme-staging-v02.api.letsencrypt.org/directory');
    const r = await certificates(dir);
    expect(r.ok && r.value.lineages.map((l) => [l.validity, l.valid])).toEqual([['INVALID: TEST_CERT', false]]);
    const result = evaluateCheck(certCheck, outcomesOf({ 'host.certbot': r, 'host.certbot-renewal': { ok: true, value: TIMER_RENEWAL } }), { config: ORDER_PROCESSING_PROFILE, now: now() });
    expect(result.status).toBe('fail');
    expect(result.summary).toContain(`certbot marks lineage ${DOMAIN} INVALID: TEST_CERT (a staging (test) certificate that browsers do not trust)`);
  });

  it('a lineage 3 days from expiry → tls-certificate fails', async () => {
    const dir = join(await mkdtemp(join(root, 'le-')), 'letsencrypt');
    await addLineageVersion(dir, DOMAIN, 1, await ca.leaf('soon', [DOMAIN], -87, 3), ca);
    const r = await certificates(dir);
    expect(r.ok && r.value.lineages[0]?.days).toBeLessThanOrEqual(3);
    const result = evaluateCheck(certCheck, outcomesOf({ 'host.certbot': r, 'host.certbot-renewal': { ok: true, value: TIMER_RENEWAL } }), { config: ORDER_PROCESSING_PROFILE, now: now() });
    expect(result.status).toBe('fail');
    expect(result.summary).toMatch(/^certificate expires in [23] day\(s\) \(< 7\)/);
  });

  it('an empty config dir: no certificates (a value, not a failure)', async () => {
    const dir = join(await mkdtemp(join(root, 'le-')), 'letsencrypt');
    expect(await certificates(dir)).toEqual({ ok: true, value: { lineages: [], invalidConfigs: [] } });
  });

  it('a broken lineage (fullchain ≠ cert + chain): listed as an invalid renewal configuration', async () => {
    const dir = join(await mkdtemp(join(root, 'le-')), 'letsencrypt');
    const leaf = await ca.leaf('broken', [DOMAIN], -1, 60);
    await addLineageVersion(dir, DOMAIN, 1, leaf, ca);
    await writeFile(join(dir, 'archive', DOMAIN, 'fullchain1.pem'), await readFile(leaf.cert, 'utf8'));
    const r = await certificates(dir);
    expect(r).toEqual({ ok: true, value: { lineages: [], invalidConfigs: [join(dir, 'renewal', `${DOMAIN}.conf`)] } });
  });
});
