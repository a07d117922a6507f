/**
 * Which server block and location nginx picks for a request, following its documented rules:
 * - server: among the servers listening on the port, an exact name, then the longest wildcard
 *   starting with `*`, then the longest ending with `*`, then the first matching regex, else the
 *   port's `default_server`, else the first server on the port
 *   (https://nginx.org/en/docs/http/request_processing.html, .../server_names.html);
 * - location: an exact `=` match; else the longest prefix, used at once when it is `^~`; else the
 *   first matching regex in configuration order; else that longest prefix; nested locations are
 *   searched the same way inside the chosen one
 *   (https://nginx.org/en/docs/http/ngx_http_core_module.html#location).
 */
import type { NginxDirective, NginxDomainMatch, NginxLocation, NginxRedirect, NginxServer } from '../../../facts/web.js';
import { conditionOf, directive, redirectOf } from './model.js';
import type { Node } from './syntax.js';

/** PCRE as JavaScript: named groups `(?P<n>` → `(?<n>`; undefined when JS cannot compile it. */
export function pcre(pattern: string, caseless: boolean): RegExp | undefined {
  try {
    return new RegExp(pattern.replace(/\(\?P</g, '(?<'), caseless ? 'i' : '');
  } catch {
    return undefined;
  }
}

type NameMatch = Exclude<NginxDomainMatch['matchedBy'], 'default_server' | 'first'>;

/** How a server_name entry matches a host (lower-case), with a rank for "longest wildcard". */
function nameMatch(name: string, host: string): { by: NameMatch; length: number; front: boolean } | undefined {
  const n = name.toLowerCase();
  if (n.startsWith('~')) {
    const re = pcre(name.slice(1), true);
    return re?.test(host) ? { by: 'regex', length: 0, front: false } : undefined;
  }
  if (n === host) return { by: 'exact', length: n.length, front: false };
  // `.example.com` is `example.com` plus `*.example.com`
  if (n.startsWith('.')) {
    if (host === n.slice(1)) return { by: 'exact', length: n.length, front: false };
    return host.endsWith(n) ? { by: 'wildcard', length: n.length, front: true } : undefined;
  }
  if (n.startsWith('*.')) return host.endsWith(n.slice(1)) ? { by: 'wildcard', length: n.length, front: true } : undefined;
  if (n.endsWith('.*')) return host.startsWith(n.slice(0, -1)) ? { by: 'wildcard', length: n.length, front: false } : undefined;
  return undefined;
}

/** The server nginx picks for `host` among those listening on `port` with the given TLS-ness. */
export function selectServer(servers: readonly NginxServer[], host: string, port: number, ssl: boolean): { server: NginxServer; matchedBy: NginxDomainMatch['matchedBy'] } | undefined {
  const on = servers.filter((s) => listensOn(s, port, ssl));
  if (on.length === 0) return undefined;
  const h = host.toLowerCase();
  let exact: NginxServer | undefined;
  let front: { s: NginxServer; len: number } | undefined;
  let back: { s: NginxServer; len: number } | undefined;
  let regex: NginxServer | undefined;
  for (const s of on) {
    for (const name of s.serverNames) {
      const m = nameMatch(name, h);
      if (!m) continue;
      if (m.by === 'exact') exact ??= s;
      else if (m.by === 'regex') regex ??= s;
      else if (m.front) front = front && front.len >= m.length ? front : { s, len: m.length };
      else back = back && back.len >= m.length ? back : { s, len: m.length };
    }
  }
  if (exact) return { server: exact, matchedBy: 'exact' };
  if (front) return { server: front.s, matchedBy: 'wildcard' };
  if (back) return { server: back.s, matchedBy: 'wildcard' };
  if (regex) return { server: regex, matchedBy: 'regex' };
  const byDefault = on.find((s) => s.listen.some((l) => l.port === port && l.defaultServer && !l.quic));
  if (byDefault) return { server: byDefault, matchedBy: 'default_server' };
  const first = on[0];
  return first ? { server: first, matchedBy: 'first' } : undefined;
}

/** nginx listens on `*:80` when a server has no `listen`. */
export function listensOn(s: NginxServer, port: number, ssl: boolean): boolean {
  if (s.listen.length === 0) return port === 80 && !ssl && !s.ssl;
  return s.listen.some((l) => l.port === port && !l.quic && l.ssl === ssl);
}

/** The ports the servers listen on, split by TLS. */
export function ports(servers: readonly NginxServer[]): { https: number[]; http: number[] } {
  const https = new Set<number>();
  const http = new Set<number>();
  for (const s of servers) {
    if (s.listen.length === 0 && !s.ssl) http.add(80);
    for (const l of s.listen) {
      if (l.quic) continue;
      (l.ssl ? https : http).add(l.port);
    }
  }
  return { https: [...https].sort((a, b) => a - b), http: [...http].sort((a, b) => a - b) };
}

/** The location (index in `server.locations`) nginx picks for a URI, or null for the server level. */
export function selectLocation(locations: readonly NginxLocation[], uri: string): number | null {
  const search = (parent: number | undefined): number | null => {
    const candidates = locations.map((l, i) => ({ l, i })).filter(({ l }) => l.parent === parent && l.modifier !== '@');
    const exact = candidates.find(({ l }) => l.modifier === '=' && l.uri === uri);
    if (exact) return exact.i;
    let best: { l: NginxLocation; i: number } | undefined;
    for (const c of candidates) {
      if (c.l.modifier !== undefined && c.l.modifier !== '^~') continue;
      if (uri.startsWith(c.l.uri) && (!best || c.l.uri.length > best.l.uri.length)) best = c;
    }
    const deeper = (i: number): number => {
      const inner = search(i);
      return inner ?? i;
    };
    if (best?.l.modifier === '^~') return deeper(best.i);
    // nested locations of the longest prefix are searched before the regexes of this level
    if (best) {
      const inner = search(best.i);
      if (inner !== null && inner !== best.i) return inner;
    }
    for (const c of candidates) {
      if (c.l.modifier !== '~' && c.l.modifier !== '~*') continue;
      if (pcre(c.l.uri, c.l.modifier === '~*')?.test(uri)) return deeper(c.i);
    }
    return best ? best.i : null;
  };
  return search(undefined);
}

/**
 * What a server-level `if` condition says for a plain-HTTP request to `host`: true, false, or
 * undefined when it depends on something a static reading cannot know.
 */
export function conditionHolds(condition: string, host: string): boolean | undefined {
  const m = /^(\$host|\$server_name|\$http_host|\$scheme)\s*(=|!=)\s*"?([^"]*)"?$/.exec(condition.trim());
  if (!m) return undefined;
  const [, variable, op, raw = ''] = m;
  const actual = variable === '$scheme' ? 'http' : host;
  const equal = raw.toLowerCase() === actual.toLowerCase();
  return op === '=' ? equal : !equal;
}

