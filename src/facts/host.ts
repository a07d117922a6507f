/** Fact shapes produced by the host probes (src/probes/host/*). Plain data, no behaviour. */

/**
 * A file or directory that exists (or may exist) but could not be read: "could not look", never
 * "not there". A probe that reads several paths keeps going and lists these; the check that
 * needs what they hold is `unknown` (or `fail`, where the absence is itself the finding).
 */
export interface UnreadablePath {
  /** as the host sees it; a directory ends with `/` */
  path: string;
  /** `permission` for EACCES/EPERM (run as root, or grant read access); `failed` for any other error */
  reason: 'permission' | 'failed';
  /** one line: `permission denied`, `EIO` */
  detail: string;
}

/** An inclusive port range; a single port has `from === to`. */
export interface PortRange {
  from: number;
  to: number;
}

export interface UfwRule {
  /** destination as printed, without the `(v6)` marker and the `on <iface>` part: `22/tcp`, `80,443/tcp (Nginx Full)`, `Anywhere`, `Nginx Full` */
  to: string;
  action: 'ALLOW' | 'DENY' | 'REJECT' | 'LIMIT';
  direction: 'IN' | 'OUT' | 'FWD';
  /** source as printed, without the `(v6)` marker: `Anywhere`, `10.0.0.0/8`, `Anywhere on eth0` */
  from: string;
  /** true when the source is any address (`Anywhere`, `0.0.0.0/0`, `::/0`), whatever the interface */
  fromAnywhere: boolean;
  v6: boolean;
  /** the interface of an `on <iface>` rule, from either column */
  interface?: string;
  /** the destination address when the rule names one (`10.0.0.5 80/tcp`) */
  toAddress?: string;
  /** the application profile the rule came from (`Nginx Full`, `OpenSSH`) */
  app?: string;
  /** `tcp`, `udp`, or another IP protocol (`esp`, `ah`, `ipv6`); undefined means tcp and udp */
  protocol?: string;
  /**
   * The destination ports. `'all'` when the rule names no port (every port of `protocol`);
   * undefined when they are not known: an app profile printed without its ports (ufw < 0.36)
   * that is not one of the stock profiles predeploy knows.
   */
  ports?: PortRange[] | 'all';
  comment?: string;
  /** the rule line as printed */
  raw: string;
}

export interface UfwStatus {
  active: boolean;
  /** the `Status:` line as printed, e.g. `Status: inactive` */
  statusLine: string;
  logging?: string;
  defaults?: { incoming?: string; outgoing?: string; routed?: string };
  /** the `Default:` line as printed, e.g. `Default: deny (incoming), allow (outgoing), disabled (routed)` */
  defaultLine?: string;
  rules: UfwRule[];
}

export interface ListeningSocket {
  proto: 'tcp' | 'udp';
  /** address without brackets or scope: `0.0.0.0`, `::`, `127.0.0.1`, `*`, `::ffff:127.0.0.1` */
  address: string;
  /** the interface scope after `%` (`127.0.0.53%lo` → `lo`), when printed */
  scope?: string;
  port: number;
  /** process name from `users:(("name",pid=..))`, when ss could see it (root only) */
  process?: string;
  pid?: number;
  /** every distinct process name in the `users:` column, in order */
  processes?: string[];
  /** the line as printed */
  raw: string;
}

export interface SshdEffectiveConfig {
  /** lower-cased keyword → values (one entry per line; repeated keywords keep every line) */
  options: Record<string, string[]>;
}

export interface AptPackageUpgrade {
  name: string;
  /** suites the candidate comes from, e.g. `bookworm-security` */
  suites: string[];
  candidate: string;
  installed?: string;
  /** `amd64`, `all`, ... */
  arch?: string;
  security: boolean;
  raw: string;
}

export interface AptUpgrades {
  packages: AptPackageUpgrade[];
  /** true when `apt-get update` ran first (--refresh-apt) */
  refreshed: boolean;
  /** the first error line when `apt-get update` was asked for (--refresh-apt) and failed */
  refreshError?: string;
  /** the refresh failed because `sudo -n` needs a password */
  refreshNeedsPassword?: boolean;
  /** age in hours of the package lists (/var/lib/apt/lists), when known */
  listsAgeHours?: number;
  /** why the age is not known: the lists directory could not be read */
  listsUnreadable?: UnreadablePath;
}

export interface Fail2banJail {
  name: string;
  currentlyFailed?: number;
  totalFailed?: number;
  currentlyBanned?: number;
  totalBanned?: number;
  /** set when `fail2ban-client status <jail>` failed: the jail exists but its counts are unknown */
  detail?: string;
}

export interface Fail2banStatus {
  /** false when fail2ban is installed but its server is not running */
  running: boolean;
  jails: Fail2banJail[];
  /** what the client printed when the server was not reachable */
  detail?: string;
}

// ---------------------------------------------------------------------------------------------
// host.netfilter: the kernel's packet filter as nftables / iptables show it

/** The netfilter table families predeploy reads; `inet` tables see IPv4 and IPv6. */
export type NetfilterFamily = 'ip' | 'ip6' | 'inet';

/** Which command a chain was read from. */
export type NetfilterOrigin = 'nft' | 'iptables' | 'ip6tables';

/**
 * One rule, reduced to what decides whether a new incoming TCP connection gets through.
 * A condition the parser could not read is kept in `unknown`, never dropped.
 */
