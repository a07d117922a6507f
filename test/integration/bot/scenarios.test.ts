/**
 * Bot credential scenarios end to end through the engine, the real HTTP client and policy,
 * against the loopback Entra + Graph fake (test/servers/fake-entra.ts). The operator's Graph
 * token comes from a scripted `az account get-access-token` (the Azure CLI credential of the
 * Azure probes); the prod Key Vault inventory from a stand-in `azure.key-vault`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../../src/config/schema.js';
import type { KeyVaultSecretMeta } from '../../../src/facts/index.js';
import { startFakeEntra, type FakeEntraOptions } from '../../servers/fake-entra.js';
import { startFakeZoho } from '../../servers/fake-zoho.js';
import { azureSessionCli, botResourceWith, keyVaultWith, leaks, projectRoot, readyConfig, readyVaultSecrets, ROTATION_POLICY, runScenario, type ScenarioRun } from '../zoho/harness.js';

const NOW = new Date('2026-11-26T12:00:00Z');
const TENANT = '22222222-2222-2222-2222-222222222222';
const APP = '33333333-3333-3333-3333-333333333333';
const BOT_SECRET = 'Xy7Q~botSecretCanary.0123456789abcdefGHIJ';
const BOT_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJib3QtY2FuYXJ5In0.Ym90VG9rZW5DYW5hcnk';
const GRAPH_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJncmFwaC1jYW5hcnkifQ.Z3JhcGhUb2tlbkNhbmFyeQ';
const OPERATOR_TOKEN = 'operatorTokenCanary5f4e3d2c1b0a';
// Real hints are the secret's first 3 characters; planted longer here so a leak would be
// visible to grep (the redactor ignores values under 6 characters).
const HINT = BOT_SECRET.slice(0, 12);
const SECRET_TEXT = 'secretTextCanary[6gyXA5S20@MN+WRXAJ]';
const CANARIES = [BOT_SECRET, BOT_TOKEN, GRAPH_TOKEN, OPERATOR_TOKEN, HINT, SECRET_TEXT, 'Ym90VG9rZW5DYW5hcnk', 'Z3JhcGhUb2tlbkNhbmFyeQ'];

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const inDays = (d: number) => new Date(NOW.getTime() + d * 86_400_000).toISOString();

async function botScenario(o: {
  entra?: Partial<FakeEntraOptions>;
  config?: (c: Config) => void;
  vault?: KeyVaultSecretMeta[] | 'none';
  azTokens?: Record<string, string>;
  session?: boolean;
}): Promise<{ run: ScenarioRun; posts: string[] }> {
  const zoho = await startFakeZoho({});
  servers.push(zoho);
  const entra = await startFakeEntra({
    tenantId: TENANT,
    app: { id: APP, secret: BOT_SECRET, displayName: 'teams-bot-prod' },
    botToken: BOT_TOKEN,
    graphToken: GRAPH_TOKEN,
    operator: { token: OPERATOR_TOKEN, canReadApplications: true },
    passwordCredentials: [{ keyId: 'f0b0b335-1d71-4883-8f98-567911bfdca6', displayName: 'prod', hint: HINT, secretText: SECRET_TEXT, endDateTime: inDays(200) }],
    ...o.entra,
  });
  servers.push(entra);
  const config = readyConfig({ zohoUrl: zoho.url, entraUrl: entra.url });
  o.config?.(config);
  const run = await runScenario({
    config,
    root: projectRoot({ '.env': 'NODE_ENV=production\n', 'docs/security.md': ROTATION_POLICY }),
    env: { MICROSOFT_APP_PASSWORD_PROD: BOT_SECRET },
    now: NOW,
    azTokens: o.azTokens ?? { 'https://graph.microsoft.com': OPERATOR_TOKEN },
    azure: {
      ...(o.session === false ? {} : { 'azure.session': azureSessionCli }),
      ...(o.vault === 'none' ? {} : { 'azure.key-vault': keyVaultWith(o.vault ?? readyVaultSecrets(NOW)) }),
      // the bot resource answers (a SingleTenant app): otherwise the check cannot rule out a managed identity
      'azure.bot': botResourceWith(),
    },
  });
  const posts = entra.requests.filter((r) => r.method === 'POST').map((r) => `${r.path} ${new URLSearchParams(r.body).get('scope') ?? ''}`);
  return { run, posts };
}

const bot = (run: ScenarioRun) => run.results.get('secrets.bot-credentials');

function expectNoLeaks(run: ScenarioRun): void {
  expect(leaks(run.outputs, CANARIES)).toEqual([]);
  expect(leaks({ facts: run.facts }, CANARIES)).toEqual([]);
  expect(bot(run)?.summary).not.toMatch(/not assessed/);
}

describe('bot credential scenarios (loopback Entra + Graph)', () => {
  it('ready: in the prod vault, a token request works, the secret ends in 200 days → pass', async () => {
    const { run, posts } = await botScenario({});
    expect(bot(run)?.status).toBe('pass');
    expect(bot(run)?.summary).toBe(
      `secret bot-app-password is in prod vault pippai-keyvault-prod (enabled, expires ${inDays(80).slice(0, 10)}); ` +
        `a client-credentials token request with the app secret succeeded (authority ${TENANT}); ` +
        `the configured client secret "prod" expires on ${inDays(200).slice(0, 10)} (200 days)`,
    );
    // one token request, the Bot Connector scope, in the app's tenant
    expect(posts).toEqual([`/${TENANT}/oauth2/v2.0/token https://api.botframework.com/.default`]);
    expect(run.log).toMatch(/http POST http:\/\/127\.0\.0\.1:\d+\/22222222-2222-2222-2222-222222222222\/oauth2\/v2\.0\/token → 200/);
    expect(run.log).toContain("GET http://127.0.0.1:");
    expect(run.log).toContain('/v1.0/applications?$filter=appId%20eq%20%2733333333-3333-3333-3333-333333333333%27&$select=id,appId,displayName,passwordCredentials,keyCredentials → 200');
    expectNoLeaks(run);
  });

  it('expired bot secret: Entra answers AADSTS7000222 and Graph shows the end date → fail', async () => {
    const { run } = await botScenario({ entra: { secretExpired: true, passwordCredentials: [{ keyId: 'k1', displayName: 'prod', hint: HINT, secretText: SECRET_TEXT, endDateTime: inDays(-3) }] } });
    expect(bot(run)?.status).toBe('fail');
    expect(bot(run)?.summary).toContain('Entra refused the app secret: invalid_client (AADSTS7000222 — the client secret has expired)');
    expect(bot(run)?.summary).toContain(`the configured client secret "prod" expired on ${inDays(-3).slice(0, 10)}`);
    expectNoLeaks(run);
  });

  it('secret ending in 10 days → warn', async () => {
    const { run } = await botScenario({ entra: { passwordCredentials: [{ keyId: 'k1', displayName: 'prod', hint: BOT_SECRET.slice(0, 3), endDateTime: inDays(10) }] } });
    expect(bot(run)?.status).toBe('warn');
    expect(bot(run)?.summary).toBe(`the configured client secret "prod" expires on ${inDays(10).slice(0, 10)}, in 10 days (under 30)`);
    expectNoLeaks(run);
  });

  it('no Graph permission: the expiry part is unknown naming Application.Read.All; the token part still judges', async () => {
    const { run } = await botScenario({ entra: { operator: { token: OPERATOR_TOKEN, canReadApplications: false } } });
    expect(bot(run)?.status).toBe('unknown');
    expect(bot(run)?.summary).toMatch(/Graph refused to read the app registration \(HTTP 403 Authorization_RequestDenied\): the Azure identity of this run lacks Application\.Read\.All/);
    expect(bot(run)?.evidence.map((e) => e.text)).toContain(`pass: a client-credentials token request with the app secret succeeded (authority ${TENANT})`);
    expectNoLeaks(run);
  });

  it('no Azure login: Graph falls back to the app’s own secret, which lacks Application.Read.All → unknown', async () => {
    const { run, posts } = await botScenario({ session: false, azTokens: {} });
    expect(posts).toEqual([`/${TENANT}/oauth2/v2.0/token https://api.botframework.com/.default`, `/${TENANT}/oauth2/v2.0/token https://graph.microsoft.com/.default`]);
    expect(bot(run)?.status).toBe('unknown');
    expect(bot(run)?.summary).toContain("the app's own identity lacks Application.Read.All");
    expectNoLeaks(run);
  });

  it('Key Vault inventory without the secret name → fail; without an inventory → that part unknown', async () => {
    const missing = await botScenario({ vault: readyVaultSecrets(NOW).filter((s) => s.name !== 'bot-app-password') });
    expect(bot(missing.run)?.status).toBe('fail');
    expect(bot(missing.run)?.summary).toBe('secret bot-app-password is not in prod vault pippai-keyvault-prod');
    const none = await botScenario({ vault: 'none' });
    expect(bot(none.run)?.status).toBe('unknown');
    expect(bot(none.run)?.summary).toMatch(/^the bot app secret in the prod vault by name \(bot-app-password\): Key Vault inventory not available \(azure\.key-vault failed: /);
  });

  it('bot.verifyToken: false makes no request with the secret', async () => {
    const { run, posts } = await botScenario({ config: (c) => void (c.bot.verifyToken = false) });
    expect(posts).toEqual([]);
    expect(bot(run)?.status).toBe('pass');
    expect(bot(run)?.evidence.map((e) => e.text)).toContain('token request not made: bot.verifyToken is false');
  });

  it('managed-identity bot: not verifiable from outside Azure, said so (manual), nothing sent', async () => {
    const { run, posts } = await botScenario({ config: (c) => void (c.bot.prod.appType = 'UserAssignedMSI') });
    expect(posts).toEqual([]);
    expect(bot(run)?.status).toBe('manual');
    expect(bot(run)?.summary).toContain('cannot verify it from here');
  });
});
