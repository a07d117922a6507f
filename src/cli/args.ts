/** Command-line parsing (node's util.parseArgs: no dependency, fast start). */
import { parseArgs } from 'node:util';
import { UsageError } from '../engine/errors.js';

/** The report formats `--format` takes (md and json are always written). Kept here, not
 * imported from the reporters, so parsing arguments loads no reporter. */
export const FORMAT_NAMES = ['md', 'json', 'sarif', 'junit', 'html'] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];

/** What `--fail-on` takes. */
export const FAIL_ON = ['blockers'] as const;
export type FailOn = (typeof FAIL_ON)[number];

export const DEFAULT_ROOT = '/data/order-processing';
export const DEFAULT_TIMEOUT_MS = 20_000;

export interface AssessArgs {
  root: string;
  config?: string;
  runId?: string;
  out?: string;
  offline: boolean;
  refreshApt: boolean;
  only: string[];
  skip: string[];
  timeoutMs: number;
  concurrency: number;
  failUnder?: number;
  /** extra formats to write (md and json are always written) */
  formats: FormatName[];
  /** gate conditions beyond --fail-under */
  failOn: FailOn[];
  /** no progress lines on stderr */
  quiet: boolean;
  /** `--target` values (`local`, `ssh://[user@]host[:port]`), parsed by targets/select.ts */
  targets: string[];
  /** `--inventory FILE` (Ansible INI or YAML) */
  inventory?: string;
  /** `--limit PATTERN` (Ansible host patterns) */
  limit?: string;
  /** hosts assessed at once */
  forks: number;
  /** `--ssh-option` pass-through, checked against an allowlist */
  sshOptions: string[];
  acceptNewHostKeys: boolean;
  connectTimeoutS: number;
  /** per-phase timings on stderr */
  timings: boolean;
  /** ask the Azure Instance Metadata Service even when DMI does not say Azure */
  azureImds: boolean;
  /** do not discover the deployment (nginx, systemd, IMDS, .env names) */
  noDiscovery: boolean;
}

/** `predeploy init [--root DIR] [--force]`. */
export interface InitArgs {
  root: string;
  force: boolean;
  offline: boolean;
  azureImds: boolean;
  timeoutMs: number;
}

/** `predeploy diff [A] [B]`: A and B are run ids, run folders or report.json files. */
export interface DiffArgs {
  root: string;
  out?: string;
  /** the earlier run; default: the second-latest complete run */
  a?: string;
  /** the later run; default: the latest complete run */
  b?: string;
  json: boolean;
}

export type Command =
  | { kind: 'help'; topic?: string }
  | { kind: 'version' }
  | { kind: 'assess'; args: AssessArgs }
  | { kind: 'checks'; json: boolean }
  | { kind: 'diff'; args: DiffArgs }
  | { kind: 'init'; args: InitArgs }
  | { kind: 'explain'; id: string };

