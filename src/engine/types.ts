/**
 * The contracts between the parts of predeploy (see docs/ARCHITECTURE.md "Contracts").
 *
 * A probe runs things and never judges; a check judges and never runs anything.
 * Probes reach the outside world only through {@link ProbeContext}, whose runner and HTTP
 * client enforce the read-only policy, redact output and write the commands log.
 */
import type { Config } from '../config/schema.js';
import type { FactTypes } from '../facts/index.js';

export type Status = 'pass' | 'warn' | 'fail' | 'unknown' | 'manual' | 'waived' | 'n/a';
export type Severity = 'critical' | 'high' | 'medium' | 'low';
export type SectionId =
  | 'infra'
  | 'security'
  | 'secrets'
  | 'monitoring'
  | 'backup'
  | 'zoho'
  | 'bot'
  | 'golive';

export interface Section {
  id: SectionId;
  number: number;
  title: string;
}

/** The eight checklist sections, in report order. */
export const SECTIONS: readonly Section[] = [
  { id: 'infra', number: 1, title: 'Infrastructure' },
  { id: 'security', number: 2, title: 'Security hardening' },
  { id: 'secrets', number: 3, title: 'Secrets management' },
  { id: 'monitoring', number: 4, title: 'Monitoring and alerting' },
  { id: 'backup', number: 5, title: 'Backup and recovery' },
  { id: 'zoho', number: 6, title: 'Zoho production' },
  { id: 'bot', number: 7, title: 'Azure Bot' },
  { id: 'golive', number: 8, title: 'Go-live' },
];

export const SEVERITY_WEIGHT: Readonly<Record<Severity, number>> = {
  critical: 10,
  high: 5,
  medium: 3,
  low: 1,
};

// ---------------------------------------------------------------------------------------------
// Targets and the commands log

/** What a target returns for one command. Output is raw; the safety layer redacts it. */
export interface RawExecResult {
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  /** true when the command was killed by its timeout */
  timedOut: boolean;
  /** true when stdout or stderr hit the output cap and was cut */
  truncated: boolean;
  /** set when the program could not be started (ENOENT, EACCES, ...) */
  spawnError?: string;
  durationMs: number;
}

export interface TargetExecOptions {
  timeoutMs: number;
  /** cap on bytes kept from each of stdout and stderr */
  maxOutputBytes: number;
  /** extra environment for the child (the rest is the target's own) */
  env?: Record<string, string>;
  /** when aborted (run interrupted), the command is killed like on a timeout */
  signal?: AbortSignal;
}

export interface FileStat {
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtimeMs: number;
  isFile: boolean;
  isDirectory: boolean;
}

/**
 * Where commands run. Local today (execFile, never a shell); later SSH or replay.
 * A target does no policy: the safety layer in front of it does.
 */
export interface Target {
  readonly name: string;
  exec(argv: readonly string[], options: TargetExecOptions): Promise<RawExecResult>;
  /** null when the file does not exist; throws for other errors (permission, ...) */
  readFile(path: string, maxBytes: number): Promise<Buffer | null>;
  /** null when the path does not exist */
  stat(path: string): Promise<FileStat | null>;
  /** names in a directory; null when it does not exist */
  readDir(path: string): Promise<string[] | null>;
}

/** One line of `13_PRODUCTION_DEPLOY_COMMANDS.log`. Every text field is already redacted. */
export interface LogEntry {
  seq: number;
  /** ISO time the action started */
  time: string;
  target: string;
  kind: 'exec' | 'http' | 'read' | 'refused';
  /** argv joined for display (exec), `METHOD URL` (http), path (read) */
  action: string;
  /** exit code, HTTP status, or a word such as `timeout`, `refused`, `not-found` */
  result: string;
  durationMs: number;
  /** redacted, capped output (stdout then stderr, or response body) */
  output: string;
  /** the probe that made the call, when there is one */
  probe?: string;
  /** SHA-256 of the entry before (64 zeros for #1): the hash chain (safety/log-chain.ts) */
  prevHash?: string;
  /** SHA-256 of prevHash and this entry's block as the log file shows it */
  hash?: string;
}

// ---------------------------------------------------------------------------------------------
// Probes

export type ProbeFailureReason =
  | 'not-installed'
  | 'permission'
  | 'timeout'
  | 'failed'
  | 'no-credentials'
  | 'disabled';

/**
 * The root cause of "could not look", as a value (never matched from text). The report groups
 * unknowns by it and gives each cause one action; the same cause behind 40 checks is one line.
 * Probes set it where they know it (execFailure knows the program, the Azure session knows there
 * are no credentials); otherwise the engine derives `{ kind: 'probe', probe, reason }`.
 */
