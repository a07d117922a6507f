import { defineCheck } from '../../../engine/define.js';

export const check = defineCheck({
  meta: {
    id: 'infra.prod-resources',
    section: 'infra',
    title: "Production Azure resources exist and are separate from dev",
    severity: 'critical',
    blocker: true,
    effort: { size: 'L', hours: [8, 24] },
    remediation: {
      text: "Create the production resource group and its resources with their own names, and record the names under azure.prod in predeploy.yaml (TBD names are gaps).",
      command: "az group create --name <prod-rg> --location <region>",
      url: 'https://learn.microsoft.com/azure/azure-resource-manager/management/manage-resource-groups-cli',
    },
    runs: "Azure Resource Graph / resources list: the names in azure.prod (Key Vault, Storage, Cosmos DB, VM, Bot)",
  },
  requires: [],
  pending: "Azure resource probes (issue: Azure through the official SDKs)",
  evaluate() {
    throw new Error('pending checks are not evaluated');
  },
});
