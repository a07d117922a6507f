/**
 * Builds the `host.netfilter` fact from chains read by nft-json.ts and iptables-s.ts.
 */
import type { NetfilterChain, NetfilterStatus } from '../../../facts/host.js';
import { inputView } from './input-view.js';

export { parseNftRuleset } from './nft-json.js';
export { parseIptablesS } from './iptables-s.js';

/** ufw names its chains `ufw-before-input`, `ufw6-user-input`, ... (/etc/ufw/before.rules). */
const UFW_CHAIN = /^ufw6?-/;

/** The fact for a set of chains. */
export function netfilterStatus(source: NetfilterStatus['source'], chains: NetfilterChain[], notes: string[] = []): NetfilterStatus {
  const tables = new Set(chains.map((c) => `${c.origin === 'ip6tables' ? 'ip6' : c.family} ${c.table}`));
  return {
    source,
    chains,
    ipv4: inputView(chains, 4),
    ipv6: inputView(chains, 6),
    ufwChains: chains.some((c) => UFW_CHAIN.test(c.name)),
    counts: { tables: tables.size, chains: chains.length, rules: chains.reduce((n, c) => n + c.rules.length, 0) },
    notes,
  };
}

/**
 * True when iptables chains say more than "nothing here": a rule, a user chain or a drop policy.
 * iptables-nft prints the three built-in chains with policy ACCEPT even when no table exists.
 */
export function saysSomething(chains: readonly NetfilterChain[]): boolean {
  return chains.some((c) => c.rules.length > 0 || c.hook === undefined || c.policy === 'drop');
}
