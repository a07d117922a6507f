/**
 * Fact shapes for the web front of the service: nginx's effective configuration (`nginx -T`),
 * certbot's lineages and renewal schedule, and what the domain actually serves (live HTTPS,
 * HTTP and TLS). Plain data, no behaviour.
 */

/** Which configured domain was assessed: `domain.prod`, or `domain.dev` while prod is TBD. */
export interface AssessedDomain {
  name: string;
  source: 'prod' | 'dev';
}

// ---------------------------------------------------------------------------------------------
// nginx (`nginx -T`)

/** Where a directive was written, from the `# configuration file <path>:` markers of `nginx -T`. */
export interface NginxSource {
  file: string;
  /** 1-based line in that file */
  line: number;
  /** `file:line`, ready for evidence */
  at: string;
}

/** One directive as written (quotes removed, escapes resolved). */
export interface NginxDirective extends NginxSource {
  name: string;
  args: string[];
  /** the directive as it reads: `ssl_protocols TLSv1.2 TLSv1.3` */
  text: string;
}

export interface NginxHeader extends NginxDirective {
  /** header name as written (`Strict-Transport-Security`) */
  header: string;
  value: string;
  /** `always`: also sent on 4xx/5xx responses (nginx ≥ 1.7.5) */
  always: boolean;
}

/** `limit_req_zone` / `limit_conn_zone` (http level). */
export interface NginxZone extends NginxDirective {
  zone: string;
  /** `10m` */
  size?: string;
  /** `10r/s` (limit_req_zone only) */
  rate?: string;
  key: string;
}

/** `limit_req zone=api burst=20 nodelay` or `limit_conn addr 10`. */
export interface NginxLimit extends NginxDirective {
  zone: string;
}

export interface NginxRedirect extends NginxDirective {
  /** 301, 302, 303, 307, 308 */
  code: number;
  target: string;
  /** the target starts with `https://` */
  https: boolean;
  /** the `if (…)` condition it sits in, without parentheses */
  condition?: string;
}

/**
 * The values in force at one configuration level after nginx's inheritance. For the array
 * directives (add_header, limit_req, limit_conn, ssl_certificate) a level inherits the previous
 * level's list only when it defines none itself
 * (https://nginx.org/en/docs/http/ngx_http_headers_module.html#add_header).
 */
export interface NginxEffective {
  /** add_header in force (own, inherited, or merged with `add_header_inherit merge`) */
  headers: NginxHeader[];
  /** the level the headers come from: `http`, `server`, `location /api/`, or `none` */
  headersFrom: string;
  /** add_header of outer levels that this level's own add_header drops (the inheritance trap) */
  droppedHeaders: NginxHeader[];
  limitReq: NginxLimit[];
  limitConn: NginxLimit[];
  /** `limit_req_dry_run on`: limits are logged, not enforced */
  limitReqDryRun?: NginxDirective;
  serverTokens?: NginxDirective;
  clientMaxBodySize?: NginxDirective;
}

export interface NginxLocation extends NginxSource {
  /** as written: `/api/`, `= /health`, `~* \.php$`, `@fallback` */
  path: string;
  modifier?: '=' | '~' | '~*' | '^~' | '@';
  uri: string;
  /** index (in the server's `locations`) of the enclosing location, for nested locations */
  parent?: number;
  /** add_header written in this location itself */
  ownHeaders: NginxHeader[];
  ownLimitReq: NginxLimit[];
  ownLimitConn: NginxLimit[];
  effective: NginxEffective;
  /** proxy_pass, fastcgi_pass, uwsgi_pass, grpc_pass, scgi_pass target */
  upstream?: string;
  /** return/rewrite redirects written in this location (including inside `if` blocks) */
  redirects: NginxRedirect[];
}

export interface NginxListen extends NginxDirective {
  address?: string;
  port: number;
  ssl: boolean;
  defaultServer: boolean;
  /** `quic` listens are UDP (HTTP/3) */
  quic: boolean;
}

export interface NginxServer extends NginxSource {
  /** 0-based index in document order */
  index: number;
  /** `listen` directives; nginx listens on `*:80` when there are none (`implicit`) */
  listen: NginxListen[];
  serverNames: string[];
  /** `file:line` of the first `server_name` directive, when there is one */
  serverNameAt?: string;
  /** any `listen … ssl` or the old `ssl on` */
  ssl: boolean;
  /** in force here (server, else http) */
  sslProtocols?: NginxDirective;
  sslCiphers?: NginxDirective;
  sslPreferServerCiphers?: NginxDirective;
  sslCertificates: NginxDirective[];
  ownHeaders: NginxHeader[];
  /** in force at server level (requests that match no location) */
  effective: NginxEffective;
  /** server-level return/rewrite redirects (including inside `if` blocks) */
  redirects: NginxRedirect[];
  locations: NginxLocation[];
}

/** How a request for the domain reaches a server: nginx's server selection for one port. */
export interface NginxDomainRoute {
  /** the request path: `/` or the health path */
  path: string;
  /** index in the server's `locations`, or null when no location matches (server level) */
  location: number | null;
}

export interface NginxDomainMatch {
  /** index into `servers` */
  server: number;
  port: number;
  ssl: boolean;
  /** how nginx picks this server for the domain (https://nginx.org/en/docs/http/server_names.html) */
  matchedBy: 'exact' | 'wildcard' | 'regex' | 'default_server' | 'first';
  /** which location serves `/` and the health path */
  routes: NginxDomainRoute[];
  /** plain HTTP only: the redirect nginx answers `http://<domain>/` with, when there is one */
  redirect?: NginxRedirect;
  /** plain HTTP only: the non-redirect `return` that answers `/` first (`return 404`), when there is one */
  stop?: NginxDirective;
}

