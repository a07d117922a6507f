/**
 * Fact shapes of the host monitoring probe (src/probes/host/monitoring-agents): which agents and
 * log shippers are installed, configured and running on the VM. Plain data, no behaviour, and never
 * a credential: outputs carry a destination (host, host:port or a URL without user info), not keys.
 */

import type { UnreadablePath } from './host.js';

/** The agents and shippers predeploy recognises. */
export type MonitoringAgentKind =
  | 'azure-monitor-agent'
  | 'oms-agent'
  | 'fluent-bit'
  | 'vector'
  | 'promtail'
  | 'rsyslog'
  | 'journal-upload';

/** A place a shipper sends logs to, as configured. */
export interface LogOutput {
  /** plugin, sink or action type as written: `azure_logs_ingestion`, `loki`, `omfwd`, `@@` (legacy TCP forward) */
  type: string;
  /** where it sends: `host`, `host:port` or a URL without user info; absent when the config names none */
  destination?: string;
  /** true when the logs leave the VM (not stdout, a file, /dev/null or a loopback address) */
  remote: boolean;
  /** file the output is configured in (as the host sees it) */
  file: string;
  /** 1-based line where the output starts; absent when the output is read from a directory layout */
  line?: number;
  /** why it was judged local or remote, when that is not obvious from the type and destination */
  note?: string;
}

/** A process that belongs to an agent, from `ps -eo pid,user,etime,args`. */
export interface AgentProcess {
  pid: number;
  user: string;
  /** elapsed time as ps prints it: `[[dd-]hh:]mm:ss` */
  etime: string;
  /** the program name matched (`mdsd`, `fluent-bit`, `omsagent`) */
  name: string;
  /** the command line, cut to 200 characters */
  command: string;
}

export interface MonitoringAgent {
  kind: MonitoringAgentKind;
  /** the install directory or binary exists */
  installed: boolean;
  /** install directories, binaries and configuration files that exist */
  paths: string[];
  /** configuration files read */
  configFiles: string[];
  processes: AgentProcess[];
  running: boolean;
  outputs: LogOutput[];
  /** install paths, directories and configuration files that could not be read, with the reason */
  unreadable: UnreadablePath[];
  /** Azure Monitor Agent only: data collection rule chunks downloaded to config-cache/configchunks */
  dcrChunks?: number;
  /** lines of a configuration that could not be understood (file:line: text) */
  problems: string[];
}

export interface MonitoringAgents {
  /** agents with any trace on the host (installed, configured or running), in a fixed order */
  agents: MonitoringAgent[];
  /** every path looked at, for "nothing found" evidence */
  searched: string[];
  /** processes listed by ps (all of them, not only agents) */
  processCount: number;
}
