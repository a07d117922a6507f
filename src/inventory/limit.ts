/**
 * `--limit` patterns as Ansible writes them (docs/docsite/rst/inventory_guide/intro_patterns.rst):
 * terms separated by `:` or `,`; a term is a host or group name, `all` or `*`, a wildcard
 * (`web*`, `*.example.com`), or a regex after `~`. `&term` intersects, `!term` excludes; plain
 * terms are unioned first, then intersections, then exclusions, whatever their order.
 */
import { UsageError } from '../engine/errors.js';
import { hostGroups, type Inventory } from './parse.js';

function termHosts(inv: Inventory, term: string, order: readonly string[]): Set<string> {
  if (term === 'all' || term === '*') return new Set(order);
  const byGroup = (name: string) => order.filter((h) => hostGroups(inv, h).some((g) => g.name === name));
  if (term.startsWith('~')) {
    let re: RegExp;
    try {
      re = new RegExp(term.slice(1));
    } catch {
      throw new UsageError(`--limit: invalid regular expression "${term.slice(0, 60)}"`);
    }
    const groups = [...inv.groups.keys()].filter((g) => re.test(g));
    return new Set([...order.filter((h) => re.test(h)), ...groups.flatMap(byGroup)]);
  }
  if (/[*?]/.test(term)) {
    const re = new RegExp(`^${term.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
    const groups = [...inv.groups.keys()].filter((g) => re.test(g));
    return new Set([...order.filter((h) => re.test(h)), ...groups.flatMap(byGroup)]);
  }
  if (inv.groups.has(term)) return new Set(byGroup(term));
  if (inv.hosts.has(term)) return new Set([term]);
  return new Set();
}

/**
 * The hosts a pattern selects, in inventory order. A term that matches nothing is an error (exit
 * 2) naming it, so a typo never silently assesses nothing.
 */
export function applyLimit(inv: Inventory, pattern: string | undefined): string[] {
  const order = [...inv.hosts.keys()];
  if (pattern === undefined || pattern.trim() === '') return order;
  // `:` separates terms, except inside a `~regex` or an IPv6 address; Ansible prefers `,` there
  const terms = (pattern.includes(',') ? pattern.split(',') : pattern.split(':')).map((t) => t.trim()).filter((t) => t !== '');
  let selected = new Set<string>();
  const intersect: Set<string>[] = [];
  const exclude: Set<string>[] = [];
  for (const t of terms) {
    const kind = t.startsWith('&') ? '&' : t.startsWith('!') ? '!' : '';
    const name = kind === '' ? t : t.slice(1);
    const hosts = termHosts(inv, name, order);
    if (hosts.size === 0 && kind !== '!') throw new UsageError(`--limit: "${name.slice(0, 60)}" matches no host or group in ${inv.file}`);
    if (kind === '&') intersect.push(hosts);
    else if (kind === '!') exclude.push(hosts);
    else selected = new Set([...selected, ...hosts]);
  }
  if (terms.every((t) => t.startsWith('&') || t.startsWith('!'))) selected = new Set(order);
  return order.filter((h) => selected.has(h) && intersect.every((s) => s.has(h)) && !exclude.some((s) => s.has(h)));
}
