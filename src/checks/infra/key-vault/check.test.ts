import { describe, expect, it } from 'vitest';
import { evaluateCheck, outcomesOf } from '../../../engine/evaluate.js';
import type { AzureKeyVaultFact } from '../../../facts/azure.js';
import { config, NO_CREDENTIALS, NOW } from '../../../../test/fixtures/azure/check-context.js';
import { SECRET_NAMES, forbidden, found, keyVaultFact, notFound, secrets, tbd, vault } from '../../../../test/fixtures/azure/facts.js';
import { check } from './check.js';

const run = (fact: AzureKeyVaultFact | typeof NO_CREDENTIALS) =>
  evaluateCheck(check, outcomesOf({ 'azure.key-vault': 'ok' in fact ? fact : { ok: true, value: fact } }), { config: config(), now: NOW });

describe('infra.key-vault', () => {
  it.each([
    ['well configured, every dev secret in prod', keyVaultFact(), 'pass', /every dev secret present/],
    ['purge protection off', keyVaultFact(found(vault('prod', { purgeProtection: false }))), 'fail', /purge protection is off/],
    ['prod lacks dev secrets (by name)', keyVaultFact(found(vault('prod', { secrets: found(secrets(['zoho-client-id'])) }))), 'fail', /prod lacks 3 secret\(s\) dev has: zoho-client-secret, zoho-refresh-token, bot-app-password/],
    ['an expired secret', keyVaultFact(found(vault('prod', { secrets: found([...secrets(SECRET_NAMES.slice(1)), { name: SECRET_NAMES[0] ?? '', enabled: true, expiresOn: '2026-01-01T00:00:00.000Z' }]) }))), 'fail', /expired secrets: zoho-client-id/],
    ['open network and no audit logs', keyVaultFact(found(vault('prod', { networkDefaultAction: 'Allow', ipRuleCount: 0, diagnostics: found([]) }))), 'warn', /reachable from every network.*no diagnostic setting/],
    ['access policies instead of RBAC', keyVaultFact(found(vault('prod', { rbacAuthorization: false, accessPolicyCount: 2 }))), 'warn', /access policies/],
    ['secret names not readable (403 on the data plane)', keyVaultFact(found(vault('prod', { secrets: forbidden('Key Vault Reader (RBAC vaults) or an access policy with the secret permission List') }))), 'unknown', /secret names not readable: .*Key Vault Reader/],
    ['vault does not exist', keyVaultFact(notFound()), 'fail', /does not exist/],
    ['vault name TBD', keyVaultFact(tbd()), 'fail', /production name not decided \(TBD\)/],
    ['vault not readable (403)', keyVaultFact(forbidden()), 'unknown', /permission denied \(needs Reader\)/],
  ] as const)('%s', (_name, fact, status, summary) => {
    const r = run(fact);
    expect(r.status).toBe(status);
    expect(r.summary).toMatch(summary);
  });

  it('the dev vault was not found: never "every dev secret present", the comparison is unverified', () => {
    const r = run(keyVaultFact(found(vault('prod')), notFound()));
    expect(r.status).toBe('unknown');
    expect(r.summary).not.toMatch(/every dev secret present/);
    expect(r.summary).toMatch(/whether prod has every secret dev has is not known: the dev vault was not found/);
    expect(r.unverified).toEqual([expect.objectContaining({ probe: 'azure.key-vault', detail: expect.stringMatching(/dev Key Vault not found/) })]);
  });

  it('dev secret names forbidden: unknown with the role as the cause', () => {
    const r = run(keyVaultFact(found(vault('prod')), found(vault('dev', { secrets: forbidden('Key Vault Reader') }))));
    expect(r.status).toBe('unknown');
    expect(r.unverified).toEqual([expect.objectContaining({ cause: { kind: 'forbidden', service: 'azure', role: 'Key Vault Reader' } })]);
  });

  it.each([
    ['vault not readable (403)', keyVaultFact(forbidden()), { kind: 'forbidden', service: 'azure', role: 'Reader' }],
    ['vault name TBD', keyVaultFact(tbd('prod Key Vault name not decided (azure.prod.keyVault is TBD)')), { kind: 'undecided', key: 'azure.prod.keyVault' }],
  ] as const)('%s carries its structured cause', (_n, fact, cause) => {
    expect(run(fact).unverified.map((u) => u.cause)).toEqual([cause]);
  });

  it('cites the vault GET and the secrets listing', () => {
    const r = run(keyVaultFact());
    expect(r.evidence[0]?.refs).toEqual([7]);
    expect(r.evidence.some((e) => e.refs?.includes(12))).toBe(true);
  });

  it('probe failed (no credentials) → unknown with the reason', () => {
    const r = run(NO_CREDENTIALS);
    expect(r.status).toBe('unknown');
    expect(r.summary).toMatch(/no credentials: no Azure credentials/);
  });
});
