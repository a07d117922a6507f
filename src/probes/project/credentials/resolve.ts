/**
 * The credential resolver: finds the VALUE of a configured credential reference
 * (`{ env?, keyVaultSecret? }`) for the probes that must use it (the Zoho refresh, the bot's
 * token request). Values stay in the calling probe's memory and are handed to the redactor
 * before anything else happens; facts only ever get {@link CredentialSource}.
 *
 * Where values may come from (docs/ARCHITECTURE.md invariant 2: "Secret values are never fetched from Key
 * Vault — names and attributes only"):
 * 1. the process environment of this run (`ProbeContext.env`), so an operator can export a
 *    production value for one run: `ZOHO_REFRESH_TOKEN=<value> predeploy assess`;
 * 2. the `.env` files listed in `env.files`, in that order; within a file the last assignment
 *    wins, as in motdotla/dotenv (https://github.com/motdotla/dotenv#what-happens-to-environment-variables-that-were-already-set).
 * A reference with only `keyVaultSecret` never resolves: the source says so and how to verify.
 */
import { posix } from 'node:path';
import type { Config } from '../../../config/schema.js';
import { classifyEnvKey, nameWords, parseDotenv, type DotenvEntry } from '../../../config/dotenv.js';
import type { ProbeContext } from '../../../engine/types.js';
import type { CredentialSource, ThrottleSetting } from '../../../facts/project.js';
import { ENV_FILE_MAX_BYTES } from '../env/probe.js';

/** A credential reference as predeploy.yaml holds it. */
export type CredentialRef = Config['zoho']['prod']['clientId'];

/** A reference and its config path (`zoho.prod.refreshToken`). */
export interface NamedRef {
  ref: string;
  config: CredentialRef;
}

/** A resolved reference: the value (in memory only) and where it came from. */
export interface ResolvedCredential extends NamedRef {
  /** the value; undefined when not available to this run. Never put this in a fact. */
  value?: string;
  source: CredentialSource;
}

/** The parsed `.env` files of the project, values included: lives only inside a probe. */
export interface EnvValues {
  files: { path: string; entries: DotenvEntry[] }[];
  /** files that exist but could not be read (path and errno code) */
  unreadable: { path: string; code: string }[];
  /** the process environment lookup, when the run offers one */
  processEnv?: (name: string) => string | undefined;
}

/**
 * The process environment of the run, when the engine passes it to probes. `ProbeContext.env`
 * is proposed as a read-only record (the Azure session probe reads it the same way); a
 * function is accepted too. A context without it has no process environment: only `.env`
 * files are read. Only src/cli touches `process`.
 */
export function processEnvOf(ctx: ProbeContext): ((name: string) => string | undefined) | undefined {
  const env = ctx.env;
  // An empty environment means none was given (unit tests); a real process always has one.
  if (Object.keys(env).length === 0) return undefined;
  return (name) => (Object.hasOwn(env, name) ? env[name] : undefined);
}

function errnoCode(err: unknown): string {
  if (err instanceof Error && 'code' in err && typeof err.code === 'string') return err.code;
  return 'error';
}

