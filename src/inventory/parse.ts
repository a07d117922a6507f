/**
 * Ansible inventories (INI and YAML), as Ansible's own `ini` and `yaml` inventory plugins read
 * them: groups, `:children`, `:vars`, the implicit `all` and `ungrouped`, host ranges
 * (`www[01:50:2].example.com`, `db-[a:f]`), `host:port`, and host and group variables merged to
 * the host in Ansible's order (all < parent group < child group < host; groups of one depth in
 * name order). Source: Ansible's "How to build your inventory" (docs/docsite/rst/inventory_guide/
 * intro_inventory.rst). Anything else is an {@link InventoryError} naming file:line.
 */
import { UsageError } from '../engine/errors.js';

/** Bad inventory input (exit 2), always naming file:line. */
export class InventoryError extends UsageError {}

export type Vars = Record<string, unknown>;

interface Group {
  name: string;
  hosts: Set<string>;
  children: Set<string>;
  vars: Vars;
}

/** The inventory as read: groups with their direct hosts and children, host vars. */
export interface Inventory {
  file: string;
  groups: Map<string, Group>;
  /** host name → its own vars, in file order */
  hosts: Map<string, Vars>;
  /** where each host was first defined (for messages) */
  where: Map<string, number>;
}

function newInventory(file: string): Inventory {
  const inv: Inventory = { file, groups: new Map(), hosts: new Map(), where: new Map() };
  group(inv, 'all');
  group(inv, 'ungrouped');
  return inv;
}

function group(inv: Inventory, name: string): Group {
  let g = inv.groups.get(name);
  if (!g) {
    g = { name, hosts: new Set(), children: new Set(), vars: {} };
    inv.groups.set(name, g);
  }
  return g;
}

function addHost(inv: Inventory, groupName: string, host: string, vars: Vars, line: number): void {
  if (!inv.hosts.has(host)) {
    inv.hosts.set(host, {});
    inv.where.set(host, line);
  }
  Object.assign(inv.hosts.get(host)!, vars);
  group(inv, groupName).hosts.add(host);
}

const GROUP_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/**
 * Expands one host pattern with at most several `[beg:end(:step)]` ranges. `beg` may be empty (0)
 * and sets the zero-padding width; letters expand alphabetically.
 */
export function expandHostPattern(pattern: string, where: string): string[] {
  const m = /^(.*?)\[([^\]]*)\](.*)$/.exec(pattern);
  if (!m) return [pattern];
  const [, head = '', range = '', tail = ''] = m;
  const parts = range.split(':');
  if (parts.length < 2 || parts.length > 3) throw new InventoryError(`${where}: invalid host range "[${range}]" (expected [beg:end] or [beg:end:step])`);
  const [beg = '', end = '', stepText] = parts;
  const step = stepText === undefined || stepText === '' ? 1 : Number(stepText);
  if (!Number.isInteger(step) || step < 1) throw new InventoryError(`${where}: invalid step in host range "[${range}]"`);
  const values: string[] = [];
  if (/^[a-zA-Z]$/.test(end) && (beg === '' || /^[a-zA-Z]$/.test(beg))) {
    const from = (beg === '' ? 'a' : beg).charCodeAt(0);
    const to = end.charCodeAt(0);
    if (from > to) throw new InventoryError(`${where}: host range "[${range}]" runs backwards`);
    for (let c = from; c <= to; c += step) values.push(String.fromCharCode(c));
  } else if (/^\d*$/.test(beg) && /^\d+$/.test(end)) {
    const from = beg === '' ? 0 : Number(beg);
    const to = Number(end);
    if (from > to) throw new InventoryError(`${where}: host range "[${range}]" runs backwards`);
    if ((to - from) / step > 10_000) throw new InventoryError(`${where}: host range "[${range}]" has more than 10000 hosts`);
    const width = beg.length > 1 && beg.startsWith('0') ? beg.length : 0;
    for (let n = from; n <= to; n += step) values.push(String(n).padStart(width, '0'));
  } else {
    throw new InventoryError(`${where}: invalid host range "[${range}]" (numbers or single letters)`);
  }
  return values.flatMap((v) => expandHostPattern(`${head}${v}${tail}`, where));
}

