/**
 * Pure helpers over the ufw fact, shared by security.firewall and security.open-ports.
 * ufw evaluates its rules in the order printed and the first match wins; anything unmatched
 * falls to the default incoming policy (ufw(8), "RULE SYNTAX").
 */
import type { PortRange, UfwRule, UfwStatus } from '../../facts/host.js';

/** True when the rule can match TCP or UDP traffic (protocol-only rules like `esp` open no port). */
function carriesPorts(rule: UfwRule): boolean {
  return rule.protocol === undefined || rule.protocol === 'tcp' || rule.protocol === 'udp';
}

function covers(ports: PortRange[] | 'all', port: number): boolean {
  return ports === 'all' || ports.some((r) => port >= r.from && port <= r.to);
}

/** Incoming rules that let traffic in (ALLOW or LIMIT, which is a rate-limited allow). */
export function isIncomingAllow(rule: UfwRule): boolean {
  return rule.direction === 'IN' && (rule.action === 'ALLOW' || rule.action === 'LIMIT') && carriesPorts(rule);
}

/** A default incoming policy that drops unmatched traffic. */
export function defaultDeniesIncoming(ufw: UfwStatus): boolean {
  const policy = ufw.defaults?.incoming;
  return policy === 'deny' || policy === 'reject';
}

/**
 * The ports of a public (from Anywhere) allow rule that are not in `allowed`; `'all'` when the
 * rule opens every port; `'unknown'` when its ports are not known (an app profile printed by name).
 */
export function portsOutside(rule: UfwRule, allowed: readonly number[]): PortRange[] | 'all' | 'unknown' {
  if (rule.ports === undefined) return 'unknown';
  if (rule.ports === 'all') return 'all';
  const set = new Set(allowed);
  const outside: PortRange[] = [];
  for (const r of rule.ports) {
    let inside = 0;
    for (const p of set) if (p >= r.from && p <= r.to) inside += 1;
    if (inside < r.to - r.from + 1) outside.push(r);
  }
  return outside;
}

/**
 * How ufw treats new TCP connections from the internet to `port`:
 * - `open`: an allow rule from Anywhere matches first, or the default incoming policy is allow
 * - `restricted`: only allowed from specific sources
 * - `blocked`: denied by a rule or by the default policy
 */
export function tcpExposure(ufw: UfwStatus, port: number): 'open' | 'restricted' | 'blocked' {
  let restricted = false;
  for (const rule of ufw.rules) {
    if (rule.direction !== 'IN' || rule.ports === undefined) continue;
    if (rule.protocol !== undefined && rule.protocol !== 'tcp') continue;
    if (!covers(rule.ports, port)) continue;
    const allows = rule.action === 'ALLOW' || rule.action === 'LIMIT';
    if (!rule.fromAnywhere) {
      if (allows) restricted = true;
      continue;
    }
    // First matching rule for any source decides.
    if (allows) return 'open';
    return restricted ? 'restricted' : 'blocked';
  }
  if (!defaultDeniesIncoming(ufw)) return 'open';
  return restricted ? 'restricted' : 'blocked';
}

/** `3306/tcp ALLOW IN Anywhere # mysql` — the rule as printed, with the column padding collapsed. */
export function ruleText(rule: UfwRule): string {
  return rule.raw.trim().replace(/\s{2,}/g, ' ');
}
