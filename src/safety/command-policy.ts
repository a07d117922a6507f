/**
 * The command gate (docs/ARCHITECTURE.md invariant 1): an allowlist of read-only argv shapes.
 * Anything not described here is refused before it runs.
 *
 * The table is data: program → list of shapes; a shape is a sequence of elements (a word, a
 * value checked by a small matcher, or a set of options in any order). Adding a command means
 * adding a row, and each row should be obviously read-only to a reviewer. Options that write
 * (`openssl -out`, `iptables-save -f`, `nginx -s`, `journalctl --vacuum-*`, `ss -K`) are simply
 * absent, so they are refused.
 */

/** The verdict of a policy: allowed, or refused with a reason a human can act on. */
export type PolicyVerdict = { allowed: true } | { allowed: false; reason: string };

/** Options that widen the allowlist; all off by default. */
export interface CommandPolicyOptions {
  /** allow `apt-get update` (it rewrites the package index; the user must opt in) */
  refreshApt: boolean;
}

// ---------------------------------------------------------------------------------------------
// Value matchers

interface Value {
  what: string;
  test(arg: string): boolean;
}

const re = (what: string, pattern: RegExp): Value => ({ what, test: (a) => pattern.test(a) });
const oneOfValues = (...words: string[]): Value => ({ what: words.join('|'), test: (a) => words.includes(a) });

/** a file or directory path; never an option (a leading `-`) */
const PATH = re('path', /^[^-][^\0\n\r]{0,4095}$/);
/** a systemd unit name, with systemd's `\x2d` escapes */
const UNIT = re('unit', /^[A-Za-z0-9@_.:\\][A-Za-z0-9@_.:\\-]{0,255}$/);
const NAME = re('name', /^[A-Za-z0-9_][A-Za-z0-9_.@+:-]{0,127}$/);
const USER = re('user', /^[A-Za-z_][A-Za-z0-9_.-]{0,31}\$?$/);
const PACKAGE = re('package', /^[a-z0-9][a-z0-9+.:~-]{0,127}$/);
const HOST = re('host', /^(?:[A-Za-z0-9_][A-Za-z0-9_.-]{0,252}|\[[0-9A-Fa-f:.]{2,45}\]|[0-9A-Fa-f:.]{2,45})$/);
const HOST_PORT = re('host:port', /^(?:[A-Za-z0-9_][A-Za-z0-9_.-]{0,252}|\[[0-9A-Fa-f:.]{2,45}\]):[0-9]{1,5}$/);
const INT = re('number', /^[0-9]{1,7}$/);
const PROPERTIES = re('property list', /^[A-Za-z][A-Za-z0-9]*(?:,[A-Za-z][A-Za-z0-9]*)*$/);
/** `ps -o` / `stat -c` formats: printable, no option-looking start */
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const FORMAT = re('format', /^[^-\0-\x1f][^\0-\x1f]{0,255}$/);
/** `ufw app info` profile names may contain spaces ("Nginx Full") */
const UFW_APP = re('app profile', /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/);
const X509_EXT = re('extension list', /^[A-Za-z][A-Za-z0-9,]{0,255}$/);
/** `sshd -T -C user=x,host=y,addr=z` */
const SSHD_SPEC = re('connection spec', /^[a-z]+=[^\s,=]+(?:,[a-z]+=[^\s,=]+)*$/);
const TIME = re('time', /^[A-Za-z0-9 :+.-]{1,40}$/);

// ---------------------------------------------------------------------------------------------
// Shape elements

interface Words {
  kind: 'words';
  words: readonly string[];
  optional: boolean;
}
interface Values {
  kind: 'values';
  value: Value;
  min: number;
  max: number;
}
interface Flag {
  /** all spellings of the flag, e.g. `-p` and `--property` */
  names: readonly string[];
  /** the flag's value, when it takes one */
  value?: Value;
}
interface Options {
  kind: 'options';
  flags: readonly Flag[];
  /** each of these must be present (by first spelling) */
  required: readonly string[];
  /** exactly one of these must be present */
  exactlyOne: readonly string[];
  /** allow bundled single-letter flags (`-tlnp`) when every letter is a value-less flag here */
  bundle: boolean;
}
type Element = Words | Values | Options;

interface Shape {
  args: readonly Element[];
  /** the shape is allowed only when this option is on */
  needs?: keyof CommandPolicyOptions;
}

const word = (...words: string[]): Words => ({ kind: 'words', words, optional: false });
const maybe = (...words: string[]): Words => ({ kind: 'words', words, optional: true });
const value = (v: Value, min = 1, max = 1): Values => ({ kind: 'values', value: v, min, max });

