/**
 * Agent processes in the process list of `host.processes` (`ps -eo pid,user,etime,args`).
 *
 * Names, from the vendors' packages:
 * - Azure Monitor Agent: `mdsd`, `amacoreagent`, `agentlauncher`, `MetricsExtension` and its own
 *   `fluent-bit`, all under `/opt/microsoft/azuremonitoragent/` —
 *   https://learn.microsoft.com/azure/azure-monitor/agents/azure-monitor-agent-troubleshoot-linux-vm
 *   (the Linux Diagnostic Extension also runs an `mdsd`, from `/var/lib/waagent/...`: not AMA);
 * - legacy Log Analytics (OMS) agent: `ruby ... /opt/microsoft/omsagent/bin/omsagent`;
 * - fluent-bit (`/opt/fluent-bit/bin/fluent-bit`, or the older `td-agent-bit`), `vector`,
 *   `promtail`, `rsyslogd`, `systemd-journal-upload`.
 */
import { posix } from 'node:path';
import type { ProcessInfo } from '../../../facts/host.js';
import type { AgentProcess, MonitoringAgentKind } from '../../../facts/monitoring.js';

const AMA_DIR = '/azuremonitoragent/';
const AMA_NAMES = new Set(['amacoreagent', 'agentlauncher', 'mdsd', 'metricsextension', 'mdsdmgr']);

/** Which agent a process belongs to, and the name it was recognised by. */
export function classifyProcess(args: string): { kind: MonitoringAgentKind; name: string } | undefined {
  if (args.startsWith('[')) return undefined; // kernel thread
  const tokens = args.split(/\s+/);
  const argv0 = tokens[0] ?? '';
  // `sshd: user@pts/0` style titles end the program name with a colon
  const base = posix.basename(argv0).replace(/:$/, '');
  const lower = base.toLowerCase();
  if (argv0.includes(AMA_DIR) || ((lower === 'amacoreagent' || lower === 'agentlauncher') && !argv0.includes('/waagent/'))) {
    return { kind: 'azure-monitor-agent', name: base };
  }
  if (lower === 'mdsd' && args.includes('azuremonitoragent')) return { kind: 'azure-monitor-agent', name: base };
  if (AMA_NAMES.has(lower) && argv0.includes('/waagent/')) return undefined; // Linux Diagnostic Extension
  // The OMS agent is Ruby: `/opt/microsoft/omsagent/ruby/bin/ruby /opt/microsoft/omsagent/bin/omsagent ...`.
  // Only the program itself counts, not a command that merely names the path (`tail .../omsagent.log`).
  if (lower === 'omsagent' || (argv0.startsWith('/opt/microsoft/omsagent/') && posix.basename(tokens[1] ?? '') === 'omsagent')) {
    return { kind: 'oms-agent', name: 'omsagent' };
  }
  if (lower === 'fluent-bit' || lower === 'td-agent-bit') return { kind: 'fluent-bit', name: base };
  if (lower === 'vector') return { kind: 'vector', name: base };
  if (lower === 'promtail') return { kind: 'promtail', name: base };
  if (lower === 'rsyslogd') return { kind: 'rsyslog', name: base };
  if (lower === 'systemd-journal-upload') return { kind: 'journal-upload', name: base };
  return undefined;
}

/** Agent processes of a ps listing, by kind. */
export function agentProcesses(rows: readonly ProcessInfo[]): Map<MonitoringAgentKind, AgentProcess[]> {
  const out = new Map<MonitoringAgentKind, AgentProcess[]>();
  for (const row of rows) {
    const c = classifyProcess(row.args);
    if (!c) continue;
    const list = out.get(c.kind) ?? [];
    list.push({ pid: row.pid, user: row.user, etime: row.etime, name: c.name, command: row.args.length > 200 ? `${row.args.slice(0, 200)}…` : row.args });
    out.set(c.kind, list);
  }
  return out;
}

/**
 * Configuration files named on a shipper's command line: fluent-bit `-c <file>` / `--config=<file>`,
 * vector `--config <file>` / `-c` / `--config-yaml` / `--config-toml`, promtail `-config.file=<file>`.
 */
export function configPathsOf(command: string): string[] {
  const tokens = command.split(/\s+/);
  const out: string[] = [];
  for (let i = 1; i < tokens.length; i++) {
    const t = tokens[i] ?? '';
    const eq = /^--?(?:config|config-yaml|config-toml|config\.file)=(.+)$/.exec(t);
    if (eq) out.push(eq[1] ?? '');
    else if (/^(?:-c|--config|--config-yaml|--config-toml|-config\.file)$/.test(t) && tokens[i + 1] !== undefined) out.push(tokens[++i] ?? '');
  }
  // `//etc/fluent-bit/fluent-bit.conf` (the fluent-bit unit file's spelling) → `/etc/...`
  return out.filter((p) => p.startsWith('/')).map((p) => posix.normalize(p));
}
