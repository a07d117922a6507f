import type { ProtectedItemResource } from '@azure/arm-recoveryservicesbackup';
import { defineProbe } from '../../../engine/define.js';
import type { AzureEnvName, Lookup, VmBackupInfo, VmExtensionInfo, VmInfo, VmSnapshotInfo } from '../../../facts/azure.js';
import { all, carry, locate, lookup, perEnv, rgScope, wholeFailure } from '../lookup.js';
import { azureSetup, resourceGroupOf, type AzureSetup } from '../setup.js';

/** The Azure Monitor Agent's extension types (https://learn.microsoft.com/azure/azure-monitor/agents/azure-monitor-agent-manage). */
const AMA_TYPES = new Set(['azuremonitorlinuxagent', 'azuremonitorwindowsagent']);

/** Only Azure VM items (https://learn.microsoft.com/rest/api/backup/backup-protected-items/list). */
const VM_ITEMS_FILTER = "backupManagementType eq 'AzureIaasVM' and itemType eq 'VM'";

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : v instanceof Date ? v.toISOString() : undefined);

interface Vault {
  name: string;
  resourceGroup: string;
}

/** Every VM item protected in any Recovery Services vault of the subscription, read once for both environments. */
async function protectedVms(setup: AzureSetup): Promise<Lookup<{ vault: Vault; item: ProtectedItemResource }[]>> {
  const [{ ResourceManagementClient }, { RecoveryServicesBackupClient }] = await Promise.all([import('@azure/arm-resources'), import('@azure/arm-recoveryservicesbackup')]);
  const sub = setup.session.subscriptionId;
  const resources = new ResourceManagementClient(setup.credential, sub, setup.classic());
  const backup = new RecoveryServicesBackupClient(setup.credential, sub, setup.classic());
  return lookup(
    async () => {
      const vaults = (await all(resources.resources.list({ filter: "resourceType eq 'Microsoft.RecoveryServices/vaults'" }))).flatMap((v) => (v.id && v.name ? [{ name: v.name, resourceGroup: resourceGroupOf(v.id) }] : []));
      const items = await Promise.all(vaults.map(async (vault) => (await all(backup.backupProtectedItems.list(vault.name, vault.resourceGroup, { filter: VM_ITEMS_FILTER }))).map((item) => ({ vault, item }))));
      return items.flat();
    },
    { what: `the Recovery Services vaults of subscription ${sub}`, role: 'Reader (or Backup Reader)', scope: `subscription ${sub}` },
  );
}

function backupOf(vmId: string, items: Lookup<{ vault: Vault; item: ProtectedItemResource }[]>): Lookup<VmBackupInfo> {
  if (items.status !== 'found') return carry(items);
  const id = vmId.toLowerCase();
  const hit = items.value.find(({ item }) => {
    const p = rec(item.properties);
    return [p['virtualMachineId'], p['sourceResourceId']].some((x) => typeof x === 'string' && x.toLowerCase() === id);
  });
  if (!hit) return { status: 'not-found', detail: `no Recovery Services vault of the subscription protects ${vmId.split('/').pop() ?? vmId} (${items.value.length} protected VM items seen)`, refs: items.refs };
  const p = rec(hit.item.properties);
  const fields: (keyof VmBackupInfo)[] = ['protectionState', 'protectionStatus', 'healthStatus', 'lastBackupStatus', 'lastBackupTime'];
  const value: VmBackupInfo = { vault: hit.vault.name, vaultResourceGroup: hit.vault.resourceGroup };
  for (const f of fields) {
    const v = str(p[f]);
    if (v !== undefined) value[f] = v;
  }
  const policy = str(p['policyId'])?.split('/').pop();
  if (policy !== undefined) value.policy = policy;
  return { status: 'found', value, refs: items.refs };
}

