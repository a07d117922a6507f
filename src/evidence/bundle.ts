/**
 * Building, writing and reading capture bundles (docs/bundle-format.md). A bundle is a map of
 * relative path → text; written as a folder or one `.tar.gz`, read back from either.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { ProbeOutcome } from '../engine/types.js';
import type { LogEntry } from '../engine/types.js';
import { redactUrl } from '../safety/http-policy.js';
import { sha256Hex } from '../safety/log-chain.js';
import type { Redactor } from '../safety/redactor.js';
import {
  BUNDLE_FORMAT_VERSION,
  CONFIG_FILE,
  ENV_FILE,
  MANIFEST_FILE,
  PROBES_DIR,
  SUMS_FILE,
  UNATTRIBUTED,
  type Bundle,
  type BundleManifest,
  type ProbeRecord,
  type RecordedCall,
  type RecordedError,
} from './format.js';
import type { RawCall, Recorder } from './recorder.js';
import { readTarGz } from './tar.js';

/** Request and response headers that carry credentials: never stored. */
const CREDENTIAL_HEADERS = /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api-key|ocp-apim-subscription-key|x-ms-authorization-auxiliary|x-functions-key)$/i;

function headersWithoutCredentials(h: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h ?? {})) if (!CREDENTIAL_HEADERS.test(k)) out[k.toLowerCase()] = v;
  return out;
}

function errorOf(err: unknown): RecordedError {
  if (err instanceof Error) {
    const code = 'code' in err && typeof err.code === 'string' ? err.code : undefined;
    return { name: err.name, message: err.message, ...(code !== undefined ? { code } : {}) };
  }
  return { message: String(err) };
}

/** One raw call as stored: redacted, credentials dropped. */
function toRecorded(c: RawCall, redactor: Redactor): RecordedCall {
  // output cut at the size cap may end inside a secret, where neither its value nor a pattern
  // matches any more: cut back as the commands log does
  const uncut = (text: string, truncated: boolean): string => (truncated ? redactor.trimCutToLine(text) : text);
  switch (c.op) {
    case 'exec': {
      const r = c.result;
      return {
        seq: c.seq,
        op: 'exec',
        argv: c.argv,
        ...(c.env ? { env: c.env } : {}),
        exitCode: r.exitCode,
        signal: r.signal,
        timedOut: r.timedOut,
        truncated: r.truncated,
        ...(r.spawnError !== undefined ? { spawnError: r.spawnError } : {}),
        durationMs: r.durationMs,
        stdout: uncut(r.stdout, r.truncated),
        stderr: uncut(r.stderr, r.truncated),
      };
    }
    case 'readFile': {
      if (c.error !== undefined) return { seq: c.seq, op: 'readFile', path: c.path, maxBytes: c.maxBytes, error: errorOf(c.error) };
      if (c.content === null || c.content === undefined) return { seq: c.seq, op: 'readFile', path: c.path, maxBytes: c.maxBytes, content: null };
      const text = c.content.toString('utf8');
      const lossy = !Buffer.from(text, 'utf8').equals(c.content);
      return { seq: c.seq, op: 'readFile', path: c.path, maxBytes: c.maxBytes, content: text, size: c.content.length, ...(lossy ? { lossy } : {}) };
    }
    case 'stat':
      return { seq: c.seq, op: 'stat', path: c.path, ...(c.error !== undefined ? { error: errorOf(c.error) } : { stat: c.stat ?? null }) };
    case 'readDir':
      return { seq: c.seq, op: 'readDir', path: c.path, ...(c.error !== undefined ? { error: errorOf(c.error) } : { names: c.names ?? null }) };
    case 'http': {
      const q = c.request;
      return {
        seq: c.seq,
        op: 'http',
        method: q.method,
        url: redactUrl(q.url),
        ...(q.connectTo !== undefined ? { connectTo: q.connectTo } : {}),
        requestHeaders: headersWithoutCredentials(q.headers),
        ...(q.body !== undefined ? { requestBody: q.body } : {}),
        ...(c.response
          ? { response: { status: c.response.status, headers: headersWithoutCredentials(c.response.headers), body: uncut(c.response.body, c.response.truncated), truncated: c.response.truncated } }
          : {}),
        ...(c.error !== undefined ? { error: errorOf(c.error) } : {}),
      };
    }
  }
}

export interface BundleInput {
  manifest: Omit<BundleManifest, 'formatVersion' | 'kind' | 'probes'>;
  config: unknown;
  /** the run's environment (only the variables the probes read are stored) */
  env: Readonly<Record<string, string | undefined>>;
  recorder: Recorder;
  outcomes: ReadonlyMap<string, ProbeOutcome<unknown>>;
  entries: readonly LogEntry[];
  /** the run's redactor, after the run (it knows every secret the run met) */
  redactor: Redactor;
  /** more files to include as they are (report.json, commands.log: already redacted) */
  extra?: ReadonlyMap<string, string>;
}

const json = (v: unknown): string => JSON.stringify(v, null, 2) + '\n';

/** A probe id as a file name (ids are `section.kebab-name`). */
export const probeFile = (id: string): string => `${PROBES_DIR}/${id.replace(/[^A-Za-z0-9._-]/g, '_')}.json`;

