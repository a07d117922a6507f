import { defineCheck } from '../../../engine/define.js';

export const check = defineCheck({
  meta: {
    id: 'zoho.webhooks',
    section: 'zoho',
    title: "Zoho webhooks point at the production domain",
    severity: 'medium',
    effort: { size: 'S', hours: [1, 2] },
    remediation: {
      text: "Re-create the Zoho workflow webhooks in the production org with the production URL and a secret.",
      url: 'https://www.zoho.com/books/help/settings/automation/workflow-actions/webhooks.html',
    },
    runs: "Zoho webhooks list where the API offers it, else a manual confirmation",
  },
  requires: [],
  pending: "Zoho probes (issue: Zoho production readiness, secrets hygiene and bot credentials)",
  evaluate() {
    throw new Error('pending checks are not evaluated');
  },
});
