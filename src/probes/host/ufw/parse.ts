/**
 * Parser for `ufw status verbose` (ufw 0.36, Debian 12 / Ubuntu 22.04+; tolerant of the older
 * layout and of `ufw status` without the verbose header).
 *
 * ```
 * Status: active
 * Logging: on (low)
 * Default: deny (incoming), allow (outgoing), disabled (routed)
 * New profiles: skip
 *
 * To                         Action      From
 * --                         ------      ----
 * 22/tcp (OpenSSH)           ALLOW IN    Anywhere
 * 80,443/tcp (Nginx Full (v6)) ALLOW IN    Anywhere (v6)
 * 3306/tcp                   ALLOW IN    Anywhere                   # mysql for reporting
 * 10.0.0.5 80/tcp on eth1    ALLOW FWD   Anywhere on eth0
 * ```
 * The columns are padded, but a long `To` pushes the rest right, so rules are split on the
 * action word rather than on column positions. ufw 0.36 prints app-profile rules with their
 * ports (`22/tcp (OpenSSH)`); older versions print only the name (`OpenSSH`), for which the
 * stock profiles below give the ports.
 */
import type { PortRange, UfwRule, UfwStatus } from '../../../facts/host.js';
import type { ProbeResult } from '../../../engine/types.js';

/**
 * Ports of the stock application profiles shipped in /etc/ufw/applications.d by the ufw,
 * openssh-server, nginx and apache2 packages (Debian 12 / Ubuntu), for rules printed by name only.
 */
const STOCK_APP_PORTS: Readonly<Record<string, { ports: PortRange[]; protocol?: string }>> = {
  OpenSSH: { ports: [{ from: 22, to: 22 }], protocol: 'tcp' },
  SSH: { ports: [{ from: 22, to: 22 }], protocol: 'tcp' },
  'Nginx HTTP': { ports: [{ from: 80, to: 80 }], protocol: 'tcp' },
  'Nginx HTTPS': { ports: [{ from: 443, to: 443 }], protocol: 'tcp' },
  'Nginx Full': { ports: [{ from: 80, to: 80 }, { from: 443, to: 443 }], protocol: 'tcp' },
  Apache: { ports: [{ from: 80, to: 80 }], protocol: 'tcp' },
  'Apache Secure': { ports: [{ from: 443, to: 443 }], protocol: 'tcp' },
  'Apache Full': { ports: [{ from: 80, to: 80 }, { from: 443, to: 443 }], protocol: 'tcp' },
  WWW: { ports: [{ from: 80, to: 80 }], protocol: 'tcp' },
  'WWW Secure': { ports: [{ from: 443, to: 443 }], protocol: 'tcp' },
  'WWW Full': { ports: [{ from: 80, to: 80 }, { from: 443, to: 443 }], protocol: 'tcp' },
  'WWW Cache': { ports: [{ from: 8080, to: 8080 }], protocol: 'tcp' },
};

const ACTION = /\s(ALLOW|DENY|REJECT|LIMIT)(?:\s+(IN|OUT|FWD))?(?=\s|$)/;
const PORT_SPEC = /^(\d+(?::\d+)?(?:,\d+(?::\d+)?)*)(?:\/([a-z0-9]+))?$/;
/** IPv4 or IPv6 address, optionally with /prefix, optionally followed by /protocol (`10.0.0.1/esp`) */
const ADDRESS = /^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f]*:[0-9a-f:.]*)(?:\/\d{1,3})?(?:\/[a-z0-9]+)?$/i;
const ANYWHERE = new Set(['Anywhere', '0.0.0.0/0', '::/0', 'any']);

function parsePortSpec(spec: string): PortRange[] | undefined {
  const ranges: PortRange[] = [];
  for (const part of spec.split(',')) {
    const [a, b] = part.split(':');
    const from = Number(a);
    const to = b === undefined ? from : Number(b);
    if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to > 65535 || to < from) return undefined;
    ranges.push({ from, to });
  }
  return ranges;
}

/** Split `… on eth0` off a column. */
function splitInterface(text: string): { text: string; iface?: string } {
  const m = /^(.*?)\s+on\s+(\S+)$/.exec(text);
  return m ? { text: m[1] ?? '', iface: m[2] } : { text };
}

/** Split a trailing `(v6)` or `(App)` / `(App (v6))` annotation off the To column. */
function splitParen(text: string): { text: string; v6: boolean; app?: string } {
  let v6 = false;
  let rest = text;
  if (/\s*\(v6\)$/.test(rest)) {
    rest = rest.replace(/\s*\(v6\)$/, '');
    v6 = true;
  }
  const m = /^(.*?\S)\s+\((.+)\)$/.exec(rest);
  if (!m) return { text: rest, v6 };
  let app = m[2] ?? '';
  if (/\s*\(v6\)$/.test(app)) {
    app = app.replace(/\s*\(v6\)$/, '');
    v6 = true;
  }
  return { text: m[1] ?? '', v6, app };
}

interface Destination {
  toAddress?: string;
  protocol?: string;
  ports?: PortRange[] | 'all';
  app?: string;
}

