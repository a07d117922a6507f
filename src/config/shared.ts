/**
 * Resources prod deliberately shares with dev: `azure.prod.shareWithDev` (Key Vault, storage,
 * Cosmos DB, resource group) and `bot.registration: same` (the Azure Bot). For such a kind prod
 * uses the dev resource: its name is the dev name, and the sharing is a declared risk, not a gap.
 */
import type { AzureEnvName, AzureResourceKind } from '../facts/azure.js';
import type { Config } from './schema.js';

/** Whether prod declares that it uses the dev resource of this kind. */
export function sharedWithDev(config: Config, kind: AzureResourceKind): boolean {
  if (kind === 'botName') return config.bot.registration === 'same';
  return (config.azure.prod.shareWithDev as readonly string[]).includes(kind);
}

/** The config key that declares the sharing of a kind (for messages). */
export function sharingKey(kind: AzureResourceKind): string {
  return kind === 'botName' ? 'bot.registration: same' : 'azure.prod.shareWithDev';
}

/** The resource name an environment uses for a kind: for a shared kind, prod uses the dev name. */
export function azureName(config: Config, env: AzureEnvName, kind: AzureResourceKind): string {
  return env === 'prod' && sharedWithDev(config, kind) ? config.azure.dev[kind] : config.azure[env][kind];
}

/** The names an environment uses, every kind (shared kinds resolved to the dev names). */
export function azureNames(config: Config, env: AzureEnvName): Record<AzureResourceKind, string> {
  const kinds: AzureResourceKind[] = ['resourceGroup', 'keyVault', 'storageAccount', 'cosmosAccount', 'vm', 'botName'];
  return Object.fromEntries(kinds.map((k) => [k, azureName(config, env, k)])) as Record<AzureResourceKind, string>;
}