export interface NetfilterRule {
  /**
   * What a matching packet gets. `continue` means the rule only counts, logs or rate-limits
   * (no verdict: the next rule decides).
   */
  verdict: 'accept' | 'drop' | 'reject' | 'jump' | 'goto' | 'return' | 'continue';
  /** the chain of a `jump` / `goto` */
  target?: string;
  /** only packets of this IP version (an `ip saddr` match in an inet table, `meta nfproto`) */
  ipVersion?: 4 | 6;
  /** layer-4 protocols matched (`tcp`, `udp`, `icmp`, ...); undefined means any */
  protocols?: string[];
  /** destination ports matched; undefined means any port */
  dports?: PortRange[];
  /** true for `tcp dport != 22` / `! --dport 22` */
  dportsNegated?: boolean;
  /** source addresses matched, as printed; undefined means any source */
  sources?: string[];
  /** true for `ip saddr != 10.0.0.0/8` / `! -s 10.0.0.0/8` */
  sourcesNegated?: boolean;
  /** incoming interface matched (`lo`, `eth0`) */
  inInterface?: string;
  inInterfaceNegated?: boolean;
  /** conntrack states matched, lower case (`established`, `related`, `new`, `invalid`) */
  ctStates?: string[];
  /** conditions not understood (iptables-nft `xt` extensions, `fib`, `recent`, ...) */
  unknown?: string[];
  /** the rule as printed by `iptables -S`, or rendered from nft's JSON */
  text: string;
}

export interface NetfilterChain {
  origin: NetfilterOrigin;
  family: NetfilterFamily;
  table: string;
  name: string;
  /** the netfilter hook of a base chain (`input`, `forward`, `output`, ...); undefined for a regular chain */
  hook?: string;
  /** the base chain type (`filter`, `nat`, `route`) */
  type?: string;
  /** the base chain's policy; undefined for a regular chain */
  policy?: 'accept' | 'drop';
  rules: NetfilterRule[];
}

/** How the input hook treats new TCP connections from any address, for one IP version. */
export interface NetfilterInputView {
  /** the input filter base chains that see this IP version: `inet filter input`, `ip filter INPUT` */
  chains: string[];
  /** `drop` when any of those chains has policy drop; `accept` when none does or there is none */
  policy: 'accept' | 'drop';
  /** rules in those chains and the chains they jump to */
  rules: number;
  /** TCP ports a new connection from any address reaches */
  openTcp: PortRange[];
  /** TCP ports accepted only from some source addresses */
  restrictedTcp: PortRange[];
  /** what happens to a TCP port no rule names: `open` means the input hook does not filter by default */
  otherTcp: 'open' | 'restricted' | 'blocked';
}

export interface NetfilterStatus {
  /** what was read: `nftables`, `iptables` (iptables -S and ip6tables -S), or both */
  source: 'nftables' | 'iptables' | 'nftables+iptables';
  chains: NetfilterChain[];
  ipv4: NetfilterInputView;
  ipv6: NetfilterInputView;
  /** chains named `ufw-*` / `ufw6-*` exist (ufw's rules are loaded) */
  ufwChains: boolean;
  counts: { tables: number; chains: number; rules: number };
  /** things the reader should know: a fallback taken, a warning the tool printed */
  notes: string[];
}

// ---------------------------------------------------------------------------------------------
// host.services, host.processes

/** One unit as `systemctl show <unit> -p ...` reports it (systemctl(1), "show"). */
export interface ServiceUnitStatus {
  /** the configured name (`workflow-api`) */
  name: string;
  /** `loaded`, `not-found`, `masked`, `error`, ... */
  loadState?: string;
  /** `active`, `inactive`, `failed`, `activating`, `deactivating`, `reloading` */
  activeState?: string;
  /** `running`, `dead`, `exited`, `auto-restart`, ... */
  subState?: string;
  /** `enabled`, `disabled`, `static`, `masked`, `indirect`, ... (empty for a unit without a file) */
  unitFileState?: string;
  /** the Restart= setting: `no`, `on-failure`, `always`, ... */
  restart?: string;
  /** RestartSec as systemd prints it (`100ms`, `5s`) */
  restartUSec?: string;
  /** restarts since the unit was last started by hand (systemd ≥ 235) */
  nRestarts?: number;
  /** when the main process started, as printed (`Tue 2026-11-24 09:12:01 UTC`) */
  execMainStartTimestamp?: string;
  /** the unit file */
  fragmentPath?: string;
  /** set when `systemctl show` failed for this unit: its state is unknown */
  detail?: string;
}

export interface ServicesStatus {
  units: ServiceUnitStatus[];
}

/** One process from `ps -eo pid,user,etime,args`. */
export interface ProcessInfo {
  pid: number;
  user: string;
  /** elapsed time since start, as ps prints it: `[[dd-]hh:]mm:ss` */
  etime: string;
  /** the command line (kernel threads in brackets: `[kthreadd]`) */
  args: string;
}

// ---------------------------------------------------------------------------------------------
// host.disk

/** One mounted file system from `df -PT` (POSIX output, 1024-byte blocks). */
export interface DiskMount {
  filesystem: string;
  /** file system type; undefined when df was run without -T */
  type?: string;
  sizeKb: number;
  usedKb: number;
  availableKb: number;
  /** the Capacity / Use% column; undefined when df prints `-` (proc, sysfs) */
  usePercent?: number;
  mountedOn: string;
}

export interface DiskUsage {
  mounts: DiskMount[];
  /** what df wrote to stderr about mounts it could not read (`df: /run/user/1000/gvfs: Permission denied`) */
  warnings: string[];
}
