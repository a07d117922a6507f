/**
 * Zod validation issues → one located line each. Messages name the key path and what was
 * expected, and the *kind* of value found ("got a number") — never the value itself, since a
 * user may have pasted a secret into the wrong key.
 */
import type { z } from 'zod';
import { ConfigError } from '../engine/errors.js';
import { nearest } from './suggest.js';
import { displayPath, inPath, locateKey, locateValue, messageAt, quoteKey, type Location, type ValuePath, type YamlSource } from './yaml-source.js';

type Issue = z.core.$ZodIssue;

/** A located problem, before it becomes a ConfigError (so several can be sorted by position). */
export interface LocatedProblem extends Location {
  message: string;
}

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
      return here(`${at}: expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`);
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
 * Turn problems into one ConfigError: the first in file order, with a count of the rest, so
 * the message stays one line and the user fixes the file top to bottom. Problems pointing at
 * their own node come before those reported at a parent (a missing key), because a misspelt
 * key usually explains the missing one.
 */
export function firstProblem(src: YamlSource, problems: readonly LocatedProblem[]): ConfigError {
  const sorted = [...problems].sort((a, b) => Number(b.exact) - Number(a.exact) || a.offset - b.offset);
  const first = sorted[0];
  if (!first) return new ConfigError(`${src.file}: invalid`);
  const more = sorted.length - 1;
  const tail = more > 0 ? ` (and ${plural(more, 'more problem')})` : '';
  return new ConfigError(messageAt(src, first.offset, `${first.message}${tail}`));
}
