/** Fact shapes produced by the host probes (src/probes/host/*). Plain data, no behaviour. */

export interface UfwRule {
  /** destination as printed: `22/tcp`, `80,443/tcp`, `Anywhere`, `Nginx Full` */
  to: string;
  action: 'ALLOW' | 'DENY' | 'REJECT' | 'LIMIT';
  direction: 'IN' | 'OUT' | 'FWD';
  from: string;
  v6: boolean;
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
  rules: UfwRule[];
}

export interface ListeningSocket {
  proto: 'tcp' | 'udp';
  /** address without brackets or scope: `0.0.0.0`, `::`, `127.0.0.1`, `*` */
  address: string;
  port: number;
  /** process name from `users:(("name",pid=..))`, when ss could see it */
  process?: string;
  pid?: number;
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
  security: boolean;
  raw: string;
}

export interface AptUpgrades {
  packages: AptPackageUpgrade[];
  /** true when `apt-get update` ran first (--refresh-apt) */
  refreshed: boolean;
  /** age in hours of the package lists (/var/lib/apt/lists), when known */
  listsAgeHours?: number;
}

export interface Fail2banJail {
  name: string;
  currentlyFailed?: number;
  totalFailed?: number;
  currentlyBanned?: number;
  totalBanned?: number;
}

export interface Fail2banStatus {
  /** false when fail2ban is installed but its server is not running */
  running: boolean;
  jails: Fail2banJail[];
  /** what the client printed when the server was not reachable */
  detail?: string;
}
