/**
 * What every Azure probe needs before its first ARM call: the `azure.session` fact (a working
 * credential and the subscription), our transport, a cached credential, and client options.
 *
 * Client options are built fresh for every client: `new MonitorClient(...)` writes
 * `credentialScopes` into the object it is given, so sharing one between clients leaks settings.
 * With a custom `endpoint`, the classic clients (core-client) would ask for a token whose
 * audience is that endpoint; `credentialScopes` (classic) and `credentials.scopes` (the newer
 * modular clients: arm-keyvault 5, arm-storage 20, arm-compute 24) keep the ARM audience.
 */
import type { HttpClient } from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/identity';
import { causeOf } from '../../engine/causes.js';
import type { ProbeContext } from '../../engine/types.js';
import type { AzureSession } from '../../facts/azure.js';
import type { ProbeFailure } from '../host/exec-failure.js';
import { cachedCredential, runCache, sourceCredential } from './credentials.js';
import { createAzureHttpClient } from './http-adapter.js';

/** Retries that fit a run: two more tries, short back-off (the SDK default waits up to 64 s). */
export const RETRY_OPTIONS = { maxRetries: 2, retryDelayInMs: 250, maxRetryDelayInMs: 2000 } as const;

export interface ClassicClientOptions {
  endpoint: string;
  credentialScopes: string[];
  httpClient: HttpClient;
  retryOptions: { maxRetries: number; retryDelayInMs: number; maxRetryDelayInMs: number };
  userAgentOptions: { userAgentPrefix: string };
}

export interface ModularClientOptions {
  endpoint: string;
  credentials: { scopes: string[] };
  httpClient: HttpClient;
  retryOptions: { maxRetries: number; retryDelayInMs: number; maxRetryDelayInMs: number };
  userAgentOptions: { userAgentPrefix: string };
}

export interface AzureSetup {
  session: AzureSession;
  httpClient: HttpClient;
  credential: TokenCredential;
  /** the ARM endpoint without a trailing slash */
  endpoint: string;
  /** fresh options for a classic `@azure/arm-*` client */
  classic(): ClassicClientOptions;
  /** fresh options for a modular `@azure/arm-*` client */
  modular(): ModularClientOptions;
}

const USER_AGENT = 'predeploy';

/** The extra CA of `azure.caFile`, read once per run (a `read` entry in the commands log). */
export async function azureCa(ctx: Pick<ProbeContext, 'config' | 'readFile' | 'signal'>): Promise<string | undefined> {
  const file = ctx.config.azure.caFile;
  if (file === undefined) return undefined;
  const cache = runCache(ctx);
  cache.ca ??= ctx.readFile(file, 1024 * 1024).then((b) => {
    if (b === null) throw new Error(`azure.caFile ${file} does not exist`);
    return b.toString('utf8');
  });
  return cache.ca;
}

/** The transport for this probe (its own deadline; its calls logged under it). */
export async function azureHttpClient(ctx: ProbeContext): Promise<HttpClient> {
  const ca = await azureCa(ctx);
  return createAzureHttpClient(ctx, ca !== undefined ? { ca } : {});
}

/**
 * Everything an Azure probe needs, or the failure to return: when `azure.session` failed,
 * every Azure probe fails with its reason and detail, so every Azure check says the same thing.
 */
export async function azureSetup(ctx: ProbeContext): Promise<{ ok: true; value: AzureSetup } | ProbeFailure> {
  const s = await ctx.probe('azure.session');
  // the session's root cause travels with it: "no Azure credentials" behind every Azure check is one cause, one action
  if (!s.ok) return { ok: false, reason: s.reason, detail: s.detail, cause: causeOf('azure.session', s) };
  const session = s.value;
  let httpClient: HttpClient;
  try {
    httpClient = await azureHttpClient(ctx);
  } catch (err) {
    return { ok: false, reason: 'failed', detail: err instanceof Error ? err.message : String(err) };
  }
  const credential = cachedCredential(ctx, session.credential, () => sourceCredential(ctx, session.credential, httpClient, session.subscriptionId));
  const endpoint = session.armEndpoint.replace(/\/+$/, '');
  const retry = () => ({ ...RETRY_OPTIONS });
  return {
    ok: true,
    value: {
      session,
      httpClient,
      credential,
      endpoint,
      classic: () => ({
        endpoint,
        credentialScopes: [session.armScope],
        httpClient,
        retryOptions: retry(),
        userAgentOptions: { userAgentPrefix: USER_AGENT },
      }),
      modular: () => ({
        endpoint,
        credentials: { scopes: [session.armScope] },
        httpClient,
        retryOptions: retry(),
        userAgentOptions: { userAgentPrefix: USER_AGENT },
      }),
    },
  };
}

/** The resource group part of an ARM id (`/subscriptions/s/resourceGroups/<rg>/...`). */
export function resourceGroupOf(id: string): string {
  return /\/resourcegroups\/([^/]+)/i.exec(id)?.[1] ?? '';
}