/**
 * How nginx answers `http://<host>/` statically: the first redirect, or the first
 * non-redirect `return` (e.g. certbot's `return 404` after its `if ($host = …)` block), walking
 * the server's rewrite directives in order and then those of the location serving `/`.
 */
export function httpAnswer(serverNodes: readonly Node[], locationNodes: readonly Node[] | undefined, host: string): { redirect?: NginxRedirect; stop?: NginxDirective } {
  const walk = (nodes: readonly Node[]): { redirect?: NginxRedirect; stop?: NginxDirective } | undefined => {
    for (const node of nodes) {
      if (node.name === 'if' && node.block) {
        const condition = conditionOf(node);
        if (conditionHolds(condition, host) !== true) continue;
        const inner = walk(node.block);
        if (inner) return inner.redirect ? { redirect: { ...inner.redirect, condition } } : inner;
        continue;
      }
      if (node.name !== 'return' && node.name !== 'rewrite') continue;
      const r = redirectOf(node);
      if (r) {
        if (node.name === 'rewrite' && !rewriteMatchesRoot(node)) continue;
        return { redirect: r };
      }
      if (node.name === 'return') return { stop: directive(node) };
    }
    return undefined;
  };
  return walk(serverNodes) ?? (locationNodes ? walk(locationNodes) : undefined) ?? {};
}

/** A `rewrite` applies to `/` when its regex matches `/`. */
function rewriteMatchesRoot(node: Node): boolean {
  const re = pcre(node.args[0] ?? '', false);
  return re === undefined ? true : re.test('/');
}
