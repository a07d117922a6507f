import { afterEach, describe, expect, it } from 'vitest';
import { ORDER_PROCESSING_PROFILE } from '../../../config/profile.js';
import type { Config } from '../../../config/schema.js';
import type { HttpRequest } from '../../../engine/types.js';
import { fakeContext, type CannedExec } from '../../../../test/helpers/fake-context.js';
import { parseAzToken } from '../credentials.js';
import { AZURE_PROBES } from '../index.js';
import { NO_CREDENTIALS_FIX, sessionProbe } from './probe.js';

const SUB = '00000000-0000-0000-0000-000000000000';
const TOKEN = JSON.stringify({ accessToken: 'eyJhbGciOiJub25lIn0.eyJ4IjoxfQ.sig', expiresOn: '2026-11-26 01:00:00.000000', expires_on: 1795650000, subscription: SUB, tenant: 't', tokenType: 'Bearer' });
const GET_TOKEN = 'az account get-access-token --output json --resource https://management.azure.com';

const cfg = (over: Partial<Config['azure']> = {}): Config => ({ ...ORDER_PROCESSING_PROFILE, azure: { ...ORDER_PROCESSING_PROFILE.azure, credential: 'cli', ...over } });

describe('azure.session', () => {
  it('Azure CLI not installed → no-credentials with the fix; nothing else is run', async () => {
    const ctx = fakeContext({ config: cfg({ subscriptionId: SUB }) });
    const r = await sessionProbe.collect(ctx);
    expect(r).toEqual({ ok: false, reason: 'no-credentials', cause: { kind: 'no-credentials', service: 'azure' }, detail: `no Azure credentials (Azure CLI: az is not installed); fix: ${NO_CREDENTIALS_FIX}` });
    expect(ctx.calls.map((c) => c.join(' '))).toEqual([`${GET_TOKEN} --subscription ${SUB}`]);
    expect(NO_CREDENTIALS_FIX).toMatch(/`az login` then `az account set --subscription <subscription-id>`/);
  });

  it('not logged in → no-credentials saying so', async () => {
    const exec: Record<string, CannedExec> = { [GET_TOKEN]: { exitCode: 1, stderr: "ERROR: Please run 'az login' to setup account.\n" } };
    const r = await sessionProbe.collect(fakeContext({ config: cfg(), exec }));
    expect(r).toMatchObject({ ok: false, reason: 'no-credentials', detail: expect.stringMatching(/^no Azure credentials \(Azure CLI: not logged in\)/) });
  });

  it('the CLI login: token registered as a secret, subscription from `az account show`', async () => {
    const exec: Record<string, CannedExec> = {
      [GET_TOKEN]: { stdout: TOKEN },
      'az account show --output json': { stdout: JSON.stringify({ id: SUB, tenantId: 'tenant-1', user: { name: 'ops@example.com', type: 'user' } }) },
    };
    const ctx = fakeContext({ config: cfg(), exec });
    const r = await sessionProbe.collect(ctx);
    expect(r).toEqual({
      ok: true,
      value: { credential: 'cli', subscriptionId: SUB, subscriptionSource: 'cli', tenantId: 'tenant-1', account: 'ops@example.com', armEndpoint: 'https://management.azure.com', armScope: 'https://management.azure.com/.default' },
    });
    expect(ctx.secrets).toEqual(['eyJhbGciOiJub25lIn0.eyJ4IjoxfQ.sig']);
  });

  it('AZURE_SUBSCRIPTION_ID from the run environment, passed to az as --subscription', async () => {
    const exec: Record<string, CannedExec> = { [`${GET_TOKEN} --subscription ${SUB}`]: { stdout: TOKEN } };
    const ctx = fakeContext({ config: cfg(), exec, env: { AZURE_SUBSCRIPTION_ID: SUB } });
    const r = await sessionProbe.collect(ctx);
    expect(r).toMatchObject({ ok: true, value: { subscriptionId: SUB, subscriptionSource: 'environment' } });
  });

  it('azure.tenantId is passed as --tenant; a sovereign ARM endpoint asks for its own audience', async () => {
    const exec: Record<string, CannedExec> = { 'az account get-access-token --output json --resource https://management.chinacloudapi.cn --tenant tid': { stdout: TOKEN } };
    const r = await sessionProbe.collect(fakeContext({ config: cfg({ subscriptionId: SUB, tenantId: 'tid', armEndpoint: 'https://management.chinacloudapi.cn' }), exec }));
    expect(r).toMatchObject({ ok: true, value: { armScope: 'https://management.chinacloudapi.cn/.default', tenantId: 'tid' } });
  });

  describe('managed identity and environment', () => {
    const saved = { ...process.env };
    afterEach(() => {
      process.env = { ...saved };
    });

    it('off Azure: the metadata service is probed once with a 1 s timeout, then no-credentials', async () => {
      const seen: HttpRequest[] = [];
      const ctx = fakeContext({ config: cfg({ credential: 'managed-identity', subscriptionId: SUB }) });
      ctx.http = async (req) => {
        seen.push(req);
        throw Object.assign(new Error('connect EHOSTUNREACH 169.254.169.254:80'), { code: 'EHOSTUNREACH' });
      };
      const r = await sessionProbe.collect(ctx);
      expect(r).toMatchObject({ ok: false, reason: 'no-credentials', detail: expect.stringMatching(/managed identity: no instance metadata service at 169\.254\.169\.254/) });
      expect(seen).toEqual([{ method: 'GET', url: 'http://169.254.169.254/metadata/identity/oauth2/token', timeoutMs: 1000 }]);
    });

    it('auto with nothing configured: each source says why, in order', async () => {
      const names = new Set(['AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET', 'AZURE_CLIENT_CERTIFICATE_PATH', 'AZURE_USERNAME', 'AZURE_PASSWORD']);
      process.env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !names.has(k)));
      const seen: HttpRequest[] = [];
      const ctx = fakeContext({ config: cfg({ credential: 'auto', subscriptionId: SUB }) });
      ctx.http = async (req) => {
        seen.push(req);
        throw new Error('HTTP request timed out after 1000 ms');
      };
      const r = await sessionProbe.collect(ctx);
      expect(r.ok).toBe(false);
      // off Azure (no DMI asset tag), `auto` does not ask the metadata service at all
      expect(!r.ok && r.detail).toMatch(/^no Azure credentials \(environment: AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET .* are not set; managed identity: not an Azure VM \(DMI chassis asset tag\), not asked; Azure CLI: az is not installed\); fix: /);
      expect(seen.filter((q) => q.url.includes('169.254.169.254'))).toEqual([]);
    });

    it('auto on an Azure VM (DMI says so): the managed identity is asked', async () => {
      const names = new Set(['AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET', 'AZURE_CLIENT_CERTIFICATE_PATH', 'AZURE_USERNAME', 'AZURE_PASSWORD']);
      process.env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !names.has(k)));
      const seen: HttpRequest[] = [];
      const ctx = fakeContext({ config: cfg({ credential: 'auto', subscriptionId: SUB }), files: { '/sys/class/dmi/id/chassis_asset_tag': '7783-7084-3265-9085-8269-3286-77\n' } });
      ctx.http = async (req) => {
        seen.push(req);
        throw new Error('HTTP request timed out after 1000 ms');
      };
      await sessionProbe.collect(ctx);
      expect(seen.map((q) => q.url)).toContain('http://169.254.169.254/metadata/identity/oauth2/token');
    });
  });
});

