import { describe, expect, it } from 'vitest';
import { ORDER_PROCESSING_PROFILE } from '../../config/profile.js';
import type { CheckContext, Facts, ProbeOutcome } from '../../engine/types.js';
import type { FactId } from '../../facts/index.js';
import { botFact, bot, cosmosFact, cosmos, dnsFact, found, keyVaultFact, notFound, secrets, storageFact, tbd, vault, account } from '../../../test/fixtures/azure/facts.js';
import { botGapRows, configRow, cosmosGapRows, domainGapRows, keyVaultGapRows, resourceGroupGapRows, storageGapRows } from './gaps.js';

const ok = <T>(value: T): ProbeOutcome<T> => ({ ok: true, value, refs: [], durationMs: 0 });
const ctx: CheckContext = { config: { ...ORDER_PROCESSING_PROFILE, domain: { ...ORDER_PROCESSING_PROFILE.domain, prod: 'orders.pippaoflondon.co.uk' } }, now: new Date('2026-11-26T12:00:00Z') };
/** The Azure rows as the owning checks attach them, in catalog order. */
function azureGapRows(given: Record<string, unknown>) {
  const facts: Facts = {
    need: () => {
      throw new Error('not used');
    },
    maybe: ((id: FactId) => (id in given ? ok(given[id]) : undefined)) as Facts['maybe'],
    refs: () => [],
  };
  return [keyVaultGapRows, storageGapRows, cosmosGapRows, botGapRows, domainGapRows].flatMap((f) => f(facts, ctx));
}

describe('dev-vs-prod gap rows', () => {
  it('a production that matches dev has no gap', () => {
    const rows = azureGapRows({ 'azure.key-vault': keyVaultFact(), 'azure.storage': storageFact(), 'azure.cosmos': cosmosFact(), 'azure.bot': botFact(), 'azure.dns': dnsFact() });
    expect(rows.filter((r) => r.gap !== 'none' && r.item !== 'Domain')).toEqual([]);
    expect(rows.map((r) => r.item)).toContain('secret zoho-refresh-token');
  });

  it('names the secrets dev has and prod lacks, and settings where prod is behind', () => {
    const rows = azureGapRows(
      {
        'azure.key-vault': keyVaultFact(found(vault('prod', { purgeProtection: false, secrets: found(secrets(['zoho-client-id'])) }))),
        'azure.storage': storageFact(found(account('prod', { blob: found({ versioning: false, deleteRetention: { enabled: true, days: 7 }, containerDeleteRetention: { enabled: false }, changeFeed: false, pointInTimeRestore: { enabled: false } }) }))),
        'azure.cosmos': cosmosFact(found(cosmos('prod', { backup: { type: 'Periodic', intervalMinutes: 1440, retentionHours: 8 } })), { shared: true }),
        'azure.bot': botFact(found(bot('prod', { endpoint: 'https://processing.pippaoflondon.co.uk/api/messages' }))),
      },
    );
    const gap = (item: string) => rows.find((r) => r.item === item);
    expect(gap('secret zoho-refresh-token')).toEqual({ item: 'secret zoho-refresh-token', dev: 'present', prod: 'missing', gap: 'missing in prod', action: 'create zoho-refresh-token in pippai-keyvault-prod with the production value' });
    expect(gap('secret zoho-client-id')?.gap).toBe('none');
    expect(gap('Key Vault purge protection')).toMatchObject({ dev: 'on', prod: 'off', gap: 'prod behind dev' });
    expect(gap('blob versioning')).toMatchObject({ dev: 'on', prod: 'off', gap: 'prod behind dev' });
    expect(gap('Cosmos DB separate from dev')?.gap).toBe('prod uses the dev account');
    expect(gap('bot messaging endpoint')).toMatchObject({ prod: 'https://processing.pippaoflondon.co.uk/api/messages', action: 'az bot update --endpoint https://orders.pippaoflondon.co.uk/api/messages' });
    // Azure DNS not read: only the domain decision row
    expect(gap('Domain')).toMatchObject({ prod: 'orders.pippaoflondon.co.uk' });
    expect(rows.some((r) => r.item.startsWith('DNS '))).toBe(false);
  });

  it('TBD or missing prod resources are gaps; failed probes are unknown, never a pass', () => {
    const rows = azureGapRows({ 'azure.key-vault': keyVaultFact(tbd()), 'azure.storage': storageFact(notFound()) });
    expect(rows.find((r) => r.item === 'Key Vault')).toMatchObject({ prod: 'not decided (TBD)', gap: 'missing in prod' });
    expect(rows.find((r) => r.item === 'secret bot-app-password')).toMatchObject({ prod: 'not decided (TBD)', gap: 'missing in prod' });
    expect(rows.find((r) => r.item === 'storage account')).toMatchObject({ prod: 'missing', gap: 'missing in prod' });
    // Azure not read for Cosmos DB: the config's decision row stands in
    expect(rows.find((r) => r.item === 'Cosmos DB account')).toMatchObject({ prod: 'TBD', gap: 'prod undecided (TBD)' });
  });

  it('a kind declared in azure.prod.shareWithDev: the config row says shared with dev (declared), not TBD', () => {
    const config = structuredClone(ORDER_PROCESSING_PROFILE);
    config.azure.prod.shareWithDev = ['keyVault', 'resourceGroup'];
    config.azure.dev.resourceGroup = 'rg-orders-dev';
    const none: Facts = { need: () => { throw new Error('not used'); }, maybe: (() => undefined) as Facts['maybe'], refs: () => [] };
    const c: CheckContext = { config, now: ctx.now };
    expect(keyVaultGapRows(none, c)).toEqual([{ item: 'Key Vault', dev: 'pippai-keyvault-dev', prod: 'pippai-keyvault-dev (shared with dev)', gap: 'shared with dev (declared)', action: 'a declared risk: give prod its own resource when it must be isolated from dev' }]);
    expect(resourceGroupGapRows(none, c)[0]?.gap).toBe('shared with dev (declared)');
    // not declared: a TBD prod name stays a gap
    expect(storageGapRows(none, c)[0]?.gap).toBe('prod undecided (TBD)');
    expect(configRow('x', 'a', 'TBD', 'do it').gap).toBe('prod undecided (TBD)');
  });
});
