import { describe, expect, it } from 'vitest';
import type { NetfilterChain, NetfilterStatus } from '../../../facts/host.js';
import { testFixture } from '../../../../test/probes/fixture.js';
import { splitWords } from './iptables-s.js';
import { netfilterStatus, parseIptablesS, parseNftRuleset, saysSomething } from './parse.js';

const nft = (name: string) => {
  const r = parseNftRuleset(testFixture(`netfilter/nft/${name}.json`));
  if (!r.ok) throw new Error(r.detail);
  return r.value;
};
const nftStatus = (name: string): NetfilterStatus => netfilterStatus('nftables', nft(name).chains);
const ipt = (name: string, origin: 'iptables' | 'ip6tables' = 'iptables'): NetfilterChain[] => {
  const r = parseIptablesS(testFixture(`netfilter/iptables/${name}.txt`), origin);
  if (!r.ok) throw new Error(r.detail);
  return r.value;
};
const p = (from: number, to = from) => ({ from, to });
const texts = (s: NetfilterStatus, chain: string) => s.chains.find((c) => c.name === chain)?.rules.map((r) => r.text);

describe('parseNftRuleset (real nft 1.0.6 output, see test/fixtures/netfilter/SOURCES.md)', () => {
  it('empty.json: no table → input accepts everything, no rules', () => {
    const s = nftStatus('empty');
    expect(nft('empty')).toMatchObject({ chains: [], tables: [], xtTables: [], version: '1.0.6' });
    expect(s.ipv4).toEqual({ chains: [], policy: 'accept', rules: 0, openTcp: [p(1, 65535)], restrictedTcp: [], otherTcp: 'open' });
    expect(s.ipv6).toEqual(s.ipv4);
    expect(s.counts).toEqual({ tables: 0, chains: 0, rules: 0 });
  });

  it('well-configured.json: policy drop, 22 (rate-limited), a named set {80, 443}, 9100 only from 10.0.0.0/8', () => {
    const s = nftStatus('well-configured');
    expect(s.ipv4).toEqual({ chains: ['inet filter input'], policy: 'drop', rules: 8, openTcp: [p(22), p(80), p(443)], restrictedTcp: [p(9100)], otherTcp: 'blocked' });
    // `ip saddr` matches IPv4 only: over IPv6 the 9100 rule never matches
    expect(s.ipv6).toMatchObject({ policy: 'drop', openTcp: [p(22), p(80), p(443)], restrictedTcp: [], otherTcp: 'blocked' });
    expect(texts(s, 'input')).toEqual([
      'ct state established,related accept',
      'ct state invalid drop',
      'iifname lo accept',
      'meta nfproto ipv4 meta l4proto icmp accept',
      'meta l4proto ipv6-icmp accept',
      'ct state new tcp dport 22 accept',
      'tcp dport 80,443 accept',
      'ip saddr 10.0.0.0/8 tcp dport 9100 accept comment "node exporter from the VNet"',
    ]);
    expect(s.counts).toEqual({ tables: 1, chains: 3, rules: 8 });
    expect(s.ufwChains).toBe(false);
  });

  it('extra-ports.json: an anonymous set opens 3000 and 3306 to everyone; ct state vmap', () => {
    const s = nftStatus('extra-ports');
    expect(s.ipv4.openTcp).toEqual([p(22), p(80), p(443), p(3000), p(3306)]);
    expect(s.ipv4.otherTcp).toBe('blocked');
    expect(texts(s, 'input')?.slice(0, 3)).toEqual(['ct state invalid drop', 'ct state established accept', 'ct state related accept']);
  });

  it('accept-default.json: policy accept and one drop → every other port open; no IPv6 chain', () => {
    const s = nftStatus('accept-default');
    expect(s.ipv4).toMatchObject({ chains: ['ip filter input'], policy: 'accept', rules: 1, openTcp: [p(1, 3305), p(3307, 65535)], otherTcp: 'open' });
    expect(s.ipv6).toMatchObject({ chains: [], policy: 'accept', rules: 0, otherTcp: 'open' });
  });

  it('vmap-jump-sets.json: verdict maps, jump to a source-restricted chain, th dport, !=, nfproto, fib, service names', () => {
    const s = nftStatus('vmap-jump-sets');
    expect(texts(s, 'input')).toEqual([
      'ct state invalid drop',
      'ct state established accept',
      'ct state related accept',
      'iifname lo accept',
      'tcp dport 22 accept',
      'tcp dport 3306 drop',
      'tcp dport 8080-8090 jump vnet_only',
      'meta l4proto {tcp,udp} th dport 53 accept',
      'ip6 saddr fe80::/10 tcp dport != 22 accept',
      'tcp dport 80,443,9000-9100 accept comment "web"',
      '<fib daddr type broadcast> drop',
      'meta nfproto ipv4 tcp dport 5000 accept',
      'tcp dport 7000 <fib daddr type local> accept',
      'tcp dport 22 accept',
    ]);
    // 8080-8090 jump to a chain that accepts only 10.0.0.0/8 and 192.168.1.1 → restricted;
    // the `fib` accept on 7000 "may match" → open (unknown is never closed); the `fib` drop is not trusted to close anything
    expect(s.ipv4.openTcp).toEqual([p(22), p(53), p(80), p(443), p(5000), p(7000), p(9000, 9100)]);
    expect(s.ipv4.restrictedTcp).toEqual([p(8080, 8090)]);
    expect(s.ipv4.otherTcp).toBe('blocked');
    // 5000 is IPv4 only; fe80::/10 may reach every port but 22 over IPv6
    expect(s.ipv6.openTcp).not.toContainEqual(p(5000));
    expect(s.ipv6.otherTcp).toBe('restricted');
  });

  it('iptables-nft-xt.json: iptables-nft extensions are opaque `xt` → the table is flagged and its rules "may match"', () => {
    const r = nft('iptables-nft-xt');
    expect(r.xtTables).toEqual(['ip filter']);
    const s = netfilterStatus('nftables', r.chains);
    expect(texts(s, 'INPUT')).toContain('<xt conntrack> accept');
    expect(texts(s, 'INPUT')).toContain('tcp dport 3306 reject');
    // `-m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT` read as "may match anything" opens everything:
    // that is why the probe reads such tables with iptables -S
    expect(s.ipv4.otherTcp).toBe('open');
  });

  it('ufw-active.json: real ufw 0.36 enabled (OpenSSH, Nginx Full) → ufw chains, xt in ip and ip6 filter', () => {
    const r = nft('ufw-active');
    expect(r.xtTables.sort()).toEqual(['ip filter', 'ip6 filter']);
    expect(netfilterStatus('nftables', r.chains).ufwChains).toBe(true);
  });

  it('not JSON / no nftables array → failed, quoting the output', () => {
    expect(parseNftRuleset('Error: JSON support not compiled-in\n')).toEqual({ ok: false, reason: 'failed', detail: 'nft -j output is not JSON: Error: JSON support not compiled-in' });
    expect(parseNftRuleset('{"x": 1}')).toMatchObject({ ok: false, detail: 'nft -j output has no "nftables" array' });
  });
});

