/** Command-line parsing (node's util.parseArgs: no dependency, fast start). */
import { parseArgs } from 'node:util';
import { nearest } from '../config/suggest.js';
import { UsageError } from '../engine/errors.js';
import { parseTargetSpec } from '../targets/select.js';

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
  /** the one `replay:DIR` target (a capture bundle, folder or .tar.gz), when that is what --target names */
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

/** `predeploy init [--root DIR] [--force]`. */
export interface InitArgs extends RemoteArgs {
  root: string;
  force: boolean;
  offline: boolean;
  azureImds: boolean;
  timeoutMs: number;
  /** where the two files go (default: the root; required for an ssh target: the host is never written to) */
  out?: string;
}

/** `--target ssh://…` for the commands that discover on one host (`config`, `init`). */
export interface RemoteArgs {
  /** the ssh host; absent: this machine */
  remote?: { host: string; user?: string; port?: number };
  sshOptions: string[];
  acceptNewHostKeys: boolean;
  connectTimeoutS: number;
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
  /** `--host NAME`: compare this host of fleet runs (with each other, or with a single-host run) */
  host?: string;
  /** neither --root, OP_ROOT nor --out was given: `./_codex_predeploy` (where fleet, ssh and replay runs go) is looked in too */
  defaultPlace: boolean;
}

/** `predeploy config`: the effective configuration and where each value came from. */
export interface ConfigArgs extends RemoteArgs {
  root: string;
  /** where root came from: --root, OP_ROOT, or the default */
  rootFrom: 'option' | 'env' | 'default';
  config?: string;
  json: boolean;
  /** do not discover (nginx, certbot, systemd, IMDS, .env names) */
  noDiscovery: boolean;
  offline: boolean;
  azureImds: boolean;
  timeoutMs: number;
}

export type Command =
  | { kind: 'help'; topic?: CommandName }
  /** no command given: the help, on stderr, and exit 2 */
  | { kind: 'usage' }
  | { kind: 'version' }
  | { kind: 'assess'; args: AssessArgs }
  | { kind: 'checks'; json: boolean }
  | { kind: 'diff'; args: DiffArgs }
  | { kind: 'init'; args: InitArgs }
  | { kind: 'verify'; args: VerifyArgs }
  | { kind: 'explain'; id: string }
  | { kind: 'config'; args: ConfigArgs };

/**
 * One command-line option. The tables below are the single source of the help text, the
 * "did you mean" for a mistyped option and the parsing: adding an option is one entry here and
 * its name in the commands that take it.
 */
export interface OptionSpec {
  readonly type: 'boolean' | 'string';
  readonly short?: string;
  /** may be repeated (values collected in order) */
  readonly multiple?: boolean;
  /** the value's placeholder in the help, e.g. `<dir>` */
  readonly value?: string;
  readonly help: string;
}

