/**
 * Reader for `nft -j list ruleset` (libnftables JSON, schema version 1:
 * https://manpages.debian.org/bookworm/libnftables1/libnftables-json.5.en.html).
 *
 * Each rule is reduced to the conditions that decide whether a new incoming TCP connection
 * matches it (protocol, destination port, source, input interface, conntrack state) and its
 * verdict. Anything else is kept as `unknown`, never dropped: the evaluation treats an unknown
 * condition as "may match", so an unreadable rule can make a port look open, never closed.
 *
 * Rules that iptables-nft wrote with extensions nft cannot translate (`-m multiport`,
 * `-m conntrack`, `-j REJECT`) appear as opaque `xt` expressions; the tables holding them are
 * reported in `xtTables` so the probe reads those tables with `iptables -S` instead.
 */
import type { NetfilterChain, NetfilterFamily, NetfilterRule, PortRange } from '../../../facts/host.js';
import type { ProbeResult } from '../../../engine/types.js';
import { mergeRanges, portNumber, rangesText } from './ports.js';

type Json = Record<string, unknown>;

const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The only key of a one-key JSON object (`{"match": {...}}` → `match`). */
function onlyKey(v: unknown): string | undefined {
  return isRecord(v) ? Object.keys(v)[0] : undefined;
}

const FAMILIES: ReadonlySet<string> = new Set(['ip', 'ip6', 'inet']);

/** The result of reading a ruleset: chains of the ip, ip6 and inet families. */
export interface NftRuleset {
  chains: NetfilterChain[];
  /** `ip filter`, `inet fw`, ... (every family, including ones predeploy does not evaluate) */
  tables: string[];
  /** tables (`ip filter`) holding iptables-nft `xt` expressions nft cannot show */
  xtTables: string[];
  /** the nft version from the metainfo object */
  version?: string;
}

interface Scope {
  family: NetfilterFamily;
  table: string;
  /** named sets of this table: name → elements */
  sets: ReadonlyMap<string, unknown[]>;
}

/** Values of a right-hand side: a scalar, an array, `{"set": [...]}`, `{"elem": {"val": x}}`. */
function flatValues(v: unknown, scope: Scope): unknown[] {
  if (Array.isArray(v)) return v.flatMap((x) => flatValues(x, scope));
  if (isRecord(v)) {
    if ('set' in v) return flatValues(v['set'], scope);
    if ('elem' in v && isRecord(v['elem'])) return flatValues(v['elem']['val'], scope);
  }
  if (typeof v === 'string' && v.startsWith('@')) {
    const set = scope.sets.get(v.slice(1));
    return set === undefined ? [v] : flatValues(set, scope);
  }
  return [v];
}

/** Port ranges of a right-hand side; undefined when one element is not a port. */
function portsOf(v: unknown, op: string, scope: Scope): PortRange[] | undefined {
  const values = flatValues(v, scope);
  const ranges: PortRange[] = [];
  for (const x of values) {
    if (isRecord(x) && Array.isArray(x['range'])) {
      const [a, b] = x['range'] as unknown[];
      const from = portNumber(typeof a === 'number' || typeof a === 'string' ? a : NaN);
      const to = portNumber(typeof b === 'number' || typeof b === 'string' ? b : NaN);
      if (from === undefined || to === undefined) return undefined;
      ranges.push({ from, to });
      continue;
    }
    const n = typeof x === 'number' || typeof x === 'string' ? portNumber(x) : undefined;
    if (n === undefined) return undefined;
    // `tcp dport > 1024` and friends (libnftables-json(5), "MATCH": op)
    if (op === '<') ranges.push({ from: 0, to: n - 1 });
    else if (op === '<=') ranges.push({ from: 0, to: n });
    else if (op === '>') ranges.push({ from: n + 1, to: 65535 });
    else if (op === '>=') ranges.push({ from: n, to: 65535 });
    else ranges.push({ from: n, to: n });
  }
  return ranges.length > 0 ? mergeRanges(ranges) : undefined;
}

/** Text of a right-hand side for messages: `10.0.0.0/8`, `{ tcp, udp }`. */
function valueText(v: unknown, scope: Scope): string[] {
  return flatValues(v, scope).map((x) => {
    if (isRecord(x) && isRecord(x['prefix'])) return `${String(x['prefix']['addr'])}/${String(x['prefix']['len'])}`;
    if (isRecord(x) && Array.isArray(x['range'])) return (x['range'] as unknown[]).map(String).join('-');
    return typeof x === 'string' || typeof x === 'number' ? String(x) : JSON.stringify(x);
  });
}

