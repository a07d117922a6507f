/**
 * The dev-vs-prod gap table of the report (docs/ARCHITECTURE.md "Outputs"): one row per thing dev has or
 * does and prod should too. Each row belongs to one check, which attaches it to its result
 * (`Check.gapRows`): the decision rows come from the config, the Azure rows from what Azure says
 * exists, when it answered. Pure: no I/O. In a row, `gap` is `none`, `unknown`, or what is
 * missing or different in prod.
 */
import type { Config } from '../../config/schema.js';
import { sharedWithDev } from '../../config/shared.js';
import { isTbd } from '../../config/tbd.js';
import type { CheckContext, Facts, GapRow } from '../../engine/types.js';
import type { FactTypes } from '../../facts/index.js';
import type { BlobServiceInfo, BotInfo, CosmosInfo, KeyVaultInfo, KeyVaultSecretMeta, Lookup, StorageInfo } from '../../facts/azure.js';

type AzureId = 'azure.key-vault' | 'azure.storage' | 'azure.cosmos' | 'azure.bot' | 'azure.dns';

function value<K extends AzureId>(facts: Facts, id: K): FactTypes[K] | undefined {
  const o = facts.maybe(id);
  return o?.ok === true ? o.value : undefined;
}

const show = (v: string) => (isTbd(v) ? 'TBD' : v);

/** A decision row of the config table: what dev and prod are, and the gap that implies. */
export function configRow(item: string, dev: string, prod: string, action: string, same?: string, shared = false): GapRow {
  let gap: string;
  // prod declared it uses the dev resource (azure.prod.shareWithDev): a decision, not a gap
  if (shared) return { item, dev: show(dev), prod: `${show(dev)} (shared with dev)`, gap: 'shared with dev (declared)', action: 'a declared risk: give prod its own resource when it must be isolated from dev' };
  if (isTbd(prod)) gap = 'prod undecided (TBD)';
  else if (isTbd(dev)) gap = 'dev unknown (TBD)';
  else if (dev === prod) gap = same ?? 'prod shares the dev resource';
  else gap = 'none in config (existence checked by the Azure/Zoho checks)';
  return { item, dev: show(dev), prod: show(prod), gap, action: gap.startsWith('none') ? '—' : action };
}

const state = <T>(l: Lookup<T> | undefined, show: (v: T) => string): string => {
  if (l === undefined) return 'unknown';
  switch (l.status) {
    case 'found':
      return show(l.value);
    case 'tbd':
      return 'not decided (TBD)';
    case 'not-found':
      return 'missing';
    case 'forbidden':
      return `not readable (needs ${l.role})`;
    case 'error':
      return `not readable (${l.reason})`;
  }
};

const known = (...ls: (Lookup<unknown> | undefined)[]) => ls.every((l) => l?.status === 'found');

function row(item: string, dev: string, prod: string, gap: string, action: string): GapRow {
  return { item, dev, prod, gap, action: action === '' ? '—' : action };
}

/** Compare one property: a gap when dev has it and prod does not. */
function compare<T>(item: string, dev: Lookup<T> | undefined, prod: Lookup<T> | undefined, show: (v: T) => string, good: (v: T) => boolean, action: string): GapRow {
  const d = state(dev, show);
  const p = state(prod, show);
  if (prod?.status === 'found') return row(item, d, p, good(prod.value) ? 'none' : dev?.status === 'found' && good(dev.value) ? 'prod behind dev' : 'both lack it', good(prod.value) ? '' : action);
  if (prod?.status === 'tbd' || prod?.status === 'not-found') return row(item, d, p, 'missing in prod', action);
  return row(item, d, p, 'unknown', '');
}

const onOff = (b: boolean) => (b ? 'on' : 'off');

function keyVaultRows(f: FactTypes['azure.key-vault'] | undefined): GapRow[] {
  const dev: Lookup<KeyVaultInfo> | undefined = f?.dev;
  const prod: Lookup<KeyVaultInfo> | undefined = f?.prod;
  const rows = [
    compare('Key Vault', dev, prod, (v) => v.name, () => true, 'create the production Key Vault (azure.prod.keyVault)'),
    compare('Key Vault purge protection', dev, prod, (v) => onOff(v.purgeProtection), (v) => v.purgeProtection, 'az keyvault update --enable-purge-protection true'),
    compare('Key Vault network restricted', dev, prod, (v) => `${v.publicNetworkAccess ?? 'Enabled'} / ${v.networkDefaultAction ?? 'Allow'}`, (v) => v.publicNetworkAccess === 'Disabled' || v.networkDefaultAction === 'Deny' || v.privateEndpointCount > 0, 'set the vault firewall default action to Deny (or a private endpoint)'),
  ];
  const secretsOf = (l: Lookup<KeyVaultInfo> | undefined): Lookup<KeyVaultSecretMeta[]> | undefined => (l === undefined || l.status !== 'found' ? l : l.value.secrets);
  const ds = secretsOf(dev);
  const ps = secretsOf(prod);
  if (ds?.status === 'found') {
    const have = ps?.status === 'found' ? new Set(ps.value.map((s) => s.name.toLowerCase())) : undefined;
    for (const s of ds.value.filter((x) => !x.managed)) {
      const there = have?.has(s.name.toLowerCase());
      const vaultName = prod?.status === 'found' ? prod.value.name : 'the production vault';
      rows.push(
        row(
          `secret ${s.name}`,
          'present',
          there === undefined ? state(ps, () => 'present') : there ? 'present' : 'missing',
          there === undefined ? (prod?.status === 'found' ? 'unknown' : 'missing in prod') : there ? 'none' : 'missing in prod',
          there === true ? '' : `create ${s.name} in ${vaultName} with the production value`,
        ),
      );
    }
  } else if (dev !== undefined) {
    rows.push(row('Key Vault secret names', state<KeyVaultSecretMeta[]>(ds, (v) => `${v.length} names`), state<KeyVaultSecretMeta[]>(ps, (v) => `${v.length} names`), 'unknown', ''));
  }
  return rows;
}

