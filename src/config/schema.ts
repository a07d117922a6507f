/**
 * The configuration schema. The built-in profile (./profile.ts) fills every field; a
 * `predeploy.yaml` overrides any of them. Unknown keys are rejected (every object is strict).
 *
 * `TBD` is a legal value anywhere a name or decision is expected: it means "not decided" and
 * is reported as a gap, never as a pass (DESIGN.md "Configuration").
 */
import { z } from 'zod';

import { TBD } from './tbd.js';

export { TBD, isTbd } from './tbd.js';

const name = z.string().min(1);
const url = z.string().url();
const port = z.number().int().min(1).max(65535);

/** A reference to where a credential lives: an env var name and/or a Key Vault secret name. */
const credentialRef = z
  .object({
    env: name.optional(),
    keyVaultSecret: name.optional(),
  })
  .strict();

const azureEnv = z
  .object({
    resourceGroup: name,
    keyVault: name,
    storageAccount: name,
    cosmosAccount: name,
    vm: name,
    botName: name,
  })
  .strict();

const botEnv = z
  .object({
    /** the Entra app (client) id, or TBD */
    appId: name,
    /** where the app secret lives (never the value) */
    secret: credentialRef,
    tenantId: name,
    /**
     * How the bot authenticates (the Azure Bot's msaAppType): a UserAssignedMSI bot has no app
     * secret, and its identity cannot be exercised from outside Azure.
     */
    appType: z.enum(['SingleTenant', 'MultiTenant', 'UserAssignedMSI', TBD]).optional(),
  })
  .strict();

const zohoEnv = z
  .object({
    /** the organization id (Books/Inventory), or TBD */
    orgId: name,
    /** the org is a sandbox (dev) */
    sandbox: z.boolean(),
    clientId: credentialRef,
    clientSecret: credentialRef,
    refreshToken: credentialRef,
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
    check: z.string().regex(/^[a-z]+\.[a-z0-9]+(?:-[a-z0-9]+)*$/, { message: 'expected a check id such as "security.fail2ban"' }),
    reason: z.string().trim().min(1),
    approver: z.string().trim().min(1),
    /** last day the waiver applies (inclusive, UTC) */
    expires: isoDay,
  })
  .strict();

export const ZOHO_DATA_CENTRES = ['com', 'eu', 'in', 'com.au', 'jp', 'ca', 'sa', 'uk'] as const;

export const configSchema = z
  .object({
    profile: name,
    /** systemd units of the service */
    services: z.array(name).min(1),
    domain: z
      .object({
        dev: name,
        /** the production host name, or TBD */
        prod: name,
        /** connect here instead of resolving the domain (like curl --resolve), e.g. 127.0.0.1:8443 */
        connectTo: z.string().min(1).optional(),
        /** the same for plain HTTP (the HTTP→HTTPS redirect check); default: connectTo's host on port 80 */
        connectToHttp: z.string().min(1).optional(),
        /** PEM file of CA certificates trusted besides the system store when judging the served chain (a private CA; tests) */
        caFile: z.string().min(1).optional(),
        healthPath: z.string().startsWith('/'),
      })
      .strict(),
    host: z
      .object({
        /** ports that may listen on public addresses */
        allowedPublicPorts: z.array(port),
        /** fail2ban jails expected to be enabled */
        requiredJails: z.array(name),
        /** disk usage thresholds in percent */
        diskWarnPercent: z.number().min(1).max(100),
        diskFailPercent: z.number().min(1).max(100),
      })
      .strict(),
    env: z
      .object({
        /** `.env` files to scan, relative to the root (globs not supported) */
        files: z.array(name),
      })
      .strict(),
    azure: z
      .object({
        subscriptionId: z.string().min(1).optional(),
        /** the Entra tenant to ask for tokens (`az account get-access-token --tenant`); default: the login's own */
        tenantId: z.string().min(1).optional(),
        armEndpoint: url,
        /**
         * The Entra login host of the cloud (`https://login.microsoftonline.us`, `https://login.chinacloudapi.cn`);
         * default `AZURE_AUTHORITY_HOST`, else the public cloud. Any other host than
         * login.microsoftonline.com turns off MSAL's instance discovery, so the login stays in that cloud.
         */
        authorityHost: url.optional(),
        /**
         * Where Azure credentials come from. `auto` tries, in order, the environment
         * (AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET), the VM's managed identity and the
         * Azure CLI login (like DefaultAzureCredential, without its other sources).
         */
        credential: z.enum(AZURE_CREDENTIALS),
        /** an extra CA certificate (PEM file) to trust for Azure endpoints: a TLS-inspecting proxy, or a test server */
        caFile: z.string().min(1).optional(),
        /**
         * How infra.dns resolves the production domain: `system` (the VM's resolver, `getent ahosts`)
         * or the URL of a DNS-over-HTTPS JSON endpoint, e.g. https://cloudflare-dns.com/dns-query
         */
        dnsResolver: z.union([z.literal('system'), url]),
        dev: azureEnv,
        prod: azureEnv,
      })
      .strict(),
    zoho: z
      .object({
        dataCenter: z.enum(ZOHO_DATA_CENTRES),
        product: z.enum(['books', 'inventory']),
        plan: z.enum(['free', 'standard', 'professional', 'premium', 'elite', 'ultimate', TBD]),
        /** override the accounts server (tests, proxies) */
        accountsUrl: url.optional(),
        /** override the API domain (tests, proxies) */
        apiUrl: url.optional(),
        /**
         * The app's own Zoho throttling, when it is declared here rather than in a `.env` file
         * (ZOHO_*_PER_MINUTE, ...): compared with the plan's documented limits.
         */
        throttle: z
          .object({
            perMinute: z.number().int().positive().optional(),
            perDay: z.number().int().positive().optional(),
            concurrency: z.number().int().positive().optional(),
          })
          .strict()
          .optional(),
        dev: zohoEnv,
        prod: zohoEnv,
      })
      .strict(),
    bot: z
      .object({
        /** one Azure Bot registration for dev and prod, or separate ones */
        registration: z.enum(['same', 'separate', TBD]),
        messagingPath: z.string().startsWith('/'),
        /** the Entra authority origin (default https://login.microsoftonline.com; sovereign clouds, tests) */
        loginUrl: url.optional(),
        /** the Microsoft Graph origin (default https://graph.microsoft.com) */
        graphUrl: url.optional(),
        /** false: do not request a token with the bot's app secret (the validity proof and the Graph fallback) */
        verifyToken: z.boolean().optional(),
        dev: botEnv,
        prod: botEnv,
      })
      .strict(),
    /** a check id → the reason it does not apply (reported as n/a) */
    notApplicable: z.record(z.string().regex(/^[a-z]+\.[a-z0-9-]+$/), z.string().min(1)),
    /**
     * Accepted risks: a failing (or unverified) check reported as `waived` instead, until the
     * waiver expires. Applied after evaluation by src/engine/waivers.ts; an expired waiver no
     * longer applies and is listed in the report.
     */
    waivers: z.array(waiverSchema).optional(),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;

/** One entry of `waivers:` in predeploy.yaml. */
export type WaiverConfig = z.infer<typeof waiverSchema>;
