/**
 * `host.monitoring-agents`: what collects and ships this VM's logs and metrics.
 *
 * The process list comes from `host.processes` (`ps -eo pid,user,etime,args`, run once per run
 * and shared); the rest is logged reads of the agents' well-known install and configuration paths. Configuration files are read
 * for their outputs only; credential values found there go to the redactor and never into the fact.
 *
 * Paths: Azure Monitor Agent `/opt/microsoft/azuremonitoragent` and
 * `/etc/opt/microsoft/azuremonitoragent/config-cache/configchunks/` (the downloaded data
 * collection rules — https://learn.microsoft.com/azure/azure-monitor/agents/azure-monitor-agent-troubleshoot-linux-vm);
 * legacy OMS agent `/opt/microsoft/omsagent`, one `/etc/opt/microsoft/omsagent/<workspace-id>/`
 * per workspace; fluent-bit `/etc/fluent-bit/`; vector `/etc/vector/`; promtail `/etc/promtail/`;
 * rsyslog `/etc/rsyslog.conf` + `/etc/rsyslog.d/*.conf`; `/etc/systemd/journal-upload.conf`.
 */
import { posix } from 'node:path';
import { defineProbe } from '../../../engine/define.js';
import type { ProbeContext, ProbeResult } from '../../../engine/types.js';
import type { UnreadablePath } from '../../../facts/host.js';
import type { AgentProcess, LogOutput, MonitoringAgent, MonitoringAgentKind, MonitoringAgents } from '../../../facts/monitoring.js';
import { unreadablePath } from '../../fs-error.js';
import { parseJournalUpload } from './journal-upload.js';
import { agentProcesses, configPathsOf } from './processes.js';
import { parseRsyslogForwards } from './rsyslog.js';

/** Agent configuration files are small; anything larger is not a config we understand. */
const MAX_CONFIG_BYTES = 1024 * 1024;
/** Cap on configuration files read per agent (includes and drop-ins), so a glob cannot run away. */
const MAX_FILES_PER_AGENT = 32;
const WORKSPACE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** File-system access under a root prefix (`/` on a real host; a temp tree in tests), reporting host paths. */
class HostFs {
  readonly searched: string[] = [];
  constructor(
    private readonly ctx: ProbeContext,
    private readonly fsRoot: string,
  ) {}

  private at(path: string): string {
    return this.fsRoot === '/' ? path : posix.join(this.fsRoot, path);
  }

  /** What is at `path`; an error (a parent directory we may not traverse) is "cannot tell", not "absent". */
  async exists(path: string): Promise<'file' | 'dir' | 'other' | null | UnreadablePath> {
    this.searched.push(path);
    try {
      const s = await this.ctx.stat(this.at(path));
      if (!s) return null;
      return s.isFile ? 'file' : s.isDirectory ? 'dir' : 'other';
    } catch (err) {
      return unreadablePath(path, err);
    }
  }

  async list(path: string): Promise<string[] | null | UnreadablePath> {
    this.searched.push(`${path}/`);
    try {
      return await this.ctx.readDir(this.at(path));
    } catch (err) {
      return unreadablePath(`${path}/`, err);
    }
  }

  async read(path: string): Promise<string | null | UnreadablePath> {
    try {
      const buf = await this.ctx.readFile(this.at(path), MAX_CONFIG_BYTES);
      return buf === null ? null : buf.toString('utf8');
    } catch (err) {
      return unreadablePath(path, err);
    }
  }
}

function emptyAgent(kind: MonitoringAgentKind, processes: AgentProcess[]): MonitoringAgent {
  return { kind, installed: false, paths: [], configFiles: [], processes, running: processes.length > 0, outputs: [], unreadable: [], problems: [] };
}

/** Record install paths that exist, and those that cannot be told apart from missing. */
async function install(fs: HostFs, agent: MonitoringAgent, paths: readonly string[]): Promise<void> {
  for (const p of paths) {
    const at = await fs.exists(p);
    if (at === null) continue;
    if (typeof at === 'object') {
      agent.unreadable.push(at);
      continue;
    }
    agent.installed = true;
    agent.paths.push(p);
  }
}

interface Parsed {
  outputs: LogOutput[];
  problems: string[];
  secrets?: string[];
  includes?: string[];
}
type Parse = (text: string, file: string) => Parsed | Promise<Parsed>;

/**
 * Read configuration files (and the `@INCLUDE`s they name, for fluent-bit) into the agent. Globs
 * are only supported in the last path segment (`outputs-*.conf`, `/etc/rsyslog.d/*.conf`).
 */
async function readConfigs(ctx: ProbeContext, fs: HostFs, agent: MonitoringAgent, files: readonly string[], parse: Parse): Promise<void> {
  const queue = [...new Set(files)];
  const seen = new Set<string>();
  while (queue.length > 0 && seen.size < MAX_FILES_PER_AGENT) {
    const file = queue.shift() ?? '';
    if (seen.has(file)) continue;
    seen.add(file);
    if (posix.basename(file).includes('*')) {
      const dir = posix.dirname(file);
      const re = new RegExp(`^${posix.basename(file).replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`);
      const names = await fs.list(dir);
      if (names === null) continue;
      if (!Array.isArray(names)) {
        agent.unreadable.push(names);
        continue;
      }
      queue.push(...names.filter((n) => re.test(n)).sort().map((n) => posix.join(dir, n)));
      continue;
    }
    const text = await fs.read(file);
    fs.searched.push(file);
    if (text === null) continue;
    if (typeof text !== 'string') {
      agent.unreadable.push(text);
      continue;
    }
    agent.configFiles.push(file);
    agent.paths.push(file);
    const parsed = await parse(text, file);
    agent.outputs.push(...parsed.outputs);
    agent.problems.push(...parsed.problems);
    for (const s of parsed.secrets ?? []) ctx.addSecret(s);
    for (const inc of parsed.includes ?? []) queue.push(posix.isAbsolute(inc) ? inc : posix.join(posix.dirname(file), inc));
  }
}