async function readVm(
  setup: AzureSetup,
  env: AzureEnvName,
  name: string,
  resourceGroup: string,
  items: Lookup<{ vault: Vault; item: ProtectedItemResource }[]>,
  snapshots: Lookup<{ source: string; created?: string }[]>,
): Promise<Lookup<VmInfo>> {
  const { ComputeManagementClient } = await import('@azure/arm-compute');
  const compute = new ComputeManagementClient(setup.credential, setup.session.subscriptionId, setup.modular());
  const target = { role: 'Reader', scope: rgScope(resourceGroup) };
  const [vm, ext] = await Promise.all([
    lookup(() => compute.virtualMachines.get(resourceGroup, name), { ...target, what: `${env} VM ${name}` }),
    lookup(async () => (await compute.virtualMachineExtensions.list(resourceGroup, name)).value ?? [], { ...target, what: `the extensions of ${env} VM ${name}` }),
  ]);
  if (vm.status !== 'found') return carry(vm);
  const v = vm.value;
  const extensions: VmExtensionInfo[] = (ext.status === 'found' ? ext.value : (v.resources ?? [])).map((e) => ({
    name: e.name ?? '',
    ...(e.publisher ? { publisher: e.publisher } : {}),
    ...(e.typePropertiesType ? { type: e.typePropertiesType } : {}),
    ...(e.provisioningState ? { provisioningState: e.provisioningState } : {}),
    ...(e.enableAutomaticUpgrade !== undefined ? { autoUpgrade: e.enableAutomaticUpgrade } : {}),
    ...(e.typeHandlerVersion ? { version: e.typeHandlerVersion } : {}),
  }));
  const monitorAgent = extensions.find((e) => AMA_TYPES.has((e.type ?? '').toLowerCase()));
  const disks = new Set(
    [v.storageProfile?.osDisk?.managedDisk?.id, ...(v.storageProfile?.dataDisks ?? []).map((d) => d.managedDisk?.id)].flatMap((d) => (d ? [d.toLowerCase()] : [])),
  );
  const snaps: Lookup<VmSnapshotInfo> =
    snapshots.status === 'found'
      ? (() => {
          const mine = snapshots.value.filter((s) => disks.has(s.source.toLowerCase()));
          const newest = mine.map((s) => s.created ?? '').sort().at(-1);
          return { status: 'found', value: { count: mine.length, ...(newest ? { newest } : {}) }, refs: snapshots.refs };
        })()
      : carry(snapshots);
  const id = v.id ?? '';
  return {
    status: 'found',
    refs: [...vm.refs, ...ext.refs],
    value: {
      id,
      name: v.name ?? name,
      resourceGroup,
      ...(v.location ? { location: v.location } : {}),
      ...(v.storageProfile?.osDisk?.osType ? { osType: v.storageProfile.osDisk.osType } : {}),
      ...(v.hardwareProfile?.vmSize ? { size: v.hardwareProfile.vmSize } : {}),
      extensions,
      ...(monitorAgent ? { monitorAgent } : {}),
      backup: backupOf(id, items),
      snapshots: snaps,
    },
  };
}

/**
 * `azure.vm`: each environment's VM (ARM `VirtualMachines_Get` + its extensions: the Azure
 * Monitor Agent), the Recovery Services protected item that backs it up (every vault of the
 * subscription, `BackupProtectedItems_List`: last backup time and health), and snapshots of its
 * managed disks. Facts only; backup.vm-backup and monitoring.azure-monitor-vm judge them.
 */
export const vmProbe = defineProbe({
  id: 'azure.vm',
  describe: 'ARM VM get + extensions; Recovery Services protected items; disk snapshots',
  network: true,
  async collect(ctx) {
    const setup = await azureSetup(ctx);
    if (!setup.ok) return setup;
    const s = setup.value;
    const { ComputeManagementClient } = await import('@azure/arm-compute');
    const compute = new ComputeManagementClient(s.credential, s.session.subscriptionId, s.modular());
    const [items, snapshots] = await Promise.all([
      protectedVms(s),
      lookup(
        async () =>
          (await all(compute.snapshots.list())).flatMap((sn) => {
            const source = sn.creationData?.sourceResourceId;
            return source ? [{ source, ...(sn.timeCreated ? { created: sn.timeCreated.toISOString() } : {}) }] : [];
          }),
        { what: `the disk snapshots of subscription ${s.session.subscriptionId}`, role: 'Reader', scope: `subscription ${s.session.subscriptionId}` },
      ),
    ]);
    const value = await perEnv(async (env) => {
      const at = await locate(ctx, env, 'vm');
      if (at.status !== 'found') return carry<VmInfo>(at);
      const r = await readVm(s, env, at.value.name, at.value.resourceGroup, items, snapshots);
      return { ...r, refs: [...at.refs, ...r.refs] };
    });
    return wholeFailure([value.dev, value.prod], 'azure.vm') ?? { ok: true, value };
  },
});
