import { defineCheck } from '../../../engine/define.js';
import type { Evidence } from '../../../engine/types.js';
import type { ThrottleSetting } from '../../../facts/project.js';
import type { ZohoCall } from '../../../facts/zoho.js';
import { combine, type Part } from '../../lib/parts.js';
import { callRefs } from '../../lib/zoho.js';
import { unverifiedOf } from '../../lib/failure.js';
import { RATE_LIMIT_CODES, zohoLimits } from './limits.js';

type Kind = ThrottleSetting['kind'];

interface Declared {
  kind: Kind;
  value: number;
  where: string;
}

const KIND_TEXT: Record<Kind, string> = { 'per-minute': 'requests per minute', 'per-day': 'requests per day', concurrency: 'concurrent requests' };

/**
 * 10000 → "10,000" (what `toLocaleString('en-GB')` prints for a whole number, without loading
 * the ICU number formatter: that costs more than the rest of the check).
 */
const thousands = (n: number): string => (Number.isInteger(n) && n >= 0 ? String(n).replace(/\B(?=(\d{3})+$)/g, ',') : n.toLocaleString('en-GB'));

/** Below this share of the window left, the observed headers warn. */
const LOW_REMAINING = 0.1;

/**
 * zoho.rate-limits — the app's own throttling (predeploy.yaml `zoho.throttle`, or `ZOHO_*`
 * numbers in `.env`) fits the documented per-minute, daily-per-plan and concurrency limits of
 * the configured plan; a 429 seen during the run, or `X-Rate-Limit-Remaining` near zero, says
 * the org is at its limit now. Headers are recorded as evidence (undocumented, observed:
 * https://github.com/Weble/ZohoBooksApi/issues/38).
 */
