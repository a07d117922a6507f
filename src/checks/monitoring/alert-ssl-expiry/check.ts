import { defineCheck } from '../../../engine/define.js';
import { alertFinding } from '../../lib/azure.js';

/**
 * Reads the subscription's alerting (`azure.monitor`) and names the rule that covers "ssl-expiry" — or says none
 * does. A rule counts when it is enabled, not dev-only, and watches a matching signal (see
 * src/checks/lib/alert-coverage.ts: by what the rule measures); it passes only when an action group with an enabled receiver is attached.
 */
export const check = defineCheck({
  meta: {
    id: 'monitoring.alert-ssl-expiry',
    section: 'monitoring',
    title: "An alert fires before the TLS certificate expires, and notifies someone",
    severity: 'medium',
    effort: { size: 'S', hours: [1, 2] },
    remediation: {
      text: "Add a standard availability test on the health endpoint with 'SSL certificate validity' checked (days before expiry: 14).",
      url: 'https://learn.microsoft.com/azure/azure-monitor/app/availability-standard-tests',
    },
    runs: "Application Insights availability tests with SSL check, or a log/metric alert on certificate expiry",
  },
  requires: ['azure.monitor'],
  evaluate(facts, { config }) {
    return alertFinding(facts.need('azure.monitor'), 'ssl-expiry', config);
  },
});
