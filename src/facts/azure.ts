/**
 * Fact shapes produced by the Azure probes (src/probes/azure/*). Plain data, no behaviour.
 *
 * Most facts cover dev and prod: the checks judge prod, and the dev-vs-prod gap table needs
 * both. A name that is `TBD` in the configuration is a gap, never looked up (`status: 'tbd'`).
 * A lookup that could not be made says why (`forbidden` names the role that is missing;
 * `error` says timeout, throttling or another failure) — it is never reported as "not found".
 */

/** The two environments of the profile. */
export type AzureEnvName = 'dev' | 'prod';

/** Why a lookup failed when it was attempted: the engine's failure reasons, plus ARM throttling. */
export type AzureErrorReason = 'timeout' | 'throttled' | 'failed' | 'no-credentials';

/**
 * The outcome of looking one thing up. Every variant carries the commands-log entries of the
 * requests that produced it (`refs`), so a check can cite exactly those ARM calls.
 */
export type Lookup<T> =
  | { status: 'found'; value: T; refs: number[] }
  /** the request was answered 404 (or the resource is absent from a permitted listing) */
  | { status: 'not-found'; detail: string; refs: number[] }
  /** the name is `TBD` in the configuration (a gap; nothing was looked up); `key` is the config key (`azure.prod.keyVault`) */
  | { status: 'tbd'; detail: string; refs: number[]; key?: string }
  /** 403: `role` names the built-in role that allows the read */
  | { status: 'forbidden'; detail: string; role: string; refs: number[] }
  /** `endpoint`: the origin that did not answer (timeouts), for the report's "unreachable" cause */
  | { status: 'error'; reason: AzureErrorReason; detail: string; refs: number[]; endpoint?: string };

/** Per-environment lookups. */
export interface PerEnv<T> {
  dev: Lookup<T>;
  prod: Lookup<T>;
}

// ---------------------------------------------------------------------------------------------
// azure.session

/** `azure.session`: which credential answered and which subscription the run reads. */
export interface AzureSession {
  /** the credential source that produced a token */
  credential: 'environment' | 'managed-identity' | 'cli';
  subscriptionId: string;
  /** where the subscription id came from */
  subscriptionSource: 'config' | 'environment' | 'cli' | 'only-visible';
  /** the tenant of the token or the CLI login, when known */
  tenantId?: string;
  /** the account the CLI is logged in as, or the client id of the identity (never a secret) */
  account?: string;
  armEndpoint: string;
  /** the audience requested for ARM tokens */
  armScope: string;
}

// ---------------------------------------------------------------------------------------------
// azure.discovery

/** The kinds of resource the profile names per environment. */
export type AzureResourceKind = 'resourceGroup' | 'keyVault' | 'storageAccount' | 'cosmosAccount' | 'vm' | 'botName';

/** What each kind is called in messages (probes and checks). */
export const KIND_LABEL: Readonly<Record<AzureResourceKind, string>> = {
  resourceGroup: 'resource group',
  keyVault: 'Key Vault',
  storageAccount: 'storage account',
  cosmosAccount: 'Cosmos DB account',
  vm: 'VM',
  botName: 'Azure Bot',
};

export interface DiscoveredResource {
  kind: AzureResourceKind;
  name: string;
  /** the ARM id as Azure spells it */
  id: string;
  resourceGroup: string;
  /** `Microsoft.KeyVault/vaults`, ... (`Microsoft.Resources/resourceGroups` for a group) */
  type: string;
  location?: string;
}

/** `azure.discovery`: the named resources of dev and prod, found across resource groups. */
export interface AzureDiscovery {
  /** the listing used: the whole subscription, or only the configured resource groups (subscription listing refused) */
  scope: 'subscription' | 'resource-groups';
  dev: Record<AzureResourceKind, Lookup<DiscoveredResource>>;
  prod: Record<AzureResourceKind, Lookup<DiscoveredResource>>;
}

// ---------------------------------------------------------------------------------------------
// azure.key-vault

export interface KeyVaultSecretMeta {
  name: string;
  enabled: boolean;
  /** ISO time, when the secret has an expiry */
  expiresOn?: string;
  /** ISO time of the last update (or creation) */
  updatedOn?: string;
  contentType?: string;
  /** true for secrets Key Vault manages for a certificate */
  managed?: boolean;
}

