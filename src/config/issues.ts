/**
 * Zod validation issues → one located line each. Messages name the key path and what was
 * expected, and the *kind* of value found ("got a number") — never the value itself, since a
 * user may have pasted a secret into the wrong key.
 */
import { z } from 'zod';
import { nearest } from './suggest.js';
import { displayPath, inPath, locateKey, locateValue, quoteKey, type LocatedProblem, type Location, type ValuePath, type YamlSource } from './yaml-source.js';

type Issue = z.core.$ZodIssue;

export { problemsError, type LocatedProblem } from './yaml-source.js';

const EXPECTED: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping (key: value lines)',
  array: 'a list',
  record: 'a mapping (key: value lines)',
  date: 'a date',
};

/** The kind of a value, for "got …" — a type name only. */
export function kindOf(value: unknown): string {
  if (value === null || value === undefined) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Uint8Array) return 'binary data';
  if (value instanceof Date) return 'a timestamp';
  switch (typeof value) {
    case 'string':
      return 'a string';
    case 'number':
      return Number.isInteger(value) ? 'a whole number' : 'a number with a fraction';
    case 'boolean':
      return 'true/false';
    case 'object':
      return 'a mapping';
    default:
      return typeof value;
  }
}

function valueAt(root: unknown, path: ValuePath): unknown {
  let v: unknown = root;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = Reflect.get(v, seg);
  }
  return v;
}

function hasKey(obj: unknown, key: PropertyKey): boolean {
  return obj !== null && typeof obj === 'object' && Object.hasOwn(obj, key);
}

function plural(n: number | bigint, word: string): string {
  return `${n} ${word}${Number(n) === 1 ? '' : 's'}`;
}

function sizeText(issue: Extract<Issue, { code: 'too_small' | 'too_big' }>, min: boolean): string {
  const bound = min ? ('minimum' in issue ? issue.minimum : 0) : 'maximum' in issue ? issue.maximum : 0;
  const inclusive = issue.inclusive !== false;
  switch (issue.origin) {
    case 'string':
      if (min && Number(bound) === 1) return 'must not be empty';
      return `must be ${min ? 'at least' : 'at most'} ${plural(bound, 'character')} long`;
    case 'array':
    case 'set':
      return `must list ${min ? 'at least' : 'at most'} ${plural(bound, 'item')}`;
    default:
      if (inclusive) return `must be ${min ? 'at least' : 'at most'} ${String(bound)}`;
      return `must be ${min ? 'greater' : 'less'} than ${String(bound)}`;
  }
}

/** What a format check expected; patterns and prefixes come from the schema, not the file. */
function formatText(issue: Extract<Issue, { code: 'invalid_format' }>): string {
  switch (issue.format) {
    case 'url':
      return 'expected a URL such as https://host.example';
    case 'starts_with':
      return `must start with ${JSON.stringify('prefix' in issue ? issue.prefix : '')}`;
    case 'regex':
      return `has the wrong format (must match ${'pattern' in issue ? String(issue.pattern) : 'the expected pattern'})`;
    default:
      return `has the wrong format (expected ${issue.format})`;
  }
}

/**
 * Describe one issue for the value at its path. `input` is the value that was validated
 * (used only to name the kind of value found); `keysAt` lists the valid keys of an object path
 * (for "did you mean").
 */
