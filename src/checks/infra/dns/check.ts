import { defineCheck } from '../../../engine/define.js';

export const check = defineCheck({
  meta: {
    id: 'infra.dns',
    section: 'infra',
    title: "The production domain resolves to the production VM",
    severity: 'high',
    effort: { size: 'S', hours: [1, 2] },
    remediation: {
      text: "Point the production host name's A record at the production VM's public IP and wait for the TTL.",
      command: "az network dns record-set a add-record --resource-group <rg> --zone-name <zone> --record-set-name <name> --ipv4-address <vm-public-ip>",
      url: 'https://learn.microsoft.com/azure/dns/dns-operations-recordsets-cli',
    },
    runs: "DNS lookup of domain.prod (configurable resolver) + Azure DNS zone record",
  },
  requires: [],
  pending: "DNS and Azure DNS probes (issue: Azure through the official SDKs)",
  evaluate() {
    throw new Error('pending checks are not evaluated');
  },
});
