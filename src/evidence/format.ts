/**
 * The capture bundle's format (docs/bundle-format.md): what a capture writes and a replay reads.
 * Version 1. Every text in it has passed the run's redactor; nothing secret is stored.
 */
import type { FileStat, ProbeOutcome } from '../engine/types.js';

export const BUNDLE_FORMAT_VERSION = 1;

/** The files of a bundle, by relative path. */
export const MANIFEST_FILE = 'manifest.json';
export const CONFIG_FILE = 'config.json';
export const ENV_FILE = 'env.json';
export const PROBES_DIR = 'probes';
export const BUNDLE_REPORT = 'report.json';
export const BUNDLE_LOG = 'commands.log';
export const SUMS_FILE = 'SHA256SUMS';
export const SIG_FILE = 'SHA256SUMS.sig';
/** calls no probe made (none today; kept so nothing recorded is dropped) */
export const UNATTRIBUTED = '_unattributed';

export interface BundleManifest {
  formatVersion: typeof BUNDLE_FORMAT_VERSION;
  kind: 'predeploy-capture';
  tool: { name: 'predeploy'; version: string };
  /** the run's clock when it started: a replay judges times as of this instant */
  createdAt: string;
  /** the host name of the machine that ran the capture */
  host: string;
  /** the Target's name in the commands log */
  target: string;
  runId: string;
  /** the project root the probes read */
  root: string;
  options: {
    offline: boolean;
    refreshApt: boolean;
    timeoutMs: number;
    concurrency: number;
    isRoot: boolean;
    only: string[];
    skip: string[];
    /** the scratch folder the probes were given (certbot's work dirs): part of recorded argv */
    scratchDir?: string;
  };
  /** probe ids with a file under probes/ */
  probes: string[];
  /** where the config came from at capture time (config.json holds the effective config) */
  configSource: string | null;
}

/** Why a file-system call threw (EACCES, ...), or why an HTTP request failed. */
export interface RecordedError {
  name?: string;
  message: string;
  code?: string;
}

export interface ExecCall {
  seq: number;
  op: 'exec';
  /** the argv run (with `sudo -n --` when the probe asked for sudo and the run was not root) */
  argv: string[];
  env?: Record<string, string>;
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  truncated: boolean;
  spawnError?: string;
  durationMs: number;
  stdout: string;
  stderr: string;
}

export interface ReadFileCall {
  seq: number;
  op: 'readFile';
  path: string;
  maxBytes: number;
  /** null: the file does not exist */
  content?: string | null;
  /** bytes the probe got (before redaction) */
  size?: number;
  /** the bytes were not valid UTF-8: the stored text replaced the invalid sequences */
  lossy?: boolean;
  error?: RecordedError;
}

export interface StatCall {
  seq: number;
  op: 'stat';
  path: string;
  stat?: FileStat | null;
  error?: RecordedError;
}

export interface ReadDirCall {
  seq: number;
  op: 'readDir';
  path: string;
  names?: string[] | null;
  error?: RecordedError;
}

export interface HttpCall {
  seq: number;
  op: 'http';
  method: string;
  /** the URL as the commands log shows it (credentials in the query redacted) */
  url: string;
  connectTo?: string;
  /** request headers without credentials (authorization, cookie, api keys) */
  requestHeaders: Record<string, string>;
  /** the request body, redacted (token requests carry secrets) */
  requestBody?: string;
  response?: { status: number; headers: Record<string, string>; body: string; truncated: boolean };
  error?: RecordedError;
}

export type RecordedCall = ExecCall | ReadFileCall | StatCall | ReadDirCall | HttpCall;

/** `probes/<id>.json`: what one probe saw, and what it concluded. */
export interface ProbeRecord {
  probe: string;
  /** the probe's outcome (its fact, or why it failed), with the log entries it cites */
  outcome?: ProbeOutcome<unknown>;
  /** every call the probe made, in the order it began (`seq` = commands-log entry) */
  calls: RecordedCall[];
}

/** A bundle read back: its files, parsed. */
export interface Bundle {
  manifest: BundleManifest;
  config: unknown;
  env: Record<string, string>;
  probes: Map<string, ProbeRecord>;
  /** where it was read from */
  source: string;
}
