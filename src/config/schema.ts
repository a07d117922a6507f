/**
 * The configuration schema. The built-in profile (./profile.ts) fills every field; a
 * `predeploy.yaml` overrides any of them. Unknown keys are rejected (every object is strict).
 *
 * `TBD` is a legal value anywhere a name or decision is expected: it means "not decided" and
 * is reported as a gap, never as a pass (docs/ARCHITECTURE.md "Configuration").
 */
import { z } from 'zod';

import { TBD } from './tbd.js';

export { TBD, isTbd } from './tbd.js';

const name = z.string().min(1);
const url = z.string().url();
const port = z.number().int().min(1).max(65535);

/** The kinds of Azure resource prod may declare it shares with dev (`azure.prod.shareWithDev`). */
export const SHARED_KINDS = ['keyVault', 'storageAccount', 'cosmosAccount', 'resourceGroup'] as const;
export type SharedKind = (typeof SHARED_KINDS)[number];

/** A reference to where a credential lives: an env var name and/or a Key Vault secret name. */
const credentialRef = z
  .object({
    env: name.optional().describe('the name of the environment variable (or `.env` key) holding the value for this run; never the value'),
    keyVaultSecret: name.optional().describe('the name of the Key Vault secret holding it (the name and attributes are read, never the value)'),
  })
  .strict();

const azureEnv = z
  .object({
    resourceGroup: name.describe('resource group of the environment, or TBD'),
    keyVault: name.describe('Key Vault name, or TBD'),
    storageAccount: name.describe('Storage account name, or TBD'),
    cosmosAccount: name.describe('Cosmos DB account name, or TBD'),
    vm: name.describe('the virtual machine that runs the service, or TBD'),
    botName: name.describe('the Azure Bot resource name, or TBD'),
  })
  .strict();

const botEnv = z
  .object({
    appId: name.describe('the Entra app (client) id of the bot, or TBD'),
    secret: credentialRef.describe('where the app secret lives (names only, never the value)'),
    tenantId: name.describe('the Entra tenant of the app registration, or TBD'),
    appType: z
      .enum(['SingleTenant', 'MultiTenant', 'UserAssignedMSI', TBD])
      .optional()
      .describe("how the bot authenticates (the Azure Bot's msaAppType); a UserAssignedMSI bot has no app secret, and its identity cannot be exercised from outside Azure"),
  })
  .strict();

const zohoEnv = z
  .object({
    orgId: name.describe('the Zoho organization id (Books/Inventory), or TBD'),
    sandbox: z.boolean().describe('the organization is a sandbox (true for dev, false for production)'),
    clientId: credentialRef.describe('where the OAuth client id lives'),
    clientSecret: credentialRef.describe('where the OAuth client secret lives (names only)'),
    refreshToken: credentialRef.describe('where the OAuth refresh token lives (names only)'),
  })
  .strict();

/** `azure.credential` values; see the schema. */
export const AZURE_CREDENTIALS = ['auto', 'cli', 'managed-identity', 'environment'] as const;

/** A real calendar date written `YYYY-MM-DD`. */
const isoDay = z.string().refine(
  (s) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  },
  { message: 'expected a date written YYYY-MM-DD (e.g. 2027-01-31)' },
);

/**
 * A waiver: a known risk accepted for one check, by a named approver, until a date. Every field
 * is required: a waiver without an expiry is a permanent exception nobody revisits.
 */
const waiverSchema = z
  .object({
    check: z
      .string()
      .regex(/^[a-z]+\.[a-z0-9]+(?:-[a-z0-9]+)*$/, { message: 'expected a check id such as "security.fail2ban"' })
      .describe('the check id the risk is accepted for (`predeploy checks` lists them)'),
    reason: z.string().trim().min(1).describe('why the risk is accepted, and what limits it'),
    approver: z.string().trim().min(1).describe('who accepted it (a name or an address)'),
    expires: isoDay.describe('last day the waiver applies (inclusive, UTC), written YYYY-MM-DD'),
  })
  .strict();

export const ZOHO_DATA_CENTRES = ['com', 'eu', 'in', 'com.au', 'jp', 'ca', 'sa', 'uk'] as const;

/**
 * Every key carries a `.describe()` text: docs/configuration.md and schema/predeploy.schema.json
 * are generated from them (src/config/reference.ts), and a test fails when one is missing.
 */
