import { describe, expect, it } from 'vitest';
import { ORDER_PROCESSING_PROFILE } from '../../../config/profile.js';
import { evaluateCheck, outcomesOf } from '../../../engine/evaluate.js';
import type { ProbeResult } from '../../../engine/types.js';
import type { NetfilterStatus, UfwStatus } from '../../../facts/host.js';
import { netfilterStatus, parseIptablesS, parseNftRuleset } from '../../../probes/host/netfilter/parse.js';
import { parseUfwStatus } from '../../../probes/host/ufw/parse.js';
import { hostFixture, testFixture } from '../../../../test/probes/fixture.js';
import { check } from './check.js';

const now = new Date('2026-11-26T00:00:00Z');
const ufw = (file: string): ProbeResult<UfwStatus> => parseUfwStatus(hostFixture(`ufw/${file}`));
const run = (outcome: ProbeResult<UfwStatus>) => evaluateCheck(check, outcomesOf({ 'host.ufw': outcome }), { config: ORDER_PROCESSING_PROFILE, now });
/** The netfilter fact of a captured `nft -j list ruleset` (test/fixtures/netfilter/nft). */
const nft = (name: string): ProbeResult<NetfilterStatus> => {
  const r = parseNftRuleset(testFixture(`netfilter/nft/${name}.json`));
  return r.ok ? { ok: true, value: netfilterStatus('nftables', r.value.chains) } : r;
};
const iptables = (v4: string, v6: string): ProbeResult<NetfilterStatus> => {
  const a = parseIptablesS(testFixture(`netfilter/iptables/${v4}.txt`), 'iptables');
  const b = parseIptablesS(testFixture(`netfilter/iptables/${v6}.txt`), 'ip6tables');
  if (!a.ok) return a;
  if (!b.ok) return b;
  return { ok: true, value: netfilterStatus('iptables', [...a.value, ...b.value]) };
};
const UFW_MISSING = { ok: false, reason: 'not-installed', detail: 'ufw not found (install the Debian/Ubuntu package ufw)' } as const;
const both = (u: ProbeResult<UfwStatus>, n: ProbeResult<NetfilterStatus>) =>
  evaluateCheck(check, outcomesOf({ 'host.ufw': { ...u, refs: [1] }, 'host.netfilter': { ...n, refs: [2, 3] } }), { config: ORDER_PROCESSING_PROFILE, now });

describe('security.firewall', () => {
  it.each([
    ['inactive.txt', 'fail', 'Status: inactive'],
    ['active-deny-in.txt', 'pass', 'Default: deny (incoming), allow (outgoing), disabled (routed)'],
    ['active-extra-ports.txt', 'warn', '3306/tcp ALLOW IN Anywhere # mysql for reporting'],
    ['active-allow-in.txt', 'warn', 'Default: allow (incoming), allow (outgoing), disabled (routed)'],
    ['active-mixed.txt', 'warn', '6000:6007/tcp ALLOW IN Anywhere'],
    ['legacy-app-names-hand-edited.txt', 'pass', 'Default: deny (incoming), allow (outgoing), deny (routed)'],
    ['ubuntu-18.04-protocol-rules.txt', 'warn', '100:200,300:400/tcp ALLOW IN Anywhere'],
  ] as const)('%s → %s', (file, status, evidence) => {
    const r = run(ufw(file));
    expect(r.status).toBe(status);
    expect(r.evidence.map((e) => e.text)).toContain(evidence);
  });

  it('inactive: the evidence quotes the status line exactly', () => {
    const r = run(ufw('inactive.txt'));
    expect(r.evidence).toEqual([{ text: 'Status: inactive', refs: [1] }]);
    expect(r.summary).toMatch(/inactive/);
  });

  it('reports a v4/v6 rule pair once', () => {
    const r = run(ufw('active-extra-ports.txt'));
    expect(r.evidence.filter((e) => e.text.startsWith('3306/tcp'))).toHaveLength(1);
    expect(r.summary).toContain('3306');
    expect(r.summary).not.toContain('5432'); // only from 10.0.0.0/8
  });

  it('an app profile with unknown ports from Anywhere is a warning, not a pass', () => {
    const r = run(parseUfwStatus('Status: active\nDefault: deny (incoming), allow (outgoing), disabled (routed)\n\nTo Action From\n-- ------ ----\nCustom App ALLOW IN Anywhere\n'));
    expect(r.status).toBe('warn');
    expect(r.summary).toContain("ufw app info 'Custom App'");
  });

  it('ufw not installed and netfilter not read → unknown', () => {
    const r = run(UFW_MISSING);
    expect(r.status).toBe('unknown');
    expect(r.summary).toBe('could not verify: probe host.ufw not installed: ufw not found (install the Debian/Ubuntu package ufw); probe host.netfilter did not run');
  });
});

