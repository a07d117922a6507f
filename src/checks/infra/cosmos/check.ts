import { defineCheck } from '../../../engine/define.js';

export const check = defineCheck({
  meta: {
    id: 'infra.cosmos',
    section: 'infra',
    title: "Production has its own Cosmos DB account, not shared with dev",
    severity: 'critical',
    blocker: true,
    effort: { size: 'M', hours: [2, 8] },
    remediation: {
      text: "Create a dedicated production Cosmos DB account (or document why dev and prod share one) with public network access restricted.",
      command: "az cosmosdb create --name <prod-cosmos> --resource-group <prod-rg> --backup-policy-type Continuous",
      url: 'https://learn.microsoft.com/azure/cosmos-db/how-to-manage-database-account',
    },
    runs: "ARM Microsoft.DocumentDB/databaseAccounts get",
  },
  requires: [],
  pending: "Azure resource probes (issue: Azure through the official SDKs)",
  evaluate() {
    throw new Error('pending checks are not evaluated');
  },
});
