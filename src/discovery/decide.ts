/**
 * Judging what discovery found: which value each config path takes, from which source. Pure —
 * the facts come in as arguments (src/discovery/index.ts collects them through the probes).
 *
 * A value is decided only when the evidence points at one thing: two TLS server names that both
 * proxy to the app, or two Key Vault names for prod, leave the path undecided with a note.
 */
import { isTbd } from '../config/tbd.js';
import type { Config } from '../config/schema.js';
import type { ProbeResult } from '../engine/types.js';
import type { AzureInstanceDiscovery, EnvNameHint, EnvNameKind, GroupResources, SystemdUnitInfo } from '../facts/discovery.js';
import type { CertbotCertificates, ListeningSocket, NginxConfig, NginxServer, ProcessInfo } from '../facts/index.js';
import type { DiscoveredValue, Discovery, DiscoveryConflict } from './types.js';

/** What discovery looked at; a failed source is a value with its reason. */
export interface DiscoveryFacts {
  root: string;
  nginx?: ProbeResult<NginxConfig>;
  certbot?: ProbeResult<CertbotCertificates>;
  listening?: ProbeResult<ListeningSocket[]>;
  processes?: ProbeResult<ProcessInfo[]>;
  units?: ProbeResult<SystemdUnitInfo[]>;
  azure?: ProbeResult<AzureInstanceDiscovery>;
  group?: GroupResources;
  envNames?: ProbeResult<EnvNameHint[]>;
}

type Env = 'dev' | 'prod';

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]', '0.0.0.0']);

/** A proxy target on this machine: `http://127.0.0.1:3000/`, `http://localhost:8080`, `unix:/run/x.sock`; a named upstream counts too (its servers are not modelled), port unknown. */
export function localUpstream(upstream: string): { port?: number } | undefined {
  const m = /^(?:https?|grpcs?|uwsgi|scgi|fastcgi)?(?::\/\/)?(.*)$/i.exec(upstream.trim());
  const rest = m?.[1] ?? upstream;
  if (/^unix:/i.test(rest)) return {};
  const hostPort = /^(\[[^\]]+\]|[^/:]+)(?::(\d+))?/.exec(rest);
  if (!hostPort) return undefined;
  const host = (hostPort[1] ?? '').toLowerCase();
  const port = hostPort[2] !== undefined ? Number(hostPort[2]) : undefined;
  if (LOCAL_HOSTS.has(host) || host.startsWith('127.')) return port !== undefined ? { port } : {};
  // a bare name without dots is an `upstream` block (or a variable): treated as the app
  if (!host.includes('.') && !host.startsWith('$')) return {};
  return undefined;
}

/** Names in `server_name` that are a real host name: not `_`, `localhost`, a wildcard, a regex or an address. */
function hostName(name: string): boolean {
  const n = name.toLowerCase();
  return n !== '' && n !== '_' && n !== 'localhost' && !n.startsWith('~') && !n.includes('*') && !n.startsWith('.') && n.includes('.') && !/^[0-9.]+$/.test(n) && !n.includes(':');
}

interface ProxyingServer {
  server: NginxServer;
  ports: number[];
}

/** TLS servers with a location that proxies to this machine. A redirect-only port-80 block never qualifies (not TLS, no proxy). */
export function proxyingTlsServers(nginx: NginxConfig): ProxyingServer[] {
  const out: ProxyingServer[] = [];
  for (const s of nginx.servers) {
    if (!s.ssl) continue;
    const targets = s.locations.flatMap((l) => (l.upstream !== undefined ? [localUpstream(l.upstream)] : [])).filter((t): t is { port?: number } => t !== undefined);
    if (targets.length === 0) continue;
    out.push({ server: s, ports: [...new Set(targets.flatMap((t) => (t.port !== undefined ? [t.port] : [])))] });
  }
  return out;
}

function value(path: string, v: string | string[], source: string): DiscoveredValue {
  return { path, value: v, provenance: { kind: 'discovered', source } };
}

