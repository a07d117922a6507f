import { defineCheck } from '../../../engine/define.js';

export const check = defineCheck({
  meta: {
    id: 'monitoring.external-health',
    section: 'monitoring',
    title: "The health endpoint is monitored from outside the VM",
    severity: 'high',
    effort: { size: 'S', hours: [1, 2] },
    remediation: {
      text: "Create a standard availability test against https://<prod-domain>/health from several regions, with an alert and action group.",
      url: 'https://learn.microsoft.com/azure/azure-monitor/app/availability-standard-tests',
    },
    runs: "Application Insights availability tests (webtests) pointing at the production health URL",
  },
  requires: [],
  pending: "Azure Monitor probes (issue: Azure through the official SDKs)",
  evaluate() {
    throw new Error('pending checks are not evaluated');
  },
});
