/**
 * What the input hook does with a new TCP connection from an arbitrary internet address, per
 * IP version, worked out from the reduced chains (nft-json.ts, iptables-s.ts).
 *
 * Netfilter semantics this follows (nft(8) "CHAINS", "VERDICT STATEMENT"; iptables(8) "TARGETS"):
 * - every base chain on the input hook sees the packet, in priority order; `accept` ends only
 *   the chain it is in, while `drop`/`reject` are final — so a port is open only when every
 *   input base chain accepts it;
 * - rules are tried in order, first verdict wins; `jump` returns after the target chain,
 *   `goto` does not; falling off a base chain applies its policy.
 * An unreadable condition "may match": the rule is tried both ways and the more open outcome
 * kept, so unknowns can only make a port look open, never closed.
 */
import type { NetfilterChain, NetfilterInputView, NetfilterRule, PortRange } from '../../../facts/host.js';
import { covers, mergeRanges } from './ports.js';

type Exposure = NetfilterInputView['otherTcp'];
const RANK: Readonly<Record<Exposure, number>> = { blocked: 0, restricted: 1, open: 2 };
const moreOpen = (a: Exposure, b: Exposure): Exposure => (RANK[a] >= RANK[b] ? a : b);

/** Does the rule match a new TCP connection to `port` over IP `version` from any address on a public interface? */
function matches(rule: NetfilterRule, port: number, version: 4 | 6): 'no' | 'yes' | 'some-sources' | 'maybe' {
  if (rule.ipVersion !== undefined && rule.ipVersion !== version) return 'no';
  if (rule.ctStates !== undefined && !rule.ctStates.includes('new')) return 'no';
  if (rule.inInterface === 'lo' && rule.inInterfaceNegated !== true) return 'no';
  if (rule.protocols !== undefined && !rule.protocols.includes('tcp')) return 'no';
  if (rule.dports !== undefined && covers(rule.dports, port) === (rule.dportsNegated === true)) return 'no';
  // a rule limited to some source addresses never opens a port to everyone, whatever else it says
  if (rule.sources !== undefined && rule.sourcesNegated !== true) return 'some-sources';
  if (rule.unknown !== undefined && rule.unknown.length > 0) return 'maybe';
  return 'yes';
}

interface Frame {
  chain: NetfilterChain;
  index: number;
}

/** Guards against pathological rulesets (nft refuses jump loops; iptables-restore too). */
const MAX_DEPTH = 32;
const MAX_STEPS = 200_000;

