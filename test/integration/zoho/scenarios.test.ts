/**
 * Zoho scenarios end to end through the engine, the real HTTP client and policy, against the
 * loopback fake (test/servers/fake-zoho.ts). Each scenario states the verdict of every check in
 * sections 3 and 6 it implies, and greps every output for every planted secret.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../../src/config/schema.js';
import { startFakeEntra, type FakeEntra } from '../../servers/fake-entra.js';
import { startFakeZoho, type FakeZoho, type FakeZohoOptions } from '../../servers/fake-zoho.js';
import { azureSessionCli, botResourceWith, keyVaultWith, leaks, projectRoot, readyConfig, readyVaultSecrets, ROTATION_POLICY, runScenario, type ScenarioRun } from './harness.js';

const NOW = new Date('2026-11-26T12:00:00Z');

// Canaries: prod values live only in the shell environment of the run (exported for it);
// dev values in .env. None may appear in any output.
const PROD = {
  ZOHO_PROD_CLIENT_ID: '1000.PRODCLIENTCANARY7Q2W3E4R5T6Y7U',
  ZOHO_PROD_CLIENT_SECRET: 'prodZohoSecretCanary9f8e7d6c5b4a3',
  ZOHO_PROD_REFRESH_TOKEN: '1000.pr0dr3fr3shc4n4ry.77aa66bb55cc44dd33ee22ff11aa00bb',
  MICROSOFT_APP_PASSWORD_PROD: 'Abc8Q~prodBotSecretCanary0123456789abcdEFG',
};
const DEV = {
  ZOHO_CLIENT_ID: '1000.DEVCLIENTCANARY1A2B3C4D5E6F7G8',
  ZOHO_CLIENT_SECRET: 'devZohoSecretCanary1a2b3c4d5e6f7',
  ZOHO_REFRESH_TOKEN: '1000.d3vr3fr3shc4n4ry.11aa22bb33cc44dd55ee66ff77aa88bb',
};
const ACCESS_TOKEN = '1000.acce55c4n4ry0f00d.99ff88ee77dd66cc55bb44aa33221100';
const WEBHOOK_SECRET = 'whsecCanary7Yh3Kq9Lm2Np5Rs8Tv1';
const CANARIES = [...Object.values(PROD), ...Object.values(DEV), ACCESS_TOKEN, WEBHOOK_SECRET, 'pr0dr3fr3shc4n4ry', 'd3vr3fr3shc4n4ry', 'acce55c4n4ry0f00d'];

/** .env on the prod VM: prod secrets are Key Vault references, dev plaintext is gone. */
const ENV_READY = [
  'NODE_ENV=production',
  'ZOHO_CLIENT_SECRET=@Microsoft.KeyVault(VaultName=pippai-keyvault-prod;SecretName=zoho-client-secret)',
  'ZOHO_REFRESH_TOKEN=@Microsoft.KeyVault(VaultName=pippai-keyvault-prod;SecretName=zoho-refresh-token)',
  'MICROSOFT_APP_PASSWORD=@Microsoft.KeyVault(VaultName=pippai-keyvault-prod;SecretName=bot-app-password)',
  'ZOHO_RATE_LIMIT_PER_MINUTE=80',
].join('\n');

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function zoho(o: FakeZohoOptions): Promise<FakeZoho> {
  const f = await startFakeZoho(o);
  servers.push(f);
  return f;
}

async function entra(): Promise<FakeEntra> {
  const f = await startFakeEntra({
    tenantId: '22222222-2222-2222-2222-222222222222',
    app: { id: '33333333-3333-3333-3333-333333333333', secret: PROD.MICROSOFT_APP_PASSWORD_PROD },
    operator: { token: 'operatorGraphTokenCanary', canReadApplications: true },
    passwordCredentials: [{ keyId: 'k1', displayName: 'prod', hint: PROD.MICROSOFT_APP_PASSWORD_PROD.slice(0, 3), endDateTime: '2027-06-01T00:00:00Z' }],
  });
  servers.push(f);
  return f;
}

