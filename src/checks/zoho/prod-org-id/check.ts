import { defineCheck } from '../../../engine/define.js';

export const check = defineCheck({
  meta: {
    id: 'zoho.prod-org-id',
    section: 'zoho',
    title: "The production Zoho organization id is configured, active, and differs from the sandbox org",
    severity: 'critical',
    blocker: true,
    effort: { size: 'S', hours: [1, 2] },
    remediation: {
      text: "Set zoho.prod.orgId to the production organization's id (Books: Settings → Organization Profile) and make sure it is not the sandbox org.",
      url: 'https://www.zoho.com/books/api/v3/organizations/',
    },
    runs: "Zoho organizations list (GET /books/v3/organizations) with the prod token",
  },
  requires: [],
  pending: "Zoho probes (issue: Zoho production readiness, secrets hygiene and bot credentials)",
  evaluate() {
    throw new Error('pending checks are not evaluated');
  },
});
