/**
 * The facts probes produce, keyed by probe id. Checks read facts by these keys
 * (Trivy style: probes are data producers, checks read a fact by key).
 * Adding a probe: add its value type in a file of this folder and its key here.
 */
import type { AptUpgrades, Fail2banStatus, ListeningSocket, SshdEffectiveConfig, UfwStatus } from './host.js';
import type { DiskUsage, NetfilterStatus, ProcessInfo, ServicesStatus } from './host.js';
import type { Attestations, EnvScan } from './project.js';
import type { MonitoringAgents } from './monitoring.js';
import type { BackupJobs, Runbooks } from './backup.js';
import type { CertbotCertificates, CertRenewal, NginxConfig, WebLive } from './web.js';
import type { CredentialScan, PolicyDocs, WorldReadableScan } from './project.js';
import type { ZohoProdStatus } from './zoho.js';
import type { BotCredentialsStatus } from './bot.js';
import type { AzureBotFact, AzureCosmosFact, AzureDiscovery, AzureDnsFact, AzureKeyVaultFact, AzureMonitorFact, AzureSession, AzureStorageFact, AzureVmFact } from './azure.js';

export interface FactTypes {
  /** `ufw status verbose` */
  'host.ufw': UfwStatus;
  /** `ss -tlnp` (TCP listeners) */
  'host.listening': ListeningSocket[];
  /** `sshd -T` */
  'host.sshd': SshdEffectiveConfig;
  /** `apt list --upgradable` (after `apt-get update` only with --refresh-apt) */
  'host.apt-upgradable': AptUpgrades;
  /** `fail2ban-client status` and one `status <jail>` per jail */
  'host.fail2ban': Fail2banStatus;
  /** `nft -j list ruleset`, or `iptables -S` + `ip6tables -S` where nft is missing or cannot show the rules */
  'host.netfilter': NetfilterStatus;
  /** `systemctl show <unit> -p ...` for each of config.services */
  'host.services': ServicesStatus;
  /** `ps -eo pid,user,etime,args` */
  'host.processes': ProcessInfo[];
  /** `df -PT` */
  'host.disk': DiskUsage;
  /** `.env` files in the project root: key names and classification, never values */
  'project.env': EnvScan;
  /** `predeploy.attest.yaml` in the project root */
  'project.attestations': Attestations;
  /** Azure Monitor Agent, legacy OMS agent and log shippers: install paths, configs, outputs; processes from host.processes */
  'host.monitoring-agents': MonitoringAgents;
  /** cron and systemd-timer jobs that back up data, and when they last ran */
  'host.backup-jobs': BackupJobs;
  /** recovery and rollback runbooks in the project root (docs/, runbooks/, *.md), recognised by content */
  'project.runbooks': Runbooks;
  /** `nginx -T`: server blocks, TLS, headers, limits and redirects for the assessed domain */
  'host.nginx': NginxConfig;
  /** `certbot certificates` */
  'host.certbot': CertbotCertificates;
  /** `systemctl is-enabled certbot.timer`, `systemctl list-timers --all`, /etc/cron.d, /etc/crontab, `crontab -l` */
  'host.certbot-renewal': CertRenewal;
  /** GET https://<domain>/, http://<domain>/, the health path, and `openssl s_client -showcerts` */
  'web.live': WebLive;
  /** Azure credential (environment, managed identity or `az account get-access-token`) and subscription */
  'azure.session': AzureSession;
  /** ARM resources list by type: the dev and prod resources named in azure.dev / azure.prod */
  'azure.discovery': AzureDiscovery;
  /** ARM Microsoft.KeyVault/vaults + diagnostic settings; Key Vault secret names and attributes (never values) */
  'azure.key-vault': AzureKeyVaultFact;
  /** ARM Microsoft.Storage/storageAccounts + blobServices/default */
  'azure.storage': AzureStorageFact;
  /** ARM Microsoft.DocumentDB/databaseAccounts */
  'azure.cosmos': AzureCosmosFact;
  /** the production domain's A records (resolver, Azure DNS zone) and the production VM's public IPs */
  'azure.dns': AzureDnsFact;
  /** ARM Microsoft.Compute/virtualMachines + extensions, Recovery Services protected items, disk snapshots */
  'azure.vm': AzureVmFact;
  /** metric alerts, scheduled query rules, activity-log alerts, action groups, Application Insights web tests */
  'azure.monitor': AzureMonitorFact;
  /** ARM Microsoft.BotService/botServices + channels/MsTeamsChannel */
  'azure.bot': AzureBotFact;
  /** where each credential reference of predeploy.yaml resolved (environment, .env file:line), never the values */
  'project.credentials': CredentialScan;
  /** world-readable files in the project root holding secret-shaped content (names and lines, never values) */
  'project.world-readable': WorldReadableScan;
  /** documents in the project that state a secret rotation policy, recognised by content */
  'project.policies': PolicyDocs;
  /** one Zoho token refresh with the prod credentials, then the organizations, sandboxes and webhooks of the prod org */
  'zoho.prod': ZohoProdStatus;
  /** the bot's app secret: a client-credentials token request and the app registration's passwordCredentials (Graph) */
  'bot.credentials': BotCredentialsStatus;
}

export type FactId = keyof FactTypes;
export type { AptUpgrades, Fail2banStatus, ListeningSocket, SshdEffectiveConfig, UfwStatus } from './host.js';
export type { DiskMount, DiskUsage, NetfilterChain, NetfilterInputView, NetfilterRule, NetfilterStatus, ProcessInfo, ServicesStatus, ServiceUnitStatus } from './host.js';
export type { Attestation, Attestations, EnvFile, EnvKey, EnvScan } from './project.js';
export type { AgentProcess, LogOutput, MonitoringAgent, MonitoringAgentKind, MonitoringAgents } from './monitoring.js';
export type { BackupJob, BackupJobs, LastRun, Runbook, RunbookKind, Runbooks, SourceGap } from './backup.js';
export type { AssessedDomain, CertbotCertificates, CertbotLineage, CertRenewal, NginxConfig, NginxServer, WebLive } from './web.js';
export type * from './azure.js';
export type { CredentialRefStatus, CredentialScan, CredentialSource, PolicyDocs, RotationPolicyDoc, SecretShapeKind, ThrottleSetting, WorldReadableFinding, WorldReadableScan } from './project.js';
export type * from './zoho.js';
export type * from './bot.js';
