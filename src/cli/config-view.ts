/**
 * `predeploy config`: the effective configuration, one line per value, with where it came from
 * (built-in profile, `predeploy.yaml:line:col`, environment, or `discovered: <source>` — e.g.
 * `discovered: nginx server_name at /etc/nginx/sites-enabled/x:12`), and where discovery disagrees
 * with the configuration (the configuration wins). Credentials are names in the
 * configuration by design; for a name that points at an environment variable this says whether
 * the variable is set — never its value. Pure: the CLI passes the environment in.
 */
import type { Config } from '../config/schema.js';
import { describeProvenance, type Provenance, type ProvenanceMap } from '../config/provenance.js';
import { displayPath } from '../config/yaml-source.js';
import type { Discovery } from '../discovery/types.js';

/** Where the project root came from. */
export type RootSource = 'option' | 'env' | 'default';

/** One effective value. */
export interface ConfigEntry {
  /** display path: `azure.prod.keyVault`, `notApplicable["zoho.webhooks"]` */
  key: string;
  value: unknown;
  from: Provenance;
  /** e.g. "credential name only; the variable is set in the environment" */
  note?: string;
}

export interface ConfigView {
  root: { path: string; from: RootSource };
  /** the file read, or null: the built-in profile alone */
  configFile: string | null;
  profile: string;
  entries: ConfigEntry[];
  /** what discovery saw that the view does not use: disagreements with the configuration (it wins), and notes */
  discovery?: { conflicts: string[]; notes: string[] };
}

const shown = (v: string | string[]): string => (Array.isArray(v) ? v.join(', ') : v);

/** Environment variables that stand in for a value the file does not set (the probes read them the same way). */
const ENV_FALLBACKS: readonly { key: string; variable: string; unset: string }[] = [
  { key: 'azure.subscriptionId', variable: 'AZURE_SUBSCRIPTION_ID', unset: 'not set: the Azure CLI default subscription is used at run time' },
];

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Every leaf of the effective configuration (a scalar, a list, a `notApplicable` entry) with its
 * provenance: the file's position when it sets the value, else the built-in profile; a value the
 * environment supplies names its variable.
 */
export function configView(o: {
  config: Config;
  provenance: ProvenanceMap;
  source: string | null;
  root: { path: string; from: RootSource };
  env: Readonly<Record<string, string | undefined>>;
  /** discovery on this machine, when it ran: its conflicts mark the entries they concern */
  discovery?: Discovery;
}): ConfigView {
  const entries: ConfigEntry[] = [];
  const visit = (value: unknown, path: readonly PropertyKey[]): void => {
    if (isRecord(value) && Object.keys(value).length > 0) {
      for (const [k, v] of Object.entries(value)) visit(v, [...path, k]);
      return;
    }
    const key = displayPath(path);
    const entry: ConfigEntry = { key, value, from: o.provenance.get(key) ?? { kind: 'profile' } };
    const conflict = o.discovery?.conflicts.find((c) => c.path === key);
    const note = credentialNote(path, value, o.env) ?? (conflict ? `discovery shows ${shown(conflict.discovered)} (${conflict.source}); the configuration wins` : undefined);
    entries.push(note !== undefined ? { ...entry, note } : entry);
  };
  visit(o.config, []);
  for (const f of ENV_FALLBACKS) {
    if (entries.some((e) => e.key === f.key)) continue;
    const v = o.env[f.variable];
    const entry: ConfigEntry = v !== undefined && v !== '' ? { key: f.key, value: v, from: { kind: 'env', name: f.variable } } : { key: f.key, value: null, from: { kind: 'profile' }, note: f.unset };
    // next to its section's other keys
    const section = `${f.key.split('.')[0] ?? ''}.`;
    const at = entries.findIndex((e) => e.key.startsWith(section));
    entries.splice(at < 0 ? entries.length : at, 0, entry);
  }
  const view: ConfigView = { root: o.root, configFile: o.source, profile: o.config.profile, entries };
  if (o.discovery) {
    view.discovery = {
      conflicts: o.discovery.conflicts.map((c) => `${c.path}: ${c.configuredFrom} says ${shown(c.configured)}, this machine shows ${shown(c.discovered)} (discovered: ${c.source}); the configuration wins`),
      notes: [...o.discovery.notes],
    };
  }
  return view;
}

/** A credential reference (`….env`, `….keyVaultSecret` under a credential): what the name means. */
function credentialNote(path: readonly PropertyKey[], value: unknown, env: Readonly<Record<string, string | undefined>>): string | undefined {
  const last = path[path.length - 1];
  if (typeof value !== 'string' || path.length < 3) return undefined;
  if (last === 'keyVaultSecret') return 'credential: Key Vault secret name (value never read)';
  if (last === 'env') {
    const set = env[value] !== undefined && env[value] !== '';
    return `credential: variable name, ${set ? 'set in the environment (value never shown)' : 'not in the environment (looked up in the .env files at run time)'}`;
  }
  return undefined;
}

function show(value: unknown): string {
  if (value === null || value === undefined) return '(not set)';
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((x) => typeof x !== 'object')) return `[${value.join(', ')}]`;
  return JSON.stringify(value);
}

const ROOT_FROM: Readonly<Record<RootSource, string>> = { option: '--root', env: 'environment OP_ROOT', default: 'default' };

/** The text form: a header, then `key  value  from` columns. */
export function renderConfigView(v: ConfigView): string {
  const rows = v.entries.map((e) => [e.key, show(e.value), `${describeProvenance(e.from)}${e.note !== undefined ? ` — ${e.note}` : ''}`] as const);
  const wk = Math.max(3, ...rows.map((r) => r[0].length));
  const wv = Math.min(48, Math.max(5, ...rows.map((r) => r[1].length)));
  const L = [
    `root:     ${v.root.path} (${ROOT_FROM[v.root.from]})`,
    `file:     ${v.configFile ?? 'none — the built-in profile alone'}`,
    `profile:  ${v.profile}`,
    '',
    `${'key'.padEnd(wk)}  ${'value'.padEnd(wv)}  from`,
    ...rows.map(([k, val, from]) => `${k.padEnd(wk)}  ${val.padEnd(wv)}  ${from}`),
    '',
    ...(v.discovery === undefined
      ? ['Discovery: not run (--no-discovery).', '']
      : [
          ...(v.discovery.conflicts.length > 0 ? ['Discovery disagrees with the configuration (the configuration wins):', ...v.discovery.conflicts.map((c) => `  - ${c}`), ''] : []),
          ...(v.discovery.notes.length > 0 ? ['Discovery notes:', ...v.discovery.notes.map((n) => `  - ${n}`), ''] : []),
        ]),
    'Credentials appear as names only. Reference: docs/configuration.md.',
  ];
  return L.join('\n') + '\n';
}

/** The JSON form: the view, each entry with its provenance as data and as the one-line text. */
export function configViewJson(v: ConfigView): unknown {
  return { ...v, entries: v.entries.map((e) => ({ ...e, source: describeProvenance(e.from) })) };
}
