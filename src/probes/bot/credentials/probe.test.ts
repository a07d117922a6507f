import { describe, expect, it } from 'vitest';
import { fakeContext, type FakeContext } from '../../../../test/helpers/fake-context.js';
import { ORDER_PROCESSING_PROFILE } from '../../../config/profile.js';
import type { Config } from '../../../config/schema.js';
import type { ExecResult, HttpRequest, HttpResponse } from '../../../engine/types.js';
import { botCredentialsProbe } from './probe.js';

const TENANT = '22222222-2222-2222-2222-222222222222';
const APP = '33333333-3333-3333-3333-333333333333';
const SECRET = 'Abc8Q~botSecretValue0123456789abcdefGHIJ';

function config(o: (c: Config) => void = () => {}): Config {
  const c = structuredClone(ORDER_PROCESSING_PROFILE);
  c.env.files = ['.env'];
  c.bot.registration = 'separate';
  c.bot.prod = { appId: APP, tenantId: TENANT, appType: 'SingleTenant', secret: { env: 'MICROSOFT_APP_PASSWORD_PROD', keyVaultSecret: 'bot-app-password' } };
  o(c);
  return c;
}

const json = (status: number, body: unknown) => ({ status, headers: {}, body: JSON.stringify(body) });
type Route = (req: HttpRequest) => Omit<HttpResponse, 'seq' | 'durationMs'>;

const APPLICATION = { value: [{ appId: APP, displayName: 'bot', keyCredentials: [], passwordCredentials: [{ keyId: 'k1', hint: 'Abc', endDateTime: '2027-06-01T00:00:00Z', secretText: null }] }] };
const happy: Route = (req) => (req.method === 'POST' ? json(200, { token_type: 'Bearer', expires_in: 3600, access_token: `tok-${new URLSearchParams(req.body).get('scope') ?? ''}` }) : json(200, APPLICATION));

function ctxWith(o: { config?: Config; env?: Record<string, string>; route?: Route; azToken?: string | null }): FakeContext & { requests: HttpRequest[] } {
  const withSession = o.azToken !== null;
  const base = fakeContext({
    config: o.config ?? config(),
    ...(withSession
      ? { probes: { 'azure.session': { ok: true, value: { credential: 'cli', subscriptionId: 'sub-1', subscriptionSource: 'config', armEndpoint: 'https://management.azure.com', armScope: 'https://management.azure.com/.default' }, refs: [], durationMs: 0 } } }
      : {}),
  });
  const requests: HttpRequest[] = [];
  let seq = 10;
  return Object.assign(base, {
    env: o.env ?? { MICROSOFT_APP_PASSWORD_PROD: SECRET },
    requests,
    async exec(argv: readonly string[]): Promise<ExecResult> {
      seq += 1;
      const ok = argv.includes('get-access-token') && argv.includes('https://graph.microsoft.com') && o.azToken !== undefined && o.azToken !== null;
      return ok
        ? { seq, exitCode: 0, signal: null, stdout: JSON.stringify({ accessToken: o.azToken, expires_on: 4102444800 }), stderr: '', timedOut: false, truncated: false, durationMs: 1 }
        : { seq, exitCode: 1, signal: null, stdout: '', stderr: "ERROR: Please run 'az login' to setup account.", timedOut: false, truncated: false, durationMs: 1 };
    },
    async http(req: HttpRequest): Promise<HttpResponse> {
      requests.push(req);
      seq += 1;
      return { ...(o.route ?? happy)(req), seq, durationMs: 1 };
    },
  });
}