/**
 * A set of options in any order, each at most once. Keys are spellings joined by `|`
 * (`'-p|--property'`); a Value means the flag takes one (`-c x`, or `--config-dir=x`).
 */
function options(
  spec: Record<string, Value | null>,
  extra: { required?: string[]; exactlyOne?: string[]; bundle?: boolean } = {},
): Options {
  const flags = Object.entries(spec).map(([names, v]) => ({ names: names.split('|'), ...(v ? { value: v } : {}) }));
  return {
    kind: 'options',
    flags,
    required: extra.required ?? [],
    exactlyOne: extra.exactlyOne ?? [],
    bundle: extra.bundle ?? false,
  };
}

const shape = (...args: Element[]): Shape => ({ args });

// ---------------------------------------------------------------------------------------------
// The allowlist

const SYSTEMCTL_LIST_FLAGS = options({
  '--type|-t': oneOfValues('service', 'timer', 'socket'),
  '--all|-a': null,
  '--no-pager': null,
  '--plain': null,
  '--no-legend': null,
});
const IPTABLES = [
  shape(
    options(
      { '-S': null, '-L': null, '-n': null, '-v': null, '-x': null, '--line-numbers': null, '-t': oneOfValues('filter', 'nat', 'mangle', 'raw', 'security') },
      { exactlyOne: ['-S', '-L'], bundle: true },
    ),
  ),
];
const IPTABLES_SAVE = [shape(options({ '-t': oneOfValues('filter', 'nat', 'mangle', 'raw', 'security'), '-c': null }))];
const OUTPUT_JSON = oneOfValues('json', 'jsonc', 'tsv', 'none');

/**
 * Every shape is read-only by its man page; the section that says so is cited next to it
 * (Debian bookworm/trixie pages, `man <section> <page>`). Anything a page lists as changing
 * state is left out, so it is refused.
 */
