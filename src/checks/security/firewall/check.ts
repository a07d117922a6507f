import { defineCheck } from '../../../engine/define.js';
import { failedProbeEvidence } from '../../../engine/evaluate.js';
import type { Evidence, Finding } from '../../../engine/types.js';
import type { NetfilterStatus, PortRange, UfwStatus } from '../../../facts/host.js';
import { netfilterLabel, netfilterLines, openingRule, portsText, rangesOutside } from '../../lib/netfilter-view.js';
import { defaultDeniesIncoming, isIncomingAllow, portsOutside, ruleText } from '../../lib/ufw-rules.js';
import { summaries } from '../../lib/key-facts.js';

const rangeText = (r: PortRange): string => (r.from === r.to ? `${r.from}` : `${r.from}:${r.to}`);


/** An active ufw: its default policy and its allow-from-Anywhere rules. */
function evaluateUfw(ufw: UfwStatus, allowed: readonly number[]): Finding {
  const evidence: Evidence[] = [{ text: ufw.statusLine }];
  if (ufw.defaultLine !== undefined) evidence.push({ text: ufw.defaultLine });
  const problems: string[] = [];
  if (ufw.defaults?.incoming === undefined) {
    problems.push('default incoming policy not shown');
  } else if (!defaultDeniesIncoming(ufw)) {
    problems.push(`default incoming policy is ${ufw.defaults.incoming}`);
  }

  const seen = new Set<string>();
  const extraPorts: string[] = [];
  for (const rule of ufw.rules) {
    if (!isIncomingAllow(rule) || !rule.fromAnywhere) continue;
    const outside = portsOutside(rule, allowed);
    if (Array.isArray(outside) && outside.length === 0) continue;
    // ufw prints each rule twice (IPv4, then `(v6)`); report it once.
    const key = `${rule.to}|${rule.action}|${rule.interface ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (outside === 'all') extraPorts.push('all ports');
    else if (outside === 'unknown') extraPorts.push(`app profile ${rule.app ?? rule.to} (ports unknown: check \`ufw app info '${rule.app ?? rule.to}'\`)`);
    else extraPorts.push(outside.map(rangeText).join(','));
    evidence.push({ text: ruleText(rule) });
  }
  if (extraPorts.length > 0) {
    problems.push(`rules allow from Anywhere: ${extraPorts.join('; ')} (allowed public ports: ${allowed.join(', ')})`);
  }
  if (problems.length > 0) {
    return { status: 'warn', summary: `ufw is active but ${problems.join('; ')}`, evidence };
  }
  return {
    status: 'pass',
    summary: `ufw active, default ${ufw.defaults?.incoming ?? 'deny'} incoming, public rules only for allowed ports (${allowed.join(', ')})`,
    evidence,
  };
}

/**
 * ufw absent or inactive: the kernel's rules as nftables/iptables show them decide. Judged like an
 * active ufw — the input hook must drop what no rule names, and accept from any address only the
 * allowed public ports.
 */
function evaluateNetfilter(nf: NetfilterStatus, refs: number[], ufwWord: string, ufwEvidence: Evidence[], allowed: readonly number[]): Finding {
  const lines: Evidence[] = netfilterLines(nf).map((text) => ({ text, refs }));
  const notes: Evidence[] = nf.notes.map((text) => ({ text, refs }));
  const l4 = netfilterLabel(nf, 4);
  if (nf.ipv4.otherTcp === 'open') {
    return {
      status: 'fail',
      summary: `${ufwWord} and ${l4} does not filter incoming traffic: every listening port is reachable`,
      evidence: [...ufwEvidence, ...lines, ...notes],
    };
  }
  const problems: string[] = [];
  const offending: Evidence[] = [];
  if (nf.ipv6.otherTcp === 'open') problems.push(`IPv6 is not filtered (${netfilterLabel(nf, 6)} accepts every TCP port no rule names)`);
  const versions = nf.ipv6.otherTcp === 'open' ? ([4] as const) : ([4, 6] as const);
  const extra = new Map<string, PortRange>();
  for (const v of versions) {
    for (const r of rangesOutside(v === 4 ? nf.ipv4.openTcp : nf.ipv6.openTcp, allowed)) {
      const key = `${r.from}-${r.to}`;
      if (extra.has(key)) continue;
      extra.set(key, r);
      const rule = openingRule(nf, r.from, v);
      if (rule !== undefined && !offending.some((e) => e.text === rule)) offending.push({ text: rule, refs });
    }
  }
  if (extra.size > 0) problems.push(`TCP ${portsText([...extra.values()])} open to any address (allowed public ports: ${allowed.join(', ')})`);
  if (problems.length > 0) {
    return {
      status: 'warn',
      summary: `${ufwWord}; ${l4} filters incoming traffic but ${problems.join('; ')}`,
      evidence: [...ufwEvidence, ...lines, ...offending, ...notes],
    };
  }
  return {
    status: 'pass',
    summary: `${ufwWord}; ${l4} filters incoming traffic: input policy drop, TCP open to any address only on allowed ports (${allowed.join(', ')})`,
    evidence: [...ufwEvidence, ...lines, ...notes],
  };
}

