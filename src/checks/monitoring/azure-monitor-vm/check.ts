import { defineCheck } from '../../../engine/define.js';

export const check = defineCheck({
  meta: {
    id: 'monitoring.azure-monitor-vm',
    section: 'monitoring',
    title: "The Azure Monitor Agent runs on the VM and sends to a Log Analytics workspace",
    severity: 'high',
    effort: { size: 'S', hours: [1, 2] },
    remediation: {
      text: "Install the Azure Monitor Agent extension and associate a data collection rule that sends syslog and performance counters to a workspace.",
      command: "az vm extension set --name AzureMonitorLinuxAgent --publisher Microsoft.Azure.Monitor --resource-group <rg> --vm-name <vm> --enable-auto-upgrade true",
      url: 'https://learn.microsoft.com/azure/azure-monitor/agents/azure-monitor-agent-manage',
    },
    runs: "VM extensions (AzureMonitorLinuxAgent) + the agent service on the host",
  },
  requires: [],
  pending: "host monitoring-agent probes (issue: host posture in depth) and VM extension probes (issue: Azure)",
  evaluate() {
    throw new Error('pending checks are not evaluated');
  },
});
