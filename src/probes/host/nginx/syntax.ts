/**
 * nginx configuration syntax: the `nginx -T` dump split into its files, a tokenizer that follows
 * nginx's own reader (src/core/ngx_conf_file.c, `ngx_conf_read_token`), and the directive tree
 * with `include` resolved from the dumped files, every node carrying its file and line.
 *
 * Syntax rules taken from the reader:
 * - tokens are separated by spaces, tabs and newlines; `;` ends a directive, `{` opens a block
 *   and `}` closes one — `}` only at the start of a token, `{` not right after `$` (`${var}`);
 * - `#` starts a comment only at the start of a token (`a#b` is one word);
 * - `"…"` and `'…'` quote a token; `\"`, `\'`, `\\`, `\t`, `\r`, `\n` are unescaped in every
 *   token, any other `\x` is kept as written.
 */

/** One directive in the tree. */
export interface Node {
  name: string;
  args: string[];
  file: string;
  line: number;
  /** the directives of its `{ … }` block, when it has one */
  block?: Node[];
}

/** One file of the dump: its path and its text. */
export interface DumpFile {
  path: string;
  text: string;
}

const MARKER = /^# configuration file (.+):$/;

/**
 * Split `nginx -T` stdout into files. nginx prints `# configuration file <path>:`, then the file
 * verbatim, then one `\n` (src/core/nginx.c, `ngx_dump_conf`), each file once in include order.
 */
export function splitDump(text: string): DumpFile[] {
  const files: DumpFile[] = [];
  let current: { path: string; lines: string[] } | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    const m = MARKER.exec(line);
    if (m) {
      if (current) files.push({ path: current.path, text: current.lines.join('\n') });
      current = { path: m[1] ?? '', lines: [] };
      continue;
    }
    current?.lines.push(line);
  }
  if (current) files.push({ path: current.path, text: current.lines.join('\n') });
  return files;
}

interface Token {
  kind: 'word' | ';' | '{' | '}';
  value: string;
  line: number;
}

const SPACE = new Set([' ', '\t', '\r', '\n']);

function unescape(raw: string): string {
  return raw.replace(/\\(["'\\tnr])/g, (_m, c: string) => (c === 't' ? '\t' : c === 'n' ? '\n' : c === 'r' ? '\r' : c));
}

/** Tokenize one file. Throws with file:line when a quote is not closed. */
export function tokenize(text: string, file: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i] ?? '';
    if (ch === '\n') {
      line += 1;
      i += 1;
      continue;
    }
    if (SPACE.has(ch)) {
      i += 1;
      continue;
    }
    if (ch === '#') {
      while (i < n && text[i] !== '\n') i += 1;
      continue;
    }
    if (ch === ';' || ch === '{' || ch === '}') {
      tokens.push({ kind: ch, value: ch, line });
      i += 1;
      continue;
    }
    const start = line;
    if (ch === '"' || ch === "'") {
      let j = i + 1;
      let raw = '';
      while (j < n && text[j] !== ch) {
        if (text[j] === '\\' && j + 1 < n) {
          raw += text.slice(j, j + 2);
          if (text[j + 1] === '\n') line += 1;
          j += 2;
          continue;
        }
        if (text[j] === '\n') line += 1;
        raw += text[j];
        j += 1;
      }
      if (j >= n) throw new Error(`${file}:${start}: unterminated ${ch} quote`);
      tokens.push({ kind: 'word', value: unescape(raw), line: start });
      i = j + 1;
      continue;
    }
    let j = i;
    let raw = '';
    let variable = false;
    while (j < n) {
      const c = text[j] ?? '';
      if (c === '\\' && j + 1 < n) {
        raw += text.slice(j, j + 2);
        j += 2;
        variable = false;
        continue;
      }
      if (c === '{' && variable) {
        raw += c;
        j += 1;
        variable = false;
        continue;
      }
      if (SPACE.has(c) || c === ';' || c === '{') break;
      variable = c === '$';
      raw += c;
      j += 1;
    }
    tokens.push({ kind: 'word', value: unescape(raw), line: start });
    i = j;
  }
  return tokens;
}

/** Build the directive tree of one file (includes not yet resolved). */
export function parseTokens(tokens: readonly Token[], file: string): Node[] {
  let i = 0;
  const block = (depth: number): Node[] => {
    const nodes: Node[] = [];
    let words: Token[] = [];
    while (i < tokens.length) {
      const t = tokens[i++];
      if (!t) break;
      if (t.kind === 'word') {
        words.push(t);
        continue;
      }
      if (t.kind === '}') {
        if (words.length > 0) throw new Error(`${file}:${t.line}: unexpected "}" after "${words.map((w) => w.value).join(' ')}"`);
        if (depth === 0) throw new Error(`${file}:${t.line}: unexpected "}"`);
        return nodes;
      }
      const [head, ...rest] = words;
      if (!head) throw new Error(`${file}:${t.line}: unexpected "${t.value}"`);
      const node: Node = { name: head.value, args: rest.map((w) => w.value), file, line: head.line };
      if (t.kind === '{') node.block = block(depth + 1);
      nodes.push(node);
      words = [];
    }
    if (words.length > 0) throw new Error(`${file}:${words[0]?.line ?? 0}: unexpected end of file, expecting ";" or "}"`);
    if (depth > 0) throw new Error(`${file}: unexpected end of file, expecting "}"`);
    return nodes;
  };
  return block(0);
}

/** A shell glob (as nginx's include takes, via glob(3)) as a RegExp over whole paths. */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i += 1) {
    const c = glob[i] ?? '';
    if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) {
        out += '\\[';
        continue;
      }
      const body = glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\');
      out += `[${body}]`;
      i = end;
    } else out += c.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

