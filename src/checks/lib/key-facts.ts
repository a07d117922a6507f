/**
 * Key facts: for each probe a check judged from, one line of what it saw (or why it saw nothing),
 * with its log entries. The owning check attaches them to its result (`keyFacts`), so the report's
 * security posture and backup status tables show the facts a judgement rests on — summarised here,
 * judged only by the check. Every probe with a line here is summarised; none reads "collected".
 */
import type { Facts, KeyFact } from '../../engine/types.js';
import type { FactId, FactTypes } from '../../facts/index.js';
import { portsText } from './netfilter-view.js';
import { isLoopback } from './sockets.js';

type Summarizers = { [K in FactId]?: (v: FactTypes[K]) => string };

const SUMMARIZERS: Summarizers = {
  'host.ufw': (u) => (u.active ? `${u.statusLine}; ${u.defaultLine ?? 'default policies not shown'}; ${u.rules.length} rule line(s)` : u.statusLine),
  'host.listening': (sockets) => {
    const pub = new Map<number, Set<string>>();
    let local = 0;
    for (const s of sockets) {
      if (isLoopback(s)) {
        local += 1;
        continue;
      }
      const names = pub.get(s.port) ?? new Set<string>();
      for (const p of s.processes ?? (s.process ? [s.process] : [])) names.add(p);
      pub.set(s.port, names);
    }
    const ports = [...pub.entries()].sort((a, b) => a[0] - b[0]).map(([port, names]) => (names.size > 0 ? `${port} (${[...names].join(', ')})` : `${port}`));
    return `TCP listening on non-loopback addresses: ${ports.length > 0 ? ports.join(', ') : 'none'}; loopback-only sockets: ${local}`;
  },
  'host.sshd': ({ options }) => {
    const keys = ['port', 'permitrootlogin', 'passwordauthentication', 'kbdinteractiveauthentication', 'pubkeyauthentication', 'maxauthtries', 'x11forwarding'];
    return keys
      .filter((k) => options[k] !== undefined)
      .map((k) => `${k} ${(options[k] ?? []).join(',')}`)
      .join('; ');
  },
  'host.apt-upgradable': (a) => {
    const security = a.packages.filter((p) => p.security).length;
    const lists = a.refreshed ? 'package lists refreshed first' : `package lists not refreshed${a.listsAgeHours !== undefined ? ` (${Math.round(a.listsAgeHours)} h old)` : ''}`;
    return `${a.packages.length} upgradable package(s), ${security} from security suites; ${lists}${a.refreshError ? `; refresh failed: ${a.refreshError}` : ''}`;
  },
  'host.netfilter': (nf) => {
    const view = (v: FactTypes['host.netfilter']['ipv4'], label: string) =>
      `${label} input policy ${v.policy}${v.chains.length > 0 ? ` (${v.chains.join(', ')})` : ' (no input chain)'}, TCP open to any address: ${v.otherTcp === 'open' ? 'all ports not blocked' : v.openTcp.length > 0 ? portsText(v.openTcp) : 'none'}`;
    return `${nf.source}: ${nf.counts.tables} table(s), ${nf.counts.rules} rule(s); ${view(nf.ipv4, 'IPv4')}; ${view(nf.ipv6, 'IPv6')}${nf.ufwChains ? '; ufw chains loaded' : ''}`;
  },
  'host.nginx': (n) => {
    const tls = n.servers.filter((s) => s.ssl);
    const protocols = [...new Set(tls.map((s) => (s.sslProtocols ?? n.http.sslProtocols)?.args.join(' ') ?? 'nginx default'))];
    const headers = [...new Set([...n.http.ownHeaders, ...tls.flatMap((s) => s.ownHeaders)].map((h) => h.header))];
    const names = [...new Set(n.servers.flatMap((s) => s.serverNames).filter((x) => x !== '_' && x !== ''))];
    return `${n.servers.length} server block(s) (${tls.length} TLS) in ${n.files.length} file(s)${names.length > 0 ? `; names: ${names.slice(0, 6).join(', ')}${names.length > 6 ? ', …' : ''}` : ''}; TLS protocols: ${protocols.length > 0 ? protocols.join(' | ') : 'no TLS server'}; headers set: ${headers.length > 0 ? headers.join(', ') : 'none'}; rate-limit zones: ${n.http.limitReqZones.length}`;
  },
  'host.certbot': (c) => {
    if (c.lineages.length === 0) return `no certbot lineages${c.invalidConfigs.length > 0 ? `; ${c.invalidConfigs.length} invalid renewal config(s)` : ''}`;
    const each = c.lineages.map((l) => `${l.name} (${l.domains.join(', ')}; ${l.validity}; expires ${l.expiry.slice(0, 10)})`);
    return `${c.lineages.length} lineage(s): ${each.join('; ')}${c.invalidConfigs.length > 0 ? `; ${c.invalidConfigs.length} invalid renewal config(s)` : ''}`;
  },
  'host.certbot-renewal': (r) => {
    const timers = r.timers.map((t) => `${t.unit} ${t.enabled ?? 'absent'}${t.listed?.next ? `, next ${t.listed.next}` : ''}`);
    const cron = r.cron.entries.filter((e) => !(e.skippedUnderSystemd && r.systemdRunning));
    return `systemd ${r.systemdRunning ? 'running' : 'not running'}; timers: ${timers.length > 0 ? timers.join(', ') : 'none'}; cron renewal entries in force: ${cron.length}${r.cron.daemonInstalled ? (r.cron.daemonRunning ? ' (cron running)' : ' (cron not running)') : ' (no cron daemon)'}`;
  },
  'host.fail2ban': (f) => {
    if (!f.running) return `fail2ban server not running${f.detail ? `: ${f.detail}` : ''}`;
    const jails = f.jails.map((j) => `${j.name}${j.currentlyBanned !== undefined ? ` (${j.currentlyBanned} banned now, ${j.totalBanned ?? '?'} total)` : ''}`);
    return `fail2ban running; jails: ${jails.length > 0 ? jails.join(', ') : 'none'}`;
  },
  'host.backup-jobs': (v) => {
    const jobs = v.jobs.filter((j) => j.ignored === undefined);
    const each = jobs.map((j) => `${j.source} (${j.schedule}; ${j.lastRun?.ageHours !== undefined ? `last run ${Math.round(j.lastRun.ageHours)} h ago` : 'no run seen'})`);
    return `${jobs.length} scheduled backup job(s)${each.length > 0 ? `: ${each.join(', ')}` : ''}${v.gaps.length > 0 ? `; ${v.gaps.length} source(s) could not be read` : ''}`;
  },
  'project.runbooks': (v) => {
    const books = v.runbooks.map((b) => `${b.file} (${b.kinds.join(', ')})`);
    return `${books.length} runbook(s)${books.length > 0 ? `: ${books.join(', ')}` : ''}`;
  },
};

/** The probes with a summary: their key-fact line never reads "collected". */
export function hasSummary(id: FactId): boolean {
  return SUMMARIZERS[id] !== undefined;
}

/** One key-fact line a probe: what it saw, or why it saw nothing. */
function line(id: FactId, facts: Facts): KeyFact {
  const o = facts.maybe(id);
  if (!o) return { probe: id, ok: false, text: 'not collected: the probe did not run', refs: [] };
  if (!o.ok) return { probe: id, ok: false, text: `not collected: ${o.reason} — ${o.detail}`, refs: o.refs };
  const f = SUMMARIZERS[id] as ((v: unknown) => string) | undefined;
  let text: string;
  try {
    text = f ? f(o.value) : 'collected (see the commands log)';
  } catch {
    // a summary must never be why a report cannot be written
    text = 'collected (see the commands log)';
  }
  return { probe: id, ok: true, text, refs: o.refs };
}

/** A check's `keyFacts`: one line for each of these probes. */
export function summaries(...ids: FactId[]): (facts: Facts) => KeyFact[] {
  return (facts) => ids.map((id) => line(id, facts));
}
