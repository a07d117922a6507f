/**
 * Parsing a YAML input file (predeploy.yaml, predeploy.attest.yaml) into a plain value while
 * keeping the AST, so every later complaint can point at `file:line:col`.
 *
 * Error messages never quote the file's content: a user may have pasted a secret anywhere, and
 * the CLI prints these messages to a terminal (and CI logs). That is why YAML syntax errors are
 * re-worded from their code instead of using the yaml library's message (several of which quote
 * the offending source), and why keys are only quoted when they do not look like a secret.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node as YamlNode } from 'yaml';
import { ConfigError } from '../engine/errors.js';
import { looksLikeSecretValue } from './dotenv.js';

/** A parsed YAML file: the document, positions, and the file name used in messages. */
export interface YamlSource {
  readonly file: string;
  readonly doc: Document.Parsed;
  readonly lineCounter: LineCounter;
  /**
   * Duplicate keys: reported together with the schema's problems (the value of a duplicated key
   * is the last one), so one pass over the file shows everything to fix.
   */
  readonly duplicates: readonly LocatedProblem[];
}

/** A path into the parsed value, as zod reports it (`['azure', 'prod', 'keyVault']`, `['services', 1]`). */
export type ValuePath = readonly PropertyKey[];

/** `file:line:col: message` for a character offset of the source; one line, always. */
export function messageAt(src: YamlSource, offset: number, message: string): string {
  const { line, col } = src.lineCounter.linePos(Math.max(0, offset));
  return `${src.file}:${line}:${col}: ${oneLine(message)}`;
}

/** A located problem, before it becomes a ConfigError (so several can be sorted by position). */
export interface LocatedProblem extends Location {
  message: string;
}

/**
 * One ConfigError listing every problem, in file order, one located line each
 * (`file:line:col: ...`), so the user fixes the whole file in one pass. The same message at the
 * same place is listed once.
 */
export function problemsError(src: YamlSource, problems: readonly LocatedProblem[]): ConfigError {
  const sorted = [...problems].sort((a, b) => a.offset - b.offset || Number(b.exact) - Number(a.exact));
  const lines = [...new Set(sorted.map((p) => messageAt(src, p.offset, p.message)))];
  return new ConfigError(lines.length > 0 ? lines.join('\n') : `${src.file}: invalid`);
}

/** A ConfigError located at a character offset. */
export function errorAt(src: YamlSource, offset: number, message: string): ConfigError {
  return new ConfigError(messageAt(src, offset, message));
}

function oneLine(s: string): string {
  return s.replace(/\s*[\r\n]+\s*/g, ' ');
}