function dirname(path: string): string {
  const k = path.lastIndexOf('/');
  return k <= 0 ? '/' : path.slice(0, k);
}

/** Resolve an include argument as nginx does: relative paths are relative to the main file's directory (the conf prefix). */
export function includePath(arg: string, confPrefix: string): string {
  return arg.startsWith('/') ? arg : `${confPrefix.replace(/\/$/, '')}/${arg}`;
}

/** The dump as one tree (includes resolved), the files it came from, and what was not modelled. */
export interface Tree {
  nodes: Node[];
  files: string[];
  notes: string[];
}

/**
 * Parse the whole dump into one tree with every `include` replaced by the directives of the
 * files it matched. A `# configuration file` line that no include accounts for is content of
 * the previous file (a comment that only looks like a marker), not a new file.
 */
export function parseDump(text: string): Tree {
  let files = splitDump(text);
  if (files.length === 0) throw new Error('no "# configuration file" marker in nginx -T output');
  const main = files[0]?.path ?? '';
  const prefix = dirname(main);

  // Drop false markers: a section cut short by one (it does not parse on its own), or a
  // section no include pattern (from any section) matches, belongs to the section before it.
  const parsed = new Map<string, Node[]>();
  const mergeInto = (k: number) => {
    const prev = files[k - 1];
    const cur = files[k];
    if (!prev || !cur) return;
    const merged = { path: prev.path, text: `${prev.text}\n# configuration file ${cur.path}:\n${cur.text}` };
    files = [...files.slice(0, k - 1), merged, ...files.slice(k + 1)];
  };
  for (;;) {
    parsed.clear();
    let cut = -1;
    for (const [k, f] of files.entries()) {
      try {
        parsed.set(f.path, parseTokens(tokenize(f.text, f.path), f.path));
      } catch (err) {
        if (k + 1 >= files.length) throw err;
        cut = k + 1;
        break;
      }
    }
    if (cut > 0) {
      mergeInto(cut);
      continue;
    }
    const patterns: RegExp[] = [];
    const collect = (nodes: readonly Node[]) => {
      for (const node of nodes) {
        if (node.name === 'include' && node.args[0] !== undefined) patterns.push(globToRegExp(includePath(node.args[0], prefix)));
        if (node.block) collect(node.block);
      }
    };
    for (const nodes of parsed.values()) collect(nodes);
    const orphan = files.findIndex((f, k) => k > 0 && !patterns.some((p) => p.test(f.path)));
    if (orphan < 0) break;
    mergeInto(orphan);
  }

  const notes: string[] = [];
  const expand = (nodes: readonly Node[], depth: number): Node[] => {
    const out: Node[] = [];
    for (const node of nodes) {
      if (node.name === 'include' && node.args[0] !== undefined) {
        const pattern = globToRegExp(includePath(node.args[0], prefix));
        const hits = files.filter((f) => pattern.test(f.path));
        if (hits.length === 0 && !/[*?[]/.test(node.args[0])) notes.push(`${node.file}:${node.line}: include ${node.args[0]} matched no file in the dump`);
        if (depth > 16) throw new Error(`${node.file}:${node.line}: include nesting deeper than 16`);
        for (const hit of hits) out.push(...expand(parsed.get(hit.path) ?? [], depth + 1));
        continue;
      }
      out.push(node.block ? { ...node, block: expand(node.block, depth) } : node);
    }
    return out;
  };
  return { nodes: expand(parsed.get(main) ?? [], 0), files: files.map((f) => f.path), notes };
}