export const OPTIONS = {
  root: { type: 'string', value: '<dir>', help: `project root (default: $OP_ROOT, else ${DEFAULT_ROOT})` },
  config: { type: 'string', value: '<file>', help: 'predeploy.yaml to use (default: <root>/predeploy.yaml when present)' },
  'run-id': { type: 'string', value: '<id>', help: 'run id (default: $OP_RUN_ID, else generated); [A-Za-z0-9._-]{1,64}, no ".."' },
  out: { type: 'string', value: '<dir>', help: 'where run folders are (default: <root>/_codex_predeploy); for init, where its two files go (default: the root)' },
  offline: { type: 'boolean', help: 'no network probes' },
  'refresh-apt': { type: 'boolean', help: 'run "apt-get update" before listing upgrades (off by default: read-only)' },
  only: { type: 'string', multiple: true, value: '<ids>', help: 'only these sections or check ids (comma-separated, repeatable)' },
  skip: { type: 'string', multiple: true, value: '<ids>', help: 'leave out these sections or check ids' },
  timeout: { type: 'string', value: '<dur>', help: 'per-command timeout, e.g. 20s, 1500ms (default 20s)' },
  concurrency: { type: 'string', value: '<n>', help: 'commands in flight at once (default 8)' },
  format: {
    type: 'string',
    multiple: true,
    value: '<list>',
    help: 'extra outputs, comma-separated: sarif, junit, html (md and json are always written: report.sarif, report.junit.xml, report.html)',
  },
  'fail-under': { type: 'string', value: '<n>', help: 'exit 1 when the score is below n or a critical check fails' },
  'fail-on': { type: 'string', multiple: true, value: 'blockers', help: 'exit 1 when any go-live blocker fails' },
  quiet: { type: 'boolean', short: 'q', help: 'no progress on stderr (live on a terminal, plain lines when not a terminal or CI is set; NO_COLOR turns colours off)' },
  timings: { type: 'boolean', help: 'per-phase timings on stderr (start-up, config, setup, discovery, each probe, checks, reporters, write; in a fleet, per host)' },
  'no-discovery': { type: 'boolean', help: 'do not discover undecided values (nginx, certbot, systemd, IMDS, .env)' },
  'azure-imds': { type: 'boolean', help: 'ask the Azure Instance Metadata Service even when DMI does not say Azure (by default only on an Azure VM)' },
  target: { type: 'string', multiple: true, value: '<t>', help: 'local, or ssh://[user@]host[:port] (repeatable: a fleet); the run folder stays here, --root is a path on the host' },
  inventory: { type: 'string', value: '<file>', help: 'an Ansible inventory (INI or YAML): every host, or those of --limit' },
  limit: { type: 'string', value: '<pattern>', help: 'Ansible host pattern: web:db, web:&prod, all:!db, web*, ~regex' },
  forks: { type: 'string', value: '<n>', help: 'hosts assessed at once (default 10)' },
  'ssh-option': { type: 'string', multiple: true, value: '<opt>', help: 'extra ssh option, e.g. ProxyJump=bastion (repeatable; allowlisted)' },
  'accept-new-host-keys': { type: 'boolean', help: 'record unknown host keys (StrictHostKeyChecking=accept-new); default: an unknown or changed host key is an error for that host' },
  'connect-timeout': { type: 'string', value: '<dur>', help: 'ssh ConnectTimeout (default 10s)' },
  host: { type: 'string', value: '<name>', help: 'diff: compare this host of fleet runs (with each other, or with a single-host run)' },
  force: { type: 'boolean', help: 'overwrite, keeping the old file as <name>.bak' },
  capture: { type: 'string', value: '<dir>', help: 'also record a capture bundle into <dir> (redacted; docs/bundle-format.md); replay it with --target replay:<dir>' },
  archive: { type: 'boolean', help: 'write the capture bundle as one <dir>.tar.gz' },
  'sign-with': { type: 'string', value: '<key>', help: 'sign SHA256SUMS of the run folder (and bundle) with this SSH key (ssh-keygen -Y sign -n predeploy)' },
  'allowed-signers': { type: 'string', value: '<file>', help: 'also check SHA256SUMS.sig against this allowed-signers file (ssh-keygen -Y verify)' },
  json: { type: 'boolean', help: 'print JSON instead of text' },
  help: { type: 'boolean', short: 'h', help: 'this help (predeploy help <command> for one command)' },
  version: { type: 'boolean', short: 'V', help: 'print the version' },
} as const satisfies Record<string, OptionSpec>;

export type OptionName = keyof typeof OPTIONS;

/** One command: its synopsis, what it does, the options it takes and how many positionals. */
export interface CommandSpec {
  readonly synopsis: string;
  readonly summary: string;
  readonly options: readonly OptionName[];
  readonly positionals: { readonly min: number; readonly max: number; readonly missing?: string; readonly tooMany?: string };
}

