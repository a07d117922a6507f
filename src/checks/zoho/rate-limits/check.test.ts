import { describe, expect, it } from 'vitest';
import { ORDER_PROCESSING_PROFILE } from '../../../config/profile.js';
import type { Config } from '../../../config/schema.js';
import { evaluateCheck, outcomesOf } from '../../../engine/evaluate.js';
import type { Status } from '../../../engine/types.js';
import type { CredentialScan } from '../../../facts/project.js';
import type { ZohoProdStatus } from '../../../facts/zoho.js';
import { credScan, NOW, zohoFact } from '../../../../test/fixtures/zoho/facts.js';
import { check } from './check.js';
import { zohoLimits } from './limits.js';

function config(plan: Config['zoho']['plan'], throttle?: Config['zoho']['throttle'], product: Config['zoho']['product'] = 'books'): Config {
  const c = structuredClone(ORDER_PROCESSING_PROFILE);
  c.zoho.plan = plan;
  c.zoho.product = product;
  if (throttle) c.zoho.throttle = throttle;
  return c;
}

const envThrottle = (value: number, kind: 'per-minute' | 'per-day' | 'concurrency' = 'per-minute', name = 'ZOHO_RATE_LIMIT_PER_MINUTE'): CredentialScan =>
  credScan({ zohoThrottle: [{ name, path: 'workflow-worker/.env', line: 7, kind, value }] });

describe('zoho.rate-limits', () => {
  const cases: { name: string; config: Config; creds?: CredentialScan; zoho?: ZohoProdStatus | 'failed'; credsFailed?: boolean; status: Status; summary: RegExp }[] = [
    {
      name: 'declared throttling within the plan',
      config: config('professional', { perMinute: 90, perDay: 4500, concurrency: 8 }),
      status: 'pass',
      summary: /^zoho\.throttle\.perMinute: 90 requests per minute, within 100; zoho\.throttle\.perDay: 4500 requests per day, within 5000; zoho\.throttle\.concurrency: 8 concurrent requests, within 10$/,
    },
    { name: 'throttling declared in .env', config: config('standard'), creds: envThrottle(60), status: 'pass', summary: /^ZOHO_RATE_LIMIT_PER_MINUTE in workflow-worker\/\.env:7: 60 requests per minute, within 100$/ },
    { name: 'over the per-minute limit', config: config('professional'), creds: envThrottle(150), status: 'fail', summary: /allows 150 requests per minute, over Zoho's 100 for plan professional/ },
    { name: 'over the daily limit of the plan', config: config('standard', { perDay: 3000 }), status: 'fail', summary: /zoho\.throttle\.perDay allows 3000 requests per day, over Zoho's 2000 for plan standard/ },
    { name: 'free plan: concurrency 5', config: config('free', { perMinute: 50, concurrency: 8 }), status: 'fail', summary: /allows 8 concurrent requests, over Zoho's 5 for plan free/ },
    { name: 'nothing declared: warn with the limits', config: config('premium'), status: 'warn', summary: /the app declares no Zoho throttling .*100\/min per org, 10,000\/day, 10 concurrent/ },
    { name: 'plan TBD: warn', config: config('TBD', { perMinute: 90 }), status: 'warn', summary: /^zoho\.plan is TBD: the daily limit is between 1,000 \(Free\) and 10,000/ },
    {
      name: 'a 429 during the run: fail with the code',
      config: config('professional', { perMinute: 90 }),
      zoho: zohoFact({ organizations: { status: 'rate-limited', seq: 4, httpStatus: 429, code: 44 } }),
      status: 'fail',
      summary: /HTTP 429 code 44 \(per-minute limit exceeded: the org is blocked for the rest of the minute\): the production org is at its limit now/,
    },
    {
      name: 'X-Rate-Limit-Remaining under 10%: warn',
      config: config('professional', { perMinute: 90 }),
      zoho: zohoFact({ rateLimits: [{ call: 'organizations', seq: 4, httpStatus: 200, limit: 5000, remaining: 120, reset: 100 }] }),
      status: 'warn',
      summary: /only 120 of 5000 calls left/,
    },
    {
      name: 'token refresh throttled: warn about refreshing too often',
      config: config('professional', { perMinute: 90 }),
      zoho: zohoFact({ token: { status: 'throttled', seq: 3, httpStatus: 200, detail: 'Access Denied' } }),
      status: 'warn',
      summary: /cache the access token for its hour/,
    },
    { name: 'Zoho probe failed: the declared throttling fits, but Zoho was not asked: unknown', config: config('professional', { perMinute: 90 }), zoho: 'failed', status: 'unknown', summary: /^no live Zoho reads: / },
    { name: 'credentials probe failed: unknown', config: config('professional'), credsFailed: true, status: 'unknown', summary: /^could not verify: probe project\.credentials failed/ },
  ];

  it.each(cases)('$name', ({ config: cfg, creds, zoho, credsFailed, status, summary }) => {
    const outcomes = outcomesOf({
      'project.credentials': credsFailed ? { ok: false, reason: 'failed', detail: 'boom' } : { ok: true, value: creds ?? credScan() },
      'zoho.prod': zoho === 'failed' ? { ok: false, reason: 'no-credentials', detail: 'only in Key Vault' } : { ok: true, value: zoho ?? zohoFact() },
    });
    const r = evaluateCheck(check, outcomes, { config: cfg, now: NOW });
    expect(r.status).toBe(status);
    expect(r.summary).toMatch(summary);
    expect(r.evidence.length).toBeGreaterThan(0);
  });

  it('records observed rate-limit headers as evidence', () => {
    const r = evaluateCheck(check, outcomesOf({ 'project.credentials': { ok: true, value: credScan() }, 'zoho.prod': { ok: true, value: zohoFact() } }), { config: config('professional', { perMinute: 90 }), now: NOW });
    expect(r.evidence).toContainEqual({ text: 'observed on organizations (HTTP 200): limit 5000, remaining 4870, reset 34881', refs: [4] });
  });
});

describe('documented limits', () => {
  it.each([
    ['books', 'free', { perMinute: 100, perDay: 1000, concurrency: 5 }],
    ['books', 'standard', { perMinute: 100, perDay: 2000, concurrency: 10 }],
    ['books', 'professional', { perMinute: 100, perDay: 5000, concurrency: 10 }],
    ['books', 'ultimate', { perMinute: 100, perDay: 10000, concurrency: 10 }],
    ['inventory', 'professional', { perMinute: 100, concurrency: 10 }],
  ] as const)('%s %s', (product, plan, want) => {
    const { plan: _p, ...limits } = zohoLimits(product, plan);
    expect(limits).toEqual(want);
  });
});
