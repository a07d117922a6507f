import { defineCheck } from '../../../engine/define.js';

export const check = defineCheck({
  meta: {
    id: 'backup.blob-versioning',
    section: 'backup',
    title: "Blob versioning and blob/container soft delete are on for the production storage account",
    severity: 'high',
    effort: { size: 'S', hours: [1, 2] },
    remediation: {
      text: "Enable versioning and soft delete (blobs and containers, e.g. 14 days) on the prod storage account.",
      command: "az storage account blob-service-properties update --account-name <prod-storage> --resource-group <prod-rg> --enable-versioning true --enable-delete-retention true --delete-retention-days 14 --enable-container-delete-retention true --container-delete-retention-days 14",
      url: 'https://learn.microsoft.com/azure/storage/blobs/versioning-enable',
    },
    runs: "ARM storageAccounts blobServices/default: isVersioningEnabled, deleteRetentionPolicy, containerDeleteRetentionPolicy",
  },
  requires: [],
  pending: "Azure backup probes (issue: Azure through the official SDKs)",
  evaluate() {
    throw new Error('pending checks are not evaluated');
  },
});
