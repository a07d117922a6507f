import { defineCheck } from '../../../engine/define.js';
import { alertFinding } from '../../lib/azure.js';

/**
 * Reads the subscription's alerting (`azure.monitor`) and names the rule that covers "service-down" — or says none
 * does. A rule counts when it is enabled, not dev-only, and watches a matching signal (see
 * src/checks/lib/alert-coverage.ts: by what the rule measures); it passes only when an action group with an enabled receiver is attached.
 */
export const check = defineCheck({
  meta: {
    id: 'monitoring.alert-service-down',
    section: 'monitoring',
    title: "An alert fires when a service is down, and notifies someone",
    severity: 'high',
    blocker: true,
    effort: { size: 'S', hours: [1, 2] },
    remediation: {
      text: "Create a log alert on the heartbeat or service status of the three services (or an availability test on the health endpoint) with an action group that pages someone.",
      command: "az monitor scheduled-query create --name service-down --resource-group <rg> --scopes <workspace-id> --condition \"count 'Heartbeat' < 1\" --action-groups <ag-id>",
      url: 'https://learn.microsoft.com/azure/azure-monitor/alerts/alerts-create-log-alert-rule',
    },
    runs: "metric alerts, scheduled query rules, activity-log alerts, action groups",
  },
  requires: ['azure.monitor'],
  evaluate(facts, { config }) {
    return alertFinding(facts.need('azure.monitor'), 'service-down', config);
  },
});