describe('parseIptablesS (real iptables 1.8.9 output)', () => {
  it('iptables-nft-xt.txt: multiport, conntrack, a user chain with a source-restricted rule, REJECT, -m recent', () => {
    const chains = ipt('iptables-nft-xt');
    expect(chains.map((c) => [c.name, c.hook, c.policy, c.rules.length])).toEqual([
      ['INPUT', 'input', 'drop', 6],
      ['FORWARD', 'forward', 'drop', 0],
      ['OUTPUT', 'output', 'accept', 0],
      ['app-input', undefined, undefined, 3],
    ]);
    const input = chains[0]?.rules ?? [];
    expect(input[1]).toMatchObject({ verdict: 'accept', ctStates: ['related', 'established'] });
    expect(input[3]).toMatchObject({ verdict: 'accept', protocols: ['tcp'], dports: [p(80), p(443)], text: '-A INPUT -p tcp -m multiport --dports 80,443 -m comment --comment "web ports" -j ACCEPT' });
    expect(input[4]).toMatchObject({ verdict: 'jump', target: 'app-input' });
    expect(input[5]).toMatchObject({ verdict: 'reject', dports: [p(3306)] });
    expect(chains[3]?.rules[1]).toMatchObject({ verdict: 'continue', unknown: ['-m recent', '--set', '--name', '--mask', '--rsource'] });
    const s = netfilterStatus('iptables', chains);
    expect(s.ipv4).toEqual({ chains: ['ip filter INPUT'], policy: 'drop', rules: 9, openTcp: [p(22), p(80), p(443), p(8000, 8010)], restrictedTcp: [p(5432)], otherTcp: 'blocked' });
    // iptables -S shows only IPv4: nothing filters IPv6 here
    expect(s.ipv6).toMatchObject({ chains: [], policy: 'accept', otherTcp: 'open' });
  });

  it('ufw-active.txt / ufw-active-ip6.txt: real ufw rules → only 22, 80, 443 open, ufw chains', () => {
    const s = netfilterStatus('iptables', [...ipt('ufw-active'), ...ipt('ufw-active-ip6', 'ip6tables')]);
    expect(s.ufwChains).toBe(true);
    for (const v of [s.ipv4, s.ipv6]) expect(v).toMatchObject({ policy: 'drop', openTcp: [p(22), p(80), p(443)], restrictedTcp: [], otherTcp: 'blocked' });
    expect(s.ipv6.chains).toEqual(['ip6 filter INPUT']);
  });

  it('empty.txt: three ACCEPT policies and no rule say nothing', () => {
    const chains = ipt('empty');
    expect(chains.map((c) => `${c.name} ${String(c.policy)}`)).toEqual(['INPUT accept', 'FORWARD accept', 'OUTPUT accept']);
    expect(saysSomething(chains)).toBe(false);
    expect(saysSomething(ipt('iptables-nft-xt'))).toBe(true);
  });

  it('skips the iptables-nft warning comment; fails on a line it cannot read', () => {
    expect(parseIptablesS('# Warning: iptables-legacy tables present, use iptables-legacy to see them\n-P INPUT ACCEPT\n', 'iptables').ok).toBe(true);
    expect(parseIptablesS('-P INPUT ACCEPT\nChain INPUT (policy ACCEPT)\n', 'iptables')).toMatchObject({ ok: false, detail: 'unexpected iptables -S line: Chain INPUT (policy ACCEPT)' });
    expect(parseIptablesS('iptables v1.8.9 (nf_tables): unknown option "-S"\n', 'iptables')).toMatchObject({ ok: false, reason: 'failed' });
  });

  it('negations, port ranges with open ends, goto, QUEUE', () => {
    const r = parseIptablesS(
      ['-P INPUT DROP', '-N web', '-A INPUT -p tcp --dport 1024: -j NFQUEUE --queue-num 0', '-A INPUT ! -i lo -p tcp ! --dport 22 -g web', '-A web ! -s 10.0.0.0/8 -p tcp -j DROP'].join('\n'),
      'iptables',
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value[0]?.rules[0]).toMatchObject({ dports: [p(1024, 65535)], verdict: 'accept', unknown: ['-j NFQUEUE'] });
    expect(r.value[0]?.rules[1]).toMatchObject({ inInterface: 'lo', inInterfaceNegated: true, dports: [p(22)], dportsNegated: true, verdict: 'goto', target: 'web' });
    expect(r.value[1]?.rules[0]).toMatchObject({ sources: ['10.0.0.0/8'], sourcesNegated: true, verdict: 'drop' });
    // 22 falls through to the policy (drop); ≥ 1024 may be accepted by the IPS; 23..1023 go to `web` and are dropped
    const s = netfilterStatus('iptables', r.value);
    expect(s.ipv4.openTcp).toEqual([p(1024, 65535)]);
  });
});

describe('splitWords', () => {
  it('groups quoted words and unescapes quotes', () => {
    expect(splitWords('-A INPUT -m comment --comment "say \\"hi\\" now" -j ACCEPT')).toEqual(['-A', 'INPUT', '-m', 'comment', '--comment', 'say "hi" now', '-j', 'ACCEPT']);
    expect(splitWords('  -P   INPUT DROP ')).toEqual(['-P', 'INPUT', 'DROP']);
  });
});