export const COMMANDS = {
  assess: {
    synopsis: 'assess [options]',
    summary: 'assess this machine and the project root; write the run folder and print the Paste-Back Report',
    options: [
      'root', 'config', 'run-id', 'out', 'offline', 'refresh-apt', 'only', 'skip', 'timeout', 'concurrency', 'format', 'fail-under', 'fail-on', 'quiet',
      'timings', 'no-discovery', 'azure-imds', 'target', 'inventory', 'limit', 'forks', 'ssh-option', 'accept-new-host-keys', 'connect-timeout',
      'capture', 'archive', 'sign-with',
    ],
    positionals: { min: 0, max: 0 },
  },
  capture: {
    synopsis: 'capture --out DIR [assess options] [--archive]',
    summary: 'assess and record everything the probes saw into a bundle (redacted), for replay (--target replay:DIR) and audit',
    options: ['root', 'config', 'run-id', 'out', 'offline', 'refresh-apt', 'only', 'skip', 'timeout', 'concurrency', 'quiet', 'no-discovery', 'azure-imds', 'archive', 'sign-with'],
    positionals: { min: 0, max: 0 },
  },
  verify: {
    synopsis: 'verify <run-folder|bundle> [--allowed-signers FILE]',
    summary: "recompute the commands log's hash chain, the report's record of it and SHA256SUMS (and the SSH signature); exit 0, or 1 naming the first mismatch",
    options: ['allowed-signers'],
    positionals: { min: 1, max: 1, missing: 'verify needs one run folder or bundle, e.g. predeploy verify ./_codex_predeploy/<run-id>' },
  },
  init: {
    synopsis: 'init [--root DIR] [--force] [--target ssh://[user@]host[:port] --out DIR]',
    summary: 'discover this deployment and write a commented predeploy.yaml and a predeploy.attest.yaml template (never overwrites: --force keeps a .bak)',
    options: ['root', 'force', 'offline', 'azure-imds', 'timeout', 'out', 'target', 'ssh-option', 'accept-new-host-keys', 'connect-timeout'],
    positionals: { min: 0, max: 0 },
  },
  checks: {
    synopsis: 'checks [--json]',
    summary: 'the check catalog: section, id, severity, blocker, what each check runs',
    options: ['json'],
    positionals: { min: 0, max: 0 },
  },
  explain: {
    synopsis: 'explain <check-id>',
    summary: 'one check: what it verifies, why it matters, how to fix it, which probes it reads',
    options: [],
    positionals: { min: 1, max: 1, missing: 'explain needs a check id, e.g. predeploy explain security.ssh (predeploy checks lists them)' },
  },
  config: {
    synopsis: 'config [--root DIR] [--config FILE] [--json] [--no-discovery] [--target ssh://[user@]host[:port]]',
    summary: 'the effective configuration, and where each value came from (built-in profile, predeploy.yaml:line, environment, discovered: …); conflicts with discovery (the configuration wins)',
    options: ['root', 'config', 'json', 'no-discovery', 'offline', 'azure-imds', 'timeout', 'target', 'ssh-option', 'accept-new-host-keys', 'connect-timeout'],
    positionals: { min: 0, max: 0 },
  },
  diff: {
    synopsis: 'diff [A] [B] [--json] [--host NAME]',
    summary: 'what changed between two runs (default: the last two complete runs); A and B are run ids, run folders or report.json files; two fleet runs are compared host by host',
    options: ['root', 'out', 'json', 'host'],
    positionals: { min: 0, max: 2, tooMany: 'diff takes at most two runs' },
  },
} as const satisfies Record<string, CommandSpec>;

export type CommandName = keyof typeof COMMANDS;

const COMMAND_NAMES = Object.keys(COMMANDS) as CommandName[];
const isCommand = (s: string): s is CommandName => Object.hasOwn(COMMANDS, s);
const isOption = (s: string): s is OptionName => Object.hasOwn(OPTIONS, s);
const GLOBAL: readonly OptionName[] = ['help', 'version'];

function optionLine(name: OptionName): string {
  const o: OptionSpec = OPTIONS[name];
  const flag = `${'short' in o && o.short ? `-${o.short}, ` : ''}--${name}${o.value !== undefined ? ` ${o.value}` : ''}`;
  return `  ${flag.padEnd(22)} ${o.help}`;
}

/** `predeploy --help`: every command, and each option once (under the first command taking it). */
export function renderHelp(): string {
  const L = ['predeploy — read-only production-readiness assessment', '', 'Usage:'];
  for (const name of COMMAND_NAMES) {
    const c: CommandSpec = COMMANDS[name];
    L.push(`  predeploy ${c.synopsis}`, `      ${c.summary}`);
  }
  L.push('  predeploy help [command] | --help | --version');
  const described = new Set<OptionName>();
  for (const name of COMMAND_NAMES) {
    const opts: readonly OptionName[] = COMMANDS[name].options;
    if (opts.length === 0) continue;
    const fresh = opts.filter((o) => !described.has(o));
    const seen = opts.filter((o) => described.has(o));
    L.push('', `${name} options:${fresh.length === 0 ? ` ${seen.map((o) => `--${o}`).join(', ')} (as above)` : ''}`);
    if (fresh.length > 0) {
      L.push(...fresh.map(optionLine));
      if (seen.length > 0) L.push(`  also ${seen.map((o) => `--${o}`).join(', ')} (as above)`);
    }
    fresh.forEach((o) => described.add(o));
  }
  L.push(
    '',
    'Exit codes: 0 done, 1 gate failed (--fail-under, --fail-on), 2 bad input, 3 interrupted.',
    'Nothing on the machine is changed; no secret is printed.',
    '',
  );
  return L.join('\n');
}

