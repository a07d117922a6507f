/**
 * `bot.credentials`: the production bot's app secret, checked from outside the bot.
 *
 * 1. The secret's value, from the process environment or a `.env` file only (never Key Vault);
 *    registered with the redactor before anything is sent.
 * 2. Proof that it works: one client-credentials token request, exactly as the bot makes it
 *    (`POST {login}/{tenant | botframework.com}/oauth2/v2.0/token`, scope
 *    `https://api.botframework.com/.default`:
 *    https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-authentication).
 *    `bot.verifyToken: false` turns every request made with the secret off.
 * 3. Expiry: the app registration's passwordCredentials from Microsoft Graph
 *    (`GET /v1.0/applications?$filter=appId eq '…'`, least privilege Application.Read.All:
 *    https://learn.microsoft.com/graph/api/application-get). The Graph token is the operator's
 *    Azure identity (the `azure.session` credential: environment, managed identity or Azure
 *    CLI), which can read an expired secret's dates; when there is none, the app's own secret
 *    (client credentials, Graph scope) — which only works while the secret is valid.
 * A UserAssignedMSI bot has no secret, and its identity cannot be exercised from outside Azure.
 */
import { isTbd } from '../../../config/tbd.js';
import { defineProbe } from '../../../engine/define.js';
import type { ProbeContext, ProbeResult } from '../../../engine/types.js';
import type { BotCredentialsStatus, BotGraphResult, BotTokenResult, GraphTokenVia } from '../../../facts/bot.js';
import { azureSetup } from '../../azure/setup.js';
import { readEnvValues, resolveAll } from '../../project/credentials/resolve.js';
import { parseEntraToken, parseGraphApplications } from './parse.js';

/** Entra's public-cloud authority; `bot.loginUrl` overrides it (sovereign clouds, tests). */
export const DEFAULT_LOGIN_URL = 'https://login.microsoftonline.com';
/** Microsoft Graph's public-cloud origin; `bot.graphUrl` overrides it. */
export const DEFAULT_GRAPH_URL = 'https://graph.microsoft.com';
/** The audience of the bot's own tokens (Bot Connector). */
const BOT_SCOPE = 'https://api.botframework.com/.default';
/** Multi-tenant bots get their tokens from this tenant (research file, section E). */
const MULTI_TENANT_AUTHORITY = 'botframework.com';

/** National-cloud Graph hosts keep their own audience; any other host (a test server, a proxy) is the public one. */
function graphScope(graphUrl: string): string {
  const host = new URL(graphUrl).host.toLowerCase();
  const clouds = ['graph.microsoft.com', 'graph.microsoft.us', 'dod-graph.microsoft.us', 'microsoftgraph.chinacloudapi.cn'];
  return clouds.includes(host) ? `https://${host}/.default` : 'https://graph.microsoft.com/.default';
}

const errorText = (err: unknown): string => (err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err));
const trimSlash = (u: string): string => u.replace(/\/+$/, '');

/** A client-credentials token for `scope`, with the app's id and secret. */
async function clientCredentials(
  ctx: ProbeContext,
  login: string,
  authority: string,
  appId: string,
  secret: string,
  scope: string,
): Promise<{ result: BotTokenResult; token?: string }> {
  const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: appId, client_secret: secret, scope }).toString();
  try {
    const res = await ctx.http({
      method: 'POST',
      url: `${login}/${encodeURIComponent(authority)}/oauth2/v2.0/token`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body,
    });
    const parsed = parseEntraToken(res.status, res.body, res.seq);
    if (parsed.accessToken !== undefined) ctx.addSecret(parsed.accessToken);
    return { result: parsed.result, ...(parsed.accessToken !== undefined ? { token: parsed.accessToken } : {}) };
  } catch (err) {
    return { result: { status: 'unreachable', detail: errorText(err) } };
  }
}

/** A Graph token from the operator's Azure identity (the Azure probes' credential), or why there is none. */
async function operatorGraphToken(ctx: ProbeContext, scope: string): Promise<{ token: string } | { unavailable: string }> {
  try {
    const setup = await azureSetup(ctx);
    if (!setup.ok) return { unavailable: setup.detail };
    const t = await setup.value.credential.getToken(scope);
    if (!t) return { unavailable: 'the Azure credential returned no token' };
    ctx.addSecret(t.token);
    return { token: t.token };
  } catch (err) {
    return { unavailable: errorText(err) };
  }
}

