import { defineCheck } from '../../../engine/define.js';

export const check = defineCheck({
  meta: {
    id: 'infra.key-vault',
    section: 'infra',
    title: "The production Key Vault exists with soft delete, purge protection and restricted network access",
    severity: 'critical',
    blocker: true,
    effort: { size: 'M', hours: [2, 6] },
    remediation: {
      text: "Create the prod vault with purge protection and RBAC, restrict its network rules, and copy the secret names dev has into it.",
      command: "az keyvault create --name <prod-vault> --resource-group <prod-rg> --enable-purge-protection true --enable-rbac-authorization true",
      url: 'https://learn.microsoft.com/azure/key-vault/general/soft-delete-overview',
    },
    runs: "ARM Microsoft.KeyVault/vaults get + diagnostic settings; Key Vault secret names (never values)",
  },
  requires: [],
  pending: "Azure resource probes (issue: Azure through the official SDKs)",
  evaluate() {
    throw new Error('pending checks are not evaluated');
  },
});