/** Splits `name[:port]`; IPv6 addresses and bracketed ranges keep their colons. */
function hostAndPort(token: string, where: string): { pattern: string; port?: number } {
  const m = /^(.*[^:\]]|.*\]):(\d+)$/.exec(token);
  // a colon inside [..] is a range; more than one colon outside brackets is IPv6
  const outside = token.replace(/\[[^\]]*\]/g, '');
  if (m && (outside.match(/:/g) ?? []).length === 1) {
    const port = Number(m[2]);
    if (port < 1 || port > 65535) throw new InventoryError(`${where}: invalid port ${m[2]}`);
    return { pattern: m[1]!, port };
  }
  return { pattern: token };
}

/** Python-shlex-like split of an INI host line (quotes, backslash escapes, `#` comments). */
function shlex(line: string, where: string): string[] {
  const out: string[] = [];
  let cur = '';
  let have = false;
  let q: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (q) {
      if (c === q) q = null;
      else if (c === '\\' && q === '"' && i + 1 < line.length) cur += line[++i];
      else cur += c;
    } else if (c === '"' || c === "'") {
      q = c;
      have = true;
    } else if (c === '\\' && i + 1 < line.length) {
      cur += line[++i];
      have = true;
    } else if (c === '#') {
      break;
    } else if (/\s/.test(c)) {
      if (have) out.push(cur);
      cur = '';
      have = false;
    } else {
      cur += c;
      have = true;
    }
  }
  if (q) throw new InventoryError(`${where}: unterminated quote`);
  if (have) out.push(cur);
  return out;
}

/** Inline INI values are Python literals: numbers and True/False become numbers and booleans. */
function iniLiteral(v: string): unknown {
  if (/^-?\d+$/.test(v)) return Number(v);
  if (v === 'True' || v === 'true') return true;
  if (v === 'False' || v === 'false') return false;
  return v;
}

