/**
 * rsyslog forwarding rules, in both configuration syntaxes rsyslog 8 accepts:
 *
 * - legacy selector actions: `*.* @@logs.example.net:514` (TCP), `*.* @logs.example.net` (UDP),
 *   `@(o)host` / `@(z9)host` options, `@[2001:db8::1]:514`, `:omrelp:host:port`, and the same
 *   after `&` or `if ... then` — https://www.rsyslog.com/doc/configuration/actions.html
 *   ("Remote Machine");
 * - RainerScript actions, possibly over several lines:
 *   `action(type="omfwd" target="logs.example.net" port="514" protocol="tcp")`, target pools
 *   (`target=["a", "b"]`), and the other network outputs omrelp, omhttp, omelasticsearch and
 *   omkafka — https://www.rsyslog.com/doc/configuration/modules/omfwd.html
 *
 * A forward to a loopback address is not shipping: the Azure Monitor Agent installs
 * `/etc/rsyslog.d/10-azuremonitoragent-omfwd.conf`, which forwards to the agent on 127.0.0.1
 * (older agents: `10-azuremonitoragent.conf` with omuxsock to a Unix socket) —
 * https://learn.microsoft.com/azure/azure-monitor/agents/azure-monitor-agent-troubleshoot-linux-vm-rsyslog
 */
import { posix } from 'node:path';
import type { LogOutput } from '../../../facts/monitoring.js';
import { hostPort, remoteHost } from './destination.js';

export interface RsyslogForwards {
  outputs: LogOutput[];
  problems: string[];
}

/** Network output modules: where each keeps its host and port parameters. */
const NETWORK_MODULES: Readonly<Record<string, { host: string; port?: string; defaultPort?: string }>> = {
  omfwd: { host: 'target', port: 'port', defaultPort: '514' },
  omrelp: { host: 'target', port: 'port', defaultPort: '514' },
  omhttp: { host: 'server', port: 'serverport', defaultPort: '443' },
  omelasticsearch: { host: 'server', port: 'serverport', defaultPort: '9200' },
  omkafka: { host: 'broker' },
};

/**
 * Replace comments with spaces (keeping newlines, so line numbers stay true): `#` to the end
 * of the line and `/* ... *\/`, both outside quoted strings.
 */
function blankComments(text: string): string {
  const out: string[] = [];
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (quote !== null) {
      out.push(c);
      if (c === '\\') {
        out.push(text[i + 1] ?? '');
        i++;
      } else if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      out.push(c);
    } else if (c === '#') {
      while (i < text.length && text[i] !== '\n') {
        out.push(' ');
        i++;
      }
      if (i < text.length) out.push('\n');
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      for (; i < stop; i++) out.push(text[i] === '\n' ? '\n' : ' ');
      i--;
    } else out.push(c);
  }
  return out.join('');
}

/** Replace quoted strings with spaces of the same length (newlines kept). */
function blankStrings(text: string): string {
  return text.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/gs, (m) => m.replace(/[^\n]/g, ' '));
}

const lineAt = (text: string, offset: number): number => text.slice(0, offset).split('\n').length;

/** The end (index after `)`) of a parenthesised block starting at `open` (the `(`), quotes and brackets respected. */
function closingParen(text: string, open: number): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (quote !== null) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

const unquote = (v: string): string => v.replace(/^"(.*)"$/s, '$1').replace(/^'(.*)'$/s, '$1');