function domainValues(f: DiscoveryFacts, config: Config, notes: string[]): { values: DiscoveredValue[]; ports: number[] } {
  const candidates = new Map<string, string[]>();
  const ports: number[] = [];
  const add = (name: string, source: string) => {
    const n = name.toLowerCase();
    candidates.set(n, [...(candidates.get(n) ?? []), source]);
  };
  if (f.nginx?.ok) {
    for (const p of proxyingTlsServers(f.nginx.value)) {
      ports.push(...p.ports);
      for (const name of p.server.serverNames.filter(hostName)) add(name, `nginx server_name at ${p.server.serverNameAt ?? p.server.at}`);
    }
  } else if (f.nginx) notes.push(`nginx configuration not read (${f.nginx.detail}): no domain from server_name`);
  const lineages = f.certbot?.ok ? f.certbot.value.lineages : [];
  if (f.certbot && !f.certbot.ok) notes.push(`certbot certificates not read (${f.certbot.detail})`);
  if (candidates.size > 0) {
    // certbot corroborates a server name it holds a certificate for
    for (const [name, sources] of candidates) {
      const lineage = lineages.find((l) => l.domains.some((d) => d.toLowerCase() === name));
      if (lineage) sources.push(`certbot lineage ${lineage.name}`);
    }
  } else {
    for (const l of lineages) for (const d of l.domains.filter(hostName)) add(d, `certbot lineage ${l.name}`);
  }
  // `www.x` beside `x` is the same site
  for (const name of [...candidates.keys()]) if (name.startsWith('www.') && candidates.has(name.slice(4))) candidates.delete(name);
  const dev = config.domain.dev.toLowerCase();
  if (candidates.has(dev)) {
    notes.push(`this machine serves the dev domain ${dev} (${(candidates.get(dev) ?? []).join('; ')}): it is not taken as the production domain`);
    candidates.delete(dev);
  }
  const names = [...candidates.keys()];
  if (names.length === 1 && names[0] !== undefined) return { values: [value('domain.prod', names[0], (candidates.get(names[0]) ?? []).join('; '))], ports };
  if (names.length > 1) notes.push(`several TLS server names proxy to this machine (${names.join(', ')}): domain.prod left undecided`);
  return { values: [], ports };
}

function under(path: string | undefined, root: string): boolean {
  if (path === undefined) return false;
  const r = root.replace(/\/+$/, '');
  return path === r || path.startsWith(`${r}/`);
}

/** The first path segment under the root in a command line: `/data/op/workflow-api/dist/server.js` → `workflow-api`. */
function segmentUnder(args: string, root: string): string | undefined {
  const r = root.replace(/\/+$/, '');
  for (const word of args.split(/\s+/)) {
    const at = word.indexOf(`${r}/`);
    if (at < 0) continue;
    const rest = word.slice(at + r.length + 1).split('/');
    if (rest.length >= 2 && rest[0] !== undefined && /^[A-Za-z0-9][A-Za-z0-9_.@-]*$/.test(rest[0]) && !rest[0].startsWith('.')) return rest[0];
  }
  return undefined;
}

function serviceValues(f: DiscoveryFacts, ports: readonly number[], notes: string[]): DiscoveredValue[] {
  const pidsOnPorts = new Map<number, number>();
  if (f.listening?.ok) for (const s of f.listening.value) if (s.pid !== undefined && ports.includes(s.port)) pidsOnPorts.set(s.pid, s.port);
  const found = new Map<string, string>();
  if (f.units?.ok) {
    for (const u of f.units.value) {
      const name = u.id.replace(/\.service$/, '');
      const why = under(u.workingDirectory, f.root)
        ? `WorkingDirectory ${u.workingDirectory}`
        : u.execStart.some((a) => a.split(/\s+/).some((w) => under(w, f.root)))
          ? `ExecStart under ${f.root}`
          : u.environmentFiles.some((e) => under(e, f.root))
            ? `EnvironmentFile ${u.environmentFiles.find((e) => under(e, f.root)) ?? ''}`
            : u.mainPid !== undefined && pidsOnPorts.has(u.mainPid)
              ? `listens on port ${pidsOnPorts.get(u.mainPid) ?? ''}, which nginx proxies to`
              : undefined;
      if (why !== undefined) found.set(name, `systemd unit ${u.source}: ${why}`);
    }
  } else if (f.processes?.ok) {
    if (f.units) notes.push(`systemd units not listed (${f.units.detail}): services discovered from processes`);
    for (const p of f.processes.value) {
      const seg = segmentUnder(p.args, f.root);
      if (seg !== undefined && !found.has(seg)) found.set(seg, `process ${p.pid} (ps): command under ${f.root}/${seg}`);
      else if (pidsOnPorts.has(p.pid) && seg === undefined) notes.push(`process ${p.pid} listens on port ${pidsOnPorts.get(p.pid) ?? ''} (nginx proxies to it) but runs nothing under ${f.root}: not named as a service`);
    }
  } else if (f.units && f.processes) notes.push(`neither systemd units (${f.units.detail}) nor processes (${f.processes.ok ? '' : f.processes.detail}) could be listed: services not discovered`);
  if (found.size === 0) return [];
  const names = [...found.keys()].sort();
  return [value('services', names, names.map((n) => `${n}: ${found.get(n) ?? ''}`).join('; '))];
}

