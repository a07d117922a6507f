import { describe, expect, it } from 'vitest';
import { ORDER_PROCESSING_PROFILE } from '../../../config/profile.js';
import type { Config } from '../../../config/schema.js';
import { evaluateCheck, outcomesOf } from '../../../engine/evaluate.js';
import type { Status } from '../../../engine/types.js';
import type { AzureKeyVaultFact } from '../../../facts/azure.js';
import type { CredentialScan } from '../../../facts/project.js';
import type { ZohoProdStatus } from '../../../facts/zoho.js';
import { credScan, NOW, readySecrets, vaultFact, zohoFact } from '../../../../test/fixtures/zoho/facts.js';
import { check } from './check.js';

function config(prodOrg = '10234695', devOrg = '20000001'): Config {
  const c = structuredClone(ORDER_PROCESSING_PROFILE);
  c.zoho.prod.orgId = prodOrg;
  c.zoho.dev.orgId = devOrg;
  return c;
}

describe('secrets.zoho-prod-tokens', () => {
  const cases: {
    name: string;
    config?: Config;
    creds?: CredentialScan;
    zoho?: ZohoProdStatus | { failed: string };
    vault?: AzureKeyVaultFact;
    status: Status;
    summary: RegExp;
  }[] = [
    { name: 'works and sees the production org', status: 'pass', summary: /^the production refresh token works and sees production org Pippa of London \(10234695\)$/ },
    {
      name: 'prod resolves the same refresh token as dev: fail even before any request',
      creds: credScan({ devToken: 'aaaa1111', prodToken: 'aaaa1111' }),
      zoho: { failed: 'production Zoho credentials are not available to this run' },
      status: 'fail',
      summary: /^production resolves the same refresh token as dev\/sandbox \(fingerprint aaaa1111: prod from ZOHO_PROD_REFRESH_TOKEN in \.env:3, dev from ZOHO_REFRESH_TOKEN in \.env:3\)$/,
    },
    { name: 'different dev and prod tokens are fine', creds: credScan({ devToken: 'aaaa1111', prodToken: 'bbbb2222' }), status: 'pass', summary: /^the production refresh token works/ },
    { name: 'invalid_code: fail', zoho: zohoFact({ token: { status: 'error', seq: 3, httpStatus: 200, error: 'invalid_code' } }), status: 'fail', summary: /^the production refresh token does not work: invalid_code: refresh token revoked or wrong$/ },
    {
      name: 'invalid_client: the token cannot be tried (unknown; zoho.prod-oauth fails)',
      zoho: zohoFact({ token: { status: 'error', seq: 3, httpStatus: 200, error: 'invalid_client' } }),
      status: 'unknown',
      summary: /^the refresh token could not be tried: .*invalid_client: wrong data centre or client id \(the accounts server does not know this client\) \(see zoho\.prod-oauth\)$/,
    },
    {
      name: 'works but does not see the production org',
      zoho: zohoFact({ organizations: { status: 'ok', seq: 4, value: [{ id: '20000001', name: 'Pippa (Sandbox)', active: true }] } }),
      status: 'fail',
      summary: /does not see production org 10234695: it belongs to another org or environment \(it sees: Pippa \(Sandbox\) \(20000001\)\)$/,
    },
    {
      name: 'the org configured as production is the sandbox',
      config: config('20000001'),
      zoho: zohoFact({ orgId: '20000001', organizations: { status: 'ok', seq: 4, value: [{ id: '20000001', name: 'Pippa (Sandbox)', active: true }] } }),
      status: 'fail',
      summary: /the org it serves as production \(20000001\) is a sandbox: zoho\.prod\.orgId is the dev\/sandbox org id$/,
    },
    { name: 'prod org id TBD: unknown, listing what it sees', config: config('TBD'), zoho: zohoFact({ orgId: 'TBD' }), status: 'unknown', summary: /zoho\.prod\.orgId is TBD so its org cannot be judged \(it sees: Pippa of London \(10234695\)\)$/ },
    { name: 'rate-limited organizations: unknown', zoho: zohoFact({ organizations: { status: 'rate-limited', seq: 4, httpStatus: 429, code: 45 } }), status: 'unknown', summary: /^the token works, but organizations: HTTP 429 rate limited/ },
    {
      name: 'credentials only in Key Vault: unknown with the probe’s how-to',
      zoho: { failed: 'production Zoho credentials are not available to this run: zoho.prod.refreshToken (Key Vault secret zoho-refresh-token); predeploy never reads secret values from Key Vault' },
      status: 'unknown',
      summary: /^not tried: production Zoho credentials are not available to this run: .*never reads secret values from Key Vault$/,
    },
    {
      name: 'the vault inventory lacks the secret name: fail',
      vault: vaultFact(readySecrets().filter((s) => s.name !== 'zoho-refresh-token')),
      status: 'fail',
      summary: /^secret zoho-refresh-token is not in prod vault pippai-keyvault-prod$/,
    },
  ];

  it.each(cases)('$name', ({ config: cfg, creds, zoho, vault, status, summary }) => {
    const outcomes = outcomesOf({
      'project.credentials': { ok: true, value: creds ?? credScan() },
      'zoho.prod': zoho && 'failed' in zoho ? { ok: false, reason: 'no-credentials', detail: zoho.failed } : { ok: true, value: zoho ?? zohoFact() },
      'azure.key-vault': { ok: true as const, value: vault ?? vaultFact(readySecrets()) },
    });
    const r = evaluateCheck(check, outcomes, { config: cfg ?? config(), now: NOW });
    expect(r.status).toBe(status);
    expect(r.summary).toMatch(summary);
    expect(r.evidence.length).toBeGreaterThan(0);
    expect(r.blocker).toBe(true);
  });

  it('probe failed: unknown with the reason', () => {
    const r = evaluateCheck(check, outcomesOf({ 'project.credentials': { ok: false, reason: 'permission', detail: 'cannot read .env' } }), { config: config(), now: NOW });
    expect(r.status).toBe('unknown');
    expect(r.summary).toBe('could not verify: probe project.credentials permission denied: cannot read .env');
  });

  it('with the vault inventory, the secret’s presence is evidence', () => {
    const r = evaluateCheck(
      check,
      outcomesOf({ 'project.credentials': { ok: true, value: credScan() }, 'zoho.prod': { ok: true, value: zohoFact() }, 'azure.key-vault': { ok: true, value: vaultFact(readySecrets()) } }),
      { config: config(), now: NOW },
    );
    expect(r.status).toBe('pass');
    expect(r.evidence.map((e) => e.text)).toContain('secret zoho-refresh-token is in prod vault pippai-keyvault-prod (enabled, expires 2027-02-14)');
  });
});
