/**
 * Reader for `iptables -S` / `ip6tables -S`: the filter table in iptables-save rule syntax
 * (iptables(8), "-S, --list-rules"; match options in iptables-extensions(8)).
 *
 * ```
 * -P INPUT DROP
 * -N ufw-before-input
 * -A INPUT -i lo -j ACCEPT
 * -A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
 * -A INPUT -p tcp -m multiport --dports 80,443 -m comment --comment "web ports" -j ACCEPT
 * -A INPUT -s 10.0.0.0/8 -p tcp -m tcp --dport 5432 -j ACCEPT
 * ```
 * Each rule is reduced like the nft reader does (see nft-json.ts); options it does not know are
 * kept in `unknown`, so they can make a port look open but never closed.
 */
import type { NetfilterChain, NetfilterRule, PortRange } from '../../../facts/host.js';
import type { ProbeResult } from '../../../engine/types.js';
import { mergeRanges, parsePortRange } from './ports.js';

/** Splits an iptables-save line into words; `"..."` groups words (comments), `\"` escapes a quote. */
export function splitWords(line: string): string[] {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] ?? '';
    if (quoted) {
      if (ch === '\\' && i + 1 < line.length) current += line[++i] ?? '';
      else if (ch === '"') quoted = false;
      else current += ch;
    } else if (ch === '"') {
      quoted = true;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(current);
  return words;
}

/** Built-in targets: verdicts, and targets that only log or mark (the next rule decides). */
const TARGET_VERDICTS: Readonly<Record<string, NetfilterRule['verdict']>> = {
  ACCEPT: 'accept',
  DROP: 'drop',
  REJECT: 'reject',
  RETURN: 'return',
  LOG: 'continue',
  NFLOG: 'continue',
  ULOG: 'continue',
  MARK: 'continue',
  CONNMARK: 'continue',
  CT: 'continue',
  NOTRACK: 'continue',
  TCPMSS: 'continue',
  AUDIT: 'continue',
};

/** Match modules whose options are read below, or that never narrow which ports a rule opens. */
const KNOWN_MODULES: ReadonlySet<string> = new Set(['tcp', 'udp', 'multiport', 'conntrack', 'state', 'comment', 'limit', 'icmp', 'icmp6', 'icmpv6']);
const CT_STATES = ['new', 'established', 'related', 'invalid', 'untracked'];

function portList(spec: string): PortRange[] | undefined {
  const ranges: PortRange[] = [];
  for (const part of spec.split(',')) {
    const r = parsePortRange(part);
    if (!r) return undefined;
    ranges.push(r);
  }
  return mergeRanges(ranges);
}