export const HELP = `predeploy — read-only production-readiness assessment

Usage:
  predeploy assess [options]     assess this machine and the project root; write the run folder
  predeploy checks [--json]      list the check catalog (id, section, severity, live, what it runs)
  predeploy explain <check-id>   show one check: what it verifies, why, how to fix
  predeploy diff [A] [B] [--json]
                                 what changed between two runs (default: the last two complete
                                 runs in the output folder); A and B are run ids, run folders
                                 or report.json files
  predeploy init [--root <dir>] [--force]
                                 discover this deployment and write a commented predeploy.yaml
                                 and a predeploy.attest.yaml template into the root (never
                                 overwrites: --force keeps the old file as <name>.bak)
  predeploy --help | --version

assess options:
  --root <dir>         project root (default: $OP_ROOT, else ${DEFAULT_ROOT})
  --config <file>      predeploy.yaml to use (default: <root>/predeploy.yaml when present)
  --run-id <id>        run id (default: $OP_RUN_ID, else generated); [A-Za-z0-9._-]{1,64}, no ".."
  --out <dir>          where run folders go (default: <root>/_codex_predeploy)
  --offline            no network probes
  --refresh-apt        run "apt-get update" before listing upgrades (off by default: read-only)
  --only <ids>         only these sections or check ids (comma-separated, repeatable)
  --skip <ids>         leave out these sections or check ids
  --timeout <dur>      per-command timeout, e.g. 20s, 1500ms (default 20s)
  --concurrency <n>    commands in flight at once (default 8)
  --format <list>      extra outputs, comma-separated: sarif, junit, html (md and json are
                       always written: report.sarif, report.junit.xml, report.html)
  --fail-under <n>     exit 1 when the score is below n or a critical check fails
  --fail-on blockers   exit 1 when any go-live blocker fails
  --quiet              no progress on stderr (progress is live on a terminal, plain lines
                       when not a terminal or CI is set; NO_COLOR turns colours off)
  --timings            per-phase timings on stderr (config, discovery, each probe, checks,
                       reporters, write)
  --no-discovery       do not discover undecided values (nginx, certbot, systemd, IMDS, .env)
  --azure-imds         ask the Azure Instance Metadata Service even when DMI does not say Azure
                       (by default it is asked only on an Azure VM)

init options: --root, --force, --offline, --azure-imds, --timeout (as for assess)

remote and fleet (assess over ssh; the run folder stays here, under --out, default
./_codex_predeploy/<run-id>/<host>/; --root is then a path on the host):
  --target <t>         local, or ssh://[user@]host[:port] (repeatable: a fleet)
  --inventory <file>   an Ansible inventory (INI or YAML): every host, or those of --limit
  --limit <pattern>    Ansible host pattern: web:db, web:&prod, all:!db, web*, ~regex
  --forks <n>          hosts assessed at once (default 10)
  --ssh-option <opt>   extra ssh option, e.g. ProxyJump=bastion (repeatable; allowlisted)
  --accept-new-host-keys  record unknown host keys (StrictHostKeyChecking=accept-new);
                       default: an unknown or changed host key is an error for that host
  --connect-timeout <dur>  ssh ConnectTimeout (default 10s)

diff options: --root, --out (where the runs are, as for assess), --json

Exit codes: 0 done, 1 gate failed (--fail-under, --fail-on), 2 bad input or an unwritable run folder, 3 interrupted, 70 internal error.
Nothing on the machine is changed; no secret is printed.
`;

function parseDuration(v: string, flag = '--timeout'): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(v.trim());
  if (!m) throw new UsageError(`${flag} "${v}": expected a duration such as 20s or 1500ms`);
  const n = Number(m[1]) * (m[2] === 'ms' ? 1 : 1000);
  if (n < 100 || n > 600_000) throw new UsageError(`${flag} ${v}: must be between 100ms and 600s`);
  return Math.round(n);
}

function parseNumber(flag: string, v: string, min: number, max: number): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max) throw new UsageError(`${flag} "${v}": expected a number from ${min} to ${max}`);
  return n;
}

const list = (values: string[] | undefined): string[] =>
  (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v.length > 0);

/** Values from a closed set, deduplicated; anything else is a usage error naming the choices. */
function oneOf<T extends string>(flag: string, values: readonly string[], allowed: readonly T[]): T[] {
  const out: T[] = [];
  for (const v of values) {
    const hit = allowed.find((a) => a === v);
    if (hit === undefined) throw new UsageError(`${flag} "${v.slice(0, 40)}": expected ${allowed.join(', ')}`);
    if (!out.includes(hit)) out.push(hit);
  }
  return out;
}

