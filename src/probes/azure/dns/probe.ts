import { isTbd } from '../../../config/tbd.js';
import { defineProbe } from '../../../engine/define.js';
import type { ProbeContext } from '../../../engine/types.js';
import type { AzureDnsFact, DnsZoneRecord, Lookup } from '../../../facts/azure.js';
import { all, carry, locate, lookup, rgScope } from '../lookup.js';
import { azureCa, azureSetup, type AzureSetup } from '../setup.js';

const IPV4 = /^(?:\d{1,3}\.){3}\d{1,3}$/;
/** The Microsoft.Network API version used to read NICs and public IPs without @azure/arm-network. */
export const NETWORK_API = '2024-05-01';

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** `getent ahosts <name>`: the IPv4 addresses the system resolver gives (first column). */
export function parseGetent(stdout: string): string[] {
  return [...new Set(stdout.split('\n').map((l) => l.trim().split(/\s+/)[0] ?? '').filter((a) => IPV4.test(a)))];
}

/** A DNS-over-HTTPS JSON answer (RFC 8484's JSON dialect, as served by Cloudflare and Google): A records. */
export function parseDohJson(body: string): { status: number; addresses: string[] } {
  const o = rec(JSON.parse(body));
  const status = typeof o['Status'] === 'number' ? o['Status'] : -1;
  const addresses = arr(o['Answer']).flatMap((a) => {
    const r = rec(a);
    return r['type'] === 1 && typeof r['data'] === 'string' && IPV4.test(r['data']) ? [r['data']] : [];
  });
  return { status, addresses };
}

async function resolve(ctx: ProbeContext, domain: string, resolver: string): Promise<Lookup<string[]>> {
  if (resolver === 'system') {
    const r = await ctx.exec(['getent', 'ahosts', domain]);
    const refs = [r.seq];
    if (r.refused !== undefined) return { status: 'error', reason: 'failed', detail: `getent refused: ${r.refused}`, refs };
    if (r.timedOut) return { status: 'error', reason: 'timeout', detail: `getent ahosts ${domain} timed out`, refs, endpoint: 'the system resolver' };
    // getent exits 2 when the name is not found (getent(1))
    if (r.exitCode === 2) return { status: 'not-found', detail: `${domain} does not resolve (system resolver)`, refs };
    if (r.exitCode !== 0) return { status: 'error', reason: 'failed', detail: `getent ahosts ${domain}: ${r.spawnError ?? `exit ${r.exitCode ?? 'signal'}`}`, refs };
    const ips = parseGetent(r.stdout);
    return ips.length > 0 ? { status: 'found', value: ips, refs } : { status: 'not-found', detail: `${domain} has no IPv4 address (system resolver)`, refs };
  }
  const url = new URL(resolver);
  url.searchParams.set('name', domain);
  url.searchParams.set('type', 'A');
  const ca = await azureCa(ctx).catch(() => undefined);
  try {
    const r = await ctx.http({ method: 'GET', url: url.toString(), headers: { accept: 'application/dns-json' }, ...(ca !== undefined ? { tls: { ca } } : {}) });
    if (r.status !== 200) return { status: 'error', reason: 'failed', detail: `resolver ${url.host} answered HTTP ${r.status}`, refs: [r.seq] };
    const { status, addresses } = parseDohJson(r.body);
    if (status === 3) return { status: 'not-found', detail: `${domain} does not exist (NXDOMAIN from ${url.host})`, refs: [r.seq] };
    if (addresses.length === 0) return { status: 'not-found', detail: `${domain} has no A record (${url.host}, DNS status ${status})`, refs: [r.seq] };
    return { status: 'found', value: addresses, refs: [r.seq] };
  } catch (err) {
    const timeout = err instanceof Error && err.name === 'TimeoutError';
    return { status: 'error', reason: timeout ? 'timeout' : 'failed', detail: `resolver ${url.host}: ${err instanceof Error ? err.message : String(err)}`, refs: [], ...(timeout ? { endpoint: url.origin } : {}) };
  }
}

/** The production VM's public IPs: VM → NICs → public IP resources (read as generic resources). */
async function vmPublicIps(ctx: ProbeContext, setup: AzureSetup): Promise<Lookup<string[]>> {
  const at = await locate(ctx, 'prod', 'vm');
  if (at.status !== 'found') return carry(at);
  const { name, resourceGroup } = at.value;
  const [{ ComputeManagementClient }, { ResourceManagementClient }] = await Promise.all([import('@azure/arm-compute'), import('@azure/arm-resources')]);
  const compute = new ComputeManagementClient(setup.credential, setup.session.subscriptionId, setup.modular());
  const resources = new ResourceManagementClient(setup.credential, setup.session.subscriptionId, setup.classic());
  const r = await lookup(
    async () => {
      const vm = await compute.virtualMachines.get(resourceGroup, name);
      const nics = (vm.networkProfile?.networkInterfaces ?? []).flatMap((n) => (n.id ? [n.id] : []));
      const pipIds = (await Promise.all(nics.map((id) => resources.resources.getById(id, NETWORK_API)))).flatMap((nic) =>
        arr(rec(nic.properties)['ipConfigurations']).flatMap((c) => {
          const id = rec(rec(rec(c)['properties'])['publicIPAddress'])['id'];
          return typeof id === 'string' ? [id] : [];
        }),
      );
      const pips = await Promise.all(pipIds.map((id) => resources.resources.getById(id, NETWORK_API)));
      return pips.flatMap((p) => {
        const ip = rec(p.properties)['ipAddress'];
        return typeof ip === 'string' ? [ip] : [];
      });
    },
    { what: `the public IPs of production VM ${name}`, role: 'Reader', scope: rgScope(resourceGroup) },
  );
  return { ...r, refs: [...at.refs, ...r.refs] };
}

