import { defineCheck } from '../../../engine/define.js';
import type { Evidence, Facts, Finding, Unverified } from '../../../engine/types.js';
import { unverifiedOf } from '../../lib/failure.js';
import { capUnverified } from '../../lib/unverified.js';
import type { MonitoringAgent } from '../../../facts/monitoring.js';
import { unreadableEvidence, unreadableUnverified } from '../../lib/unreadable.js';

/** "mdsd (pid 812, user syslog, up 3-04:12:55)" for each process, at most five. */
export function processText(agent: MonitoringAgent): string {
  const listed = agent.processes.slice(0, 5).map((p) => `${p.name} (pid ${p.pid}, user ${p.user}, up ${p.etime})`);
  const more = agent.processes.length > 5 ? `, … ${agent.processes.length - 5} more` : '';
  return `${listed.join(', ')}${more}`;
}

const AZURE_SIDE = 'data collection rule associations are not read (the agent\'s downloaded rules stand for them)';

/**
 * monitoring.azure-monitor-vm (host side) — the Azure Monitor Agent is installed and running.
 *
 * The legacy Log Analytics (OMS/MMA) agent was retired on 31 August 2024 and no longer receives
 * support or fixes — https://learn.microsoft.com/azure/azure-monitor/agents/azure-monitor-agent-migration —
 * so a VM that only has it is a warning, not a pass. AMA does nothing until a data collection rule
 * reaches it ("Azure Monitor Agent requires at least one data collection rule (DCR) to begin
 * collecting data" — https://learn.microsoft.com/azure/azure-monitor/agents/azure-monitor-agent-manage);
 * the rules it downloaded are the JSON files in `config-cache/configchunks`, so an empty folder is a warning too.
 */
export const check = defineCheck({
  meta: {
    id: 'monitoring.azure-monitor-vm',
    section: 'monitoring',
    title: 'The Azure Monitor Agent runs on the VM and has a data collection rule (no retired OMS agent)',
    severity: 'high',
    effort: { size: 'S', hours: [1, 2] },
    remediation: {
      text:
        'Install the Azure Monitor Agent as a VM extension, associate a data collection rule that sends syslog (and the services\' journald logs) ' +
        'and performance counters to the Log Analytics workspace, and check that /etc/opt/microsoft/azuremonitoragent/config-cache/configchunks/ ' +
        'fills within minutes. Remove the retired Log Analytics (OMS) agent once AMA collects the same data.',
      command: 'az vm extension set --name AzureMonitorLinuxAgent --publisher Microsoft.Azure.Monitor --resource-group <rg> --vm-name <vm> --enable-auto-upgrade true',
      url: 'https://learn.microsoft.com/azure/azure-monitor/agents/azure-monitor-agent-manage',
    },
    runs: 'ps -eo pid,user,etime,args; /opt/microsoft/azuremonitoragent, its config-cache/configchunks, /opt/microsoft/omsagent; ARM: the prod VM\'s extensions',
  },
  requires: ['host.monitoring-agents'],
  // host.processes: cited as evidence (the ps call the agent processes were read from)
  uses: ['host.processes', 'azure.vm'],
  evaluate(facts) {
    return withAzureSide(hostSide(facts), facts);
  },
});

function hostSide(facts: Facts): Finding {
  const scan = facts.need('host.monitoring-agents');
  const ama = scan.agents.find((a) => a.kind === 'azure-monitor-agent');
  const oms = scan.agents.find((a) => a.kind === 'oms-agent');
  const evidence: Evidence[] = [];
  if (ama) {
    evidence.push({ text: `Azure Monitor Agent: ${ama.paths.length > 0 ? ama.paths.join(', ') : 'no install directory'}` });
    evidence.push({ text: ama.running ? `AMA processes: ${processText(ama)}` : 'AMA processes: none running (no mdsd, amacoreagent or agentlauncher in ps)' });
    if (ama.dcrChunks !== undefined) evidence.push({ text: `data collection rules downloaded (config-cache/configchunks/*.json): ${ama.dcrChunks}` });
    evidence.push(...unreadableEvidence(ama.unreadable));
  }
  if (oms) {
    evidence.push({ text: `legacy Log Analytics (OMS) agent: ${[...oms.paths, ...oms.outputs.map((o) => `workspace ${o.destination ?? '?'}`)].join(', ') || 'process only'}` });
    if (oms.running) evidence.push({ text: `OMS processes: ${processText(oms)}` });
  }
  const retired = 'the legacy Log Analytics (OMS) agent, retired on 31 August 2024';
  const unverified = unreadableUnverified('host.monitoring-agents', [...(ama?.unreadable ?? []), ...(oms?.unreadable ?? [])], facts.refs('host.monitoring-agents'));

  if (ama?.running) {
    const extra = oms ? `; ${retired}, is still ${oms.running ? 'running' : 'installed'}: remove it` : '';
    // Running is not collecting: without the downloaded rules (configchunks unreadable) the agent
    // may have nothing to do, so the host side cannot pass.
    if (ama.dcrChunks === undefined && ama.unreadable.length > 0) {
      return {
        status: 'unknown',
        summary: `Azure Monitor Agent runs, but whether it has a data collection rule could not be read${extra}: run predeploy as root`,
        evidence,
        unverified,
      };
    }
    if (ama.dcrChunks === 0) {
      return {
        status: 'warn',
        summary: `Azure Monitor Agent runs but has downloaded no data collection rule, so it collects nothing${extra}; ${AZURE_SIDE}`,
        evidence,
      };
    }
    if (oms) return { status: 'warn', summary: `Azure Monitor Agent installed and running${extra}; ${AZURE_SIDE}`, evidence };
    const rules = ama.dcrChunks === undefined ? '' : ` with ${ama.dcrChunks} data collection rule file(s)`;
    return { status: 'pass', summary: `Azure Monitor Agent installed and running${rules}; ${AZURE_SIDE}`, evidence };
  }
  if (oms?.running) {
    const amaNote = ama?.installed ? '; the Azure Monitor Agent is installed but not running' : '; no Azure Monitor Agent';
    return { status: 'warn', summary: `only ${retired}, is running${amaNote}: migrate to the Azure Monitor Agent`, evidence };
  }
  if (ama?.installed) {
    return { status: 'fail', summary: 'the Azure Monitor Agent is installed but not running (no mdsd/amacoreagent process): check `systemctl status azuremonitoragent`', evidence };
  }
  // No agent process in ps (which sees every process): nothing collects, whatever paths could not be read.
  if (oms) {
    return { status: 'fail', summary: `no Azure Monitor Agent; ${retired}, is installed but not running`, evidence, ...(unverified.length > 0 ? { unverified } : {}) };
  }
  return {
    status: 'fail',
    summary: 'no Azure Monitor Agent on the VM (and no legacy OMS agent): nothing sends its logs and metrics to Azure Monitor',
    evidence: [{ text: 'looked for /opt/microsoft/azuremonitoragent, /etc/opt/microsoft/azuremonitoragent, /opt/microsoft/omsagent and mdsd/amacoreagent/omsagent processes' }, ...evidence],
    ...(unverified.length > 0 ? { unverified } : {}),
  };
}

