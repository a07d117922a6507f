import { describe, expect, it } from 'vitest';
import { fakeContext, type FakeContextOptions } from '../../../../test/helpers/fake-context.js';
import { ORDER_PROCESSING_PROFILE } from '../../../config/profile.js';
import { fingerprint } from '../../../config/dotenv.js';
import { envProbe } from './probe.js';

const ROOT = '/data/order-processing';
const SECRET = 'zoho-secret-CANARY-4d1f8e2a9c7b';
const TOKEN = '1000.8cb99d0e2f0a1b2c3d4e5f6a7b8c9d0e.f3c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5';
const PEM = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----';
const HIDDEN_IN_ODD_NAME = 'q8Fz2LxP0vRk7TnY3mWc9HbJ5sDg1AeU';

const ENV = [
  '# workflow-api',
  'NODE_ENV=production',
  `ZOHO_CLIENT_SECRET=${SECRET}`,
  `export ZOHO_REFRESH_TOKEN="${TOKEN}"`,
  'MICROSOFT_APP_PASSWORD=@Microsoft.KeyVault(VaultName=pippai-keyvault-prod;SecretName=bot-app-password)',
  'COSMOS_KEY=',
  `SIGNING="${PEM}"`,
  `SOMETHING=${HIDDEN_IN_ODD_NAME}`,
  'garbage line',
].join('\n');

function ctxWith(files: FakeContextOptions['files']) {
  return fakeContext({ root: ROOT, files, config: { ...ORDER_PROCESSING_PROFILE, env: { files: ['.env', 'workflow-api/.env', 'teams-bot/.env'] } } });
}

describe('project.env probe', () => {
  it('reads listed files, classifies keys, registers secrets, never returns values', async () => {
    const ctx = ctxWith({
      [`${ROOT}/workflow-api/.env`]: { content: ENV, mode: 0o100640, uid: 1001 },
      [`${ROOT}/teams-bot/.env`]: 'MicrosoftAppId=8f1c2d3e-4a5b-6c7d-8e9f-0a1b2c3d4e5f\n',
    });
    const r = await envProbe.collect(ctx);
    if (!r.ok) throw new Error(r.detail);
    const [api, bot] = r.value.files;
    expect(r.value.files.map((f) => f.path)).toEqual(['workflow-api/.env', 'teams-bot/.env']);
    expect(api).toMatchObject({ path: 'workflow-api/.env', mode: 0o100640, uid: 1001, gid: 0, badLines: [11] });
    expect(api?.keys.map((k) => [k.name, k.line, k.secretLike, k.reference, k.empty])).toEqual([
      ['NODE_ENV', 2, false, false, false],
      ['ZOHO_CLIENT_SECRET', 3, true, false, false],
      ['ZOHO_REFRESH_TOKEN', 4, true, false, false],
      ['MICROSOFT_APP_PASSWORD', 5, true, true, false],
      ['COSMOS_KEY', 6, true, false, true],
      ['SIGNING', 7, true, false, false],
      ['SOMETHING', 10, true, false, false],
    ]);
    expect(api?.keys.find((k) => k.name === 'ZOHO_CLIENT_SECRET')?.fingerprint).toBe(fingerprint(SECRET));
    expect(api?.keys.find((k) => k.name === 'NODE_ENV')?.fingerprint).toBeUndefined();
    expect(bot?.keys).toEqual([{ name: 'MicrosoftAppId', secretLike: false, reference: false, empty: false, line: 1 }]);

    // Every secret value goes to the redactor, PEM lines included; references and non-secrets do not.
    expect(ctx.secrets).toEqual(expect.arrayContaining([SECRET, TOKEN, PEM, HIDDEN_IN_ODD_NAME, 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7']));
    expect(ctx.secrets).not.toContain('production');
    expect(ctx.secrets.some((s) => s.includes('Microsoft.KeyVault'))).toBe(false);

    const json = JSON.stringify(r.value);
    for (const v of [SECRET, TOKEN, 'MIIEvQIBADAN', HIDDEN_IN_ODD_NAME, 'CANARY', 'production', 'pippai-keyvault-prod']) expect(json).not.toContain(v);
  });

  it('no files at all is a value: an empty list', async () => {
    expect(await envProbe.collect(ctxWith({}))).toEqual({ ok: true, value: { files: [] } });
  });

  it('a directory where a file is listed is skipped', async () => {
    const r = await envProbe.collect(ctxWith({ [`${ROOT}/.env/inner`]: 'A=1' }));
    expect(r).toEqual({ ok: true, value: { files: [] } });
  });

  it('a file the run cannot read → permission', async () => {
    const ctx = ctxWith({ [`${ROOT}/.env`]: { content: 'A=1', mode: 0o100600 } });
    ctx.readFile = async () => {
      throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    };
    const r = await envProbe.collect(ctx);
    expect(r).toEqual({ ok: false, reason: 'permission', detail: 'cannot read .env: permission denied (EACCES); run as the service user or root' });
  });

  it('other read errors → failed', async () => {
    const ctx = ctxWith({ [`${ROOT}/.env`]: 'A=1' });
    ctx.readFile = async () => {
      throw Object.assign(new Error('EIO'), { code: 'EIO' });
    };
    expect(await envProbe.collect(ctx)).toEqual({ ok: false, reason: 'failed', detail: 'cannot read .env: EIO' });
  });

  it('normalises and de-duplicates listed paths', async () => {
    const ctx = fakeContext({
      root: ROOT,
      files: { [`${ROOT}/.env`]: 'A=1' },
      config: { ...ORDER_PROCESSING_PROFILE, env: { files: ['./.env', '.env', 'x/../.env'] } },
    });
    const r = await envProbe.collect(ctx);
    expect(r.ok && r.value.files.map((f) => f.path)).toEqual(['.env']);
  });
});