/** Interpret the To column (already without `on <iface>` and `(v6)`/`(App)`). */
function parseDestination(base: string, appFromParen: string | undefined): Destination | undefined {
  const tokens = base.split(/\s+/).filter(Boolean);
  const first = tokens[0];
  if (first === undefined) return undefined;
  const portsOf = (spec: string): Destination | undefined => {
    const m = PORT_SPEC.exec(spec);
    if (!m) return undefined;
    const ports = parsePortSpec(m[1] ?? '');
    return ports ? { ports, ...(m[2] ? { protocol: m[2] } : {}) } : undefined;
  };
  const appDest = (name: string): Destination => {
    const stock = STOCK_APP_PORTS[name];
    return stock ? { app: name, ports: stock.ports, ...(stock.protocol ? { protocol: stock.protocol } : {}) } : { app: name };
  };
  let dest: Destination | undefined;
  const asPorts = tokens.length === 1 ? portsOf(first) : undefined;
  if (asPorts) {
    dest = asPorts;
  } else if (first === 'Anywhere' || ADDRESS.test(first)) {
    // `Anywhere`, `10.0.0.5`, `10.0.0.1/esp`, optionally followed by ports or an app name.
    const [addr, proto] = first === 'Anywhere' ? [undefined, undefined] : splitAddressProtocol(first);
    const rest = tokens.slice(1).join(' ');
    const tail: Destination | undefined = rest === '' ? { ports: 'all' } : (portsOf(rest) ?? appDest(rest));
    if (!tail) return undefined;
    dest = { ...tail, ...(addr ? { toAddress: addr } : {}), ...(proto && !tail.protocol ? { protocol: proto } : {}) };
  } else {
    // An app profile printed by name only (ufw < 0.36): `Nginx Full`, `OpenSSH`.
    dest = appDest(tokens.join(' '));
  }
  return appFromParen ? { ...dest, app: appFromParen } : dest;
}

/** `10.0.0.1/esp` → [`10.0.0.1`, `esp`]; `10.4.0.0/16` → [`10.4.0.0/16`]. */
function splitAddressProtocol(token: string): [string, string | undefined] {
  const m = /^(.*)\/([a-z][a-z0-9]*)$/i.exec(token);
  return m ? [m[1] ?? token, m[2]] : [token, undefined];
}

function parseRule(line: string): UfwRule | string {
  // `ufw status numbered` prefixes `[ 1] `; tolerate it.
  const body = line.replace(/^\s*\[\s*\d+\]\s*/, '');
  const hash = body.indexOf('#');
  const comment = hash >= 0 ? body.slice(hash + 1).trim() : undefined;
  const main = (hash >= 0 ? body.slice(0, hash) : body).replace(/\s+$/, '');
  const m = ACTION.exec(main);
  if (!m) return `no ALLOW/DENY/REJECT/LIMIT action in rule line: ${line.trim()}`;
  const action = m[1] as UfwRule['action'];
  const direction = (m[2] ?? 'IN') as UfwRule['direction'];
  const toCol = main.slice(0, m.index).trim();
  const fromCol = main.slice(m.index + m[0].length).trim();
  if (toCol === '' || fromCol === '') return `rule line without To or From: ${line.trim()}`;

  const toIface = splitInterface(toCol);
  const toParen = splitParen(toIface.text);
  const fromIface = splitInterface(fromCol);
  const fromV6 = /\s*\(v6\)$/.test(fromIface.text);
  const from = fromIface.text.replace(/\s*\(v6\)$/, '');
  const dest = parseDestination(toParen.text, toParen.app);
  if (!dest) return `cannot read the To column of rule line: ${line.trim()}`;
  const iface = toIface.iface ?? fromIface.iface;
  const to = toParen.app ? `${toParen.text} (${toParen.app})` : toParen.text;
  return {
    to,
    action,
    direction,
    from: fromIface.iface ? `${from} on ${fromIface.iface}` : from,
    fromAnywhere: ANYWHERE.has(from),
    v6: toParen.v6 || fromV6,
    ...(iface ? { interface: iface } : {}),
    ...dest,
    ...(comment ? { comment } : {}),
    raw: line.replace(/\s+$/, ''),
  };
}

/** `deny (incoming), allow (outgoing), disabled (routed)` → { incoming: 'deny', ... } */
function parseDefaults(text: string): NonNullable<UfwStatus['defaults']> {
  const out: NonNullable<UfwStatus['defaults']> = {};
  for (const m of text.matchAll(/(\w+)\s*\((incoming|outgoing|routed)\)/g)) {
    const key = m[2] as 'incoming' | 'outgoing' | 'routed';
    out[key] = m[1] ?? '';
  }
  return out;
}

/** Parse `ufw status verbose`. A line it cannot read makes the whole parse fail (unknown, not pass). */
export function parseUfwStatus(text: string): ProbeResult<UfwStatus> {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const statusLine = lines.find((l) => /^Status:\s*/.test(l))?.trim();
  if (statusLine === undefined) {
    return { ok: false, reason: 'failed', detail: `no "Status:" line in ufw output: ${lines.find((l) => l.trim() !== '')?.trim() ?? '(empty)'}` };
  }
  const state = statusLine.replace(/^Status:\s*/, '');
  if (state !== 'active' && state !== 'inactive') {
    return { ok: false, reason: 'failed', detail: `unexpected ufw status: ${statusLine}` };
  }
  const status: UfwStatus = { active: state === 'active', statusLine, rules: [] };
  let inRules = false;
  for (const line of lines) {
    const t = line.trim();
    if (t === '' || t === statusLine) continue;
    if (!inRules) {
      const header = /^([A-Za-z ]+):\s*(.*)$/.exec(t);
      if (/^To\s+Action\s+From$/.test(t)) continue;
      if (/^--\s+-+\s+-+$/.test(t)) {
        inRules = true;
        continue;
      }
      if (header) {
        const [, key, value = ''] = header;
        if (key === 'Logging') status.logging = value;
        else if (key === 'Default') {
          status.defaults = parseDefaults(value);
          status.defaultLine = t;
        }
        // `New profiles:` and future header lines carry nothing we judge.
        continue;
      }
      return { ok: false, reason: 'failed', detail: `unexpected line in ufw status header: ${t}` };
    }
    const rule = parseRule(line);
    if (typeof rule === 'string') return { ok: false, reason: 'failed', detail: rule };
    status.rules.push(rule);
  }
  return { ok: true, value: status };
}