/** `prod`/`production`/... → prod; `dev`/`development`/`sandbox`/... → dev. */
export function envOfTag(tag: string | undefined): Env | undefined {
  const t = tag?.trim().toLowerCase();
  if (t === undefined) return undefined;
  if (['prod', 'production', 'prd', 'live'].includes(t)) return 'prod';
  if (['dev', 'development', 'develop', 'sandbox', 'test', 'staging', 'stage', 'uat'].includes(t)) return 'dev';
  return undefined;
}

const TYPE_KIND: Readonly<Record<string, keyof Config['azure']['prod']>> = {
  'microsoft.keyvault/vaults': 'keyVault',
  'microsoft.storage/storageaccounts': 'storageAccount',
  'microsoft.documentdb/databaseaccounts': 'cosmosAccount',
  'microsoft.compute/virtualmachines': 'vm',
  'microsoft.botservice/botservices': 'botName',
};

function envTag(tags: Record<string, string>): string | undefined {
  for (const [k, v] of Object.entries(tags)) if (['env', 'environment', 'stage'].includes(k.toLowerCase()) && v.trim() !== '') return v;
  return undefined;
}

/** Collect candidates per path; a path with two different candidates is left undecided. */
class Candidates {
  private readonly byPath = new Map<string, { value: string; sources: string[] }[]>();
  add(path: string, v: string, source: string): void {
    const list = this.byPath.get(path) ?? [];
    const same = list.find((c) => c.value.toLowerCase() === v.toLowerCase());
    if (same) same.sources.push(source);
    else list.push({ value: v, sources: [source] });
    this.byPath.set(path, list);
  }
  decide(notes: string[]): DiscoveredValue[] {
    const out: DiscoveredValue[] = [];
    for (const [path, list] of this.byPath) {
      const [only] = list;
      if (list.length === 1 && only) out.push(value(path, only.value, only.sources.join('; ')));
      else notes.push(`${path}: several candidates (${list.map((c) => `${c.value} from ${c.sources[0] ?? ''}`).join('; ')}): left undecided`);
    }
    return out;
  }
}

