import { defineCheck } from '../../../engine/define.js';

export const check = defineCheck({
  meta: {
    id: 'monitoring.alert-error-rate',
    section: 'monitoring',
    title: "An alert fires on a high error rate",
    severity: 'high',
    effort: { size: 'S', hours: [1, 3] },
    remediation: {
      text: "Create a log alert on the rate of 5xx responses (nginx access log) or failed requests, with an action group.",
      url: 'https://learn.microsoft.com/azure/azure-monitor/alerts/alerts-create-log-alert-rule',
    },
    runs: "scheduled query rules / metric alerts on 5xx or failed requests",
  },
  requires: [],
  pending: "Azure Monitor probes (issue: Azure through the official SDKs)",
  evaluate() {
    throw new Error('pending checks are not evaluated');
  },
});
