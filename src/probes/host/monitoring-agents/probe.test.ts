import { describe, expect, it } from 'vitest';
import { fakeContext, type FakeContextOptions } from '../../../../test/helpers/fake-context.js';
import { fixtureText } from '../../../../test/probes/fixture-dirs.js';
import type { ProbeOutcome } from '../../../engine/types.js';
import type { ProcessInfo } from '../../../facts/host.js';
import { parsePsList } from '../processes/parse.js';
import { collectMonitoringAgents, monitoringAgentsProbe } from './probe.js';

/** The host.processes outcome for a ps capture. */
const ps = (name: string): ProbeOutcome<ProcessInfo[]> => ({ ...parsePsList(fixtureText(`monitoring/ps/${name}`)), refs: [7], durationMs: 3 }) as ProbeOutcome<ProcessInfo[]>;
const rsyslogConf = fixtureText('monitoring/rsyslog/debian12-default.rsyslog.conf');
const WS = '4f6d2b1a-8c3e-4d5f-9a7b-2c1e0d9f8a6b';

function ctxWith(psName: string, files: FakeContextOptions['files'] = {}) {
  return fakeContext({ probes: { 'host.processes': ps(psName) }, files: { '/usr/sbin/rsyslogd': '', '/etc/rsyslog.conf': rsyslogConf, ...files } });
}

async function collect(psName: string, files: FakeContextOptions['files'] = {}) {
  const ctx = ctxWith(psName, files);
  const r = await monitoringAgentsProbe.collect(ctx);
  if (!r.ok) throw new Error(r.detail);
  return { value: r.value, ctx };
}

