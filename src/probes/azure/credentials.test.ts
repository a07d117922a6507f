import { describe, expect, it } from 'vitest';
import type { HttpRequest, HttpResponse } from '../../engine/types.js';
import { authorityHostOf, authorityOptions, environmentCredential } from './credentials.js';
import { createAzureHttpClient } from './http-adapter.js';

const TENANT = '72f988bf-0000-0000-0000-000000000000';
const ENV = { AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: '11111111-1111-1111-1111-111111111111', AZURE_CLIENT_SECRET: 'env-secret-canary' };

/** An Entra of another cloud, answered in process: its OpenID metadata and its token endpoint. */
function sovereignEntra(host: string) {
  const seen: string[] = [];
  const ctx = {
    options: { offline: false, refreshApt: false, timeoutMs: 5000 },
    async http(req: HttpRequest): Promise<HttpResponse> {
      seen.push(`${req.method} ${req.url}`);
      const u = new URL(req.url);
      const json = (body: unknown): HttpResponse => ({ seq: seen.length, status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), durationMs: 1 });
      if (u.host !== host) return { seq: seen.length, status: 599, headers: {}, body: 'left the cloud', durationMs: 1 };
      if (u.pathname.endsWith('/.well-known/openid-configuration')) {
        return json({
          token_endpoint: `https://${host}/${TENANT}/oauth2/v2.0/token`,
          issuer: `https://${host}/${TENANT}/v2.0`,
          authorization_endpoint: `https://${host}/${TENANT}/oauth2/v2.0/authorize`,
          end_session_endpoint: `https://${host}/${TENANT}/oauth2/v2.0/logout`,
          jwks_uri: `https://${host}/${TENANT}/discovery/v2.0/keys`,
        });
      }
      if (u.pathname.endsWith('/oauth2/v2.0/token')) return json({ token_type: 'Bearer', expires_in: 3599, access_token: 'sovereign-token' });
      return { seq: seen.length, status: 404, headers: {}, body: '', durationMs: 1 };
    },
  };
  return { seen, client: createAzureHttpClient(ctx) };
}

describe('Entra login stays in its cloud', () => {
  it('a non-public authority: no instance discovery, no request to login.microsoftonline.com', async () => {
    const host = 'login.sovereign.example';
    const e = sovereignEntra(host);
    const cred = await environmentCredential(e.client, ENV, `https://${host}`);
    const t = await cred.getToken('https://management.sovereign.example/.default');
    expect(t?.token).toBe('sovereign-token');
    expect(e.seen.length).toBeGreaterThan(0);
    for (const r of e.seen) {
      expect(new URL(r.split(' ')[1] ?? '').host).toBe(host);
      expect(r).not.toMatch(/login\.microsoftonline\.com|discovery\/instance/);
    }
  });

  it.each([
    [undefined, {}],
    ['https://login.microsoftonline.com', { authorityHost: 'https://login.microsoftonline.com' }],
    ['https://login.microsoftonline.us', { authorityHost: 'https://login.microsoftonline.us', disableInstanceDiscovery: true }],
    ['http://127.0.0.1:4010', { authorityHost: 'http://127.0.0.1:4010', disableInstanceDiscovery: true }],
  ] as const)('authority %s → %j', (host, options) => expect(authorityOptions(host)).toEqual(options));

  it('azure.authorityHost wins over AZURE_AUTHORITY_HOST; unset is the public cloud', () => {
    expect(authorityHostOf({ azure: { authorityHost: 'https://login.chinacloudapi.cn' } }, { AZURE_AUTHORITY_HOST: 'https://login.microsoftonline.us' })).toBe('https://login.chinacloudapi.cn');
    expect(authorityHostOf({ azure: {} }, { AZURE_AUTHORITY_HOST: 'https://login.microsoftonline.us' })).toBe('https://login.microsoftonline.us');
    expect(authorityHostOf({ azure: {} }, {})).toBeUndefined();
  });

  it('without the variables the source is unavailable (the chain moves on)', async () => {
    await expect(environmentCredential(sovereignEntra('x').client, {})).rejects.toMatchObject({ name: 'CredentialUnavailableError' });
  });
});
