import { defineCheck } from '../../../engine/define.js';

export const check = defineCheck({
  meta: {
    id: 'secrets.zoho-prod-tokens',
    section: 'secrets',
    title: "The Zoho refresh token in production belongs to the production organization and works",
    severity: 'critical',
    blocker: true,
    effort: { size: 'M', hours: [1, 3] },
    remediation: {
      text: "Generate a refresh token while signed in to the production org (self client, the scopes the services need), store it in the prod Key Vault, and remove the sandbox token from production.",
      url: 'https://www.zoho.com/accounts/protocol/oauth/self-client/overview.html',
    },
    runs: "one Zoho token refresh (POST accounts /oauth/v2/token) + organizations list; token redacted",
  },
  requires: [],
  pending: "Zoho and bot credential probes (issue: Zoho production readiness, secrets hygiene and bot credentials)",
  evaluate() {
    throw new Error('pending checks are not evaluated');
  },
});