/** `predeploy help <command>`: its synopsis, summary and every option it takes. */
export function renderCommandHelp(name: CommandName): string {
  const c: CommandSpec = COMMANDS[name];
  const L = [`Usage: predeploy ${c.synopsis}`, '', c.summary];
  if (c.options.length > 0) L.push('', 'Options:', ...c.options.map(optionLine));
  L.push('', 'predeploy --help lists every command.', '');
  return L.join('\n');
}

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

function rootFrom(v: Values, env: Readonly<Record<string, string | undefined>>): string {
  return str(v, 'root') ?? (env.OP_ROOT && env.OP_ROOT.length > 0 ? env.OP_ROOT : DEFAULT_ROOT);
}

type Values = Partial<Record<OptionName, string | boolean | string[]>>;
const str = (v: Values, k: OptionName): string | undefined => {
  const x = v[k];
  return typeof x === 'string' ? x : undefined;
};
const strs = (v: Values, k: OptionName): string[] | undefined => {
  const x = v[k];
  return Array.isArray(x) ? x : undefined;
};

/** "did you mean" for a mistyped option: the nearest option of this command (or a global one). */
function unknownOptionError(raw: string, cmd: CommandName | undefined): UsageError {
  const own: readonly OptionName[] = cmd ? [...COMMANDS[cmd].options, ...GLOBAL] : (Object.keys(OPTIONS) as OptionName[]);
  const bare = raw.replace(/^-+/, '');
  const guess = raw.startsWith('--') ? nearest(bare, own) : own.find((o) => ('short' in OPTIONS[o] ? (OPTIONS[o] as OptionSpec).short : undefined) === bare);
  const where = cmd ? ` for ${cmd}` : '';
  const hint = guess !== undefined ? ` (did you mean --${guess}?)` : '';
  return new UsageError(`unknown option ${raw.slice(0, 40)}${where}${hint}; see predeploy help${cmd ? ` ${cmd}` : ''}`);
}

/**
 * Parse the command line. Options are read against the tables above: an option this command does
 * not take, a mistyped one or a missing value is one line naming the fix.
 */