/** IP protocol numbers nft may print instead of names. */
const PROTOCOL_NUMBERS: Readonly<Record<string, string>> = { '6': 'tcp', '17': 'udp', '1': 'icmp', '58': 'ipv6-icmp' };
const L4_PROTOCOLS: ReadonlySet<string> = new Set(['tcp', 'udp', 'sctp', 'dccp', 'udplite', 'icmp', 'icmpv6', 'igmp', 'esp', 'ah', 'gre']);
const CT_STATES = ['new', 'established', 'related', 'invalid', 'untracked'];

/** The conditions gathered while walking a rule's expressions. */
type Conditions = Omit<NetfilterRule, 'verdict' | 'target' | 'text'>;

/** Protocols of a match; `!tcp` for `!= tcp`; undefined for `!= udp` (which matches tcp like no condition). */
function protocolsOf(v: unknown, negated: boolean, scope: Scope): string[] | undefined {
  const names = valueText(v, scope).map((p) => PROTOCOL_NUMBERS[p] ?? p.toLowerCase());
  if (negated) return names.includes('tcp') ? ['!tcp'] : undefined;
  return names;
}

/** Applies one `{"match": {...}}` to the conditions. */
function applyMatch(m: Json, c: Conditions, scope: Scope): void {
  const op = str(m['op']) ?? '==';
  const negated = op === '!=';
  const left = m['left'];
  const right = m['right'];
  const unknown = (what: string): void => {
    (c.unknown ??= []).push(what);
  };
  if (!isRecord(left)) return unknown(`match on ${JSON.stringify(left)}`);
  const payload = isRecord(left['payload']) ? left['payload'] : undefined;
  if (payload) {
    const protocol = str(payload['protocol']) ?? '?';
    const field = str(payload['field']) ?? '?';
    if (field === 'dport' && (L4_PROTOCOLS.has(protocol) || protocol === 'th')) {
      const ports = portsOf(right, op, scope);
      if (ports === undefined) unknown(`${protocol} dport ${valueText(right, scope).join(',')}`);
      else {
        c.dports = ports;
        if (negated) c.dportsNegated = true;
      }
      if (protocol !== 'th') c.protocols = [protocol];
      return;
    }
    if ((protocol === 'ip' || protocol === 'ip6') && (field === 'saddr' || field === 'daddr')) {
      c.ipVersion = protocol === 'ip' ? 4 : 6;
      if (field === 'saddr') {
        c.sources = valueText(right, scope);
        if (negated) c.sourcesNegated = true;
      }
      return;
    }
    if ((protocol === 'ip' && field === 'protocol') || (protocol === 'ip6' && field === 'nexthdr')) {
      c.ipVersion = protocol === 'ip' ? 4 : 6;
      const protocols = protocolsOf(right, negated, scope);
      if (protocols) c.protocols = protocols;
      return;
    }
    if (field === 'sport') return unknown(`${protocol} sport ${valueText(right, scope).join(',')}`);
    // `tcp flags syn`, `icmp type echo-request`: the protocol is what matters
    if (L4_PROTOCOLS.has(protocol)) {
      c.protocols = [protocol];
      return;
    }
    return unknown(`${protocol} ${field}`);
  }
  const meta = isRecord(left['meta']) ? str(left['meta']['key']) : undefined;
  if (meta !== undefined) {
    if (meta === 'iif' || meta === 'iifname') {
      c.inInterface = valueText(right, scope).join(',');
      if (negated) c.inInterfaceNegated = true;
    } else if (meta === 'l4proto') {
      const protocols = protocolsOf(right, negated, scope);
      if (protocols) c.protocols = protocols;
    } else if (meta === 'nfproto') {
      const v = valueText(right, scope)[0];
      const version = v === 'ipv4' ? 4 : v === 'ipv6' ? 6 : undefined;
      if (version === undefined) unknown(`meta nfproto ${String(v)}`);
      else c.ipVersion = negated ? (version === 4 ? 6 : 4) : version;
    } else {
      unknown(`meta ${meta}`);
    }
    return;
  }
  const ct = isRecord(left['ct']) ? str(left['ct']['key']) : undefined;
  if (ct === 'state') {
    const states = valueText(right, scope).map((s) => s.toLowerCase());
    c.ctStates = negated ? CT_STATES.filter((s) => !states.includes(s)) : states;
    return;
  }
  // `tcp flags & (syn | ack) == syn`
  const and = Array.isArray(left['&']) ? (left['&'] as unknown[])[0] : undefined;
  if (isRecord(and) && isRecord(and['payload']) && L4_PROTOCOLS.has(str(and['payload']['protocol']) ?? '')) {
    c.protocols = [str(and['payload']['protocol']) ?? 'tcp'];
    return;
  }
  // `fib daddr type local`, `meta pkttype`, `socket transparent`, ...: named for the evidence
  const fib = isRecord(left['fib']) ? left['fib'] : undefined;
  if (fib) return unknown(`fib ${valueText(fib['flags'], scope).join(' ')} ${String(fib['result'])} ${valueText(right, scope).join(',')}`);
  unknown(ct !== undefined ? `ct ${ct}` : `match on ${onlyKey(left) ?? '?'}`);
}

