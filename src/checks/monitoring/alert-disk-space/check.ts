import { defineCheck } from '../../../engine/define.js';

export const check = defineCheck({
  meta: {
    id: 'monitoring.alert-disk-space',
    section: 'monitoring',
    title: "An alert fires when disk space runs low",
    severity: 'medium',
    effort: { size: 'S', hours: [1, 2] },
    remediation: {
      text: "Create a metric alert on 'Available Disk Space (%)' (or a log alert on the agent's disk counters) below 15%.",
      url: 'https://learn.microsoft.com/azure/azure-monitor/vm/tutorial-monitor-vm-alert-recommended',
    },
    runs: "metric alerts on the VM's disk metrics, or log alerts on InsightsMetrics",
  },
  requires: [],
  pending: "Azure Monitor probes (issue: Azure through the official SDKs)",
  evaluate() {
    throw new Error('pending checks are not evaluated');
  },
});
