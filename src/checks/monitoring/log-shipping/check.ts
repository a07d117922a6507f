import { defineCheck } from '../../../engine/define.js';
import type { Evidence } from '../../../engine/types.js';
import type { LogOutput, MonitoringAgent, MonitoringAgentKind } from '../../../facts/monitoring.js';
import { unreadableEvidence, unreadableUnverified } from '../../lib/unreadable.js';

const LABEL: Record<MonitoringAgentKind, string> = {
  'azure-monitor-agent': 'Azure Monitor Agent',
  'oms-agent': 'legacy OMS agent',
  'fluent-bit': 'fluent-bit',
  vector: 'vector',
  promtail: 'promtail',
  rsyslog: 'rsyslog',
  'journal-upload': 'systemd-journal-upload',
};

const MAX_OUTPUTS = 4;

function outputText(o: LogOutput): string {
  const where = o.line === undefined ? o.file : `${o.file}:${o.line}`;
  return `${o.type}${o.destination ? ` → ${o.destination}` : ''} (${where})${o.note ? ` — ${o.note}` : ''}`;
}

/** One line per agent: state and its outputs. */
function agentLine(a: MonitoringAgent): string {
  const state = a.running ? `running (${a.processes.map((p) => `${p.name} pid ${p.pid}`).slice(0, 3).join(', ')})` : a.installed ? 'installed, not running' : 'configured, not running';
  const remote = a.outputs.filter((o) => o.remote);
  const outs =
    a.kind === 'azure-monitor-agent'
      ? `data collection rules: ${a.dcrChunks ?? 'unknown'}`
      : remote.length > 0
        ? `ships to ${remote.slice(0, MAX_OUTPUTS).map(outputText).join('; ')}${remote.length > MAX_OUTPUTS ? `; … ${remote.length - MAX_OUTPUTS} more` : ''}`
        : a.outputs.length > 0
          ? `local outputs only: ${a.outputs.slice(0, MAX_OUTPUTS).map(outputText).join('; ')}`
          : a.configFiles.length > 0
            ? `no forwarding output in ${a.configFiles.slice(0, MAX_OUTPUTS).join(', ')}`
            : 'no configuration found';
  return `${LABEL[a.kind]}: ${state}; ${outs}`;
}

/** True when the agent is set up to send logs off the VM. */
function shipsRemotely(a: MonitoringAgent): boolean {
  // AMA's destination is in its data collection rules; an agent without one sends nothing.
  if (a.kind === 'azure-monitor-agent') return (a.dcrChunks ?? 0) > 0;
  return a.outputs.some((o) => o.remote);
}

/**
 * monitoring.log-shipping — logs leave the VM, so an incident (or a lost VM) does not take the
 * evidence with it. Shipping is AMA with a data collection rule, the legacy OMS agent with a
 * workspace, or a shipper with a non-loopback output: fluent-bit outputs
 * (https://docs.fluentbit.io/manual/pipeline/outputs), vector sinks
 * (https://vector.dev/docs/reference/configuration/sinks/), promtail clients
 * (https://grafana.com/docs/loki/latest/send-data/promtail/configuration/#clients), rsyslog
 * forwarding (`@@host`, `action(type="omfwd")` — https://www.rsyslog.com/doc/configuration/modules/omfwd.html)
 * or systemd-journal-upload.
 */
export const check = defineCheck({
  meta: {
    id: 'monitoring.log-shipping',
    section: 'monitoring',
    title: 'Service logs leave the VM (a log shipper or the agent collects workflow-api, workflow-worker and teams-bot logs)',
    severity: 'medium',
    effort: { size: 'M', hours: [2, 4] },
    remediation: {
      text:
        "Collect the journald logs of the three services with the Azure Monitor Agent (a data collection rule with syslog, or a custom text/JSON log source) " +
        'or a shipper such as fluent-bit with a remote output; make sure the shipper runs (systemctl enable --now) and its filter includes ' +
        'workflow-api, workflow-worker and teams-bot.',
      url: 'https://learn.microsoft.com/azure/azure-monitor/agents/data-collection-syslog',
    },
    runs: 'agent/shipper processes (ps) and their configs: AMA configchunks, fluent-bit [OUTPUT], vector sinks, promtail clients, rsyslog forwards, journal-upload URL',
  },
  requires: ['host.monitoring-agents'],
  // cited as evidence: the ps call the agent processes were read from
  uses: ['host.processes'],
  evaluate(facts) {
    const scan = facts.need('host.monitoring-agents');
    const shipping = scan.agents.filter(shipsRemotely);
    const running = shipping.filter((a) => a.running);
    const evidence: Evidence[] = scan.agents.map((a) => ({ text: agentLine(a) }));
    for (const a of scan.agents) evidence.push(...unreadableEvidence(a.unreadable, `${LABEL[a.kind]}: `));
    for (const a of scan.agents) for (const p of a.problems.slice(0, 3)) evidence.push({ text: `${LABEL[a.kind]}: ${p}` });
    const scope = 'whether its filters include workflow-api, workflow-worker and teams-bot is not checked';

    if (running.length > 0) {
      const names = running.map((a) => LABEL[a.kind]).join(', ');
      return { status: 'pass', summary: `logs leave the VM: ${names} ${running.length === 1 ? 'runs' : 'run'} with a remote destination (${scope})`, evidence };
    }
    if (shipping.length > 0) {
      const names = shipping.map((a) => LABEL[a.kind]).join(', ');
      return { status: 'warn', summary: `${names} ${shipping.length === 1 ? 'is' : 'are'} configured to ship logs off the VM but not running: start and enable ${shipping.length === 1 ? 'it' : 'them'}`, evidence };
    }
    const unreadable = scan.agents.flatMap((a) => a.unreadable);
    if (unreadable.length > 0) {
      return {
        status: 'unknown',
        summary: 'no log shipping found, but some agent configuration could not be read: run predeploy as root',
        evidence,
        unverified: unreadableUnverified('host.monitoring-agents', unreadable, facts.refs('host.monitoring-agents')),
      };
    }
    const found = scan.agents.length > 0 ? scan.agents.map((a) => LABEL[a.kind]).join(', ') : 'no agent or shipper';
    return {
      status: 'fail',
      summary: `nothing ships logs off the VM (found: ${found}, none with a remote destination): the logs are lost with the VM`,
      evidence: [...evidence, { text: `looked at ${scan.searched.length} paths, e.g. ${scan.searched.slice(0, 6).join(', ')}` }],
    };
  },
});
