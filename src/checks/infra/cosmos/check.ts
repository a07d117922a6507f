import { defineCheck } from '../../../engine/define.js';
import type { Evidence } from '../../../engine/types.js';
import { cite, missingFinding } from '../../lib/azure.js';
import { cosmosGapRows } from '../../lib/gaps.js';

/**
 * Production data in its own Cosmos DB account: a shared account means dev code, dev keys and
 * dev mistakes reach production data. Shared is a warning, not a failure, because it can be a
 * deliberate (documented) choice for a small system; the evidence says why it matters.
 * Network exposure: https://learn.microsoft.com/azure/cosmos-db/how-to-configure-firewall;
 * resilience: https://learn.microsoft.com/azure/reliability/reliability-cosmos-db-nosql.
 */
export const check = defineCheck({
  meta: {
    id: 'infra.cosmos',
    section: 'infra',
    title: 'Production has its own Cosmos DB account, not shared with dev, with restricted network access',
    severity: 'critical',
    blocker: true,
    effort: { size: 'M', hours: [2, 8] },
    remediation: {
      text: 'Create a dedicated production Cosmos DB account (or document why dev and prod share one), restrict public network access (firewall, private endpoint), and consider zone redundancy or a second region.',
      command: 'az cosmosdb create --name <prod-cosmos> --resource-group <prod-rg> --backup-policy-type Continuous --public-network-access Disabled',
      url: 'https://learn.microsoft.com/azure/cosmos-db/how-to-manage-database-account',
    },
    runs: 'ARM Microsoft.DocumentDB/databaseAccounts get, dev and prod (publicNetworkAccess, ipRules, locations)',
  },
  requires: ['azure.cosmos'],
  gapRows: cosmosGapRows,
  evaluate(facts) {
    const { prod, shared } = facts.need('azure.cosmos');
    if (prod.status !== 'found') return missingFinding(prod, 'the production Cosmos DB account', 'azure.cosmos');
    const a = prod.value;
    const warns: string[] = [];
    const evidence: Evidence[] = [
      cite(prod, `${a.name} (${a.resourceGroup}): public network access ${a.publicNetworkAccess ?? 'Enabled'}, ${a.ipRuleCount} IP rules, VNet filter ${a.virtualNetworkFilter ? 'on' : 'off'}, ${a.privateEndpointCount} private endpoints; regions ${a.locations.map((l) => `${l.name}${l.zoneRedundant ? ' (zones)' : ''}`).join(', ') || '?'}`),
    ];
    if (shared) {
      warns.push('shared with dev: dev code and dev credentials can read and change production data, and a dev load test competes for its throughput');
      evidence.push({ text: 'azure.dev.cosmosAccount and azure.prod.cosmosAccount name the same account' });
    }
    const open = a.publicNetworkAccess !== 'Disabled' && a.ipRuleCount === 0 && !a.virtualNetworkFilter;
    if (open) warns.push('reachable from every network (public access with no IP or VNet rule)');
    if (a.locations.length <= 1 && !a.locations.some((l) => l.zoneRedundant)) warns.push('one region without zone redundancy');
    if (warns.length > 0) return { status: 'warn', summary: `${a.name}: ${warns.join('; ')}`, evidence };
    return { status: 'pass', summary: `${a.name}: its own account, network access restricted, ${a.locations.length} region(s)`, evidence };
  },
});
