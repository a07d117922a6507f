import { describe, expect, it } from 'vitest';
import { ORDER_PROCESSING_PROFILE } from '../../../config/profile.js';
import { evaluateCheck, outcomesOf } from '../../../engine/evaluate.js';
import type { Status } from '../../../engine/types.js';
import type { AzureBotFact, AzureKeyVaultFact } from '../../../facts/azure.js';
import type { BotCredentialsStatus } from '../../../facts/bot.js';
import { botFact, botResource, inDays, NOW, readySecrets, vaultFact } from '../../../../test/fixtures/zoho/facts.js';
import { check } from './check.js';

const ctx = { config: ORDER_PROCESSING_PROFILE, now: NOW };
const graphOk = (creds: { endDateTime?: string; matchesConfigured?: boolean; displayName?: string }[], keyCredentialCount = 0): BotCredentialsStatus['graph'] => ({
  status: 'ok',
  seq: 9,
  via: 'azure-identity',
  passwordCredentials: creds.map((c, i) => ({ keyId: `k${i}`, ...c })),
  keyCredentialCount,
});

describe('secrets.bot-credentials', () => {
  const cases: { name: string; value?: BotCredentialsStatus; vault?: AzureKeyVaultFact | 'failed'; bot?: AzureBotFact; failed?: boolean; status: Status; summary: RegExp }[] = [
    {
      name: 'in the vault, token works, secret ends in 200 days',
      status: 'pass',
      summary: /^secret bot-app-password is in prod vault pippai-keyvault-prod \(enabled, expires 2027-02-14\); a client-credentials token request with the app secret succeeded \(authority 22222222-.*\); the configured client secret "prod" expires on 2027-06-14 \(200 days\)$/,
    },
    { name: 'not in the prod vault by name: fail', vault: vaultFact(readySecrets().filter((s) => s.name !== 'bot-app-password')), status: 'fail', summary: /^secret bot-app-password is not in prod vault pippai-keyvault-prod$/ },
    { name: 'disabled in the vault: fail', vault: vaultFact([{ name: 'BOT-APP-PASSWORD', enabled: false }]), status: 'fail', summary: /^secret bot-app-password in pippai-keyvault-prod is disabled$/ },
    { name: 'the prod vault does not exist: fail', vault: vaultFact([], 'not-found'), status: 'fail', summary: /cannot be in the prod vault: the prod Key Vault was not found/ },
    { name: 'the prod vault is TBD: unknown part', vault: vaultFact([], 'tbd'), status: 'unknown', summary: /the prod Key Vault is TBD \(azure\.prod\.keyVault\)$/ },
    { name: 'no vault inventory: unknown part, the other parts still judged', vault: 'failed', status: 'unknown', summary: /^the bot app secret in the prod vault by name \(bot-app-password\): Key Vault inventory not available \(azure\.key-vault no-credentials: no Azure credentials\)$/ },
    {
      name: 'expired secret (AADSTS7000222): fail',
      value: botFact({ token: { status: 'rejected', seq: 7, httpStatus: 401, error: 'invalid_client', aadsts: [7000222] } }),
      status: 'fail',
      summary: /^Entra refused the app secret: invalid_client \(AADSTS7000222 — the client secret has expired\)$/,
    },
    {
      name: 'wrong secret (AADSTS7000215): fail',
      value: botFact({ token: { status: 'rejected', seq: 7, httpStatus: 401, error: 'invalid_client', aadsts: [7000215] } }),
      status: 'fail',
      summary: /AADSTS7000215 — invalid client secret/,
    },
    { name: 'configured secret expired per Graph: fail', value: botFact({ graph: graphOk([{ endDateTime: inDays(-2), matchesConfigured: true, displayName: 'prod' }]) }), status: 'fail', summary: /^the configured client secret "prod" expired on 2026-11-24$/ },
    { name: 'configured secret ends in 12 days: warn', value: botFact({ graph: graphOk([{ endDateTime: inDays(12), matchesConfigured: true }]) }), status: 'warn', summary: /^the configured client secret expires on 2026-12-08, in 12 days \(under 30\)$/ },
    {
      name: 'secret value unknown to the run: every current secret judged, soonest first',
      value: botFact({ token: { status: 'skipped', reason: 'no-secret', detail: 'only in Key Vault (secret bot-app-password); predeploy never reads secret values from Key Vault' }, graph: graphOk([{ endDateTime: inDays(-40) }, { endDateTime: inDays(300) }]) }),
      status: 'unknown',
      summary: /^validity not verified: only in Key Vault/,
    },
    { name: 'every secret of the app expired: fail', value: botFact({ graph: graphOk([{ endDateTime: inDays(-40) }, { endDateTime: inDays(-5) }]) }), status: 'fail', summary: /^every client secret of the app has expired \(latest ended 2026-11-21\)$/ },
    { name: 'no secret matches the configured one: warn', value: botFact({ graph: graphOk([{ endDateTime: inDays(300), matchesConfigured: false }]) }), status: 'warn', summary: /none of the app's 1 client secret\(s\) starts like the configured one/ },
    { name: 'app has no client secret: fail', value: botFact({ graph: graphOk([]) }), status: 'fail', summary: /^the app registration has no client secret$/ },
    {
      name: 'no Graph permission: unknown naming Application.Read.All',
      value: botFact({ graph: { status: 'forbidden', seq: 9, via: 'azure-identity', httpStatus: 403, code: 'Authorization_RequestDenied' } }),
      status: 'unknown',
      summary: /^Graph refused to read the app registration \(HTTP 403 Authorization_RequestDenied\): the Azure identity of this run lacks Application\.Read\.All; grant it/,
    },
    { name: 'verifyToken false: validity not scored, noted', value: botFact({ token: { status: 'skipped', reason: 'opt-out', detail: 'bot.verifyToken is false' } }), status: 'pass', summary: /expires on 2027-06-14 \(200 days\)$/ },
    { name: 'managed identity (config): manual, not verifiable from outside Azure', value: botFact({ appType: 'UserAssignedMSI' }), status: 'manual', summary: /user-assigned managed identity: .*cannot verify it from here/ },
    { name: 'managed identity (Azure Bot resource): manual', value: botFact({ appType: undefined }), bot: botResource('UserAssignedMSI'), status: 'manual', summary: /managed identity/ },
    { name: 'app id TBD: unknown', value: botFact({ appId: 'TBD' }), status: 'unknown', summary: /^the bot app id is TBD/ },
    { name: 'probe failed: unknown with the reason', failed: true, status: 'unknown', summary: /^could not verify: probe bot\.credentials disabled/ },
  ];

  it.each(cases)('$name', ({ value, vault, bot, failed, status, summary }) => {
    const outcomes = outcomesOf({
      'bot.credentials': failed ? { ok: false, reason: 'disabled', detail: 'network probes are off (--offline)' } : { ok: true, value: value ?? botFact() },
      'azure.key-vault': vault === 'failed' ? { ok: false, reason: 'no-credentials', detail: 'no Azure credentials' } : { ok: true, value: vault ?? vaultFact(readySecrets()) },
      // Azure's bot resource answers (a SingleTenant app) unless a case says otherwise
      'azure.bot': { ok: true as const, value: bot ?? botResource('SingleTenant') },
    });
    const r = evaluateCheck(check, outcomes, ctx);
    expect(r.status).toBe(status);
    expect(r.summary).toMatch(summary);
    expect(r.evidence.length).toBeGreaterThan(0);
    expect(r.blocker).toBe(true);
  });

  it('the Azure Bot resource not read: unknown, naming azure.bot (it could have said managed identity)', () => {
    const r = evaluateCheck(check, outcomesOf({ 'bot.credentials': { ok: true, value: botFact() }, 'azure.key-vault': { ok: true, value: vaultFact(readySecrets()) }, 'azure.bot': { ok: false, reason: 'no-credentials', detail: 'no Azure credentials' } }), ctx);
    expect(r.status).toBe('unknown');
    expect(r.unverified.map((u) => u.probe)).toEqual(['azure.bot']);
  });

  it('evidence lists every part, worst first, with the calls it came from', () => {
    const r = evaluateCheck(
      check,
      outcomesOf({ 'bot.credentials': { ok: true, value: botFact({ graph: { status: 'forbidden', seq: 9, via: 'azure-identity', httpStatus: 403 } }) }, 'azure.key-vault': { ok: true, value: vaultFact(readySecrets()) }, 'azure.bot': { ok: true, value: botResource('SingleTenant') } }),
      ctx,
    );
    expect(r.evidence.slice(0, 3).map((e) => [e.text.split(':')[0], e.refs])).toEqual([
      ['unknown', [9]],
      ['pass', [12]],
      ['pass', [7]],
    ]);
  });

  const causes = (value: BotCredentialsStatus, vault: AzureKeyVaultFact = vaultFact(readySecrets())) =>
    evaluateCheck(check, outcomesOf({ 'bot.credentials': { ok: true, value }, 'azure.key-vault': { ok: true, value: vault }, 'azure.bot': { ok: true, value: botResource('SingleTenant') } }), ctx).unverified.map((u) => u.cause);

  it.each([
    ['Graph 403: the Application.Read.All permission', botFact({ graph: { status: 'forbidden', seq: 9, via: 'azure-identity', httpStatus: 403 } }), { kind: 'forbidden', service: 'graph', role: 'Application.Read.All' }],
    ['no bot secret in the run: no bot credentials', botFact({ token: { status: 'skipped', reason: 'no-secret', detail: 'only in Key Vault' } }), { kind: 'no-credentials', service: 'bot' }],
    ['Entra not reached', botFact({ token: { status: 'unreachable', detail: 'ECONNREFUSED' } }), { kind: 'unreachable', endpoint: 'Microsoft Entra ID' }],
  ] as const)('unknown parts carry their cause: %s', (_n, value, cause) => {
    expect(causes(value)).toEqual([cause]);
  });

  it('the prod vault TBD: the undecided key', () => {
    expect(causes(botFact(), vaultFact(readySecrets(), 'tbd'))).toEqual([{ kind: 'undecided', key: 'azure.prod.keyVault' }]);
  });
});
