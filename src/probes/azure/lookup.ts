/**
 * Small helpers shared by the Azure probes: one SDK call → one {@link Lookup} (with the
 * commands-log entries it caused), `TBD` names as gaps, where a named resource lives.
 */
import { azureName, sharedWithDev } from '../../config/shared.js';
import { isTbd } from '../../config/tbd.js';
import type { ProbeContext } from '../../engine/types.js';
import type { AzureEnvName, AzureResourceKind, Lookup } from '../../facts/azure.js';
import type { ProbeFailure } from '../host/exec-failure.js';
import { lookupFailure, lookupsFailure, type ReadTarget } from './errors.js';
import { trackRefs } from './http-adapter.js';

import { KIND_LABEL } from '../../facts/azure.js';

/** Runs one SDK call; its failure becomes a lookup naming what was read and the role that allows it. */
export async function lookup<T>(fn: () => Promise<T>, target: ReadTarget): Promise<Lookup<T>> {
  const r = await trackRefs(fn);
  if (r.error !== undefined || r.value === undefined) {
    return lookupFailure(r.error ?? new Error('no value returned'), r.refs, target);
  }
  return { status: 'found', value: r.value, refs: r.refs };
}

/** Reads every page of an SDK listing (the SDK follows `nextLink`). */
export async function all<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of pages) out.push(item);
  return out;
}

/** A configured name that is `TBD`: a gap, not a lookup. */
export function tbd<T>(env: AzureEnvName, kind: AzureResourceKind): Lookup<T> {
  return { status: 'tbd', detail: `${env} ${KIND_LABEL[kind]} name not decided (azure.${env}.${kind} is TBD)`, refs: [], key: `azure.${env}.${kind}` };
}

/** A lookup that stands for another's failure (its refs kept). */
export function carry<T>(l: Exclude<Lookup<unknown>, { status: 'found' }>): Lookup<T> {
  return l;
}

/** Where a named resource lives. */
export interface Located {
  name: string;
  resourceGroup: string;
  /** the ARM id, when discovery found it */
  id?: string;
}

/**
 * The resource group of a named resource: the configured one, or (when that is `TBD`) the one
 * `azure.discovery` found it in, across the subscription.
 */
export async function locate(ctx: ProbeContext, env: AzureEnvName, kind: Exclude<AzureResourceKind, 'resourceGroup'>): Promise<Lookup<Located>> {
  // a kind prod shares with dev (azure.prod.shareWithDev, bot.registration: same): the dev name, in the dev group
  const shared = env === 'prod' && sharedWithDev(ctx.config, kind);
  const name = azureName(ctx.config, env, kind);
  const group = shared ? ctx.config.azure.dev.resourceGroup : azureName(ctx.config, env, 'resourceGroup');
  if (isTbd(name)) return tbd(shared ? 'dev' : env, kind);
  if (!isTbd(group)) return { status: 'found', value: { name, resourceGroup: group }, refs: [] };
  const d = await ctx.probe('azure.discovery');
  if (!d.ok) {
    const detail = `${env} ${KIND_LABEL[kind]} ${name}: azure.${env}.resourceGroup is TBD and discovery failed: ${d.detail}`;
    // the discovery's own root cause, kept (a 403 names its role, no credentials stays no credentials)
    const c = d.cause;
    if (c?.kind === 'forbidden' || (c === undefined && d.reason === 'permission')) return { status: 'forbidden', role: c?.kind === 'forbidden' ? c.role : 'Reader', detail, refs: d.refs };
    if (c?.kind === 'throttled') return { status: 'error', reason: 'throttled', detail, refs: d.refs };
    if (c?.kind === 'unreachable') return { status: 'error', reason: 'timeout', detail, refs: d.refs, endpoint: c.endpoint };
    return { status: 'error', reason: c?.kind === 'no-credentials' || d.reason === 'no-credentials' ? 'no-credentials' : d.reason === 'timeout' ? 'timeout' : 'failed', detail, refs: d.refs };
  }
  const found = d.value[env][kind];
  if (found.status !== 'found') return carry(found);
  return { status: 'found', value: { name: found.value.name, resourceGroup: found.value.resourceGroup, id: found.value.id }, refs: found.refs };
}

/** A failure shared by every attempted lookup: the probe then fails as a whole with that reason. */
export function wholeFailure(lookups: readonly Lookup<unknown>[], probe: string): ProbeFailure | undefined {
  const attempted = lookups.filter((l) => l.status !== 'tbd');
  if (attempted.length === 0) return undefined;
  const failed = attempted.flatMap((l) => (l.status === 'forbidden' || l.status === 'error' ? [l] : []));
  if (failed.length !== attempted.length) return undefined;
  return lookupsFailure(failed, probe);
}

/** Both environments at once. */
export async function perEnv<T>(fn: (env: AzureEnvName) => Promise<Lookup<T>>): Promise<{ dev: Lookup<T>; prod: Lookup<T> }> {
  const [dev, prod] = await Promise.all([fn('dev'), fn('prod')]);
  return { dev, prod };
}

/** `resource group rg (or the subscription)`: where a Reader assignment would allow a read. */
export function rgScope(resourceGroup: string): string {
  return `resource group ${resourceGroup} (or the subscription)`;
}
