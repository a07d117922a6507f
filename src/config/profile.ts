/**
 * The built-in `order-processing` profile: the dev/prod table of docs/ARCHITECTURE.md "Configuration".
 * Undecided production names are `TBD` and show up as gaps.
 */
import type { Config } from './schema.js';

export const ORDER_PROCESSING_PROFILE: Config = {
  profile: 'order-processing',
  services: ['workflow-api', 'workflow-worker', 'teams-bot'],
  domain: {
    dev: 'processing.pippaoflondon.co.uk',
    prod: 'TBD',
    healthPath: '/health',
  },
  host: {
    allowedPublicPorts: [22, 80, 443],
    requiredJails: ['sshd'],
    diskWarnPercent: 80,
    diskFailPercent: 90,
  },
  env: {
    files: ['.env', '.env.production', 'workflow-api/.env', 'workflow-worker/.env', 'teams-bot/.env'],
  },
  azure: {
    armEndpoint: 'https://management.azure.com',
    // authorityHost: the Entra login host; unset = AZURE_AUTHORITY_HOST, else https://login.microsoftonline.com
    credential: 'auto',
    dnsResolver: 'system',
    dev: {
      resourceGroup: 'TBD',
      keyVault: 'pippai-keyvault-dev',
      storageAccount: 'pippaistoragedev',
      cosmosAccount: 'TBD',
      vm: 'TBD',
      botName: 'TBD',
    },
    prod: {
      resourceGroup: 'TBD',
      keyVault: 'TBD',
      storageAccount: 'TBD',
      cosmosAccount: 'TBD',
      vm: 'TBD',
      botName: 'TBD',
      // kinds prod deliberately uses the dev resource of: keyVault, storageAccount, cosmosAccount, resourceGroup
      shareWithDev: [],
    },
  },
  zoho: {
    dataCenter: 'com',
    product: 'books',
    plan: 'TBD',
    dev: {
      orgId: 'TBD',
      sandbox: true,
      clientId: { env: 'ZOHO_CLIENT_ID' },
      clientSecret: { env: 'ZOHO_CLIENT_SECRET' },
      refreshToken: { env: 'ZOHO_REFRESH_TOKEN' },
    },
    prod: {
      orgId: 'TBD',
      sandbox: false,
      clientId: { keyVaultSecret: 'zoho-client-id' },
      clientSecret: { keyVaultSecret: 'zoho-client-secret' },
      refreshToken: { keyVaultSecret: 'zoho-refresh-token' },
    },
  },
  bot: {
    registration: 'TBD',
    messagingPath: '/api/messages',
    dev: { appId: 'TBD', tenantId: 'TBD', secret: { env: 'MICROSOFT_APP_PASSWORD' } },
    prod: { appId: 'TBD', tenantId: 'TBD', secret: { keyVaultSecret: 'bot-app-password' } },
  },
  notApplicable: {},
};
