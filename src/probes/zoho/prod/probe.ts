/**
 * `zoho.prod`: the production Zoho organization as the production credentials see it.
 *
 * One token refresh per run (`POST {accounts}/oauth/v2/token`, grant_type=refresh_token, the
 * parameters in the form body so they never reach a logged URL), then reads with that token:
 * `GET /organizations`, and for Books `GET /sandboxes` and `GET /settings/webhooks` of the prod
 * org. Never mints a refresh token (the HTTP policy refuses every other grant): Zoho caps
 * access tokens per refresh token (10 per 10 minutes) and silently deletes the oldest refresh
 * token past 20 per user and client (https://zohohelp.com/crm/developer/docs/api/v8/token-validity.html).
 *
 * Credential values come only from the process environment or `.env` files (never Key Vault);
 * each is registered with the redactor before the request, and so is the access token.
 */
import { isTbd } from '../../../config/tbd.js';
import { dataCenterOfApiDomain, withoutCredentials, ZOHO_API_BASE, zohoEndpoints } from '../../../config/zoho-dc.js';
import { defineProbe } from '../../../engine/define.js';
import type { HttpResponse, ProbeResult } from '../../../engine/types.js';
import { MAX_SANDBOX_PARENTS, type ZohoCall, type ZohoProdStatus, type ZohoRateLimitSample, type ZohoTokenResult } from '../../../facts/zoho.js';
import { readEnvValues, resolveAll, type ResolvedCredential } from '../../project/credentials/resolve.js';
import { parseApiEnvelope, parseOrganizations, parseSandboxOrgIds, parseTokenResponse, parseWebhooks, rateLimitSample } from './parse.js';

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** `zoho.prod.refreshToken` → `ZOHO_PROD_REFRESH_TOKEN`-style hint for a reference without an env name. */
function exportHint(r: ResolvedCredential): string {
  return r.config.env ?? r.ref.replace(/([a-z])([A-Z])/g, '$1_$2').replace(/\./g, '_').toUpperCase();
}

/** The probe-failed detail when the production credentials are not available to this run. */
function noCredentialsDetail(missing: readonly ResolvedCredential[]): string {
  const kv = missing.filter((m) => m.config.env === undefined && m.config.keyVaultSecret !== undefined);
  const list = missing
    .map((m) => `${m.ref}${m.config.keyVaultSecret !== undefined ? ` (Key Vault secret ${m.config.keyVaultSecret})` : ''}${m.config.env !== undefined ? ` (env ${m.config.env})` : ''}`)
    .join(', ');
  const why = kv.length > 0 ? '; predeploy never reads secret values from Key Vault' : '';
  const setEnv = kv.length > 0 ? `set ${kv.map((m) => `${m.ref}.env`).join(', ')} in predeploy.yaml, then ` : '';
  return (
    `production Zoho credentials are not available to this run: ${list}${why}. ` +
    `To verify them, ${setEnv}export the values in the shell for this run only: ${missing.map((m) => `${exportHint(m)}=<value>`).join(' ')} predeploy assess`
  );
}

interface Api {
  get(call: string, url: string): Promise<{ res: HttpResponse } | { unreachable: string }>;
}

