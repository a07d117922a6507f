import { isTbd } from '../../../config/tbd.js';
import { defineCheck } from '../../../engine/define.js';
import type { Evidence } from '../../../engine/types.js';
import type { ZohoWebhook } from '../../../facts/zoho.js';
import { combine, type Part } from '../../lib/parts.js';
import { callRefs, callText, callUnverified } from '../../lib/zoho.js';

const HOW_TO_CONFIRM = 'confirm in Zoho Books (prod org) → Settings → Automation → Workflow Actions → Webhooks that every URL is https://<production domain>/… and has a secret';

const sameOrSub = (host: string, domain: string): boolean => host === domain || host.endsWith(`.${domain}`);

/**
 * zoho.webhooks — the production org's webhooks point at the production domain over HTTPS
 * and carry a secret. Books documents a webhooks API (`/settings/webhooks`:
 * https://www.zoho.com/books/api/v3/webhooks); Inventory documents none, and where the API
 * does not list them the check asks a person (`manual`).
 */
export const check = defineCheck({
  meta: {
    id: 'zoho.webhooks',
    section: 'zoho',
    title: 'Zoho webhooks point at the production domain',
    severity: 'medium',
    effort: { size: 'S', hours: [1, 2] },
    remediation: {
      text: 'Re-create the Zoho workflow webhooks in the production org with the production URL (https) and a secret.',
      url: 'https://www.zoho.com/books/help/settings/automation/workflow-actions/webhooks.html',
    },
    runs: 'Zoho webhooks list (GET /books/v3/settings/webhooks) where the API offers it, else a manual confirmation',
  },
  requires: ['zoho.prod'],
  evaluate(facts, { config }) {
    const z = facts.need('zoho.prod');
    if (z.product !== 'books') {
      return { status: 'manual', summary: `Zoho Inventory has no webhooks API: ${HOW_TO_CONFIRM.replace('Zoho Books', 'Zoho Inventory')}`, evidence: [{ text: 'zoho.product: inventory' }] };
    }
    const w = z.webhooks;
    if (w.status === 'error') {
      // 401/403/404 or a non-zero code: the token's scope or the org's edition does not offer the list
      return { status: 'manual', summary: `the API did not list webhooks (${callText('webhooks', w)}): ${HOW_TO_CONFIRM}`, evidence: [{ text: callText('webhooks', w), refs: callRefs(w) }] };
    }
    if (w.status !== 'ok') {
      const u = callUnverified('webhooks', w, z);
      return { status: 'unknown', summary: callText('webhooks', w), evidence: [{ text: callText('webhooks', w), ...(callRefs(w).length > 0 ? { refs: callRefs(w) } : {}) }], ...(u ? { unverified: [u] } : {}) };
    }
    const refs = callRefs(w);
    if (w.value.length === 0) {
      return { status: 'manual', summary: `the production org has no webhooks: confirm the service needs none (${HOW_TO_CONFIRM})`, evidence: [{ text: 'GET /settings/webhooks: 0 webhooks', refs }] };
    }

    const prodTbd = isTbd(config.domain.prod);
    const prodDomain = config.domain.prod.toLowerCase();
    const devDomain = config.domain.dev.toLowerCase();
    const parts: Part[] = [];
    const label = (h: ZohoWebhook): string => `webhook "${h.name}"${h.entity !== undefined ? ` (${h.entity})` : ''}`;
    for (const h of w.value) {
      if (!h.url) {
        parts.push({ status: 'warn', text: `${label(h)} has no readable URL`, refs });
        continue;
      }
      const where = `${h.url.scheme}://${h.url.host}`;
      if (!prodTbd && sameOrSub(h.url.host, prodDomain)) {
        if (h.url.scheme !== 'https') parts.push({ status: 'warn', text: `${label(h)} → ${where}: production domain, but not https`, refs });
        else if (!h.hasSecret) parts.push({ status: 'warn', text: `${label(h)} → ${where}: production domain, but no secret is set (anyone can call it)`, refs });
        else parts.push({ status: 'pass', text: `${label(h)} → ${where} (production, https, secret set)`, refs });
      } else if (sameOrSub(h.url.host, devDomain) && devDomain !== prodDomain) {
        parts.push(
          prodTbd
            ? { status: 'warn', text: `${label(h)} → ${where}: the dev domain, and domain.prod is TBD`, refs }
            : { status: 'fail', text: `${label(h)} → ${where}: the dev domain, not production (${prodDomain})`, refs },
        );
      } else {
        parts.push({ status: 'warn', text: `${label(h)} → ${where}: neither the production${prodTbd ? ' (TBD)' : ''} nor the dev domain`, refs });
      }
    }
    const evidence: Evidence[] = [{ text: `${w.value.length} webhook${w.value.length === 1 ? '' : 's'} in org ${z.orgId}; domain.prod ${config.domain.prod}, domain.dev ${config.domain.dev}`, refs }];
    return combine(parts, evidence);
  },
});
