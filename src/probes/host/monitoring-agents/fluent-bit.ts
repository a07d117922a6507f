/**
 * fluent-bit `[OUTPUT]` sections — where the shipper sends what it collects.
 *
 * Classic format (`/etc/fluent-bit/fluent-bit.conf`): `[SECTION]` headers, indented `Key Value`
 * lines, `@INCLUDE file` and `@SET k=v` —
 * https://docs.fluentbit.io/manual/administration/configuring-fluent-bit/classic-mode/configuration-file
 * YAML format (`fluent-bit.yaml`): `pipeline: outputs: [{ name, match, host, ... }]` and `includes:` —
 * https://docs.fluentbit.io/manual/administration/configuring-fluent-bit/yaml
 * Output plugins and their `Host` defaults (most default to 127.0.0.1, i.e. nothing leaves the VM
 * until a host is set): https://docs.fluentbit.io/manual/pipeline/outputs
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type YAMLMap } from 'yaml';
import type { LogOutput } from '../../../facts/monitoring.js';
import { hostPort, remoteHost, safeUrl, SECRET_KEY, urlPassword } from './destination.js';

export interface FluentBitConfig {
  outputs: LogOutput[];
  /** `@INCLUDE` / `includes:` paths as written (relative to the file's directory when not absolute) */
  includes: string[];
  /** credential values found (Shared_Key, client_secret, http_Passwd, ...) — for the redactor only */
  secrets: string[];
  problems: string[];
}

/** Outputs that write on this host only. */
const LOCAL_PLUGINS = new Set(['stdout', 'file', 'null', 'counter', 'flowcounter', 'exit', 'lib', 'prometheus_exporter']);

/**
 * Cloud outputs whose endpoint is derived from other keys (workspace id, region, account), so they
 * are remote without a `Host`.
 */
const CLOUD_PLUGINS = new Set([
  'azure',
  'azure_logs_ingestion',
  'azure_blob',
  'azure_kusto',
  'cloudwatch_logs',
  'kinesis_firehose',
  'kinesis_streams',
  's3',
  'stackdriver',
  'bigquery',
  'chronicle',
  'datadog',
  'nrlogs',
  'logdna',
  'oracle_log_analytics',
]);

/** Where a cloud output sends to, from its keys (never a key or secret). */
function cloudDestination(plugin: string, get: (k: string) => string | undefined): string | undefined {
  switch (plugin) {
    case 'azure': {
      // Log Analytics HTTP Data Collector API: https://<Customer_ID>.ods.opinsights.azure.com
      const id = get('customer_id');
      return id ? `${id}.ods.opinsights.azure.com` : undefined;
    }
    case 'azure_logs_ingestion': {
      const dce = get('dce_url');
      return dce ? safeUrl(dce).display : undefined;
    }
    case 'azure_blob': {
      const account = get('account_name');
      return account ? `${account}.blob.core.windows.net` : undefined;
    }
    case 'cloudwatch_logs':
    case 'kinesis_firehose':
    case 'kinesis_streams':
    case 's3':
      return get('region') ? `${plugin} (${get('region') ?? ''})` : undefined;
    default:
      return get('host') ?? undefined;
  }
}

/** One output from its keys (lower-cased). */
function outputOf(keys: Map<string, string>, file: string, line: number): LogOutput | string {
  const plugin = (keys.get('name') ?? '').toLowerCase();
  if (plugin === '') return `${file}:${line}: [OUTPUT] without Name`;
  const get = (k: string) => keys.get(k);
  if (LOCAL_PLUGINS.has(plugin)) return { type: plugin, remote: false, file, line };
  if (CLOUD_PLUGINS.has(plugin)) {
    const destination = cloudDestination(plugin, get);
    return { type: plugin, ...(destination ? { destination } : {}), remote: true, file, line };
  }
  const host = get('host');
  const uri = get('uri');
  if (host === undefined) {
    // http, forward, loki, es, splunk, opentelemetry, tcp ... default to 127.0.0.1.
    return { type: plugin, destination: hostPort('127.0.0.1', get('port')), remote: false, file, line, note: 'no Host set: the plugin default is 127.0.0.1' };
  }
  const dest = hostPort(host, get('port'));
  return { type: plugin, destination: uri && uri.startsWith('/') ? `${dest}${uri}` : dest, remote: remoteHost(host), file, line };
}

