/**
 * From the directive tree to the server-block model predeploy judges, with nginx's inheritance
 * applied level by level (http → server → location → nested location).
 *
 * Inheritance, as nginx merges configuration (each module's `merge_loc_conf`):
 * - add_header, limit_req, limit_conn and ssl_certificate are lists: a level inherits the
 *   previous level's list only if it defines none itself
 *   (https://nginx.org/en/docs/http/ngx_http_headers_module.html#add_header,
 *   https://nginx.org/en/docs/http/ngx_http_limit_req_module.html#limit_req).
 *   `add_header_inherit merge|off` (nginx 1.29.3) changes that for add_header; the setting is
 *   itself inherited the normal way.
 * - single-value directives (server_tokens, client_max_body_size, ssl_protocols, …) take the
 *   nearest level that sets them.
 * - rewrite-module directives (return, rewrite, if) and handlers (proxy_pass) are not inherited.
 */
import type {
  NginxDirective,
  NginxEffective,
  NginxHeader,
  NginxLimit,
  NginxListen,
  NginxLocation,
  NginxRedirect,
  NginxServer,
  NginxSource,
  NginxZone,
} from '../../../facts/web.js';
import type { Node } from './syntax.js';

/** Quote an argument for display the way it would be written. */
function shown(arg: string): string {
  return arg === '' || /[\s;{}"'#]/.test(arg) ? `"${arg.replace(/(["\\])/g, '\\$1')}"` : arg;
}

/** Where a node was written, for evidence. */
export function source(node: Node): NginxSource {
  return { file: node.file, line: node.line, at: `${node.file}:${node.line}` };
}

/** A node as a fact: name, args, file:line and the text as it reads. */
export function directive(node: Node): NginxDirective {
  return { ...source(node), name: node.name, args: [...node.args], text: [node.name, ...node.args.map(shown)].join(' ') };
}

function header(node: Node): NginxHeader | undefined {
  const [name, value = '', flag] = node.args;
  if (name === undefined) return undefined;
  return { ...directive(node), header: name, value, always: flag === 'always' };
}

function limit(node: Node): NginxLimit | undefined {
  if (node.name === 'limit_req') {
    const zone = node.args.find((a) => a.startsWith('zone='))?.slice(5);
    return zone === undefined ? undefined : { ...directive(node), zone };
  }
  const zone = node.args[0];
  return zone === undefined ? undefined : { ...directive(node), zone };
}

function zone(node: Node): NginxZone | undefined {
  const spec = node.args.find((a) => a.startsWith('zone='))?.slice(5);
  if (spec === undefined) return undefined;
  const [name = '', size] = spec.split(':');
  const rate = node.args.find((a) => a.startsWith('rate='))?.slice(5);
  return { ...directive(node), zone: name, key: node.args[0] ?? '', ...(size ? { size } : {}), ...(rate ? { rate } : {}) };
}

const REDIRECT_CODES = new Set([301, 302, 303, 307, 308]);

/**
 * A `return` or `rewrite` that redirects, else undefined.
 * `return URL` is a 302; `return 301 URL`; `rewrite re https://… [permanent|redirect]` redirects
 * when the replacement is absolute or the flag says so
 * (https://nginx.org/en/docs/http/ngx_http_rewrite_module.html).
 */
export function redirectOf(node: Node, condition?: string): NginxRedirect | undefined {
  const base = { ...directive(node), ...(condition !== undefined ? { condition } : {}) };
  if (node.name === 'return') {
    const [a, b] = node.args;
    if (a === undefined) return undefined;
    if (/^\d{3}$/.test(a)) {
      const code = Number(a);
      return REDIRECT_CODES.has(code) && b !== undefined ? { ...base, code, target: b, https: b.startsWith('https://') } : undefined;
    }
    return /^(https?:\/\/|\$scheme)/.test(a) ? { ...base, code: 302, target: a, https: a.startsWith('https://') } : undefined;
  }
  if (node.name === 'rewrite') {
    const [, target, flag] = node.args;
    if (target === undefined) return undefined;
    const absolute = /^(https?:\/\/|\$scheme)/.test(target);
    if (!absolute && flag !== 'permanent' && flag !== 'redirect') return undefined;
    return { ...base, code: flag === 'permanent' ? 301 : 302, target, https: target.startsWith('https://') };
  }
  return undefined;
}

/** `if ($host = a)` arrives as args `($host`, `=`, `a)`: the condition without parentheses. */
export function conditionOf(node: Node): string {
  return node.args.join(' ').replace(/^\(\s*/, '').replace(/\s*\)$/, '');
}

/** The directives of one level, read once. */
interface Level {
  label: string;
  headers: NginxHeader[];
  headerInherit?: 'on' | 'off' | 'merge';
  limitReq: NginxLimit[];
  limitConn: NginxLimit[];
  limitReqDryRun?: NginxDirective;
  serverTokens?: NginxDirective;
  clientMaxBodySize?: NginxDirective;
  sslProtocols?: NginxDirective;
  sslCiphers?: NginxDirective;
  sslPreferServerCiphers?: NginxDirective;
  sslCertificates: NginxDirective[];
}

function readLevel(label: string, nodes: readonly Node[]): Level {
  const level: Level = { label, headers: [], limitReq: [], limitConn: [], sslCertificates: [] };
  for (const node of nodes) {
    switch (node.name) {
      case 'add_header': {
        const h = header(node);
        if (h) level.headers.push(h);
        break;
      }
      case 'add_header_inherit': {
        const v = node.args[0];
        if (v === 'on' || v === 'off' || v === 'merge') level.headerInherit = v;
        break;
      }
      case 'limit_req':
      case 'limit_conn': {
        const l = limit(node);
        if (l) (node.name === 'limit_req' ? level.limitReq : level.limitConn).push(l);
        break;
      }
      case 'limit_req_dry_run':
        level.limitReqDryRun = directive(node);
        break;
      case 'server_tokens':
        level.serverTokens = directive(node);
        break;
      case 'client_max_body_size':
        level.clientMaxBodySize = directive(node);
        break;
      case 'ssl_protocols':
        level.sslProtocols = directive(node);
        break;
      case 'ssl_ciphers':
        level.sslCiphers = directive(node);
        break;
      case 'ssl_prefer_server_ciphers':
        level.sslPreferServerCiphers = directive(node);
        break;
      case 'ssl_certificate':
        level.sslCertificates.push(directive(node));
        break;
    }
  }
  return level;
}

/** The values in force at the last level of `chain` (outermost first). */
function effectiveOf(chain: readonly Level[]): NginxEffective {
  let headers: NginxHeader[] = [];
  let headersFrom = 'none';
  let dropped: NginxHeader[] = [];
  let mode: 'on' | 'off' | 'merge' = 'on';
  let limitReq: NginxLimit[] = [];
  let limitConn: NginxLimit[] = [];
  const out: Omit<NginxEffective, 'headers' | 'headersFrom' | 'droppedHeaders' | 'limitReq' | 'limitConn'> = {};
  for (const level of chain) {
    mode = level.headerInherit ?? mode;
    if (level.headers.length > 0 || mode === 'off') {
      if (mode === 'merge') {
        headers = [...headers, ...level.headers];
        dropped = [];
      } else {
        const own = new Set(level.headers.map((h) => h.header.toLowerCase()));
        dropped = headers.filter((h) => !own.has(h.header.toLowerCase()));
        headers = level.headers;
      }
      headersFrom = level.headers.length > 0 ? level.label : 'none';
    } else {
      dropped = [];
    }
    if (level.limitReq.length > 0) limitReq = level.limitReq;
    if (level.limitConn.length > 0) limitConn = level.limitConn;
    if (level.limitReqDryRun) out.limitReqDryRun = level.limitReqDryRun;
    if (level.serverTokens) out.serverTokens = level.serverTokens;
    if (level.clientMaxBodySize) out.clientMaxBodySize = level.clientMaxBodySize;
  }
  return { headers, headersFrom, droppedHeaders: dropped, limitReq, limitConn, ...out };
}

/** Nearest level that sets a single-value directive. */
function nearest<K extends 'sslProtocols' | 'sslCiphers' | 'sslPreferServerCiphers'>(chain: readonly Level[], key: K): NginxDirective | undefined {
  for (let k = chain.length - 1; k >= 0; k -= 1) {
    const v = chain[k]?.[key];
    if (v) return v;
  }
  return undefined;
}

/**
 * `listen` arguments: `443 ssl http2`, `[::]:443 ssl default_server`, `127.0.0.1:8443 ssl`,
 * `localhost:80`, `*:80`, `unix:/run/x.sock` (no port: undefined).
 * https://nginx.org/en/docs/http/ngx_http_core_module.html#listen
 */
export function listenOf(node: Node): NginxListen | undefined {
  const [spec, ...flags] = node.args;
  if (spec === undefined || spec.startsWith('unix:')) return undefined;
  let address: string | undefined;
  let port = 80;
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(spec);
  if (v6) {
    address = v6[1];
    if (v6[2] !== undefined) port = Number(v6[2]);
  } else if (/^\d+$/.test(spec)) {
    port = Number(spec);
  } else {
    const m = /^(.*?)(?::(\d+))?$/.exec(spec);
    address = m?.[1];
    if (m?.[2] !== undefined) port = Number(m[2]);
  }
  return {
    ...directive(node),
    ...(address !== undefined && address !== '*' ? { address } : {}),
    port,
    ssl: flags.includes('ssl'),
    defaultServer: flags.includes('default_server') || flags.includes('default'),
    quic: flags.includes('quic'),
  };
}

const UPSTREAM = new Set(['proxy_pass', 'fastcgi_pass', 'uwsgi_pass', 'grpc_pass', 'scgi_pass']);

/** Redirects written directly in a block or inside its `if` blocks. */
function redirectsIn(nodes: readonly Node[]): NginxRedirect[] {
  const out: NginxRedirect[] = [];
  for (const node of nodes) {
    if (node.name === 'if' && node.block) {
      const condition = conditionOf(node);
      for (const inner of node.block) {
        const r = redirectOf(inner, condition);
        if (r) out.push(r);
      }
      continue;
    }
    const r = redirectOf(node);
    if (r) out.push(r);
  }
  return out;
}

function locationPath(node: Node): { path: string; modifier?: NginxLocation['modifier']; uri: string } {
  const [a = '', b] = node.args;
  if (a === '=' || a === '~' || a === '~*' || a === '^~') return { path: `${a} ${b ?? ''}`, modifier: a, uri: b ?? '' };
  if (a.startsWith('@')) return { path: a, modifier: '@', uri: a };
  // `location =/x` and `location ~^/x` (modifier glued to the URI) are accepted by nginx too
  const glued = /^(=|~\*|~|\^~)(.+)$/.exec(a);
  if (glued) return { path: `${glued[1]} ${glued[2]}`, modifier: glued[1] as NginxLocation['modifier'], uri: glued[2] ?? '' };
  return { path: a, uri: a };
}

function collectLocations(nodes: readonly Node[], chain: readonly Level[], parent: number | undefined, out: NginxLocation[]): void {
  for (const node of nodes) {
    if (node.name !== 'location' || !node.block) continue;
    const where = locationPath(node);
    const level = readLevel(`location ${where.path}`, node.block);
    const levels = [...chain, level];
    const upstream = node.block.find((n) => UPSTREAM.has(n.name));
    const loc: NginxLocation = {
      ...source(node),
      ...where,
      ...(parent !== undefined ? { parent } : {}),
      ownHeaders: level.headers,
      ownLimitReq: level.limitReq,
      ownLimitConn: level.limitConn,
      effective: effectiveOf(levels),
      ...(upstream?.args[0] !== undefined ? { upstream: upstream.args[0] } : {}),
      redirects: redirectsIn(node.block),
    };
    out.push(loc);
    collectLocations(node.block, levels, out.length - 1, out);
  }
}

/** One http block read: its own level, the rate-limit zones and the servers with their nodes. */
export interface HttpModel {
  level: Level;
  limitReqZones: NginxZone[];
  limitConnZones: NginxZone[];
  servers: { server: NginxServer; nodes: Node[] }[];
}

/** Read one `http { … }` block (there is normally one; several are read in order). */
export function readHttp(httpNodes: readonly Node[], firstIndex: number): HttpModel {
  const http = readLevel('http', httpNodes);
  const limitReqZones: NginxZone[] = [];
  const limitConnZones: NginxZone[] = [];
  const servers: HttpModel['servers'] = [];
  for (const node of httpNodes) {
    if (node.name === 'limit_req_zone' || node.name === 'limit_conn_zone') {
      const z = zone(node);
      if (z) (node.name === 'limit_req_zone' ? limitReqZones : limitConnZones).push(z);
    }
    if (node.name !== 'server' || !node.block) continue;
    const level = readLevel('server', node.block);
    const chain = [http, level];
    // the old `ssl on` (removed in nginx 1.25.1) made every listen of the server TLS
    const sslOn = node.block.some((n) => n.name === 'ssl' && n.args[0] === 'on');
    const listen = node.block
      .filter((n) => n.name === 'listen')
      .map(listenOf)
      .filter((l): l is NginxListen => l !== undefined)
      .map((l) => (sslOn && !l.quic ? { ...l, ssl: true } : l));
    const serverNameNodes = node.block.filter((n) => n.name === 'server_name');
    const serverNames = serverNameNodes.flatMap((n) => n.args);
    const locations: NginxLocation[] = [];
    collectLocations(node.block, chain, undefined, locations);
    const sslProtocols = nearest(chain, 'sslProtocols');
    const sslCiphers = nearest(chain, 'sslCiphers');
    const sslPrefer = nearest(chain, 'sslPreferServerCiphers');
    const server: NginxServer = {
      ...source(node),
      index: firstIndex + servers.length,
      listen,
      serverNames,
      ...(serverNameNodes[0] ? { serverNameAt: source(serverNameNodes[0]).at } : {}),
      ssl: sslOn || listen.some((l) => l.ssl),
      ...(sslProtocols ? { sslProtocols } : {}),
      ...(sslCiphers ? { sslCiphers } : {}),
      ...(sslPrefer ? { sslPreferServerCiphers: sslPrefer } : {}),
      sslCertificates: level.sslCertificates.length > 0 ? level.sslCertificates : http.sslCertificates,
      ownHeaders: level.headers,
      effective: effectiveOf(chain),
      redirects: redirectsIn(node.block),
      locations,
    };
    servers.push({ server, nodes: node.block });
  }
  return { level: http, limitReqZones, limitConnZones, servers };
}

/** The http level's own effective values (for the fact). */
export function httpEffective(level: Level): NginxEffective {
  return effectiveOf([level]);
}

/** The http level's TLS settings. */
export function httpTls(level: Level): { sslProtocols?: NginxDirective; sslCiphers?: NginxDirective } {
  return { ...(level.sslProtocols ? { sslProtocols: level.sslProtocols } : {}), ...(level.sslCiphers ? { sslCiphers: level.sslCiphers } : {}) };
}
