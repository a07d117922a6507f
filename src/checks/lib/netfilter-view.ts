/**
 * Pure helpers over the `host.netfilter` fact, shared by security.firewall and
 * security.open-ports. The probe already worked out, per IP version, which TCP ports a new
 * connection from any address reaches (src/probes/host/netfilter/input-view.ts); these helpers
 * only look ports up and word the evidence.
 */
import type { ListeningSocket, NetfilterInputView, NetfilterRule, NetfilterStatus, PortRange } from '../../facts/host.js';

/** IPv4 or IPv6: the fact keeps one input view per version. */
export type IpVersion = 4 | 6;
/** How the input hook treats a new TCP connection from the internet: let in, let in from some sources only, or dropped. */
export type Exposure = NetfilterInputView['otherTcp'];

const RANK: Readonly<Record<Exposure, number>> = { blocked: 0, restricted: 1, open: 2 };

/** `22`, `80,443`, `8000-8010` */
export function portsText(ranges: readonly PortRange[]): string {
  return ranges.map((r) => (r.from === r.to ? `${r.from}` : `${r.from}-${r.to}`)).join(', ');
}

/** The input view of one IP version. */
export function viewOf(nf: NetfilterStatus, version: IpVersion): NetfilterInputView {
  return version === 4 ? nf.ipv4 : nf.ipv6;
}

/** What read the chains of one IP version: `nftables`, `iptables`, `ip6tables`. */
export function netfilterLabel(nf: NetfilterStatus, version: IpVersion): string {
  const view = viewOf(nf, version);
  const names = new Set(
    nf.chains
      .filter((c) => view.chains.includes(`${c.family} ${c.table} ${c.name}`))
      .map((c) => (c.origin === 'nft' ? 'nftables' : c.origin)),
  );
  if (names.size > 0) return [...names].join('+');
  if (nf.source === 'iptables') return version === 4 ? 'iptables' : 'ip6tables';
  return 'nftables';
}

/** `input policy drop, 8 rules; TCP open to any address: 22, 80, 443` */
function viewText(view: NetfilterInputView): string {
  const parts = [`input policy ${view.policy}, ${view.rules === 0 ? 'no rules' : `${view.rules} rule${view.rules === 1 ? '' : 's'}`}`];
  if (view.otherTcp === 'open') {
    if (view.rules > 0) parts.push('accepts every TCP port no rule names');
  } else {
    parts.push(`TCP open to any address: ${view.openTcp.length > 0 ? portsText(view.openTcp) : 'none'}`);
    if (view.restrictedTcp.length > 0) parts.push(`from some addresses only: ${portsText(view.restrictedTcp)}`);
  }
  return parts.join('; ');
}

/**
 * One evidence line per IP version, or one for both when they read the same:
 * `nftables: input policy accept, no rules`.
 */
export function netfilterLines(nf: NetfilterStatus): string[] {
  const l4 = netfilterLabel(nf, 4);
  const l6 = netfilterLabel(nf, 6);
  const t4 = viewText(nf.ipv4);
  const t6 = viewText(nf.ipv6);
  if (l4 === l6 && t4 === t6) return [`${l4}: ${t4}`];
  return [`${l4} IPv4: ${t4}`, `${l6} IPv6: ${t6}`];
}

function exposureIn(view: NetfilterInputView, port: number): Exposure {
  const inside = (ranges: readonly PortRange[]) => ranges.some((r) => port >= r.from && port <= r.to);
  if (inside(view.openTcp)) return 'open';
  if (inside(view.restrictedTcp)) return 'restricted';
  return 'blocked';
}

/**
 * The IP versions a listener answers on: `0.0.0.0` IPv4; `[::]` IPv6 only (ss prints a
 * dual-stack socket as `*`, see ss(8)); `::ffff:a.b.c.d` IPv4.
 */
export function socketVersions(s: ListeningSocket): IpVersion[] {
  const a = s.address.toLowerCase();
  if (a === '*') return [4, 6];
  if (a.startsWith('::ffff:') && a.includes('.')) return [4];
  return a.includes(':') ? [6] : [4];
}

/** How the input hook treats a new TCP connection to `port`: the most open answer over `versions`. */
export function netfilterExposure(nf: NetfilterStatus, port: number, versions: readonly IpVersion[]): Exposure {
  return versions.map((v) => exposureIn(viewOf(nf, v), port)).reduce<Exposure>((a, b) => (RANK[b] > RANK[a] ? b : a), 'blocked');
}

/** The parts of `ranges` that are not in `allowed`. */
export function rangesOutside(ranges: readonly PortRange[], allowed: readonly number[]): PortRange[] {
  const out: PortRange[] = [];
  for (const r of ranges) {
    let from = r.from;
    for (const p of [...allowed].filter((a) => a >= r.from && a <= r.to).sort((a, b) => a - b)) {
      if (p > from) out.push({ from, to: p - 1 });
      from = Math.max(from, p + 1);
    }
    if (from <= r.to) out.push({ from, to: r.to });
  }
  return out;
}

function acceptsFromAnywhere(rule: NetfilterRule, port: number): boolean {
  if (rule.verdict !== 'accept') return false;
  if (rule.sources !== undefined && rule.sourcesNegated !== true) return false;
  if (rule.inInterface === 'lo' && rule.inInterfaceNegated !== true) return false;
  if (rule.ctStates !== undefined && !rule.ctStates.includes('new')) return false;
  if (rule.protocols !== undefined && !rule.protocols.includes('tcp')) return false;
  if (rule.dports === undefined) return true;
  return rule.dports.some((r) => port >= r.from && port <= r.to) !== (rule.dportsNegated === true);
}

/**
 * The rule that lets `port` in, as printed, for the evidence: `nftables inet filter input: tcp dport 3306 accept`,
 * `iptables: -A ufw-user-input -p tcp -m tcp --dport 3306 -j ACCEPT`.
 */
export function openingRule(nf: NetfilterStatus, port: number, version: IpVersion): string | undefined {
  const families = version === 4 ? ['ip', 'inet'] : ['ip6', 'inet'];
  for (const c of nf.chains) {
    if (!families.includes(c.family)) continue;
    const rule = c.rules.find((r) => (r.ipVersion === undefined || r.ipVersion === version) && acceptsFromAnywhere(r, port));
    if (rule) return c.origin === 'nft' ? `nftables ${c.family} ${c.table} ${c.name}: ${rule.text}` : `${c.origin}: ${rule.text}`;
  }
  return undefined;
}