const ALLOWLIST: Readonly<Record<string, readonly Shape[]>> = {
  // ufw(8) "status [verbose|numbered]: show status of firewall"; APPLICATION INTEGRATION
  // "app info PROFILE: display information about PROFILE"
  ufw: [shape(word('status'), maybe('verbose', 'numbered')), shape(word('app'), word('info'), value(UFW_APP))],
  // ss(8) "dump socket statistics"; OPTIONS -t -u -l -n -p -H -4 -6 only select and format.
  // `-K` / `--kill` closes sockets; only listing letters are allowed
  ss: [shape(options({ '-t': null, '-u': null, '-l': null, '-n': null, '-p': null, '-H': null, '-4': null, '-6': null }, { required: ['-l'], bundle: true }))],
  // sshd(8) -T "Extended test mode. Check the validity of the configuration file, output the
  // effective configuration to stdout and then exit"; -C/-f choose what to test.
  // `-T` only prints the effective configuration; without it sshd would start a daemon
  sshd: [shape(options({ '-T': null, '-f': PATH, '-C': SSHD_SPEC }, { required: ['-T'] }))],
  // apt(8) "list (work-in-progress): list is somewhat similar to dpkg-query --list"
  apt: [shape(word('list'), word('--upgradable', '--installed'))],
  // apt-cache(8) DESCRIPTION "apt-cache does not manipulate the state of the system";
  // "policy [pkg...]" prints priorities and candidates
  'apt-cache': [shape(word('policy'), value(PACKAGE, 1, 64))],
  // apt-get(8) "update is used to resynchronize the package index files": it writes the index
  // (nothing installed); allowed only when the user opts in with --refresh-apt
  'apt-get': [{ args: [word('update'), maybe('-q', '-qq')], needs: 'refreshApt' }],
  // fail2ban-client(1) COMMANDS "ping", "version", "status [JAIL]: gets the current status";
  // -s/-c only say where the socket and configuration are
  'fail2ban-client': [
    shape(options({ '-s': PATH, '-c': PATH }), word('status'), value(NAME, 0, 1)),
    shape(options({ '-s': PATH, '-c': PATH }), word('ping', 'version')),
  ],
  // nginx(8) -t "Do not run, just test the configuration file", -T "Same as -t, but
  // additionally dump configuration files to standard output"; -v/-V print the version.
  // `-T` tests and dumps the configuration; `-s <signal>` and a bare `nginx` are refused
  nginx: [shape(options({ '-T': null, '-c': PATH, '-p': PATH, '-q': null }, { required: ['-T'] })), shape(word('-v', '-V'))],
  // certbot(1) / `certbot help certificates`: "certificates: Display information about
  // certificates you have from Certbot"; the dir options only say where that information is
  certbot: [
    shape(word('certificates'), options({ '--config-dir': PATH, '--work-dir': PATH, '--logs-dir': PATH, '--cert-name': NAME })),
  ],
  // systemctl(1) "Unit Commands (Introspection and Modification)": show, cat, is-active,
  // is-failed, list-units, list-timers query; "Unit File Commands": list-unit-files and
  // is-enabled query. No verb that starts, stops, enables or edits anything is here.
  systemctl: [
    shape(word('show'), value(UNIT), options({ '-p|--property': PROPERTIES, '--value': null, '--no-pager': null })),
    // discovery: every loaded service unit at once (systemctl's own glob, never a shell's)
    shape(word('show'), word('*.service'), options({ '-p|--property': PROPERTIES, '--no-pager': null }, { required: ['-p'] })),
    shape(word('is-active', 'is-enabled', 'is-failed'), value(UNIT, 1, 16)),
    shape(word('cat'), value(UNIT), options({ '--no-pager': null })),
    shape(word('list-timers'), options({ '--all|-a': null, '--no-pager': null, '--plain': null, '--no-legend': null })),
    shape(word('list-units'), SYSTEMCTL_LIST_FLAGS),
    shape(word('list-unit-files'), SYSTEMCTL_LIST_FLAGS),
  ],
  // openssl-x509(1) "-noout: This option prevents output of the encoded version of the
  // certificate"; the display options (-enddate, -subject, -text, -ext, -checkend) only print.
  // openssl-s_client(1): a TLS client that prints the server's certificate chain; its options
  // that write files are absent below.
  openssl: [
    shape(
      word('x509'),
      options(
        {
          '-in': PATH,
          '-noout': null,
          '-inform': oneOfValues('PEM', 'DER', 'pem', 'der'),
          '-enddate': null,
          '-startdate': null,
          '-subject': null,
          '-issuer': null,
          '-dates': null,
          '-serial': null,
          '-fingerprint': null,
          '-text': null,
          '-ext': X509_EXT,
          '-checkend': INT,
        },
        { required: ['-in', '-noout'] },
      ),
    ),
    // no `-sess_out`, `-keylogfile`, `-msgfile` (they write files) and no `-proxy`
    shape(word('s_client'), options({ '-connect': HOST_PORT, '-servername': HOST, '-showcerts': null, '-brief': null }, { required: ['-connect', '-servername'] })),
  ],
  // df(1) "report file system space usage"
  df: [shape(options({ '-P': null, '-h': null, '-T': null, '-k': null }, { bundle: true }), value(PATH, 0, 16))],
  // ps(1) "report a snapshot of the current processes"
  ps: [shape(word('axu', 'aux', '-ef')), shape(word('-eo'), value(FORMAT)), shape(word('-e'), word('-o'), value(FORMAT))],
  // crontab(1) "-l: Display the current crontab"; -u names whose (-r removes, -e edits: absent)
  crontab: [shape(options({ '-l': null, '-u': USER }, { required: ['-l'] }))],
  // iptables(8) COMMANDS "-L, --list: List all rules in the selected chain", "-S,
  // --list-rules: Print all rules"; -n -v -x --line-numbers -t only format or pick the table
  iptables: IPTABLES,
  // ip6tables(8): the same page and commands as iptables(8), for IPv6
  ip6tables: IPTABLES,
  // iptables-save(8) "dump the contents of an IP Table in easily parseable format to STDOUT"
  // (-f, which writes a file, is absent)
  'iptables-save': IPTABLES_SAVE,
  // ip6tables-save(8): the same page as iptables-save(8), for IPv6
  'ip6tables-save': IPTABLES_SAVE,
  // nft(8) RULESET "list ruleset: Print the ruleset in human-readable format"; -j JSON, -n numeric
  nft: [shape(options({ '-j': null, '-n': null }), word('list'), word('ruleset'))],
  // id(1) "print real and effective user and group IDs"
  id: [shape(maybe('-u', '-g', '-G', '-un', '-gn', '-Gn'))],
  // hostname(1) "When called without any arguments, the program displays the current names";
  // -f -s -d -I choose which. `hostname <name>` and `hostname -F <file>` set the host name
  hostname: [shape(maybe('-f', '-s', '-d', '-I'))],
  // uname(1) "print system information"
  uname: [shape(options({ '-a': null, '-s': null, '-r': null, '-m': null, '-n': null, '-v': null, '-o': null }, { bundle: true }))],
  // az account show: "Get the details of a subscription"; az account get-access-token: "Get a
  // token for utilities to access Azure" (https://learn.microsoft.com/cli/azure/account).
  // read-only az: who am I, and a token for read calls. `az account set`, `az login` and
  // every other group are refused (a config switch would change the user's CLI state).
  az: [
    shape(word('account'), word('show'), options({ '--output|-o': OUTPUT_JSON, '--only-show-errors': null, '--subscription': NAME })),
    shape(
      word('account'),
      word('get-access-token'),
      options({
        '--resource': re('resource', /^https:\/\/[A-Za-z0-9.\-/]{1,200}$/),
        '--scope': re('scope', /^[A-Za-z0-9:/._-]{1,200}$/),
        '--resource-type': oneOfValues('aad-graph', 'arm', 'batch', 'data-lake', 'media', 'ms-graph', 'oss-rdbms'),
        '--tenant|-t': NAME,
        '--subscription': NAME,
        '--output|-o': OUTPUT_JSON,
        '--only-show-errors': null,
      }),
    ),
  ],
  // getent(1) "get entries from Name Service Switch libraries": hosts / ahosts look a name up
  getent: [shape(word('hosts', 'ahosts'), value(HOST))],
  // journalctl(1) "Query the systemd journal"; -u -n -o --since -p -q select and format.
  // `--rotate`, `--vacuum-*`, `--flush`, `--sync` and `-f` (follow, never ends) are absent
  journalctl: [
    shape(
      options(
        {
          '-u|--unit': UNIT,
          '-n|--lines': INT,
          '--no-pager': null,
          '-o|--output': oneOfValues('short', 'short-iso', 'short-precise', 'cat', 'json', 'verbose'),
          '--since': TIME,
          '-p|--priority': re('priority', /^[0-7a-z.]{1,20}$/),
          '-q|--quiet': null,
        },
        { required: ['-u', '-n', '--no-pager'] },
      ),
    ),
  ],
  // lynis(8) "--version: Show version" (`audit system` writes /var/log/lynis.log: absent)
  lynis: [shape(word('--version'))],
  // timedatectl(1) "show: Show the same information as status, but in machine readable form"
  timedatectl: [shape(word('show'))],
  // stat(1) "display file or file system status"; -c chooses the format, -L follows links
  stat: [shape(options({ '-c': FORMAT, '-L': null }, { required: ['-c'] }), value(PATH, 1, 64))],
  // The ssh target reads files and lists folders over its connection with these two.
  // head(1) (GNU coreutils): `-c NUM` prints the first NUM bytes of the file — the read is
  // size-capped on the remote side; head opens the file read-only and writes only to stdout.
  head: [shape(options({ '-c': INT }, { required: ['-c'] }), value(PATH))],
  // ls(1): `-1` one name per line, `-A` all entries but `.` and `..`, `-b` C-style escapes for
  // non-graphic characters (a newline in a name cannot split it). No sorting or output options.
  ls: [shape(options({ '-1': null, '-A': null, '-b': null }, { required: ['-1', '-A', '-b'], bundle: true }), value(PATH))],
};