type Verdict = Pick<NetfilterRule, 'verdict' | 'target'>;

/** `{"accept": null}`, `{"jump": {"target": "x"}}` → a verdict; undefined for a statement. */
function verdictOf(e: unknown): Verdict | undefined {
  const key = onlyKey(e);
  if (!isRecord(e) || key === undefined) return undefined;
  if (key === 'accept' || key === 'drop' || key === 'return') return { verdict: key };
  if (key === 'reject') return { verdict: 'reject' };
  if (key === 'jump' || key === 'goto') {
    const body = e[key];
    const target = isRecord(body) ? str(body['target']) : undefined;
    return target === undefined ? undefined : { verdict: key, target };
  }
  return undefined;
}

/** Renders a reduced rule the way `nft list ruleset` would print its conditions. */
export function renderNftRule(rule: Omit<NetfilterRule, 'text'>, comment?: string): string {
  const parts: string[] = [];
  const not = (negated: boolean | undefined) => (negated ? '!= ' : '');
  if (rule.inInterface !== undefined) parts.push(`iifname ${not(rule.inInterfaceNegated)}${rule.inInterface}`);
  if (rule.ctStates !== undefined) parts.push(`ct state ${rule.ctStates.join(',')}`);
  if (rule.sources !== undefined) parts.push(`${rule.ipVersion === 6 ? 'ip6' : 'ip'} saddr ${not(rule.sourcesNegated)}${rule.sources.join(',')}`);
  else if (rule.ipVersion !== undefined) parts.push(`meta nfproto ipv${rule.ipVersion}`);
  const protocols = rule.protocols ?? [];
  if (rule.dports !== undefined) {
    const proto = protocols.length === 1 ? protocols[0] : protocols.length === 0 ? 'th' : `meta l4proto {${protocols.join(',')}} th`;
    parts.push(`${proto} dport ${not(rule.dportsNegated)}${rangesText(rule.dports)}`);
  } else if (protocols.length > 0) {
    parts.push(`meta l4proto ${protocols.join(',')}`);
  }
  for (const u of rule.unknown ?? []) parts.push(`<${u}>`);
  parts.push(rule.verdict === 'jump' || rule.verdict === 'goto' ? `${rule.verdict} ${rule.target ?? '?'}` : rule.verdict === 'continue' ? 'counter' : rule.verdict);
  if (comment !== undefined) parts.push(`comment "${comment}"`);
  return parts.join(' ');
}

/** One rule's expressions → one reduced rule, or several for a verdict map (`tcp dport vmap {...}`). */
function parseRuleExprs(exprs: unknown[], scope: Scope, comment: string | undefined): { rules: NetfilterRule[]; xt: boolean } {
  const c: Conditions = {};
  let xt = false;
  let verdict: Verdict | undefined;
  const finish = (v: Verdict, extra: Conditions): NetfilterRule => {
    const merged: Omit<NetfilterRule, 'text'> = { ...c, ...extra, ...v };
    if (c.unknown || extra.unknown) merged.unknown = [...(c.unknown ?? []), ...(extra.unknown ?? [])];
    return { ...merged, text: renderNftRule(merged, comment) };
  };
  for (const e of exprs) {
    const key = onlyKey(e);
    if (!isRecord(e) || key === undefined) continue;
    const body = e[key];
    if (key === 'match' && isRecord(body)) {
      applyMatch(body, c, scope);
      continue;
    }
    const v = verdictOf(e);
    if (v) {
      verdict = v;
      break;
    }
    if (key === 'vmap' && isRecord(body)) {
      // A verdict map: each element is its own rule; a packet matching no element goes on.
      const keyExpr = body['key'];
      const data = isRecord(body['data']) ? body['data']['set'] : undefined;
      const rules: NetfilterRule[] = [];
      for (const entry of Array.isArray(data) ? data : []) {
        if (!Array.isArray(entry) || entry.length !== 2) continue;
        const v2 = verdictOf(entry[1]);
        if (!v2) continue;
        const extra: Conditions = {};
        applyMatch({ op: '==', left: keyExpr, right: entry[0] }, extra, scope);
        rules.push(finish(v2, extra));
      }
      return { rules, xt };
    }
    if (key === 'xt' && isRecord(body)) {
      xt = true;
      const name = str(body['name']) ?? '?';
      if (body['type'] === 'target') {
        if (name === 'REJECT') verdict = { verdict: 'reject' };
        else if (name !== 'LOG') (c.unknown ??= []).push(`xt target ${name}`);
        if (verdict) break;
      } else {
        (c.unknown ??= []).push(`xt ${name}`);
      }
      continue;
    }
    if (key === 'queue') {
      // handed to a userspace program (an IPS) that decides: assume it may accept
      (c.unknown ??= []).push('queue');
      verdict = { verdict: 'accept' };
      break;
    }
    if (key === 'limit' && isRecord(body) && body['inv'] === true) {
      // `limit rate over N drop` drops only the excess: it does not close the port
      (c.unknown ??= []).push('limit rate over');
      continue;
    }
    if (key === 'meter') (c.unknown ??= []).push('meter');
    // counter, log, limit (under the rate it matches), quota, nat and mangle statements: no verdict
  }
  return { rules: [finish(verdict ?? { verdict: 'continue' }, {})], xt };
}

