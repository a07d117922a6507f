/**
 * Azure credentials for a read-only run.
 *
 * Three sources, in DefaultAzureCredential's order without its other members
 * (https://learn.microsoft.com/azure/developer/javascript/sdk/authentication/credential-chains):
 * - `environment`: `EnvironmentCredential` (AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET
 *   or a certificate), its token POST through our HTTP gate (a client-credentials grant);
 * - `managed-identity`: `ManagedIdentityCredential` on the VM, after our own 1 s probe of the
 *   instance metadata service so that a machine off Azure moves on at once
 *   (https://learn.microsoft.com/entra/identity/managed-identities-azure-resources/how-to-use-vm-token);
 * - `cli`: our own equivalent of `AzureCliCredential`: `az account get-access-token --output json
 *   --resource R [--tenant T] [--subscription S]` through `ctx.exec`, so the command is
 *   policy-checked and logged (the SDK's own credential spawns `az` behind the gate's back).
 *
 * Every token obtained is given to `ctx.addSecret` so that no output can carry it. Tokens are
 * cached for the run (keyed by its abort signal, which every probe context of a run shares), so
 * `az` runs once per audience, not once per probe.
 */
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';
import type { HttpClient } from '@azure/core-rest-pipeline';
import type { ProbeContext } from '../../engine/types.js';
import { firstLine } from '../host/exec-failure.js';

export type CredentialKind = 'environment' | 'managed-identity' | 'cli';

/** No token could be had from this source; the chain moves on (the SDK's CredentialUnavailableError). */
export class CredentialUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialUnavailableError';
  }
}

/** The instance metadata service, where managed identities get their tokens (link-local, plain HTTP). */
export const IMDS_TOKEN_URL = 'http://169.254.169.254/metadata/identity/oauth2/token';
/** How long the IMDS probe may take: off Azure the address does not answer at all. */
export const IMDS_PROBE_TIMEOUT_MS = 1000;

/** Tokens are renewed this long before they expire. */
const EXPIRY_MARGIN_MS = 2 * 60_000;

/** A TokenCredential that always returns a token or throws (the SDK's interface allows null). */
export interface Credential extends TokenCredential {
  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken>;
}

interface RunCache {
  tokens: Map<string, Promise<AccessToken>>;
  ca?: Promise<string | undefined>;
}

const runs = new WeakMap<object, RunCache>();

/** The run-wide cache: every probe context of one run shares its abort signal. */
export function runCache(ctx: Pick<ProbeContext, 'signal'>): RunCache {
  let c = runs.get(ctx.signal);
  if (!c) {
    c = { tokens: new Map() };
    runs.set(ctx.signal, c);
  }
  return c;
}

/** `https://management.azure.com/.default` → `https://management.azure.com` (what `az --resource` takes). */
export function scopeToResource(scope: string): string {
  return scope.replace(/\/\.default$/, '');
}

/** The text of an `az` failure, for a one-line reason. */
function azSaid(stderr: string, stdout: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !/^WARNING:/i.test(l));
  return lines[0] ?? firstLine(stdout) ?? '';
}

/** Reads `az account get-access-token --output json`: `accessToken` and `expires_on` (epoch seconds, az ≥ 2.54) or `expiresOn`. */
export function parseAzToken(stdout: string, nowMs: number): AccessToken {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    throw new CredentialUnavailable('Azure CLI: az account get-access-token did not print JSON');
  }
  const o = parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  const token = typeof o['accessToken'] === 'string' ? o['accessToken'] : '';
  if (token === '') throw new CredentialUnavailable('Azure CLI: az account get-access-token printed no accessToken');
  const epoch = typeof o['expires_on'] === 'number' ? o['expires_on'] : typeof o['expires_on'] === 'string' ? Number(o['expires_on']) : NaN;
  const local = typeof o['expiresOn'] === 'string' ? Date.parse(o['expiresOn']) : NaN;
  const expiresOnTimestamp = Number.isFinite(epoch) && epoch > 0 ? epoch * 1000 : Number.isFinite(local) ? local : nowMs + 5 * 60_000;
  return { token, expiresOnTimestamp, tokenType: 'Bearer' };
}

