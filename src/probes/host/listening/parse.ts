/**
 * Parser for `ss -tlnp` (iproute2). Also reads the `Netid` layout of `ss -a` / `ss -tulpen`
 * (jc's captured samples), keeping only TCP listeners and bound UDP sockets.
 *
 * ```
 * State  Recv-Q Send-Q      Local Address:Port  Peer Address:PortProcess
 * LISTEN 0      511             127.0.0.1:34099      0.0.0.0:*    users:(("node",pid=5786,fd=19))
 * LISTEN 0      128               0.0.0.0:2024       0.0.0.0:*
 * LISTEN 0      511    [::ffff:127.0.0.1]:32891            *:*    users:(("node",pid=5786,fd=23))
 * LISTEN 0      511                     *:8080             *:*    users:(("node",pid=5786,fd=21))
 * ```
 * The Process column is empty when ss is not run as root (it cannot read other users' fds).
 * We ask for numeric ports (`-n`), but samples taken without it print service names
 * (`0.0.0.0:ssh`), so the common names are mapped back to numbers.
 */
import type { ListeningSocket } from '../../../facts/host.js';
import type { ProbeResult } from '../../../engine/types.js';

/** /etc/services names ss prints without -n, for the ports that matter to us. */
const SERVICE_PORTS: Readonly<Record<string, number>> = {
  ftp: 21,
  ssh: 22,
  smtp: 25,
  domain: 53,
  bootps: 67,
  bootpc: 68,
  http: 80,
  sunrpc: 111,
  ntp: 123,
  https: 443,
  submission: 587,
  ipp: 631,
  mysql: 3306,
  postgresql: 5432,
  mdns: 5353,
};

const NETIDS = new Set(['tcp', 'udp', 'raw', 'u_str', 'u_dgr', 'u_seq', 'nl', 'p_raw', 'p_dgr', 'v_str', 'v_dgr', 'x25', 'sctp', 'mptcp', 'tipc', 'xdp', '???']);

interface Endpoint {
  address: string;
  scope?: string;
  port: number;
}

/** `0.0.0.0:22`, `[::]:22`, `*:80`, `127.0.0.53%lo:53`, `[fe80::1]%eth0:22`, `0.0.0.0:ssh` */
export function parseEndpoint(text: string): Endpoint | string {
  const m = /^(.*):([^:\]]+)$/.exec(text);
  if (!m) return `no port in address ${text}`;
  let host = m[1] ?? '';
  const portText = m[2] ?? '';
  let scope: string | undefined;
  // A scope sits after the brackets (`[fe80::1]%eth0`) or after a bare IPv4 (`127.0.0.53%lo`).
  const scoped = /^(.*?)%([^\]%]+)$/.exec(host);
  if (scoped && (scoped[1]?.endsWith(']') || !scoped[1]?.startsWith('['))) {
    host = scoped[1] ?? '';
    scope = scoped[2];
  }
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  const inner = /^(.*)%(.+)$/.exec(host);
  if (inner && host.includes(':')) {
    host = inner[1] ?? host;
    scope = inner[2];
  }
  const port = /^\d+$/.test(portText) ? Number(portText) : SERVICE_PORTS[portText];
  if (port === undefined || port > 65535) return `unknown port "${portText}" in ${text} (ss should run with -n)`;
  return { address: host, port, ...(scope !== undefined ? { scope } : {}) };
}

/** `users:(("sshd",pid=1,fd=3),("sshd",pid=2,fd=3))` → names and the first pid */
function parseUsers(text: string): { processes: string[]; pid?: number } {
  const processes: string[] = [];
  let pid: number | undefined;
  for (const m of text.matchAll(/\("((?:[^"\\]|\\.)*)",pid=(\d+)/g)) {
    const name = m[1] ?? '';
    if (!processes.includes(name)) processes.push(name);
    pid ??= Number(m[2]);
  }
  return pid === undefined ? { processes } : { processes, pid };
}

/**
 * Parse `ss -tlnp` output into listening sockets. A data line it cannot read fails the parse.
 * ss always prints its column header (`State Recv-Q ...` or `Netid State ...`), even with no
 * socket to list, so output without one — empty or otherwise — is not "no listeners": it is a
 * failure (the tool did not answer the way it always does).
 */
export function parseSsListening(text: string): ProbeResult<ListeningSocket[]> {
  const sockets: ListeningSocket[] = [];
  let header = false;
  for (const rawLine of text.split('\n')) {
    const line = rawLine.replace(/\r$/, '');
    const tokens = line.trim().split(/\s+/).filter(Boolean);
    const head = tokens[0];
    if (head === undefined) continue;
    if (head === 'State' || head === 'Netid') {
      header = true;
      continue;
    }
    if (!header) return { ok: false, reason: 'failed', detail: `ss printed no column header (State/Netid) before: ${line.trim().slice(0, 120)}` };
    let netid = 'tcp';
    let rest = tokens;
    if (NETIDS.has(head)) {
      netid = head;
      rest = tokens.slice(1);
    }
    const [state, , , local, peer, ...processCols] = rest;
    if (state === undefined || local === undefined || peer === undefined) {
      return { ok: false, reason: 'failed', detail: `unreadable ss line: ${line.trim()}` };
    }
    const listening = (netid === 'tcp' && state === 'LISTEN') || (netid === 'udp' && state === 'UNCONN');
    if (!listening) continue;
    const endpoint = parseEndpoint(local);
    if (typeof endpoint === 'string') return { ok: false, reason: 'failed', detail: endpoint };
    const users = parseUsers(processCols.join(' '));
    const first = users.processes[0];
    sockets.push({
      proto: netid === 'udp' ? 'udp' : 'tcp',
      ...endpoint,
      ...(first !== undefined ? { process: first, processes: users.processes } : {}),
      ...(users.pid !== undefined ? { pid: users.pid } : {}),
      raw: line.replace(/\s+$/, ''),
    });
  }
  if (!header) return { ok: false, reason: 'failed', detail: 'ss printed nothing (it always prints a column header, even with no sockets)' };
  return { ok: true, value: sockets };
}