export function parseCommand(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): Command {
  const all = Object.fromEntries(
    Object.entries(OPTIONS).map(([k, o]: [string, OptionSpec]) => [k, { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) }]),
  );
  // Lenient first pass (node's parser): positionals and option tokens; every check is ours below.
  const { tokens } = parseArgs({ args: [...argv], allowPositionals: true, strict: false, tokens: true, options: all });
  const positionals = tokens.filter((t) => t.kind === 'positional').map((t) => t.value);
  const first = positionals[0];
  const cmd = first !== undefined && isCommand(first) ? first : undefined;
  const values: Values = {};
  for (const t of tokens) {
    if (t.kind !== 'option') continue;
    const name = t.name;
    if (!isOption(name)) throw unknownOptionError(t.rawName, cmd);
    const spec: OptionSpec = OPTIONS[name];
    if (cmd !== undefined && !GLOBAL.includes(name) && !(COMMANDS[cmd].options as readonly OptionName[]).includes(name)) {
      const takers = COMMAND_NAMES.filter((c) => (COMMANDS[c].options as readonly OptionName[]).includes(name));
      throw new UsageError(`${cmd} takes no ${t.rawName} (it is an option of ${takers.join(', ')}); see predeploy help ${cmd}`);
    }
    if (spec.type === 'boolean') {
      if (t.value !== undefined) throw new UsageError(`${t.rawName} takes no value; see predeploy help${cmd ? ` ${cmd}` : ''}`);
      values[name] = true;
      continue;
    }
    // `--root --offline`: the next option is not a value (write --root=-x for a value starting with "-")
    if (t.value === undefined || (!t.inlineValue && t.value.startsWith('-'))) {
      throw new UsageError(`${t.rawName} needs a value: ${t.rawName} ${spec.value ?? '<value>'}; see predeploy help${cmd ? ` ${cmd}` : ''}`);
    }
    if (spec.multiple) values[name] = [...(strs(values, name) ?? []), t.value];
    else values[name] = t.value;
  }
  if (values.version === true) return { kind: 'version' };
  if (first === 'help' || values.help === true) {
    const topic = first === 'help' ? positionals[1] : cmd;
    if (topic !== undefined && !isCommand(topic)) throw unknownCommandError(topic);
    return { kind: 'help', ...(topic !== undefined ? { topic } : {}) };
  }
  if (first === undefined) return { kind: 'usage' };
  if (cmd === undefined) throw unknownCommandError(first);
  const rest = positionals.slice(1);
  const spec: CommandSpec = COMMANDS[cmd];
  if (rest.length < spec.positionals.min) throw new UsageError(spec.positionals.missing ?? `${cmd} needs more arguments; see predeploy help ${cmd}`);
  if (rest.length > spec.positionals.max) {
    throw new UsageError(
      spec.positionals.max === 0
        ? `${cmd} takes no positional arguments (got "${String(rest[0]).slice(0, 40)}"); see predeploy help ${cmd}`
        : `${spec.positionals.tooMany ?? `${cmd} takes at most ${spec.positionals.max} arguments`} (got ${rest.length}); see predeploy help ${cmd}`,
    );
  }
  const json = values.json === true;
  switch (cmd) {
    case 'verify': {
      const signers = str(values, 'allowed-signers');
      return { kind: 'verify', args: { path: rest[0] ?? '', ...(signers !== undefined ? { allowedSigners: signers } : {}) } };
    }
    case 'capture':
    case 'assess': {
      const runId = str(values, 'run-id') ?? env.OP_RUN_ID;
      const config = str(values, 'config');
      const out = str(values, 'out');
      const timeout = str(values, 'timeout');
      const concurrency = str(values, 'concurrency');
      const failUnder = str(values, 'fail-under');
      const inventory = str(values, 'inventory');
      const limit = str(values, 'limit');
      const forks = str(values, 'forks');
      const connectTimeout = str(values, 'connect-timeout');
      const capture = str(values, 'capture');
      const signWith = str(values, 'sign-with');
      const targets = strs(values, 'target') ?? [];
      const replay = targets.length === 1 && targets[0]?.startsWith('replay:') === true ? targets[0] : undefined;
      if (cmd === 'capture' && (out === undefined || out === '')) throw new UsageError('capture needs --out <dir>: where the bundle goes');
      if (replay !== undefined && (cmd === 'capture' || capture !== undefined)) throw new UsageError('a replay cannot be captured again: capture the host itself');
      if (values.archive === true && cmd === 'assess' && capture === undefined) throw new UsageError('--archive applies to a capture bundle: add --capture <dir>');
      return {
        kind: 'assess',
        args: {
          root: rootFrom(values, env),
          ...(config !== undefined ? { config } : {}),
          ...(runId !== undefined && runId !== '' ? { runId } : {}),
          ...(out !== undefined && cmd === 'assess' ? { out } : {}),
          ...(cmd === 'capture' && out !== undefined ? { capture: out, captureOnly: true } : {}),
          ...(capture !== undefined ? { capture } : {}),
          ...(replay !== undefined ? { target: replay } : {}),
          archive: values.archive === true,
          ...(signWith !== undefined ? { signWith } : {}),
          offline: values.offline === true,
          refreshApt: values['refresh-apt'] === true,
          only: list(strs(values, 'only')),
          skip: list(strs(values, 'skip')),
          timeoutMs: timeout !== undefined ? parseDuration(timeout) : DEFAULT_TIMEOUT_MS,
          concurrency: concurrency !== undefined ? parseNumber('--concurrency', concurrency, 1, 64) : 8,
          ...(failUnder !== undefined ? { failUnder: parseNumber('--fail-under', failUnder, 0, 100) } : {}),
          formats: oneOf('--format', list(strs(values, 'format')), FORMAT_NAMES),
          failOn: oneOf('--fail-on', list(strs(values, 'fail-on')), FAIL_ON),
          quiet: values.quiet === true,
          targets,
          ...(inventory !== undefined ? { inventory } : {}),
          ...(limit !== undefined ? { limit } : {}),
          forks: forks !== undefined ? parseNumber('--forks', forks, 1, 256) : 10,
          sshOptions: strs(values, 'ssh-option') ?? [],
          acceptNewHostKeys: values['accept-new-host-keys'] === true,
          connectTimeoutS: connectTimeoutS(connectTimeout),
          timings: values.timings === true,
          azureImds: values['azure-imds'] === true,
          noDiscovery: values['no-discovery'] === true,
        },
      };
    }
    case 'init': {
      const timeout = str(values, 'timeout');
      const out = str(values, 'out');
      const remote = remoteArgs(values);
      if (remote.remote !== undefined && (out === undefined || out === '')) throw new UsageError('init over ssh writes its files here, never on the host: add --out <dir>');
      return {
        kind: 'init',
        args: {
          ...remote,
          ...(out !== undefined ? { out } : {}),
          root: rootFrom(values, env),
          force: values.force === true,
          offline: values.offline === true,
          azureImds: values['azure-imds'] === true,
          timeoutMs: timeout !== undefined ? parseDuration(timeout) : DEFAULT_TIMEOUT_MS,
        },
      };
    }
    case 'diff': {
      const out = str(values, 'out');
      const host = str(values, 'host');
      if (host !== undefined && host.trim() === '') throw new UsageError('--host needs a host name');
      return {
        kind: 'diff',
        args: {
          root: rootFrom(values, env),
          ...(out !== undefined ? { out } : {}),
          ...(rest[0] !== undefined ? { a: rest[0] } : {}),
          ...(rest[1] !== undefined ? { b: rest[1] } : {}),
          json,
          ...(host !== undefined ? { host } : {}),
          defaultPlace: out === undefined && str(values, 'root') === undefined && !(env.OP_ROOT !== undefined && env.OP_ROOT.length > 0),
        },
      };
    }
    case 'config': {
      const config = str(values, 'config');
      const from = str(values, 'root') !== undefined ? 'option' : env.OP_ROOT && env.OP_ROOT.length > 0 ? 'env' : 'default';
      const timeout = str(values, 'timeout');
      return {
        kind: 'config',
        args: {
          ...remoteArgs(values),
          root: rootFrom(values, env),
          rootFrom: from,
          ...(config !== undefined ? { config } : {}),
          json,
          noDiscovery: values['no-discovery'] === true,
          offline: values.offline === true,
          azureImds: values['azure-imds'] === true,
          timeoutMs: timeout !== undefined ? parseDuration(timeout) : DEFAULT_TIMEOUT_MS,
        },
      };
    }
    case 'checks':
      return { kind: 'checks', json };
    case 'explain':
      return { kind: 'explain', id: rest[0] ?? '' };
  }
}

