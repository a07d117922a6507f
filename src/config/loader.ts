/**
 * Loading `predeploy.yaml`: parse (keeping positions), deep-merge over the built-in profile,
 * validate. Every problem becomes one {@link ConfigError} line `file:line:col: ...` that names
 * key paths and expected types and never a value from the file.
 */
import { isMap, isScalar } from 'yaml';
import { z } from 'zod';
import { describeIssue, firstProblem } from './issues.js';
import { ORDER_PROCESSING_PROFILE } from './profile.js';
import { configSchema, type Config } from './schema.js';
import { contentsOffset, errorAt, offsetForValue, parseYamlSource, toPlain, type ValuePath, type YamlSource } from './yaml-source.js';

/** Built-in profiles by name. `profile:` in a file picks the base the file is merged over. */
const PROFILES: Readonly<Record<string, Config>> = { 'order-processing': ORDER_PROCESSING_PROFILE };

/** A validated deep copy, so callers never share (or mutate) the built-in profile object. */
function fresh(config: Config): Config {
  return configSchema.parse(config);
}

/**
 * Parse and validate the text of a config file; `file` is used in messages. An empty file
 * (or one holding only comments) means the built-in profile.
 * @throws ConfigError
 */
export function parseConfigText(text: string, file: string): Config {
  const src = parseYamlSource(text, file);
  const contents = src.doc.contents;
  if (contents === null || (isScalar(contents) && contents.value === null)) return fresh(ORDER_PROCESSING_PROFILE);
  if (!isMap(contents)) {
    throw errorAt(src, contentsOffset(src), 'the top level must be a mapping of settings (key: value lines), e.g. "profile: order-processing"');
  }
  const user = toPlain(src);
  if (!isRecord(user)) throw errorAt(src, contentsOffset(src), 'the top level must be a mapping of settings');
  const base = baseProfile(src, user);
  const merged = deepMerge(base, user);
  const parsed = configSchema.safeParse(merged);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.flatMap((issue) => describeIssue(src, issue, merged, schemaKeysAt));
  throw firstProblem(src, problems);
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

/** The keys the schema allows at an object path (for "did you mean"). */
export function schemaKeysAt(path: ValuePath): readonly string[] {
  let s: z.ZodType = configSchema;
  for (const seg of path) {
    const inner = unwrap(s);
    // Only objects have a fixed key set; record keys and list items have no suggestions.
    const next: unknown = inner instanceof z.ZodObject ? Reflect.get(inner.shape, seg) : undefined;
    if (!(next instanceof z.ZodType)) return [];
    s = next;
  }
  const inner = unwrap(s);
  return inner instanceof z.ZodObject ? Object.keys(inner.shape) : [];
}

function unwrap(s: z.ZodType): z.ZodType {
  let cur: z.ZodType = s;
  while (cur instanceof z.ZodOptional || cur instanceof z.ZodNullable || cur instanceof z.ZodDefault) {
    const next: unknown = cur.unwrap();
    if (!(next instanceof z.ZodType)) break;
    cur = next;
  }
  return cur;
}