/**
 * ufw is the firewall of the Ubuntu VM (CIS Ubuntu benchmark: "Ensure ufw service is enabled",
 * "Ensure ufw default deny firewall policy"). A host may instead filter with plain nftables or
 * iptables (CIS: "Ensure nftables default deny firewall policy"); when ufw is absent or
 * inactive, the kernel's rules read by host.netfilter decide. A host filtered only by an Azure
 * NSG still fails here: the NSG is outside the VM and one portal change away from open.
 */
export const check = defineCheck({
  meta: {
    id: 'security.firewall',
    section: 'security',
    title: 'The host firewall (ufw, or nftables/iptables) is active, denies incoming by default and allows only the public ports',
    severity: 'critical',
    effort: { size: 'S', hours: [0.5, 1] },
    remediation: {
      text: "Set ufw's default incoming policy to deny, allow only SSH and nginx (ports 22, 80, 443), then enable it. Allow SSH before enabling, or you lock yourself out; remove any other 'from Anywhere' allow rule. (With plain nftables: an input chain with policy drop that accepts only these ports.)",
      command: "sudo ufw default deny incoming && sudo ufw allow OpenSSH && sudo ufw allow 'Nginx Full' && sudo ufw enable",
      url: 'https://documentation.ubuntu.com/server/how-to/security/firewalls/',
    },
    runs: 'sudo -n ufw status verbose; when ufw is absent or inactive, sudo -n nft -j list ruleset (or iptables -S / ip6tables -S)',
  },
  // Neither is required: ufw missing is an answer when nftables filters, and the other way round.
  requires: [],
  uses: ['host.ufw', 'host.netfilter'],
  // ufw is a front end: an active ufw, or the kernel's own ruleset, is each enough evidence
  alternatives: [['host.ufw', 'host.netfilter']],
  keyFacts: summaries('host.ufw', 'host.netfilter'),
  evaluate(facts, { config }) {
    const allowed = config.host.allowedPublicPorts;
    const ufwOutcome = facts.maybe('host.ufw');
    if (ufwOutcome?.ok && ufwOutcome.value.active) return evaluateUfw(ufwOutcome.value, allowed);

    const ufwEvidence: Evidence[] =
      ufwOutcome === undefined ? [] : ufwOutcome.ok ? [{ text: ufwOutcome.value.statusLine, refs: ufwOutcome.refs }] : [failedProbeEvidence('host.ufw', ufwOutcome)];
    const ufwWord = ufwOutcome?.ok ? 'ufw is inactive' : ufwOutcome?.reason === 'not-installed' ? 'ufw is not installed' : 'ufw state unknown';
    const nfOutcome = facts.maybe('host.netfilter');
    if (nfOutcome?.ok) return evaluateNetfilter(nfOutcome.value, nfOutcome.refs, ufwWord, ufwEvidence, allowed);

    if (nfOutcome?.reason === 'not-installed' && (ufwOutcome?.ok || ufwOutcome?.reason === 'not-installed')) {
      // No nft and no iptables: nothing on the host could have loaded filtering rules.
      return {
        status: 'fail',
        summary: `${ufwWord} and neither nft nor iptables is installed: no host firewall, every listening port is reachable`,
        evidence: [...ufwEvidence, failedProbeEvidence('host.netfilter', nfOutcome)],
      };
    }
    if (ufwOutcome?.ok && nfOutcome === undefined) {
      // Only ufw was asked (e.g. --only with a probe subset): inactive is all we know, and it is a failure.
      return { status: 'fail', summary: 'ufw is inactive: every listening port is reachable', evidence: ufwEvidence };
    }
    const failed: Evidence[] = [];
    if (ufwOutcome === undefined) failed.push({ text: 'probe host.ufw did not run' });
    else if (!ufwOutcome.ok) failed.push(failedProbeEvidence('host.ufw', ufwOutcome));
    failed.push(nfOutcome ? failedProbeEvidence('host.netfilter', nfOutcome) : { text: 'probe host.netfilter did not run' });
    const known = ufwOutcome?.ok ? `${ufwWord}, but ` : '';
    return {
      status: 'unknown',
      summary: `could not verify: ${known}${failed.map((e) => e.text).join('; ')}`,
      evidence: [...(ufwOutcome?.ok ? ufwEvidence : []), ...failed],
    };
  },
});