export interface KeyVaultDiagnosticSetting {
  name: string;
  /** at least one log category or category group is enabled */
  logsEnabled: boolean;
  /** `workspace`, `storage`, `event-hub`, `partner` */
  destinations: string[];
}

export interface KeyVaultInfo {
  id: string;
  name: string;
  resourceGroup: string;
  location?: string;
  vaultUri?: string;
  sku?: string;
  /** `enableSoftDelete` as returned; undefined when the API left it out */
  softDelete?: boolean;
  softDeleteRetentionDays?: number;
  purgeProtection: boolean;
  /** true: Azure RBAC; false: vault access policies */
  rbacAuthorization: boolean;
  accessPolicyCount: number;
  publicNetworkAccess?: string;
  /** `networkAcls.defaultAction` (Allow when no rules are set) */
  networkDefaultAction?: string;
  ipRuleCount: number;
  virtualNetworkRuleCount: number;
  privateEndpointCount: number;
  diagnostics: Lookup<KeyVaultDiagnosticSetting[]>;
  /** names and attributes only (`listPropertiesOfSecrets`); values are never fetched */
  secrets: Lookup<KeyVaultSecretMeta[]>;
}

/** `azure.key-vault` */
export type AzureKeyVaultFact = PerEnv<KeyVaultInfo>;

// ---------------------------------------------------------------------------------------------
// azure.storage

export interface RetentionPolicy {
  enabled: boolean;
  days?: number;
}

export interface BlobServiceInfo {
  versioning: boolean;
  deleteRetention: RetentionPolicy;
  containerDeleteRetention: RetentionPolicy;
  changeFeed: boolean;
  pointInTimeRestore: RetentionPolicy;
}

export interface StorageInfo {
  id: string;
  name: string;
  resourceGroup: string;
  location?: string;
  kind?: string;
  /** `Standard_ZRS`, ... */
  sku?: string;
  /** the redundancy part of the SKU: LRS, ZRS, GRS, RAGRS, GZRS, RAGZRS */
  redundancy?: string;
  /** `TLS1_0`, `TLS1_1`, `TLS1_2`, `TLS1_3`; undefined when not set (older accounts then accept TLS 1.0) */
  minimumTlsVersion?: string;
  /** undefined when not set (older accounts then allow anonymous access to be turned on per container) */
  allowBlobPublicAccess?: boolean;
  /** `supportsHttpsTrafficOnly` */
  httpsOnly?: boolean;
  publicNetworkAccess?: string;
  networkDefaultAction?: string;
  blob: Lookup<BlobServiceInfo>;
}

/** `azure.storage` */
export type AzureStorageFact = PerEnv<StorageInfo>;

// ---------------------------------------------------------------------------------------------
// azure.cosmos

export type CosmosBackup =
  | { type: 'Periodic'; intervalMinutes?: number; retentionHours?: number; storageRedundancy?: string }
  | { type: 'Continuous'; tier?: string }
  | { type: 'unknown'; raw?: string };

export interface CosmosLocation {
  name: string;
  failoverPriority?: number;
  zoneRedundant: boolean;
}

export interface CosmosInfo {
  id: string;
  name: string;
  resourceGroup: string;
  documentEndpoint?: string;
  backup: CosmosBackup;
  publicNetworkAccess?: string;
  ipRuleCount: number;
  virtualNetworkFilter: boolean;
  privateEndpointCount: number;
  locations: CosmosLocation[];
  automaticFailover?: boolean;
  multipleWriteLocations?: boolean;
}

/** `azure.cosmos` */
export interface AzureCosmosFact extends PerEnv<CosmosInfo> {
  /** dev and prod name the same account (by name in the config, or by ARM id) */
  shared: boolean;
}

// ---------------------------------------------------------------------------------------------
// azure.dns

export interface DnsZoneRecord {
  zone: string;
  zoneResourceGroup: string;
  /** the record name inside the zone (`@` for the apex) */
  recordName: string;
  /** A records of the set (empty when the set is a CNAME or has none) */
  addresses: string[];
  cname?: string;
  ttl?: number;
}

/** `azure.dns`: the production domain as resolvers and Azure DNS see it, and the VM's public IPs. */
export interface AzureDnsFact {
  /** the production host name, or `TBD` */
  domain: string;
  /** `system`, or the DNS-over-HTTPS URL used */
  resolver: string;
  /** IPv4 addresses the resolver gives for the domain */
  resolved: Lookup<string[]>;
  /** the public IPs of the production VM's network interfaces */
  vmPublicIps: Lookup<string[]>;
  /** the record in an Azure DNS zone of the subscription; `not-found` when no zone hosts the domain */
  zoneRecord: Lookup<DnsZoneRecord>;
}