/** The programs that have at least one allowed shape (for docs and `predeploy checks`). */
export const ALLOWED_PROGRAMS: readonly string[] = Object.keys(ALLOWLIST).sort();

// ---------------------------------------------------------------------------------------------
// Matching

/** Splits `--flag=value` and bundled `-tlnp`; returns null when an option is unknown. */
function takeOption(set: Options, args: readonly string[], i: number): { names: string[]; next: number } | null {
  const arg = args[i] ?? '';
  const find = (name: string) => set.flags.find((f) => f.names.includes(name));
  const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
  if (eq > 0) {
    const flag = find(arg.slice(0, eq));
    return flag?.value?.test(arg.slice(eq + 1)) ? { names: [flag.names[0] ?? ''], next: i + 1 } : null;
  }
  const flag = find(arg);
  if (flag) {
    if (!flag.value) return { names: [flag.names[0] ?? ''], next: i + 1 };
    const v = args[i + 1];
    return v !== undefined && flag.value.test(v) ? { names: [flag.names[0] ?? ''], next: i + 2 } : null;
  }
  if (set.bundle && /^-[A-Za-z0-9]{2,}$/.test(arg)) {
    const names: string[] = [];
    for (const letter of arg.slice(1)) {
      const f = find(`-${letter}`);
      if (!f || f.value) return null;
      names.push(f.names[0] ?? '');
    }
    return { names, next: i + 1 };
  }
  return null;
}

