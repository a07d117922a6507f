/**
 * Invariant 2 (docs/ARCHITECTURE.md) for the Zoho and bot probes, end to end through the in-process CLI:
 * a run WITHOUT --offline against loopback fakes of the Zoho accounts/API servers and of the
 * Entra token + Graph endpoints. Canaries are planted in `.env`, in predeploy.yaml, and in the
 * fakes' answers (the access tokens, a refresh token echoed in an error body, Graph
 * `secretText` and `hint`, a webhook secret); none may appear in any output file, stdout or
 * stderr. `--only secrets,zoho` keeps the run to these checks (secrets.bot-credentials is in
 * the secrets section) and away from host tools and other parts' network probes.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ScriptedTarget } from '../integration/zoho/harness.js';
import { cli } from '../helpers/cli.js';
import { startFakeEntra } from '../servers/fake-entra.js';
import { startFakeZoho } from '../servers/fake-zoho.js';

const TENANT = '22222222-2222-2222-2222-222222222222';
const APP = '33333333-3333-3333-3333-333333333333';
const ENV_CANARIES = {
  ZOHO_PROD_CLIENT_ID: '1000.CANARYPRODCLIENTQ7W3E9R1T5Y',
  ZOHO_PROD_CLIENT_SECRET: 'canaryZohoProdSecret8d7c6b5a4f3e',
  // not hex after `1000.`: only the known-secret layer of the redactor can hide it
  ZOHO_PROD_REFRESH_TOKEN: '1000.c4n4ryr3fr3sh0k3n.9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d',
  ZOHO_REFRESH_TOKEN: '1000.c4n4rysandb0xt0k3n.1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d',
  MICROSOFT_APP_PASSWORD_PROD: 'Zq4Q~canaryBotSecret.0123456789abcdefGHIJ',
};
const ACCESS_TOKEN = '1000.c4n4ryacce55.ffeeddccbbaa99887766554433221100';
const BOT_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjYW5hcnktYm90In0.Y2FuYXJ5Qm90U2lnbmF0dXJl';
const GRAPH_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjYW5hcnktZ3JhcGgifQ.Y2FuYXJ5R3JhcGhTaWduYXR1cmU';
const SECRET_TEXT = 'canarySecretText~9Hq2Wm5Zr8Tv1Xy4';
const HINT = ENV_CANARIES.MICROSOFT_APP_PASSWORD_PROD.slice(0, 10);
const WEBHOOK_SECRET = 'canaryWebhookSecret5K8m2P';
const YAML_PASSWORD = 'canaryYamlProxyPass77';

const CANARIES = [...Object.values(ENV_CANARIES), ACCESS_TOKEN, BOT_TOKEN, GRAPH_TOKEN, SECRET_TEXT, HINT, WEBHOOK_SECRET, YAML_PASSWORD, 'c4n4ryr3fr3sh0k3n', 'c4n4ryacce55', 'Y2FuYXJ5Qm90U2lnbmF0dXJl', 'Y2FuYXJ5R3JhcGhTaWduYXR1cmU'];

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function leaks(texts: Record<string, string>): string[] {
  const found: string[] = [];
  for (const [where, text] of Object.entries(texts)) for (const c of CANARIES) if (text.includes(c)) found.push(`${c.slice(0, 12)}… in ${where}`);
  return found;
}

async function project(o: { revoked: boolean; expired: boolean }): Promise<string> {
  const zoho = await startFakeZoho({
    client: { id: ENV_CANARIES.ZOHO_PROD_CLIENT_ID, secret: ENV_CANARIES.ZOHO_PROD_CLIENT_SECRET },
    refreshTokens: o.revoked ? [] : [ENV_CANARIES.ZOHO_PROD_REFRESH_TOKEN],
    echoRefreshToken: true,
    accessToken: ACCESS_TOKEN,
    organizations: [{ id: '10234695', name: 'Pippa of London' }],
    sandboxes: ['20000001'],
    webhooks: [{ name: 'invoice paid', url: 'https://orders.pippaoflondon.co.uk/hooks/zoho', secret: WEBHOOK_SECRET, headers: [{ key: 'X-Key', value: WEBHOOK_SECRET }] }],
    rateLimitHeaders: { limit: 5000, remaining: 4900, reset: 3000 },
  });
  const entra = await startFakeEntra({
    tenantId: TENANT,
    app: { id: APP, secret: ENV_CANARIES.MICROSOFT_APP_PASSWORD_PROD },
    secretExpired: o.expired,
    botToken: BOT_TOKEN,
    graphToken: GRAPH_TOKEN,
    appCanReadApplications: true,
    passwordCredentials: [{ keyId: 'f0b0b335-1d71-4883-8f98-567911bfdca6', displayName: 'prod', hint: HINT, secretText: SECRET_TEXT, endDateTime: '2030-01-01T00:00:00Z' }],
  });
  servers.push(zoho, entra);
  const dir = mkdtempSync(join(tmpdir(), 'predeploy-canary-zoho-'));
  const env = [...Object.entries(ENV_CANARIES).map(([k, v]) => `${k}=${v}`), 'ZOHO_RATE_LIMIT_PER_MINUTE=90', 'NODE_ENV=production'];
  writeFileSync(join(dir, '.env'), env.join('\n') + '\n', { mode: 0o600 });
  const withPassword = (url: string) => url.replace('http://', `http://proxy:${YAML_PASSWORD}@`);
  writeFileSync(
    join(dir, 'predeploy.yaml'),
    [
      'profile: order-processing',
      'domain:',
      '  prod: orders.pippaoflondon.co.uk',
      'env:',
      '  files: [".env"]',
      'azure:',
      '  credential: cli',
      'zoho:',
      '  plan: professional',
      `  accountsUrl: "${withPassword(zoho.url)}"`,
      `  apiUrl: "${zoho.url}"`,
      '  dev:',
      '    orgId: "20000001"',
      '  prod:',
      '    orgId: "10234695"',
      '    clientId: { env: ZOHO_PROD_CLIENT_ID, keyVaultSecret: zoho-client-id }',
      '    clientSecret: { env: ZOHO_PROD_CLIENT_SECRET, keyVaultSecret: zoho-client-secret }',
      '    refreshToken: { env: ZOHO_PROD_REFRESH_TOKEN, keyVaultSecret: zoho-refresh-token }',
      'bot:',
      '  registration: separate',
      `  loginUrl: "${entra.url}"`,
      `  graphUrl: "${entra.url}"`,
      '  prod:',
      `    appId: "${APP}"`,
      `    tenantId: "${TENANT}"`,
      '    appType: SingleTenant',
      '    secret: { env: MICROSOFT_APP_PASSWORD_PROD, keyVaultSecret: bot-app-password }',
      '',
    ].join('\n'),
  );
  return dir;
}

interface ReportJson {
  results: { id: string; status: string; summary: string }[];
}

describe('no secret in any output: Zoho and bot probes against loopback fakes', () => {
  it.each([
    { name: 'ready', revoked: false, expired: false },
    { name: 'revoked refresh token echoed back, expired bot secret', revoked: true, expired: true },
  ])('$name', async ({ revoked, expired }) => {
    const dir = await project({ revoked, expired });
    const r = await cli(['assess', '--only', 'secrets,zoho'], { env: { OP_ROOT: dir, OP_RUN_ID: 'canary-zoho' }, target: new ScriptedTarget() });
    expect(r.stderr).not.toMatch(/Error|at .*\.ts:\d+/);
    const runDir = join(dir, '_codex_predeploy', 'canary-zoho');
    const texts: Record<string, string> = { stdout: r.stdout, stderr: r.stderr };
    for (const f of readdirSync(runDir)) texts[f] = readFileSync(join(runDir, f), 'utf8');
    expect(leaks(texts)).toEqual([]);

    // the calls were made and logged (redacted), not skipped
    const log = texts['13_PRODUCTION_DEPLOY_COMMANDS.log'] ?? '';
    expect(log).toMatch(/http POST http:\/\/proxy:\[REDACTED[^\]]*\]@127\.0\.0\.1:\d+\/oauth\/v2\/token → 200/);
    expect(log).toMatch(/http POST http:\/\/127\.0\.0\.1:\d+\/22222222-2222-2222-2222-222222222222\/oauth2\/v2\.0\/token → (200|401)/);
    expect(log).toContain('REDACTED');

    const report = JSON.parse(texts['report.json'] ?? '{}') as ReportJson;
    const status = Object.fromEntries(report.results.map((x) => [x.id, x.status]));
    for (const x of report.results) expect(x.summary, x.id).not.toMatch(/not assessed/);
    expect(status['secrets.in-key-vault']).toBe('fail'); // plaintext canaries in .env
    if (!revoked) {
      expect(status['zoho.prod-oauth']).toBe('pass');
      expect(status['zoho.prod-org-id']).toBe('pass');
      expect(status['zoho.webhooks']).toBe('pass');
      expect(status['zoho.rate-limits']).toBe('pass');
    } else {
      expect(status['secrets.zoho-prod-tokens']).toBe('fail');
      expect(status['zoho.prod-oauth']).toBe('fail');
      expect(status['secrets.bot-credentials']).toBe('fail');
    }
  });
});