export const check = defineCheck({
  meta: {
    id: 'zoho.rate-limits',
    section: 'zoho',
    title: "The service's Zoho call rate fits the plan's per-minute, daily and concurrency limits",
    severity: 'medium',
    effort: { size: 'S', hours: [1, 3] },
    remediation: {
      text:
        "Set zoho.plan, throttle the worker below 100 requests/minute per org, the plan's daily limit and its concurrency (5 Free, 10 paid), " +
        'declare it (zoho.throttle in predeploy.yaml, or ZOHO_RATE_LIMIT_PER_MINUTE / ZOHO_DAILY_LIMIT / ZOHO_MAX_CONCURRENCY in .env), back off on HTTP 429, ' +
        'and cache the access token for its hour (Zoho allows 10 refreshes per 10 minutes).',
      url: 'https://www.zoho.com/books/api/v3/introduction/#api-call-limit',
    },
    runs: "documented limits for zoho.plan vs the app's configured throttling; rate-limit headers observed",
  },
  requires: ['project.credentials'],
  uses: ['zoho.prod'],
  evaluate(facts, { config }) {
    const { product, plan, throttle } = config.zoho;
    const limits = zohoLimits(product, plan);
    const parts: Part[] = [];
    const evidence: Evidence[] = [];
    const limitText = `${product === 'books' ? 'Books' : 'Inventory'} limits: ${limits.perMinute}/min per org, ${
      limits.perDay !== undefined ? `${thousands(limits.perDay)}/day${plan === 'TBD' ? ' at most (Premium and up)' : ''}` : 'daily limit per plan not documented'
    }, ${limits.concurrency} concurrent`;
    evidence.push({ text: `plan ${plan}; ${limitText}` });

    if (plan === 'TBD') {
      parts.push({ status: 'warn', text: 'zoho.plan is TBD: the daily limit is between 1,000 (Free) and 10,000 (Premium and up) calls per org' });
    }

    const declared: Declared[] = [];
    if (throttle?.perMinute !== undefined) declared.push({ kind: 'per-minute', value: throttle.perMinute, where: 'zoho.throttle.perMinute' });
    if (throttle?.perDay !== undefined) declared.push({ kind: 'per-day', value: throttle.perDay, where: 'zoho.throttle.perDay' });
    if (throttle?.concurrency !== undefined) declared.push({ kind: 'concurrency', value: throttle.concurrency, where: 'zoho.throttle.concurrency' });
    for (const s of facts.need('project.credentials').zohoThrottle) declared.push({ kind: s.kind, value: s.value, where: `${s.name} in ${s.path}:${s.line}` });

    if (declared.length === 0) {
      parts.push({
        status: 'warn',
        text: `the app declares no Zoho throttling (zoho.throttle in predeploy.yaml, or ZOHO_*_PER_MINUTE / _DAILY / _CONCURRENCY in .env); ${limitText}`,
      });
    }
    const cap: Record<Kind, number | undefined> = { 'per-minute': limits.perMinute, 'per-day': limits.perDay, concurrency: limits.concurrency };
    for (const d of declared) {
      const max = cap[d.kind];
      if (max === undefined) {
        evidence.push({ text: `${d.where}: ${d.value} ${KIND_TEXT[d.kind]} (no documented limit to compare with)` });
      } else if (d.value > max) {
        parts.push({ status: 'fail', text: `${d.where} allows ${d.value} ${KIND_TEXT[d.kind]}, over Zoho's ${max} for plan ${plan}` });
      } else {
        parts.push({ status: 'pass', text: `${d.where}: ${d.value} ${KIND_TEXT[d.kind]}, within ${max}` });
      }
    }

    const live = facts.maybe('zoho.prod');
    if (live?.ok) {
      const z = live.value;
      const calls: [string, ZohoCall<unknown>][] = [
        ['organizations', z.organizations],
        ['sandboxes', z.sandboxes],
        ['webhooks', z.webhooks],
      ];
      for (const [name, c] of calls) {
        if (c.status !== 'rate-limited') continue;
        const meaning = c.code !== undefined ? (RATE_LIMIT_CODES[c.code] ?? c.message ?? '') : (c.message ?? '');
        parts.push({
          status: 'fail',
          text: `Zoho answered one read (${name}) with HTTP 429${c.code !== undefined ? ` code ${c.code}` : ''}${meaning !== '' ? ` (${meaning})` : ''}: the production org is at its limit now`,
          refs: callRefs(c),
        });
      }
      if (z.token.status === 'throttled') {
        parts.push({
          status: 'warn',
          text: 'the accounts server throttled the token refresh: something refreshes this refresh token more than 10 times in 10 minutes; cache the access token for its hour',
          refs: [z.token.seq],
        });
      }
      for (const s of z.rateLimits) {
        const shown = [
          s.limit !== undefined ? `limit ${s.limit}` : '',
          s.remaining !== undefined ? `remaining ${s.remaining}` : '',
          s.reset !== undefined ? `reset ${s.reset}` : '',
          s.retryAfter !== undefined ? `Retry-After ${s.retryAfter}` : '',
        ].filter(Boolean);
        evidence.push({ text: `observed on ${s.call} (HTTP ${s.httpStatus}): ${shown.join(', ') || 'no rate-limit headers'}`, refs: [s.seq] });
        if (s.limit !== undefined && s.remaining !== undefined && s.limit > 0 && s.remaining / s.limit < LOW_REMAINING && s.httpStatus !== 429) {
          parts.push({ status: 'warn', text: `only ${s.remaining} of ${s.limit} calls left in Zoho's window (X-Rate-Limit-Remaining)`, refs: [s.seq] });
        }
      }
      if (z.rateLimits.length === 0) evidence.push({ text: 'no X-Rate-Limit headers observed' });
    } else {
      // Zoho's own answers (429s, X-Rate-Limit-Remaining) could show the org at its limit now:
      // the configured rates alone are never better than what they would have shown.
      const u = unverifiedOf('zoho.prod', live);
      parts.push({ status: 'unknown', text: `no live Zoho reads: ${live ? live.detail : 'the Zoho probe did not run'}`, ...(live ? { refs: live.refs } : {}), ...(u ? { unverified: [u] } : {}) });
    }
    return combine(parts, evidence);
  },
});
