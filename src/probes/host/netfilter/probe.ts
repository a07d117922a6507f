import { defineProbe } from '../../../engine/define.js';
import type { ProbeContext, ProbeResult } from '../../../engine/types.js';
import type { NetfilterChain, NetfilterStatus } from '../../../facts/host.js';
import { execFailure, firstLine } from '../exec-failure.js';
import { C_LOCALE } from '../locale.js';
import { netfilterStatus, parseIptablesS, parseNftRuleset, saysSomething } from './parse.js';

const NFT = { program: 'nft', debianPackage: 'nftables' };
const IPTABLES = { program: 'iptables', debianPackage: 'iptables' };
const IP6TABLES = { program: 'ip6tables', debianPackage: 'iptables' };

/** Reads `iptables -S` or `ip6tables -S` (root only: both read the kernel's tables). */
async function readIptables(ctx: ProbeContext, program: 'iptables' | 'ip6tables'): Promise<ProbeResult<{ chains: NetfilterChain[]; notes: string[] }>> {
  const result = await ctx.exec([program, '-S'], { sudo: true, env: { ...C_LOCALE } });
  const failure = execFailure(result, program === 'iptables' ? IPTABLES : IP6TABLES);
  if (failure) return failure;
  const parsed = parseIptablesS(result.stdout, program);
  if (!parsed.ok) return parsed;
  // iptables-nft warns on stderr when iptables-legacy tables exist that it cannot show
  const warning = firstLine(result.stderr);
  return { ok: true, value: { chains: parsed.value, notes: warning === undefined ? [] : [`${program}: ${warning.replace(/^#\s*/, '')}`] } };
}

/** `iptables -S` and `ip6tables -S` together, or the first failure. */
async function readBothIptables(ctx: ProbeContext): Promise<ProbeResult<{ chains: NetfilterChain[]; notes: string[] }>> {
  const [v4, v6] = await Promise.all([readIptables(ctx, 'iptables'), readIptables(ctx, 'ip6tables')]);
  if (!v4.ok) return v4;
  if (!v6.ok) return v6;
  return { ok: true, value: { chains: [...v4.value.chains, ...v6.value.chains], notes: [...v4.value.notes, ...v6.value.notes] } };
}

/**
 * The kernel packet filter, read without changing it.
 *
 * 1. `nft -j list ruleset` shows every table, including those iptables-nft and ufw (on Ubuntu
 *    ≥ 21.10 / Debian ≥ 11) write.
 * 2. `iptables -S` and `ip6tables -S` are read as well when nft cannot tell the whole story:
 *    - nft is missing or too old for `-j` (Ubuntu 18.04 ships nft 0.8 without JSON);
 *    - a table holds iptables-nft `xt` extensions (`-m multiport`, `-m conntrack`) nft shows
 *      only as opaque expressions — `iptables -S` prints them in full;
 *    - nft shows no input chain at all: rules may sit in iptables-legacy tables, which nft
 *      cannot see (https://wiki.debian.org/nftables#Current_status).
 * All of these run with sudo -n: the tables are readable by root only.
 */
export const netfilterProbe = defineProbe({
  id: 'host.netfilter',
  describe: 'sudo -n nft -j list ruleset (and sudo -n iptables -S / ip6tables -S when nft is missing or cannot show the rules)',
  async collect(ctx): Promise<ProbeResult<NetfilterStatus>> {
    const result = await ctx.exec(['nft', '-j', 'list', 'ruleset'], { sudo: true, env: { ...C_LOCALE } });
    const failure = execFailure(result, NFT);
    if (failure && (failure.reason === 'permission' || failure.reason === 'timeout')) return failure;
    const nft = failure ?? parseNftRuleset(result.stdout);

    if (!nft.ok) {
      // No usable nft: iptables alone.
      const ipt = await readBothIptables(ctx);
      if (!ipt.ok) {
        if (nft.reason === 'not-installed' && ipt.reason === 'not-installed') {
          return { ok: false, reason: 'not-installed', detail: 'neither nft (Debian/Ubuntu package nftables) nor iptables (package iptables) is installed' };
        }
        return nft.reason === 'not-installed' ? ipt : nft;
      }
      return { ok: true, value: netfilterStatus('iptables', ipt.value.chains, [`nft: ${nft.detail}; read iptables -S and ip6tables -S instead`, ...ipt.value.notes]) };
    }

    const ruleset = nft.value;
    const hasInput = ruleset.chains.some((c) => c.hook === 'input');
    if (ruleset.xtTables.length === 0 && hasInput) return { ok: true, value: netfilterStatus('nftables', ruleset.chains) };

    const ipt = await readBothIptables(ctx);
    if (!ipt.ok) {
      const why = ruleset.xtTables.length > 0 ? `nft shows iptables extensions only as "xt" in ${ruleset.xtTables.join(', ')}` : 'nft shows no input chain';
      return { ok: true, value: netfilterStatus('nftables', ruleset.chains, [`${why}, and ${ipt.detail}`]) };
    }
    const notes = [...ipt.value.notes];
    let chains = ruleset.chains;
    let merged = false;
    if (ruleset.xtTables.length > 0) {
      // The iptables view of the tables nft cannot show replaces nft's view of them.
      const replaced = new Set<string>(ruleset.xtTables.filter((t) => t === 'ip filter' || t === 'ip6 filter'));
      const fromIptables = ipt.value.chains.filter((c) => replaced.has(`${c.family} ${c.table}`));
      chains = [...chains.filter((c) => !replaced.has(`${c.family} ${c.table}`)), ...fromIptables];
      merged = replaced.size > 0;
      notes.push(`nft shows iptables extensions only as "xt" in ${ruleset.xtTables.join(', ')}: ${replaced.size > 0 ? `read ${[...replaced].join(' and ')} with iptables -S / ip6tables -S` : 'those rules are read as "may match"'}`);
    }
    if (!hasInput && saysSomething(ipt.value.chains)) {
      // nft sees nothing on the input hook, iptables does: iptables-legacy rules.
      chains = [...chains, ...ipt.value.chains];
      merged = true;
      notes.push('nft shows no input chain; iptables -S does (iptables-legacy tables)');
    }
    const fromNft = chains.some((c) => c.origin === 'nft');
    const source = !merged ? 'nftables' : fromNft ? 'nftables+iptables' : 'iptables';
    return { ok: true, value: netfilterStatus(source, chains, notes) };
  },
});
