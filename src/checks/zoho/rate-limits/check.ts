import { defineCheck } from '../../../engine/define.js';

export const check = defineCheck({
  meta: {
    id: 'zoho.rate-limits',
    section: 'zoho',
    title: "The service's Zoho call rate fits the plan's per-minute, daily and concurrency limits",
    severity: 'medium',
    effort: { size: 'S', hours: [1, 3] },
    remediation: {
      text: "Confirm the Zoho plan, set the worker's throttling below 100 requests/minute per org and the plan's daily limit, and back off on HTTP 429.",
      url: 'https://www.zoho.com/books/api/v3/introduction/#api-call-limit',
    },
    runs: "documented limits for zoho.plan vs the app's configured throttling; rate-limit headers observed",
  },
  requires: [],
  pending: "Zoho probes (issue: Zoho production readiness, secrets hygiene and bot credentials)",
  evaluate() {
    throw new Error('pending checks are not evaluated');
  },
});
