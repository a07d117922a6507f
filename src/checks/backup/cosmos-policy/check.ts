import { defineCheck } from '../../../engine/define.js';

export const check = defineCheck({
  meta: {
    id: 'backup.cosmos-policy',
    section: 'backup',
    title: "Cosmos DB backups are continuous, or periodic with a retention that covers the recovery objective",
    severity: 'critical',
    blocker: true,
    effort: { size: 'S', hours: [1, 2] },
    remediation: {
      text: "Switch the prod account to continuous backup (7 or 30 days), or set a periodic interval and retention that meet the recovery point objective.",
      command: "az cosmosdb update --name <prod-cosmos> --resource-group <prod-rg> --backup-policy-type Continuous --continuous-tier Continuous7Days",
      url: 'https://learn.microsoft.com/azure/cosmos-db/continuous-backup-restore-introduction',
    },
    runs: "ARM databaseAccounts get: backupPolicy (type, interval, retention)",
  },
  requires: [],
  pending: "Azure backup probes (issue: Azure through the official SDKs)",
  evaluate() {
    throw new Error('pending checks are not evaluated');
  },
});