/** The bundle's files, redacted, with SHA256SUMS last. */
export function buildBundle(b: BundleInput): Map<string, string> {
  const r = b.redactor;
  const probeOf = new Map(b.entries.map((e) => [e.seq, e.probe ?? UNATTRIBUTED]));
  const records = new Map<string, ProbeRecord>();
  const recordFor = (id: string): ProbeRecord => {
    let rec = records.get(id);
    if (!rec) {
      rec = { probe: id, calls: [] };
      records.set(id, rec);
    }
    return rec;
  };
  for (const [id, outcome] of b.outcomes) recordFor(id).outcome = outcome;
  for (const call of [...b.recorder.calls].sort((x, y) => x.seq - y.seq)) recordFor(probeOf.get(call.seq) ?? UNATTRIBUTED).calls.push(toRecorded(call, r));

  const ids = [...records.keys()].sort();
  const manifest: BundleManifest = { formatVersion: BUNDLE_FORMAT_VERSION, kind: 'predeploy-capture', ...b.manifest, probes: ids };
  const env: Record<string, string> = {};
  for (const name of [...b.recorder.envRead].sort()) {
    const v = b.env[name];
    if (v !== undefined) env[name] = v;
  }
  const files = new Map<string, string>();
  // structures are redacted value by value, then serialized (patterns over JSON text could break it)
  files.set(MANIFEST_FILE, json(r.redactDeep(manifest)));
  files.set(CONFIG_FILE, json(r.redactDeep(b.config)));
  files.set(ENV_FILE, json(r.redactDeep(env)));
  for (const id of ids) files.set(probeFile(id), json(r.redactDeep(records.get(id))));
  // JSON files again as structures (a pattern over JSON text could break it), the rest as text
  for (const [name, text] of b.extra ?? []) files.set(name, name.endsWith('.json') ? redactJsonText(r, text) : r.redact(text));
  files.set(SUMS_FILE, sha256Sums(files));
  return files;
}

/** `sha256sum`-compatible lines (`<hex>  <name>`), sorted by name; `sha256sum -c` checks them. */
export function sha256Sums(files: ReadonlyMap<string, string | Buffer>): string {
  return [...files.keys()]
    .filter((n) => n !== SUMS_FILE && !n.startsWith(`${SUMS_FILE}.`))
    .sort()
    .map((n) => `${sha256Hex(files.get(n) ?? '')}  ${n}\n`)
    .join('');
}

/** Parses SHA256SUMS; malformed lines are returned as problems. */
export function parseSums(text: string): { sums: Map<string, string>; bad: string[] } {
  const sums = new Map<string, string>();
  const bad: string[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (line === '') continue;
    const m = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (!m) bad.push(`SHA256SUMS line ${i + 1} is malformed`);
    else sums.set(m[2] ?? '', m[1] ?? '');
  }
  return { sums, bad };
}

/** Every regular file under dir (relative paths, `/`-separated); skips temp files. */
export async function readFolder(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  async function walk(d: string): Promise<void> {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) out.set(relative(dir, p).split('\\').join('/'), await readFile(p));
    }
  }
  await walk(dir);
  return out;
}

/** The files of a bundle folder or `.tar.gz` (or a run folder), as bytes. */
export async function readBundleFiles(path: string): Promise<Map<string, Buffer>> {
  const s = await stat(path);
  if (s.isDirectory()) return readFolder(path);
  return readTarGz(await readFile(path));
}

export class BundleError extends Error {}

function parseJson<T>(files: ReadonlyMap<string, Buffer>, name: string): T {
  const buf = files.get(name);
  if (buf === undefined) throw new BundleError(`${name} is missing`);
  try {
    return JSON.parse(buf.toString('utf8')) as T;
  } catch {
    throw new BundleError(`${name} is not valid JSON`);
  }
}

/** Parses a bundle's files; throws BundleError naming what is wrong. */
export function parseBundle(files: ReadonlyMap<string, Buffer>, source: string): Bundle {
  const manifest = parseJson<BundleManifest>(files, MANIFEST_FILE);
  if (manifest.kind !== 'predeploy-capture') throw new BundleError(`${MANIFEST_FILE}: not a predeploy capture bundle`);
  if (manifest.formatVersion !== BUNDLE_FORMAT_VERSION) throw new BundleError(`${MANIFEST_FILE}: format version ${String(manifest.formatVersion)} is not supported (this predeploy reads ${BUNDLE_FORMAT_VERSION})`);
  const probes = new Map<string, ProbeRecord>();
  for (const id of manifest.probes) probes.set(id, parseJson<ProbeRecord>(files, probeFile(id)));
  return { manifest, config: parseJson<unknown>(files, CONFIG_FILE), env: parseJson<Record<string, string>>(files, ENV_FILE), probes, source };
}

/** JSON text, redacted value by value: parsed, redacted as a structure, serialized the same way. */
function redactJsonText(r: Redactor, text: string): string {
  try {
    return `${JSON.stringify(r.redactDeep(JSON.parse(text) as unknown), null, 2)}\n`;
  } catch {
    return r.redact(text);
  }
}
