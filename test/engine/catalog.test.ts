import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/checks/index.js';
import { CATALOG_END, CATALOG_START, renderCatalogMarkdown } from '../../src/cli/catalog.js';
import { PROBES } from '../../src/probes/index.js';

/** The ids of docs/ARCHITECTURE.md "Check catalog", in its order. They may not be renamed. */
const DESIGN_IDS = `infra.prod-resources infra.key-vault infra.storage infra.cosmos infra.dns
security.os-patches security.firewall security.fail2ban security.ssh security.nginx-headers security.rate-limiting security.open-ports security.tls-certificate
secrets.zoho-prod-tokens secrets.bot-credentials secrets.in-key-vault secrets.rotation-policy
monitoring.azure-monitor-vm monitoring.log-shipping monitoring.alert-service-down monitoring.alert-error-rate monitoring.alert-disk-space monitoring.alert-ssl-expiry monitoring.external-health
backup.cosmos-policy backup.blob-versioning backup.vm-backup backup.recovery-procedure
zoho.prod-org-id zoho.prod-oauth zoho.rate-limits zoho.webhooks
bot.decision bot.app-registration bot.resource bot.messaging-endpoint
golive.dev-tests golive.uat golive.rollback golive.support-contacts golive.window`.split(/\s+/);

const checksDir = join(import.meta.dirname, '../../src/checks');

describe('check catalog', () => {
  it('registers the 41 docs/ARCHITECTURE.md checks in their order, and every check once', () => {
    const ids = CHECKS.map((c) => c.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
    // DESIGN ids may not be renamed or reordered; new ids (section.kebab-name) may be added.
    expect(ids.filter((id) => DESIGN_IDS.includes(id))).toEqual(DESIGN_IDS);
    for (const id of ids) expect(id).toMatch(/^(infra|security|secrets|monitoring|backup|zoho|bot|golive)\.[a-z0-9]+(-[a-z0-9]+)*$/);
    // a new check sits in its own section's block, so reports list sections in order
    const sections = CHECKS.map((c) => c.meta.section);
    expect(sections.filter((s, i) => i === 0 || s !== sections[i - 1])).toHaveLength(8);
  });

  it('has one folder per check, named after its id, and no unregistered folder', () => {
    const folders = readdirSync(checksDir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .flatMap((section) =>
        readdirSync(join(checksDir, section.name), { withFileTypes: true })
          .filter((d) => d.isDirectory())
          .map((d) => `${section.name}.${d.name}`),
      );
    expect(folders.sort()).toEqual(CHECKS.map((c) => c.meta.id).sort());
    for (const c of CHECKS) {
      expect(c.meta.id).toBe(`${c.meta.section}.${c.meta.id.split('.')[1]}`);
    }
  });

  it.each(CHECKS.map((c) => [c.meta.id, c] as const))('%s has complete metadata', (_id, c) => {
    const m = c.meta;
    expect(m.title.length).toBeGreaterThan(10);
    expect(m.runs.length).toBeGreaterThan(5);
    expect(m.remediation.text.length).toBeGreaterThan(10);
    expect(m.remediation.url).toMatch(/^https:\/\//);
    expect(m.effort.hours[0]).toBeGreaterThan(0);
    expect(m.effort.hours[0]).toBeLessThanOrEqual(m.effort.hours[1]);
    expect(['S', 'M', 'L']).toContain(m.effort.size);
  });

  it.each(CHECKS.map((c) => [c.meta.id, c] as const))('%s: has a test and registered probes', (id, c) => {
    const [section, name] = id.split('.') as [string, string];
    expect(existsSync(join(checksDir, section, name, 'check.test.ts')), `${id} needs check.test.ts`).toBe(true);
    for (const p of [...c.requires, ...(c.uses ?? [])]) expect(PROBES[p], `probe ${p}`).toBeDefined();
  });

  it('README catalog table is current (run: npm run build && npm run catalog)', () => {
    const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
    const a = readme.indexOf(CATALOG_START);
    const b = readme.indexOf(CATALOG_END);
    expect(a).toBeGreaterThan(0);
    expect(readme.slice(a + CATALOG_START.length, b).trim()).toBe(renderCatalogMarkdown(CHECKS).trim());
  });
});