/** Ansible's INI inventory format. */
export function parseIniInventory(text: string, file: string): Inventory {
  const inv = newInventory(file);
  let section: { kind: 'hosts' | 'children' | 'vars'; group: string } = { kind: 'hosts', group: 'ungrouped' };
  const pendingChildren: { parent: string; child: string; line: number }[] = [];
  const lines = text.split(/\r?\n/);
  for (const [i, raw] of lines.entries()) {
    const lineNo = i + 1;
    const where = `${file}:${lineNo}`;
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    if (line.startsWith('[')) {
      const m = /^\[([^\]:\s]+)(?::(\w+))?\]\s*(?:[#;].*)?$/.exec(line);
      if (!m) throw new InventoryError(`${where}: invalid section header "${line.slice(0, 60)}" (expected [group], [group:vars] or [group:children])`);
      const [, name = '', kind] = m;
      if (!GROUP_NAME.test(name)) throw new InventoryError(`${where}: invalid group name "${name}"`);
      if (kind !== undefined && kind !== 'vars' && kind !== 'children') throw new InventoryError(`${where}: unknown section type ":${kind}" (expected :vars or :children)`);
      section = { kind: kind === 'vars' ? 'vars' : kind === 'children' ? 'children' : 'hosts', group: name };
      group(inv, name);
      continue;
    }
    if (section.kind === 'vars') {
      const eq = line.indexOf('=');
      if (eq <= 0) throw new InventoryError(`${where}: expected key=value in [${section.group}:vars]`);
      const key = line.slice(0, eq).trim();
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new InventoryError(`${where}: invalid variable name "${key.slice(0, 40)}"`);
      let value = line.slice(eq + 1).trim();
      if (/^(['"]).*\1$/.test(value)) value = value.slice(1, -1);
      // [group:vars] values are strings (intro_inventory.rst, "Defining variables in INI format")
      group(inv, section.group).vars[key] = value;
      continue;
    }
    if (section.kind === 'children') {
      const [child, ...extra] = shlex(line, where);
      if (child === undefined || extra.length > 0 || !GROUP_NAME.test(child)) throw new InventoryError(`${where}: expected one group name in [${section.group}:children]`);
      pendingChildren.push({ parent: section.group, child, line: lineNo });
      continue;
    }
    const [token, ...assignments] = shlex(line, where);
    if (token === undefined) continue;
    const { pattern, port } = hostAndPort(token, where);
    if (!/^[A-Za-z0-9_[\]:.-]+$/.test(pattern)) throw new InventoryError(`${where}: invalid host "${token.slice(0, 60)}"`);
    const vars: Vars = port !== undefined ? { ansible_port: port } : {};
    for (const a of assignments) {
      const eq = a.indexOf('=');
      if (eq <= 0) throw new InventoryError(`${where}: expected key=value after the host name, got "${a.slice(0, 40)}"`);
      const key = a.slice(0, eq);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new InventoryError(`${where}: invalid variable name "${key.slice(0, 40)}"`);
      vars[key] = iniLiteral(a.slice(eq + 1));
    }
    for (const host of expandHostPattern(pattern, where)) addHost(inv, section.group, host, vars, lineNo);
  }
  for (const { parent, child, line } of pendingChildren) {
    if (child === 'all') throw new InventoryError(`${file}:${line}: "all" cannot be a child group`);
    group(inv, child);
    group(inv, parent).children.add(child);
  }
  return finish(inv);
}

interface YamlPos {
  line(node: unknown): number;
}

/** Ansible's YAML inventory format (the `yaml` plugin): groups with hosts, vars and children. */
export async function parseYamlInventory(text: string, file: string): Promise<Inventory> {
  const { parseDocument, LineCounter, isMap, isScalar, isPair } = await import('yaml');
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw new InventoryError(`${file}:${e.linePos?.[0]?.line ?? 1}: YAML: ${e.message.split('\n')[0]}`);
  }
  const pos: YamlPos = {
    line: (node) => {
      const range = (node as { range?: [number, number, number] } | null)?.range;
      return range ? lc.linePos(range[0]).line : 1;
    },
  };
  const inv = newInventory(file);
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) return finish(inv);
  if (!isMap(root)) throw new InventoryError(`${file}:${pos.line(root)}: expected a mapping of group names at the top`);
  const keyName = (pair: unknown): { name: string; line: number } => {
    const key = isPair(pair) ? pair.key : null;
    const name = isScalar(key) ? String(key.value) : '';
    return { name, line: pos.line(key) };
  };
  const readGroup = (name: string, node: unknown, line: number, depth: number): void => {
    if (depth > 50) throw new InventoryError(`${file}:${line}: groups nested too deep (a cycle?)`);
    if (!GROUP_NAME.test(name)) throw new InventoryError(`${file}:${line}: invalid group name "${name.slice(0, 60)}"`);
    group(inv, name);
    if (node === null || node === undefined || (isScalar(node) && node.value === null)) return;
    if (!isMap(node)) throw new InventoryError(`${file}:${pos.line(node)}: group "${name}": expected a mapping with hosts, vars or children`);
    for (const item of node.items) {
      const k = keyName(item);
      const value = item.value;
      const empty = value === null || (isScalar(value) && value.value === null);
      switch (k.name) {
        case 'hosts': {
          if (empty) break;
          if (!isMap(value)) throw new InventoryError(`${file}:${pos.line(value)}: group "${name}": hosts must be a mapping of host names`);
          for (const h of value.items) {
            const hk = keyName(h);
            const hv = h.value;
            let vars: Vars = {};
            if (hv !== null && !(isScalar(hv) && hv.value === null)) {
              if (!isMap(hv)) throw new InventoryError(`${file}:${pos.line(hv)}: host "${hk.name}": variables must be a mapping`);
              vars = hv.toJSON() as Vars;
            }
            const { pattern, port } = hostAndPort(hk.name, `${file}:${hk.line}`);
            if (!/^[A-Za-z0-9_[\]:.-]+$/.test(pattern)) throw new InventoryError(`${file}:${hk.line}: invalid host "${hk.name.slice(0, 60)}"`);
            for (const host of expandHostPattern(pattern, `${file}:${hk.line}`)) addHost(inv, name, host, { ...(port !== undefined ? { ansible_port: port } : {}), ...vars }, hk.line);
          }
          break;
        }
        case 'vars':
          if (empty) break;
          if (!isMap(value)) throw new InventoryError(`${file}:${pos.line(value)}: group "${name}": vars must be a mapping`);
          Object.assign(group(inv, name).vars, value.toJSON() as Vars);
          break;
        case 'children':
          if (empty) break;
          if (!isMap(value)) throw new InventoryError(`${file}:${pos.line(value)}: group "${name}": children must be a mapping of group names`);
          for (const c of value.items) {
            const ck = keyName(c);
            if (ck.name === 'all') throw new InventoryError(`${file}:${ck.line}: "all" cannot be a child group`);
            group(inv, name).children.add(ck.name);
            readGroup(ck.name, c.value, ck.line, depth + 1);
          }
          break;
        default:
          throw new InventoryError(`${file}:${k.line}: group "${name}": unknown key "${k.name.slice(0, 40)}" (expected hosts, vars or children)`);
      }
    }
  };
  for (const item of root.items) {
    const k = keyName(item);
    readGroup(k.name, item.value, k.line, 0);
  }
  return finish(inv);
}

/** Every group except `all` is a child of `all`; `ungrouped` holds hosts in no other group. */
function finish(inv: Inventory): Inventory {
  // cycles: a group reachable from itself
  const visiting = new Set<string>();
  const done = new Set<string>();
  const visit = (name: string): void => {
    if (done.has(name)) return;
    if (visiting.has(name)) throw new InventoryError(`${inv.file}: group "${name}" is its own descendant (circular children)`);
    visiting.add(name);
    for (const c of inv.groups.get(name)?.children ?? []) visit(c);
    visiting.delete(name);
    done.add(name);
  };
  for (const name of inv.groups.keys()) visit(name);
  const all = inv.groups.get('all')!;
  for (const name of inv.groups.keys()) if (name !== 'all' && !isChildOfAny(inv, name)) all.children.add(name);
  const ungrouped = inv.groups.get('ungrouped')!;
  for (const host of inv.hosts.keys()) {
    const member = [...inv.groups.values()].some((g) => g.name !== 'all' && g.name !== 'ungrouped' && g.hosts.has(host));
    if (member) ungrouped.hosts.delete(host);
    else ungrouped.hosts.add(host);
  }
  all.hosts.clear();
  return inv;
}

function isChildOfAny(inv: Inventory, name: string): boolean {
  for (const g of inv.groups.values()) if (g.name !== 'all' && g.children.has(name)) return true;
  return false;
}

/** The groups a host belongs to (directly or through children), with their depth below `all`. */
export function hostGroups(inv: Inventory, host: string): { name: string; depth: number }[] {
  const depth = new Map<string, number>();
  const walk = (name: string, d: number): boolean => {
    const g = inv.groups.get(name);
    if (!g) return false;
    let member = g.hosts.has(host);
    for (const c of g.children) if (walk(c, d + 1)) member = true;
    if (member || name === 'all') depth.set(name, Math.max(depth.get(name) ?? 0, d));
    return member;
  };
  walk('all', 0);
  return [...depth.entries()].map(([name, d]) => ({ name, depth: d }));
}

/** A host's variables, merged like Ansible: all, then deeper groups (name order within a depth), then the host. */
export function hostVars(inv: Inventory, host: string): Vars {
  const groups = hostGroups(inv, host).sort((a, b) => a.depth - b.depth || a.name.localeCompare(b.name));
  const out: Vars = {};
  for (const g of groups) Object.assign(out, inv.groups.get(g.name)?.vars ?? {});
  return Object.assign(out, inv.hosts.get(host) ?? {});
}

/** Reads an inventory: YAML when the name ends in .yml/.yaml (or the text starts like YAML), else INI. */
export async function parseInventory(text: string, file: string): Promise<Inventory> {
  const yamlish = /\.ya?ml$/i.test(file) || /^(?:---\s*$|[A-Za-z0-9_.-]+:\s*$)/m.test(text.split('\n').find((l) => l.trim() !== '' && !l.trim().startsWith('#')) ?? '');
  return yamlish ? parseYamlInventory(text, file) : parseIniInventory(text, file);
}
