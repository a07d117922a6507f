import { describe, expect, it } from 'vitest';
import { fakeContext } from '../../../../test/helpers/fake-context.js';
import { fingerprint } from '../../../config/dotenv.js';
import { ORDER_PROCESSING_PROFILE } from '../../../config/profile.js';
import type { Config } from '../../../config/schema.js';
import { credentialsProbe } from './probe.js';
import { processEnvOf, readEnvValues, resolveRef, zohoThrottleSettings } from './resolve.js';

const ROOT = '/data/order-processing';
const DEV_TOKEN = '1000.devrefreshtokenvalue.0123456789abcdef';
const PROD_SECRET = 'Abc8Q~prodBotSecret0123456789abcdefGHIJK';

function config(): Config {
  const c = structuredClone(ORDER_PROCESSING_PROFILE);
  c.env.files = ['.env', 'teams-bot/.env'];
  c.bot.prod.secret = { env: 'MICROSOFT_APP_PASSWORD_PROD', keyVaultSecret: 'bot-app-password' };
  return c;
}

const ENV_FILE = [
  `ZOHO_REFRESH_TOKEN=${DEV_TOKEN}`,
  'ZOHO_CLIENT_ID=',
  'ZOHO_CLIENT_SECRET=@Microsoft.KeyVault(VaultName=pippai-keyvault-dev;SecretName=zoho-client-secret)',
  'ZOHO_RATE_LIMIT_PER_MINUTE=90',
  'ZOHO_MAX_CONCURRENCY=5',
  'ZOHO_DAILY_LIMIT=4000',
  'ZOHO_ORG_ID=10234695',
  'ZOHO_MIN_DELAY_MS=200',
].join('\n');

describe('project.credentials probe', () => {
  it('where each reference resolved (env, .env file:line, none with the reason), never the values', async () => {
    const ctx = Object.assign(fakeContext({ root: ROOT, config: config(), files: { [`${ROOT}/.env`]: ENV_FILE, [`${ROOT}/teams-bot/.env`]: 'MICROSOFT_APP_PASSWORD=devbotpassword1\n' } }), {
      env: { MICROSOFT_APP_PASSWORD_PROD: PROD_SECRET },
    });
    const r = await credentialsProbe.collect(ctx);
    if (!r.ok) throw new Error('probe failed');
    const by = Object.fromEntries(r.value.refs.map((x) => [x.ref, x]));
    expect(by['zoho.dev.refreshToken']).toEqual({ ref: 'zoho.dev.refreshToken', env: 'ZOHO_REFRESH_TOKEN', source: { kind: 'env-file', name: 'ZOHO_REFRESH_TOKEN', path: '.env', line: 1 }, fingerprint: fingerprint(DEV_TOKEN) });
    expect(by['zoho.dev.clientId']?.source).toEqual({ kind: 'none', reason: expect.stringMatching(/^ZOHO_CLIENT_ID is empty \(\.env:2\) in the environment or the \.env files/) });
    expect(by['zoho.dev.clientSecret']?.source).toMatchObject({ kind: 'none', reason: expect.stringMatching(/^ZOHO_CLIENT_SECRET is a vault reference \(\.env:3\), not a value/) });
    expect(by['zoho.prod.refreshToken']).toMatchObject({ keyVaultSecret: 'zoho-refresh-token', source: { kind: 'none', reason: expect.stringMatching(/^only in Key Vault \(secret zoho-refresh-token\); predeploy never reads secret values from Key Vault\. To verify it, set zoho\.prod\.refreshToken\.env/) } });
    expect(by['bot.dev.secret']?.source).toEqual({ kind: 'env-file', name: 'MICROSOFT_APP_PASSWORD', path: 'teams-bot/.env', line: 1 });
    expect(by['bot.prod.secret']?.source).toEqual({ kind: 'process-env', name: 'MICROSOFT_APP_PASSWORD_PROD' });
    expect(r.value.processEnv).toBe(true);
    expect(r.value.zohoThrottle).toEqual([
      { name: 'ZOHO_RATE_LIMIT_PER_MINUTE', path: '.env', line: 4, kind: 'per-minute', value: 90 },
      { name: 'ZOHO_MAX_CONCURRENCY', path: '.env', line: 5, kind: 'concurrency', value: 5 },
      { name: 'ZOHO_DAILY_LIMIT', path: '.env', line: 6, kind: 'per-day', value: 4000 },
    ]);
    // values go to the redactor, never into the fact
    expect(ctx.secrets).toEqual(expect.arrayContaining([DEV_TOKEN, 'devbotpassword1', PROD_SECRET]));
    const json = JSON.stringify(r.value);
    for (const v of [DEV_TOKEN, 'devbotpassword1', PROD_SECRET]) expect(json).not.toContain(v);
  });

  it('without a process environment only .env files are read, and the advice says so', async () => {
    const ctx = fakeContext({ root: ROOT, config: config() });
    const r = await credentialsProbe.collect(ctx);
    if (!r.ok) throw new Error('probe failed');
    expect(r.value.processEnv).toBe(false);
    expect(r.value.refs.find((x) => x.ref === 'zoho.dev.refreshToken')?.source).toEqual({
      kind: 'none',
      reason: 'ZOHO_REFRESH_TOKEN is not set in any .env file listed in env.files; to verify, put it in a .env file listed in env.files (this build cannot read the shell environment)',
    });
  });

  it('an unreadable .env file is named, not fatal', async () => {
    const ctx = fakeContext({ root: ROOT, config: config(), files: { [`${ROOT}/.env`]: 'A=1' } });
    ctx.readFile = async () => {
      throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
    };
    const r = await credentialsProbe.collect(ctx);
    if (!r.ok) throw new Error('probe failed');
    expect(r.value.unreadable).toEqual(['.env']);
    expect(r.value.refs[0]?.source).toMatchObject({ kind: 'none', reason: expect.stringContaining('could not read .env (EACCES)') });
  });
});