export type Cause =
  /** no credentials for a service: `az login` / environment variables / a token */
  | { kind: 'no-credentials'; service: CredentialService }
  /** `sudo -n` needs a password (no NOPASSWD rule) and the run is not root */
  | { kind: 'sudo-password' }
  /** a tool the probe runs is not installed */
  | { kind: 'not-installed'; tool: string; package?: string }
  /** network probes are off (`--offline`) */
  | { kind: 'offline' }
  /** a configuration value is `TBD` (not decided): `domain.prod`, `azure.prod.keyVault` */
  | { kind: 'undecided'; key: string }
  /** a cloud API answered 403: `role` allows the read */
  | { kind: 'forbidden'; service: CredentialService; role: string }
  /** a file, directory or socket this user may not read */
  | { kind: 'permission'; what: string }
  /** an endpoint did not answer (timeout, refused, DNS, TLS) */
  | { kind: 'unreachable'; endpoint: string }
  /** the service kept answering 429 past the run's time budget */
  | { kind: 'throttled'; service: string }
  /** the run was interrupted before the probe finished */
  | { kind: 'interrupted' }
  /** anything else: that probe failed for that reason (its detail says how) */
  | { kind: 'probe'; probe: string; reason: ProbeFailureReason }
  /** the check itself threw (a bug in predeploy) */
  | { kind: 'check-error'; check: string };

export type CredentialService = 'azure' | 'zoho' | 'bot' | 'graph';

/** A probe failure, as `collect` returns it. */
export interface ProbeFailure {
  ok: false;
  reason: ProbeFailureReason;
  detail: string;
  /** the root cause, when the probe knows it better than `reason` says */
  cause?: Cause;
}

export type ProbeResult<T> = { ok: true; value: T } | ProbeFailure;

/** A probe result as the engine keeps it: with the commands-log entries that produced it. */
export type ProbeOutcome<T> = ProbeResult<T> & { refs: number[]; durationMs: number };

export interface ExecRequest {
  /** run through `sudo -n` when not already root */
  sudo?: boolean;
  /** per-command timeout; defaults to the run's probe timeout */
  timeoutMs?: number;
  env?: Record<string, string>;
}

/** A command as a probe sees it: policy-checked, logged and redacted. */
export interface ExecResult extends RawExecResult {
  /** the commands-log sequence number of this call */
  seq: number;
  /** set when the policy refused the command; nothing was run */
  refused?: string;
}

export interface HttpRequest {
  method: 'GET' | 'HEAD' | 'POST';
  url: string;
  headers?: Record<string, string>;
  /** form or JSON body for the few allowed POSTs (token requests); never logged */
  body?: string;
  timeoutMs?: number;
  /** TLS: connect to this address instead of resolving the URL's host (like curl --resolve) */
  connectTo?: string;
  /** TLS trust: an extra CA (PEM) or no verification (for reading headers of a host whose certificate is judged separately) */
  tls?: { ca?: string; insecure?: boolean };
}

export interface HttpResponse {
  seq: number;
  status: number;
  headers: Record<string, string>;
  body: string;
  durationMs: number;
}

export interface ProbeOptions {
  /** no network probes */
  offline: boolean;
  /** allow `apt-get update` before listing upgrades */
  refreshApt: boolean;
  timeoutMs: number;
}

export interface ProbeContext {
  readonly config: Config;
  /** the project root being assessed */
  readonly root: string;
  readonly options: ProbeOptions;
  readonly targetName: string;
  /** run a read-only command (refused before running when not on the allowlist) */
  exec(argv: readonly string[], request?: ExecRequest): Promise<ExecResult>;
  /** read a file, logged as a `read` entry; null when missing. Content is never logged. */
  readFile(path: string, maxBytes?: number): Promise<Buffer | null>;
  stat(path: string): Promise<FileStat | null>;
  readDir(path: string): Promise<string[] | null>;
  /** HTTP through the HTTP policy (GET/HEAD, allowed POSTs); throws HttpPolicyError when refused */
  http(request: HttpRequest): Promise<HttpResponse>;
  /** a secret value learned during the run (token, .env value): redacted from every output */
  addSecret(value: string): void;
  /** the result of another probe (run once, cached) */
  probe<K extends keyof FactTypes>(id: K): Promise<ProbeOutcome<FactTypes[K]>>;
  /** the environment predeploy was started with; probes read credentials from it for this run only (never Key Vault) */
  readonly env: Readonly<Record<string, string | undefined>>;
  /**
   * A folder inside the run folder for tools that insist on writing even to list things
   * (certbot's debug log and work files). Removed when the run ends; undefined in unit tests.
   */
  readonly scratchDir?: string;
  /** aborted when the run is interrupted */
  readonly signal: AbortSignal;
  /** the current time (injectable for tests) */
  now(): Date;
}

