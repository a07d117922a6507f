import { defineCheck } from '../../../engine/define.js';
import type { Evidence } from '../../../engine/types.js';
import { cite, missingFinding } from '../../lib/azure.js';
import { domainGapRows } from '../../lib/gaps.js';

/**
 * The production host name must resolve to the production VM, or users (and the Bot Connector)
 * reach something else. When the zone is in Azure DNS, its record must say the same
 * (https://learn.microsoft.com/azure/dns/dns-operations-recordsets-cli); a record that differs
 * from what resolvers answer is a change still propagating, or a zone that is not the live one.
 */
export const check = defineCheck({
  meta: {
    id: 'infra.dns',
    section: 'infra',
    title: 'The production domain resolves to the production VM’s public IP (and its Azure DNS record agrees)',
    severity: 'high',
    effort: { size: 'S', hours: [1, 2] },
    remediation: {
      text: "Point the production host name's A record at the production VM's public IP and wait for the TTL.",
      command: 'az network dns record-set a add-record --resource-group <rg> --zone-name <zone> --record-set-name <name> --ipv4-address <vm-public-ip>',
      url: 'https://learn.microsoft.com/azure/dns/dns-operations-recordsets-cli',
    },
    runs: 'resolve domain.prod (azure.dnsResolver: getent ahosts or DNS-over-HTTPS) + prod VM public IPs (ARM) + the Azure DNS zone record',
  },
  requires: ['azure.dns'],
  gapRows: domainGapRows,
  evaluate(facts) {
    const d = facts.need('azure.dns');
    if (d.resolved.status !== 'found') return missingFinding(d.resolved, d.domain === 'TBD' ? 'the production domain' : `DNS for ${d.domain}`, 'azure.dns');
    const resolved = d.resolved.value;
    const evidence: Evidence[] = [cite(d.resolved, `${d.domain} → ${resolved.join(', ')} (resolver: ${d.resolver === 'system' ? 'system' : new URL(d.resolver).host})`)];
    const zone = d.zoneRecord;
    if (zone.status === 'found') {
      evidence.push(cite(zone, `Azure DNS ${zone.value.zone} (${zone.value.zoneResourceGroup}) ${zone.value.recordName}: ${zone.value.cname !== undefined ? `CNAME ${zone.value.cname}` : `A ${zone.value.addresses.join(', ')}`}${zone.value.ttl !== undefined ? `, TTL ${zone.value.ttl}` : ''}`));
    } else {
      evidence.push(cite(zone, zone.detail));
    }
    if (d.vmPublicIps.status !== 'found') return missingFinding(d.vmPublicIps, 'the production VM’s public IP', 'azure.dns');
    const vm = d.vmPublicIps.value;
    evidence.push(cite(d.vmPublicIps, `production VM public IPs: ${vm.join(', ') || 'none'}`));
    const wrong = resolved.filter((ip) => !vm.includes(ip));
    if (vm.length === 0) return { status: 'fail', summary: `the production VM has no public IP, but ${d.domain} resolves to ${resolved.join(', ')}`, evidence };
    if (wrong.length > 0) return { status: 'fail', summary: `${d.domain} resolves to ${wrong.join(', ')}, not the production VM (${vm.join(', ')})`, evidence };
    if (zone.status === 'found' && zone.value.cname === undefined && zone.value.addresses.some((ip) => !vm.includes(ip))) {
      return { status: 'warn', summary: `${d.domain} resolves to the production VM, but the Azure DNS record says ${zone.value.addresses.join(', ')}`, evidence };
    }
    return { status: 'pass', summary: `${d.domain} resolves to the production VM (${resolved.join(', ')})`, evidence };
  },
});