/** Parse `nft -j list ruleset`. Unreadable JSON fails the parse (unknown, never pass). */
export function parseNftRuleset(text: string): ProbeResult<NftRuleset> {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    const first = text.trim().split('\n')[0] ?? '';
    return { ok: false, reason: 'failed', detail: `nft -j output is not JSON: ${first === '' ? '(empty)' : first.slice(0, 120)}` };
  }
  const items = isRecord(root) ? root['nftables'] : undefined;
  if (!Array.isArray(items)) return { ok: false, reason: 'failed', detail: 'nft -j output has no "nftables" array' };

  const tables: string[] = [];
  const sets = new Map<string, Map<string, unknown[]>>();
  const chains = new Map<string, NetfilterChain>();
  const xtTables = new Set<string>();
  let version: string | undefined;
  const tableKey = (o: Json) => `${str(o['family']) ?? '?'} ${str(o['table']) ?? str(o['name']) ?? '?'}`;

  for (const item of items) {
    const key = onlyKey(item);
    if (!isRecord(item) || key === undefined) continue;
    const o = item[key];
    if (!isRecord(o)) continue;
    if (key === 'metainfo') version = str(o['version']);
    else if (key === 'table') tables.push(tableKey(o));
    else if (key === 'set' || key === 'map') {
      const t = tableKey(o);
      const elem = Array.isArray(o['elem']) ? (o['elem'] as unknown[]) : [];
      const byName = sets.get(t) ?? new Map<string, unknown[]>();
      byName.set(str(o['name']) ?? '?', elem);
      sets.set(t, byName);
    } else if (key === 'chain') {
      const family = str(o['family']) ?? '';
      if (!FAMILIES.has(family)) continue;
      const chain: NetfilterChain = {
        origin: 'nft',
        family: family as NetfilterFamily,
        table: str(o['table']) ?? '?',
        name: str(o['name']) ?? '?',
        rules: [],
      };
      const hook = str(o['hook']);
      if (hook !== undefined) {
        chain.hook = hook;
        const type = str(o['type']);
        if (type !== undefined) chain.type = type;
        // A base chain without a policy accepts (nft(8), "CHAINS": policy defaults to accept).
        chain.policy = o['policy'] === 'drop' ? 'drop' : 'accept';
      }
      chains.set(`${tableKey(o)} ${chain.name}`, chain);
    }
  }
  for (const item of items) {
    if (!isRecord(item) || !isRecord(item['rule'])) continue;
    const o = item['rule'];
    const family = str(o['family']) ?? '';
    if (!FAMILIES.has(family)) continue;
    const t = tableKey(o);
    const chainName = str(o['chain']) ?? '?';
    let chain = chains.get(`${t} ${chainName}`);
    if (!chain) {
      chain = { origin: 'nft', family: family as NetfilterFamily, table: str(o['table']) ?? '?', name: chainName, rules: [] };
      chains.set(`${t} ${chainName}`, chain);
    }
    const scope: Scope = { family: chain.family, table: chain.table, sets: sets.get(t) ?? new Map() };
    const { rules, xt } = parseRuleExprs(Array.isArray(o['expr']) ? (o['expr'] as unknown[]) : [], scope, str(o['comment']));
    if (xt) xtTables.add(t);
    chain.rules.push(...rules);
  }
  return { ok: true, value: { chains: [...chains.values()], tables, xtTables: [...xtTables], ...(version !== undefined ? { version } : {}) } };
}
