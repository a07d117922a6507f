import { defineProbe } from '../../../engine/define.js';
import type { AzureEnvName, KeyVaultDiagnosticSetting, KeyVaultInfo, KeyVaultSecretMeta, Lookup } from '../../../facts/azure.js';
import { all, carry, locate, lookup, perEnv, rgScope, wholeFailure } from '../lookup.js';
import { azureSetup, RETRY_OPTIONS, type AzureSetup } from '../setup.js';

/**
 * Public-cloud and sovereign Key Vault DNS suffixes. Against any other host (a loopback test
 * server, a private endpoint alias), the SDK's challenge check, which requires the token
 * resource to match the vault's domain, must be turned off
 * (https://learn.microsoft.com/javascript/api/@azure/keyvault-secrets/secretclientoptions).
 */
const VAULT_SUFFIXES = ['.vault.azure.net', '.vault.azure.cn', '.vault.usgovcloudapi.net', '.vault.microsoftazure.de'];

export const isAzureVaultHost = (vaultUri: string): boolean => {
  const host = new URL(vaultUri).hostname.toLowerCase();
  return VAULT_SUFFIXES.some((s) => host.endsWith(s));
};

/**
 * Listing secret names and attributes is the data action
 * `Microsoft.KeyVault/vaults/secrets/readMetadata/action`, which the built-in **Key Vault Reader**
 * role grants without any secret value (https://learn.microsoft.com/azure/key-vault/general/rbac-guide);
 * vaults on access policies need the secret permission `List`.
 */
export const SECRETS_LIST_ROLE = 'Key Vault Reader (RBAC vaults) or an access policy with the secret permission List';

function diagnosticsOf(list: { name?: string; workspaceId?: string; storageAccountId?: string; eventHubAuthorizationRuleId?: string; logs?: { enabled?: boolean }[] }[]): KeyVaultDiagnosticSetting[] {
  return list.map((s) => ({
    name: s.name ?? '(unnamed)',
    logsEnabled: (s.logs ?? []).some((l) => l.enabled === true),
    destinations: [s.workspaceId ? 'workspace' : '', s.storageAccountId ? 'storage' : '', s.eventHubAuthorizationRuleId ? 'event-hub' : ''].filter((d) => d !== ''),
  }));
}

async function readVault(setup: AzureSetup, env: AzureEnvName, name: string, resourceGroup: string): Promise<Lookup<KeyVaultInfo>> {
  const { credential, session, httpClient } = setup;
  const [{ KeyVaultManagementClient }, { MonitorClient }, { SecretClient }] = await Promise.all([
    import('@azure/arm-keyvault'),
    import('@azure/arm-monitor'),
    import('@azure/keyvault-secrets'),
  ]);
  const kv = new KeyVaultManagementClient(credential, session.subscriptionId, setup.modular());
  const vault = await lookup(() => kv.vaults.get(resourceGroup, name), { what: `${env} Key Vault ${name}`, role: 'Reader', scope: rgScope(resourceGroup) });
  if (vault.status !== 'found') return carry(vault);
  const v = vault.value;
  const p = v.properties;
  const id = v.id ?? '';
  const monitor = new MonitorClient(credential, session.subscriptionId, setup.classic());
  const vaultUri = p.vaultUri;
  const [diagnostics, secrets] = await Promise.all([
    lookup(async () => diagnosticsOf((await monitor.diagnosticSettings.list(id.replace(/^\//, ''))).value ?? []), {
      what: `the diagnostic settings of ${env} Key Vault ${name}`,
      role: 'Reader (or Monitoring Reader)',
      scope: `Key Vault ${name}`,
    }),
    vaultUri === undefined
      ? Promise.resolve<Lookup<KeyVaultSecretMeta[]>>({ status: 'error', reason: 'failed', detail: `${env} Key Vault ${name} has no vaultUri`, refs: [] })
      : lookup(async () => {
          const client = new SecretClient(vaultUri, credential, {
            httpClient,
            retryOptions: { ...RETRY_OPTIONS },
            disableChallengeResourceVerification: !isAzureVaultHost(vaultUri),
          });
          // listPropertiesOfSecrets returns names and attributes only; getSecret is never called.
          const props = await all(client.listPropertiesOfSecrets());
          return props.map(
            (s): KeyVaultSecretMeta => ({
              name: s.name,
              enabled: s.enabled !== false,
              ...(s.expiresOn ? { expiresOn: s.expiresOn.toISOString() } : {}),
              ...((s.updatedOn ?? s.createdOn) ? { updatedOn: (s.updatedOn ?? s.createdOn)?.toISOString() } : {}),
              ...(s.contentType ? { contentType: s.contentType } : {}),
              ...(s.managed === true ? { managed: true } : {}),
            }),
          );
        }, { what: `the secret names of ${env} Key Vault ${name}`, role: SECRETS_LIST_ROLE, scope: `Key Vault ${name}` }),
  ]);
  const acls = p.networkAcls;
  return {
    status: 'found',
    refs: vault.refs,
    value: {
      id,
      name: v.name ?? name,
      resourceGroup,
      ...(v.location ? { location: v.location } : {}),
      ...(vaultUri ? { vaultUri } : {}),
      ...(p.sku?.name ? { sku: p.sku.name } : {}),
      ...(p.enableSoftDelete !== undefined ? { softDelete: p.enableSoftDelete } : {}),
      ...(p.softDeleteRetentionInDays !== undefined ? { softDeleteRetentionDays: p.softDeleteRetentionInDays } : {}),
      purgeProtection: p.enablePurgeProtection === true,
      rbacAuthorization: p.enableRbacAuthorization === true,
      accessPolicyCount: p.accessPolicies?.length ?? 0,
      ...(p.publicNetworkAccess ? { publicNetworkAccess: p.publicNetworkAccess } : {}),
      networkDefaultAction: acls?.defaultAction ?? 'Allow',
      ipRuleCount: acls?.ipRules?.length ?? 0,
      virtualNetworkRuleCount: acls?.virtualNetworkRules?.length ?? 0,
      privateEndpointCount: p.privateEndpointConnections?.length ?? 0,
      diagnostics,
      secrets,
    },
  };
}

/**
 * `azure.key-vault`: each environment's vault (ARM `Microsoft.KeyVault/vaults` get), its
 * diagnostic settings, and its secret names and attributes through `@azure/keyvault-secrets`
 * `listPropertiesOfSecrets` — never a value (`getSecret` is not called anywhere in predeploy).
 */
export const keyVaultProbe = defineProbe({
  id: 'azure.key-vault',
  describe: 'ARM Key Vault get + diagnostic settings; Key Vault list of secret names and attributes (never values)',
  network: true,
  async collect(ctx) {
    const setup = await azureSetup(ctx);
    if (!setup.ok) return setup;
    const value = await perEnv(async (env) => {
      const at = await locate(ctx, env, 'keyVault');
      if (at.status !== 'found') return carry<KeyVaultInfo>(at);
      const r = await readVault(setup.value, env, at.value.name, at.value.resourceGroup);
      return { ...r, refs: [...at.refs, ...r.refs] };
    });
    return wholeFailure([value.dev, value.prod], 'azure.key-vault') ?? { ok: true, value };
  },
});
