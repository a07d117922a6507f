import { defineCheck } from '../../../engine/define.js';
import { alertFinding } from '../../lib/azure.js';

/**
 * Reads the subscription's alerting (`azure.monitor`) and names the rule that covers "external-health" — or says none
 * does. A rule counts when it is enabled, not dev-only, and watches a matching signal (see
 * src/checks/lib/alert-coverage.ts: by what the rule measures); it passes only when an action group with an enabled receiver is attached.
 */
export const check = defineCheck({
  meta: {
    id: 'monitoring.external-health',
    section: 'monitoring',
    title: "The health endpoint is monitored from outside the VM by an availability test with an alert",
    severity: 'high',
    effort: { size: 'S', hours: [1, 2] },
    remediation: {
      text: "Create a standard availability test against https://<prod-domain>/health from several regions, with an alert and action group.",
      url: 'https://learn.microsoft.com/azure/azure-monitor/app/availability-standard-tests',
    },
    runs: "Application Insights availability tests (webtests) pointing at the production health URL",
  },
  requires: ['azure.monitor'],
  evaluate(facts, { config }) {
    return alertFinding(facts.need('azure.monitor'), 'external-health', config);
  },
});
