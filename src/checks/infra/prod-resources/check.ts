import { sharedWithDev, sharingKey } from '../../../config/shared.js';
import { defineCheck } from '../../../engine/define.js';
import type { Evidence, Unverified } from '../../../engine/types.js';
import { KIND_LABEL as LABEL, type AzureResourceKind } from '../../../facts/azure.js';
import { cite, lookupUnverified } from '../../lib/azure.js';
import { resourceGroupGapRows } from '../../lib/gaps.js';

const KINDS = Object.keys(LABEL) as AzureResourceKind[];

/**
 * Every production resource the profile names exists, found by name across the subscription's
 * resource groups, and is not the dev one. A `TBD` name is a gap; a resource missing from a
 * listing the identity may read fully is missing; a refused listing is `unknown`.
 * Organising environments by resource group: https://learn.microsoft.com/azure/cloud-adoption-framework/ready/azure-setup-guide/organize-resources
 */
export const check = defineCheck({
  meta: {
    id: 'infra.prod-resources',
    section: 'infra',
    title: 'Production Azure resources exist and are separate from dev',
    severity: 'critical',
    blocker: true,
    effort: { size: 'L', hours: [8, 24] },
    remediation: {
      text: 'Create the production resource group and its resources with their own names, and record the names under azure.prod in predeploy.yaml (TBD names are gaps).',
      command: 'az group create --name <prod-rg> --location <region>',
      url: 'https://learn.microsoft.com/azure/azure-resource-manager/management/manage-resource-groups-cli',
    },
    runs: 'ARM resources list by type + resource group get: the names in azure.prod (Key Vault, Storage, Cosmos DB, VM, Bot), across resource groups',
  },
  requires: ['azure.discovery'],
  gapRows: resourceGroupGapRows,
  evaluate(facts, { config }) {
    const { dev, prod } = facts.need('azure.discovery');
    const evidence: Evidence[] = [];
    const tbd: string[] = [];
    const missing: string[] = [];
    const unreadable: string[] = [];
    const sameAsDev: string[] = [];
    const declared: string[] = [];
    const unverified: Unverified[] = [];
    const cfg = config.azure;
    for (const kind of KINDS) {
      const p = prod[kind];
      const d = dev[kind];
      const shared = sharedWithDev(config, kind);
      if (p.status === 'found' && shared) {
        // declared sharing: prod is the dev resource on purpose; judge that it exists, report the risk
        const why = `prod shares the dev ${LABEL[kind]}, as declared in ${sharingKey(kind)}`;
        evidence.push(cite(p, `${LABEL[kind]} ${p.value.name}: found${kind === 'resourceGroup' ? '' : ` in ${p.value.resourceGroup}`} (${why})`));
        declared.push(why);
        continue;
      }
      if (p.status === 'found') {
        evidence.push(cite(p, `${LABEL[kind]} ${p.value.name}: found${kind === 'resourceGroup' ? '' : ` in ${p.value.resourceGroup}`}`));
        const devId = d.status === 'found' ? d.value.id.toLowerCase() : undefined;
        // a shared resource group is judged below (warn); a shared resource is a failure
        if (kind !== 'resourceGroup' && devId !== undefined && devId === p.value.id.toLowerCase()) sameAsDev.push(`${LABEL[kind]} ${p.value.name}`);
        // dev not read, and configured with the same name: whether prod is the dev one is not known
        if (kind !== 'resourceGroup' && (d.status === 'forbidden' || d.status === 'error') && cfg.dev[kind].toLowerCase() === cfg.prod[kind].toLowerCase()) {
          unreadable.push(`dev ${LABEL[kind]} (to tell it from prod: ${d.status === 'forbidden' ? `needs ${d.role}` : d.reason})`);
          const u = lookupUnverified(d, 'azure.discovery');
          if (u) unverified.push(u);
        }
        continue;
      }
      evidence.push(cite(p, p.detail));
      if (p.status === 'tbd') tbd.push(LABEL[kind]);
      else if (p.status === 'not-found') missing.push(LABEL[kind]);
      else {
        unreadable.push(`${LABEL[kind]} (${p.status === 'forbidden' ? `needs ${p.role}` : p.reason})`);
        const u = lookupUnverified(p, 'azure.discovery');
        if (u) unverified.push(u);
      }
    }
    const problems = [
      tbd.length > 0 ? `production name not decided (TBD): ${tbd.join(', ')}` : '',
      missing.length > 0 ? `not found: ${missing.join(', ')}` : '',
      sameAsDev.length > 0 ? `the same resource as dev: ${sameAsDev.join(', ')}` : '',
      unreadable.length > 0 ? `not readable: ${unreadable.join(', ')}` : '',
    ].filter((x) => x !== '');
    const undecided: Unverified[] = KINDS.flatMap((k) => {
      const p = prod[k];
      return p.status === 'tbd' ? [{ cause: { kind: 'undecided' as const, key: p.key ?? `azure.prod.${k}` }, detail: p.detail }] : [];
    });
    const all = [...undecided, ...unverified];
    const withU = all.length > 0 ? { unverified: all } : {};
    if (tbd.length > 0 || missing.length > 0 || sameAsDev.length > 0) return { status: 'fail', summary: problems.join('; '), evidence, ...withU };
    if (unreadable.length > 0) return { status: 'unknown', summary: `cannot verify: ${problems.join('; ')}`, evidence, ...withU };
    const rg = prod.resourceGroup.status === 'found' ? prod.resourceGroup.value.name : '?';
    const devRg = dev.resourceGroup.status === 'found' ? dev.resourceGroup.value.name : undefined;
    const rgShared = devRg !== undefined && devRg.toLowerCase() === rg.toLowerCase() && !sharedWithDev(config, 'resourceGroup');
    if (declared.length > 0) {
      const undeclaredRg = rgShared ? `; and dev and prod share resource group ${rg} (not declared)` : '';
      return { status: 'warn', summary: `every production resource exists; declared risk: ${declared.join('; ')}${undeclaredRg}`, evidence };
    }
    if (rgShared) {
      return { status: 'warn', summary: `every production resource exists, but dev and prod share resource group ${rg} (one role assignment or delete reaches both)`, evidence };
    }
    return { status: 'pass', summary: `every production resource exists (resource group ${rg}) and none is the dev one`, evidence };
  },
});