export function parseCommand(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'V' },
        root: { type: 'string' },
        config: { type: 'string' },
        'run-id': { type: 'string' },
        out: { type: 'string' },
        offline: { type: 'boolean' },
        'refresh-apt': { type: 'boolean' },
        only: { type: 'string', multiple: true },
        skip: { type: 'string', multiple: true },
        timeout: { type: 'string' },
        concurrency: { type: 'string' },
        'fail-under': { type: 'string' },
        'fail-on': { type: 'string', multiple: true },
        format: { type: 'string', multiple: true },
        quiet: { type: 'boolean', short: 'q' },
        json: { type: 'boolean' },
        target: { type: 'string', multiple: true },
        inventory: { type: 'string' },
        limit: { type: 'string' },
        forks: { type: 'string' },
        'ssh-option': { type: 'string', multiple: true },
        'accept-new-host-keys': { type: 'boolean' },
        'connect-timeout': { type: 'string' },
        timings: { type: 'boolean' },
        'no-discovery': { type: 'boolean' },
        'azure-imds': { type: 'boolean' },
        force: { type: 'boolean' },
      },
    });
  } catch (err) {
    // parseArgs messages are one line and name the option; keep them, add the remedy.
    throw new UsageError(`${err instanceof Error ? err.message.split('\n')[0] : String(err)} (see predeploy --help)`);
  }
  const { values: v, positionals } = parsed;
  if (v.version) return { kind: 'version' };
  const [cmd, ...rest] = positionals;
  if (v.help || cmd === undefined || cmd === 'help') return { kind: 'help', ...(rest[0] ? { topic: rest[0] } : {}) };
  switch (cmd) {
    case 'assess': {
      if (rest.length > 0) throw new UsageError(`assess takes no positional arguments (got "${rest[0]}")`);
      const runId = v['run-id'] ?? env.OP_RUN_ID;
      return {
        kind: 'assess',
        args: {
          root: v.root ?? (env.OP_ROOT && env.OP_ROOT.length > 0 ? env.OP_ROOT : DEFAULT_ROOT),
          ...(v.config !== undefined ? { config: v.config } : {}),
          ...(runId !== undefined && runId !== '' ? { runId } : {}),
          ...(v.out !== undefined ? { out: v.out } : {}),
          offline: v.offline === true,
          refreshApt: v['refresh-apt'] === true,
          only: list(v.only),
          skip: list(v.skip),
          timeoutMs: v.timeout !== undefined ? parseDuration(v.timeout) : DEFAULT_TIMEOUT_MS,
          concurrency: v.concurrency !== undefined ? parseNumber('--concurrency', v.concurrency, 1, 64) : 8,
          ...(v['fail-under'] !== undefined ? { failUnder: parseNumber('--fail-under', v['fail-under'], 0, 100) } : {}),
          formats: oneOf('--format', list(v.format), FORMAT_NAMES),
          failOn: oneOf('--fail-on', list(v['fail-on']), FAIL_ON),
          quiet: v.quiet === true,
          targets: v.target ?? [],
          ...(v.inventory !== undefined ? { inventory: v.inventory } : {}),
          ...(v.limit !== undefined ? { limit: v.limit } : {}),
          forks: v.forks !== undefined ? parseNumber('--forks', v.forks, 1, 256) : 10,
          sshOptions: v['ssh-option'] ?? [],
          acceptNewHostKeys: v['accept-new-host-keys'] === true,
          connectTimeoutS: v['connect-timeout'] !== undefined ? Math.max(1, Math.round(parseDuration(v['connect-timeout'], '--connect-timeout') / 1000)) : 10,
          timings: v.timings === true,
          azureImds: v['azure-imds'] === true,
          noDiscovery: v['no-discovery'] === true,
        },
      };
    }
    case 'init': {
      if (rest.length > 0) throw new UsageError(`init takes no positional arguments (got "${rest[0]}")`);
      return {
        kind: 'init',
        args: {
          root: v.root ?? (env.OP_ROOT && env.OP_ROOT.length > 0 ? env.OP_ROOT : DEFAULT_ROOT),
          force: v.force === true,
          offline: v.offline === true,
          azureImds: v['azure-imds'] === true,
          timeoutMs: v.timeout !== undefined ? parseDuration(v.timeout) : DEFAULT_TIMEOUT_MS,
        },
      };
    }
    case 'diff': {
      if (rest.length > 2) throw new UsageError(`diff takes at most two runs (got ${rest.length}); see predeploy --help`);
      return {
        kind: 'diff',
        args: {
          root: v.root ?? (env.OP_ROOT && env.OP_ROOT.length > 0 ? env.OP_ROOT : DEFAULT_ROOT),
          ...(v.out !== undefined ? { out: v.out } : {}),
          ...(rest[0] !== undefined ? { a: rest[0] } : {}),
          ...(rest[1] !== undefined ? { b: rest[1] } : {}),
          json: v.json === true,
        },
      };
    }
    case 'checks':
      return { kind: 'checks', json: v.json === true };
    case 'explain':
      if (!rest[0]) throw new UsageError('explain needs a check id, e.g. predeploy explain security.ssh');
      return { kind: 'explain', id: rest[0] };
    default:
      throw new UsageError(`unknown command "${cmd}" (commands: assess, init, checks, explain, diff; see predeploy --help)`);
  }
}
