/**
 * With Azure credentials: the resources of the VM's resource group (ARM Resources - List By
 * Resource Group, every page; https://learn.microsoft.com/rest/api/resources/resources/list-by-resource-group),
 * each with its `env`/`environment` tag. Through the run's Azure setup (src/probes/azure/setup.ts):
 * the same credential, transport, policy and log as every Azure probe. The SDK loads only here.
 */
import type { ProbeContext, ProbeResult } from '../../engine/types.js';
import type { GroupResource, GroupResources, ImdsInstance } from '../../facts/discovery.js';
import { lookupFailure } from '../azure/errors.js';
import { azureSetup } from '../azure/setup.js';

/** The tag keys that say dev or prod, compared without case. */
const ENV_TAG_KEYS = ['env', 'environment', 'stage'];

export function envTagOf(tags: Readonly<Record<string, string>> | undefined): string | undefined {
  if (!tags) return undefined;
  for (const [k, v] of Object.entries(tags)) if (ENV_TAG_KEYS.includes(k.toLowerCase()) && v.trim() !== '') return v.trim();
  return undefined;
}

export async function collectGroupResources(ctx: ProbeContext, instance: ImdsInstance): Promise<ProbeResult<GroupResources>> {
  if (ctx.options.offline) return { ok: true, value: { status: 'skipped', detail: '--offline: the resource group was not listed' } };
  const setup = await azureSetup(ctx);
  if (!setup.ok) return { ok: true, value: { status: 'skipped', detail: `resource group ${instance.resourceGroupName} not listed: ${setup.detail}` } };
  try {
    const { ResourceManagementClient } = await import('@azure/arm-resources');
    const client = new ResourceManagementClient(setup.value.credential, instance.subscriptionId, setup.value.classic());
    const resources: GroupResource[] = [];
    for await (const r of client.resources.listByResourceGroup(instance.resourceGroupName)) {
      if (!r.name || !r.type || !r.id) continue;
      const envTag = envTagOf(r.tags);
      resources.push({ name: r.name, type: r.type, id: r.id, ...(envTag !== undefined ? { envTag } : {}) });
    }
    return { ok: true, value: { status: 'found', resourceGroup: instance.resourceGroupName, subscriptionId: instance.subscriptionId, resources } };
  } catch (err) {
    // A 403 names the role that would allow the listing (never "no resources"); the rest keeps its reason.
    const rg = instance.resourceGroupName;
    const f = lookupFailure(err, [], { what: `the resources of resource group ${rg}`, role: 'Reader', scope: `resource group ${rg} (or the subscription)` });
    return { ok: true, value: { status: 'failed', detail: `${f.detail}: no resource names discovered from Azure`, ...(f.status === 'forbidden' ? { role: f.role } : {}) } };
  }
}