/** Tokens from the Azure CLI login, through `ctx.exec` (policy-checked, logged). */
export function cliCredential(ctx: Pick<ProbeContext, 'exec' | 'config' | 'now'>, subscriptionId?: string): Credential {
  return {
    async getToken(scopes: string | string[]): Promise<AccessToken> {
      const scope = Array.isArray(scopes) ? scopes[0] : scopes;
      if (scope === undefined) throw new CredentialUnavailable('Azure CLI: no scope asked for');
      const argv = ['az', 'account', 'get-access-token', '--output', 'json', '--resource', scopeToResource(scope)];
      const tenant = ctx.config.azure.tenantId;
      if (tenant !== undefined) argv.push('--tenant', tenant);
      else if (subscriptionId !== undefined) argv.push('--subscription', subscriptionId);
      const r = await ctx.exec(argv);
      if (r.refused !== undefined) throw new CredentialUnavailable(`Azure CLI: refused by the command policy: ${r.refused}`);
      if (r.spawnError === 'ENOENT' || r.exitCode === 127) throw new CredentialUnavailable('Azure CLI: az is not installed');
      if (r.spawnError !== undefined) throw new CredentialUnavailable(`Azure CLI: az could not be started (${r.spawnError})`);
      if (r.timedOut) throw new CredentialUnavailable(`Azure CLI: az did not answer within ${r.durationMs} ms`);
      if (r.exitCode !== 0) {
        const said = azSaid(r.stderr, r.stdout);
        // az prints "Please run 'az login' to setup account." when there is no login
        if (/az login/i.test(`${r.stderr}\n${r.stdout}`)) throw new CredentialUnavailable('Azure CLI: not logged in');
        throw new CredentialUnavailable(`Azure CLI: az account get-access-token failed (exit ${r.exitCode ?? 'signal'}): ${said}`);
      }
      return parseAzToken(r.stdout, ctx.now().getTime());
    },
  };
}

/** Loaded on first use only: `predeploy --version` and offline runs never pay for @azure/identity. */
async function identity() {
  return import('@azure/identity');
}

/** The public cloud's Entra host: the only one whose instance discovery answers for itself. */
export const PUBLIC_AUTHORITY_HOST = 'login.microsoftonline.com';

/**
 * The Entra authority for this run: `azure.authorityHost`, else `AZURE_AUTHORITY_HOST` of the
 * run's environment, else the public cloud (undefined: the SDK's default).
 */
export function authorityHostOf(config: { azure: { authorityHost?: string } }, env: Readonly<Record<string, string | undefined>>): string | undefined {
  const v = config.azure.authorityHost ?? env['AZURE_AUTHORITY_HOST']?.trim();
  return v !== undefined && v !== '' ? v : undefined;
}

/**
 * Options that keep the login in its cloud. With any authority but the public one (a sovereign
 * cloud, Azure Stack, a loopback test server), MSAL would first ask login.microsoftonline.com
 * for instance discovery — leaving the configured cloud, and failing where that host is not
 * reachable; `disableInstanceDiscovery` skips it
 * (https://learn.microsoft.com/javascript/api/@azure/identity/authorityvalidationoptions).
 */
export function authorityOptions(authorityHost: string | undefined): { authorityHost?: string; disableInstanceDiscovery?: boolean } {
  if (authorityHost === undefined) return {};
  let host = '';
  try {
    host = new URL(authorityHost).hostname.toLowerCase();
  } catch {
    host = authorityHost.toLowerCase();
  }
  return host === PUBLIC_AUTHORITY_HOST ? { authorityHost } : { authorityHost, disableInstanceDiscovery: true };
}

/**
 * The environment source (EnvironmentCredential's variables, read from the run's environment
 * rather than the SDK reading `process.env` behind our back): a client secret or certificate for
 * AZURE_TENANT_ID / AZURE_CLIENT_ID, through our transport, in the configured cloud.
 */
export async function environmentCredential(
  httpClient: HttpClient,
  env: Readonly<Record<string, string | undefined>> = {},
  authorityHost?: string,
): Promise<TokenCredential> {
  const get = (k: string) => {
    const v = env[k]?.trim();
    return v !== undefined && v !== '' ? v : undefined;
  };
  const tenant = get('AZURE_TENANT_ID');
  const client = get('AZURE_CLIENT_ID');
  const secret = get('AZURE_CLIENT_SECRET');
  const certificatePath = get('AZURE_CLIENT_CERTIFICATE_PATH');
  if (tenant === undefined || client === undefined || (secret === undefined && certificatePath === undefined)) {
    throw new CredentialUnavailable('environment: AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or AZURE_CLIENT_CERTIFICATE_PATH) are not set');
  }
  const { ClientSecretCredential, ClientCertificateCredential } = await identity();
  const options = { httpClient, retryOptions: { maxRetries: 1 }, ...authorityOptions(authorityHost) };
  const password = get('AZURE_CLIENT_CERTIFICATE_PASSWORD');
  const inner =
    secret !== undefined
      ? new ClientSecretCredential(tenant, client, secret, options)
      : new ClientCertificateCredential(tenant, client, { certificatePath: certificatePath ?? '', ...(password !== undefined ? { certificatePassword: password } : {}) }, options);
  return {
    async getToken(scopes: string | string[], o?: GetTokenOptions): Promise<AccessToken> {
      const t = await inner.getToken(scopes, o);
      if (!t) throw new CredentialUnavailable('environment: no token returned');
      return t;
    },
  };
}