function storageRows(f: FactTypes['azure.storage'] | undefined): GapRow[] {
  const dev: Lookup<StorageInfo> | undefined = f?.dev;
  const prod: Lookup<StorageInfo> | undefined = f?.prod;
  const rows = [
    compare('storage account', dev, prod, (v) => v.name, () => true, 'create the production storage account (azure.prod.storageAccount)'),
    compare('storage HTTPS only, TLS 1.2, no public blobs', dev, prod, (v) => `https ${String(v.httpsOnly ?? '?')}, TLS ${v.minimumTlsVersion ?? 'not set'}, public ${String(v.allowBlobPublicAccess ?? 'not set')}`, (v) => v.httpsOnly === true && (v.minimumTlsVersion === 'TLS1_2' || v.minimumTlsVersion === 'TLS1_3') && v.allowBlobPublicAccess === false, 'az storage account update --https-only true --min-tls-version TLS1_2 --allow-blob-public-access false'),
    compare('storage redundancy', dev, prod, (v) => v.redundancy ?? '?', (v) => v.redundancy !== 'LRS', 'use ZRS or GZRS'),
  ];
  const b = (l: Lookup<StorageInfo> | undefined): Lookup<BlobServiceInfo> | undefined => (l === undefined || l.status !== 'found' ? l : l.value.blob);
  rows.push(compare('blob versioning', b(dev), b(prod), (v) => onOff(v.versioning), (v) => v.versioning, 'az storage account blob-service-properties update --enable-versioning true'));
  rows.push(compare('blob and container soft delete', b(dev), b(prod), (v) => `blobs ${v.deleteRetention.enabled ? `${v.deleteRetention.days ?? '?'} d` : 'off'}, containers ${v.containerDeleteRetention.enabled ? `${v.containerDeleteRetention.days ?? '?'} d` : 'off'}`, (v) => v.deleteRetention.enabled && v.containerDeleteRetention.enabled, 'enable blob and container soft delete (14 days)'));
  return rows;
}

function cosmosRows(f: FactTypes['azure.cosmos'] | undefined): GapRow[] {
  const dev: Lookup<CosmosInfo> | undefined = f?.dev;
  const prod: Lookup<CosmosInfo> | undefined = f?.prod;
  const rows = [
    compare('Cosmos DB account', dev, prod, (v) => v.name, () => true, 'create the production Cosmos DB account (azure.prod.cosmosAccount)'),
    compare('Cosmos DB backup', dev, prod, (v) => (v.backup.type === 'Continuous' ? `continuous ${v.backup.tier ?? ''}`.trim() : v.backup.type === 'Periodic' ? `periodic ${v.backup.intervalMinutes ?? '?'} min / ${v.backup.retentionHours ?? '?'} h` : 'unknown'), (v) => v.backup.type === 'Continuous' || (v.backup.type === 'Periodic' && (v.backup.retentionHours ?? 0) >= 168), 'switch to continuous backup'),
  ];
  if (f?.shared === true) rows.push(row('Cosmos DB separate from dev', 'shared', 'shared', 'prod uses the dev account', 'create a dedicated production account'));
  return rows;
}

function botRows(f: FactTypes['azure.bot'] | undefined, prodDomain: string | undefined, path: string): GapRow[] {
  const dev: Lookup<BotInfo> | undefined = f?.dev;
  const prod: Lookup<BotInfo> | undefined = f?.prod;
  const want = prodDomain !== undefined ? `https://${prodDomain}${path}` : undefined;
  return [
    compare('Azure Bot', dev, prod, (v) => v.name, () => true, 'create the production Azure Bot (azure.prod.botName)'),
    compare('bot messaging endpoint', dev, prod, (v) => v.endpoint ?? '(none)', (v) => want !== undefined && (v.endpoint ?? '').toLowerCase().replace(/\/+$/, '') === want.toLowerCase(), want !== undefined ? `az bot update --endpoint ${want}` : 'decide domain.prod, then set the endpoint'),
    compare('bot app type', dev, prod, (v) => v.msaAppType ?? '?', (v) => v.msaAppType === 'SingleTenant' || v.msaAppType === 'UserAssignedMSI', 'use a SingleTenant or UserAssignedMSI app'),
    compare('bot Teams channel', dev, prod, (v) => (v.teams.status === 'found' ? (v.teams.value.enabled ? 'enabled' : 'disabled') : state(v.teams, () => '')), (v) => v.teams.status === 'found' && v.teams.value.enabled, 'az bot msteams create'),
  ];
}

