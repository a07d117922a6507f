import { defineCheck } from '../../../engine/define.js';

export const check = defineCheck({
  meta: {
    id: 'monitoring.alert-service-down',
    section: 'monitoring',
    title: "An alert fires when a service is down",
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
  requires: [],
  pending: "Azure Monitor probes (issue: Azure through the official SDKs)",
  evaluate() {
    throw new Error('pending checks are not evaluated');
  },
});
