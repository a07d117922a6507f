import { describe, expect, it } from 'vitest';
import { ORDER_PROCESSING_PROFILE } from '../../../config/profile.js';
import { evaluateCheck, outcomesOf } from '../../../engine/evaluate.js';
import type { AzureVmFact, Lookup, VmExtensionInfo, VmInfo } from '../../../facts/azure.js';
import type { MonitoringAgent, MonitoringAgents } from '../../../facts/monitoring.js';
import { fakeContext } from '../../../../test/helpers/fake-context.js';
import { collectMonitoringAgents } from '../../../probes/host/monitoring-agents/probe.js';
import { parsePsList } from '../../../probes/host/processes/parse.js';
import { fixtureText } from '../../../../test/probes/fixture-dirs.js';
import type { ProbeOutcome } from '../../../engine/types.js';
import type { ProcessInfo } from '../../../facts/host.js';
import { check } from './check.js';

const now = new Date('2026-11-26T00:00:00Z');
const proc = (name: string, pid: number) => ({ pid, user: 'syslog', etime: '3-04:12:55', name, command: `/opt/microsoft/azuremonitoragent/bin/${name}` });
const agent = (a: Partial<MonitoringAgent> & Pick<MonitoringAgent, 'kind'>): MonitoringAgent => ({
  installed: false, paths: [], configFiles: [], processes: [], running: false, outputs: [], unreadable: [], problems: [], ...a,
});
const AMA_PATHS = ['/opt/microsoft/azuremonitoragent', '/etc/opt/microsoft/azuremonitoragent', '/etc/opt/microsoft/azuremonitoragent/config-cache/configchunks/'];
const amaRunning = (dcrChunks = 2) => agent({ kind: 'azure-monitor-agent', installed: true, running: true, paths: AMA_PATHS, processes: [proc('mdsd', 812), proc('amacoreagent', 813)], dcrChunks });
const omsRunning = agent({
  kind: 'oms-agent', installed: true, running: true, paths: ['/opt/microsoft/omsagent'],
  processes: [{ pid: 900, user: 'omsagent', etime: '40-01:00:00', name: 'omsagent', command: '/opt/microsoft/omsagent/ruby/bin/ruby /opt/microsoft/omsagent/bin/omsagent' }],
  outputs: [{ type: 'log-analytics-workspace', destination: 'ws.ods.opinsights.azure.com', remote: true, file: '/etc/opt/microsoft/omsagent/ws/' }],
});
/** The host side, with the Azure side answering that the extension is provisioned (it then does not change the verdict). */
const extensionOk: AzureVmFact = {
  dev: { status: 'tbd', detail: 'dev VM TBD', refs: [] },
  prod: {
    status: 'found',
    refs: [42],
    value: {
      id: '/subscriptions/x/vm',
      name: 'vm-prod',
      resourceGroup: 'rg-prod',
      extensions: [{ name: 'AzureMonitorLinuxAgent', publisher: 'Microsoft.Azure.Monitor', provisioningState: 'Succeeded', version: '1.33' }],
      monitorAgent: { name: 'AzureMonitorLinuxAgent', publisher: 'Microsoft.Azure.Monitor', provisioningState: 'Succeeded', version: '1.33' },
      backup: { status: 'not-found', detail: 'none', refs: [] },
      snapshots: { status: 'not-found', detail: 'none', refs: [] },
    },
  },
};
const run = (agents: MonitoringAgent[]) => {
  const value: MonitoringAgents = { agents, searched: ['/opt/microsoft/azuremonitoragent'], processCount: 100 };
  return evaluateCheck(check, outcomesOf({ 'host.monitoring-agents': { ok: true, value }, 'azure.vm': { ok: true, value: extensionOk } }), { config: ORDER_PROCESSING_PROFILE, now });
};