export const configSchema = z
  .object({
    profile: name.describe('the built-in profile the file is merged over (`order-processing`)'),
    services: z.array(name).min(1).describe('systemd units of the service'),
    domain: z
      .object({
        dev: name.describe('the host name of the dev deployment'),
        prod: name.describe('the production host name, or TBD (then the host checks judge the dev domain and say so)'),
        connectTo: z
          .string()
          .min(1)
          .optional()
          .describe('`host:port` to connect to for HTTPS instead of resolving the domain (like curl --resolve), e.g. 203.0.113.10:443 before DNS cut-over'),
        connectToHttp: z
          .string()
          .min(1)
          .optional()
          .describe("the same for plain HTTP (the HTTP→HTTPS redirect check); default: connectTo's host on port 80"),
        caFile: z
          .string()
          .min(1)
          .optional()
          .describe('PEM file of CA certificates trusted besides the system store when judging the served chain (a private CA)'),
        healthPath: z.string().startsWith('/').describe('the path of the health endpoint, e.g. /health'),
      })
      .strict()
      .describe('the service\'s domain names and how to reach them'),
    host: z
      .object({
        allowedPublicPorts: z.array(port).describe('TCP ports that may listen on public addresses'),
        requiredJails: z.array(name).describe('fail2ban jails expected to be enabled'),
        diskWarnPercent: z.number().min(1).max(100).describe('disk usage (percent) from which a file system is a warning'),
        diskFailPercent: z.number().min(1).max(100).describe('disk usage (percent) from which a file system fails'),
      })
      .strict()
      .describe('what the VM is judged against'),
    env: z
      .object({
        files: z.array(name).describe('`.env` files to scan, relative to the root (globs not supported); values are never reported'),
      })
      .strict()
      .describe('the project\'s `.env` files'),
    azure: z
      .object({
        subscriptionId: z.string().min(1).optional().describe('the subscription to read; default: AZURE_SUBSCRIPTION_ID, else the Azure CLI default'),
        tenantId: z
          .string()
          .min(1)
          .optional()
          .describe("the Entra tenant to ask for tokens (`az account get-access-token --tenant`); default: the login's own"),
        armEndpoint: url.describe('the Azure Resource Manager endpoint (sovereign clouds)'),
        authorityHost: url
          .optional()
          .describe(
            'the Entra login host of the cloud (`https://login.microsoftonline.us`, `https://login.chinacloudapi.cn`); default `AZURE_AUTHORITY_HOST`, else the public cloud. Any other host than login.microsoftonline.com turns off MSAL instance discovery, so the login stays in that cloud',
          ),
        credential: z
          .enum(AZURE_CREDENTIALS)
          .describe(
            'where Azure credentials come from: `auto` tries the environment (AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET), then the managed identity, then the Azure CLI login; or exactly one of `cli`, `managed-identity`, `environment`',
          ),
        caFile: z.string().min(1).optional().describe('an extra CA certificate (PEM file) to trust for Azure endpoints: a TLS-inspecting proxy'),
        dnsResolver: z
          .union([z.literal('system'), url])
          .describe('how infra.dns resolves the production domain: `system` (`getent ahosts`) or a DNS-over-HTTPS JSON URL such as https://cloudflare-dns.com/dns-query'),
        dev: azureEnv.describe('the dev environment\'s Azure resources'),
        prod: azureEnv
          .extend({
            shareWithDev: z
              .array(z.enum(SHARED_KINDS))
              .describe(
                'the kinds of resource prod deliberately shares with dev (`keyVault`, `storageAccount`, `cosmosAccount`, `resourceGroup`): prod then uses the dev resource of that kind (its azure.prod name is ignored), the Azure checks judge that resource, and infra.prod-resources reports the sharing as a declared risk (warn) instead of a TBD or same-as-dev failure',
              ),
          })
          .strict()
          .describe('the production Azure resources (TBD: not decided yet, reported as a gap)'),
      })
      .strict()
      .describe('Azure: how to connect, and the resources of each environment'),
    zoho: z
      .object({
        dataCenter: z.enum(ZOHO_DATA_CENTRES).describe('the Zoho data centre of the organizations (sets the accounts and API hosts)'),
        product: z.enum(['books', 'inventory']).describe('the Zoho product the service uses'),
        plan: z
          .enum(['free', 'standard', 'professional', 'premium', 'elite', 'ultimate', TBD])
          .describe('the production organization\'s plan (its documented daily API limits), or TBD'),
        accountsUrl: url.optional().describe('override the accounts server (proxies)'),
        apiUrl: url.optional().describe('override the API domain (proxies)'),
        throttle: z
          .object({
            perMinute: z.number().int().positive().optional().describe('requests per minute the app allows itself'),
            perDay: z.number().int().positive().optional().describe('requests per day the app allows itself'),
            concurrency: z.number().int().positive().optional().describe('concurrent requests the app allows itself'),
          })
          .strict()
          .optional()
          .describe("the app's own Zoho throttling, when it is declared here rather than in a `.env` file (ZOHO_*_PER_MINUTE, ...): compared with the plan's documented limits"),
        dev: zohoEnv.describe('the sandbox organization used in dev'),
        prod: zohoEnv.describe('the production organization'),
      })
      .strict()
      .describe('Zoho Books/Inventory over OAuth'),
    bot: z
      .object({
        registration: z.enum(['same', 'separate', TBD]).describe('one Azure Bot registration for dev and prod (`same`), `separate` ones, or TBD'),
        messagingPath: z.string().startsWith('/').describe("the bot's messaging endpoint path on the production domain"),
        loginUrl: url.optional().describe('the Entra authority origin (default https://login.microsoftonline.com; sovereign clouds)'),
        graphUrl: url.optional().describe('the Microsoft Graph origin (default https://graph.microsoft.com)'),
        verifyToken: z
          .boolean()
          .optional()
          .describe("false: do not request a token with the bot's app secret (the validity proof and the Graph fallback)"),
        dev: botEnv.describe('the dev bot registration'),
        prod: botEnv.describe('the production bot registration'),
      })
      .strict()
      .describe('the Azure Bot for Microsoft Teams'),
    notApplicable: z
      .record(z.string().regex(/^[a-z]+\.[a-z0-9-]+$/), z.string().min(1))
      .describe('a check id → the reason it does not apply to this deployment (reported as n/a, left out of the score)'),
    waivers: z
      .array(waiverSchema)
      .optional()
      .describe(
        'accepted risks: a failing (or unverified) check is reported as `waived` (scores 0.5, never ticked) until the waiver expires; an expired waiver no longer applies and is listed in the report',
      ),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;

/** One entry of `waivers:` in predeploy.yaml. */
export type WaiverConfig = z.infer<typeof waiverSchema>;