/** `bot.credentials`: the bot's app secret — proof by token request, expiry from Graph (network; off with --offline). */
export const botCredentialsProbe = defineProbe({
  id: 'bot.credentials',
  describe: "the bot's app secret: a client-credentials token request (Entra) and the app registration's passwordCredentials (Graph)",
  network: true,
  async collect(ctx): Promise<ProbeResult<BotCredentialsStatus>> {
    const bot = ctx.config.bot;
    // With one registration for both, production runs on the dev app id (as bot.decision reads it).
    const ids = bot.registration === 'same' ? bot.dev : bot.prod;
    const appId = ids.appId;
    const tenantId = ids.tenantId;
    const appType = bot.prod.appType ?? ids.appType;
    const secretRef = bot.prod.secret;
    const login = trimSlash(bot.loginUrl ?? DEFAULT_LOGIN_URL);
    const graph = trimSlash(bot.graphUrl ?? DEFAULT_GRAPH_URL);
    const base = {
      registration: bot.registration,
      appId,
      tenantId,
      ...(appType !== undefined ? { appType } : {}),
      secretRef: { ...(secretRef.env !== undefined ? { env: secretRef.env } : {}), ...(secretRef.keyVaultSecret !== undefined ? { keyVaultSecret: secretRef.keyVaultSecret } : {}) },
    };

    if (appType === 'UserAssignedMSI') {
      const detail = 'UserAssignedMSI: the bot authenticates with a managed identity, which has no secret and can only get tokens from inside Azure';
      return {
        ok: true,
        value: {
          ...base,
          secretSource: { kind: 'none', reason: 'a managed-identity bot has no app secret' },
          token: { status: 'skipped', reason: 'managed-identity', detail },
          graph: { status: 'skipped', reason: 'managed-identity', detail },
        },
      };
    }

    const [secret] = resolveAll(ctx, [{ ref: 'bot.prod.secret', config: secretRef }], await readEnvValues(ctx));
    const secretValue = secret?.value;
    const secretSource = secret?.source ?? { kind: 'none' as const, reason: 'no reference' };
    const optOut = bot.verifyToken === false;
    const tenantKnown = !isTbd(tenantId);
    const authority = tenantKnown ? tenantId : appType === 'SingleTenant' ? undefined : MULTI_TENANT_AUTHORITY;

    let token: BotTokenResult;
    if (optOut) token = { status: 'skipped', reason: 'opt-out', detail: 'bot.verifyToken is false: no token request was made with the app secret' };
    else if (isTbd(appId)) token = { status: 'skipped', reason: 'no-app-id', detail: 'the bot app id is TBD' };
    else if (authority === undefined) token = { status: 'skipped', reason: 'no-tenant', detail: 'the tenant id is TBD (a SingleTenant app gets tokens from its own tenant)' };
    else if (secretValue === undefined) token = { status: 'skipped', reason: 'no-secret', detail: secretSource.kind === 'none' ? secretSource.reason : 'no value' };
    else token = (await clientCredentials(ctx, login, authority, appId, secretValue, BOT_SCOPE)).result;

    let graphResult: BotGraphResult;
    if (isTbd(appId)) {
      graphResult = { status: 'skipped', reason: 'no-app-id', detail: 'the bot app id is TBD' };
    } else {
      const scope = graphScope(graph);
      let graphToken: string | undefined;
      let via: GraphTokenVia = 'azure-identity';
      const operator = await operatorGraphToken(ctx, scope);
      let why = '';
      if ('token' in operator) {
        graphToken = operator.token;
      } else {
        why = `no Azure identity for Graph (${operator.unavailable})`;
        // Fallback: the app's own secret can read its registration only with Application.Read.All,
        // and only while the secret is valid.
        if (!optOut && tenantKnown && secretValue !== undefined && token.status === 'ok') {
          const t = await clientCredentials(ctx, login, tenantId, appId, secretValue, scope);
          via = 'app-credentials';
          if (t.token !== undefined) graphToken = t.token;
          else why += `; the app's own Graph token request ${t.result.status}`;
        }
      }
      if (graphToken === undefined) {
        graphResult = { status: 'skipped', reason: 'no-token', detail: why };
      } else {
        const filter = encodeURIComponent(`appId eq '${appId.replace(/'/g, "''")}'`);
        const url = `${graph}/v1.0/applications?$filter=${filter}&$select=id,appId,displayName,passwordCredentials,keyCredentials`;
        try {
          const res = await ctx.http({ method: 'GET', url, headers: { authorization: `Bearer ${graphToken}`, accept: 'application/json' } });
          const parsed = parseGraphApplications(res.status, res.body, res.seq, via, secretValue);
          for (const s of parsed.secrets) ctx.addSecret(s);
          graphResult = parsed.result;
        } catch (err) {
          graphResult = { status: 'error', via, detail: errorText(err) };
        }
      }
    }

    return {
      ok: true,
      value: { ...base, ...(authority !== undefined ? { authority } : {}), secretSource, token, graph: graphResult },
    };
  },
});
