import { defineProbe } from '../../../engine/define.js';
import type { AzureEnvName, BlobServiceInfo, Lookup, RetentionPolicy, StorageInfo } from '../../../facts/azure.js';
import { carry, locate, lookup, perEnv, rgScope, wholeFailure } from '../lookup.js';
import { azureSetup, type AzureSetup } from '../setup.js';

const retention = (p: { enabled?: boolean; days?: number } | undefined): RetentionPolicy => ({
  enabled: p?.enabled === true,
  ...(p?.enabled === true && p.days !== undefined ? { days: p.days } : {}),
});

/** `Standard_RAGZRS` → `RAGZRS` (https://learn.microsoft.com/azure/storage/common/storage-redundancy). */
export const redundancyOf = (sku: string | undefined): string | undefined => (sku === undefined ? undefined : sku.split('_')[1]?.toUpperCase());

async function readAccount(setup: AzureSetup, env: AzureEnvName, name: string, resourceGroup: string): Promise<Lookup<StorageInfo>> {
  const { StorageManagementClient } = await import('@azure/arm-storage');
  const client = new StorageManagementClient(setup.credential, setup.session.subscriptionId, setup.modular());
  const target = { role: 'Reader', scope: rgScope(resourceGroup) };
  const [account, blob] = await Promise.all([
    lookup(() => client.storageAccounts.getProperties(resourceGroup, name), { ...target, what: `${env} storage account ${name}` }),
    lookup(
      async (): Promise<BlobServiceInfo> => {
        const b = await client.blobServices.getServiceProperties(resourceGroup, name);
        return {
          versioning: b.isVersioningEnabled === true,
          deleteRetention: retention(b.deleteRetentionPolicy),
          containerDeleteRetention: retention(b.containerDeleteRetentionPolicy),
          changeFeed: b.changeFeed?.enabled === true,
          pointInTimeRestore: retention(b.restorePolicy),
        };
      },
      { ...target, what: `the blob service properties of ${env} storage account ${name}` },
    ),
  ]);
  if (account.status !== 'found') return carry(account);
  const a = account.value;
  const sku = a.sku?.name;
  const redundancy = redundancyOf(sku);
  return {
    status: 'found',
    refs: account.refs,
    value: {
      id: a.id ?? '',
      name: a.name ?? name,
      resourceGroup,
      ...(a.location ? { location: a.location } : {}),
      ...(a.kind ? { kind: a.kind } : {}),
      ...(sku ? { sku } : {}),
      ...(redundancy ? { redundancy } : {}),
      ...(a.minimumTlsVersion ? { minimumTlsVersion: a.minimumTlsVersion } : {}),
      ...(a.allowBlobPublicAccess !== undefined ? { allowBlobPublicAccess: a.allowBlobPublicAccess } : {}),
      ...(a.enableHttpsTrafficOnly !== undefined ? { httpsOnly: a.enableHttpsTrafficOnly } : {}),
      ...(a.publicNetworkAccess ? { publicNetworkAccess: a.publicNetworkAccess } : {}),
      ...(a.networkRuleSet?.defaultAction ? { networkDefaultAction: a.networkRuleSet.defaultAction } : {}),
      blob,
    },
  };
}

/**
 * `azure.storage`: each environment's storage account (ARM `StorageAccounts_GetProperties`) and
 * its blob service properties (`BlobServices_GetServiceProperties`: versioning, blob and
 * container soft delete, change feed, point-in-time restore).
 */
export const storageProbe = defineProbe({
  id: 'azure.storage',
  describe: 'ARM storage account get + blobServices/default',
  network: true,
  async collect(ctx) {
    const setup = await azureSetup(ctx);
    if (!setup.ok) return setup;
    const value = await perEnv(async (env) => {
      const at = await locate(ctx, env, 'storageAccount');
      if (at.status !== 'found') return carry<StorageInfo>(at);
      const r = await readAccount(setup.value, env, at.value.name, at.value.resourceGroup);
      return { ...r, refs: [...at.refs, ...r.refs] };
    });
    return wholeFailure([value.dev, value.prod], 'azure.storage') ?? { ok: true, value };
  },
});
