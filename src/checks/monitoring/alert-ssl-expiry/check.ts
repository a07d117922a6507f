import { defineCheck } from '../../../engine/define.js';

export const check = defineCheck({
  meta: {
    id: 'monitoring.alert-ssl-expiry',
    section: 'monitoring',
    title: "An alert fires before the TLS certificate expires",
    severity: 'medium',
    effort: { size: 'S', hours: [1, 2] },
    remediation: {
      text: "Add a standard availability test on the health endpoint with 'SSL certificate validity' checked (days before expiry: 14).",
      url: 'https://learn.microsoft.com/azure/azure-monitor/app/availability-standard-tests',
    },
    runs: "Application Insights availability tests with SSL check, or a log/metric alert on certificate expiry",
  },
  requires: [],
  pending: "Azure Monitor probes (issue: Azure through the official SDKs)",
  evaluate() {
    throw new Error('pending checks are not evaluated');
  },
});
