/** Fact shapes produced by the host probes (src/probes/host/*). Plain data, no behaviour. */

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
  /** age in hours of the package lists (/var/lib/apt/lists), when known */
  listsAgeHours?: number;
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
