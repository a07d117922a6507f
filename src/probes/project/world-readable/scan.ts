/**
 * Pure content scan for secret-shaped lines in a file anyone on the host can read. Returns
 * line numbers, kinds and key names for the fact, and the matched values separately, for the
 * probe to hand to the redactor — values never reach a fact.
 *
 * Shapes follow gitleaks' rules (https://github.com/gitleaks/gitleaks, config/gitleaks.toml)
 * and the `.env` classifier of src/config/dotenv.ts. Assignments count only when the key names
 * a credential and the value is a literal (not a placeholder, a `${VAR}` or a vault reference).
 */
import { classifyEnvKey, isOrdinaryValue, isReference, PLACEHOLDER_VALUE } from '../../../config/dotenv.js';
import type { SecretShapeKind } from '../../../facts/project.js';

/** One secret-shaped line. */
export interface ContentHit {
  line: number;
  kind: SecretShapeKind;
  key?: string;
}

/** The scan of one file: hits for the fact, values for the redactor. */
export interface ContentScan {
  hits: ContentHit[];
  /** the matched values, for the redactor only */
  values: string[];
}

const MAX_HITS_PER_FILE = 50;
const MAX_LINE_LENGTH = 4096;

/** Standalone shapes, strongest first; the capture group (when present) is the secret part. */
const SHAPES: readonly { kind: SecretShapeKind; re: RegExp }[] = [
  { kind: 'private-key', re: /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY-----/ },
  { kind: 'jwt', re: /(?<![A-Za-z0-9_-])(eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*)/ },
  { kind: 'zoho-token', re: /(?<![A-Za-z0-9.])(1000\.[0-9a-fA-F]{16,}\.[0-9a-fA-F]{16,})/ },
  { kind: 'connection-string', re: /(?:AccountKey|SharedAccessKey|SharedAccessSignature)\s*=\s*([^;\s"'<>]{8,})/i },
  { kind: 'url-password', re: /[A-Za-z][A-Za-z0-9+.-]{0,30}:\/\/[^\s:/@]+:([^\s@/]{4,})@/ },
  { kind: 'entra-client-secret', re: /(?<![A-Za-z0-9_~.-])([A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,37})(?![A-Za-z0-9_~.-])/ },
];

/** `KEY=value`, `key: value`, `"key": "value"`, `key = 'value'`, `const key = "value";` (shell, dotenv, YAML, JSON, INI, TOML, code). */
const ASSIGNMENT =
  /^\s*(?:(?:export|const|let|var|final|static|private|public|readonly)\s+)*["']?([A-Za-z_][A-Za-z0-9_.-]{0,127})["']?\s*(?::\s*[A-Za-z<>[\]]+\s*)?[:=]\s*(.+?)\s*[,;]?\s*$/;

/** `"key": "value"` anywhere on a line (JSON, JS object literals). */
const JSON_PAIR = /"([A-Za-z_][A-Za-z0-9_.-]{0,127})"\s*:\s*"((?:[^"\\]|\\.){1,4096})"/g;

/** Config formats where an unquoted value is a literal; elsewhere (code) only quoted literals count. */
const CONFIG_FILE = /(?:^|\/)(?:\.env[^/]*|[^/]*\.(?:env|ini|conf|cfg|cnf|properties|ya?ml|toml|json|txt|service|sh|bash|list))$|(?:^|\/)[^/.]+$/i;

function literalValue(raw: string, configFile: boolean): string | undefined {
  const v = raw.trim();
  const quoted = /^(["'`])(.*)\1$/.exec(v);
  if (quoted) return quoted[2];
  if (!configFile) return undefined;
  // an unquoted value ends at an inline comment; code-like values (calls, lookups) are not literals
  const bare = v.replace(/\s+#.*$/, '');
  if (/[\s(){}[\];]/.test(bare)) return undefined;
  return bare;
}

/** Scan the text of one file. Never throws. */
export function scanContent(path: string, text: string): ContentScan {
  const hits: ContentHit[] = [];
  const values: string[] = [];
  const configFile = CONFIG_FILE.test(path);
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length && hits.length < MAX_HITS_PER_FILE; i += 1) {
    const line = (lines[i] ?? '').slice(0, MAX_LINE_LENGTH);
    if (line.trim() === '' || /^\s*(?:#|\/\/|;)/.test(line)) {
      // a commented-out secret is still a secret on disk, but only strong shapes count there
      const shape = SHAPES.find((s) => s.re.test(line));
      if (shape && line.trim() !== '') {
        hits.push({ line: i + 1, kind: shape.kind });
        const m = shape.re.exec(line);
        if (m?.[1] !== undefined) values.push(m[1]);
      }
      continue;
    }
    const shape = SHAPES.find((s) => s.re.test(line));
    if (shape) {
      hits.push({ line: i + 1, kind: shape.kind });
      const m = shape.re.exec(line);
      if (m?.[1] !== undefined) values.push(m[1]);
      continue;
    }
    // `KEY=value` lines, then `"key": "value"` pairs anywhere on the line (one-line JSON)
    const a = ASSIGNMENT.exec(line);
    const pairs: [string, string][] = a?.[1] !== undefined && a[2] !== undefined ? [[a[1], a[2]]] : [];
    for (const m of line.matchAll(JSON_PAIR)) if (m[1] !== undefined && m[2] !== undefined) pairs.push([m[1], `"${m[2]}"`]);
    for (const [key, raw] of pairs) {
      // the name alone: classifyEnvKey with an empty value judges by name only
      if (!classifyEnvKey(key, '').secretLike) continue;
      const value = literalValue(raw, configFile);
      // `credential: environment` selects a login method: an ordinary word, not a secret (issue 9)
      if (value === undefined || value.length < 8 || PLACEHOLDER_VALUE.test(value.trim()) || isReference(value) || isOrdinaryValue(key, value)) continue;
      hits.push({ line: i + 1, kind: 'assignment', key });
      values.push(value);
      break;
    }
  }
  return { hits, values };
}

/** A NUL byte in the first 8 KiB: a binary file, not scanned. */
export function isBinary(buf: Uint8Array): boolean {
  const n = Math.min(buf.length, 8192);
  for (let i = 0; i < n; i += 1) if (buf[i] === 0) return true;
  return false;
}
