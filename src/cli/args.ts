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
  /** `--target`: `local` (default) or `replay:DIR` (a capture bundle, folder or .tar.gz) */
  target?: string;
  /** also write a capture bundle here (`assess --capture DIR`; for `capture`, its --out) */
  capture?: string;
  /** `capture` command: the bundle is the only output (no run folder) */
  captureOnly?: boolean;
  /** write the bundle as one .tar.gz */
  archive: boolean;
  /** sign SHA256SUMS with this SSH key (ssh-keygen -Y sign, namespace predeploy) */
  signWith?: string;
}

/** `predeploy verify <run-folder|bundle> [--allowed-signers FILE]`. */
export interface VerifyArgs {
  path: string;
  allowedSigners?: string;
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
  | { kind: 'verify'; args: VerifyArgs }
  | { kind: 'explain'; id: string };

export const HELP = `predeploy — read-only production-readiness assessment

Usage:
  predeploy assess [options]     assess this machine and the project root; write the run folder
  predeploy checks [--json]      list the check catalog (id, section, severity, live, what it runs)
  predeploy explain <check-id>   show one check: what it verifies, why, how to fix
  predeploy capture --out <dir> [assess options] [--archive]
                                 assess and record everything the probes saw into a bundle
                                 (redacted; docs/bundle-format.md), for replay and audit
  predeploy verify <run-folder|bundle> [--allowed-signers <file>]
                                 recompute the commands log's hash chain, the report's record
                                 of it and SHA256SUMS (and the SSH signature); exit 0 or 1
  predeploy diff [A] [B] [--json]
                                 what changed between two runs (default: the last two complete
                                 runs in the output folder); A and B are run ids, run folders
                                 or report.json files
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
  --target <spec>      local (default), or replay:<bundle> to assess a capture bundle (folder
                       or .tar.gz) with no host and no network, as of the capture's time
  --capture <dir>      also record a capture bundle into <dir> (capture: use --out)
  --archive            write the bundle as one <dir>.tar.gz
  --sign-with <key>    sign SHA256SUMS of the run folder (and bundle) with this SSH key
                       (ssh-keygen -Y sign -n predeploy; writes SHA256SUMS.sig)

diff options: --root, --out (where the runs are, as for assess), --json
verify options: --allowed-signers <file>  also check SHA256SUMS.sig (ssh-keygen -Y verify)

Exit codes: 0 done, 1 gate failed (--fail-under, --fail-on), 2 bad input, 3 interrupted.
Nothing on the machine is changed; no secret is printed.
`;

function parseDuration(v: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(v.trim());
  if (!m) throw new UsageError(`--timeout "${v}": expected a duration such as 20s or 1500ms`);
  const n = Number(m[1]) * (m[2] === 'ms' ? 1 : 1000);
  if (n < 100 || n > 600_000) throw new UsageError(`--timeout ${v}: must be between 100ms and 600s`);
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
        target: { type: 'string' },
        capture: { type: 'string' },
        archive: { type: 'boolean' },
        'sign-with': { type: 'string' },
        'allowed-signers': { type: 'string' },
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
    case 'capture':
    case 'assess': {
      if (rest.length > 0) throw new UsageError(`${cmd} takes no positional arguments (got "${rest[0]}")`);
      if (cmd === 'capture' && (v.out === undefined || v.out === '')) throw new UsageError('capture needs --out <dir>: where the bundle goes');
      if (cmd === 'capture' && v.capture !== undefined) throw new UsageError('capture writes its bundle to --out; --capture is for assess');
      if (v.target !== undefined && v.target !== 'local' && !v.target.startsWith('replay:')) throw new UsageError(`--target "${v.target.slice(0, 60)}": expected local or replay:<bundle>`);
      if (v.target?.startsWith('replay:') && (cmd === 'capture' || v.capture !== undefined)) throw new UsageError('a replay cannot be captured again: capture the host itself');
      if (v.archive && cmd === 'assess' && v.capture === undefined) throw new UsageError('--archive applies to a capture bundle: add --capture <dir>');
      const runId = v['run-id'] ?? env.OP_RUN_ID;
      return {
        kind: 'assess',
        args: {
          root: v.root ?? (env.OP_ROOT && env.OP_ROOT.length > 0 ? env.OP_ROOT : DEFAULT_ROOT),
          ...(v.config !== undefined ? { config: v.config } : {}),
          ...(runId !== undefined && runId !== '' ? { runId } : {}),
          ...(v.out !== undefined && cmd === 'assess' ? { out: v.out } : {}),
          ...(cmd === 'capture' && v.out !== undefined ? { capture: v.out, captureOnly: true } : {}),
          ...(v.capture !== undefined ? { capture: v.capture } : {}),
          ...(v.target !== undefined ? { target: v.target } : {}),
          archive: v.archive === true,
          ...(v['sign-with'] !== undefined ? { signWith: v['sign-with'] } : {}),
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
    case 'verify':
      if (rest.length !== 1 || rest[0] === undefined) throw new UsageError('verify needs one run folder or bundle, e.g. predeploy verify ./_codex_predeploy/<run-id>');
      return { kind: 'verify', args: { path: rest[0], ...(v['allowed-signers'] !== undefined ? { allowedSigners: v['allowed-signers'] } : {}) } };
    case 'checks':
      return { kind: 'checks', json: v.json === true };
    case 'explain':
      if (!rest[0]) throw new UsageError('explain needs a check id, e.g. predeploy explain security.ssh');
      return { kind: 'explain', id: rest[0] };
    default:
      throw new UsageError(`unknown command "${cmd}" (commands: assess, capture, verify, checks, explain, diff; see predeploy --help)`);
  }
}
