/**
 * vector sinks — https://vector.dev/docs/reference/configuration/sinks/ — from
 * `/etc/vector/vector.yaml` (the packaged default since vector 0.33) or `vector.toml`:
 * `sinks: { <id>: { type, inputs, endpoint | uri | address | ... } }` /
 * `[sinks.<id>]` + `type = "loki"`. No TOML library is a dependency, so the TOML reader below
 * handles what sink tables use: `[sinks.<id>]` headers, `key = "string"`, numbers, booleans and
 * one-line arrays of strings (`endpoints = ["https://a", "https://b"]`).
 */
import { isMap, LineCounter, parseDocument } from 'yaml';
import type { LogOutput } from '../../../facts/monitoring.js';
import { remoteHost, safeUrl, SECRET_KEY, urlPassword } from './destination.js';

export interface VectorConfig {
  outputs: LogOutput[];
  /** credential values found (shared_key, api_key, token, ...) — for the redactor only */
  secrets: string[];
  problems: string[];
}

/** Sinks that stay on this host. */
const LOCAL_SINKS = new Set(['console', 'file', 'blackhole', 'prometheus_exporter']);
/** Sinks whose endpoint comes from an account, region or workspace rather than a URL. */
const CLOUD_SINK = /^(?:azure_|aws_|gcp_|datadog_|new_relic|honeycomb|sematext_|axiom|appsignal|mezmo|papertrail|humio_|logdna|splunk_hec)/;
/** Keys that hold where a sink sends, in order of preference. */
const DESTINATION_KEYS = ['endpoint', 'endpoints', 'uri', 'address', 'bootstrap_servers', 'host'];

type Scalar = string | number | boolean | string[];

function sinkOutput(id: string, keys: Map<string, Scalar>, file: string, line: number): LogOutput | string {
  const type = String(keys.get('type') ?? '').toLowerCase();
  if (type === '') return `${file}:${line}: sink ${id} without a type`;
  const label = `${type} (sink ${id})`;
  if (LOCAL_SINKS.has(type)) return { type: label, remote: false, file, line };
  for (const k of DESTINATION_KEYS) {
    const v = keys.get(k);
    const first = Array.isArray(v) ? v[0] : v;
    if (first === undefined || typeof first !== 'string' || first === '') continue;
    // bootstrap_servers is `host:port,host:port`; address is `host:port`
    const firstEntry = first.split(',')[0] ?? first;
    const url = safeUrl(/^[a-z][a-z0-9+.-]*:\/\//i.test(firstEntry) ? firstEntry : `tcp://${firstEntry}`);
    const display = /:\/\//.test(firstEntry) ? url.display : firstEntry.replace(/^[^@]*@/, '');
    return { type: label, destination: display, remote: remoteHost(url.host ?? firstEntry), file, line };
  }
  if (CLOUD_SINK.test(type)) return { type: label, remote: true, file, line };
  return { type: label, remote: false, file, line, note: 'no endpoint, uri or address set' };
}

function collectSecrets(keys: Map<string, Scalar>, secrets: string[]): void {
  for (const [k, v] of keys) {
    if (SECRET_KEY.test(k) && typeof v === 'string' && v !== '') secrets.push(v);
    for (const item of Array.isArray(v) ? v : [v]) {
      const pw = typeof item === 'string' ? urlPassword(item) : undefined;
      if (pw) secrets.push(pw);
    }
  }
}

/** Flatten a YAML map one level deep: `auth: { password: x }` → `auth.password`. */
function flatten(value: unknown, prefix = '', into = new Map<string, Scalar>()): Map<string, Scalar> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return into;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const key = `${prefix}${k.toLowerCase()}`;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') into.set(key, v);
    else if (Array.isArray(v)) into.set(key, v.filter((x): x is string => typeof x === 'string'));
    else if (prefix === '') flatten(v, `${key}.`, into);
  }
  return into;
}

/** Parse `vector.yaml`. */
export function parseVectorYaml(text: string, file: string): VectorConfig {
  const out: VectorConfig = { outputs: [], secrets: [], problems: [] };
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length > 0) {
    out.problems.push(`${file}:${lineCounter.linePos(doc.errors[0]?.pos[0] ?? 0).line}: YAML syntax error`);
    return out;
  }
  const root = doc.contents;
  const sinks = isMap(root) ? root.get('sinks') : undefined;
  if (!isMap(sinks)) return out;
  for (const pair of sinks.items) {
    const id = String((pair.key as { value?: unknown } | null)?.value ?? '');
    const value: unknown = isMap(pair.value) ? pair.value.toJSON() : undefined;
    const keys = flatten(value);
    collectSecrets(keys, out.secrets);
    const line = lineCounter.linePos((pair.key as { range?: [number, number, number] } | null)?.range?.[0] ?? 0).line;
    const o = sinkOutput(id, keys, file, line);
    if (typeof o === 'string') out.problems.push(o);
    else out.outputs.push(o);
  }
  return out;
}

function tomlValue(raw: string): Scalar | undefined {
  const v = raw.trim();
  const str = /^"((?:[^"\\]|\\.)*)"$|^'([^']*)'$/.exec(v);
  if (str) return str[1] ?? str[2] ?? '';
  if (/^\[.*\]$/.test(v)) return [...v.slice(1, -1).matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'/g)].map((m) => m[1] ?? m[2] ?? '');
  if (/^(true|false)$/.test(v)) return v === 'true';
  if (/^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  return undefined;
}

/** Parse `vector.toml` (sink tables only). */
export function parseVectorToml(text: string, file: string): VectorConfig {
  const out: VectorConfig = { outputs: [], secrets: [], problems: [] };
  let sink: { id: string; line: number; prefix: string; keys: Map<string, Scalar> } | undefined;
  const close = () => {
    if (!sink) return;
    collectSecrets(sink.keys, out.secrets);
    const o = sinkOutput(sink.id, sink.keys, file, sink.line);
    if (typeof o === 'string') out.problems.push(o);
    else out.outputs.push(o);
    sink = undefined;
  };
  let sub: string | undefined;
  text.split('\n').forEach((raw, i) => {
    const t = raw.replace(/\r$/, '').replace(/\s+#.*$/, '').trim();
    if (t === '' || t.startsWith('#')) return;
    const table = /^\[([^\]]+)\]$/.exec(t);
    if (table) {
      const parts = (table[1] ?? '').split('.').map((p) => p.trim().replace(/^"|"$/g, ''));
      if (parts[0] === 'sinks' && parts.length === 2) {
        close();
        sink = { id: parts[1] ?? '', line: i + 1, prefix: '', keys: new Map() };
        sub = undefined;
      } else if (parts[0] === 'sinks' && parts.length > 2 && sink && parts[1] === sink.id) {
        sub = parts.slice(2).join('.').toLowerCase(); // [sinks.x.auth] → auth.*
      } else {
        close();
        sub = undefined;
      }
      return;
    }
    const kv = /^([A-Za-z0-9_.-]+)\s*=\s*(.+)$/.exec(t);
    if (!sink || !kv) return;
    const value = tomlValue(kv[2] ?? '');
    if (value === undefined) return;
    sink.keys.set(`${sub ? `${sub}.` : ''}${(kv[1] ?? '').toLowerCase()}`, value);
  });
  close();
  return out;
}

/** Either format, by file name. */
export function parseVector(text: string, file: string): VectorConfig {
  return /\.toml$/i.test(file) ? parseVectorToml(text, file) : parseVectorYaml(text, file);
}