/** Evaluates one base chain for one port. */
function evaluateBaseChain(base: NetfilterChain, byName: ReadonlyMap<string, NetfilterChain>, port: number, version: 4 | 6): Exposure {
  let steps = 0;
  const ids = new Map<NetfilterChain, number>();
  const idOf = (c: NetfilterChain) => ids.get(c) ?? (ids.set(c, ids.size), ids.size - 1);
  // The outcome depends only on where we are (the call stack) and whether some source was accepted.
  const memo = new Map<string, Exposure>();
  const finalDrop = (restricted: boolean): Exposure => (restricted ? 'restricted' : 'blocked');
  const run = (frames: readonly Frame[], restricted: boolean): Exposure => {
    const key = `${restricted ? 1 : 0}|${frames.map((f) => `${idOf(f.chain)}:${f.index}`).join('/')}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    const result = step(frames, restricted);
    memo.set(key, result);
    return result;
  };
  const step = (frames: readonly Frame[], restricted: boolean): Exposure => {
    // a ruleset too big to follow counts as open: unknown is never closed
    if (++steps > MAX_STEPS) return 'open';
    const top = frames.at(-1);
    if (!top) return base.policy === 'drop' ? finalDrop(restricted) : 'open';
    const rule = top.chain.rules[top.index];
    // end of a chain: back to the caller (or to the base chain's policy)
    if (!rule) return run(frames.slice(0, -1), restricted);
    const next = [...frames.slice(0, -1), { chain: top.chain, index: top.index + 1 }];
    const m = matches(rule, port, version);
    if (m === 'no' || rule.verdict === 'continue') return run(next, restricted);
    const enter = (afterCall: readonly Frame[]): Exposure => {
      const target = rule.target === undefined ? undefined : byName.get(rule.target);
      if (!target || frames.length >= MAX_DEPTH) return run(next, restricted);
      return run([...afterCall, { chain: target, index: 0 }], restricted);
    };
    const take = (): Exposure => {
      switch (rule.verdict) {
        case 'accept':
          return 'open';
        case 'drop':
        case 'reject':
          return finalDrop(restricted);
        case 'return':
          return run(frames.slice(0, -1), restricted);
        case 'jump':
          return enter(next);
        case 'goto':
          return enter(frames.slice(0, -1));
        default:
          return run(next, restricted);
      }
    };
    if (m === 'some-sources') {
      // Accepted from some addresses only: remember it, and go on for everyone else.
      const acceptsSome = rule.verdict === 'accept' || ((rule.verdict === 'jump' || rule.verdict === 'goto') && take() !== 'blocked');
      return run(next, restricted || acceptsSome);
    }
    if (m === 'maybe') return moreOpen(take(), run(next, restricted));
    return take();
  };
  return run([{ chain: base, index: 0 }], false);
}

/** The chains a base chain reaches through jump/goto, itself included. */
function reachable(base: NetfilterChain, byName: ReadonlyMap<string, NetfilterChain>): NetfilterChain[] {
  const seen = new Set<NetfilterChain>([base]);
  const queue = [base];
  while (queue.length > 0) {
    const c = queue.shift();
    for (const r of c?.rules ?? []) {
      const t = r.target === undefined ? undefined : byName.get(r.target);
      if (t && !seen.has(t)) {
        seen.add(t);
        queue.push(t);
      }
    }
  }
  return [...seen];
}

const tableKey = (c: NetfilterChain) => `${c.origin === 'ip6tables' ? 'ip6' : c.family} ${c.table}`;

/** `inet filter input`, `ip filter INPUT` */
export function chainLabel(c: NetfilterChain): string {
  return `${c.family} ${c.table} ${c.name}`;
}

/** The input filter base chains that see packets of IP `version`. */
export function inputChains(chains: readonly NetfilterChain[], version: 4 | 6): NetfilterChain[] {
  const families = version === 4 ? ['ip', 'inet'] : ['ip6', 'inet'];
  return chains.filter((c) => c.hook === 'input' && (c.type === undefined || c.type === 'filter') && families.includes(c.family));
}

/** The input view for one IP version. */
export function inputView(chains: readonly NetfilterChain[], version: 4 | 6): NetfilterInputView {
  const bases = inputChains(chains, version);
  const scopes = bases.map((base) => {
    const byName = new Map(chains.filter((c) => tableKey(c) === tableKey(base)).map((c) => [c.name, c]));
    return { base, byName, reach: reachable(base, byName) };
  });
  const rules = scopes.flatMap((s) => s.reach.flatMap((c) => c.rules));
  const exposureOf = (port: number): Exposure =>
    scopes.reduce<Exposure>((acc, s) => {
      const e = evaluateBaseChain(s.base, s.byName, port, version);
      // every base chain must let it through: the most closed answer wins
      return RANK[e] < RANK[acc] ? e : acc;
    }, 'open');

  // Ports split into segments at every boundary a rule names; one port stands for its segment.
  const named = mergeRanges(rules.flatMap((r) => r.dports ?? []));
  const bounds = new Set<number>([1, 65536]);
  for (const r of rules) for (const d of r.dports ?? []) bounds.add(Math.max(1, d.from)).add(d.to + 1);
  const sorted = [...bounds].filter((b) => b >= 1 && b <= 65536).sort((a, b) => a - b);
  const open: PortRange[] = [];
  const restricted: PortRange[] = [];
  let other: Exposure | undefined;
  let widest: { size: number; exposure: Exposure } | undefined;
  for (let i = 0; i + 1 < sorted.length; i++) {
    const from = sorted[i] ?? 1;
    const to = (sorted[i + 1] ?? 65536) - 1;
    const e = exposureOf(from);
    if (e === 'open') open.push({ from, to });
    else if (e === 'restricted') restricted.push({ from, to });
    if (other === undefined && !covers(named, from)) other = e;
    if (!widest || to - from + 1 > widest.size) widest = { size: to - from + 1, exposure: e };
  }
  return {
    chains: bases.map(chainLabel),
    policy: bases.some((b) => b.policy === 'drop') ? 'drop' : 'accept',
    rules: rules.length,
    openTcp: mergeRanges(open),
    restrictedTcp: mergeRanges(restricted),
    // every port named by some rule: the widest segment stands for "the rest"
    otherTcp: other ?? widest?.exposure ?? 'open',
  };
}
