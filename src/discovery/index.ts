/**
 * Discovery: the deployment as the machine describes it — nginx server names, certbot lineages,
 * systemd units (or processes), the Azure Instance Metadata Service and the VM's resource group,
 * resource names in `.env` values. All I/O goes through the probe context (the run's policies,
 * log and redactor); judging is {@link decide}, pure.
 *
 * `predeploy assess` (without a config file) fills undecided values from it, `predeploy init`
 * writes it down, and `predeploy config` shows each value with its source.
 */
import type { ProbeContext, ProbeOutcome, ProbeResult } from '../engine/types.js';
import type { GroupResources } from '../facts/discovery.js';
import { collectGroupResources } from '../probes/discovery/azure-group.js';
import { collectEnvNames } from '../probes/discovery/dotenv.js';
import { collectAzureInstance, type ImdsOptions } from '../probes/discovery/imds.js';
import { collectSystemdUnits } from '../probes/discovery/systemd.js';
import { decide, type DiscoveryFacts } from './decide.js';
import type { Discovery } from './types.js';

export type { DiscoveredValue, Discovery, DiscoveryConflict } from './types.js';
export { applyDiscovery, conflictsWith } from './decide.js';

export interface DiscoverOptions {
  imds?: ImdsOptions;
  /** where the configuration came from, for conflict notes (default: the built-in profile) */
  configuredFrom?: string;
}

/** A probe outcome without its log bookkeeping. */
function result<T>(o: ProbeOutcome<T>): ProbeResult<T> {
  return o.ok ? { ok: true, value: o.value } : { ok: false, reason: o.reason, detail: o.detail };
}

const guard = <T>(p: Promise<ProbeResult<T>>): Promise<ProbeResult<T>> =>
  p.catch((err: unknown) => ({ ok: false as const, reason: 'failed' as const, detail: `discovery error: ${err instanceof Error ? err.message : String(err)}` }));

/**
 * Discover the deployment through `ctx` (the host probes it uses run once per run and are shared
 * with the assessment: `nginx -T`, `ss -tlnp`, `ps`, `certbot certificates`).
 */
export async function discover(ctx: ProbeContext, o: DiscoverOptions = {}): Promise<Discovery> {
  // Everything that waits, at once; the resource group listing needs IMDS's answer first.
  const azure = guard(collectAzureInstance(ctx, o.imds));
  const group = azure.then(async (a): Promise<GroupResources | undefined> => {
    if (!a.ok || a.value.status !== 'found') return undefined;
    const g = await guard(collectGroupResources(ctx, a.value.instance));
    return g.ok ? g.value : { status: 'failed', detail: g.detail };
  });
  const [nginx, certbot, listening, processes, units, envNames] = await Promise.all([
    ctx.probe('host.nginx').then(result),
    ctx.probe('host.certbot').then(result),
    ctx.probe('host.listening').then(result),
    ctx.probe('host.processes').then(result),
    guard(collectSystemdUnits(ctx)),
    guard(collectEnvNames(ctx)),
  ]);
  const g = await group;
  const facts: DiscoveryFacts = {
    root: ctx.root,
    nginx,
    certbot,
    listening,
    processes,
    units,
    azure: await azure,
    ...(g !== undefined ? { group: g } : {}),
    envNames,
  };
  return decide(facts, ctx.config, o.configuredFrom ?? 'built-in profile');
}