describe('host.monitoring-agents probe', () => {
  it('AMA installed, running, with two DCR chunks; rsyslog forwards to it locally', async () => {
    const { value, ctx } = await collect('ama-running.txt', {
      '/opt/microsoft/azuremonitoragent/bin/mdsd': '',
      '/etc/opt/microsoft/azuremonitoragent/config-cache/configchunks/dcr-1.json': '{}',
      '/etc/opt/microsoft/azuremonitoragent/config-cache/configchunks/dcr-2.json': '{}',
      '/etc/rsyslog.d/10-azuremonitoragent-omfwd.conf': fixtureText('monitoring/rsyslog/10-azuremonitoragent-omfwd.conf'),
    });
    expect(ctx.calls).toEqual([]); // the process list comes from host.processes
    const ama = value.agents.find((a) => a.kind === 'azure-monitor-agent');
    expect(ama).toMatchObject({ installed: true, running: true, dcrChunks: 2 });
    expect(ama?.processes.map((p) => p.name)).toEqual(['agentlauncher', 'mdsd', 'amacoreagent', 'fluent-bit']);
    expect(ama?.paths).toEqual(['/opt/microsoft/azuremonitoragent', '/etc/opt/microsoft/azuremonitoragent', '/etc/opt/microsoft/azuremonitoragent/config-cache/configchunks/']);
    const rsyslog = value.agents.find((a) => a.kind === 'rsyslog');
    expect(rsyslog?.configFiles).toEqual(['/etc/rsyslog.conf', '/etc/rsyslog.d/10-azuremonitoragent-omfwd.conf']);
    expect(rsyslog?.outputs.map((o) => [o.destination, o.remote, o.note])).toEqual([['127.0.0.1:28330', false, 'forwards to the local Azure Monitor Agent']]);
    expect(value.agents.map((a) => a.kind)).toEqual(['azure-monitor-agent', 'rsyslog']);
    expect(value.processCount).toBe(14);
  });

  it('AMA installed without a configchunks directory: 0 data collection rules', async () => {
    const { value } = await collect('nothing.txt', { '/opt/microsoft/azuremonitoragent/bin/mdsd': '' });
    expect(value.agents.find((a) => a.kind === 'azure-monitor-agent')).toMatchObject({ installed: true, running: false, dcrChunks: 0 });
  });

  it('legacy OMS agent: one workspace directory becomes its output', async () => {
    const { value } = await collect('oms-legacy.txt', { '/opt/microsoft/omsagent/bin/omsagent': '', [`/etc/opt/microsoft/omsagent/${WS}/conf/omsadmin.conf`]: 'WORKSPACE_ID=x' });
    const oms = value.agents.find((a) => a.kind === 'oms-agent');
    expect(oms).toMatchObject({ installed: true, running: true });
    expect(oms?.outputs).toEqual([{ type: 'log-analytics-workspace', destination: `${WS}.ods.opinsights.azure.com`, remote: true, file: `/etc/opt/microsoft/omsagent/${WS}/` }]);
  });

  it('shippers: configs from their default paths and from the command line, @INCLUDE globs followed, secrets to the redactor', async () => {
    const { value, ctx } = await collect('shippers.txt', {
      '/opt/fluent-bit/bin/fluent-bit': '',
      '/etc/fluent-bit/fluent-bit.conf': fixtureText('monitoring/fluent-bit/azure-and-loki.conf'),
      '/etc/fluent-bit/outputs-extra.conf': fixtureText('monitoring/fluent-bit/outputs-extra.conf'),
      '/etc/vector/vector.toml': fixtureText('monitoring/vector/azure-monitor-logs.toml'),
      '/etc/promtail/config.yml': fixtureText('monitoring/promtail/config.yml'),
      '/lib/systemd/systemd-journal-upload': '',
      '/etc/systemd/journal-upload.conf': fixtureText('monitoring/journal-upload/debian12-default.journal-upload.conf'),
      '/etc/systemd/journal-upload.conf.d/10-collector.conf': fixtureText('monitoring/journal-upload/to-collector.conf'),
    });
    const by = Object.fromEntries(value.agents.map((a) => [a.kind, a]));
    expect(Object.keys(by)).toEqual(['fluent-bit', 'vector', 'promtail', 'rsyslog', 'journal-upload']);
    expect(by['fluent-bit']?.configFiles).toEqual(['/etc/fluent-bit/fluent-bit.conf', '/etc/fluent-bit/outputs-extra.conf']);
    expect(by['fluent-bit']?.outputs.map((o) => o.type)).toEqual(['azure_logs_ingestion', 'loki', 'stdout', 'forward']);
    expect(by['vector']).toMatchObject({ installed: false, running: true, configFiles: ['/etc/vector/vector.toml'] });
    expect(by['promtail']?.outputs.filter((o) => o.remote)).toHaveLength(1);
    expect(by['journal-upload']?.outputs).toEqual([
      { type: 'journal-upload', destination: 'https://journal.example.net:19532', remote: true, file: '/etc/systemd/journal-upload.conf.d/10-collector.conf', line: 3 },
    ]);
    expect(ctx.secrets).toEqual(
      expect.arrayContaining(['FAKE-fluentbit-client-secret-0123456789', 'FAKE-loki-password-0123', 'RkFLRS12ZWN0b3Itc2hhcmVkLWtleQ==', 'FAKE-promtail-password', 'FAKE-promtail-basic-password']),
    );
    expect(JSON.stringify(value)).not.toContain('FAKE');
  });

  it('nothing but rsyslog writing local files', async () => {
    const { value } = await collect('nothing.txt');
    expect(value.agents).toHaveLength(1);
    expect(value.agents[0]).toMatchObject({ kind: 'rsyslog', installed: true, running: false, outputs: [] });
    expect(value.searched).toEqual(expect.arrayContaining(['/opt/microsoft/azuremonitoragent', '/etc/fluent-bit/fluent-bit.conf', '/etc/rsyslog.d/']));
  });

  it('a config the run cannot read is reported, not skipped silently', async () => {
    const ctx = ctxWith('nothing.txt', { '/etc/fluent-bit/fluent-bit.conf': 'x' });
    const read = ctx.readFile.bind(ctx);
    ctx.readFile = async (path, max) => {
      if (path === '/etc/fluent-bit/fluent-bit.conf') throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
      return read(path, max);
    };
    const r = await monitoringAgentsProbe.collect(ctx);
    expect(r.ok && r.value.agents.find((a) => a.kind === 'fluent-bit')?.unreadable).toEqual([
      { path: '/etc/fluent-bit/fluent-bit.conf', reason: 'permission', detail: 'permission denied (run predeploy as root to read it)' },
    ]);
  });

  it('an install path under a directory it may not search is "cannot tell", not "not installed"', async () => {
    const ctx = fakeContext({ probes: { 'host.processes': ps('nothing.txt') }, files: { '/opt/microsoft/azuremonitoragent/bin/mdsd': '' }, denied: ['/opt/microsoft'] });
    const r = await monitoringAgentsProbe.collect(ctx);
    const ama = r.ok ? r.value.agents.find((a) => a.kind === 'azure-monitor-agent') : undefined;
    expect(ama?.unreadable).toContainEqual({ path: '/opt/microsoft/azuremonitoragent', reason: 'permission', detail: 'permission denied (run predeploy as root to read it)' });
  });

  it('no process list → the probe fails with its reason (running or not cannot be told)', async () => {
    const failed = { ok: false as const, reason: 'not-installed' as const, detail: 'ps not found (install the Debian/Ubuntu package procps)', refs: [], durationMs: 0 };
    expect(await collectMonitoringAgents(fakeContext({ probes: { 'host.processes': failed } }))).toEqual({
      ok: false,
      reason: 'not-installed',
      detail: 'process list (host.processes): ps not found (install the Debian/Ubuntu package procps)',
    });
  });
});
