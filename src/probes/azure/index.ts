/**
 * The Azure probes, by id: src/probes/index.ts spreads this into the registry.
 * SDK modules are imported inside `collect`, so loading this file costs nothing at start-up.
 */
import type { Probe } from '../../engine/types.js';
import type { FactTypes } from '../../facts/index.js';
import { botProbe } from './bot/probe.js';
import { cosmosProbe } from './cosmos/probe.js';
import { discoveryProbe } from './discovery/probe.js';
import { dnsProbe } from './dns/probe.js';
import { keyVaultProbe } from './key-vault/probe.js';
import { monitorProbe } from './monitor/probe.js';
import { sessionProbe } from './session/probe.js';
import { storageProbe } from './storage/probe.js';
import { vmProbe } from './vm/probe.js';

/** The fact ids the Azure probes produce. */
export type AzureFactId = Extract<keyof FactTypes, `azure.${string}`>;

export const AZURE_PROBES: { [K in AzureFactId]: Probe<K> } = {
  'azure.session': sessionProbe,
  'azure.discovery': discoveryProbe,
  'azure.key-vault': keyVaultProbe,
  'azure.storage': storageProbe,
  'azure.cosmos': cosmosProbe,
  'azure.dns': dnsProbe,
  'azure.vm': vmProbe,
  'azure.monitor': monitorProbe,
  'azure.bot': botProbe,
};
