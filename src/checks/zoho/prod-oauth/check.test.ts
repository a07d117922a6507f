import { describe, expect, it } from 'vitest';
import { ORDER_PROCESSING_PROFILE } from '../../../config/profile.js';
import { evaluateCheck, outcomesOf } from '../../../engine/evaluate.js';
import type { Status } from '../../../engine/types.js';
import type { ZohoProdStatus } from '../../../facts/zoho.js';
import { NOW, zohoFact } from '../../../../test/fixtures/zoho/facts.js';
import { check } from './check.js';

const ctx = { config: ORDER_PROCESSING_PROFILE, now: NOW };

describe('zoho.prod-oauth', () => {
  const cases: { name: string; value?: ZohoProdStatus; failed?: { reason: 'no-credentials' | 'disabled'; detail: string }; status: Status; summary: RegExp }[] = [
    { name: 'refresh succeeds in the configured data centre', value: zohoFact(), status: 'pass', summary: /^token refresh at accounts\.zoho\.com succeeded \(api_domain https:\/\/www\.zohoapis\.com\): the production client works in data centre com$/ },
    {
      name: 'invalid_client (HTTP 200 + error): wrong data centre or client id',
      value: zohoFact({ token: { status: 'error', seq: 3, httpStatus: 200, error: 'invalid_client' } }),
      status: 'fail',
      summary: /refused \(HTTP 200 with "error"\): invalid_client: wrong data centre or client id/,
    },
    {
      name: 'invalid_code: fails, naming the refresh token as the cause',
      value: zohoFact({ token: { status: 'error', seq: 3, httpStatus: 200, error: 'invalid_code' } }),
      status: 'fail',
      summary: /invalid_code: refresh token revoked or wrong \(client id and data centre accepted; see secrets\.zoho-prod-tokens\)$/,
    },
    {
      name: 'the account lives in another data centre than configured: warn',
      value: zohoFact({ token: { status: 'ok', seq: 3, httpStatus: 200, apiDomain: 'https://www.zohoapis.eu' } }),
      status: 'warn',
      summary: /Zoho puts the account in data centre eu while zoho\.dataCenter is com: set zoho\.dataCenter: eu$/,
    },
    {
      name: 'throttled refresh (HTTP 200 Access Denied): unknown',
      value: zohoFact({ token: { status: 'throttled', seq: 3, httpStatus: 200, detail: 'Access Denied: too many token requests' } }),
      status: 'unknown',
      summary: /throttled: Access Denied/,
    },
    { name: 'accounts server unreachable: unknown', value: zohoFact({ token: { status: 'unreachable', detail: 'connect ECONNREFUSED 127.0.0.1:9' } }), status: 'unknown', summary: /not reached: connect ECONNREFUSED/ },
    {
      name: 'probe failed (credentials only in Key Vault): unknown with how to verify',
      failed: { reason: 'no-credentials', detail: 'production Zoho credentials are not available to this run: …; predeploy never reads secret values from Key Vault' },
      status: 'unknown',
      summary: /^could not verify: probe zoho\.prod no credentials: .*never reads secret values from Key Vault/,
    },
    { name: 'offline: unknown (disabled)', failed: { reason: 'disabled', detail: 'network probes are off (--offline)' }, status: 'unknown', summary: /probe zoho\.prod disabled/ },
  ];

  it.each(cases)('$name', ({ value, failed, status, summary }) => {
    const outcomes = failed ? outcomesOf({ 'zoho.prod': { ok: false, ...failed } }) : outcomesOf({ 'zoho.prod': { ok: true, value: value ?? zohoFact() } });
    const r = evaluateCheck(check, outcomes, ctx);
    expect(r.status).toBe(status);
    expect(r.summary).toMatch(summary);
    expect(r.evidence.length).toBeGreaterThan(0);
    expect(r.blocker).toBe(true);
  });

  it('evidence says where each credential came from and cites the token call', () => {
    const r = evaluateCheck(check, outcomesOf({ 'zoho.prod': { ok: true, value: zohoFact() } }), ctx);
    expect(r.evidence.map((e) => e.text)).toContain('zoho.prod.refreshToken from ZOHO_PROD_REFRESH_TOKEN in .env:4');
    expect(r.evidence[0]?.refs).toEqual([3]);
  });
});