/** `zoho.prod`: the production Zoho org through one token refresh and three reads (network; off with --offline). */
export const zohoProdProbe = defineProbe({
  id: 'zoho.prod',
  describe: 'one Zoho token refresh (POST {accounts}/oauth/v2/token), then GET /organizations, /sandboxes of each org it sees, /settings/webhooks of the prod org',
  network: true,
  async collect(ctx): Promise<ProbeResult<ZohoProdStatus>> {
    const zoho = ctx.config.zoho;
    const ends = zohoEndpoints(zoho);
    const env = await readEnvValues(ctx);
    // resolveAll hands every value to the redactor before anything is sent
    const [clientId, clientSecret, refreshToken] = resolveAll(
      ctx,
      [
        { ref: 'zoho.prod.clientId', config: zoho.prod.clientId },
        { ref: 'zoho.prod.clientSecret', config: zoho.prod.clientSecret },
        { ref: 'zoho.prod.refreshToken', config: zoho.prod.refreshToken },
      ],
      env,
    ) as [ResolvedCredential, ResolvedCredential, ResolvedCredential];
    const missing = [clientId, clientSecret, refreshToken].filter((r) => r.value === undefined);
    if (missing.length > 0) return { ok: false, reason: 'no-credentials', detail: noCredentialsDetail(missing), cause: { kind: 'no-credentials', service: 'zoho' } };

    const rateLimits: ZohoRateLimitSample[] = [];
    const sample = (call: string, res: HttpResponse) => {
      const s = rateLimitSample(call, res.seq, res.status, res.headers);
      if (s) rateLimits.push(s);
    };

    // The one refresh of the run. Form body, never the query string: the log shows URLs.
    const form = new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: clientId.value ?? '',
      client_secret: clientSecret.value ?? '',
      refresh_token: refreshToken.value ?? '',
    }).toString();
    let token: ZohoTokenResult;
    let accessToken: string | undefined;
    try {
      const res = await ctx.http({
        method: 'POST',
        url: `${ends.accountsUrl}/oauth/v2/token`,
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form,
      });
      const parsed = parseTokenResponse(res.status, res.body, res.seq);
      accessToken = parsed.accessToken;
      if (accessToken !== undefined) ctx.addSecret(accessToken);
      token = parsed.result;
      sample('token', res);
    } catch (err) {
      token = { status: 'unreachable', detail: errorText(err) };
    }

    // Reads go to the API origin Zoho names for the account when it is a known Zoho data centre
    // (https://zoho.com/accounts/protocol/oauth/multi-dc.html: "use api_domain"), unless overridden.
    const named = token.status === 'ok' ? token.apiDomain : undefined;
    const apiUrl = ends.apiOverridden || named === undefined || dataCenterOfApiDomain(named) === undefined ? ends.apiUrl : named;
    const base = `${apiUrl}${ZOHO_API_BASE[zoho.product]}`;

    const api: Api = {
      async get(call, url) {
        try {
          const res = await ctx.http({ method: 'GET', url, headers: { authorization: `Zoho-oauthtoken ${accessToken ?? ''}`, accept: 'application/json' } });
          sample(call, res);
          return { res };
        } catch (err) {
          return { unreachable: errorText(err) };
        }
      },
    };

    const noToken = (): ZohoCall<never> => ({ status: 'skipped', detail: `no access token (token refresh ${token.status})` });
    let organizations: ZohoProdStatus['organizations'] = noToken();
    let sandboxes: ZohoProdStatus['sandboxes'] = noToken();
    let webhooks: ZohoProdStatus['webhooks'] = noToken();
    let sandboxesOf: ZohoProdStatus['sandboxesOf'];

    if (accessToken !== undefined) {
      organizations = await read(api, 'organizations', `${base}/organizations`, (json) => parseOrganizations(json));
      const orgId = zoho.prod.orgId;
      const stop =
        organizations.status === 'rate-limited'
          ? 'not attempted after HTTP 429 (rate limited): more calls would only extend the block'
          : isTbd(orgId)
            ? 'zoho.prod.orgId is TBD'
            : undefined;
      const q = `organization_id=${encodeURIComponent(orgId)}`;
      if (zoho.product !== 'books') {
        // Only Books documents a sandbox and a webhooks API (research file, sections B and D).
        sandboxes = { status: 'skipped', detail: 'Zoho Inventory documents no sandbox API' };
        webhooks = { status: 'skipped', detail: 'Zoho Inventory documents no webhooks API' };
      } else if (stop !== undefined) {
        sandboxes = { status: 'skipped', detail: stop };
        webhooks = { status: 'skipped', detail: stop };
      } else {
        sandboxes = await read(api, 'sandboxes', `${base}/sandboxes?${q}`, (json) => parseSandboxOrgIds(json));
        // The prod org may itself be a sandbox of another org the token sees: ask each of them too.
        if (organizations.status === 'ok' && sandboxes.status !== 'rate-limited') {
          sandboxesOf = [];
          for (const org of organizations.value.filter((x) => x.id !== orgId).slice(0, MAX_SANDBOX_PARENTS)) {
            const call = await read(api, 'sandboxes', `${base}/sandboxes?organization_id=${encodeURIComponent(org.id)}`, (json) => parseSandboxOrgIds(json));
            sandboxesOf.push({ orgId: org.id, name: org.name, call });
            if (call.status === 'rate-limited') break;
          }
        }
        webhooks = await read(api, 'webhooks', `${base}/settings/webhooks?${q}`, (json) => {
          const parsed = parseWebhooks(json);
          for (const s of parsed?.secrets ?? []) ctx.addSecret(s);
          return parsed?.webhooks;
        });
      }
    }

    return {
      ok: true,
      value: {
        dataCenter: zoho.dataCenter,
        product: zoho.product,
        plan: zoho.plan,
        accountsUrl: withoutCredentials(ends.accountsUrl),
        apiUrl: withoutCredentials(apiUrl),
        accountsOverridden: ends.accountsOverridden,
        apiOverridden: ends.apiOverridden,
        orgId: zoho.prod.orgId,
        credentials: { clientId: clientId.source, clientSecret: clientSecret.source, refreshToken: refreshToken.source },
        token,
        organizations,
        sandboxes,
        ...(sandboxesOf !== undefined ? { sandboxesOf } : {}),
        webhooks,
        rateLimits,
      },
    };
  },
});

/** One API read: HTTP and envelope errors become values; an unparsable success is an error. */
async function read<T>(api: Api, call: string, url: string, parse: (json: Record<string, unknown>) => T | undefined): Promise<ZohoCall<T>> {
  const r = await api.get(call, url);
  if ('unreachable' in r) return { status: 'unreachable', detail: r.unreachable };
  const env = parseApiEnvelope(r.res.status, r.res.body, r.res.seq);
  if (!env.ok) return env.call;
  const value = parse(env.json);
  if (value === undefined) return { status: 'error', seq: r.res.seq, httpStatus: r.res.status, message: `no ${call} list in the answer` };
  return { status: 'ok', seq: r.res.seq, value };
}
