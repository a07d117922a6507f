import { defineCheck } from '../../../engine/define.js';

export const check = defineCheck({
  meta: {
    id: 'monitoring.log-shipping',
    section: 'monitoring',
    title: "Service logs leave the VM (a log shipper or the agent collects workflow-api, workflow-worker and teams-bot logs)",
    severity: 'medium',
    effort: { size: 'M', hours: [2, 4] },
    remediation: {
      text: "Collect the journald logs of the three services with the Azure Monitor Agent (data collection rule) or a shipper such as fluent-bit.",
      url: 'https://learn.microsoft.com/azure/azure-monitor/agents/data-collection-syslog',
    },
    runs: "agent/shipper services (AMA, fluent-bit, vector, promtail, rsyslog forwarding) and their config",
  },
  requires: [],
  pending: "host monitoring-agent probes (issue: host posture in depth)",
  evaluate() {
    throw new Error('pending checks are not evaluated');
  },
});
