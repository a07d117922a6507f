import type { BackupPolicyUnion } from '@azure/arm-cosmosdb';
import { defineProbe } from '../../../engine/define.js';
import { azureName } from '../../../config/shared.js';
import { isTbd } from '../../../config/tbd.js';
import type { AzureEnvName, CosmosBackup, CosmosInfo, Lookup } from '../../../facts/azure.js';
import { carry, locate, lookup, perEnv, rgScope, wholeFailure } from '../lookup.js';
import { azureSetup, type AzureSetup } from '../setup.js';

/** The backup policy as Azure reports it (https://learn.microsoft.com/azure/cosmos-db/online-backup-and-restore). */
export function backupOf(p: BackupPolicyUnion | undefined): CosmosBackup {
  if (p === undefined) return { type: 'unknown' };
  if (p.type === 'Periodic' && 'periodicModeProperties' in p) {
    const m = p.periodicModeProperties;
    return {
      type: 'Periodic',
      ...(m?.backupIntervalInMinutes !== undefined ? { intervalMinutes: m.backupIntervalInMinutes } : {}),
      ...(m?.backupRetentionIntervalInHours !== undefined ? { retentionHours: m.backupRetentionIntervalInHours } : {}),
      ...(m?.backupStorageRedundancy !== undefined ? { storageRedundancy: m.backupStorageRedundancy } : {}),
    };
  }
  if (p.type === 'Periodic') return { type: 'Periodic' };
  if (p.type === 'Continuous') {
    const tier = 'continuousModeProperties' in p ? p.continuousModeProperties?.tier : undefined;
    return { type: 'Continuous', ...(tier !== undefined ? { tier } : {}) };
  }
  return { type: 'unknown', raw: String(p.type) };
}

async function readAccount(setup: AzureSetup, env: AzureEnvName, name: string, resourceGroup: string): Promise<Lookup<CosmosInfo>> {
  const { CosmosDBManagementClient } = await import('@azure/arm-cosmosdb');
  const client = new CosmosDBManagementClient(setup.credential, setup.session.subscriptionId, setup.classic());
  const account = await lookup(() => client.databaseAccounts.get(resourceGroup, name), { what: `${env} Cosmos DB account ${name}`, role: 'Reader', scope: rgScope(resourceGroup) });
  if (account.status !== 'found') return carry(account);
  const a = account.value;
  return {
    status: 'found',
    refs: account.refs,
    value: {
      id: a.id ?? '',
      name: a.name ?? name,
      resourceGroup,
      ...(a.documentEndpoint ? { documentEndpoint: a.documentEndpoint } : {}),
      backup: backupOf(a.backupPolicy),
      ...(a.publicNetworkAccess ? { publicNetworkAccess: a.publicNetworkAccess } : {}),
      ipRuleCount: a.ipRules?.length ?? 0,
      virtualNetworkFilter: a.isVirtualNetworkFilterEnabled === true,
      privateEndpointCount: a.privateEndpointConnections?.length ?? 0,
      locations: (a.locations ?? []).map((l) => ({
        name: l.locationName ?? l.id ?? '?',
        ...(l.failoverPriority !== undefined ? { failoverPriority: l.failoverPriority } : {}),
        zoneRedundant: l.isZoneRedundant === true,
      })),
      ...(a.enableAutomaticFailover !== undefined ? { automaticFailover: a.enableAutomaticFailover } : {}),
      ...(a.enableMultipleWriteLocations !== undefined ? { multipleWriteLocations: a.enableMultipleWriteLocations } : {}),
    },
  };
}

/**
 * `azure.cosmos`: each environment's Cosmos DB account (ARM `DatabaseAccounts_Get`): backup
 * policy, network exposure, regions and zones. `shared` says dev and prod name the same account.
 */
export const cosmosProbe = defineProbe({
  id: 'azure.cosmos',
  describe: 'ARM Cosmos DB databaseAccounts get',
  network: true,
  async collect(ctx) {
    const setup = await azureSetup(ctx);
    if (!setup.ok) return setup;
    const dev = ctx.config.azure.dev.cosmosAccount;
    const prod = azureName(ctx.config, 'prod', 'cosmosAccount');
    const sameName = !isTbd(dev) && dev.toLowerCase() === prod.toLowerCase();
    const value = await perEnv(async (env) => {
      const at = await locate(ctx, env, 'cosmosAccount');
      if (at.status !== 'found') return carry<CosmosInfo>(at);
      const r = await readAccount(setup.value, env, at.value.name, at.value.resourceGroup);
      return { ...r, refs: [...at.refs, ...r.refs] };
    });
    const sameId = value.dev.status === 'found' && value.prod.status === 'found' && value.dev.value.id.toLowerCase() === value.prod.value.id.toLowerCase();
    return wholeFailure([value.dev, value.prod], 'azure.cosmos') ?? { ok: true, value: { ...value, shared: sameName || sameId } };
  },
});