/** Consumes a run of options; returns the index after it, or -1 when the run breaks a rule. */
function matchOptions(set: Options, args: readonly string[], start: number): number {
  const seen = new Set<string>();
  let i = start;
  while (i < args.length && (args[i] ?? '').startsWith('-')) {
    const taken = takeOption(set, args, i);
    if (!taken) break; // not ours: the next element may want it (e.g. a `-eo` word)
    for (const n of taken.names) {
      if (seen.has(n)) return -1;
      seen.add(n);
    }
    i = taken.next;
  }
  if (!set.required.every((r) => seen.has(r))) return -1;
  if (set.exactlyOne.length > 0 && set.exactlyOne.filter((r) => seen.has(r)).length !== 1) return -1;
  return i;
}

/** Matches args against elements from position i; small inputs, so plain recursion. */
function matchFrom(elements: readonly Element[], e: number, args: readonly string[], i: number): boolean {
  const el = elements[e];
  if (!el) return i === args.length;
  switch (el.kind) {
    case 'words': {
      const a = args[i];
      if (a !== undefined && el.words.includes(a) && matchFrom(elements, e + 1, args, i + 1)) return true;
      return el.optional && matchFrom(elements, e + 1, args, i);
    }
    case 'values': {
      let n = 0;
      while (n < el.max && i + n < args.length && el.value.test(args[i + n] ?? '')) n++;
      for (; n >= el.min; n--) if (matchFrom(elements, e + 1, args, i + n)) return true;
      return false;
    }
    case 'options': {
      const next = matchOptions(el, args, i);
      return next >= 0 && matchFrom(elements, e + 1, args, next);
    }
  }
}

const MAX_ARGS = 64;
const MAX_ARG_LENGTH = 4096;

/** argv for messages: quoted where a shell would need it, and cut when very long. */
export function formatArgv(argv: readonly string[]): string {
  const text = argv.map((a) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

/**
 * Checks one argv against the read-only allowlist. argv[0] is a bare program name; the runner
 * adds `sudo -n` itself, so `sudo` here is refused, as are paths, empty argv, NUL and newlines.
 */
export function checkCommand(argv: readonly string[], opts: CommandPolicyOptions): PolicyVerdict {
  const refuse = (reason: string): PolicyVerdict => ({ allowed: false, reason });
  const program = argv[0];
  if (program === undefined || program === '') return refuse('empty command');
  if (argv.length > MAX_ARGS) return refuse(`too many arguments (${argv.length} > ${MAX_ARGS})`);
  if (argv.some((a) => a.length > MAX_ARG_LENGTH)) return refuse(`an argument is longer than ${MAX_ARG_LENGTH} characters`);
  if (argv.some((a) => /[\0\n\r]/.test(a))) return refuse('arguments must not contain NUL or newline characters');
  if (program === 'sudo') return refuse('"sudo" must not be in argv; ask for sudo in the request and the runner adds `sudo -n`');
  if (!/^[A-Za-z0-9][A-Za-z0-9._+-]*$/.test(program)) {
    return refuse(`"${formatArgv([program])}" must be a bare program name (no path); the allowlist is by name`);
  }
  const shown = `"${formatArgv(argv)}"`;
  const shapes = Object.hasOwn(ALLOWLIST, program) ? (ALLOWLIST[program] ?? []) : [];
  const args = argv.slice(1);
  const matching = shapes.filter((s) => matchFrom(s.args, 0, args, 0));
  if (matching.some((s) => s.needs === undefined || opts[s.needs])) return { allowed: true };
  if (matching.some((s) => s.needs === 'refreshApt')) {
    return refuse(`${shown} refreshes the package index; allowed only with --refresh-apt`);
  }
  return refuse(`${shown} is not on the read-only allowlist`);
}

/**
 * Environment variables a command may be given. Anything that changes what runs or where it
 * loads code from (`PATH`, `LD_PRELOAD`, `PAGER`, `BASH_ENV`, ...) is refused.
 */
export function checkEnv(env: Readonly<Record<string, string>> | undefined): PolicyVerdict {
  for (const key of Object.keys(env ?? {})) {
    if (!/^(?:LC_[A-Z]+|LANG|LANGUAGE|TZ|NO_COLOR|COLUMNS|SYSTEMD_COLORS|SYSTEMD_PAGER|AZURE_[A-Z0-9_]+)$/.test(key)) {
      return { allowed: false, reason: `environment variable ${key} is not on the allowlist` };
    }
    if (key === 'SYSTEMD_PAGER' && env?.[key] !== '' && env?.[key] !== 'cat') {
      return { allowed: false, reason: 'SYSTEMD_PAGER may only be empty or "cat"' };
    }
  }
  return { allowed: true };
}
