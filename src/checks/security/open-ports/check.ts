import { defineCheck } from '../../../engine/define.js';
import type { Evidence } from '../../../engine/types.js';
import type { ListeningSocket } from '../../../facts/host.js';
import { netfilterExposure, netfilterLabel, socketVersions } from '../../lib/netfilter-view.js';
import { tcpExposure } from '../../lib/ufw-rules.js';
import { summaries } from '../../lib/key-facts.js';
import { isLoopback } from '../../lib/sockets.js';

/**
 * Databases and caches that must never answer the internet: MySQL/MariaDB, PostgreSQL, Redis,
 * MongoDB, Elasticsearch, memcached, CouchDB, SQL Server. Bound publicly they fail even behind
 * ufw: one rule change (or Docker, which writes its own iptables rules ahead of ufw) exposes them.
 */
const DATA_PORTS: ReadonlySet<number> = new Set([3306, 5432, 6379, 27017, 9200, 11211, 5984, 1433]);

/** `0.0.0.0:3306 mysqld`, `[::]:22 sshd` */
export function socketText(s: ListeningSocket): string {
  const addr = s.address.includes(':') ? `[${s.address}]` : s.address;
  return `${addr}${s.scope !== undefined ? `%${s.scope}` : ''}:${s.port} ${s.process ?? '(process not visible)'}`;
}

/**
 * Public TCP listeners outside config.host.allowedPublicPorts. Only TCP: the probe runs
 * `ss -tlnp`. Any non-loopback address counts as public — on an Azure VM the NIC's private
 * address is what the public IP is NATed to.
 */
export const check = defineCheck({
  meta: {
    id: 'security.open-ports',
    section: 'security',
    title: 'Only the allowed public ports listen on public addresses; databases and caches listen on loopback',
    severity: 'high',
    effort: { size: 'S', hours: [0.5, 2] },
    remediation: {
      text:
        'Bind internal services to 127.0.0.1 (MySQL bind-address, PostgreSQL listen_addresses, Redis bind, the app servers behind nginx) ' +
        'and restart them; until then, keep the firewall (ufw, or nftables) on default deny and deny the port explicitly.',
      command: 'sudo ufw deny <port>/tcp',
      url: 'https://documentation.ubuntu.com/server/how-to/security/firewalls/',
    },
    runs: 'sudo -n ss -tlnp (and ufw status verbose, or nft -j list ruleset when ufw is absent or inactive)',
  },
  requires: ['host.listening'],
  uses: ['host.ufw', 'host.netfilter'],
  alternatives: [['host.ufw', 'host.netfilter']],
  keyFacts: summaries('host.listening'),
  evaluate(facts, { config }) {
    const sockets = facts.need('host.listening').filter((s) => s.proto === 'tcp');
    const allowed = new Set(config.host.allowedPublicPorts);
    // The firewall is read only for a public listener outside the allowed ports: a verdict on
    // listeners that are all allowed does not rest on it.
    const exposed = sockets.some((s) => !isLoopback(s) && !allowed.has(s.port) && !DATA_PORTS.has(s.port));
    const ufwOutcome = exposed ? facts.maybe('host.ufw') : undefined;
    const ufw = ufwOutcome?.ok ? ufwOutcome.value : undefined;
    // Without an active ufw, the kernel's rules (nftables/iptables) say whether a port is firewalled.
    const nfOutcome = exposed ? facts.maybe('host.netfilter') : undefined;
    const netfilter = nfOutcome?.ok && ufw?.active !== true ? nfOutcome.value : undefined;

    const failing: Evidence[] = [];
    const warning: Evidence[] = [];
    const publicOk: string[] = [];
    for (const s of sockets) {
      if (isLoopback(s)) continue;
      if (allowed.has(s.port)) {
        publicOk.push(socketText(s));
        continue;
      }
      const where = socketText(s);
      if (DATA_PORTS.has(s.port)) {
        failing.push({ text: `${where}: database/cache port on a public address` });
        continue;
      }
      if (netfilter !== undefined) {
        const versions = socketVersions(s);
        const label = versions.map((v) => netfilterLabel(netfilter, v)).filter((l, i, all) => all.indexOf(l) === i).join('/');
        const exposure = netfilterExposure(netfilter, s.port, versions);
        if (exposure === 'open') failing.push({ text: `${where}: public, and ${label} lets it in` });
        else warning.push({ text: `${where}: public, firewalled by ${label} (${exposure})` });
      } else if (ufw === undefined) {
        const why = ufwOutcome === undefined ? 'not checked' : ufwOutcome.ok ? '' : `${ufwOutcome.reason}: ${ufwOutcome.detail}`;
        failing.push({ text: `${where}: public, and ufw state unknown (${why})` });
      } else if (!ufw.active) {
        failing.push({ text: `${where}: public, and ufw is inactive` });
      } else {
        const exposure = tcpExposure(ufw, s.port);
        if (exposure === 'open') failing.push({ text: `${where}: public, and ufw lets it in` });
        else warning.push({ text: `${where}: public, firewalled by ufw (${exposure})` });
      }
    }

    if (failing.length > 0) {
      return {
        status: 'fail',
        summary: `${failing.length} public listener(s) reachable outside the allowed ports (${[...allowed].join(', ')})`,
        evidence: [...failing, ...warning],
      };
    }
    if (warning.length > 0) {
      return { status: 'warn', summary: `${warning.length} listener(s) bound publicly but blocked by the firewall: bind them to 127.0.0.1`, evidence: warning };
    }
    const loopback = sockets.filter(isLoopback).length;
    return {
      status: 'pass',
      summary: `public listeners only on allowed ports (${[...allowed].join(', ')}); ${loopback} loopback-only listener(s)`,
      evidence: publicOk.length > 0 ? [{ text: publicOk.join(', ') }] : [{ text: 'no public TCP listener' }],
    };
  },
});
