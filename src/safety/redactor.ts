/**
 * The one redactor every byte passes through before it is written (DESIGN.md invariant 2).
 *
 * Two layers: known secret values (from `.env` files, tokens the tool obtained), replaced by
 * `[REDACTED]` together with their base64, URL-encoded and JSON-escaped forms; then patterns
 * for secrets the tool was never told about, replaced by `[REDACTED:<kind>]`.
 *
 * Performance: every pattern is linear. Each token pattern starts with a negative lookbehind
 * on its own character class, so inside a long run of token characters only the first
 * position can start a match (no O(n²) rescans of 1 MB base64 blobs), and no pattern nests
 * quantifiers. PEM blocks are found with indexOf rather than a lazy `[\s\S]*?`, which would
 * rescan to the end of the input for every BEGIN without an END.
 *
 * Idempotence: every value pattern refuses to start at `[REDACTED` and none of the markers
 * can match a pattern, so `redact(redact(x)) === redact(x)`.
 */

/** The `<kind>` of a `[REDACTED:<kind>]` marker. */
export type RedactionKind =
  | 'private-key'
  | 'jwt'
  | 'authorization'
  | 'bearer'
  | 'zoho-oauthtoken'
  | 'zoho-token'
  | 'connection-string'
  | 'sas-signature'
  | 'password'
  | 'client-secret'
  | 'client-assertion'
  | 'refresh-token'
  | 'access-token'
  | 'id-token'
  | 'url-password'
  | 'tls-session';

const MIN_SECRET_LENGTH = 6;
const KNOWN = '[REDACTED]';
const mark = (kind: RedactionKind): string => `[REDACTED:${kind}]`;

/** A value must not start at an existing marker (keeps redact idempotent). */
const NOT_MARKED = '(?!\\[REDACTED)';

/** Keys whose values are secrets in JSON bodies, form bodies, query strings and `.env` lines. */
const SECRET_KEYS =
  'client_?secret|client_?assertion|refresh_?token|access_?token|id_?token|password|passwd|pwd';

function kindOfKey(key: string): RedactionKind {
  const k = key.toLowerCase().replace(/_/g, '');
  switch (k) {
    case 'clientsecret':
      return 'client-secret';
    case 'clientassertion':
      return 'client-assertion';
    case 'refreshtoken':
      return 'refresh-token';
    case 'accesstoken':
      return 'access-token';
    case 'idtoken':
      return 'id-token';
    default:
      return 'password';
  }
}

interface Rule {
  re: RegExp;
  replace: (match: string, ...groups: string[]) => string;
}