function dnsRows(f: FactTypes['azure.dns'] | undefined): GapRow[] {
  if (f === undefined) return [row('production domain DNS', 'n/a', 'unknown', 'unknown', '')];
  const resolved = state(f.resolved, (v) => v.join(', '));
  const vm = state(f.vmPublicIps, (v) => v.join(', '));
  const ok = known(f.resolved, f.vmPublicIps) && f.resolved.status === 'found' && f.vmPublicIps.status === 'found' && f.resolved.value.every((ip) => f.vmPublicIps.status === 'found' && f.vmPublicIps.value.includes(ip));
  const gap = ok ? 'none' : f.resolved.status === 'found' && f.vmPublicIps.status === 'found' ? 'points elsewhere' : f.resolved.status === 'tbd' || f.resolved.status === 'not-found' ? 'missing in prod' : 'unknown';
  return [row(`DNS ${f.domain}`, 'n/a', `${resolved} (VM ${vm})`, gap, ok ? '' : 'point the A record at the production VM public IP')];
}

// ---------------------------------------------------------------------------------------------
// The rows each owning check attaches: Azure's view when Azure answered, the config's decision otherwise.

export function keyVaultGapRows(facts: Facts, { config }: CheckContext): GapRow[] {
  const f = value(facts, 'azure.key-vault');
  const a = config.azure;
  return f ? keyVaultRows(f) : [configRow('Key Vault', a.dev.keyVault, a.prod.keyVault, 'Create the prod Key Vault and set azure.prod.keyVault', undefined, sharedWithDev(config, 'keyVault'))];
}

export function storageGapRows(facts: Facts, { config }: CheckContext): GapRow[] {
  const f = value(facts, 'azure.storage');
  const a = config.azure;
  return f ? storageRows(f) : [configRow('Storage account', a.dev.storageAccount, a.prod.storageAccount, 'Create the prod storage account and set azure.prod.storageAccount', undefined, sharedWithDev(config, 'storageAccount'))];
}

export function cosmosGapRows(facts: Facts, { config }: CheckContext): GapRow[] {
  const f = value(facts, 'azure.cosmos');
  const a = config.azure;
  return f ? cosmosRows(f) : [configRow('Cosmos DB account', a.dev.cosmosAccount, a.prod.cosmosAccount, 'Create a dedicated prod Cosmos DB account (or record why it is shared)', undefined, sharedWithDev(config, 'cosmosAccount'))];
}

export function botGapRows(facts: Facts, { config }: CheckContext): GapRow[] {
  const f = value(facts, 'azure.bot');
  return f ? botRows(f, isTbd(config.domain.prod) ? undefined : config.domain.prod, config.bot.messagingPath) : [];
}

export function domainGapRows(facts: Facts, { config }: CheckContext): GapRow[] {
  const decided = configRow('Domain', config.domain.dev, config.domain.prod, 'Decide the production host name and set domain.prod', 'prod uses the dev domain (allowed; make sure DNS points at the prod VM)');
  const f = value(facts, 'azure.dns');
  return f ? [decided, ...dnsRows(f)] : [decided];
}

export function resourceGroupGapRows(_facts: Facts, { config }: CheckContext): GapRow[] {
  const a = config.azure;
  return [configRow('Resource group', a.dev.resourceGroup, a.prod.resourceGroup, 'Create the prod resource group and set azure.prod.resourceGroup', undefined, sharedWithDev(config, 'resourceGroup'))];
}

export function zohoGapRows(_facts: Facts, { config }: CheckContext): GapRow[] {
  const z = config.zoho;
  return [configRow('Zoho organization', `${show(z.dev.orgId)}${z.dev.sandbox ? ' (sandbox)' : ''}`, z.prod.orgId, 'Set zoho.prod.orgId to the production organization id')];
}

export function botDecisionGapRows(_facts: Facts, { config }: CheckContext): GapRow[] {
  const bot: Config['bot'] = config.bot;
  const botProd = bot.registration === 'same' ? bot.dev.appId : bot.prod.appId;
  return [
    {
      item: 'Azure Bot registration',
      dev: show(bot.dev.appId),
      prod: bot.registration === 'TBD' ? 'TBD' : `${bot.registration}${isTbd(botProd) ? ' (app id TBD)' : ''}`,
      gap: bot.registration === 'TBD' ? 'decision pending: same or separate registration' : isTbd(botProd) ? 'prod app id TBD' : bot.registration === 'same' ? 'prod shares the dev registration' : 'none in config',
      action: bot.registration === 'TBD' ? 'Decide bot.registration (separate recommended) and record the prod app id' : isTbd(botProd) ? 'Record bot.prod.appId' : '—',
    },
  ];
}
