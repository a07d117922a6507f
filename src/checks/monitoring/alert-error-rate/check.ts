import { defineCheck } from '../../../engine/define.js';
import { alertFinding } from '../../lib/azure.js';

/**
 * Reads the subscription's alerting (`azure.monitor`) and names the rule that covers "error-rate" — or says none
 * does. A rule counts when it is enabled, not dev-only, and watches a matching signal (see
 * src/checks/lib/alert-coverage.ts: by what the rule measures); it passes only when an action group with an enabled receiver is attached.
 */
export const check = defineCheck({
  meta: {
    id: 'monitoring.alert-error-rate',
    section: 'monitoring',
    title: "An alert fires on a high error rate, and notifies someone",
    severity: 'high',
    effort: { size: 'S', hours: [1, 3] },
    remediation: {
      text: "Create a log alert on the rate of 5xx responses (nginx access log) or failed requests, with an action group.",
      url: 'https://learn.microsoft.com/azure/azure-monitor/alerts/alerts-create-log-alert-rule',
    },
    runs: "scheduled query rules / metric alerts on 5xx or failed requests",
  },
  requires: ['azure.monitor'],
  evaluate(facts, { config }) {
    return alertFinding(facts.need('azure.monitor'), 'error-rate', config);
  },
});