const commandConfigs = (processes: readonly AgentProcess[]): string[] => processes.flatMap((p) => configPathsOf(p.command));

/** Collect with file-system paths resolved under `fsRoot` (tests point it at a temp tree). */
export async function collectMonitoringAgents(ctx: ProbeContext, fsRoot = '/'): Promise<ProbeResult<MonitoringAgents>> {
  // Without the process list "installed but not running" cannot be told apart from "running": unknown.
  const ps = await ctx.probe('host.processes');
  if (!ps.ok) return { ok: false, reason: ps.reason, detail: `process list (host.processes): ${ps.detail}` };
  const rows = ps.value;
  const procs = agentProcesses(rows);
  const fs = new HostFs(ctx, fsRoot);
  const of = (kind: MonitoringAgentKind) => emptyAgent(kind, procs.get(kind) ?? []);

  const ama = of('azure-monitor-agent');
  await install(fs, ama, ['/opt/microsoft/azuremonitoragent', '/etc/opt/microsoft/azuremonitoragent']);
  const chunksDir = '/etc/opt/microsoft/azuremonitoragent/config-cache/configchunks';
  const chunks = await fs.list(chunksDir);
  if (Array.isArray(chunks)) {
    ama.dcrChunks = chunks.filter((n) => n.endsWith('.json')).length;
    ama.paths.push(`${chunksDir}/`);
  } else if (chunks !== null) {
    ama.unreadable.push(chunks);
  } else if (ama.installed) {
    ama.dcrChunks = 0;
  }

  const oms = of('oms-agent');
  await install(fs, oms, ['/opt/microsoft/omsagent']);
  const omsEtc = await fs.list('/etc/opt/microsoft/omsagent');
  if (Array.isArray(omsEtc)) {
    oms.paths.push('/etc/opt/microsoft/omsagent/');
    // One directory per Log Analytics workspace the agent is connected to.
    for (const ws of omsEtc.filter((n) => WORKSPACE_ID.test(n))) {
      oms.outputs.push({ type: 'log-analytics-workspace', destination: `${ws}.ods.opinsights.azure.com`, remote: true, file: `/etc/opt/microsoft/omsagent/${ws}/` });
    }
  } else if (omsEtc !== null) {
    oms.unreadable.push(omsEtc);
  }

  // The YAML-based parsers load the yaml package: only when there is a file for them to parse.
  const parseFluentBit: Parse = async (text, file) => (await import('./fluent-bit.js')).parseFluentBit(text, file);
  const parseVector: Parse = async (text, file) => (await import('./vector.js')).parseVector(text, file);
  const parsePromtail: Parse = async (text, file) => (await import('./promtail.js')).parsePromtail(text, file);
  const fluentBit = of('fluent-bit');
  await install(fs, fluentBit, ['/opt/fluent-bit/bin/fluent-bit', '/usr/bin/fluent-bit', '/opt/td-agent-bit/bin/td-agent-bit']);
  await readConfigs(
    ctx,
    fs,
    fluentBit,
    ['/etc/fluent-bit/fluent-bit.conf', '/etc/fluent-bit/fluent-bit.yaml', '/etc/td-agent-bit/td-agent-bit.conf', ...commandConfigs(fluentBit.processes)],
    parseFluentBit,
  );

  const vector = of('vector');
  await install(fs, vector, ['/usr/bin/vector']);
  await readConfigs(ctx, fs, vector, ['/etc/vector/vector.yaml', '/etc/vector/vector.yml', '/etc/vector/vector.toml', ...commandConfigs(vector.processes)], parseVector);

  const promtail = of('promtail');
  await install(fs, promtail, ['/usr/bin/promtail', '/usr/local/bin/promtail']);
  await readConfigs(ctx, fs, promtail, ['/etc/promtail/config.yml', '/etc/promtail/config.yaml', ...commandConfigs(promtail.processes)], parsePromtail);

  const rsyslog = of('rsyslog');
  await install(fs, rsyslog, ['/usr/sbin/rsyslogd']);
  await readConfigs(ctx, fs, rsyslog, ['/etc/rsyslog.conf', '/etc/rsyslog.d/*.conf'], parseRsyslogForwards);

  const upload = of('journal-upload');
  await install(fs, upload, ['/lib/systemd/systemd-journal-upload', '/usr/lib/systemd/systemd-journal-upload']);
  // Later drop-ins override the main file: only the last URL= counts.
  await readConfigs(ctx, fs, upload, ['/etc/systemd/journal-upload.conf', '/etc/systemd/journal-upload.conf.d/*.conf'], (text, file) => {
    const o = parseJournalUpload(text, file);
    return { outputs: o ? [o] : [], problems: [] };
  });
  upload.outputs = upload.outputs.slice(-1);

  const agents = [ama, oms, fluentBit, vector, promtail, rsyslog, upload].filter((a) => a.installed || a.configFiles.length > 0 || a.running || a.unreadable.length > 0);
  for (const a of agents) a.paths = [...new Set(a.paths)];
  return { ok: true, value: { agents, searched: [...new Set(fs.searched)], processCount: rows.length } };
}

/** `host.monitoring-agents`. */
export const monitoringAgentsProbe = defineProbe({
  id: 'host.monitoring-agents',
  describe: 'host.processes (ps -eo pid,user,etime,args); read agent and shipper paths and configs (AMA, OMS, fluent-bit, vector, promtail, rsyslog, journal-upload)',
  collect: (ctx) => collectMonitoringAgents(ctx),
});
