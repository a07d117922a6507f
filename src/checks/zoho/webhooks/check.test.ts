import { describe, expect, it } from 'vitest';
import { ORDER_PROCESSING_PROFILE } from '../../../config/profile.js';
import type { Config } from '../../../config/schema.js';
import { evaluateCheck, outcomesOf } from '../../../engine/evaluate.js';
import type { Status } from '../../../engine/types.js';
import type { ZohoProdStatus, ZohoWebhook } from '../../../facts/zoho.js';
import { NOW, zohoFact } from '../../../../test/fixtures/zoho/facts.js';
import { check } from './check.js';

function config(prod = 'orders.pippaoflondon.co.uk'): Config {
  const c = structuredClone(ORDER_PROCESSING_PROFILE);
  c.domain.prod = prod;
  return c;
}
const hook = (host: string, o: Partial<ZohoWebhook> = {}): ZohoWebhook => ({ name: 'invoice paid', entity: 'invoice', url: { scheme: 'https', host, hasQuery: false }, hasSecret: true, ...o });
const withHooks = (...hooks: ZohoWebhook[]) => zohoFact({ webhooks: { status: 'ok', seq: 6, value: hooks } });

describe('zoho.webhooks', () => {
  const cases: { name: string; config?: Config; value?: ZohoProdStatus; failed?: boolean; status: Status; summary: RegExp }[] = [
    { name: 'all on the production domain, https, with a secret', value: withHooks(hook('orders.pippaoflondon.co.uk')), status: 'pass', summary: /^webhook "invoice paid" \(invoice\) → https:\/\/orders\.pippaoflondon\.co\.uk \(production, https, secret set\)$/ },
    { name: 'one still on the dev domain: fail', value: withHooks(hook('orders.pippaoflondon.co.uk'), hook('processing.pippaoflondon.co.uk', { name: 'so created' })), status: 'fail', summary: /webhook "so created" \(invoice\) → https:\/\/processing\.pippaoflondon\.co\.uk: the dev domain, not production/ },
    { name: 'dev domain while domain.prod is TBD: warn', config: config('TBD'), value: withHooks(hook('processing.pippaoflondon.co.uk')), status: 'warn', summary: /the dev domain, and domain\.prod is TBD/ },
    { name: 'no secret: warn', value: withHooks(hook('orders.pippaoflondon.co.uk', { hasSecret: false })), status: 'warn', summary: /no secret is set/ },
    { name: 'plain http: warn', value: withHooks(hook('orders.pippaoflondon.co.uk', { url: { scheme: 'http', host: 'orders.pippaoflondon.co.uk', hasQuery: false } })), status: 'warn', summary: /not https/ },
    { name: 'another host: warn', value: withHooks(hook('hooks.zapier.com')), status: 'warn', summary: /neither the production nor the dev domain/ },
    { name: 'no webhooks: manual', value: withHooks(), status: 'manual', summary: /^the production org has no webhooks: confirm the service needs none/ },
    {
      name: 'the API does not list them (code 57): manual with how to confirm',
      value: zohoFact({ webhooks: { status: 'error', seq: 6, httpStatus: 200, code: 57, message: 'You are not authorized to perform this operation' } }),
      status: 'manual',
      summary: /^the API did not list webhooks .*Settings → Automation → Workflow Actions → Webhooks/,
    },
    { name: 'Inventory: manual', value: zohoFact({ product: 'inventory', webhooks: { status: 'skipped', detail: 'Zoho Inventory documents no webhooks API' } }), status: 'manual', summary: /^Zoho Inventory has no webhooks API/ },
    { name: 'not read (no token): unknown', value: zohoFact({ webhooks: { status: 'skipped', detail: 'no access token (token refresh error)' } }), status: 'unknown', summary: /^webhooks: not read — no access token/ },
    { name: 'probe failed: unknown', failed: true, status: 'unknown', summary: /^could not verify: probe zoho\.prod no credentials/ },
  ];

  it.each(cases)('$name', ({ config: cfg, value, failed, status, summary }) => {
    const outcomes = failed ? outcomesOf({ 'zoho.prod': { ok: false, reason: 'no-credentials', detail: 'only in Key Vault' } }) : outcomesOf({ 'zoho.prod': { ok: true, value: value ?? zohoFact() } });
    const r = evaluateCheck(check, outcomes, { config: cfg ?? config(), now: NOW });
    expect(r.status).toBe(status);
    expect(r.summary).toMatch(summary);
    expect(r.evidence.length).toBeGreaterThan(0);
  });
});
