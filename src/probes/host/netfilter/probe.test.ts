import { describe, expect, it } from 'vitest';
import { fakeContext } from '../../../../test/helpers/fake-context.js';
import { testFixture } from '../../../../test/probes/fixture.js';
import { netfilterProbe } from './probe.js';

const NFT = 'nft -j list ruleset';
const nftJson = (name: string) => ({ stdout: testFixture(`netfilter/nft/${name}.json`) });
const iptS = (name: string) => ({ stdout: testFixture(`netfilter/iptables/${name}.txt`) });
const p = (from: number, to = from) => ({ from, to });

describe('host.netfilter probe', () => {
  it('nftables with an input chain and no iptables extensions: one command, with sudo', async () => {
    const ctx = fakeContext({ exec: { [NFT]: nftJson('well-configured') } });
    const r = await netfilterProbe.collect(ctx);
    expect(ctx.calls).toEqual([['nft', '-j', 'list', 'ruleset']]);
    expect(ctx.sudoCalls).toEqual([true]);
    expect(r).toMatchObject({ ok: true, value: { source: 'nftables', notes: [], ipv4: { policy: 'drop', openTcp: [p(22), p(80), p(443)] } } });
  });

  it('empty ruleset (this container): iptables -S is asked too, says nothing → nftables, accept, no rules', async () => {
    const ctx = fakeContext({ exec: { [NFT]: nftJson('empty'), 'iptables -S': iptS('empty'), 'ip6tables -S': iptS('ip6tables-empty') } });
    const r = await netfilterProbe.collect(ctx);
    expect(ctx.calls.map((c) => c.join(' ')).sort()).toEqual(['ip6tables -S', 'iptables -S', NFT]);
    expect(ctx.sudoCalls.every(Boolean)).toBe(true);
    expect(r).toMatchObject({ ok: true, value: { source: 'nftables', chains: [], ipv4: { policy: 'accept', rules: 0, otherTcp: 'open' } } });
  });

  it('iptables-nft rules with xt extensions: the ip filter table is read from iptables -S instead', async () => {
    const ctx = fakeContext({ exec: { [NFT]: nftJson('iptables-nft-xt'), 'iptables -S': iptS('iptables-nft-xt'), 'ip6tables -S': iptS('ip6tables-empty') } });
    const r = await netfilterProbe.collect(ctx);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.source).toBe('iptables');
    expect(r.value.chains.every((c) => c.origin === 'iptables')).toBe(true);
    expect(r.value.ipv4).toMatchObject({ policy: 'drop', openTcp: [p(22), p(80), p(443), p(8000, 8010)], restrictedTcp: [p(5432)], otherTcp: 'blocked' });
    expect(r.value.notes).toEqual(['nft shows iptables extensions only as "xt" in ip filter: read ip filter with iptables -S / ip6tables -S']);
  });

  it('real ufw (iptables-nft): both tables read from iptables -S, ufw chains seen', async () => {
    const ctx = fakeContext({ exec: { [NFT]: nftJson('ufw-active'), 'iptables -S': iptS('ufw-active'), 'ip6tables -S': iptS('ufw-active-ip6') } });
    const r = await netfilterProbe.collect(ctx);
    expect(r).toMatchObject({ ok: true, value: { source: 'iptables', ufwChains: true, ipv4: { openTcp: [p(22), p(80), p(443)] }, ipv6: { openTcp: [p(22), p(80), p(443)] } } });
  });

  it('nft sees no input chain but iptables -S has rules (iptables-legacy) → iptables', async () => {
    const ctx = fakeContext({
      exec: {
        [NFT]: nftJson('empty'),
        'iptables -S': { stdout: testFixture('netfilter/iptables/iptables-nft-xt.txt'), stderr: '# Warning: iptables-legacy tables present, use iptables-legacy to see them\n' },
        'ip6tables -S': iptS('ip6tables-empty'),
      },
    });
    const r = await netfilterProbe.collect(ctx);
    expect(r).toMatchObject({ ok: true, value: { source: 'iptables', ipv4: { policy: 'drop', otherTcp: 'blocked' } } });
    expect(r.ok && r.value.notes).toEqual([
      'iptables: Warning: iptables-legacy tables present, use iptables-legacy to see them',
      'nft shows no input chain; iptables -S does (iptables-legacy tables)',
    ]);
  });

  it('nft not installed → iptables -S and ip6tables -S, with a note', async () => {
    const ctx = fakeContext({ exec: { 'iptables -S': iptS('ufw-active'), 'ip6tables -S': iptS('ufw-active-ip6') } });
    const r = await netfilterProbe.collect(ctx);
    expect(r).toMatchObject({ ok: true, value: { source: 'iptables', ufwChains: true } });
    expect(r.ok && r.value.notes[0]).toBe('nft: nft not found (install the Debian/Ubuntu package nftables); read iptables -S and ip6tables -S instead');
  });

  it('nft without JSON support (nft < 0.9) → iptables', async () => {
    // the message libnftables prints when built without JSON (nft(8), -j); hand-written, not captured
    const ctx = fakeContext({
      exec: { [NFT]: { exitCode: 1, stderr: 'Error: JSON support not compiled-in\n' }, 'iptables -S': iptS('empty'), 'ip6tables -S': iptS('ip6tables-empty') },
    });
    const r = await netfilterProbe.collect(ctx);
    expect(r).toMatchObject({ ok: true, value: { source: 'iptables', notes: ['nft: nft (exit 1): Error: JSON support not compiled-in; read iptables -S and ip6tables -S instead'] } });
  });

  it('neither nft nor iptables → not-installed naming both packages', async () => {
    expect(await netfilterProbe.collect(fakeContext())).toEqual({
      ok: false,
      reason: 'not-installed',
      detail: 'neither nft (Debian/Ubuntu package nftables) nor iptables (package iptables) is installed',
    });
  });

  it('sudo -n refused → permission, without trying iptables', async () => {
    const ctx = fakeContext({ exec: { [NFT]: { exitCode: 1, stderr: 'sudo: a password is required\n' } } });
    expect(await netfilterProbe.collect(ctx)).toMatchObject({ ok: false, reason: 'permission' });
    expect(ctx.calls).toHaveLength(1);
  });

  it('nft not installed and iptables fails → the iptables failure', async () => {
    const ctx = fakeContext({ exec: { 'iptables -S': { exitCode: 4, stderr: 'iptables v1.8.9 (nf_tables): Could not fetch rule set generation id: Permission denied (you must be root)\n' } } });
    expect(await netfilterProbe.collect(ctx)).toMatchObject({ ok: false, reason: 'permission', detail: expect.stringContaining('iptables (exit 4)') });
  });

  it('xt extensions and iptables -S fails → nft view kept, with a note', async () => {
    const ctx = fakeContext({ exec: { [NFT]: nftJson('iptables-nft-xt') } });
    const r = await netfilterProbe.collect(ctx);
    expect(r).toMatchObject({ ok: true, value: { source: 'nftables', ipv4: { otherTcp: 'open' } } });
    expect(r.ok && r.value.notes[0]).toContain('nft shows iptables extensions only as "xt" in ip filter, and iptables not found');
  });
});