export interface NginxConfig {
  /** the configuration files `nginx -T` printed, in its order */
  files: string[];
  http: {
    ownHeaders: NginxHeader[];
    effective: NginxEffective;
    limitReqZones: NginxZone[];
    limitConnZones: NginxZone[];
    sslProtocols?: NginxDirective;
    sslCiphers?: NginxDirective;
  };
  servers: NginxServer[];
  /** the server blocks that answer the assessed domain, per listening port */
  domain: AssessedDomain & { https: NginxDomainMatch[]; http: NginxDomainMatch[] };
  /** constructs read but not modelled (e.g. `include` patterns that matched no printed file) */
  notes: string[];
}

// ---------------------------------------------------------------------------------------------
// certbot

export interface CertbotLineage {
  name: string;
  serial?: string;
  keyType?: string;
  domains: string[];
  /** ISO time */
  expiry: string;
  /** what certbot printed in parentheses: `VALID: 29 days`, `INVALID: EXPIRED` */
  validity: string;
  valid: boolean;
  /** days left when certbot printed them */
  days?: number;
  certificatePath: string;
  privateKeyPath: string;
  /** the `Certificate Name:` … block as printed, for evidence */
  lines: string[];
}

export interface CertbotCertificates {
  lineages: CertbotLineage[];
  /** renewal configuration files certbot reported as invalid */
  invalidConfigs: string[];
}

/** One cron line that runs `certbot renew` (or certbot's own `certbot -q renew`). */
export interface CronRenewalEntry {
  /** `/etc/cron.d/certbot:17` or `crontab -l (root):3` */
  source: string;
  line: string;
  /** Debian's entry runs only when systemd is not PID 1 (`test … \! -d /run/systemd/system`) */
  skippedUnderSystemd: boolean;
}

/** A systemd timer that runs certbot's renewal: `certbot.timer` (Debian/Ubuntu package) or `snap.certbot.renew.timer` (snap). */
export interface RenewalTimer {
  unit: string;
  /** `systemctl is-enabled <unit>` output word: enabled, disabled, masked, static, …; undefined when the unit does not exist */
  enabled?: string;
  /** the `systemctl list-timers --all` row of the unit, when systemd listed it */
  listed?: { next?: string; last?: string; line: string };
  /** what systemctl said when the unit's state could not be read */
  detail?: string;
}

export interface CertRenewal {
  timers: RenewalTimer[];
  /** `systemctl list-timers` answered: systemd is PID 1, so timers run */
  systemdRunning: boolean;
  /** why `systemctl list-timers` did not answer (no systemd in a container, not installed) */
  systemdDetail?: string;
  cron: {
    entries: CronRenewalEntry[];
    /** a cron daemon binary was found (/usr/sbin/cron, /usr/sbin/crond) */
    daemonInstalled: boolean;
    /** the cron daemon's pid file exists (/run/crond.pid): cron is running */
    daemonRunning: boolean;
    /** files or commands that could not be read */
    errors: string[];
  };
}

// ---------------------------------------------------------------------------------------------
// live (web.live)

/**
 * One part of the live probe. A failed part says why; `endpoint` (the URL or host:port) is set
 * when the part could not connect (refused, timed out, DNS, TLS), as opposed to an answer
 * predeploy could not read or a tool that is missing.
 */
export type LiveAttempt<T> = { ok: true; value: T } | { ok: false; error: string; endpoint?: string };

export interface LiveResponse {
  url: string;
  status: number;
  /** lower-case header names */
  headers: Record<string, string>;
  /** commands-log entry */
  seq: number;
}

export interface LiveCertificate {
  subject: string;
  issuer: string;
  subjectAltNames: string[];
  /** ISO times */
  notBefore: string;
  notAfter: string;
  serial: string;
  fingerprint256: string;
  selfSigned: boolean;
}

export interface LiveTls {
  /** host:port connected to */
  address: string;
  /** the certificates as served, leaf first */
  chain: LiveCertificate[];
  /** leaf valid for the domain (node's X509Certificate.checkHost) */
  hostnameMatch: boolean;
  /** each served certificate is signed by the next one */
  chainLinked: boolean;
  /** `Verify return code: 0 (ok)` of openssl s_client */
  verifyCode?: number;
  verifyMessage?: string;
  /** the top of the served chain is issued by a CA of `domain.caFile` (private CA, tests) */
  trustedByConfiguredCa?: boolean;
  /** domain.caFile could not be read */
  configuredCaError?: string;
  /** `TLSv1.3`, from s_client's `New, TLSv1.3, Cipher is …` */
  protocol?: string;
  cipher?: string;
  /** commands-log entry */
  seq: number;
}

export interface WebLive {
  domain: AssessedDomain;
  /** the HTTPS address used instead of DNS (domain.connectTo) */
  connectTo?: string;
  /** the plain-HTTP address used instead of DNS (domain.connectToHttp) */
  connectToHttp?: string;
  /** `GET https://<domain>/` */
  https: LiveAttempt<LiveResponse>;
  /** `GET http://<domain>/` (not followed) */
  http: LiveAttempt<LiveResponse>;
  /** `GET https://<domain><healthPath>` */
  health: LiveAttempt<LiveResponse & { path: string }>;
  /** `openssl s_client -connect … -servername <domain> -showcerts` */
  tls: LiveAttempt<LiveTls>;
}
