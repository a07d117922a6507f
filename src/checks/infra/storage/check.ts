import { defineCheck } from '../../../engine/define.js';
import { cite, missingFinding } from '../../lib/azure.js';
import { storageGapRows } from '../../lib/gaps.js';

const TLS_OK = new Set(['TLS1_2', 'TLS1_3']);

/**
 * Transport security and anonymous access of the production storage account
 * (https://learn.microsoft.com/azure/storage/common/transport-layer-security-configure-minimum-version,
 * https://learn.microsoft.com/azure/storage/blobs/anonymous-read-access-prevent,
 * https://learn.microsoft.com/azure/storage/common/storage-require-secure-transfer), and its
 * redundancy (https://learn.microsoft.com/azure/storage/common/storage-redundancy): LRS keeps
 * all copies in one data centre, so it is a warning, not a failure.
 * A setting the API leaves out is not enforced: older accounts then accept TLS 1.0 and allow
 * containers to be made public.
 */
export const check = defineCheck({
  meta: {
    id: 'infra.storage',
    section: 'infra',
    title: 'The production storage account enforces HTTPS, TLS 1.2 and no public blob access, with zone or geo redundancy',
    severity: 'high',
    effort: { size: 'M', hours: [2, 4] },
    remediation: {
      text: 'Require secure transfer, a minimum TLS version of 1.2 and no anonymous blob access on the prod storage account; prefer ZRS or GZRS over LRS.',
      command: 'az storage account update --name <prod-storage> --resource-group <prod-rg> --https-only true --min-tls-version TLS1_2 --allow-blob-public-access false',
      url: 'https://learn.microsoft.com/azure/storage/common/storage-account-overview',
    },
    runs: 'ARM Microsoft.Storage/storageAccounts get (supportsHttpsTrafficOnly, minimumTlsVersion, allowBlobPublicAccess, sku)',
  },
  requires: ['azure.storage'],
  gapRows: storageGapRows,
  evaluate(facts) {
    const { prod } = facts.need('azure.storage');
    if (prod.status !== 'found') return missingFinding(prod, 'the production storage account', 'azure.storage');
    const a = prod.value;
    const fails: string[] = [];
    const warns: string[] = [];
    if (a.httpsOnly !== true) fails.push(a.httpsOnly === false ? 'accepts plain HTTP (secure transfer not required)' : 'secure transfer not reported as required');
    if (a.minimumTlsVersion === undefined || !TLS_OK.has(a.minimumTlsVersion)) fails.push(`minimum TLS version is ${a.minimumTlsVersion ?? 'not set (TLS 1.0 accepted)'}`);
    if (a.allowBlobPublicAccess !== false) fails.push(a.allowBlobPublicAccess === true ? 'anonymous blob access is allowed' : 'anonymous blob access is not disallowed (setting not set)');
    if (a.redundancy === 'LRS') warns.push('locally redundant (LRS): one data centre holds every copy');
    const evidence = [
      cite(prod, `${a.name} (${a.resourceGroup}): https only ${String(a.httpsOnly ?? 'not set')}, minimum TLS ${a.minimumTlsVersion ?? 'not set'}, allow blob public access ${String(a.allowBlobPublicAccess ?? 'not set')}, sku ${a.sku ?? '?'}`),
    ];
    if (fails.length > 0) return { status: 'fail', summary: `${a.name}: ${[...fails, ...warns].join('; ')}`, evidence };
    if (warns.length > 0) return { status: 'warn', summary: `${a.name}: HTTPS, TLS 1.2 and no public access enforced, but ${warns.join('; ')}`, evidence };
    return { status: 'pass', summary: `${a.name}: HTTPS only, TLS ≥ 1.2, no anonymous blob access, ${a.redundancy ?? a.sku ?? ''} redundancy`, evidence };
  },
});
