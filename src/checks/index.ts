/**
 * The check catalog, in docs/ARCHITECTURE.md order (checks added since sit after their section's DESIGN ids). Explicit imports (no directory scan) keep start-up fast;
 * test/engine/catalog.test.ts proves every check folder is listed here exactly once.
 */
import type { Check } from '../engine/types.js';
import { check as infraProdResources } from './infra/prod-resources/check.js';
import { check as infraKeyVault } from './infra/key-vault/check.js';
import { check as infraStorage } from './infra/storage/check.js';
import { check as infraCosmos } from './infra/cosmos/check.js';
import { check as infraDns } from './infra/dns/check.js';
import { check as infraServices } from './infra/services/check.js';
import { check as infraDiskUsage } from './infra/disk-usage/check.js';
import { check as securityOsPatches } from './security/os-patches/check.js';
import { check as securityFirewall } from './security/firewall/check.js';
import { check as securityFail2ban } from './security/fail2ban/check.js';
import { check as securitySsh } from './security/ssh/check.js';
import { check as securityNginxHeaders } from './security/nginx-headers/check.js';
import { check as securityRateLimiting } from './security/rate-limiting/check.js';
import { check as securityOpenPorts } from './security/open-ports/check.js';
import { check as securityTlsCertificate } from './security/tls-certificate/check.js';
import { check as securityNginxTls } from './security/nginx-tls/check.js';
import { check as monitoringHealthEndpoint } from './monitoring/health-endpoint/check.js';
import { check as secretsZohoProdTokens } from './secrets/zoho-prod-tokens/check.js';
import { check as secretsBotCredentials } from './secrets/bot-credentials/check.js';
import { check as secretsInKeyVault } from './secrets/in-key-vault/check.js';
import { check as secretsRotationPolicy } from './secrets/rotation-policy/check.js';
import { check as monitoringAzureMonitorVm } from './monitoring/azure-monitor-vm/check.js';
import { check as monitoringLogShipping } from './monitoring/log-shipping/check.js';
import { check as monitoringAlertServiceDown } from './monitoring/alert-service-down/check.js';
import { check as monitoringAlertErrorRate } from './monitoring/alert-error-rate/check.js';
import { check as monitoringAlertDiskSpace } from './monitoring/alert-disk-space/check.js';
import { check as monitoringAlertSslExpiry } from './monitoring/alert-ssl-expiry/check.js';
import { check as monitoringExternalHealth } from './monitoring/external-health/check.js';
import { check as backupCosmosPolicy } from './backup/cosmos-policy/check.js';
import { check as backupBlobVersioning } from './backup/blob-versioning/check.js';
import { check as backupVmBackup } from './backup/vm-backup/check.js';
import { check as backupRecoveryProcedure } from './backup/recovery-procedure/check.js';
import { check as zohoProdOrgId } from './zoho/prod-org-id/check.js';
import { check as zohoProdOauth } from './zoho/prod-oauth/check.js';
import { check as zohoRateLimits } from './zoho/rate-limits/check.js';
import { check as zohoWebhooks } from './zoho/webhooks/check.js';
import { check as botDecision } from './bot/decision/check.js';
import { check as botAppRegistration } from './bot/app-registration/check.js';
import { check as botResource } from './bot/resource/check.js';
import { check as botMessagingEndpoint } from './bot/messaging-endpoint/check.js';
import { check as goliveDevTests } from './golive/dev-tests/check.js';
import { check as goliveUat } from './golive/uat/check.js';
import { check as goliveRollback } from './golive/rollback/check.js';
import { check as goliveSupportContacts } from './golive/support-contacts/check.js';
import { check as goliveWindow } from './golive/window/check.js';

export const CHECKS: readonly Check[] = [
  infraProdResources,
  infraKeyVault,
  infraStorage,
  infraCosmos,
  infraDns,
  infraServices,
  infraDiskUsage,
  securityOsPatches,
  securityFirewall,
  securityFail2ban,
  securitySsh,
  securityNginxHeaders,
  securityRateLimiting,
  securityOpenPorts,
  securityTlsCertificate,
  securityNginxTls,
  secretsZohoProdTokens,
  secretsBotCredentials,
  secretsInKeyVault,
  secretsRotationPolicy,
  monitoringAzureMonitorVm,
  monitoringLogShipping,
  monitoringAlertServiceDown,
  monitoringAlertErrorRate,
  monitoringAlertDiskSpace,
  monitoringAlertSslExpiry,
  monitoringExternalHealth,
  monitoringHealthEndpoint,
  backupCosmosPolicy,
  backupBlobVersioning,
  backupVmBackup,
  backupRecoveryProcedure,
  zohoProdOrgId,
  zohoProdOauth,
  zohoRateLimits,
  zohoWebhooks,
  botDecision,
  botAppRegistration,
  botResource,
  botMessagingEndpoint,
  goliveDevTests,
  goliveUat,
  goliveRollback,
  goliveSupportContacts,
  goliveWindow,
];

export function findCheck(id: string): Check | undefined {
  return CHECKS.find((c) => c.meta.id === id);
}
