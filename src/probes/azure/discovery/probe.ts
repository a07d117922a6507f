import { azureName, sharedWithDev } from '../../../config/shared.js';
import { isTbd } from '../../../config/tbd.js';
import { defineProbe } from '../../../engine/define.js';
import type { AzureDiscovery, AzureEnvName, AzureResourceKind, DiscoveredResource, Lookup } from '../../../facts/azure.js';
import { KIND_LABEL } from '../../../facts/azure.js';
import { lookup, tbd, wholeFailure, all, rgScope } from '../lookup.js';
import { azureSetup, resourceGroupOf } from '../setup.js';

/** The ARM resource type of each named kind. */
export const RESOURCE_TYPES: Record<Exclude<AzureResourceKind, 'resourceGroup'>, string> = {
  keyVault: 'Microsoft.KeyVault/vaults',
  storageAccount: 'Microsoft.Storage/storageAccounts',
  cosmosAccount: 'Microsoft.DocumentDB/databaseAccounts',
  vm: 'Microsoft.Compute/virtualMachines',
  botName: 'Microsoft.BotService/botServices',
};

const KINDS = Object.keys(RESOURCE_TYPES) as (keyof typeof RESOURCE_TYPES)[];

interface Listed {
  id: string;
  name: string;
  type: string;
  location?: string;
}

/**
 * `azure.discovery`: the dev and prod resources named in the profile, by name, across resource
 * groups. One ARM `resources` listing per resource type (`$filter=resourceType eq '<type>'`,
 * every page), plus `GET` of each configured resource group. Resources - List:
 * https://learn.microsoft.com/rest/api/resources/resources/list
 *
 * A listing answers only what the identity may read, so "absent from the listing" is reported
 * as not found *in the listing*; the per-resource probes' GETs tell 404 from 403. When the
 * subscription-wide listing is refused (Reader only on resource groups), the configured
 * resource groups are listed instead.
 */
export const discoveryProbe = defineProbe({
  id: 'azure.discovery',
  describe: 'ARM resources list by type (Key Vault, Storage, Cosmos DB, VM, Bot) + resource groups: the names in azure.dev / azure.prod',
  network: true,
  async collect(ctx) {
    const setup = await azureSetup(ctx);
    if (!setup.ok) return setup;
    const { credential, session } = setup.value;
    const { ResourceManagementClient } = await import('@azure/arm-resources');
    const client = new ResourceManagementClient(credential, session.subscriptionId, setup.value.classic());
    const cfg = ctx.config.azure;
    const groups = [...new Set((['dev', 'prod'] as const).map((e) => azureName(ctx.config, e, 'resourceGroup')).filter((g) => !isTbd(g)))];
    let scope: AzureDiscovery['scope'] = 'subscription';

    const listType = async (type: string): Promise<Lookup<Listed[]>> => {
      const read = (items: AsyncIterable<{ id?: string; name?: string; type?: string; location?: string }>) =>
        all(items).then((xs) => xs.flatMap((x) => (x.id && x.name ? [{ id: x.id, name: x.name, type: x.type ?? type, ...(x.location ? { location: x.location } : {}) }] : [])));
      const filter = `resourceType eq '${type}'`;
      const whole = await lookup(() => read(client.resources.list({ filter })), {
        what: `the ${type} listing of subscription ${session.subscriptionId}`,
        role: 'Reader',
        scope: `subscription ${session.subscriptionId}`,
      });
      if (whole.status !== 'forbidden' || groups.length === 0) return whole;
      // Reader on the resource groups only: list those instead.
      scope = 'resource-groups';
      const parts = await Promise.all(
        groups.map((g) => lookup(() => read(client.resources.listByResourceGroup(g, { filter })), { what: `the ${type} listing of resource group ${g}`, role: 'Reader', scope: rgScope(g) })),
      );
      const refs = [...whole.refs, ...parts.flatMap((p) => p.refs)];
      const ok = parts.flatMap((p) => (p.status === 'found' ? p.value : []));
      const failed = parts.find((p) => p.status !== 'found');
      return failed && ok.length === 0 ? { ...failed, refs } : { status: 'found', value: ok, refs };
    };

    const [listings, rgs] = await Promise.all([
      Promise.all(KINDS.map(async (k) => [k, await listType(RESOURCE_TYPES[k])] as const)),
      Promise.all(
        groups.map(async (g) => [g, await lookup(() => client.resourceGroups.get(g), { what: `resource group ${g}`, role: 'Reader', scope: rgScope(g) })] as const),
      ),
    ]);
    const byKind = new Map(listings);
    const byGroup = new Map(rgs);

    const resolve = (env: AzureEnvName): Record<AzureResourceKind, Lookup<DiscoveredResource>> => {
      const out = {} as Record<AzureResourceKind, Lookup<DiscoveredResource>>;
      // a kind prod shares with dev (azure.prod.shareWithDev, bot.registration: same) is the dev one
      const owner = (kind: AzureResourceKind): AzureEnvName => (env === 'prod' && sharedWithDev(ctx.config, kind) ? 'dev' : env);
      const g = azureName(ctx.config, env, 'resourceGroup');
      const group = isTbd(g) ? undefined : byGroup.get(g);
      if (group === undefined) out.resourceGroup = tbd(owner('resourceGroup'), 'resourceGroup');
      else if (group.status === 'found') {
        out.resourceGroup = {
          status: 'found',
          value: { kind: 'resourceGroup', name: group.value.name ?? g, id: group.value.id ?? '', resourceGroup: g, type: 'Microsoft.Resources/resourceGroups', ...(group.value.location ? { location: group.value.location } : {}) },
          refs: group.refs,
        };
      } else out.resourceGroup = group;
      for (const kind of KINDS) {
        const name = azureName(ctx.config, env, kind);
        if (isTbd(name)) {
          out[kind] = tbd(owner(kind), kind);
          continue;
        }
        const listing = byKind.get(kind);
        if (!listing || listing.status !== 'found') {
          out[kind] = listing ?? { status: 'error', reason: 'failed', detail: 'not listed', refs: [] };
          continue;
        }
        // names are unique per type within a resource group; prefer the configured group
        const matches = listing.value.filter((r) => r.name.toLowerCase() === name.toLowerCase());
        // a shared kind lives in the dev resource group
        const kg = owner(kind) === env ? g : cfg.dev.resourceGroup;
        const hit = matches.find((r) => isTbd(kg) || resourceGroupOf(r.id).toLowerCase() === kg.toLowerCase());
        if (hit) {
          out[kind] = {
            status: 'found',
            value: { kind, name: hit.name, id: hit.id, resourceGroup: resourceGroupOf(hit.id), type: hit.type, ...(hit.location ? { location: hit.location } : {}) },
            refs: listing.refs,
          };
        } else {
          const elsewhere = matches[0] !== undefined ? ` (one exists in resource group ${resourceGroupOf(matches[0].id)}, not ${kg})` : '';
          out[kind] = {
            status: 'not-found',
            detail: `no ${KIND_LABEL[kind]} named ${name} in the ${scope === 'subscription' ? 'subscription' : 'resource group'} listing${elsewhere} (absent, or not readable by this identity)`,
            refs: listing.refs,
          };
        }
      }
      return out;
    };
    const value: AzureDiscovery = { scope, dev: resolve('dev'), prod: resolve('prod') };
    const failure = wholeFailure([...Object.values(value.dev), ...Object.values(value.prod)], 'azure.discovery');
    if (failure) return failure;
    return { ok: true, value };
  },
});
