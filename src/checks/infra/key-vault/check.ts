import { defineCheck } from '../../../engine/define.js';
import type { Evidence, Unverified } from '../../../engine/types.js';
import type { KeyVaultInfo, Lookup } from '../../../facts/azure.js';
import { cite, lookupUnverified, missingFinding } from '../../lib/azure.js';
import { worst, type PartStatus as Verdict } from '../../lib/status.js';
import { keyVaultGapRows } from '../../lib/gaps.js';

/** Names dev has and prod lacks (case-insensitive: Key Vault names are). */
export function missingInProd(dev: Lookup<KeyVaultInfo>, prod: KeyVaultInfo): string[] | undefined {
  if (dev.status !== 'found' || dev.value.secrets.status !== 'found' || prod.secrets.status !== 'found') return undefined;
  const have = new Set(prod.secrets.value.map((s) => s.name.toLowerCase()));
  return dev.value.secrets.value.filter((s) => !s.managed && !have.has(s.name.toLowerCase())).map((s) => s.name);
}

/**
 * The production vault holds the production secrets; losing it (or a secret in it) to a delete
 * must be recoverable, and reads must be audited.
 * - Purge protection: https://learn.microsoft.com/azure/key-vault/general/soft-delete-overview#purge-protection
 * - Network rules: https://learn.microsoft.com/azure/key-vault/general/network-security
 * - Diagnostic logs: https://learn.microsoft.com/azure/key-vault/general/logging
 * - RBAC rather than access policies: https://learn.microsoft.com/azure/key-vault/general/rbac-migration
 */