export function describeIssue(
  src: YamlSource,
  issue: Issue,
  input: unknown,
  keysAt: (path: ValuePath) => readonly string[],
): LocatedProblem[] {
  const path = issue.path;
  const at = displayPath(path);
  const here = (message: string): LocatedProblem[] => [{ ...locateValue(src, path), message }];
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => {
        const suggestion = nearest(key, keysAt(path));
        const hint = suggestion !== undefined ? ` (did you mean "${suggestion}"?)` : '';
        return { ...locateKey(src, path, key), message: `unknown key ${quoteKey(key)} ${inPath(path)}${hint}` };
      });
    case 'invalid_key': {
      const parent = path.slice(0, -1);
      const key = path[path.length - 1];
      const inner = issue.issues[0];
      const why = inner?.code === 'custom' ? inner.message : inner?.code === 'invalid_format' ? formatText(inner) : 'is not valid';
      return [
        {
          ...(key === undefined ? locateValue(src, parent) : locateKey(src, parent, key)),
          message: `${displayPath(parent)}: key ${quoteKey(String(key))} ${why}`,
        },
      ];
    }
    case 'invalid_type': {
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      const parent = path.slice(0, -1);
      const key = path[path.length - 1];
      if (key !== undefined && typeof key !== 'number' && !hasKey(valueAt(input, parent), key)) {
        return here(`${displayPath(parent)}: missing required key ${quoteKey(String(key))} (${expected})`);
      }
      return here(`${at}: expected ${expected}, got ${kindOf(valueAt(input, path))}`);
    }
    case 'too_small':
      return here(`${at}: ${sizeText(issue, true)}`);
    case 'too_big':
      return here(`${at}: ${sizeText(issue, false)}`);
    case 'invalid_value':
      // The allowed values come from the schema, not the file.
    {
      const got = valueAt(input, path);
      const suggestion = typeof got === 'string' ? nearest(got, issue.values.filter((v): v is string => typeof v === 'string')) : undefined;
      const hint = suggestion !== undefined ? ` (did you mean "${suggestion}"?)` : '';
      return here(`${at}: expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}${hint}`);
    }
    case 'invalid_format':
      return here(`${at}: ${formatText(issue)}`);
    case 'custom':
      // Our own refinements: their messages are written to name expectations, never input.
      return here(`${at}: ${issue.message}`);
    default:
      return here(`${at}: invalid value`);
  }
}

/**
 * The keys a zod schema allows at a value path (for "did you mean"), at any depth: through
 * objects, list items and the values of records; optional, nullable and default wrappers are
 * looked through. Paths that lead nowhere have none.
 */
export function keysOfSchemaAt(schema: z.ZodType, path: ValuePath): readonly string[] {
  let s: z.ZodType = unwrap(schema);
  for (const seg of path) {
    let next: unknown;
    if (s instanceof z.ZodObject) next = Reflect.get(s.shape, seg);
    else if (s instanceof z.ZodArray && typeof seg === 'number') next = s.element;
    else if (s instanceof z.ZodRecord) next = s.valueType;
    if (!(next instanceof z.ZodType)) return [];
    s = unwrap(next);
  }
  return s instanceof z.ZodObject ? Object.keys(s.shape) : [];
}

function unwrap(s: z.ZodType): z.ZodType {
  let cur: z.ZodType = s;
  for (;;) {
    let next: unknown;
    if (cur instanceof z.ZodOptional || cur instanceof z.ZodNullable || cur instanceof z.ZodDefault) next = cur.unwrap();
    // a refined object (`.refine` on z.object) is still the object for its keys
    else if (cur instanceof z.ZodPipe) next = cur.in;
    if (!(next instanceof z.ZodType)) return cur;
    cur = next;
  }
}

/**
 * Check ids a file names that are no check (a waiver, a `notApplicable` key, an attestation):
 * each is a located problem with the nearest real id, so a typo never silently changes nothing.
 * The id is quoted only when it has the shape of a check id (anything else may be a pasted
 * value; the schema reports its format).
 */
export function unknownCheckProblem(src: YamlSource, loc: Location, where: string, id: string, checkIds: readonly string[]): LocatedProblem | undefined {
  if (checkIds.includes(id) || !/^[a-z]+\.[a-z0-9]+(?:-[a-z0-9]+)*$/.test(id)) return undefined;
  const suggestion = nearest(id, checkIds) ?? checkIds.find((c) => c.endsWith(`.${id.split('.')[1] ?? ''}`));
  const hint = suggestion !== undefined ? ` (did you mean "${suggestion}"?)` : ' (list them with: predeploy checks)';
  return { ...loc, message: `${where}: no check ${JSON.stringify(id)}${hint}` };
}