/** Reads and parses the `.env` files of `env.files` (same normalisation as the `project.env` probe). */
export async function readEnvValues(ctx: ProbeContext): Promise<EnvValues> {
  const listed = [...new Set(ctx.config.env.files.map((f) => posix.normalize(f).replace(/^\.\//, '')))];
  const files: EnvValues['files'] = [];
  const unreadable: EnvValues['unreadable'] = [];
  for (const rel of listed) {
    const abs = posix.isAbsolute(rel) ? rel : posix.join(ctx.root, rel);
    try {
      const st = await ctx.stat(abs);
      if (!st || !st.isFile) continue;
      const buf = await ctx.readFile(abs, ENV_FILE_MAX_BYTES);
      if (buf === null) continue;
      files.push({ path: rel, entries: parseDotenv(buf.toString('utf8')).entries });
    } catch (err) {
      unreadable.push({ path: rel, code: errnoCode(err) });
    }
  }
  const processEnv = processEnvOf(ctx);
  return { files, unreadable, ...(processEnv ? { processEnv } : {}) };
}

/** The last assignment of `name` in a file. */
function lastAssignment(entries: readonly DotenvEntry[], name: string): DotenvEntry | undefined {
  for (let i = entries.length - 1; i >= 0; i -= 1) if (entries[i]?.name === name) return entries[i];
  return undefined;
}

/** Why a reference did not resolve, with what to do about it. */
function missingReason(named: NamedRef, env: EnvValues, note: string | undefined): string {
  const { env: envName, keyVaultSecret } = named.config;
  const where = env.files.length > 0 ? `the .env files (${env.files.map((f) => f.path).join(', ')})` : 'any .env file listed in env.files';
  const unreadable = env.unreadable.length > 0 ? `; could not read ${env.unreadable.map((u) => `${u.path} (${u.code})`).join(', ')}` : '';
  if (envName === undefined) {
    const kv = keyVaultSecret !== undefined ? `only in Key Vault (secret ${keyVaultSecret}); predeploy never reads secret values from Key Vault` : 'no env var or Key Vault secret configured';
    return `${kv}. To verify it, set ${named.ref}.env in predeploy.yaml to a variable name and export the value for this run only (e.g. ${suggestedName(named.ref)}=<value> predeploy assess)`;
  }
  const how = env.processEnv
    ? `export it for this run only: ${envName}=<value> predeploy assess`
    : `put it in a .env file listed in env.files (this build cannot read the shell environment)`;
  const kv = keyVaultSecret !== undefined ? ` (it is also named as Key Vault secret ${keyVaultSecret}, which predeploy never reads)` : '';
  return `${envName} is ${note ?? 'not set'} in ${env.processEnv ? 'the environment or ' : ''}${where}${unreadable}${kv}; to verify, ${how}`;
}

/** `zoho.prod.refreshToken` → `ZOHO_PROD_REFRESH_TOKEN`: a name to suggest, never looked up. */
function suggestedName(ref: string): string {
  return ref
    .split('.')
    .flatMap((p) => nameWords(p))
    .join('_');
}

/**
 * Resolves one reference: process environment first, then the `.env` files in order. A `.env`
 * value that is empty or a vault reference (`@Microsoft.KeyVault(...)`, `kv://`) is no value.
 */
export function resolveRef(named: NamedRef, env: EnvValues): ResolvedCredential {
  const name = named.config.env;
  if (name === undefined) return { ...named, source: { kind: 'none', reason: missingReason(named, env, undefined) } };
  const fromProcess = env.processEnv?.(name);
  if (fromProcess !== undefined && fromProcess !== '') return { ...named, value: fromProcess, source: { kind: 'process-env', name } };
  let note: string | undefined;
  for (const f of env.files) {
    const e = lastAssignment(f.entries, name);
    if (!e) continue;
    const c = classifyEnvKey(e.name, e.value);
    if (c.empty) {
      note ??= `empty (${f.path}:${e.line})`;
      continue;
    }
    if (c.reference) {
      note ??= `a vault reference (${f.path}:${e.line}), not a value`;
      continue;
    }
    return { ...named, value: e.value, source: { kind: 'env-file', name, path: f.path, line: e.line } };
  }
  return { ...named, source: { kind: 'none', reason: missingReason(named, env, note) } };
}

/**
 * Resolves references and registers every value found with the redactor before returning, so
 * no request, log entry or error message made afterwards can show it.
 */
export function resolveAll(ctx: ProbeContext, refs: readonly NamedRef[], env: EnvValues): ResolvedCredential[] {
  const out = refs.map((r) => resolveRef(r, env));
  for (const r of out) if (r.value !== undefined) ctx.addSecret(r.value);
  return out;
}

/** Every credential reference of the config, with its path. */
export function configuredRefs(config: Config): NamedRef[] {
  const z = config.zoho;
  const b = config.bot;
  return [
    { ref: 'zoho.dev.clientId', config: z.dev.clientId },
    { ref: 'zoho.dev.clientSecret', config: z.dev.clientSecret },
    { ref: 'zoho.dev.refreshToken', config: z.dev.refreshToken },
    { ref: 'zoho.prod.clientId', config: z.prod.clientId },
    { ref: 'zoho.prod.clientSecret', config: z.prod.clientSecret },
    { ref: 'zoho.prod.refreshToken', config: z.prod.refreshToken },
    { ref: 'bot.dev.secret', config: b.dev.secret },
    { ref: 'bot.prod.secret', config: b.prod.secret },
  ];
}

/** Words that make a `ZOHO_*` setting a throttle, by kind (whole words of the name). */
const THROTTLE_KINDS: readonly { kind: ThrottleSetting['kind']; test: (words: string[]) => boolean }[] = [
  { kind: 'concurrency', test: (w) => w.some((x) => x === 'CONCURRENCY' || x === 'CONCURRENT' || x === 'PARALLEL' || x === 'PARALLELISM') },
  { kind: 'per-day', test: (w) => w.includes('DAILY') || w.includes('DAY') || w.includes('RPD') },
  { kind: 'per-minute', test: (w) => w.includes('RPM') || w.includes('MINUTE') || (w.includes('RATE') && w.includes('LIMIT')) },
];

/**
 * The app's own throttling, declared in `.env` files as `ZOHO_*` numbers
 * (`ZOHO_RATE_LIMIT_PER_MINUTE=90`, `ZOHO_MAX_CONCURRENCY=5`, `ZOHO_DAILY_LIMIT=4000`).
 */
export function zohoThrottleSettings(env: EnvValues): ThrottleSetting[] {
  const out: ThrottleSetting[] = [];
  for (const f of env.files) {
    for (const e of f.entries) {
      const words = nameWords(e.name);
      if (!words.includes('ZOHO') || !/^\d{1,9}$/.test(e.value.trim())) continue;
      const kind = THROTTLE_KINDS.find((k) => k.test(words))?.kind;
      if (kind) out.push({ name: e.name, path: f.path, line: e.line, kind, value: Number(e.value.trim()) });
    }
  }
  return out;
}