describe('monitoring.azure-monitor-vm (host side)', () => {
  it.each([
    ['pass: AMA installed and running with data collection rules', [amaRunning()], 'pass', /^Azure Monitor Agent installed and running with 2 data collection rule file\(s\); data collection rule associations are not read/],
    ['warn: AMA running but no data collection rule downloaded', [amaRunning(0)], 'warn', /has downloaded no data collection rule, so it collects nothing/],
    ['warn: AMA running and the retired OMS agent still running', [amaRunning(), omsRunning], 'warn', /retired on 31 August 2024, is still running: remove it/],
    ['warn: only the legacy OMS agent', [omsRunning], 'warn', /^only the legacy Log Analytics \(OMS\) agent, retired on 31 August 2024, is running; no Azure Monitor Agent: migrate/],
    ['fail: AMA installed but not running', [agent({ kind: 'azure-monitor-agent', installed: true, paths: AMA_PATHS, dcrChunks: 1 })], 'fail', /installed but not running/],
    ['fail: OMS installed, not running, no AMA', [agent({ kind: 'oms-agent', installed: true, paths: ['/opt/microsoft/omsagent'] })], 'fail', /^no Azure Monitor Agent; the legacy .* installed but not running/],
    ['fail: neither (rsyslog alone does not count)', [agent({ kind: 'rsyslog', installed: true, running: true })], 'fail', /^no Azure Monitor Agent on the VM/],
  ] as const)('%s', (_name, agents, status, summary) => {
    const r = run([...agents]);
    expect(r.status).toBe(status);
    expect(r.summary).toMatch(summary);
  });

  it('evidence names the paths, the processes and the rule count', () => {
    expect(run([amaRunning()]).evidence.map((e) => e.text).filter((t) => !t.startsWith('VM vm-prod:'))).toEqual([
      `Azure Monitor Agent: ${AMA_PATHS.join(', ')}`,
      'AMA processes: mdsd (pid 812, user syslog, up 3-04:12:55), amacoreagent (pid 813, user syslog, up 3-04:12:55)',
      'data collection rules downloaded (config-cache/configchunks/*.json): 2',
    ]);
  });

  it('nothing found: the evidence says what was looked for', () => {
    expect(run([]).evidence.map((e) => e.text).filter((t) => !t.startsWith('VM vm-prod:'))).toEqual([
      'looked for /opt/microsoft/azuremonitoragent, /etc/opt/microsoft/azuremonitoragent, /opt/microsoft/omsagent and mdsd/amacoreagent/omsagent processes',
    ]);
  });

  it('AMA runs but its configchunks folder cannot be read (EACCES) → unknown naming the folder, never pass', async () => {
    const chunks = '/etc/opt/microsoft/azuremonitoragent/config-cache/configchunks';
    const ps = { ...parsePsList(fixtureText('monitoring/ps/ama-running.txt')), refs: [7], durationMs: 1 } as ProbeOutcome<ProcessInfo[]>;
    const ctx = fakeContext({ probes: { 'host.processes': ps }, files: { '/opt/microsoft/azuremonitoragent/bin/mdsd': '', [`${chunks}/dcr-1.json`]: '{}' }, denied: [chunks] });
    const scan = await collectMonitoringAgents(ctx);
    const r = evaluateCheck(check, outcomesOf({ 'host.monitoring-agents': scan, 'azure.vm': { ok: true, value: extensionOk } }), { config: ORDER_PROCESSING_PROFILE, now });
    expect(r.status).toBe('unknown');
    expect(r.unverified.map((u) => u.cause)).toEqual([{ kind: 'permission', what: `${chunks}/` }]);
    expect(r.evidence.map((e) => e.text)).toContain(`could not read ${chunks}/: permission denied (run predeploy as root to read it)`);
  });

  it('an unknown host side stays unknown when the VM extension is not provisioned', () => {
    const blind = { ...amaRunning(), dcrChunks: undefined, unreadable: [{ path: '/etc/opt/microsoft/azuremonitoragent/config-cache/configchunks/', reason: 'permission' as const, detail: 'permission denied' }] };
    const value: MonitoringAgents = { agents: [blind], searched: [], processCount: 100 };
    const prod: Lookup<VmInfo> = {
      status: 'found',
      refs: [42],
      value: { id: '/x', name: 'vm-prod', resourceGroup: 'rg', extensions: [{ name: 'AzureMonitorLinuxAgent' }], monitorAgent: { name: 'AzureMonitorLinuxAgent', provisioningState: 'Updating' }, backup: { status: 'not-found', detail: 'none', refs: [] }, snapshots: { status: 'not-found', detail: 'none', refs: [] } },
    };
    const fact: AzureVmFact = { dev: { status: 'tbd', detail: 'dev VM TBD', refs: [] }, prod };
    const r = evaluateCheck(check, outcomesOf({ 'host.monitoring-agents': { ok: true, value }, 'azure.vm': { ok: true, value: fact } }), { config: ORDER_PROCESSING_PROFILE, now });
    expect(r.status).toBe('unknown');
    expect(r.unverified).toHaveLength(1);
  });

  it('probe failed → unknown', () => {
    const r = evaluateCheck(check, outcomesOf({ 'host.monitoring-agents': { ok: false, reason: 'not-installed', detail: 'ps not found (install the Debian/Ubuntu package procps)' } }), {
      config: ORDER_PROCESSING_PROFILE,
      now,
    });
    expect(r.status).toBe('unknown');
    expect(r.summary).toContain('procps');
  });

  it('is live: host facts required, the VM extension read when Azure answers', () => {
    expect(check.requires).toEqual(['host.monitoring-agents']);
    expect(check.uses).toEqual(['host.processes', 'azure.vm']);
  });
});