const READY_ZOHO: FakeZohoOptions = {
  client: { id: PROD.ZOHO_PROD_CLIENT_ID, secret: PROD.ZOHO_PROD_CLIENT_SECRET },
  refreshTokens: [PROD.ZOHO_PROD_REFRESH_TOKEN],
  accessToken: ACCESS_TOKEN,
  organizations: [{ id: '10234695', name: 'Pippa of London' }],
  sandboxes: ['20000001'],
  webhooks: [{ name: 'invoice paid', url: 'https://orders.pippaoflondon.co.uk/hooks/zoho', secret: WEBHOOK_SECRET }],
  rateLimitHeaders: { limit: 5000, remaining: 4870, reset: 34881 },
};

async function scenario(o: { zoho: FakeZohoOptions; env?: string; shell?: Record<string, string>; config?: (c: Config) => void }): Promise<{ run: ScenarioRun; fake: FakeZoho }> {
  const fake = await zoho(o.zoho);
  const e = await entra();
  const config = readyConfig({ zohoUrl: fake.url, entraUrl: e.url });
  o.config?.(config);
  const root = projectRoot({ '.env': o.env ?? ENV_READY, 'docs/security.md': ROTATION_POLICY });
  const run = await runScenario({
    config,
    root,
    env: o.shell ?? PROD,
    now: NOW,
    azTokens: { 'https://graph.microsoft.com': 'operatorGraphTokenCanary' },
    azure: { 'azure.session': azureSessionCli, 'azure.key-vault': keyVaultWith(readyVaultSecrets(NOW)), 'azure.bot': botResourceWith() },
  });
  return { run, fake };
}

const status = (run: ScenarioRun, id: string) => run.results.get(id)?.status;
const summary = (run: ScenarioRun, id: string) => run.results.get(id)?.summary ?? '';

function expectNoLeaks(run: ScenarioRun): void {
  expect(leaks(run.outputs, CANARIES)).toEqual([]);
  // facts never hold a value at all, redacted or not
  expect(leaks({ facts: run.facts }, CANARIES)).toEqual([]);
  for (const id of ['secrets.zoho-prod-tokens', 'secrets.bot-credentials', 'secrets.in-key-vault', 'secrets.rotation-policy', 'zoho.prod-org-id', 'zoho.prod-oauth', 'zoho.rate-limits', 'zoho.webhooks']) {
    expect(summary(run, id), id).not.toMatch(/not assessed/);
    expect(run.results.get(id)?.evidence.length, id).toBeGreaterThan(0);
  }
}

