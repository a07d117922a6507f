/**
 * A loopback fake of Azure Resource Manager and the Key Vault data plane, serving the scenario
 * fixtures of test/fixtures/azure/<scenario>/ (Azure's published examples, renamed; see
 * SOURCES.md there) to the real SDK clients.
 *
 * - ARM: one HTTPS origin. A GET on a resource id answers that resource's fixture; a GET on a
 *   collection path (`.../providers/<ns>/<type>`, `<resource>/<childType>`) lists the fixtures of
 *   that type below it; `/resources?$filter=resourceType eq '<type>'` lists by type, in pages
 *   (`nextLink`) of `resourcesPageSize`. Explicit `routes` of the scenario win. Missing
 *   resources answer ARM's 404 bodies (`ResourceNotFound`, `ResourceGroupNotFound`).
 *   Requests without a bearer token answer 401.
 * - Key Vault: one HTTPS origin per vault (the SDK accepts only `/secrets/<name>` ids on the
 *   vault's own origin). The first request gets the 401 challenge; `GET /secrets` lists the
 *   scenario's secrets in pages of `secretsPageSize`; `GET /secrets/<name>[/<version>]` (a value
 *   read, which predeploy must never make) answers 500 with {@link SECRET_CANARY}.
 * - DNS over HTTPS (JSON, as https://developers.cloudflare.com/1.1.1.1/encryption/dns-over-https/make-api-requests/dns-json/):
 *   `GET /dns-query?name=<host>&type=A` on the ARM origin, from the scenario's `dns` table.
 * - Faults (403, 429 with Retry-After, slow answers) are laid over any of these by pattern.
 *
 * Paths are matched case-insensitively with doubled slashes collapsed (the SDKs send
 * `//subscriptions/...` when given ids with a leading slash).
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { testCa } from './test-ca.js';

/** A secret value that exists only in the fake server's answer to a value read. */
export const SECRET_CANARY = 'CANARY-secret-value-7f3a9c1e-never-read';

export const FIXTURES = new URL('../fixtures/azure/', import.meta.url).pathname;

export interface Fault {
  /**
   * Matched against `<origin> <METHOD> <path>`: origin `arm` or `vault:<name>`, the path in lower
   * case without the query, e.g. /^arm GET .*\/storageaccounts\//.
   */
  match: RegExp;
  /** answer with this status instead of the fixture */
  status?: number;
  /** with status 429/503 */
  retryAfter?: string;
  /** wait this long before answering */
  delayMs?: number;
  /** never answer: hold the request until the client gives up */
  hang?: boolean;
  /** how many matching requests the fault applies to (default: all) */
  times?: number;
  /** the body to send with `status` (default: an ARM error body for it) */
  body?: unknown;
}

export interface FakeArmOptions {
  scenario: string;
  faults?: Fault[];
  /** page size of `/resources` listings (default 1: every listing of 2+ items has a nextLink) */
  resourcesPageSize?: number;
  /** page size of the secrets list (default 2) */
  secretsPageSize?: number;
}

export interface SeenRequest {
  origin: string;
  method: string;
  /** the raw path, query included */
  url: string;
  authorized: boolean;
}

export interface FakeArm {
  /** the ARM endpoint, e.g. https://127.0.0.1:41234 */
  url: string;
  /** the DNS-over-HTTPS URL */
  dohUrl: string;
  caFile: string;
  ca: string;
  subscriptionId: string;
  tenantId: string;
  vaultOrigin(name: string): string | undefined;
  requests: SeenRequest[];
  close(): Promise<void>;
}

interface Example {
  responses: Record<string, { body?: unknown; headers?: Record<string, string> }>;
}

interface ScenarioIndex {
  subscriptionId: string;
  tenantId: string;
  resources: string[];
  routes: Record<string, string>;
  secrets: Record<string, string>;
  dns: Record<string, string[]>;
}

interface Stored {
  id: string;
  type: string;
  body: Record<string, unknown>;
}

const norm = (path: string): string => (path.replace(/\/{2,}/g, '/').replace(/\/+$/, '') || '/').toLowerCase();

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

function bodyOf(ex: Example): unknown {
  return (ex.responses['200'] ?? Object.values(ex.responses)[0])?.body;
}

function record(o: unknown): Record<string, unknown> {
  return o !== null && typeof o === 'object' && !Array.isArray(o) ? (o as Record<string, unknown>) : {};
}

/** `.../providers/<ns>/<type>` or `<resource>/<childType>`: an odd number of segments after the last provider namespace. */
function isCollection(path: string): boolean {
  const segs = path.split('/').filter(Boolean);
  const p = segs.lastIndexOf('providers');
  if (p < 0) return segs.length % 2 === 1 || segs.at(-1) === 'resources';
  return (segs.length - (p + 2)) % 2 === 1;
}

