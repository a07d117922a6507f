import { defineCheck } from '../../../engine/define.js';
import type { Evidence } from '../../../engine/types.js';
import type { PortRange } from '../../../facts/host.js';
import { defaultDeniesIncoming, isIncomingAllow, portsOutside, ruleText } from './ufw-rules.js';

const rangeText = (r: PortRange): string => (r.from === r.to ? `${r.from}` : `${r.from}:${r.to}`);

/**
 * ufw is the firewall of the Ubuntu VM (CIS Ubuntu benchmark: "Ensure ufw service is enabled",
 * "Ensure ufw default deny firewall policy"). Hosts filtered only by nftables/iptables (or only by an
 * Azure NSG) come in a later issue: for now ufw missing makes the probe `not-installed` and this
 * check `unknown`, which is the honest answer.
 */
export const check = defineCheck({
  meta: {
    id: 'security.firewall',
    section: 'security',
    title: 'The host firewall (ufw) is active, denies incoming by default and allows only the public ports',
    severity: 'critical',
    effort: { size: 'S', hours: [0.5, 1] },
    remediation: {
      text: "Set ufw's default incoming policy to deny, allow only SSH and nginx (ports 22, 80, 443), then enable it. Allow SSH before enabling, or you lock yourself out; remove any other 'from Anywhere' allow rule.",
      command: "sudo ufw default deny incoming && sudo ufw allow OpenSSH && sudo ufw allow 'Nginx Full' && sudo ufw enable",
      url: 'https://documentation.ubuntu.com/server/how-to/security/firewalls/',
    },
    runs: 'sudo -n ufw status verbose',
  },
  requires: ['host.ufw'],
  evaluate(facts, { config }) {
    const ufw = facts.need('host.ufw');
    if (!ufw.active) {
      return { status: 'fail', summary: 'ufw is inactive: every listening port is reachable', evidence: [{ text: ufw.statusLine }] };
    }
    const evidence: Evidence[] = [{ text: ufw.statusLine }];
    if (ufw.defaultLine !== undefined) evidence.push({ text: ufw.defaultLine });
    const problems: string[] = [];
    if (ufw.defaults?.incoming === undefined) {
      problems.push('default incoming policy not shown');
    } else if (!defaultDeniesIncoming(ufw)) {
      problems.push(`default incoming policy is ${ufw.defaults.incoming}`);
    }

    const allowed = config.host.allowedPublicPorts;
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
  },
});