describe('Zoho scenarios (loopback fake accounts + API server)', () => {
  it('prod ready: every check in sections 3 and 6 passes, with evidence; one refresh, params in the body', async () => {
    const { run, fake } = await scenario({ zoho: READY_ZOHO });
    expect(Object.fromEntries([...run.results].map(([id, r]) => [id, r.status]))).toEqual({
      'secrets.zoho-prod-tokens': 'pass',
      'secrets.bot-credentials': 'pass',
      'secrets.in-key-vault': 'pass',
      'secrets.rotation-policy': 'pass',
      'zoho.prod-org-id': 'pass',
      'zoho.prod-oauth': 'pass',
      'zoho.rate-limits': 'pass',
      'zoho.webhooks': 'pass',
    });
    expect(summary(run, 'secrets.zoho-prod-tokens')).toContain('sees production org Pippa of London (10234695)');
    expect(summary(run, 'zoho.prod-org-id')).toContain('org Pippa of London (10234695) is listed and active');
    expect(summary(run, 'zoho.webhooks')).toContain('orders.pippaoflondon.co.uk (production, https, secret set)');
    expect(summary(run, 'zoho.rate-limits')).toContain('ZOHO_RATE_LIMIT_PER_MINUTE in .env:5: 80 requests per minute, within 100');
    expect(run.results.get('zoho.rate-limits')?.evidence.map((e) => e.text)).toContain('observed on organizations (HTTP 200): limit 5000, remaining 4870, reset 34881');

    // exactly one token refresh, a refresh_token grant, parameters in the form body only
    const posts = fake.requests.filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.path).toBe('/oauth/v2/token');
    expect(posts[0]?.query).toBe('');
    expect(new URLSearchParams(posts[0]?.body).get('grant_type')).toBe('refresh_token');
    expect(fake.requests.filter((r) => r.method === 'GET').map((r) => `${r.path}${r.query}`)).toEqual([
      '/books/v3/organizations',
      '/books/v3/sandboxes?organization_id=10234695',
      '/books/v3/settings/webhooks?organization_id=10234695',
    ]);
    // every request is in the commands log, the token call without its body
    expect(run.log).toMatch(/http POST http:\/\/127\.0\.0\.1:\d+\/oauth\/v2\/token → 200/);
    expect(run.log).toMatch(/http GET http:\/\/127\.0\.0\.1:\d+\/books\/v3\/settings\/webhooks\?organization_id=10234695 → 200/);
    expect(run.log).not.toContain('grant_type');
    expectNoLeaks(run);
  });

  it('prod org id equals the sandbox org: zoho.prod-org-id and secrets.zoho-prod-tokens fail', async () => {
    // The common mistake: production reuses the sandbox org and the sandbox credentials from .env.
    const env = Object.entries(DEV).map(([k, v]) => `${k}=${v}`).join('\n');
    const { run } = await scenario({
      zoho: {
        ...READY_ZOHO,
        client: { id: DEV.ZOHO_CLIENT_ID, secret: DEV.ZOHO_CLIENT_SECRET },
        refreshTokens: [DEV.ZOHO_REFRESH_TOKEN],
        organizations: [
          { id: '10234695', name: 'Pippa of London' },
          { id: '20000001', name: 'Pippa of London (Sandbox)' },
        ],
        sandboxes: ['20000001'],
      },
      env,
      shell: {},
      config: (c) => {
        c.zoho.prod = { ...c.zoho.dev, sandbox: false, orgId: '20000001' };
      },
    });
    expect(status(run, 'zoho.prod-org-id')).toBe('fail');
    expect(summary(run, 'zoho.prod-org-id')).toContain('zoho.prod.orgId equals the dev/sandbox org id (20000001)');
    expect(summary(run, 'zoho.prod-org-id')).toContain('org 20000001 is in the sandbox list of the production org');
    expect(status(run, 'secrets.zoho-prod-tokens')).toBe('fail');
    expect(summary(run, 'secrets.zoho-prod-tokens')).toMatch(/production resolves the same refresh token as dev\/sandbox \(fingerprint [0-9a-f]{8}: prod from ZOHO_REFRESH_TOKEN in \.env:3, dev from ZOHO_REFRESH_TOKEN in \.env:3\)/);
    expect(status(run, 'zoho.prod-oauth')).toBe('pass');
    // plaintext sandbox secrets in .env
    expect(status(run, 'secrets.in-key-vault')).toBe('fail');
    expectNoLeaks(run);
  });

  it('the prod org id is a sandbox of another org the token sees: caught from the parent\'s side', async () => {
    // The prod org's own sandbox list is empty (a sandbox has no sandboxes); its parent lists it.
    const { run, fake } = await scenario({
      zoho: {
        ...READY_ZOHO,
        organizations: [
          { id: '10234695', name: 'Pippa of London' },
          { id: '30000003', name: 'Pippa of London UAT' },
        ],
        sandboxesByOrg: { '10234695': ['30000003'], '30000003': [] },
      },
      config: (c) => {
        c.zoho.prod.orgId = '30000003';
      },
    });
    expect(fake.requests.filter((r) => r.path === '/books/v3/sandboxes').map((r) => r.query)).toEqual(['?organization_id=30000003', '?organization_id=10234695']);
    expect(status(run, 'zoho.prod-org-id')).toBe('fail');
    expect(summary(run, 'zoho.prod-org-id')).toContain('org 30000003 is a sandbox of org Pippa of London (10234695)');
    expect(status(run, 'secrets.zoho-prod-tokens')).toBe('fail');
    expect(summary(run, 'secrets.zoho-prod-tokens')).toContain('it is a sandbox of org 10234695');
    expectNoLeaks(run);
  });

  it('invalid_client (wrong data centre): zoho.prod-oauth fails naming the cause; the token checks cannot be tried', async () => {
    // The client is registered in the EU data centre; the config points at the US accounts server.
    const eu = await zoho({ ...READY_ZOHO });
    const { run } = await scenario({ zoho: { ...READY_ZOHO, client: undefined }, config: (c) => void (c.zoho.apiUrl = eu.url) });
    expect(status(run, 'zoho.prod-oauth')).toBe('fail');
    expect(summary(run, 'zoho.prod-oauth')).toMatch(/refused \(HTTP 200 with "error"\): invalid_client: wrong data centre or client id/);
    expect(status(run, 'secrets.zoho-prod-tokens')).toBe('unknown');
    expect(summary(run, 'secrets.zoho-prod-tokens')).toContain('the refresh token could not be tried');
    expect(status(run, 'zoho.prod-org-id')).toBe('unknown');
    expect(status(run, 'zoho.webhooks')).toBe('unknown');
    expect(status(run, 'zoho.rate-limits')).toBe('pass');
    expect(eu.requests).toHaveLength(0); // no API call without a token
    expectNoLeaks(run);
  });

  it('invalid_code (revoked refresh token): secrets.zoho-prod-tokens and zoho.prod-oauth fail; an echoed token never shows', async () => {
    const { run } = await scenario({ zoho: { ...READY_ZOHO, refreshTokens: [], echoRefreshToken: true } });
    expect(status(run, 'secrets.zoho-prod-tokens')).toBe('fail');
    expect(summary(run, 'secrets.zoho-prod-tokens')).toContain('the production refresh token does not work: invalid_code: refresh token revoked or wrong');
    expect(status(run, 'zoho.prod-oauth')).toBe('fail');
    expect(summary(run, 'zoho.prod-oauth')).toContain('client id and data centre accepted');
    expect(status(run, 'zoho.prod-org-id')).toBe('unknown');
    expect(run.log).toContain('REDACTED'); // the echo was logged, redacted
    expectNoLeaks(run);
  });

  it('429 rate-limited: zoho.rate-limits fails with the code; the org checks are unknown with the evidence', async () => {
    const { run, fake } = await scenario({ zoho: { ...READY_ZOHO, rateLimited: 'daily', rateLimitHeaders: { limit: 1000, remaining: 0, reset: 3600 } } });
    expect(status(run, 'zoho.rate-limits')).toBe('fail');
    expect(summary(run, 'zoho.rate-limits')).toContain('HTTP 429 code 45 (daily limit for the plan exceeded)');
    expect(run.results.get('zoho.rate-limits')?.evidence.map((e) => e.text)).toContain('observed on organizations (HTTP 429): limit 1000, remaining 0, reset 3600, Retry-After 60');
    expect(status(run, 'zoho.prod-org-id')).toBe('unknown');
    expect(summary(run, 'zoho.prod-org-id')).toContain('organizations: HTTP 429 rate limited (code 45');
    expect(status(run, 'secrets.zoho-prod-tokens')).toBe('unknown');
    expect(status(run, 'zoho.prod-oauth')).toBe('pass');
    expect(status(run, 'zoho.webhooks')).toBe('unknown');
    // after a 429 no further reads are made
    expect(fake.requests.filter((r) => r.method === 'GET')).toHaveLength(1);
    expectNoLeaks(run);
  });

  it('prod credentials only in Key Vault: unknown with the reason and how to verify, nothing sent', async () => {
    const { run, fake } = await scenario({
      zoho: READY_ZOHO,
      shell: {},
      config: (c) => {
        c.zoho.prod.clientId = { keyVaultSecret: 'zoho-client-id' };
        c.zoho.prod.clientSecret = { keyVaultSecret: 'zoho-client-secret' };
        c.zoho.prod.refreshToken = { keyVaultSecret: 'zoho-refresh-token' };
      },
    });
    expect(fake.requests).toHaveLength(0);
    expect(status(run, 'zoho.prod-oauth')).toBe('unknown');
    expect(summary(run, 'zoho.prod-oauth')).toContain('predeploy never reads secret values from Key Vault');
    expect(summary(run, 'zoho.prod-oauth')).toContain('export the values in the shell for this run only: ZOHO_PROD_CLIENT_ID=<value> ZOHO_PROD_CLIENT_SECRET=<value> ZOHO_PROD_REFRESH_TOKEN=<value> predeploy assess');
    expect(status(run, 'secrets.zoho-prod-tokens')).toBe('unknown');
    expect(status(run, 'zoho.prod-org-id')).toBe('unknown');
    // the declared throttling fits, but Zoho itself was not asked: never better than unknown
    expect(status(run, 'zoho.rate-limits')).toBe('unknown');
    expectNoLeaks(run);
  });
});
