/**
 * Loading `predeploy.yaml`: parse (keeping positions), deep-merge over the built-in profile,
 * validate. Every problem becomes one {@link ConfigError} line `file:line:col: ...` that names
 * key paths and expected types and never a value from the file.
 */
import { isMap, isScalar } from 'yaml';
import { describeIssue, keysOfSchemaAt, problemsError, unknownCheckProblem, type LocatedProblem } from './issues.js';
import type { Provenance, ProvenanceMap } from './provenance.js';
import { ORDER_PROCESSING_PROFILE } from './profile.js';
import { configSchema, type Config } from './schema.js';
import { contentsOffset, displayPath, errorAt, locateKey, locateValue, offsetForValue, parseYamlSource, toPlain, type ValuePath, type YamlSource } from './yaml-source.js';

/** Built-in profiles by name. `profile:` in a file picks the base the file is merged over. */
const PROFILES: Readonly<Record<string, Config>> = { 'order-processing': ORDER_PROCESSING_PROFILE };

/** A validated deep copy, so callers never share (or mutate) the built-in profile object. */
function fresh(config: Config): Config {
  return configSchema.parse(config);
}

/** Options of {@link parseConfigText}. */
export interface ParseOptions {
  /**
   * The ids of the registered checks: a waiver or a `notApplicable` key naming no check is a
   * problem (with the nearest id). The config layer does not import the checks; the CLI passes them.
   */
  checkIds?: readonly string[];
}

/** A parsed file: the effective configuration and where each value the file sets is. */
export interface ParsedConfig {
  config: Config;
  /** the values this file sets (display path → file:line:col); the rest come from the profile */
  provenance: ProvenanceMap;
}

/**
 * Parse and validate the text of a config file; `file` is used in messages. An empty file
 * (or one holding only comments) means the built-in profile.
 * @throws ConfigError listing every problem of the file, one `file:line:col: ...` line each
 */
export function parseConfigText(text: string, file: string, o: ParseOptions = {}): Config {
  return parseConfigFile(text, file, o).config;
}

/** {@link parseConfigText}, with where each value the file sets is. */
export function parseConfigFile(text: string, file: string, o: ParseOptions = {}): ParsedConfig {
  const src = parseYamlSource(text, file);
  const contents = src.doc.contents;
  if (contents === null || (isScalar(contents) && contents.value === null)) {
    if (src.duplicates.length > 0) throw problemsError(src, src.duplicates);
    return { config: fresh(ORDER_PROCESSING_PROFILE), provenance: new Map() };
  }
  if (!isMap(contents)) {
    throw errorAt(src, contentsOffset(src), 'the top level must be a mapping of settings (key: value lines), e.g. "profile: order-processing"');
  }
  const user = toPlain(src);
  if (!isRecord(user)) throw errorAt(src, contentsOffset(src), 'the top level must be a mapping of settings');
  const base = baseProfile(src, user);
  const merged = deepMerge(base, user);
  const parsed = configSchema.safeParse(merged);
  const problems = [
    ...src.duplicates,
    ...(parsed.success ? [] : parsed.error.issues.flatMap((issue) => describeIssue(src, issue, merged, schemaKeysAt))),
    ...(o.checkIds ? unknownCheckIds(src, user, o.checkIds) : []),
  ];
  if (problems.length > 0 || !parsed.success) throw problemsError(src, problems);
  return { config: parsed.data, provenance: fileProvenance(src, parsed.data) };
}

/** Waivers and `notApplicable` keys that name no check. */
function unknownCheckIds(src: YamlSource, user: Record<string, unknown>, checkIds: readonly string[]): LocatedProblem[] {
  const out: (LocatedProblem | undefined)[] = [];
  const waivers = user['waivers'];
  if (Array.isArray(waivers)) {
    waivers.forEach((w: unknown, i) => {
      const id: unknown = isRecord(w) ? w['check'] : undefined;
      if (typeof id === 'string') out.push(unknownCheckProblem(src, locateValue(src, ['waivers', i, 'check']), `waivers[${i}].check`, id, checkIds));
    });
  }
  const na = user['notApplicable'];
  if (isRecord(na)) {
    for (const id of Object.keys(na)) out.push(unknownCheckProblem(src, locateKey(src, ['notApplicable'], id), 'notApplicable', id, checkIds));
  }
  return out.filter((p) => p !== undefined);
}

/**
 * Where the file sets each leaf of the effective configuration: a scalar, a list (lists replace
 * the profile's as a whole) or a `notApplicable` entry. Leaves the file does not set are absent.
 */
function fileProvenance(src: YamlSource, config: Config): ProvenanceMap {
  const out = new Map<string, Provenance>();
  const visit = (value: unknown, path: PropertyKey[]): void => {
    if (isRecord(value) && Object.keys(value).length > 0) {
      for (const [k, v] of Object.entries(value)) visit(v, [...path, k]);
      return;
    }
    const at = locateValue(src, path);
    if (!at.exact) return;
    const { line, col } = src.lineCounter.linePos(at.offset);
    out.set(displayPath(path), { kind: 'file', file: src.file, line, column: col });
  };
  visit(config, []);
  return out;
}

function baseProfile(src: YamlSource, user: Record<string, unknown>): Config {
  const name: unknown = user['profile'];
  if (name === undefined) return ORDER_PROCESSING_PROFILE;
  const at = offsetForValue(src, ['profile']);
  if (typeof name !== 'string') throw errorAt(src, at, 'profile: expected a string');
  const profile = Object.hasOwn(PROFILES, name) ? PROFILES[name] : undefined;
  // The name is not echoed: anything in the file may be a pasted secret.
  if (!profile) throw errorAt(src, at, `profile: unknown profile; built-in profiles: ${Object.keys(PROFILES).join(', ')}`);
  return profile;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array);
}

/**
 * Objects merge key by key; arrays and scalars (and null) replace. Built with
 * `Object.fromEntries`, so a `__proto__` key in the file is an own key (and then an unknown
 * key), never a prototype change.
 */
export function deepMerge(base: unknown, over: unknown): unknown {
  if (!isRecord(base) || !isRecord(over)) return over;
  const keys = new Set([...Object.keys(base), ...Object.keys(over)]);
  return Object.fromEntries(
    [...keys].map((k) => [k, Object.hasOwn(over, k) ? deepMerge(Object.hasOwn(base, k) ? base[k] : undefined, over[k]) : base[k]]),
  );
}

/** The keys the schema allows at a value path (for "did you mean"), at any depth. */
export function schemaKeysAt(path: ValuePath): readonly string[] {
  return keysOfSchemaAt(configSchema, path);
}
