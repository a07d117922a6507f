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
        dev: zohoEnv,
        prod: zohoEnv,
      })
      .strict(),
    bot: z
      .object({
        /** one Azure Bot registration for dev and prod, or separate ones */
        registration: z.enum(['same', 'separate', TBD]),
        messagingPath: z.string().startsWith('/'),
        dev: botEnv,
        prod: botEnv,
      })
      .strict(),
    /** a check id → the reason it does not apply (reported as n/a) */
    notApplicable: z.record(z.string().regex(/^[a-z]+\.[a-z0-9-]+$/), z.string().min(1)),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