function azureValues(f: DiscoveryFacts, c: Candidates, notes: string[]): void {
  const a = f.azure;
  if (!a) return;
  if (!a.ok) {
    notes.push(`Azure instance metadata not read (${a.detail})`);
    return;
  }
  if (a.value.status !== 'found') {
    notes.push(a.value.detail);
    return;
  }
  const i = a.value.instance;
  const src = (field: string) => `Azure IMDS compute.${field} (${a.value.status === 'found' ? a.value.why : ''})`;
  c.add('azure.subscriptionId', i.subscriptionId, src('subscriptionId'));
  const tag = envTag(i.tags);
  const vmEnv = envOfTag(tag);
  const tagText = Object.entries(i.tags).map(([k, v]) => `${k}=${v}`).join(', ');
  notes.push(`Azure VM ${i.name} in ${i.location || 'an unknown region'}, resource group ${i.resourceGroupName}${tagText ? `, tags ${tagText}` : ', no tags'}`);
  if (vmEnv) {
    c.add(`azure.${vmEnv}.resourceGroup`, i.resourceGroupName, src('resourceGroupName'));
    c.add(`azure.${vmEnv}.vm`, i.name, `${src('name')}, tag ${tag ?? ''}`);
  } else notes.push(`the VM ${i.name} has no env/environment tag saying dev or prod${tag ? ` (it says "${tag}")` : ''}: its resource group and name are not assigned to azure.dev or azure.prod`);
  const g = f.group;
  if (!g) return;
  if (g.status !== 'found') {
    notes.push(g.detail);
    return;
  }
  for (const r of g.resources) {
    const kind = TYPE_KIND[r.type.toLowerCase()];
    if (kind === undefined) continue;
    const env = envOfTag(r.envTag) ?? vmEnv;
    if (!env) {
      notes.push(`${r.type} ${r.name} in ${g.resourceGroup}: no env tag, and the VM's group is neither dev nor prod by tag: not assigned`);
      continue;
    }
    c.add(`azure.${env}.${kind}`, r.name, `ARM resources of resource group ${g.resourceGroup}: ${r.type} ${r.name}${r.envTag !== undefined ? ` (tag ${r.envTag})` : ` (the VM's tag ${tag ?? ''})`}`);
  }
}

const ENV_KIND_PATH: Readonly<Record<EnvNameKind, (env: Env) => string>> = {
  keyVault: (e) => `azure.${e}.keyVault`,
  storageAccount: (e) => `azure.${e}.storageAccount`,
  cosmosAccount: (e) => `azure.${e}.cosmosAccount`,
  botAppId: (e) => `bot.${e}.appId`,
  botTenantId: (e) => `bot.${e}.tenantId`,
  zohoOrgId: (e) => `zoho.${e}.orgId`,
};

function envFileValues(f: DiscoveryFacts, c: Candidates, notes: string[]): void {
  if (!f.envNames) return;
  if (!f.envNames.ok) {
    notes.push(`.env files not read for resource names (${f.envNames.detail})`);
    return;
  }
  for (const h of f.envNames.value) {
    const source = `${h.how} in ${h.key} at ${h.file}:${h.line}`;
    if (!h.env) {
      notes.push(`${source} names ${h.value}, but neither the key, the file nor the name says dev or prod: not assigned`);
      continue;
    }
    c.add(ENV_KIND_PATH[h.kind](h.env), h.value, source);
  }
}

/** Read a dotted path of the config: a string, a string list, or undefined. */
export function configValue(config: Config, path: string): string | string[] | undefined {
  let cur: unknown = config;
  for (const seg of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  if (typeof cur === 'string') return cur;
  if (Array.isArray(cur) && cur.every((x) => typeof x === 'string')) return cur as string[];
  return undefined;
}

function sameValue(a: string | string[], b: string | string[]): boolean {
  if (typeof a === 'string' || typeof b === 'string') return typeof a === 'string' && typeof b === 'string' && a.toLowerCase() === b.toLowerCase();
  const x = [...a].sort();
  const y = [...b].sort();
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

/** A configured value pins its path when it is decided (not TBD, not absent). */
export function pinned(v: string | string[] | undefined): v is string | string[] {
  return v !== undefined && !(typeof v === 'string' && isTbd(v));
}

/** Differences between discovery and the configuration (which wins). */
export function conflictsWith(config: Config, configuredFrom: string, values: readonly DiscoveredValue[]): DiscoveryConflict[] {
  const out: DiscoveryConflict[] = [];
  for (const v of values) {
    const configured = configValue(config, v.path);
    if (pinned(configured) && !sameValue(configured, v.value)) {
      out.push({ path: v.path, configured, configuredFrom, discovered: v.value, source: v.provenance.source });
    }
  }
  return out;
}

/** Every value discovery can decide from the facts, with its source, and the notes. */
export function decide(f: DiscoveryFacts, config: Config, configuredFrom: string): Discovery {
  const notes: string[] = [];
  const { values: domain, ports } = domainValues(f, config, notes);
  const services = serviceValues(f, ports, notes);
  const c = new Candidates();
  azureValues(f, c, notes);
  envFileValues(f, c, notes);
  const values = [...domain, ...services, ...c.decide(notes)];
  return { values, conflicts: conflictsWith(config, configuredFrom, values), notes };
}

/**
 * The configuration with discovered values in the paths it leaves undecided (TBD or absent);
 * a decided value is never replaced. Returns the values it used.
 */
export function applyDiscovery(config: Config, discovery: Discovery): { config: Config; applied: DiscoveredValue[] } {
  const next = structuredClone(config);
  const applied: DiscoveredValue[] = [];
  for (const v of discovery.values) {
    if (pinned(configValue(next, v.path))) continue;
    const segs = v.path.split('.');
    const last = segs.pop();
    let cur: Record<string, unknown> = next as unknown as Record<string, unknown>;
    for (const s of segs) {
      const child = cur[s];
      if (child === null || typeof child !== 'object') {
        cur = {};
        break;
      }
      cur = child as Record<string, unknown>;
    }
    if (last === undefined || !(last in cur || v.path === 'azure.subscriptionId')) continue;
    cur[last] = Array.isArray(v.value) ? [...v.value] : v.value;
    applied.push(v);
  }
  return { config: next, applied };
}
