import { defineCheck } from '../../../engine/define.js';
import type { Evidence } from '../../../engine/types.js';
import { cite, missingFinding } from '../../lib/azure.js';

/** Microsoft's data-protection baseline keeps deleted blobs and containers at least 7 days. */
export const MIN_RETENTION_DAYS = 7;

/**
 * Blob data protection: versioning keeps overwritten blobs, blob soft delete keeps deleted blobs,
 * container soft delete keeps deleted containers
 * (https://learn.microsoft.com/azure/storage/blobs/data-protection-overview#recommendations-for-basic-data-protection).
 */
export const check = defineCheck({
  meta: {
    id: 'backup.blob-versioning',
    section: 'backup',
    title: 'Blob versioning and blob/container soft delete (7 days or more) are on for the production storage account',
    severity: 'high',
    effort: { size: 'S', hours: [1, 2] },
    remediation: {
      text: 'Enable versioning and soft delete for blobs and containers (e.g. 14 days) on the prod storage account.',
      command: 'az storage account blob-service-properties update --account-name <prod-storage> --resource-group <prod-rg> --enable-versioning true --enable-delete-retention true --delete-retention-days 14 --enable-container-delete-retention true --container-delete-retention-days 14',
      url: 'https://learn.microsoft.com/azure/storage/blobs/versioning-enable',
    },
    runs: 'ARM storageAccounts blobServices/default: isVersioningEnabled, deleteRetentionPolicy, containerDeleteRetentionPolicy',
  },
  requires: ['azure.storage'],
  evaluate(facts) {
    const { prod } = facts.need('azure.storage');
    if (prod.status !== 'found') return missingFinding(prod, 'the production storage account', 'azure.storage');
    const blob = prod.value.blob;
    if (blob.status !== 'found') return missingFinding(blob, `the blob service of ${prod.value.name}`, 'azure.storage');
    const b = blob.value;
    const days = (r: { enabled: boolean; days?: number }) => (r.enabled ? `${r.days ?? '?'} days` : 'off');
    const evidence: Evidence[] = [
      cite(blob, `${prod.value.name}: versioning ${b.versioning ? 'on' : 'off'}, blob soft delete ${days(b.deleteRetention)}, container soft delete ${days(b.containerDeleteRetention)}${b.pointInTimeRestore.enabled ? `, point-in-time restore ${days(b.pointInTimeRestore)}` : ''}`),
    ];
    const off = [!b.versioning ? 'versioning' : '', !b.deleteRetention.enabled ? 'blob soft delete' : '', !b.containerDeleteRetention.enabled ? 'container soft delete' : ''].filter((x) => x !== '');
    if (off.length > 0) return { status: 'fail', summary: `${prod.value.name}: off: ${off.join(', ')}`, evidence };
    const short = [b.deleteRetention, b.containerDeleteRetention].some((r) => (r.days ?? 0) < MIN_RETENTION_DAYS);
    if (short) return { status: 'warn', summary: `${prod.value.name}: soft delete keeps less than ${MIN_RETENTION_DAYS} days`, evidence };
    return { status: 'pass', summary: `${prod.value.name}: versioning, blob soft delete (${days(b.deleteRetention)}) and container soft delete (${days(b.containerDeleteRetention)}) on`, evidence };
  },
});
