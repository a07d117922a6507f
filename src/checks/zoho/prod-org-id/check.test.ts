import { describe, expect, it } from 'vitest';
import { ORDER_PROCESSING_PROFILE } from '../../../config/profile.js';
import type { Config } from '../../../config/schema.js';
import { evaluateCheck, outcomesOf } from '../../../engine/evaluate.js';
import type { Status } from '../../../engine/types.js';
import type { ZohoProdStatus } from '../../../facts/zoho.js';
import { NOW, zohoFact } from '../../../../test/fixtures/zoho/facts.js';
import { check } from './check.js';

function config(prod: string, dev = '20000001', prodSandbox = false): Config {
  const c = structuredClone(ORDER_PROCESSING_PROFILE);
  c.zoho.prod.orgId = prod;
  c.zoho.prod.sandbox = prodSandbox;
  c.zoho.dev.orgId = dev;
  return c;
}

describe('zoho.prod-org-id', () => {
  const cases: { name: string; config?: Config; value?: ZohoProdStatus; failed?: string; noProbe?: boolean; status: Status; summary: RegExp }[] = [
    { name: 'listed, active, not a sandbox', value: zohoFact(), status: 'pass', summary: /^org Pippa of London \(10234695\) is listed and active$/ },
    { name: 'TBD: fail without looking', config: config('TBD'), value: zohoFact(), status: 'fail', summary: /^zoho\.prod\.orgId is TBD/ },
    {
      name: 'prod org id equals the dev/sandbox org id',
      config: config('20000001', '20000001'),
      value: zohoFact({ orgId: '20000001', organizations: { status: 'ok', seq: 4, value: [{ id: '20000001', name: 'Pippa (Sandbox)', active: true }] } }),
      status: 'fail',
      summary: /zoho\.prod\.orgId equals the dev\/sandbox org id \(20000001\); org 20000001 is in the sandbox list of the production org/,
    },
    { name: 'zoho.prod.sandbox true', config: config('10234695', '20000001', true), value: zohoFact(), status: 'fail', summary: /zoho\.prod\.sandbox is true/ },
    {
      name: 'not among the orgs the token sees',
      value: zohoFact({ organizations: { status: 'ok', seq: 4, value: [{ id: '555', name: 'Other', active: true }] } }),
      status: 'fail',
      summary: /org 10234695 is not among the 1 organizations the production token sees \(555\)/,
    },
    {
      name: 'inactive org',
      value: zohoFact({ organizations: { status: 'ok', seq: 4, value: [{ id: '10234695', name: 'Pippa', active: false }] } }),
      status: 'fail',
      summary: /is not active \(is_org_active false\)/,
    },
    {
      name: 'name says sandbox: warn',
      value: zohoFact({ organizations: { status: 'ok', seq: 4, value: [{ id: '10234695', name: 'Pippa Sandbox', active: true }] } }),
      status: 'warn',
      summary: /name "Pippa Sandbox" says sandbox/,
    },
    {
      name: 'no sandbox API (code 57): a note, still pass',
      value: zohoFact({ sandboxes: { status: 'error', seq: 5, httpStatus: 200, code: 57, message: 'You are not authorized to perform this operation' } }),
      status: 'pass',
      summary: /is listed and active$/,
    },
    {
      name: 'organizations rate-limited: unknown with the code',
      value: zohoFact({ organizations: { status: 'rate-limited', seq: 4, httpStatus: 429, code: 45, message: 'exceeded' } }),
      status: 'unknown',
      summary: /^organizations: HTTP 429 rate limited \(code 45: exceeded\)$/,
    },
    { name: 'token refused: unknown', value: zohoFact({ token: { status: 'error', seq: 3, httpStatus: 200, error: 'invalid_client' } }), status: 'unknown', summary: /^organizations not listed: token refresh/ },
    { name: 'probe failed: unknown with its detail', failed: 'production Zoho credentials are not available to this run', status: 'unknown', summary: /^not checked against Zoho: production Zoho credentials are not available/ },
    { name: 'probe did not run: unknown', noProbe: true, status: 'unknown', summary: /the Zoho probe did not run/ },
  ];

  it.each(cases)('$name', ({ config: c, value, failed, noProbe, status, summary }) => {
    const outcomes = noProbe
      ? outcomesOf({})
      : failed !== undefined
        ? outcomesOf({ 'zoho.prod': { ok: false, reason: 'no-credentials', detail: failed } })
        : outcomesOf({ 'zoho.prod': { ok: true, value: value ?? zohoFact() } });
    const cfg = c ?? config('10234695');
    const r = evaluateCheck(check, outcomes, { config: cfg, now: NOW });
    expect(r.status).toBe(status);
    expect(r.summary).toMatch(summary);
    expect(r.evidence.length).toBeGreaterThan(0);
  });

  const run = (value: ZohoProdStatus | { failed: string }) =>
    evaluateCheck(check, outcomesOf({ 'zoho.prod': 'failed' in value ? { ok: false, reason: 'no-credentials', detail: value.failed, cause: { kind: 'no-credentials', service: 'zoho' } } : { ok: true, value } }), { config: config('10234695'), now: NOW });

  it.each([
    ['no Zoho credentials in the run', { failed: 'production Zoho credentials are not available' }, { kind: 'no-credentials', service: 'zoho' }],
    ['the accounts server not reached', zohoFact({ token: { status: 'unreachable', detail: 'ECONNREFUSED' } }), { kind: 'unreachable', endpoint: 'https://accounts.zoho.com' }],
    ['the token refresh throttled', zohoFact({ token: { status: 'throttled', seq: 3, httpStatus: 200, detail: 'Access Denied' } }), { kind: 'throttled', service: 'zoho' }],
    ['the organizations list rate limited', zohoFact({ organizations: { status: 'rate-limited', seq: 4, httpStatus: 429, code: 45 } }), { kind: 'throttled', service: 'zoho' }],
  ] as const)('unknown carries its cause: %s', (_n, value, cause) => {
    const r = run(value);
    expect(r.status).toBe('unknown');
    expect(r.unverified.map((u) => u.cause)).toEqual([cause]);
  });

  it('a prod org id listed as a sandbox of another org the token sees: fail (caught from the parent\'s side)', () => {
    const value = zohoFact({ sandboxes: { status: 'ok', seq: 5, value: [] }, sandboxesOf: [{ orgId: '555', name: 'Parent Ltd', call: { status: 'ok', seq: 6, value: ['10234695'] } }] });
    const r = run(value);
    expect(r.status).toBe('fail');
    expect(r.summary).toMatch(/org 10234695 is a sandbox of org Parent Ltd \(555\)/);
  });
});
