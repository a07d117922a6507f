/**
 * promtail `clients:` — the Loki push URLs it sends to —
 * https://grafana.com/docs/loki/latest/send-data/promtail/configuration/#clients
 * (`client:` is the single-client form of older releases). URLs lose their user info; basic
 * auth passwords and bearer tokens go to the redactor only.
 */
import { isMap, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import type { LogOutput } from '../../../facts/monitoring.js';
import { remoteHost, safeUrl, urlPassword } from './destination.js';

export interface PromtailConfig {
  outputs: LogOutput[];
  secrets: string[];
  problems: string[];
}

function secretsOf(client: Record<string, unknown>): string[] {
  const out: string[] = [];
  const auth = client['basic_auth'];
  if (auth && typeof auth === 'object' && typeof (auth as Record<string, unknown>)['password'] === 'string') out.push(String((auth as Record<string, unknown>)['password']));
  if (typeof client['bearer_token'] === 'string') out.push(client['bearer_token']);
  const pw = typeof client['url'] === 'string' ? urlPassword(client['url']) : undefined;
  if (pw) out.push(pw);
  return out.filter((s) => s !== '');
}

/** Parse a promtail configuration file. */
export function parsePromtail(text: string, file: string): PromtailConfig {
  const out: PromtailConfig = { outputs: [], secrets: [], problems: [] };
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length > 0) {
    out.problems.push(`${file}:${lineCounter.linePos(doc.errors[0]?.pos[0] ?? 0).line}: YAML syntax error`);
    return out;
  }
  const root = doc.contents;
  if (!isMap(root)) return out;
  const clients: YamlNode[] = [];
  const many = root.get('clients', true);
  if (isSeq(many)) clients.push(...(many.items as YamlNode[]));
  const one = root.get('client', true);
  if (isMap(one)) clients.push(one);
  for (const node of clients) {
    if (!isMap(node)) continue;
    const client = node.toJSON() as Record<string, unknown>;
    out.secrets.push(...secretsOf(client));
    const line = lineCounter.linePos(node.range?.[0] ?? 0).line;
    const url = client['url'];
    if (typeof url !== 'string' || url === '') {
      out.problems.push(`${file}:${line}: client without url`);
      continue;
    }
    const safe = safeUrl(url);
    out.outputs.push({ type: 'loki', destination: safe.display, remote: remoteHost(safe.host ?? url), file, line });
  }
  return out;
}