describe('every Azure probe fails with the session failure, so every Azure check says it once', () => {
  const cause = { kind: 'no-credentials' as const, service: 'azure' as const };
  const failure = { ok: false as const, reason: 'no-credentials' as const, detail: 'no Azure credentials (...); fix: ...', cause, refs: [2], durationMs: 3 };
  it.each(Object.entries(AZURE_PROBES).filter(([id]) => id !== 'azure.session'))('%s (with the session\'s cause)', async (_id, probe) => {
    const ctx = fakeContext({ probes: { 'azure.session': failure } });
    expect(await probe.collect(ctx)).toEqual({ ok: false, reason: 'no-credentials', detail: failure.detail, cause });
    expect(ctx.calls).toEqual([]);
  });

  it('a session failure without a cause of its own is named as the session probe\'s', async () => {
    const ctx = fakeContext({ probes: { 'azure.session': { ok: false, reason: 'failed', detail: 'no subscription', refs: [], durationMs: 1 } } });
    expect(await AZURE_PROBES['azure.storage'].collect(ctx)).toMatchObject({ ok: false, cause: { kind: 'probe', probe: 'azure.session', reason: 'failed' } });
  });
});

describe('parseAzToken', () => {
  it('reads expires_on (epoch seconds), else expiresOn', () => {
    expect(parseAzToken(TOKEN, 0)).toEqual({ token: 'eyJhbGciOiJub25lIn0.eyJ4IjoxfQ.sig', expiresOnTimestamp: 1795650000_000, tokenType: 'Bearer' });
    expect(parseAzToken(JSON.stringify({ accessToken: 'a', expiresOn: '2026-11-26T01:00:00Z' }), 0).expiresOnTimestamp).toBe(Date.parse('2026-11-26T01:00:00Z'));
    expect(() => parseAzToken('not json', 0)).toThrow(/did not print JSON/);
  });
});