export interface Probe<K extends keyof FactTypes = keyof FactTypes> {
  id: K;
  /** what it runs, for `predeploy checks` and the log */
  describe: string;
  /** true when the probe talks to the network (skipped with --offline) */
  network?: boolean;
  collect(ctx: ProbeContext): Promise<ProbeResult<FactTypes[K]>>;
}

// ---------------------------------------------------------------------------------------------
// Checks

export interface Effort {
  size: 'S' | 'M' | 'L';
  /** estimated hours, [low, high] */
  hours: [number, number];
}

export interface Remediation {
  text: string;
  command?: string;
  url?: string;
}

export interface CheckMeta {
  /** `section.kebab-name`; equals the check's folder name */
  id: string;
  section: SectionId;
  /** states the good state: "SSH refuses root login" */
  title: string;
  severity: Severity;
  effort: Effort;
  remediation: Remediation;
  /** a failure of this check blocks go-live even when it is not critical */
  blocker?: boolean;
  /** one line: what the check looks at, for `predeploy checks` */
  runs: string;
}

/** Evidence a check cites: a short fact, with the commands-log entries it came from. */
export interface Evidence {
  text: string;
  refs?: number[];
}

/**
 * Something a check could not verify, and why. Every `unknown` finding carries at least one
 * (the catalog test enforces it); a `fail` may carry some too (parts it could not look at).
 */
export interface Unverified {
  /** the probe that could not look; absent for a decision that is not made (`undecided`) */
  probe?: string;
  cause: Cause;
  /** what exactly could not be read, one line */
  detail: string;
  refs?: number[];
}

export interface Finding {
  status: Status;
  /** one line */
  summary: string;
  evidence: Evidence[];
  /** what could not be verified, with structured causes (required when status is `unknown`) */
  unverified?: Unverified[];
}

/** One line of what a probe saw, for the report's posture tables; attached by the owning check. */
export interface KeyFact {
  probe: string;
  /** false when the probe failed: `text` says why */
  ok: boolean;
  text: string;
  refs: number[];
}

/** A row of the dev-vs-prod gap table; attached by the check that owns the item. */
export interface GapRow {
  item: string;
  dev: string;
  prod: string;
  /** `none`, `unknown`, or what is missing or different in prod */
  gap: string;
  /** what to do, or `—` */
  action: string;
}

/** Read access to probe results for a check. Pure: no I/O. */
export interface Facts {
  /** the value of a required probe; the engine guarantees it succeeded */
  need<K extends keyof FactTypes>(id: K): FactTypes[K];
  /** the outcome of an optional probe, or undefined when it was not run */
  maybe<K extends keyof FactTypes>(id: K): ProbeOutcome<FactTypes[K]> | undefined;
  /** the commands-log refs of a probe (for evidence) */
  refs(id: keyof FactTypes): number[];
}

export interface CheckContext {
  config: Config;
  now: Date;
}

export interface Check {
  meta: CheckMeta;
  /** probes that must succeed; when one failed the check is `unknown` with its reason */
  requires: readonly (keyof FactTypes)[];
  /** probes read when available */
  uses?: readonly (keyof FactTypes)[];
  /**
   * Among `uses`: probes read only for context in the evidence; they never change the status
   * (the catalog's no-pass-without-evidence test checks exactly that).
   */
  context?: readonly (keyof FactTypes)[];
  /**
   * Groups of probes of which any one is enough evidence (ufw or the kernel's netfilter rules):
   * the no-pass-without-evidence test takes a whole group away at once.
   */
  alternatives?: readonly (readonly (keyof FactTypes)[])[];
  evaluate(facts: Facts, ctx: CheckContext): Finding;
  /** one line for each probe this check summarises in the posture tables (src/checks/lib/key-facts.ts) */
  keyFacts?(facts: Facts): KeyFact[];
  /** the dev-vs-prod gap rows this check owns (src/checks/lib/gaps.ts) */
  gapRows?(facts: Facts, ctx: CheckContext): GapRow[];
}

/** A check's result as reported. */
export interface CheckResult {
  id: string;
  section: SectionId;
  title: string;
  severity: Severity;
  status: Status;
  summary: string;
  evidence: Evidence[];
  effort: Effort;
  remediation: Remediation;
  blocker: boolean;
  /** what the check looks at (CheckMeta.runs) */
  runs: string;
  /** what could not be verified and why (empty when everything was looked at) */
  unverified: Unverified[];
  /** what the probes this check owns saw, for the posture tables */
  keyFacts: KeyFact[];
  /** the dev-vs-prod gap rows this check owns */
  gapRows: GapRow[];
}