/** `name="value"`, `name=value` and `name=["a", "b"]` parameters of an action(...) block. */
function actionParams(body: string): Map<string, string[]> {
  const params = new Map<string, string[]>();
  const re = /([A-Za-z][\w.]*)\s*=\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\[[^\]]*\]|[^\s)]+)/g;
  for (const m of body.matchAll(re)) {
    const name = (m[1] ?? '').toLowerCase();
    const raw = m[2] ?? '';
    const values = raw.startsWith('[')
      ? [...raw.slice(1, -1).matchAll(/"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([^\s,]+)/g)].map((v) => v[1] ?? v[2] ?? v[3] ?? '')
      : [unquote(raw)];
    params.set(name, values);
  }
  return params;
}

function amaNote(file: string): string | undefined {
  return posix.basename(file).startsWith('10-azuremonitoragent') ? 'forwards to the local Azure Monitor Agent' : undefined;
}

/** Parse one rsyslog configuration file for forwarding rules. `file` is used in the outputs. */
export function parseRsyslogForwards(text: string, file: string): RsyslogForwards {
  const outputs: LogOutput[] = [];
  const problems: string[] = [];
  const noComments = blankComments(text.replace(/\r\n/g, '\n'));
  let legacy = noComments;

  // RainerScript action(...) blocks, which may span lines.
  for (const m of noComments.matchAll(/\baction\s*\(/gi)) {
    const open = (m.index ?? 0) + m[0].length - 1;
    const close = closingParen(noComments, open);
    const line = lineAt(noComments, m.index ?? 0);
    if (close < 0) {
      problems.push(`${file}:${line}: action( without a closing parenthesis`);
      continue;
    }
    legacy = legacy.slice(0, m.index) + noComments.slice(m.index, close).replace(/[^\n]/g, ' ') + legacy.slice(close);
    const params = actionParams(noComments.slice(open + 1, close - 1));
    const type = (params.get('type')?.[0] ?? '').toLowerCase();
    if (type === 'omuxsock') {
      // A Unix socket is local by definition; the pre-1.28 Azure Monitor Agent received syslog this way.
      const note = amaNote(file) ?? 'Unix socket on this host';
      outputs.push({ type, destination: params.get('socket')?.[0] ?? '(socket)', remote: false, file, line, note });
      continue;
    }
    const mod = NETWORK_MODULES[type];
    if (!mod) continue; // omfile, omjournal, ...: local outputs
    const hosts = params.get(mod.host) ?? [];
    if (hosts.length === 0) {
      problems.push(`${file}:${line}: action(type="${type}") without ${mod.host}=`);
      continue;
    }
    const port = (mod.port ? params.get(mod.port)?.[0] : undefined) ?? mod.defaultPort;
    const protocol = type === 'omfwd' ? (params.get('protocol')?.[0] ?? 'udp').toLowerCase() : undefined;
    for (const host of hosts) {
      const note = remoteHost(host) ? undefined : amaNote(file);
      outputs.push({
        type: protocol ? `${type}/${protocol}` : type,
        destination: type === 'omkafka' ? host : hostPort(host, port),
        remote: remoteHost(host),
        file,
        line,
        ...(note ? { note } : {}),
      });
    }
  }

  // Legacy actions: `@host`, `@@host:port`, `@(o)host`, `:omrelp:host:port`, at the start of an
  // action (after the selector's white space, `&` or `then`). Strings are blanked first so a
  // template's text cannot look like an action.
  const plain = blankStrings(legacy);
  const forward = /(?:^|[\s&])(@@?)(?:\([a-z0-9]*\))?(\[[0-9A-Fa-f:.]+\]|[^\s:;@[]+)(?::(\d+))?/g;
  const relp = /(?:^|[\s&]):omrelp:(\[[0-9A-Fa-f:.]+\]|[^\s:;]+)(?::(\d+))?/g;
  const uxsock = /(?:^|[\s&]):omuxsock:/;
  const socketPath = /^\s*\$OMUxSockSocket\s+(\S+)/im.exec(plain)?.[1];
  plain.split('\n').forEach((lineText, i) => {
    if (/^\s*\$/.test(lineText)) return; // `$ActionQueueType ...` directives
    for (const m of lineText.matchAll(forward)) {
      const host = (m[2] ?? '').replace(/^\[|\]$/g, '');
      const tcp = m[1] === '@@';
      const note = remoteHost(host) ? undefined : amaNote(file);
      outputs.push({
        type: tcp ? 'omfwd/tcp' : 'omfwd/udp',
        destination: hostPort(host, m[3] ?? '514'),
        remote: remoteHost(host),
        file,
        line: i + 1,
        ...(note ? { note } : {}),
      });
    }
    if (uxsock.test(lineText)) {
      outputs.push({ type: 'omuxsock', destination: socketPath ?? '(socket)', remote: false, file, line: i + 1, note: amaNote(file) ?? 'Unix socket on this host' });
    }
    for (const m of lineText.matchAll(relp)) {
      const host = (m[1] ?? '').replace(/^\[|\]$/g, '');
      outputs.push({ type: 'omrelp', destination: hostPort(host, m[2] ?? '514'), remote: remoteHost(host), file, line: i + 1 });
    }
  });
  outputs.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { outputs, problems };
}