/** Applied in this order; earlier rules take the wider match (a JWT inside a Bearer header). */
const RULES: readonly Rule[] = [
  {
    // Graph passwordCredential `secretText` / `hint` (the hint is the secret's first 3
    // characters: too short to register as a known value) and Zoho webhook `secret`, in logged bodies
    re: new RegExp(`("(?:secretText|hint|secret)"\\s*:\\s*")${NOT_MARKED}(?:[^"\\\\\\r\\n]|\\\\.)+(?=")`, 'g'),
    replace: (_m, head = '') => `${head}${mark('client-secret')}`,
  },
  {
    // `openssl s_client` prints the session's keys: `Master-Key:` (TLS 1.2) decrypts a captured
    // session, `Resumption PSK:` (TLS 1.3) resumes it; the ids and the ticket hexdump go with them.
    re: new RegExp(`^(\\s*(?:Master-Key|Resumption PSK|Session-ID|Session-ID-ctx|PSK identity hint)\\s*:[ \\t]*)${NOT_MARKED}[0-9A-Fa-f]{8,}[ \\t]*$`, 'gm'),
    replace: (_m, head = '') => `${head}${mark('tls-session')}`,
  },
  {
    re: /(TLS session ticket:\r?\n)(?:[ \t]+[0-9a-f]{4} - [^\n]*\r?\n?)+/g,
    replace: (_m, head = '') => `${head}    ${mark('tls-session')}\n`,
  },
  {
    // header.payload.signature, each base64url; header and payload are JSON objects (`eyJ` = `{"`)
    re: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g,
    replace: () => mark('jwt'),
  },
  {
    // `Authorization: Basic dXNlcjpwYXNz`, `Authorization: Zoho-oauthtoken 1000.x.y`, `"Authorization": "Bearer x"`
    re: new RegExp(
      `(?<![A-Za-z0-9])(Authorization["']?\\s*[:=]\\s*["']?[A-Za-z][A-Za-z0-9_-]{0,40}[ \\t]+)${NOT_MARKED}[^\\s"',;]+`,
      'gi',
    ),
    replace: (_m, head = '') => `${head}${mark('authorization')}`,
  },
  {
    // a bare `Authorization: <long token>` with no scheme (API keys); the length floor keeps
    // a scheme word such as `Bearer` from ever matching here
    re: new RegExp(
      `(?<![A-Za-z0-9])(Authorization["']?\\s*[:=]\\s*["']?)${NOT_MARKED}[A-Za-z0-9\\-._~+/=]{20,}(?![A-Za-z0-9\\-._~+/=]|[ \\t]+[^\\s])`,
      'gi',
    ),
    replace: (_m, head = '') => `${head}${mark('authorization')}`,
  },
  {
    re: new RegExp(`(?<![A-Za-z0-9-])(Bearer[ \\t]+)${NOT_MARKED}[A-Za-z0-9\\-._~+/]{6,}=*`, 'gi'),
    replace: (_m, head = '') => `${head}${mark('bearer')}`,
  },
  {
    re: new RegExp(`(?<![A-Za-z0-9-])(Zoho-oauthtoken[ \\t]+)${NOT_MARKED}[A-Za-z0-9._-]{6,}`, 'gi'),
    replace: (_m, head = '') => `${head}${mark('zoho-oauthtoken')}`,
  },
  {
    // Zoho access and refresh tokens: `1000.<32 hex>.<32 hex>` in practice; Zoho documents no
    // alphabet, so any long alphanumeric parts count (a client id `1000.ABC` has one part only).
    re: /(?<![A-Za-z0-9.])1000\.[0-9A-Za-z]{16,}\.[0-9A-Za-z]{16,}/g,
    replace: () => mark('zoho-token'),
  },
  {
    // Azure Storage / Service Bus / Cosmos connection strings: `AccountKey=...;`, `SharedAccessKey=...`
    re: new RegExp(
      `(?<![A-Za-z0-9])((?:AccountKey|SharedAccessKey|SharedAccessSignature|PrimaryKey|SecondaryKey)\\s*=\\s*)${NOT_MARKED}[^;&\\s"'<>]+`,
      'gi',
    ),
    replace: (_m, head = '') => `${head}${mark('connection-string')}`,
  },
  {
    // SAS tokens: the signature is the secret part (`...&sig=abc%2Bdef`)
    re: new RegExp(`(?<![A-Za-z0-9])(sig=)${NOT_MARKED}[^&\\s"'<>;]+`, 'gi'),
    replace: (_m, head = '') => `${head}${mark('sas-signature')}`,
  },
  {
    // JSON: `"client_secret": "..."`, `"accessToken": "..."`, `"password": "..."`
    re: new RegExp(`("(${SECRET_KEYS})"\\s*:\\s*")${NOT_MARKED}(?:[^"\\\\\\r\\n]|\\\\.)+(?=")`, 'gi'),
    replace: (_m, head = '', key = '') => `${head}${mark(kindOfKey(key))}`,
  },
  {
    // form bodies, query strings, connection strings and `.env` lines: `client_secret=...`,
    // `Password=...;`, `ZOHO_REFRESH_TOKEN=...` (the lookbehind allows a `_` prefix on purpose)
    re: new RegExp(`(?<![A-Za-z0-9])((${SECRET_KEYS})\\s*=\\s*)${NOT_MARKED}[^&;\\s"'<>]+`, 'gi'),
    replace: (_m, head = '', key = '') => `${head}${mark(kindOfKey(key))}`,
  },
  {
    // `scheme://user:pass@host`: keep the user, hide the password
    re: new RegExp(`(?<![A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]{0,30}://[^\\s:/@\\[\\]]+:)${NOT_MARKED}[^\\s@/]+@`, 'g'),
    replace: (_m, head = '') => `${head}${mark('url-password')}@`,
  },
];

const PEM_BEGIN = '-----BEGIN ';
const PEM_HEADER = /^-----BEGIN ([A-Z0-9 ]{0,40})PRIVATE KEY-----/;

/**
 * Replaces every PEM private key block (RSA, EC, OPENSSH, ENCRYPTED, PKCS#8) with a marker.
 * A block with no END (output cut by a size cap) is redacted to the end of the text.
 */
