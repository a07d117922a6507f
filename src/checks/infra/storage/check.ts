import { defineCheck } from '../../../engine/define.js';

export const check = defineCheck({
  meta: {
    id: 'infra.storage',
    section: 'infra',
    title: "The production storage account enforces HTTPS, TLS 1.2 and no public blob access",
    severity: 'high',
    effort: { size: 'M', hours: [2, 4] },
    remediation: {
      text: "Create the prod storage account with --https-only, --min-tls-version TLS1_2 and --allow-blob-public-access false.",
      command: "az storage account create --name <prod-storage> --resource-group <prod-rg> --https-only true --min-tls-version TLS1_2 --allow-blob-public-access false --sku Standard_ZRS",
      url: 'https://learn.microsoft.com/azure/storage/common/storage-account-overview',
    },
    runs: "ARM Microsoft.Storage/storageAccounts get + blobServices/default",
  },
  requires: [],
  pending: "Azure resource probes (issue: Azure through the official SDKs)",
  evaluate() {
    throw new Error('pending checks are not evaluated');
  },
});
