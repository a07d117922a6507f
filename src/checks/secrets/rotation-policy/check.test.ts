import { describe, expect, it } from 'vitest';
import { ORDER_PROCESSING_PROFILE } from '../../../config/profile.js';
import { evaluateCheck, outcomesOf } from '../../../engine/evaluate.js';
import type { Status } from '../../../engine/types.js';
import type { AzureKeyVaultFact } from '../../../facts/azure.js';
import type { PolicyDocs } from '../../../facts/project.js';
import { inDays, NOW, policyDocs, readySecrets, vaultFact } from '../../../../test/fixtures/zoho/facts.js';
import { check } from './check.js';

const ctx = { config: ORDER_PROCESSING_PROFILE, now: NOW };

describe('secrets.rotation-policy', () => {
  const cases: { name: string; docs?: PolicyDocs; vault?: AzureKeyVaultFact | 'failed'; failed?: boolean; status: Status; summary: RegExp }[] = [
    {
      name: 'policy with period and secrets; vault secrets expire within it',
      status: 'pass',
      summary: /^docs\/security\.md:3 states a rotation period of 90 days \("every 90 days"\) for Zoho, bot app secret; all 4 secrets in prod vault pippai-keyvault-prod carry expiry dates within 90 days of their last update$/,
    },
    { name: 'no policy document: fail', docs: policyDocs({ rotation: [] }), status: 'fail', summary: /^no documented secret rotation policy \(looked in README\.md, docs\/security\.md\)$/ },
    { name: 'no documents at all: fail', docs: { scanned: [], rotation: [] }, status: 'fail', summary: /no documents found at the root or in docs\// },
    { name: 'policy without a period: warn', docs: policyDocs({ rotation: [{ path: 'SECURITY.md', line: 9, secrets: ['Zoho'] }] }), status: 'warn', summary: /^SECURITY\.md:9 mentions rotating secrets but states no period/ },
    { name: 'policy naming no secrets: warn', docs: policyDocs({ rotation: [{ path: 'SECURITY.md', line: 9, periodDays: 30, periodText: 'monthly', secrets: [] }] }), status: 'warn', summary: /rotates monthly but does not say which secrets/ },
    {
      name: 'vault secret without expiry and one older than the period: warn',
      vault: vaultFact([
        { name: 'zoho-refresh-token', enabled: true, updatedOn: inDays(-10) },
        { name: 'bot-app-password', enabled: true, updatedOn: inDays(-200), expiresOn: inDays(30) },
      ]),
      status: 'warn',
      summary: /of 2 secrets, 1 without an expiry date \(zoho-refresh-token\); 1 not updated for longer than the 90 days of the policy \(bot-app-password: 200 days\)/,
    },
    {
      name: 'expiry farther than the period from the last update: warn',
      vault: vaultFact([{ name: 'zoho-client-secret', enabled: true, updatedOn: inDays(-1), expiresOn: inDays(364) }]),
      status: 'warn',
      summary: /1 expiring later than 90 days after their last update \(zoho-client-secret\)/,
    },
    { name: 'certificate-backed and disabled secrets are not judged', vault: vaultFact([...readySecrets(), { name: 'tls-cert', enabled: true, managed: true }, { name: 'old', enabled: false }]), status: 'pass', summary: /all 4 secrets/ },
    { name: 'no vault inventory: the expiry part is unknown', vault: 'failed', status: 'unknown', summary: /^Key Vault expiry attributes not checked: Key Vault inventory not available \(azure\.key-vault no-credentials: no Azure credentials\)$/ },
    { name: 'a document alone is not a pass: the prod vault lists zero secrets', vault: vaultFact([]), status: 'fail', summary: /holds no enabled secrets: nothing carries an expiry date/ },
    { name: 'no policy and no inventory: fail wins', docs: policyDocs({ rotation: [] }), vault: 'failed', status: 'fail', summary: /^no documented secret rotation policy/ },
    { name: 'probe failed: unknown', failed: true, status: 'unknown', summary: /^could not verify: probe project\.policies failed/ },
  ];

  it.each(cases)('$name', ({ docs, vault, failed, status, summary }) => {
    const outcomes = outcomesOf({
      'project.policies': failed ? { ok: false, reason: 'failed', detail: 'root cannot be listed' } : { ok: true, value: docs ?? policyDocs() },
      'azure.key-vault': vault === 'failed' ? { ok: false, reason: 'no-credentials', detail: 'no Azure credentials' } : { ok: true, value: vault ?? vaultFact(readySecrets()) },
    });
    const r = evaluateCheck(check, outcomes, ctx);
    expect(r.status).toBe(status);
    expect(r.summary).toMatch(summary);
    expect(r.evidence.length).toBeGreaterThan(0);
    if (r.status === 'unknown') expect(r.unverified.length).toBeGreaterThan(0);
  });
});