export const check = defineCheck({
  meta: {
    id: 'infra.key-vault',
    section: 'infra',
    title: 'The production Key Vault exists with purge protection, restricted network access, audit logs and every secret dev has',
    severity: 'critical',
    blocker: true,
    effort: { size: 'M', hours: [2, 6] },
    remediation: {
      text: 'Create the prod vault with purge protection and RBAC, restrict its network rules, send its audit logs to a workspace (diagnostic setting), and create in it every secret name dev has (with production values).',
      command: 'az keyvault create --name <prod-vault> --resource-group <prod-rg> --enable-purge-protection true --enable-rbac-authorization true --default-action Deny',
      url: 'https://learn.microsoft.com/azure/key-vault/general/soft-delete-overview',
    },
    runs: 'ARM Microsoft.KeyVault/vaults get + diagnostic settings; Key Vault secret names and attributes (never values), dev and prod',
  },
  requires: ['azure.key-vault'],
  gapRows: keyVaultGapRows,
  evaluate(facts, { now }) {
    const { dev, prod } = facts.need('azure.key-vault');
    if (prod.status !== 'found') return missingFinding(prod, 'the production Key Vault', 'azure.key-vault');
    const v = prod.value;
    const evidence: Evidence[] = [];
    const fails: string[] = [];
    const warns: string[] = [];
    const unknowns: string[] = [];
    const unverified: Unverified[] = [];
    const couldNotLook = (l: Lookup<unknown>, detail?: string) => {
      // a 404 on a sub-read (no diagnostic settings endpoint) is still something not looked at
      const u = lookupUnverified(l, 'azure.key-vault') ?? { probe: 'azure.key-vault', cause: { kind: 'probe', probe: 'azure.key-vault', reason: 'failed' }, detail: 'detail' in l ? l.detail : 'not read' };
      unverified.push(detail !== undefined ? { ...u, detail } : u);
    };
    evidence.push(
      cite(prod, `${v.name} (${v.resourceGroup}): purge protection ${v.purgeProtection ? 'on' : 'off'}, soft delete ${v.softDelete === false ? 'off' : `on${v.softDeleteRetentionDays !== undefined ? ` (${v.softDeleteRetentionDays} days)` : ''}`}, ${v.rbacAuthorization ? 'Azure RBAC' : `access policies (${v.accessPolicyCount})`}, public network access ${v.publicNetworkAccess ?? 'Enabled'}, default action ${v.networkDefaultAction ?? 'Allow'} (${v.ipRuleCount} IP rules, ${v.virtualNetworkRuleCount} VNet rules, ${v.privateEndpointCount} private endpoints)`),
    );
    if (!v.purgeProtection) fails.push('purge protection is off (a deleted vault or secret can be purged for good)');
    if (v.softDelete === false) fails.push('soft delete is off');
    const open = v.publicNetworkAccess !== 'Disabled' && (v.networkDefaultAction ?? 'Allow') === 'Allow' && v.privateEndpointCount === 0;
    if (open) warns.push('reachable from every network (default action Allow, no private endpoint)');
    if (!v.rbacAuthorization) warns.push('uses vault access policies; Azure RBAC is recommended');

    const diag = v.diagnostics;
    if (diag.status === 'found') {
      const logging = diag.value.filter((d) => d.logsEnabled);
      evidence.push(cite(diag, logging.length > 0 ? `diagnostic settings sending logs: ${logging.map((d) => `${d.name} → ${d.destinations.join(', ')}`).join('; ')}` : 'no diagnostic setting sends its logs anywhere'));
      if (logging.length === 0) warns.push('no diagnostic setting sends the audit logs anywhere');
    } else {
      unknowns.push(`diagnostic settings not readable: ${diag.detail}`);
      evidence.push(cite(diag, diag.detail));
      couldNotLook(diag);
    }

    const secrets = v.secrets;
    if (secrets.status === 'found') {
      const t = now.getTime();
      const expired = secrets.value.filter((s) => s.expiresOn !== undefined && Date.parse(s.expiresOn) <= t).map((s) => s.name);
      const disabled = secrets.value.filter((s) => !s.enabled).map((s) => s.name);
      evidence.push(cite(secrets, `${secrets.value.length} secret names in prod${expired.length > 0 ? `; expired: ${expired.join(', ')}` : ''}${disabled.length > 0 ? `; disabled: ${disabled.join(', ')}` : ''}`));
      if (expired.length > 0) fails.push(`expired secrets: ${expired.join(', ')}`);
      if (disabled.length > 0) warns.push(`disabled secrets: ${disabled.join(', ')}`);
      const gap = missingInProd(dev, v);
      if (gap === undefined) {
        // without dev's names, "prod has every secret dev has" cannot be said
        const devList: Lookup<unknown> = dev.status === 'found' ? dev.value.secrets : dev;
        const why = devList.status === 'found' ? 'not read' : devList.status === 'not-found' ? `the dev vault was not found (${devList.detail})` : devList.detail;
        unknowns.push(`whether prod has every secret dev has is not known: ${why}`);
        evidence.push(cite(devList, `dev secret names not readable (${devList.status}): the dev-vs-prod comparison was skipped`));
        if (devList.status === 'not-found') {
          unverified.push({ probe: 'azure.key-vault', cause: { kind: 'probe', probe: 'azure.key-vault', reason: 'failed' }, detail: `dev Key Vault not found, so its secret names could not be compared: ${devList.detail}`, ...(devList.refs.length > 0 ? { refs: devList.refs } : {}) });
        } else couldNotLook(devList);
      } else {
        evidence.push(cite(dev.status === 'found' ? dev.value.secrets : dev, gap.length > 0 ? `secrets in dev but not in prod: ${gap.join(', ')}` : 'every dev secret name exists in prod'));
        if (gap.length > 0) fails.push(`prod lacks ${gap.length} secret(s) dev has: ${gap.join(', ')}`);
      }
    } else {
      unknowns.push(`secret names not readable: ${secrets.detail}`);
      evidence.push(cite(secrets, secrets.detail));
      couldNotLook(secrets);
    }

    const status: Verdict = worst(fails.length > 0 ? 'fail' : 'pass', unknowns.length > 0 ? 'unknown' : 'pass', warns.length > 0 ? 'warn' : 'pass');
    const problems = [...fails, ...unknowns, ...warns];
    return {
      status,
      summary: problems.length > 0 ? `${v.name}: ${problems.join('; ')}` : `${v.name}: purge protection on, network restricted, audit logs sent, every dev secret present`,
      evidence,
      ...(unverified.length > 0 ? { unverified } : {}),
    };
  },
});