/** Reads the options of one `-A <chain> ...` line (after the chain name). */
function parseRuleWords(words: readonly string[], userChains: ReadonlySet<string>, text: string): NetfilterRule {
  const rule: NetfilterRule = { verdict: 'continue', text };
  const unknown = (what: string) => (rule.unknown ??= []).push(what);
  let i = 0;
  const next = () => words[++i] ?? '';
  while (i < words.length) {
    let word = words[i] ?? '';
    let negated = false;
    if (word === '!') {
      negated = true;
      word = next();
    }
    switch (word) {
      case '-p':
      case '--protocol': {
        const p = next().toLowerCase();
        const name = p === '6' ? 'tcp' : p === '17' ? 'udp' : p;
        if (negated) {
          if (name === 'tcp') rule.protocols = ['!tcp'];
        } else if (name !== 'all') rule.protocols = [name];
        break;
      }
      case '-s':
      case '--source':
        rule.sources = next().split(',');
        if (negated) rule.sourcesNegated = true;
        break;
      case '-i':
      case '--in-interface':
        rule.inInterface = next();
        if (negated) rule.inInterfaceNegated = true;
        break;
      case '-d':
      case '--destination':
      case '-o':
      case '--out-interface':
        // the destination address is the host itself on INPUT; the output interface is unset there
        next();
        break;
      case '-m':
      case '--match': {
        const module = next();
        if (!KNOWN_MODULES.has(module)) unknown(`-m ${module}`);
        break;
      }
      case '--dport':
      case '--destination-port':
      case '--dports':
      case '--destination-ports': {
        const spec = next();
        const ports = portList(spec);
        if (ports === undefined) unknown(`${word} ${spec}`);
        else {
          rule.dports = ports;
          if (negated) rule.dportsNegated = true;
        }
        break;
      }
      case '--ctstate':
      case '--state': {
        const states = next().toLowerCase().split(',');
        rule.ctStates = negated ? CT_STATES.filter((s) => !states.includes(s)) : states;
        break;
      }
      case '--tcp-flags':
        next();
        next();
        break;
      case '--comment':
      case '--icmp-type':
      case '--icmpv6-type':
      case '--limit':
      case '--limit-burst':
        next();
        break;
      case '--syn':
        break;
      case '-j':
      case '--jump':
      case '-g':
      case '--goto': {
        const target = next();
        const verdict = TARGET_VERDICTS[target];
        if (word === '-g' || word === '--goto') {
          rule.verdict = 'goto';
          rule.target = target;
        } else if (verdict !== undefined) {
          rule.verdict = verdict;
        } else if (userChains.has(target)) {
          rule.verdict = 'jump';
          rule.target = target;
        } else if (target === 'QUEUE' || target === 'NFQUEUE') {
          // a userspace program (an IPS) decides: assume it may accept
          rule.verdict = 'accept';
          unknown(`-j ${target}`);
        } else {
          unknown(`-j ${target}`);
        }
        // the rest of the line is the target's own options (`--reject-with tcp-reset`)
        return rule;
      }
      default:
        if (word.startsWith('-')) {
          // an option of a module we do not read (`-m recent --update --seconds 60`): keep it
          unknown(word);
          while (i + 1 < words.length && !(words[i + 1] ?? '').startsWith('-') && words[i + 1] !== '!') i++;
        } else {
          unknown(word);
        }
    }
    i++;
  }
  return rule;
}

/** The built-in chains of the filter table and their hooks. */
const BUILTIN_HOOKS: Readonly<Record<string, string>> = { INPUT: 'input', FORWARD: 'forward', OUTPUT: 'output' };

/**
 * Parse `iptables -S` (IPv4) or `ip6tables -S` (IPv6). A line that is neither a policy, a chain
 * nor a rule fails the parse; `#` lines (iptables-nft's legacy-tables warning) are skipped.
 */
export function parseIptablesS(text: string, origin: 'iptables' | 'ip6tables'): ProbeResult<NetfilterChain[]> {
  const family = origin === 'iptables' ? 'ip' : 'ip6';
  const chains = new Map<string, NetfilterChain>();
  const chainOf = (name: string): NetfilterChain => {
    let chain = chains.get(name);
    if (!chain) {
      const hook = BUILTIN_HOOKS[name];
      chain = { origin, family, table: 'filter', name, rules: [], ...(hook !== undefined ? { hook, type: 'filter', policy: 'accept' as const } : {}) };
      chains.set(name, chain);
    }
    return chain;
  };
  const lines = text.split('\n').map((l) => l.replace(/\r$/, '').trim()).filter((l) => l !== '' && !l.startsWith('#'));
  const userChains = new Set(lines.filter((l) => l.startsWith('-N ')).map((l) => l.slice(3).trim()));
  let sawPolicy = false;
  for (const line of lines) {
    const words = splitWords(line);
    const [op, name] = words;
    if (name === undefined) return { ok: false, reason: 'failed', detail: `unexpected ${origin} -S line: ${line}` };
    if (op === '-P') {
      sawPolicy = true;
      const policy = (words[2] ?? '').toUpperCase();
      chainOf(name).policy = policy === 'DROP' ? 'drop' : 'accept';
    } else if (op === '-N') {
      chainOf(name);
    } else if (op === '-A') {
      chainOf(name).rules.push(parseRuleWords(words.slice(2), userChains, line));
    } else {
      return { ok: false, reason: 'failed', detail: `unexpected ${origin} -S line: ${line}` };
    }
  }
  if (!sawPolicy) {
    return { ok: false, reason: 'failed', detail: `no "-P" policy line in ${origin} -S output: ${lines[0] ?? '(empty)'}` };
  }
  return { ok: true, value: [...chains.values()] };
}