function unknownCommandError(word: string): UsageError {
  const guess = nearest(word, COMMAND_NAMES);
  const shown = /^[A-Za-z0-9._-]{1,40}$/.test(word) ? `"${word}"` : '(not shown)';
  return new UsageError(`unknown command ${shown}${guess !== undefined ? ` (did you mean "${guess}"?)` : ''}; commands: ${COMMAND_NAMES.join(', ')}; see predeploy --help`);
}

/** `--connect-timeout` in whole seconds (ssh's ConnectTimeout), default 10. */
function connectTimeoutS(text: string | undefined): number {
  return text !== undefined ? Math.max(1, Math.round(parseDuration(text, '--connect-timeout') / 1000)) : 10;
}

/** `--target` (one: `local` or `ssh://…`) and the ssh options, for `config` and `init`. */
function remoteArgs(values: Values): RemoteArgs {
  const targets = strs(values, 'target') ?? [];
  if (targets.length > 1) throw new UsageError('--target: this command reads one host (an inventory is for assess)');
  const spec = targets[0] === undefined ? { kind: 'local' as const } : targets[0].startsWith('replay:') ? null : parseTargetSpec(targets[0]);
  if (spec === null) throw new UsageError('--target replay: applies to assess only');
  return {
    ...(spec.kind === 'ssh' ? { remote: { host: spec.host, ...(spec.user !== undefined ? { user: spec.user } : {}), ...(spec.port !== undefined ? { port: spec.port } : {}) } } : {}),
    sshOptions: strs(values, 'ssh-option') ?? [],
    acceptNewHostKeys: values['accept-new-host-keys'] === true,
    connectTimeoutS: connectTimeoutS(str(values, 'connect-timeout')),
  };
}