/**
 * The Azure side: the AzureMonitorLinuxAgent extension on the production VM (ARM). A host agent
 * without the extension was installed by hand and is not kept up to date by Azure; an extension
 * whose host agent is not running fails on the host side already.
 */
function withAzureSide(host: Finding, facts: Facts): Finding {
  const vm = facts.maybe('azure.vm');
  if (!vm || !vm.ok) {
    const why = vm ? `${vm.reason}: ${vm.detail}` : 'not run';
    const u = unverifiedOf('azure.vm', vm);
    return capUnverified({ ...host, evidence: [...host.evidence, { text: `Azure side (VM extension) not verified: ${why}` }] }, u ? [u] : []);
  }
  const prod = vm.value.prod;
  if (prod.status !== 'found') {
    const evidence = [...host.evidence, { text: `Azure side (VM extension) not verified: ${prod.detail}`, refs: prod.refs }];
    // a VM that does not exist (or is not decided) is the Azure side's own gap; a read that failed is not verified
    if (prod.status === 'forbidden' || prod.status === 'error') {
      const cause: Unverified['cause'] =
        prod.status === 'forbidden' ? { kind: 'forbidden', service: 'azure', role: prod.role } : prod.reason === 'no-credentials' ? { kind: 'no-credentials', service: 'azure' } : { kind: 'probe', probe: 'azure.vm', reason: prod.reason === 'throttled' ? 'failed' : prod.reason };
      return capUnverified({ ...host, evidence }, [{ probe: 'azure.vm', cause, detail: `Azure side (VM extension) not verified: ${prod.detail}`, refs: prod.refs }]);
    }
    if (prod.status === 'tbd') {
      // the undecided name is infra.prod-resources' gap; here it leaves the extension unverified
      return capUnverified({ ...host, evidence }, [{ cause: { kind: 'undecided', key: 'azure.prod.vm' }, detail: `Azure side (VM extension) not verified: ${prod.detail}` }]);
    }
    return host.status === 'fail' ? { ...host, evidence } : { ...host, status: 'fail', summary: `the production VM is not there to carry the agent extension (${prod.detail}); host: ${host.summary}`, evidence };
  }
  const ext = prod.value.monitorAgent;
  if (!ext) {
    const evidence = [...host.evidence, { text: `VM ${prod.value.name}: no AzureMonitorLinuxAgent extension (extensions: ${prod.value.extensions.map((e) => e.name).join(', ') || 'none'})`, refs: prod.refs }];
    return host.status === 'fail'
      ? { ...host, evidence }
      : { status: 'fail', summary: `the production VM ${prod.value.name} has no Azure Monitor Agent extension; host: ${host.summary}`, evidence };
  }
  const state = ext.provisioningState ?? 'unknown';
  const extText = `VM ${prod.value.name}: extension ${ext.name} ${ext.version ?? ''} provisioning ${state}${ext.autoUpgrade === false ? ', automatic upgrade off' : ''}`.replace(/\s+/g, ' ');
  const evidence = [...host.evidence, { text: extText, refs: prod.refs }];
  if (state !== 'Succeeded' && host.status !== 'fail') {
    // never better than the host side: an unknown host stays unknown
    const status = host.status === 'unknown' ? 'unknown' : 'warn';
    return { ...host, status, summary: `the Azure Monitor Agent extension is ${state}; host: ${host.summary}`, evidence };
  }
  return { ...host, evidence };
}