describe('monitoring.azure-monitor-vm (Azure side: the VM extension)', () => {
  const vm = (monitorAgent?: VmExtensionInfo): Lookup<VmInfo> => ({
    status: 'found',
    refs: [42],
    value: { id: '/subscriptions/x/vm', name: 'vm-prod', resourceGroup: 'rg-prod', extensions: monitorAgent ? [monitorAgent] : [{ name: 'CustomScript' }], ...(monitorAgent ? { monitorAgent } : {}), backup: { status: 'not-found', detail: 'none', refs: [] }, snapshots: { status: 'not-found', detail: 'none', refs: [] } },
  });
  const ama: VmExtensionInfo = { name: 'AzureMonitorLinuxAgent', publisher: 'Microsoft.Azure.Monitor', provisioningState: 'Succeeded', version: '1.33' };
  const runWith = (agents: MonitoringAgent[], prod: Lookup<VmInfo>) => {
    const value: MonitoringAgents = { agents, searched: [], processCount: 100 };
    const fact: AzureVmFact = { dev: { status: 'tbd', detail: 'dev VM TBD', refs: [] }, prod };
    return evaluateCheck(check, outcomesOf({ 'host.monitoring-agents': { ok: true, value }, 'azure.vm': { ok: true, value: fact } }), { config: ORDER_PROCESSING_PROFILE, now });
  };

  it.each([
    ['host agent running and the extension provisioned → pass', [amaRunning()], vm(ama), 'pass'],
    ['host agent running, no extension (installed by hand) → fail', [amaRunning()], vm(), 'fail'],
    ['extension failed to provision → warn', [amaRunning()], vm({ ...ama, provisioningState: 'Failed' }), 'warn'],
    ['extension present but the host agent is not running → fail (host side)', [agent({ kind: 'azure-monitor-agent', installed: true, paths: AMA_PATHS })], vm(ama), 'fail'],
    ['prod VM name TBD → unknown (the extension cannot be looked at), with the gap noted', [amaRunning()], { status: 'tbd', detail: 'azure.prod.vm is TBD', refs: [] } as Lookup<VmInfo>, 'unknown'],
  ] as const)('%s', (_name, agents, prod, status) => {
    const r = runWith([...agents], prod);
    expect(r.status).toBe(status);
    expect(r.evidence.map((e) => e.text).join('\n')).toMatch(/VM vm-prod|Azure side \(VM extension\) not verified: azure.prod.vm is TBD/);
  });

  it('cites the ARM request for the extension', () => {
    const r = runWith([amaRunning()], vm(ama));
    expect(r.evidence.find((e) => e.text.startsWith('VM vm-prod'))?.refs).toEqual([42]);
  });
});
