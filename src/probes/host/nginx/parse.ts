/**
 * Parser for `nginx -T` (nginx ≥ 1.9.2): the configuration model predeploy judges — server
 * blocks with their TLS settings, headers, limits, redirects and locations (inheritance
 * applied), the http-level rate-limit zones, and the server blocks that answer the assessed
 * domain on each port, with the location that serves `/` and the health path.
 *
 * ```
 * # configuration file /etc/nginx/nginx.conf:
 * user www-data;
 * http {
 *     include /etc/nginx/sites-enabled/*;
 * }
 *
 * # configuration file /etc/nginx/sites-enabled/workflow:
 * server { … }
 * ```
 * The dump is only printed when the configuration is valid (nginx tests it first), so a
 * syntax error here means input that is not `nginx -T` output: the probe fails (unknown).
 */
import type { ProbeResult } from '../../../engine/types.js';
import type { AssessedDomain, NginxConfig, NginxDomainMatch, NginxServer, NginxZone } from '../../../facts/web.js';
import { httpEffective, httpTls, readHttp, type HttpModel } from './model.js';
import { httpAnswer, ports, selectLocation, selectServer } from './routing.js';
import { parseDump, type Node } from './syntax.js';

/** What the model is built for: the assessed domain and the request paths to route. */
export interface NginxParseOptions {
  domain: AssessedDomain;
  /** request paths to route (`/` and the health path) */
  paths: readonly string[];
}

function locationNodes(serverNodes: readonly Node[], target: NginxServer, index: number | null): Node[] | undefined {
  if (index === null) return undefined;
  const loc = target.locations[index];
  if (!loc) return undefined;
  // find the node by its position (file:line is unique per location)
  const find = (nodes: readonly Node[]): Node[] | undefined => {
    for (const n of nodes) {
      if (n.name === 'location' && n.file === loc.file && n.line === loc.line) return n.block;
      if (n.block) {
        const inner = find(n.block);
        if (inner) return inner;
      }
    }
    return undefined;
  };
  return find(serverNodes);
}

/** Parse `nginx -T` stdout into the model. */
export function parseNginxDump(text: string, options: NginxParseOptions): ProbeResult<NginxConfig> {
  let tree;
  try {
    tree = parseDump(text);
  } catch (err) {
    return { ok: false, reason: 'failed', detail: `cannot read nginx -T output: ${err instanceof Error ? err.message : String(err)}` };
  }
  const httpBlocks = tree.nodes.filter((n) => n.name === 'http' && n.block);
  if (httpBlocks.length === 0) {
    return { ok: false, reason: 'failed', detail: `no http block in the nginx configuration (${tree.files[0] ?? 'no file'})` };
  }
  const models: HttpModel[] = [];
  let count = 0;
  for (const h of httpBlocks) {
    const m = readHttp(h.block ?? [], count);
    count += m.servers.length;
    models.push(m);
  }
  const first = models[0];
  if (!first) return { ok: false, reason: 'failed', detail: 'no http block' };
  const servers = models.flatMap((m) => m.servers.map((s) => s.server));
  const serverNodes = models.flatMap((m) => m.servers.map((s) => s.nodes));
  const limitReqZones: NginxZone[] = models.flatMap((m) => m.limitReqZones);
  const limitConnZones: NginxZone[] = models.flatMap((m) => m.limitConnZones);

  const host = options.domain.name;
  const p = ports(servers);
  const match = (port: number, ssl: boolean): NginxDomainMatch | undefined => {
    const picked = selectServer(servers, host, port, ssl);
    if (!picked) return undefined;
    const s = picked.server;
    const routes = options.paths.map((path) => ({ path, location: selectLocation(s.locations, path) }));
    const base: NginxDomainMatch = { server: s.index, port, ssl, matchedBy: picked.matchedBy, routes };
    if (ssl) return base;
    const nodes = serverNodes[s.index] ?? [];
    const root = routes.find((r) => r.path === '/')?.location ?? selectLocation(s.locations, '/');
    const answer = httpAnswer(nodes, locationNodes(nodes, s, root), host);
    return { ...base, ...answer };
  };

  return {
    ok: true,
    value: {
      files: tree.files,
      http: {
        ownHeaders: first.level.headers,
        effective: httpEffective(first.level),
        limitReqZones,
        limitConnZones,
        ...httpTls(first.level),
      },
      servers,
      domain: {
        ...options.domain,
        https: p.https.map((port) => match(port, true)).filter((m): m is NginxDomainMatch => m !== undefined),
        http: p.http.map((port) => match(port, false)).filter((m): m is NginxDomainMatch => m !== undefined),
      },
      notes: tree.notes,
    },
  };
}