describe('bot.credentials probe', () => {
  it('one token request (Bot Connector scope, app tenant), Graph with the operator’s Azure token; secrets registered, never in the fact', async () => {
    const ctx = ctxWith({ azToken: 'operator-graph-token' });
    const r = await botCredentialsProbe.collect(ctx);
    if (!r.ok) throw new Error(r.detail);
    expect(ctx.requests.map((q) => `${q.method} ${q.url}`)).toEqual([
      `POST https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`,
      `GET https://graph.microsoft.com/v1.0/applications?$filter=appId%20eq%20'${APP}'&$select=id,appId,displayName,passwordCredentials,keyCredentials`,
    ]);
    expect(Object.fromEntries(new URLSearchParams(ctx.requests[0]?.body))).toEqual({ grant_type: 'client_credentials', client_id: APP, client_secret: SECRET, scope: 'https://api.botframework.com/.default' });
    expect(ctx.requests[1]?.headers?.['authorization']).toBe('Bearer operator-graph-token');
    expect(ctx.secrets).toEqual(expect.arrayContaining([SECRET, 'tok-https://api.botframework.com/.default', 'operator-graph-token', 'Abc']));
    expect(r.value.token).toEqual({ status: 'ok', seq: 11, expiresIn: 3600 });
    expect(r.value.graph).toEqual({ status: 'ok', seq: 13, via: 'azure-identity', displayName: 'bot', passwordCredentials: [{ keyId: 'k1', endDateTime: '2027-06-01T00:00:00Z', matchesConfigured: true }], keyCredentialCount: 0 });
    expect(JSON.stringify(r.value)).not.toContain(SECRET);
    expect(JSON.stringify(r.value)).not.toContain('operator-graph-token');
  });

  it('no Azure login: Graph with the app’s own secret (Graph scope) after the proof succeeds', async () => {
    const ctx = ctxWith({ azToken: null });
    const r = await botCredentialsProbe.collect(ctx);
    if (!r.ok) throw new Error(r.detail);
    expect(ctx.requests.map((q) => new URLSearchParams(q.body ?? '').get('scope') ?? q.method)).toEqual(['https://api.botframework.com/.default', 'https://graph.microsoft.com/.default', 'GET']);
    expect(r.value.graph).toMatchObject({ status: 'ok', via: 'app-credentials' });
  });

  it('multi-tenant app with the tenant TBD: token from botframework.com; no Graph without a tenant', async () => {
    const ctx = ctxWith({ azToken: null, config: config((c) => void (c.bot.prod = { ...c.bot.prod, tenantId: 'TBD', appType: 'MultiTenant' })) });
    const r = await botCredentialsProbe.collect(ctx);
    if (!r.ok) throw new Error(r.detail);
    expect(ctx.requests.map((q) => q.url)).toEqual(['https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token']);
    expect(r.value.graph).toMatchObject({ status: 'skipped', reason: 'no-token' });
  });

  it('single-tenant app with the tenant TBD: no token request', async () => {
    const ctx = ctxWith({ azToken: null, config: config((c) => void (c.bot.prod.tenantId = 'TBD')) });
    const r = await botCredentialsProbe.collect(ctx);
    if (!r.ok) throw new Error(r.detail);
    expect(r.value.token).toMatchObject({ status: 'skipped', reason: 'no-tenant' });
  });

  it('secret only in Key Vault: no token request, the reason says how to verify; Graph still read with the operator token', async () => {
    const ctx = ctxWith({ env: {}, azToken: 'operator-graph-token', config: config((c) => void (c.bot.prod.secret = { keyVaultSecret: 'bot-app-password' })) });
    const r = await botCredentialsProbe.collect(ctx);
    if (!r.ok) throw new Error(r.detail);
    expect(ctx.requests.map((q) => q.method)).toEqual(['GET']);
    expect(r.value.token).toMatchObject({ status: 'skipped', reason: 'no-secret' });
    expect(r.value.token.status === 'skipped' && r.value.token.detail).toContain('only in Key Vault (secret bot-app-password); predeploy never reads secret values from Key Vault');
    expect(r.value.graph).toMatchObject({ status: 'ok', passwordCredentials: [{ keyId: 'k1' }] });
  });

  it('bot.verifyToken false: no request with the secret', async () => {
    const ctx = ctxWith({ azToken: null, config: config((c) => void (c.bot.verifyToken = false)) });
    const r = await botCredentialsProbe.collect(ctx);
    if (!r.ok) throw new Error(r.detail);
    expect(ctx.requests).toEqual([]);
    expect(r.value.token).toMatchObject({ status: 'skipped', reason: 'opt-out' });
  });

  it('registration "same": the dev app id', async () => {
    const ctx = ctxWith({ azToken: 'op', config: config((c) => {
      c.bot.registration = 'same';
      c.bot.dev = { appId: '44444444-4444-4444-4444-444444444444', tenantId: TENANT, secret: { env: 'MICROSOFT_APP_PASSWORD' } };
    }) });
    const r = await botCredentialsProbe.collect(ctx);
    if (!r.ok) throw new Error(r.detail);
    expect(r.value.appId).toBe('44444444-4444-4444-4444-444444444444');
  });

  it('managed identity: nothing sent', async () => {
    const ctx = ctxWith({ azToken: 'op', config: config((c) => void (c.bot.prod.appType = 'UserAssignedMSI')) });
    const r = await botCredentialsProbe.collect(ctx);
    if (!r.ok) throw new Error(r.detail);
    expect(ctx.requests).toEqual([]);
    expect(r.value.token).toMatchObject({ status: 'skipped', reason: 'managed-identity' });
  });
});