function armError(status: number, path: string, subscriptionId: string): unknown {
  const rg = /\/resourcegroups\/([^/]+)/i.exec(path)?.[1];
  const type = /\/providers\/([^/]+\/[^/]+)\/([^/]+)/i.exec(path);
  if (status === 403) {
    // https://learn.microsoft.com/azure/role-based-access-control/troubleshooting#symptom---authorization-failed
    const action = type ? `${type[1]}/read` : 'Microsoft.Resources/subscriptions/resourceGroups/read';
    return {
      error: {
        code: 'AuthorizationFailed',
        message: `The client 'predeploy-test@example.com' with object id '00000000-0000-0000-0000-00000000beef' does not have authorization to perform action '${action}' over scope '${path}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
      },
    };
  }
  if (status === 429) {
    // https://learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling#error-code
    return { error: { code: 'TooManyRequests', message: 'The request is being throttled as the limit has been reached for operation type - Read_ObservationWindow_00:05:00.' } };
  }
  if (status === 404) return { error: { code: 'ResourceNotFound', message: `The Resource '${type ? `${type[1]}/${type[2]}` : path}' under resource group '${rg ?? ''}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix` } };
  return { error: { code: 'InternalServerError', message: `fake ARM: status ${status} for subscription ${subscriptionId}` } };
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Starts the fake servers for a scenario (test/fixtures/azure/<scenario>/index.json). */
export async function startFakeArm(o: FakeArmOptions): Promise<FakeArm> {
  const dir = join(FIXTURES, o.scenario);
  const index = readJson<ScenarioIndex>(join(dir, 'index.json'));
  const { cert, key, ca, caFile } = testCa();
  const requests: SeenRequest[] = [];
  const faults = (o.faults ?? []).map((f) => ({ ...f, left: f.times ?? Number.POSITIVE_INFINITY }));
  const pageSize = o.resourcesPageSize ?? 1;
  const secretsPage = o.secretsPageSize ?? 2;

  const store = new Map<string, Stored>();
  for (const file of index.resources) {
    const body = record(bodyOf(readJson<Example>(join(dir, file))));
    const id = String(body['id']);
    store.set(norm(id), { id, type: String(body['type'] ?? ''), body });
  }
  const routes = new Map(Object.entries(index.routes).map(([k, f]) => [`${k.split(' ')[0]} ${norm(k.slice(k.indexOf(' ') + 1))}`, join(dir, f)]));
  const groups = new Set([...store.values()].filter((s) => /\/resourcegroups\/[^/]+$/i.test(s.id)).map((s) => norm(s.id)));

  const armServer = createServer({ cert, key });
  const armUrl = await listen(armServer);
  const vaultServers = new Map<string, { server: Server; origin: string }>();
  for (const name of Object.keys(index.secrets)) {
    const server = createServer({ cert, key });
    vaultServers.set(name, { server, origin: await listen(server) });
  }

  /** Points Azure's public host names in a fixture at the loopback origins. */
  const rewrite = (text: string): string => {
    let out = text.replaceAll('https://management.azure.com', armUrl);
    for (const [name, v] of vaultServers) out = out.replace(new RegExp(`https://${name}\\.vault\\.azure\\.net(:443)?/?`, 'gi'), `${v.origin}/`);
    return out;
  };
  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const text = rewrite(JSON.stringify(body));
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-ms-request-id': `req-${requests.length}`, ...headers });
    res.end(text);
  };

  /** Applies the first matching fault; true when it answered. */
  const fault = async (key: string, res: ServerResponse, path: string): Promise<boolean> => {
    const f = faults.find((x) => x.left > 0 && x.match.test(key));
    if (!f) return false;
    f.left -= 1;
    if (f.delayMs !== undefined) await new Promise((r) => setTimeout(r, f.delayMs));
    if (f.hang === true) await new Promise((r) => res.once('close', r));
    if (res.destroyed) return true;
    if (f.status === undefined) return false;
    send(res, f.status, f.body ?? armError(f.status, path, index.subscriptionId), f.retryAfter !== undefined ? { 'retry-after': f.retryAfter } : {});
    return true;
  };

  const page = (res: ServerResponse, items: unknown[], url: URL, size: number, base: string) => {
    const skip = Number(url.searchParams.get('$skiptoken') ?? '0');
    const value = items.slice(skip, skip + size);
    const next = new URL(base + url.pathname);
    for (const [k, v] of url.searchParams) if (k !== '$skiptoken') next.searchParams.set(k, v);
    next.searchParams.set('$skiptoken', String(skip + size));
    send(res, 200, skip + size < items.length ? { value, nextLink: next.toString() } : { value });
  };

  armServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const url = new URL(`${armUrl}${req.url ?? '/'}`);
      const method = req.method ?? 'GET';
      const path = norm(url.pathname);
      const authorized = /^bearer \S+/i.test(req.headers.authorization ?? '');
      requests.push({ origin: 'arm', method, url: req.url ?? '', authorized });
      if (await fault(`arm ${method} ${path}`, res, url.pathname)) return;
      if (path === '/dns-query') {
        const name = (url.searchParams.get('name') ?? '').replace(/\.$/, '').toLowerCase();
        const ips = index.dns[name];
        send(res, 200, ips ? { Status: 0, Answer: ips.map((data) => ({ name: `${name}.`, type: 1, TTL: 300, data })) } : { Status: 3, Answer: [] }, { 'content-type': 'application/dns-json' });
        return;
      }
      if (!authorized) {
        send(res, 401, { error: { code: 'AuthenticationFailed', message: "Authentication failed. The 'Authorization' header is missing." } });
        return;
      }
      if (method !== 'GET') {
        send(res, 405, { error: { code: 'MethodNotAllowed', message: `fake ARM answers GET only, got ${method}` } });
        return;
      }
      const routed = routes.get(`GET ${path}`);
      if (routed) {
        send(res, 200, bodyOf(readJson<Example>(routed)));
        return;
      }
      const hit = store.get(path);
      if (hit) {
        send(res, 200, hit.body);
        return;
      }
      const rg = /^(\/subscriptions\/[^/]+\/resourcegroups\/[^/]+)/.exec(path)?.[1];
      if (rg !== undefined && !groups.has(rg)) {
        send(res, 404, { error: { code: 'ResourceGroupNotFound', message: `Resource group '${rg.split('/').pop() ?? ''}' could not be found.` } });
        return;
      }
      const byType = /^(\/subscriptions\/[^/]+(?:\/resourcegroups\/[^/]+)?)\/resources$/.exec(path);
      if (byType) {
        const filter = /resourceType eq '([^']+)'/i.exec(url.searchParams.get('$filter') ?? '')?.[1]?.toLowerCase();
        const items = [...store.values()]
          // top-level resources only (a child type such as .../blobServices has a second slash)
          .filter((s) => s.type.split('/').length === 2 && norm(s.id).startsWith(`${byType[1]}/`) && (filter === undefined || s.type.toLowerCase() === filter))
          .map((s) => ({ id: s.id, name: s.body['name'], type: s.type, location: s.body['location'], ...(s.body['kind'] !== undefined ? { kind: s.body['kind'] } : {}), tags: s.body['tags'] ?? {} }));
        page(res, items, url, pageSize, armUrl);
        return;
      }
      if (isCollection(path)) {
        const sub = /^\/subscriptions\/[^/]+\/providers\/([^/]+\/[^/]+)$/.exec(path);
        const items = [...store.values()].filter((s) =>
          sub ? s.type.toLowerCase() === sub[1] : norm(s.id).startsWith(`${path}/`) && !norm(s.id).slice(path.length + 1).includes('/'),
        );
        send(res, 200, { value: items.map((s) => s.body) });
        return;
      }
      send(res, 404, armError(404, url.pathname, index.subscriptionId));
    })();
  });

  for (const [name, { server, origin }] of vaultServers) {
    const listed = record(bodyOf(readJson<Example>(join(dir, index.secrets[name] ?? ''))));
    const items = Array.isArray(listed['value']) ? listed['value'] : [];
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      void (async () => {
        const url = new URL(`${origin}${req.url ?? '/'}`);
        const method = req.method ?? 'GET';
        const path = norm(url.pathname);
        const authorized = /^bearer \S+/i.test(req.headers.authorization ?? '');
        requests.push({ origin: `vault:${name}`, method, url: req.url ?? '', authorized });
        if (!authorized) {
          // the Key Vault challenge: https://learn.microsoft.com/azure/key-vault/general/authentication-requests-and-responses#authentication
          res.writeHead(401, {
            'www-authenticate': `Bearer authorization="https://login.microsoftonline.com/${index.tenantId}", resource="https://vault.azure.net"`,
            'content-type': 'application/json',
          });
          res.end(JSON.stringify({ error: { code: 'Unauthorized', message: 'AKV10000: Request is missing a Bearer or PoP token.' } }));
          return;
        }
        if (await fault(`vault:${name} ${method} ${path}`, res, url.pathname)) return;
        if (path === '/secrets') {
          page(res, items, url, secretsPage, origin);
          return;
        }
        if (/^\/secrets\/[^/]+(\/(?!versions$)[^/]+)?$/.test(path)) {
          // a value read: predeploy must never make one; the canary shows if it did
          send(res, 500, { error: { code: 'Canary', message: `secret value ${SECRET_CANARY}` }, value: SECRET_CANARY });
          return;
        }
        send(res, 404, { error: { code: 'NotFound', message: `fake Key Vault: ${method} ${url.pathname}` } });
      })();
    });
  }

  return {
    url: armUrl,
    dohUrl: `${armUrl}/dns-query`,
    ca,
    caFile,
    subscriptionId: index.subscriptionId,
    tenantId: index.tenantId,
    vaultOrigin: (name) => vaultServers.get(name)?.origin,
    requests,
    async close() {
      const all = [armServer, ...[...vaultServers.values()].map((v) => v.server)];
      for (const s of all) s.closeAllConnections();
      await Promise.all(all.map((s) => new Promise<void>((r) => s.close(() => r()))));
    },
  };
}
