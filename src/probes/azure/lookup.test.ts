import { describe, expect, it } from 'vitest';
import { config } from '../../../test/fixtures/azure/check-context.js';
import type { Config } from '../../config/schema.js';
import type { ProbeContext } from '../../engine/types.js';
import { locate } from './lookup.js';

/** Only `config` is read while the resource group is configured (no discovery, no I/O). */
const ctxOf = (c: Config) => ({ config: c, probe: () => Promise.reject(new Error('discovery not expected')) }) as unknown as ProbeContext;

describe('locate: kinds prod shares with dev', () => {
  it.each([
    ['not shared: the prod name in the prod group', (_c: Config) => {}, 'keyVault', { name: 'pippai-keyvault-prod', resourceGroup: 'rg-orders-prod' }],
    ['shareWithDev keyVault, prod name TBD: the dev vault in the dev group', (c: Config): void => void ((c.azure.prod.shareWithDev = ['keyVault']), (c.azure.prod.keyVault = 'TBD')), 'keyVault', { name: 'pippai-keyvault-dev', resourceGroup: 'rg-orders-dev' }],
    ['shareWithDev resourceGroup: the prod vault in the dev group', (c: Config): void => void (c.azure.prod.shareWithDev = ['resourceGroup']), 'keyVault', { name: 'pippai-keyvault-prod', resourceGroup: 'rg-orders-dev' }],
    ['bot.registration same: the dev bot', (c: Config): void => void ((c.bot.registration = 'same'), (c.azure.prod.botName = 'TBD')), 'botName', { name: 'pippai-bot-dev', resourceGroup: 'rg-orders-dev' }],
  ] as const)('%s', async (_n, over, kind, want) => {
    const l = await locate(ctxOf(config(over)), 'prod', kind);
    expect(l).toEqual({ status: 'found', value: want, refs: [] });
  });

  it('shared kind whose dev name is TBD: the gap names the dev key', async () => {
    const l = await locate(ctxOf(config((c) => ((c.azure.prod.shareWithDev = ['storageAccount']), (c.azure.dev.storageAccount = 'TBD')))), 'prod', 'storageAccount');
    expect(l).toMatchObject({ status: 'tbd', key: 'azure.dev.storageAccount' });
  });
});