describe('security.firewall without an active ufw: nftables / iptables decide', () => {
  it.each([
    ['ufw inactive, empty ruleset (this container)', ufw('inactive.txt'), nft('empty'), 'fail', ['Status: inactive', 'nftables: input policy accept, no rules']],
    ['ufw inactive, nftables policy drop, only 22/80/443 from anywhere', ufw('inactive.txt'), nft('well-configured'), 'pass', ['Status: inactive', 'nftables IPv4: input policy drop, 8 rules; TCP open to any address: 22, 80, 443; from some addresses only: 9100', 'nftables IPv6: input policy drop, 8 rules; TCP open to any address: 22, 80, 443']],
    ['ufw not installed, nftables policy drop', UFW_MISSING, nft('well-configured'), 'pass', ['probe host.ufw not installed: ufw not found (install the Debian/Ubuntu package ufw)']],
    ['nftables opens 3000 and 3306 to everyone', ufw('inactive.txt'), nft('extra-ports'), 'warn', ['nftables: input policy drop, 5 rules; TCP open to any address: 22, 80, 443, 3000, 3306', 'nftables inet filter input: tcp dport 22,80,443,3000,3306 accept']],
    ['nftables policy accept with one drop', UFW_MISSING, nft('accept-default'), 'fail', ['nftables IPv4: input policy accept, 1 rule; accepts every TCP port no rule names', 'nftables IPv6: input policy accept, no rules']],
    ['iptables only (IPv4 drop, IPv6 nothing): 8000-8010 open, IPv6 unfiltered', UFW_MISSING, iptables('iptables-nft-xt', 'ip6tables-empty'), 'warn', ['iptables IPv4: input policy drop, 9 rules; TCP open to any address: 22, 80, 443, 8000-8010; from some addresses only: 5432', 'iptables: -A app-input -p tcp -m multiport --dports 8000:8010 -j ACCEPT']],
    ['real ufw rules read through iptables while ufw could not be asked', { ok: false, reason: 'permission', detail: 'ufw (exit 1): ERROR: You need to be root to run this script' } as const, iptables('ufw-active', 'ufw-active-ip6'), 'pass', ['iptables IPv4: input policy drop, 37 rules; TCP open to any address: 22, 80, 443']],
  ] as const)('%s → %s', (_name, u, n, status, evidence) => {
    const r = both(u, n);
    expect(r.status).toBe(status);
    expect(r.evidence.map((e) => e.text)).toEqual(expect.arrayContaining([...evidence]));
  });

  it('the inactive ufw and the empty ruleset are both cited, each with its own log entries', () => {
    const r = both(ufw('inactive.txt'), nft('empty'));
    expect(r.evidence).toEqual([
      { text: 'Status: inactive', refs: [1] },
      { text: 'nftables: input policy accept, no rules', refs: [2, 3] },
    ]);
    expect(r.summary).toBe('ufw is inactive and nftables does not filter incoming traffic: every listening port is reachable');
  });

  it('pass names nftables in the summary', () => {
    expect(both(ufw('inactive.txt'), nft('well-configured')).summary).toBe(
      'ufw is inactive; nftables filters incoming traffic: input policy drop, TCP open to any address only on allowed ports (22, 80, 443)',
    );
  });

  it('warn names the extra ports', () => {
    expect(both(ufw('inactive.txt'), nft('extra-ports')).summary).toBe(
      'ufw is inactive; nftables filters incoming traffic but TCP 3000, 3306 open to any address (allowed public ports: 22, 80, 443)',
    );
    expect(both(UFW_MISSING, iptables('iptables-nft-xt', 'ip6tables-empty')).summary).toContain('IPv6 is not filtered (ip6tables accepts every TCP port no rule names)');
  });

  it('an active ufw is judged on its own output, whatever netfilter shows', () => {
    expect(both(ufw('active-deny-in.txt'), nft('empty')).status).toBe('pass');
  });

  it('ufw inactive and netfilter unreadable → unknown, citing both', () => {
    const r = both(ufw('inactive.txt'), { ok: false, reason: 'permission', detail: 'nft (exit 1): sudo: a password is required' });
    expect(r.status).toBe('unknown');
    expect(r.summary).toBe('could not verify: ufw is inactive, but probe host.netfilter permission denied: nft (exit 1): sudo: a password is required');
    expect(r.evidence.map((e) => e.text)).toEqual(['Status: inactive', 'probe host.netfilter permission denied: nft (exit 1): sudo: a password is required']);
  });

  it.each([
    ['ufw inactive', ufw('inactive.txt'), 'ufw is inactive and neither nft nor iptables is installed: no host firewall, every listening port is reachable'],
    ['ufw not installed', UFW_MISSING, 'ufw is not installed and neither nft nor iptables is installed: no host firewall, every listening port is reachable'],
  ] as const)('%s, and neither nft nor iptables installed → fail: nothing could have loaded rules', (_name, u, summary) => {
    const r = both(u, { ok: false, reason: 'not-installed', detail: 'neither nft (Debian/Ubuntu package nftables) nor iptables (package iptables) is installed' });
    expect(r.status).toBe('fail');
    expect(r.summary).toBe(summary);
    expect(r.evidence.at(-1)?.text).toBe('probe host.netfilter not installed: neither nft (Debian/Ubuntu package nftables) nor iptables (package iptables) is installed');
  });

  it('ufw timed out and netfilter not installed → unknown (ufw may be active)', () => {
    const r = both({ ok: false, reason: 'timeout', detail: 'ufw did not answer within 300 ms' }, { ok: false, reason: 'not-installed', detail: 'neither nft nor iptables' });
    expect(r.status).toBe('unknown');
    expect(r.summary).toBe('could not verify: probe host.ufw timed out: ufw did not answer within 300 ms; probe host.netfilter not installed: neither nft nor iptables');
  });
});