/** The Azure DNS zone of the subscription hosting the domain (the longest matching zone name), and its record. */
async function zoneRecord(setup: AzureSetup, domain: string): Promise<Lookup<DnsZoneRecord>> {
  const { DnsManagementClient } = await import('@azure/arm-dns');
  const client = new DnsManagementClient(setup.credential, setup.session.subscriptionId, setup.classic());
  const sub = setup.session.subscriptionId;
  const zones = await lookup(() => all(client.zones.list()), { what: `the DNS zones of subscription ${sub}`, role: 'Reader', scope: `subscription ${sub}` });
  if (zones.status !== 'found') return carry(zones);
  const d = domain.toLowerCase().replace(/\.$/, '');
  const zone = zones.value
    .filter((z) => z.name !== undefined && (d === z.name.toLowerCase() || d.endsWith(`.${z.name.toLowerCase()}`)))
    .sort((a, b) => (b.name?.length ?? 0) - (a.name?.length ?? 0))[0];
  if (!zone?.name || !zone.id) return { status: 'not-found', detail: `no Azure DNS zone in subscription ${sub} hosts ${domain} (the zone is hosted elsewhere)`, refs: zones.refs };
  const zoneName = zone.name;
  const zoneRg = zone.id.match(/\/resourcegroups\/([^/]+)/i)?.[1] ?? '';
  const recordName = d === zoneName.toLowerCase() ? '@' : d.slice(0, d.length - zoneName.length - 1);
  const target = { role: 'Reader', scope: rgScope(zoneRg) };
  const a = await lookup(() => client.recordSets.get(zoneRg, zoneName, recordName, 'A'), { ...target, what: `the A record ${recordName} in zone ${zoneName}` });
  const refs = [...zones.refs, ...a.refs];
  if (a.status === 'found') {
    return {
      status: 'found',
      value: { zone: zoneName, zoneResourceGroup: zoneRg, recordName, addresses: (a.value.aRecords ?? []).flatMap((x) => (x.ipv4Address ? [x.ipv4Address] : [])), ...(a.value.ttl !== undefined ? { ttl: a.value.ttl } : {}) },
      refs,
    };
  }
  if (a.status !== 'not-found') return { ...a, refs };
  const cname = await lookup(() => client.recordSets.get(zoneRg, zoneName, recordName, 'CNAME'), { ...target, what: `the CNAME record ${recordName} in zone ${zoneName}` });
  const all2 = [...refs, ...cname.refs];
  if (cname.status === 'found' && cname.value.cnameRecord?.cname) {
    return { status: 'found', value: { zone: zoneName, zoneResourceGroup: zoneRg, recordName, addresses: [], cname: cname.value.cnameRecord.cname }, refs: all2 };
  }
  return { status: 'not-found', detail: `zone ${zoneName} (Azure DNS, ${zoneRg}) has no A or CNAME record ${recordName}`, refs: all2 };
}

/**
 * `azure.dns`: how the production domain resolves (config `azure.dnsResolver`: the system
 * resolver through `getent ahosts`, or a DNS-over-HTTPS JSON endpoint), the production VM's
 * public IPs, and the domain's record in an Azure DNS zone of the subscription, when one hosts it.
 */
export const dnsProbe = defineProbe({
  id: 'azure.dns',
  describe: 'resolve domain.prod (getent ahosts or DNS-over-HTTPS), the prod VM public IPs (ARM), the Azure DNS zone record',
  network: true,
  async collect(ctx) {
    const domain = ctx.config.domain.prod;
    const resolver = ctx.config.azure.dnsResolver;
    const tbd = <T>(): Lookup<T> => ({ status: 'tbd', detail: 'production domain not decided (domain.prod is TBD)', refs: [], key: 'domain.prod' });
    const setup = await azureSetup(ctx);
    // one reason for every Azure check when there is no credential at all
    if (!setup.ok && (setup.reason === 'no-credentials' || setup.reason === 'disabled')) return setup;
    if (isTbd(domain)) {
      const ips = setup.ok ? await vmPublicIps(ctx, setup.value) : tbd<string[]>();
      const value: AzureDnsFact = { domain: 'TBD', resolver, resolved: tbd(), vmPublicIps: ips, zoneRecord: tbd() };
      return { ok: true, value };
    }
    const resolved = await resolve(ctx, domain, resolver);
    if (!setup.ok) {
      // resolution does not need Azure; the rest does, and keeps the session's root cause
      const c = setup.cause;
      const reason: Lookup<never> =
        c?.kind === 'forbidden'
          ? { status: 'forbidden', role: c.role, detail: setup.detail, refs: [] }
          : c?.kind === 'unreachable'
            ? { status: 'error', reason: 'timeout', detail: setup.detail, refs: [], endpoint: c.endpoint }
            : { status: 'error', reason: c?.kind === 'throttled' ? 'throttled' : setup.reason === 'timeout' ? 'timeout' : 'failed', detail: setup.detail, refs: [] };
      return { ok: true, value: { domain, resolver, resolved, vmPublicIps: reason, zoneRecord: reason } };
    }
    const [vmIps, zone] = await Promise.all([vmPublicIps(ctx, setup.value), zoneRecord(setup.value, domain)]);
    return { ok: true, value: { domain, resolver, resolved, vmPublicIps: vmIps, zoneRecord: zone } };
  },
});