/** Parse the classic `.conf` format. */
export function parseFluentBitClassic(text: string, file: string): FluentBitConfig {
  const out: FluentBitConfig = { outputs: [], includes: [], secrets: [], problems: [] };
  let section: { name: string; line: number; keys: Map<string, string> } | undefined;
  const close = () => {
    if (section?.name === 'output') {
      const o = outputOf(section.keys, file, section.line);
      if (typeof o === 'string') out.problems.push(o);
      else out.outputs.push(o);
    }
    section = undefined;
  };
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    const t = line.trim();
    if (t === '' || t.startsWith('#')) return;
    const include = /^@INCLUDE\s+(.+)$/i.exec(t);
    if (include) {
      out.includes.push((include[1] ?? '').trim());
      return;
    }
    if (/^@SET\s/i.test(t)) return;
    const header = /^\[([A-Za-z_]+)\]$/.exec(t);
    if (header) {
      close();
      section = { name: (header[1] ?? '').toLowerCase(), line: i + 1, keys: new Map() };
      return;
    }
    const kv = /^(\S+)\s+(.*)$/.exec(t);
    if (!kv || !section) {
      out.problems.push(`${file}:${i + 1}: not a "Key Value" line inside a [SECTION]`);
      return;
    }
    const key = (kv[1] ?? '').toLowerCase();
    const value = (kv[2] ?? '').trim();
    if (SECRET_KEY.test(key) && value !== '') out.secrets.push(value);
    const pw = urlPassword(value);
    if (pw) out.secrets.push(pw);
    section.keys.set(key, value);
  });
  close();
  return out;
}

/** Parse the YAML format (`pipeline.outputs`, `includes`). */
export function parseFluentBitYaml(text: string, file: string): FluentBitConfig {
  const out: FluentBitConfig = { outputs: [], includes: [], secrets: [], problems: [] };
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false });
  if (doc.errors.length > 0) {
    // The yaml library's messages may quote the file; say only where.
    const at = lineCounter.linePos(doc.errors[0]?.pos[0] ?? 0).line;
    out.problems.push(`${file}:${at}: YAML syntax error`);
    return out;
  }
  const root = doc.contents;
  if (!isMap(root)) return out;
  const includes = root.get('includes');
  if (isSeq(includes)) for (const item of includes.items) if (isScalar(item)) out.includes.push(String(item.value));
  const pipeline = root.get('pipeline');
  const outputs = isMap(pipeline) ? pipeline.get('outputs') : undefined;
  if (!isSeq(outputs)) return out;
  for (const item of outputs.items) {
    if (!isMap(item)) continue;
    const keys = new Map<string, string>();
    for (const pair of (item as YAMLMap).items) {
      if (!isScalar(pair.key) || !isScalar(pair.value)) continue;
      const key = String(pair.key.value).toLowerCase();
      const value = String(pair.value.value);
      if (SECRET_KEY.test(key) && value !== '') out.secrets.push(value);
      keys.set(key, value);
    }
    const line = lineCounter.linePos(item.range?.[0] ?? 0).line;
    const o = outputOf(keys, file, line);
    if (typeof o === 'string') out.problems.push(o);
    else out.outputs.push(o);
  }
  return out;
}

/** Either format, by file name. */
export function parseFluentBit(text: string, file: string): FluentBitConfig {
  return /\.ya?ml$/i.test(file) ? parseFluentBitYaml(text, file) : parseFluentBitClassic(text, file);
}
