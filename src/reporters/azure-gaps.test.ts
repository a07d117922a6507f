import { describe, expect, it } from 'vitest';
import type { ProbeOutcome } from '../engine/types.js';
import { botFact, bot, cosmosFact, cosmos, dnsFact, found, keyVaultFact, notFound, secrets, storageFact, tbd, vault, account } from '../../test/fixtures/azure/facts.js';
import { azureGapRows, type OutcomeReader } from './azure-gaps.js';

const ok = <T>(value: T): ProbeOutcome<T> => ({ ok: true, value, refs: [], durationMs: 0 });
const reader = (facts: Record<string, unknown>): OutcomeReader => (id) => (id in facts ? ok(facts[id]) : undefined);
const cfg = { prodDomain: 'orders.pippaoflondon.co.uk', messagingPath: '/api/messages' };

describe('azureGapRows', () => {
  it('a production that matches dev has no gap', () => {
    const rows = azureGapRows(reader({ 'azure.key-vault': keyVaultFact(), 'azure.storage': storageFact(), 'azure.cosmos': cosmosFact(), 'azure.bot': botFact(), 'azure.dns': dnsFact() }), cfg);
    expect(rows.filter((r) => r.gap !== 'none')).toEqual([]);
    expect(rows.map((r) => r.item)).toContain('secret zoho-refresh-token');
  });

  it('names the secrets dev has and prod lacks, and settings where prod is behind', () => {
    const rows = azureGapRows(
      reader({
        'azure.key-vault': keyVaultFact(found(vault('prod', { purgeProtection: false, secrets: found(secrets(['zoho-client-id'])) }))),
        'azure.storage': storageFact(found(account('prod', { blob: found({ versioning: false, deleteRetention: { enabled: true, days: 7 }, containerDeleteRetention: { enabled: false }, changeFeed: false, pointInTimeRestore: { enabled: false } }) }))),
        'azure.cosmos': cosmosFact(found(cosmos('prod', { backup: { type: 'Periodic', intervalMinutes: 1440, retentionHours: 8 } })), { shared: true }),
        'azure.bot': botFact(found(bot('prod', { endpoint: 'https://processing.pippaoflondon.co.uk/api/messages' }))),
      }),
      cfg,
    );
    const gap = (item: string) => rows.find((r) => r.item === item);
    expect(gap('secret zoho-refresh-token')).toEqual({ item: 'secret zoho-refresh-token', dev: 'present', prod: 'missing', gap: 'missing in prod', action: 'create zoho-refresh-token in pippai-keyvault-prod with the production value' });
    expect(gap('secret zoho-client-id')?.gap).toBe('none');
    expect(gap('Key Vault purge protection')).toMatchObject({ dev: 'on', prod: 'off', gap: 'prod behind dev' });
    expect(gap('blob versioning')).toMatchObject({ dev: 'on', prod: 'off', gap: 'prod behind dev' });
    expect(gap('Cosmos DB separate from dev')?.gap).toBe('prod uses the dev account');
    expect(gap('bot messaging endpoint')).toMatchObject({ prod: 'https://processing.pippaoflondon.co.uk/api/messages', action: 'az bot update --endpoint https://orders.pippaoflondon.co.uk/api/messages' });
    expect(gap('DNS orders.pippaoflondon.co.uk') ?? gap('production domain DNS')).toMatchObject({ gap: 'unknown' });
  });

  it('TBD or missing prod resources are gaps; failed probes are unknown, never a pass', () => {
    const rows = azureGapRows(reader({ 'azure.key-vault': keyVaultFact(tbd()), 'azure.storage': storageFact(notFound()) }), cfg);
    expect(rows.find((r) => r.item === 'Key Vault')).toMatchObject({ prod: 'not decided (TBD)', gap: 'missing in prod' });
    expect(rows.find((r) => r.item === 'secret bot-app-password')).toMatchObject({ prod: 'not decided (TBD)', gap: 'missing in prod' });
    expect(rows.find((r) => r.item === 'storage account')).toMatchObject({ prod: 'missing', gap: 'missing in prod' });
    expect(rows.find((r) => r.item === 'Azure Bot')).toMatchObject({ dev: 'unknown', prod: 'unknown', gap: 'unknown' });
  });
});
