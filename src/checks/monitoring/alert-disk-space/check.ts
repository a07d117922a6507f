import { defineCheck } from '../../../engine/define.js';
import { alertFinding } from '../../lib/azure.js';

/**
 * Reads the subscription's alerting (`azure.monitor`) and names the rule that covers "disk-space" — or says none
 * does. A rule counts when it is enabled, not dev-only, and watches a matching signal (see
 * src/checks/lib/alert-coverage.ts: by what the rule measures); it passes only when an action group with an enabled receiver is attached.
 */
export const check = defineCheck({
  meta: {
    id: 'monitoring.alert-disk-space',
    section: 'monitoring',
    title: "An alert fires when disk space runs low, and notifies someone",
    severity: 'medium',
    effort: { size: 'S', hours: [1, 2] },
    remediation: {
      text: "Create a metric alert on 'Available Disk Space (%)' (or a log alert on the agent's disk counters) below 15%.",
      url: 'https://learn.microsoft.com/azure/azure-monitor/vm/tutorial-monitor-vm-alert-recommended',
    },
    runs: "log alerts on free disk space (InsightsMetrics LogicalDisk, Perf % Free Space) or metric alerts on disk space, with action groups",
  },
  requires: ['azure.monitor'],
  evaluate(facts, { config }) {
    return alertFinding(facts.need('azure.monitor'), 'disk-space', config);
  },
});