function redactPrivateKeys(text: string): string {
  let from = 0;
  let out = '';
  for (;;) {
    const begin = text.indexOf(PEM_BEGIN, from);
    if (begin < 0) break;
    const header = PEM_HEADER.exec(text.slice(begin, begin + 80));
    if (!header) {
      out += text.slice(from, begin + PEM_BEGIN.length);
      from = begin + PEM_BEGIN.length;
      continue;
    }
    const endMarker = `-----END ${header[1] ?? ''}PRIVATE KEY-----`;
    const end = text.indexOf(endMarker, begin + header[0].length);
    out += text.slice(from, begin) + mark('private-key');
    if (end < 0) return out;
    from = end + endMarker.length;
  }
  return out + text.slice(from);
}

/** Every marker the redactor writes; a "secret" contained in one would break idempotence. */
const MARKERS = [
  KNOWN,
  ...(
    [
      'private-key', 'jwt', 'authorization', 'bearer', 'zoho-oauthtoken', 'zoho-token',
      'connection-string', 'sas-signature', 'password', 'client-secret', 'client-assertion',
      'refresh-token', 'access-token', 'id-token', 'url-password', 'tls-session',
    ] satisfies RedactionKind[]
  ).map(mark),
];

/**
 * The encoded forms a secret may appear in: raw, URL-encoded (both `%20` and `+` for spaces),
 * JSON-escaped, and base64/base64url. For base64 the secret can sit at any byte offset of the
 * encoded data (e.g. `Basic base64(user:secret)`), so we take the run of base64 characters that
 * encodes only secret bytes for each of the three alignments.
 */
function encodedForms(value: string): string[] {
  const forms = new Set<string>([value]);
  const uri = encodeURIComponent(value);
  forms.add(uri);
  forms.add(uri.replace(/%20/g, '+'));
  forms.add(JSON.stringify(value).slice(1, -1));
  const bytes = Buffer.from(value, 'utf8');
  const full = bytes.toString('base64');
  forms.add(full);
  forms.add(bytes.toString('base64url'));
  for (let shift = 0; shift < 3; shift++) {
    const start = (3 - shift) % 3;
    const len = Math.floor((bytes.length - start) / 3) * 3;
    if (len < 6) continue; // 8+ base64 characters, or the core is too short to be specific
    const core = bytes.subarray(start, start + len);
    forms.add(core.toString('base64'));
    forms.add(core.toString('base64url'));
  }
  return [...forms].filter((f) => f.length >= MIN_SECRET_LENGTH);
}

/** Replaces known secret values and secret-looking patterns in text. */
export class Redactor {
  /** every form of every known secret, longest first so a secret containing another goes whole */
  #forms: string[] = [];
  #values = new Set<string>();

  /**
   * Registers a secret value (a `.env` value, a token the tool obtained). Values shorter than
   * 6 characters are ignored: they are too short to be secrets and would shred ordinary text.
   */
  addSecret(value: string): void {
    if (value.length < MIN_SECRET_LENGTH || value.trim().length === 0 || this.#values.has(value)) return;
    if (MARKERS.some((m) => m.includes(value))) return;
    this.#values.add(value);
    const all = new Set([...this.#forms, ...encodedForms(value)]);
    this.#forms = [...all].sort((a, b) => b.length - a.length);
  }

  /** Returns text with every known secret and secret pattern replaced. Idempotent. */
  redact(text: string): string {
    let out = text;
    for (const form of this.#forms) {
      if (out.includes(form)) out = out.split(form).join(KNOWN);
    }
    if (out.includes(PEM_BEGIN)) out = redactPrivateKeys(out);
    for (const rule of RULES) {
      rule.re.lastIndex = 0;
      out = out.replace(rule.re, rule.replace);
    }
    return out;
  }

  /**
   * Redacts every string inside a JSON-like value (object keys too). Structured output must be
   * redacted before it is serialized: patterns run over serialized JSON can swallow a quote
   * (a PEM block whose newlines are `\n` escapes) and leave invalid JSON.
   */
  redactDeep<T>(value: T): T {
    return deep(value, (s) => this.redact(s)) as T;
  }
}

function deep(value: unknown, f: (s: string) => string): unknown {
  if (typeof value === 'string') return f(value);
  if (Array.isArray(value)) return value.map((v) => deep(v, f));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [f(k), deep(v, f)]));
  }
  return value;
}