describe('credential resolver', () => {
  it('the process environment wins over .env; within a file the last assignment wins', async () => {
    const ctx = fakeContext({ root: ROOT, config: config(), files: { [`${ROOT}/.env`]: 'X_TOKEN=first-value-1\nX_TOKEN=second-value-2\n' } });
    const env = await readEnvValues(ctx);
    expect(resolveRef({ ref: 'r', config: { env: 'X_TOKEN' } }, env)).toMatchObject({ value: 'second-value-2', source: { kind: 'env-file', line: 2 } });
    expect(resolveRef({ ref: 'r', config: { env: 'X_TOKEN' } }, { ...env, processEnv: (n) => (n === 'X_TOKEN' ? 'from-shell-3' : undefined) })).toMatchObject({ value: 'from-shell-3', source: { kind: 'process-env' } });
  });

  it('reads ProbeContext.env; an empty one means no process environment was given', () => {
    expect(processEnvOf(fakeContext())).toBeUndefined();
    expect(processEnvOf(fakeContext({ env: { A: 'x' } }))?.('A')).toBe('x');
    expect(processEnvOf(fakeContext({ env: { A: 'x' } }))?.('toString')).toBeUndefined();
  });

  it('throttle settings: ZOHO_* numbers by kind only', () => {
    const entries = (lines: string[]) => ({ files: [{ path: '.env', entries: lines.map((l, i) => ({ name: l.split('=')[0] ?? '', value: l.split('=')[1] ?? '', line: i + 1 })) }], unreadable: [] });
    expect(zohoThrottleSettings(entries(['ZOHO_RPM=50', 'RATE_LIMIT_PER_MINUTE=20', 'ZOHO_REQUESTS_PER_DAY=900', 'ZOHO_PARALLELISM=3', 'ZOHO_RATE_LIMIT=x'])).map((s) => [s.name, s.kind])).toEqual([
      ['ZOHO_RPM', 'per-minute'],
      ['ZOHO_REQUESTS_PER_DAY', 'per-day'],
      ['ZOHO_PARALLELISM', 'concurrency'],
    ]);
  });
});
