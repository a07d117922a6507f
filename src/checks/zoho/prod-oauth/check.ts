import { defineCheck } from '../../../engine/define.js';

export const check = defineCheck({
  meta: {
    id: 'zoho.prod-oauth',
    section: 'zoho',
    title: "The production Zoho OAuth client refreshes tokens in the right data centre",
    severity: 'critical',
    blocker: true,
    effort: { size: 'S', hours: [1, 2] },
    remediation: {
      text: "Register the OAuth client in the data centre of the production org (accounts.zoho.<dc>), and store its id and secret in the prod Key Vault.",
      url: 'https://www.zoho.com/accounts/protocol/oauth/multi-dc.html',
    },
    runs: "one token refresh against the configured accounts server (errors arrive as HTTP 200 with an error field)",
  },
  requires: [],
  pending: "Zoho probes (issue: Zoho production readiness, secrets hygiene and bot credentials)",
  evaluate() {
    throw new Error('pending checks are not evaluated');
  },
});