/** `ManagedIdentityCredential`, after a short probe of the instance metadata service. */
export async function managedIdentityCredential(ctx: Pick<ProbeContext, 'http'>, httpClient: HttpClient): Promise<TokenCredential> {
  let available: boolean | undefined;
  const probeImds = async (): Promise<boolean> => {
    try {
      // No Metadata header and no query: IMDS answers 400 at once, which proves it is there;
      // off Azure nothing answers and the short timeout ends the wait.
      await ctx.http({ method: 'GET', url: IMDS_TOKEN_URL, timeoutMs: IMDS_PROBE_TIMEOUT_MS });
      return true;
    } catch {
      return false;
    }
  };
  return {
    async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
      available ??= await probeImds();
      if (!available) {
        throw new CredentialUnavailable('managed identity: no instance metadata service at 169.254.169.254 (not an Azure VM)');
      }
      const { ManagedIdentityCredential } = await identity();
      const inner = new ManagedIdentityCredential({ httpClient, retryOptions: { maxRetries: 1 } });
      try {
        const t = await inner.getToken(scopes, options);
        if (!t) throw new CredentialUnavailable('managed identity: no token returned');
        return t;
      } catch (err) {
        const message = err instanceof Error ? err.message.split('\n')[0] ?? '' : String(err);
        throw new CredentialUnavailable(`managed identity: ${message.replace(/^ManagedIdentityCredential:\s*/, '')} (is an identity assigned to the VM?)`);
      }
    },
  };
}

/** The credential of one source, bound to this probe's context (its calls are logged under it). */
export async function sourceCredential(
  ctx: Pick<ProbeContext, 'exec' | 'http' | 'config' | 'now' | 'env'>,
  kind: CredentialKind,
  httpClient: HttpClient,
  subscriptionId?: string,
): Promise<TokenCredential> {
  switch (kind) {
    case 'cli':
      return cliCredential(ctx, subscriptionId);
    case 'environment':
      return environmentCredential(httpClient, ctx.env, authorityHostOf(ctx.config, ctx.env));
    case 'managed-identity':
      return managedIdentityCredential(ctx, httpClient);
  }
}

/**
 * A credential for SDK clients: tokens come from the run cache, or from `kind` through this
 * probe's context; each new token is registered as a secret before anything can print it.
 */
export function cachedCredential(
  ctx: Pick<ProbeContext, 'signal' | 'addSecret' | 'now'>,
  kind: CredentialKind,
  source: () => Promise<TokenCredential>,
): Credential {
  const cache = runCache(ctx).tokens;
  return {
    async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
      const list = Array.isArray(scopes) ? scopes : [scopes];
      const key = `${kind}|${list.join(' ')}`;
      const hit = cache.get(key);
      if (hit) {
        const t = await hit.catch(() => undefined);
        if (t && t.expiresOnTimestamp - EXPIRY_MARGIN_MS > ctx.now().getTime()) return t;
      }
      const p = (async () => {
        const t = await (await source()).getToken(list, options);
        if (!t) throw new CredentialUnavailable(`${kind}: no token returned`);
        ctx.addSecret(t.token);
        return t;
      })();
      cache.set(key, p);
      p.catch(() => cache.delete(key));
      return p;
    },
  };
}

/** The ARM token audience for an endpoint: the sovereign cloud's own, else the public cloud's (tests, proxies). */
export function armScope(endpoint: string): string {
  const host = new URL(endpoint).host.toLowerCase();
  const clouds = ['management.azure.com', 'management.chinacloudapi.cn', 'management.usgovcloudapi.net', 'management.microsoftazure.de'];
  return clouds.includes(host) ? `https://${host}/.default` : 'https://management.azure.com/.default';
}
