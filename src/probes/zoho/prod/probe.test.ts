import { describe, expect, it } from 'vitest';
import { fakeContext, type FakeContext } from '../../../../test/helpers/fake-context.js';
import { ORDER_PROCESSING_PROFILE } from '../../../config/profile.js';
import type { Config } from '../../../config/schema.js';
import type { HttpRequest, HttpResponse } from '../../../engine/types.js';
import { zohoProdProbe } from './probe.js';

const ROOT = '/data/order-processing';
const ENV = { ZOHO_PROD_CLIENT_ID: '1000.PRODCLIENT', ZOHO_PROD_CLIENT_SECRET: 'prod-client-secret-1', ZOHO_PROD_REFRESH_TOKEN: '1000.refresh.prod' };

function config(o: (c: Config) => void = () => {}): Config {
  const c = structuredClone(ORDER_PROCESSING_PROFILE);
  c.env.files = ['.env'];
  c.zoho.plan = 'professional';
  c.zoho.prod = {
    orgId: '10234695',
    sandbox: false,
    clientId: { env: 'ZOHO_PROD_CLIENT_ID', keyVaultSecret: 'zoho-client-id' },
    clientSecret: { env: 'ZOHO_PROD_CLIENT_SECRET', keyVaultSecret: 'zoho-client-secret' },
    refreshToken: { env: 'ZOHO_PROD_REFRESH_TOKEN', keyVaultSecret: 'zoho-refresh-token' },
  };
  o(c);
  return c;
}

type Route = (req: HttpRequest) => Omit<HttpResponse, 'seq' | 'durationMs'> | Error;

/** A fake context with a process environment and an HTTP answerer; records requests and the secrets registered before each. */
function ctxWith(o: { env?: Record<string, string>; files?: Record<string, string>; config?: Config; route: Route }): FakeContext & { requests: HttpRequest[]; secretsAtRequest: string[][] } {
  const base = fakeContext({ root: ROOT, files: o.files ?? {}, config: o.config ?? config() });
  const requests: HttpRequest[] = [];
  const secretsAtRequest: string[][] = [];
  let seq = 100;
  return Object.assign(base, {
    env: o.env ?? ENV,
    requests,
    secretsAtRequest,
    async http(req: HttpRequest): Promise<HttpResponse> {
      requests.push(req);
      secretsAtRequest.push([...base.secrets]);
      const r = o.route(req);
      if (r instanceof Error) throw r;
      seq += 1;
      return { ...r, seq, durationMs: 1 };
    },
  });
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) => ({ status, headers, body: JSON.stringify(body) });
const TOKEN = { access_token: '1000.access.token.value', expires_in: 3600, api_domain: 'https://www.zohoapis.eu', token_type: 'Bearer' };
const ORGS = { code: 0, message: 'success', organizations: [{ organization_id: '10234695', name: 'Pippa', is_org_active: true }] };

const happy: Route = (req) => {
  if (req.method === 'POST') return json(200, TOKEN);
  if (req.url.includes('/organizations')) return json(200, ORGS, { 'x-rate-limit-limit': '5000', 'x-rate-limit-remaining': '4999', 'x-rate-limit-reset': '100' });
  if (req.url.includes('/sandboxes')) return json(200, { code: 0, sandboxes: [{ organization_id: '20000001' }] });
  return json(200, { code: 0, webhooks: [] });
};

