/**
 * Port-range helpers shared by the nftables and iptables readers. Pure functions.
 */
import type { PortRange } from '../../../facts/host.js';

/**
 * Service names nft and iptables may print instead of numbers (`tcp dport ssh`), from the
 * `/etc/services` both resolve through; only the ones a web host's firewall names.
 */
const SERVICES: Readonly<Record<string, number>> = {
  ssh: 22,
  http: 80,
  https: 443,
  domain: 53,
  smtp: 25,
  submission: 587,
  imaps: 993,
  mysql: 3306,
  postgresql: 5432,
  'http-alt': 8080,
};

/** A port number or a known service name; undefined for anything else. */
export function portNumber(token: string | number): number | undefined {
  if (typeof token === 'number') return Number.isInteger(token) && token >= 0 && token <= 65535 ? token : undefined;
  if (/^\d{1,5}$/.test(token)) return portNumber(Number(token));
  return SERVICES[token.toLowerCase()];
}

/** `22`, `6000:6007` (iptables) or `8000-8010` (nft text) → a range; undefined when unreadable. */
export function parsePortRange(spec: string): PortRange | undefined {
  const m = /^([^:-]+)(?:[:-]([^:-]*))?$/.exec(spec.trim());
  if (!m) return undefined;
  const from = m[1] === '' ? 0 : portNumber(m[1] ?? '');
  // iptables reads `1024:` as 1024 to 65535 and `:1023` as 0 to 1023 (iptables-extensions(8), tcp --dport)
  const to = m[2] === undefined ? from : m[2] === '' ? 65535 : portNumber(m[2]);
  if (from === undefined || to === undefined || to < from) return undefined;
  return { from, to };
}

/** Sorted, merged copy of some ranges. */
export function mergeRanges(ranges: readonly PortRange[]): PortRange[] {
  const sorted = [...ranges].sort((a, b) => a.from - b.from || a.to - b.to);
  const out: PortRange[] = [];
  for (const r of sorted) {
    const last = out.at(-1);
    if (last && r.from <= last.to + 1) last.to = Math.max(last.to, r.to);
    else out.push({ ...r });
  }
  return out;
}

/** True when `port` falls in one of the ranges. */
export function covers(ranges: readonly PortRange[], port: number): boolean {
  return ranges.some((r) => port >= r.from && port <= r.to);
}

/** `22`, `80,443`, `8000-8010` as nft prints them. */
export function rangesText(ranges: readonly PortRange[], separator = '-'): string {
  return ranges.map((r) => (r.from === r.to ? `${r.from}` : `${r.from}${separator}${r.to}`)).join(',');
}