// ---------------------------------------------------------------------------------------------
// azure.vm

export interface VmExtensionInfo {
  name: string;
  publisher?: string;
  type?: string;
  provisioningState?: string;
  autoUpgrade?: boolean;
  version?: string;
}

export interface VmBackupInfo {
  vault: string;
  vaultResourceGroup: string;
  protectionState?: string;
  protectionStatus?: string;
  healthStatus?: string;
  lastBackupStatus?: string;
  /** ISO time */
  lastBackupTime?: string;
  policy?: string;
}

export interface VmSnapshotInfo {
  count: number;
  /** ISO time of the newest snapshot of one of the VM's disks */
  newest?: string;
}

export interface VmInfo {
  id: string;
  name: string;
  resourceGroup: string;
  location?: string;
  osType?: string;
  size?: string;
  extensions: VmExtensionInfo[];
  /** the Azure Monitor Agent extension (AzureMonitorLinuxAgent / AzureMonitorWindowsAgent), when installed */
  monitorAgent?: VmExtensionInfo;
  /** the Recovery Services protected item for this VM; `not-found` when no vault protects it */
  backup: Lookup<VmBackupInfo>;
  /** snapshots of the VM's managed disks */
  snapshots: Lookup<VmSnapshotInfo>;
}

/** `azure.vm` */
export type AzureVmFact = PerEnv<VmInfo>;

// ---------------------------------------------------------------------------------------------
// azure.monitor

export type AlertRuleKind = 'metric' | 'log' | 'activity-log';

export interface AlertRule {
  kind: AlertRuleKind;
  id: string;
  name: string;
  resourceGroup: string;
  enabled: boolean;
  severity?: number;
  description?: string;
  scopes: string[];
  /**
   * What the rule watches, as text: metric names (`metric:Percentage CPU`), log queries
   * (`query:Heartbeat | ...`), activity-log conditions (`category=ResourceHealth`), web test ids
   * (`webtest:<id>`).
   */
  signals: string[];
  /** action group ids, as the rule spells them */
  actionGroups: string[];
}

export interface ActionGroupInfo {
  id: string;
  name: string;
  enabled: boolean;
  /** receivers with their kind; `enabled` false when Azure reports them Disabled */
  receivers: { kind: string; name: string; enabled: boolean }[];
}

export interface WebTestInfo {
  id: string;
  name: string;
  resourceGroup: string;
  enabled: boolean;
  /** `ping` (classic URL test), `standard`, `multistep` */
  kind: string;
  /** the URL the test requests */
  url?: string;
  sslCheck: boolean;
  /** days before expiry the test fails (standard tests) */
  sslLifetimeDays?: number;
  frequencySeconds?: number;
  locationCount: number;
}

/** A listing that could not be read: absence of rules from it proves nothing. */
export interface MonitorListingGap {
  listing: string;
  reason: 'forbidden' | AzureErrorReason;
  detail: string;
  role?: string;
  /** the origin that did not answer (timeouts) */
  endpoint?: string;
}

/** `azure.monitor`: the alerting configuration of the subscription. */
export interface AzureMonitorFact {
  subscriptionId: string;
  rules: AlertRule[];
  actionGroups: ActionGroupInfo[];
  webTests: WebTestInfo[];
  /** listings that failed */
  gaps: MonitorListingGap[];
  /** commands-log entries per listing, for evidence */
  refs: Record<string, number[]>;
}

// ---------------------------------------------------------------------------------------------
// azure.bot

export interface BotInfo {
  id: string;
  name: string;
  resourceGroup: string;
  /** the messaging endpoint */
  endpoint?: string;
  /** `SingleTenant`, `UserAssignedMSI`, `MultiTenant` */
  msaAppType?: string;
  msaAppId?: string;
  msaAppTenantId?: string;
  sku?: string;
  kind?: string;
  enabledChannels: string[];
  publicNetworkAccess?: string;
  /** the MsTeamsChannel resource; `not-found` when the channel was never added */
  teams: Lookup<{ enabled: boolean }>;
}

/** `azure.bot` */
export type AzureBotFact = PerEnv<BotInfo>;