describe('zoho.prod probe', () => {
  it('one refresh with the parameters in the form body, then the prod org reads; values never in the fact', async () => {
    const ctx = ctxWith({ route: happy });
    const r = await zohoProdProbe.collect(ctx);
    if (!r.ok) throw new Error(r.detail);
    const [post, ...gets] = ctx.requests;
    expect(post?.method).toBe('POST');
    expect(post?.url).toBe('https://accounts.zoho.com/oauth/v2/token');
    expect(Object.fromEntries(new URLSearchParams(post?.body))).toEqual({ grant_type: 'refresh_token', client_id: ENV.ZOHO_PROD_CLIENT_ID, client_secret: ENV.ZOHO_PROD_CLIENT_SECRET, refresh_token: ENV.ZOHO_PROD_REFRESH_TOKEN });
    // the token's api_domain names a known data centre: reads go there
    expect(gets.map((g) => `${g.method} ${g.url}`)).toEqual([
      'GET https://www.zohoapis.eu/books/v3/organizations',
      'GET https://www.zohoapis.eu/books/v3/sandboxes?organization_id=10234695',
      'GET https://www.zohoapis.eu/books/v3/settings/webhooks?organization_id=10234695',
    ]);
    expect(gets[0]?.headers?.['authorization']).toBe('Zoho-oauthtoken 1000.access.token.value');
    // every credential was registered before the first request; the access token right after
    expect(ctx.secretsAtRequest[0]).toEqual(expect.arrayContaining(Object.values(ENV)));
    expect(ctx.secretsAtRequest[1]).toContain('1000.access.token.value');
    expect(r.value.token).toEqual({ status: 'ok', seq: 101, httpStatus: 200, expiresIn: 3600, apiDomain: 'https://www.zohoapis.eu' });
    expect(r.value.organizations).toEqual({ status: 'ok', seq: 102, value: [{ id: '10234695', name: 'Pippa', active: true }] });
    expect(r.value.sandboxes).toEqual({ status: 'ok', seq: 103, value: ['20000001'] });
    expect(r.value.rateLimits).toEqual([{ call: 'organizations', seq: 102, httpStatus: 200, limit: 5000, remaining: 4999, reset: 100 }]);
    expect(r.value.credentials.clientId).toEqual({ kind: 'process-env', name: 'ZOHO_PROD_CLIENT_ID' });
    const fact = JSON.stringify(r.value);
    for (const v of [...Object.values(ENV), '1000.access.token.value']) expect(fact).not.toContain(v);
  });

  it('an api_domain that is no Zoho data centre is not trusted with the token', async () => {
    const ctx = ctxWith({ route: (req) => (req.method === 'POST' ? json(200, { ...TOKEN, api_domain: 'https://zohoapis.attacker.example' }) : happy(req)) });
    await zohoProdProbe.collect(ctx);
    expect(ctx.requests[1]?.url).toBe('https://www.zohoapis.com/books/v3/organizations');
  });

  it('values from a .env file when the environment lacks them; a vault reference is no value', async () => {
    const ctx = ctxWith({
      env: {},
      files: { [`${ROOT}/.env`]: `ZOHO_PROD_CLIENT_ID=${ENV.ZOHO_PROD_CLIENT_ID}\nZOHO_PROD_CLIENT_SECRET=${ENV.ZOHO_PROD_CLIENT_SECRET}\nZOHO_PROD_REFRESH_TOKEN=kv://pippai-keyvault-prod/zoho-refresh-token\n` },
      route: happy,
    });
    const r = await zohoProdProbe.collect(ctx);
    expect(ctx.requests).toHaveLength(0);
    expect(r).toEqual({
      ok: false,
      reason: 'no-credentials',
      // one root cause for every Zoho check: no Zoho credentials in this run
      cause: { kind: 'no-credentials', service: 'zoho' },
      detail:
        'production Zoho credentials are not available to this run: zoho.prod.refreshToken (Key Vault secret zoho-refresh-token) (env ZOHO_PROD_REFRESH_TOKEN). ' +
        'To verify them, export the values in the shell for this run only: ZOHO_PROD_REFRESH_TOKEN=<value> predeploy assess',
    });
  });

  it('references only to Key Vault (the built-in profile): no-credentials, how to verify, nothing sent', async () => {
    const ctx = ctxWith({ env: {}, config: structuredClone(ORDER_PROCESSING_PROFILE), route: happy });
    const r = await zohoProdProbe.collect(ctx);
    expect(ctx.requests).toHaveLength(0);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reason).toBe('no-credentials');
    expect(r.detail).toContain('predeploy never reads secret values from Key Vault');
    expect(r.detail).toContain('set zoho.prod.clientId.env, zoho.prod.clientSecret.env, zoho.prod.refreshToken.env in predeploy.yaml, then export the values in the shell for this run only: ZOHO_PROD_CLIENT_ID=<value> ZOHO_PROD_CLIENT_SECRET=<value> ZOHO_PROD_REFRESH_TOKEN=<value> predeploy assess');
  });

  it('a Zoho error (HTTP 200 + error) stops before any API read', async () => {
    const ctx = ctxWith({ route: (req) => (req.method === 'POST' ? json(200, { error: 'invalid_code' }) : happy(req)) });
    const r = await zohoProdProbe.collect(ctx);
    if (!r.ok) throw new Error(r.detail);
    expect(ctx.requests).toHaveLength(1);
    expect(r.value.token).toEqual({ status: 'error', seq: 101, httpStatus: 200, error: 'invalid_code' });
    expect(r.value.organizations).toEqual({ status: 'skipped', detail: 'no access token (token refresh error)' });
  });

  it('HTTP 429 on organizations: no further reads', async () => {
    const ctx = ctxWith({ route: (req) => (req.method === 'POST' ? json(200, TOKEN) : json(429, { code: 45, message: 'limit' }, { 'retry-after': '60' })) });
    const r = await zohoProdProbe.collect(ctx);
    if (!r.ok) throw new Error(r.detail);
    expect(ctx.requests).toHaveLength(2);
    expect(r.value.organizations).toEqual({ status: 'rate-limited', seq: 102, httpStatus: 429, code: 45, message: 'limit' });
    expect(r.value.webhooks).toEqual({ status: 'skipped', detail: 'not attempted after HTTP 429 (rate limited): more calls would only extend the block' });
    expect(r.value.rateLimits).toEqual([{ call: 'organizations', seq: 102, httpStatus: 429, retryAfter: '60' }]);
  });

  it('Inventory: organizations only (no documented sandbox or webhooks API)', async () => {
    const ctx = ctxWith({ config: config((c) => void (c.zoho.product = 'inventory')), route: happy });
    const r = await zohoProdProbe.collect(ctx);
    if (!r.ok) throw new Error(r.detail);
    expect(ctx.requests.map((q) => q.url)).toEqual(['https://accounts.zoho.com/oauth/v2/token', 'https://www.zohoapis.eu/inventory/v1/organizations']);
    expect(r.value.webhooks).toEqual({ status: 'skipped', detail: 'Zoho Inventory documents no webhooks API' });
  });

  it('prod org id TBD: organizations only', async () => {
    const ctx = ctxWith({ config: config((c) => void (c.zoho.prod.orgId = 'TBD')), route: happy });
    const r = await zohoProdProbe.collect(ctx);
    if (!r.ok) throw new Error(r.detail);
    expect(ctx.requests).toHaveLength(2);
    expect(r.value.sandboxes).toEqual({ status: 'skipped', detail: 'zoho.prod.orgId is TBD' });
  });

  it('accounts server unreachable: a value, not a throw', async () => {
    const ctx = ctxWith({ route: () => new Error('connect ECONNREFUSED 127.0.0.1:9') });
    const r = await zohoProdProbe.collect(ctx);
    if (!r.ok) throw new Error(r.detail);
    expect(r.value.token).toEqual({ status: 'unreachable', detail: 'connect ECONNREFUSED 127.0.0.1:9' });
  });

  it('is a network probe', () => {
    expect(zohoProdProbe.network).toBe(true);
  });
});