// Messages of the yaml library that are fixed text (no source quoted); anything else is replaced
// by the wording of its error code below.
const SAFE_YAML_MESSAGES: readonly RegExp[] = [
  /^Missing closing ["']quote$/,
  /^Implicit map keys need to be followed by map values$/,
  /^Missing (?:,|, or :) between flow (?:map|sequence|collection) items$/,
  /^Missing space after : in flow (?:map|sequence|collection)$/,
  /^Nested mappings are not allowed in compact mappings$/,
  /^A block sequence may not be used as an implicit map key$/,
  /^Implicit keys need to be on a single line$/,
  /^Implicit keys of flow sequence pairs need to be on a single line$/,
  /^Tabs are not allowed as indentation$/,
  /^All sequence items must start at the same column$/,
  /^Sequence item without - indicator$/,
  /^Comments must be separated from other tokens by white space characters$/,
  /^Tags and anchors must be separated from the next token by white space$/,
  /^A node can have at most one (?:anchor|tag)$/,
  /^An alias node must not specify any properties$/,
];

const YAML_CODE_TEXT: Readonly<Record<string, string>> = {
  ALIAS_PROPS: 'an alias must not have a tag or anchor',
  BAD_ALIAS: 'bad alias or anchor',
  BAD_DIRECTIVE: 'bad YAML directive',
  BAD_DQ_ESCAPE: 'invalid escape sequence in a double-quoted string',
  BAD_INDENT: 'bad indentation',
  BAD_PROP_ORDER: 'anchors and tags must come after the "-", "?" or ":" indicator',
  BAD_SCALAR_START: 'a plain value cannot start with a reserved character; quote it',
  BLOCK_AS_IMPLICIT_KEY: 'a nested block cannot be used as a key',
  BLOCK_IN_FLOW: 'block collections are not allowed inside [ ] or { }',
  DUPLICATE_KEY: 'duplicate key',
  IMPOSSIBLE: 'YAML syntax error',
  KEY_OVER_1024_CHARS: 'a key longer than 1024 characters',
  MISSING_CHAR: 'a required character is missing (quote, comma, colon or space)',
  MULTILINE_IMPLICIT_KEY: 'a key must be on a single line (is a ":" missing?)',
  MULTIPLE_ANCHORS: 'a node can have at most one anchor',
  MULTIPLE_DOCS: 'only one YAML document is allowed (remove the "---" separator)',
  MULTIPLE_TAGS: 'a node can have at most one tag',
  NON_STRING_KEY: 'keys must be plain strings',
  RESOURCE_EXHAUSTION: 'too many aliases (alias expansion limit)',
  TAB_AS_INDENT: 'tabs are not allowed as indentation',
  TAG_RESOLVE_FAILED: 'unknown or unresolvable tag',
  UNEXPECTED_TOKEN: 'unexpected token',
  BAD_COLLECTION_TYPE: 'a tag does not match the kind of collection',
};

function syntaxText(code: string, message: string): string {
  const safe = SAFE_YAML_MESSAGES.some((re) => re.test(message));
  const text = safe ? message.charAt(0).toLowerCase() + message.slice(1) : (YAML_CODE_TEXT[code] ?? 'YAML syntax error');
  return `YAML syntax error: ${text}`;
}

/**
 * Parse YAML text. Throws a one-line {@link ConfigError} (`file:line:col: ...`) for syntax
 * errors, duplicate keys, keys that are not plain scalars and aliases without an anchor.
 */
export function parseYamlSource(text: string, file: string): YamlSource {
  const lineCounter = new LineCounter();
  // uniqueKeys off: duplicates are found below, where the key path can be named.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const bare = { file, doc, lineCounter, duplicates: [] };
  if (doc.errors.length > 0) {
    // Every syntax error, each where it is, but one per line: the parser's follow-on complaints
    // about the same line are noise. The value is not used when any exists.
    const seenLines = new Set<number>();
    const firstPerLine = doc.errors.filter((e) => {
      const line = lineCounter.linePos(e.pos[0]).line;
      if (seenLines.has(line)) return false;
      seenLines.add(line);
      return true;
    });
    throw problemsError(
      bare,
      firstPerLine.map((e) => {
        let offset = e.pos[0];
        // An unterminated quote is reported where the file ends; the opening quote is what to fix.
        if (e.code === 'MISSING_CHAR' && /quote/.test(e.message)) offset = openingQuoteBefore(doc, offset) ?? offset;
        return { offset, exact: true, message: syntaxText(e.code, e.message) };
      }),
    );
  }
  const { fatal, duplicates } = checkKeysAndAliases(bare);
  if (fatal.length > 0) throw problemsError(bare, [...fatal, ...duplicates]);
  return { ...bare, duplicates };
}

function openingQuoteBefore(doc: Document.Parsed, offset: number): number | undefined {
  let found: number | undefined;
  visit(doc, {
    Scalar(_key, node) {
      const r = node.range;
      if (r && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') && r[0] < offset && r[2] >= offset) found = r[0];
    },
  });
  return found;
}

function checkKeysAndAliases(src: YamlSource): { fatal: LocatedProblem[]; duplicates: LocatedProblem[] } {
  const fatal: LocatedProblem[] = [];
  const duplicates: LocatedProblem[] = [];
  const walk = (node: unknown, path: PropertyKey[]): void => {
    if (isAlias(node)) {
      if (node.resolve(src.doc) === undefined) {
        fatal.push({ offset: node.range?.[0] ?? 0, exact: true, message: `${displayPath(path)}: alias refers to an anchor that is not defined before it` });
      }
      return;
    }
    if (isMap(node)) {
      const seen = new Map<string, number>();
      for (const pair of node.items) {
        const key = pair.key;
        const keyOffset = offsetOf(key) ?? offsetOf(node) ?? 0;
        if (!isScalar(key) || key.value === null || typeof key.value === 'object') {
          fatal.push({ offset: keyOffset, exact: true, message: `${where(path)}: keys must be plain strings` });
          continue;
        }
        const name = String(key.value);
        const before = seen.get(name);
        if (before !== undefined) {
          const firstLine = src.lineCounter.linePos(before).line;
          duplicates.push({ offset: keyOffset, exact: true, message: `duplicate key ${quoteKey(name)} ${inPath(path)} (first defined on line ${firstLine})` });
        } else seen.set(name, keyOffset);
        walk(pair.value, [...path, name]);
      }
      return;
    }
    if (isSeq(node)) node.items.forEach((item, i) => walk(item, [...path, i]));
  };
  walk(src.doc.contents, []);
  return { fatal, duplicates };
}

function offsetOf(node: unknown): number | undefined {
  if (node !== null && typeof node === 'object' && 'range' in node) {
    const range: unknown = node.range;
    if (Array.isArray(range) && typeof range[0] === 'number') return range[0];
  }
  return undefined;
}

/**
 * The plain JavaScript value of the document (null for an empty one). Aliases were checked by
 * {@link parseYamlSource}; the yaml library caps alias expansion (billion-laughs).
 */
export function toPlain(src: YamlSource): unknown {
  try {
    return src.doc.toJS({ maxAliasCount: 100 });
  } catch {
    // The library's message may quote an alias name; report without it.
    throw errorAt(src, offsetOf(src.doc.contents) ?? 0, 'YAML error: aliases could not be expanded');
  }
}

/** The character offset of the document's top-level node, or 0. */
export function contentsOffset(src: YamlSource): number {
  return offsetOf(src.doc.contents) ?? 0;
}

interface Located {
  key?: YamlNode;
  value?: YamlNode;
}

function follow(src: YamlSource, node: unknown): unknown {
  return isAlias(node) ? node.resolve(src.doc) : node;
}

/** The pair (key and value nodes) at a path, or undefined when the file does not set it. */
function pairAt(src: YamlSource, path: ValuePath): Located | undefined {
  let current: unknown = src.doc.contents;
  let located: Located = isNode(current) ? { value: current } : {};
  for (const seg of path) {
    current = follow(src, current);
    if (isMap(current)) {
      const pair = current.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return undefined;
      located = { ...(isNode(pair.key) ? { key: pair.key } : {}), ...(isNode(pair.value) ? { value: pair.value } : {}) };
      current = pair.value;
    } else if (isSeq(current)) {
      const item: unknown = current.items[Number(seg)];
      if (item === undefined) return undefined;
      located = isNode(item) ? { value: item } : {};
      current = item;
    } else {
      return undefined;
    }
  }
  return located;
}

function isNode(n: unknown): n is YamlNode {
  return isScalar(n) || isMap(n) || isSeq(n) || isAlias(n);
}

/** A position to report, and whether it is the node the problem is about (not a parent). */
export interface Location {
  offset: number;
  exact: boolean;
}

/**
 * Where to point for a problem with the value at `path`: the value's node when the file sets
 * it (its key when the value is empty), else the nearest parent the file does set, else the top.
 */
export function locateValue(src: YamlSource, path: ValuePath): Location {
  for (let n = path.length; n >= 0; n -= 1) {
    const at = pairAt(src, path.slice(0, n));
    if (!at) continue;
    const exact = n === path.length;
    const vr = at.value?.range;
    const emptyValue = !vr || vr[0] === vr[1];
    if (!emptyValue && vr) return { offset: vr[0], exact };
    const k = offsetOf(at.key);
    if (k !== undefined) return { offset: k, exact };
    if (vr) return { offset: vr[0], exact };
  }
  return { offset: contentsOffset(src), exact: false };
}

/** The offset of {@link locateValue}. */
export function offsetForValue(src: YamlSource, path: ValuePath): number {
  return locateValue(src, path).offset;
}

/** Where to point for a problem with a key: the key's node, else the value at its parent path. */
export function locateKey(src: YamlSource, parent: ValuePath, key: PropertyKey): Location {
  const k = offsetOf(pairAt(src, [...parent, key])?.key);
  return k !== undefined ? { offset: k, exact: true } : { offset: offsetForValue(src, parent), exact: false };
}

const PLAIN_SEGMENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** A key for a message: quoted, or withheld when the key itself looks like a pasted secret. */
export function quoteKey(key: string): string {
  if (looksLikeSecretValue(key) || key.length > 64) return '<key not shown: it looks like a secret value>';
  return JSON.stringify(key);
}

/** `azure.prod.keyVault`, `host.allowedPublicPorts[1]`, `notApplicable["golive.uat"]`. */
export function displayPath(path: ValuePath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else {
      const s = String(seg);
      if (PLAIN_SEGMENT.test(s)) out += out === '' ? s : `.${s}`;
      else out += `[${quoteKey(s)}]`;
    }
  }
  return out === '' ? '(top level)' : out;
}

function where(path: ValuePath): string {
  return path.length === 0 ? 'top level' : displayPath(path);
}

/** `in azure.prod` or `at top level`, for key messages. */
export function inPath(path: ValuePath): string {
  return path.length === 0 ? 'at top level' : `in ${displayPath(path)}`;
}
