/**
 * The one redactor every byte passes through before it is written (docs/ARCHITECTURE.md invariant 2).
 *
 * Two layers: known secret values (from `.env` files, tokens the tool obtained), replaced by
 * `[REDACTED]` in whatever encoding they appear; then patterns for secrets the tool was never
 * told about, replaced by `[REDACTED:<kind>]`.
 *
 * Known values are searched in *views* of the text rather than as a list of encoded spellings:
 * the text itself, and the text with one, two or three layers of escaping undone (JSON and
 * shell backslash escapes including `\u0022`, `%xx` in either case, and `+` for a space as in
 * form encoding), each with line breaks removed when it holds wrapped base64 (`base64`, PEM,
 * MIME wrap at 64 or 76 columns). A view keeps a map back to the original, so a match in any
 * view redacts the exact original span, escapes included. In each view one regular expression
 * looks for every spelling that escaping cannot produce: the raw value and its base64/base64url
 * at each of the three byte alignments (and of its JSON-escaped form: JSON inside base64), and
 * base64 of that (base64 of base64). For an unaligned secret only the base64 characters whose
 * six bits come from the secret alone are searched, so `Basic base64(user:secret)` is caught.
 *
 * Streams ({@link Redactor.stream}) hold back a tail long enough for any spelling of any secret
 * and the partial line a pattern needs; output cut at a size cap ({@link Redactor.redactCut})
 * loses any tail that could be the first characters of a secret or of a pattern's value.
 *
 * Performance: every pattern is linear. Each token pattern starts with a negative lookbehind
 * on its own character class, so inside a long run of token characters only the first
 * position can start a match (no O(n²) rescans of 1 MB base64 blobs), and no pattern nests
 * quantifiers. PEM blocks are found with indexOf rather than a lazy `[\s\S]*?`, which would
 * rescan to the end of the input for every BEGIN without an END. Decoded views are built only
 * when the text holds an escape, and their maps only when a view holds a match.
 *
 * Idempotence: every value pattern refuses to start at `[REDACTED` and none of the markers
 * can match a pattern, so `redact(redact(x)) === redact(x)`.
 */
import { isOrdinaryValue, isSecretName, nameWords } from '../config/dotenv.js';

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
  | 'tls-session'
  | 'api-key'
  | 'token'
  | 'secret'
  | 'cookie';

const KINDS: readonly RedactionKind[] = [
  'private-key', 'jwt', 'authorization', 'bearer', 'zoho-oauthtoken', 'zoho-token', 'connection-string', 'sas-signature',
  'password', 'client-secret', 'client-assertion', 'refresh-token', 'access-token', 'id-token', 'url-password',
  'tls-session', 'api-key', 'token', 'secret', 'cookie',
];

const MIN_SECRET_LENGTH = 6;
const KNOWN = '[REDACTED]';
const mark = (kind: RedactionKind): string => `[REDACTED:${kind}]`;

/** A value must not start at an existing marker (keeps redact idempotent). */
const NOT_MARKED = '(?!\\[REDACTED)';

/** Keys whose values are secrets in JSON bodies, form bodies, query strings and `.env` lines. */
const SECRET_KEYS =
  'client_?secret|client_?assertion|refresh_?token|access_?token|id_?token|password|passwd|pwd|pass|secret|token|api_?key|apikey|private_?key';

/** HTTP headers that carry a credential (besides `Authorization`, `Cookie` and `Set-Cookie`). */
const CREDENTIAL_HEADERS =
  'x-api-key|api-key|apikey|x-functions-key|ocp-apim-subscription-key|x-auth-token|x-access-token|x-csrf-token|x-xsrf-token|x-goog-api-key|x-amz-security-token|x-vault-token|private-token|x-zoho-token|x-hub-signature(?:-256)?';
const CREDENTIAL_HEADER_NAME = new RegExp(`^(?:${CREDENTIAL_HEADERS}|authorization|proxy-authorization|cookie|set-cookie)$`, 'i');
const SECRET_KEY_NAME = new RegExp(`^(?:${SECRET_KEYS})$`, 'i');

/** The marker kind for a secret-named key, flag or variable. */
function kindOfName(name: string): RedactionKind {
  const w = nameWords(name).join('_');
  if (/(?:^|_)CLIENT_?SECRET(?:_|$)/.test(w)) return 'client-secret';
  if (/(?:^|_)CLIENT_?ASSERTION(?:_|$)/.test(w)) return 'client-assertion';
  if (/(?:^|_)REFRESH_?TOKEN(?:_|$)/.test(w)) return 'refresh-token';
  if (/(?:^|_)ACCESS_?TOKEN(?:_|$)/.test(w)) return 'access-token';
  if (/(?:^|_)ID_?TOKEN(?:_|$)/.test(w)) return 'id-token';
  if (/(?:^|_)(?:PASSWORDS?|PASSWD|PASS|PASSPHRASE|PWD)(?:_|$)/.test(w)) return 'password';
  if (/(?:^|_)(?:API_?KEY|APIKEY|SUBSCRIPTION_KEY|FUNCTIONS_KEY)(?:_|$)/.test(w)) return 'api-key';
  if (/(?:^|_)(?:TOKENS?|PAT)(?:_|$)/.test(w)) return 'token';
  if (/(?:^|_)COOKIE(?:_|$)/.test(w)) return 'cookie';
  return 'secret';
}

/** A value written after `key=`, `key: ` or a flag: quoted, or up to the next blank. */
const ARG_VALUE = `(?:"(?:[^"\\\\\\n]|\\\\.)*"|'[^'\\n]*'|[^\\s"'\`]+)`;

/** An nginx directive's argument: quoted, or up to a blank or the `;`. */
const NGINX_VALUE = `(?:"(?:[^"\\\\\\n]|\\\\.)*"|'[^'\\n]*'|[^\\s"'\`;]+)`;

/** Splits a quoted value into quote and content; the content is what gets redacted. */
function unquote(raw: string): { q: string; inner: string } {
  const m = /^(["'])([\s\S]*)\1$/.exec(raw);
  return m ? { q: m[1] ?? '', inner: m[2] ?? '' } : { q: '', inner: raw };
}

/** `value` unless it is empty, a marker, or an ordinary word/number/path/placeholder for `name`. */
function secretValue(name: string, raw: string): boolean {
  // JSON written as text: `"pass": 3,` and `"pass": [` are counts and structure, not values
  const { inner } = unquote(raw.trim().replace(/,$/, ''));
  if (/^[[{]$|^(?:null|true|false)$/.test(inner.trim())) return false;
  return inner.trim() !== '' && !inner.includes('[REDACTED') && !isOrdinaryValue(name, inner);
}

/** Replaces the value keeping its quotes. */
function replaceValue(raw: string, kind: RedactionKind): string {
  const { q } = unquote(raw);
  return `${q}${mark(kind)}${q}`;
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
    // API-key headers in a header dump, a curl `-H`, JSON or YAML: `x-api-key: abc`,
    // `"Ocp-Apim-Subscription-Key": "abc"` (https://learn.microsoft.com/azure/api-management/api-management-subscriptions)
    re: new RegExp(`(?<![A-Za-z0-9_-])((?:${CREDENTIAL_HEADERS})["']?[ \\t]*[:=][ \\t]*["']?)${NOT_MARKED}[^\\s"',;]+`, 'gi'),
    replace: (_m, head = '') => `${head}${mark('api-key')}`,
  },
  {
    // `Cookie: a=1; b=2` (RFC 6265 §5.4): every value is a session credential; the whole header goes
    re: new RegExp(`(?<![A-Za-z0-9_-])(Cookie["']?[ \\t]*:[ \\t]*["']?)${NOT_MARKED}[^\\s"'][^"'\\r\\n]*`, 'gi'),
    replace: (_m, head = '') => `${head}${mark('cookie')}`,
  },
  {
    // `Set-Cookie: session=abc; Path=/; Secure; HttpOnly` (RFC 6265 §4.1): the value goes, the
    // name and attributes stay (checks and readers need Secure/HttpOnly)
    re: new RegExp(`(?<![A-Za-z0-9_-])(Set-Cookie["']?[ \\t]*:[ \\t]*["']?[^=;\\s"']{1,128}=)${NOT_MARKED}[^;"'\\r\\n]+`, 'gi'),
    replace: (_m, head = '') => `${head}${mark('cookie')}`,
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
    // A command line (in `ps` output, a unit file, a cron line, a log) with a secret-named flag:
    // `--password X`, `--client-secret=X`, `--sas-token X`, `--key X`, `-password X`. The name is
    // judged like a `.env` key (`--key-file`, `--token-url` are not secrets), the value like one
    // (a path, a number, `true`, `<value>` or a plain word stays).
    re: new RegExp(`(?<![^\\s"'=])(--?([A-Za-z][A-Za-z0-9_-]{0,48})(?:=|[ \\t]+))${NOT_MARKED}(${ARG_VALUE})`, 'g'),
    replace: (m, head = '', name = '', value = '') =>
      value.startsWith('-') || !isSecretName(name) || !secretValue(name, value) ? m : `${head}${replaceValue(value, kindOfName(name))}`,
  },
  {
    // A password glued to `-p` for MySQL/MariaDB clients (`mysql -u root -pHunter2`; mysql(1)
    // "--password[=password], -p[password]"), `sshpass -p PASS` (sshpass(1)) and `redis-cli -a
    // PASS` (redis-cli(1)). Elsewhere `-p` is a port or a property, so the program is checked on
    // the same line, looking back at most 300 characters (a lookbehind would rescan long lines).
    re: new RegExp(`(?<![^\\s"'])(-p|-p[ \\t]+|-a[ \\t]+)${NOT_MARKED}(${ARG_VALUE})`, 'g'),
    replace: (m: string, head: string, value: string, offset: unknown, whole: unknown) => {
      const at = typeof offset === 'number' ? offset : 0;
      const text = typeof whole === 'string' ? whole : '';
      const line = text.slice(Math.max(text.lastIndexOf('\n', at) + 1, at - 300), at);
      const program = head === '-p'
        ? /\b(?:mysql|mysqldump|mysqladmin|mysqlimport|mysqlcheck|mysqlpump|mysqlsh|mariadb|mariadb-dump|mariadb-admin|sshpass)\b/
        : head.startsWith('-p') ? /\bsshpass\b/ : /\bredis-cli\b/;
      return program.test(line) && !value.startsWith('-') ? `${head}${replaceValue(value, 'password')}` : m;
    },
  },
  {
    // openssl's `-passin pass:PASS` / `-passout pass:PASS` (openssl-passphrase-options(1))
    re: new RegExp(`((?<![A-Za-z0-9-])-pass(?:in|out)?[ \\t]+pass:)${NOT_MARKED}(${ARG_VALUE})`, 'g'),
    replace: (_m, head = '', value = '') => `${head}${replaceValue(value, 'password')}`,
  },
  {
    // nginx: `proxy_set_header X-Api-Key "abc";`, `fastcgi_param DB_PASSWORD abc;`, `env API_TOKEN=...`
    re: new RegExp(
      `^([ \\t]*(?:proxy_set_header|grpc_set_header|add_header|more_set_headers|fastcgi_param|uwsgi_param|scgi_param)[ \\t]+["']?([A-Za-z0-9_-]{1,80})["']?[ \\t]+)${NOT_MARKED}(${NGINX_VALUE}(?:[ \\t]+[^\\s;]+)*)`,
      'gm',
    ),
    replace: (m, head = '', name = '', value = '') => {
      if (/^["']?\$[A-Za-z_]/.test(value)) return m; // an nginx variable passes a value through
      if (/^(?:authorization|proxy-authorization)$/i.test(name)) {
        // `"Basic dXNl..."`: the scheme stays, the credential goes
        const { q, inner } = unquote(value);
        const scheme = /^([A-Za-z][A-Za-z0-9_-]{0,40}[ \t]+)?(\S[\s\S]*)$/.exec(inner);
        if (!scheme || (scheme[2] ?? '').startsWith('[REDACTED') || (scheme[2] ?? '').startsWith('$')) return m;
        return `${head}${q}${scheme[1] ?? ''}${mark('authorization')}${q}`;
      }
      const credential = CREDENTIAL_HEADER_NAME.test(name) || isSecretName(name);
      return credential && secretValue(name, value) ? `${head}${replaceValue(value, /cookie/i.test(name) ? 'cookie' : CREDENTIAL_HEADER_NAME.test(name) ? 'api-key' : kindOfName(name))}` : m;
    },
  },
  {
    // nginx `set $db_password "x";`
    re: new RegExp(`^([ \\t]*set[ \\t]+\\$([A-Za-z0-9_]{1,80})[ \\t]+)${NOT_MARKED}(${ARG_VALUE})`, 'gm'),
    replace: (m, head = '', name = '', value = '') => (isSecretName(name) && secretValue(name, value) ? `${head}${replaceValue(value, kindOfName(name))}` : m),
  },
  {
    // JSON: `"client_secret": "..."`, `"accessToken": "..."`, `"password": "..."`, `"api_key": "..."`
    re: new RegExp(`("(${SECRET_KEYS})"\\s*:\\s*")${NOT_MARKED}((?:[^"\\\\\\r\\n]|\\\\.)+)(?=")`, 'gi'),
    replace: (m, head = '', key = '', value = '') => (secretValue(key, value) ? `${head}${mark(kindOfName(key))}` : m),
  },
  {
    // A whole line that assigns a secret-named key, in YAML (`password: x`, `- token: "x"`),
    // INI/TOML (`password = x`), `.env` (`export DB_PASS=x`) or Java properties. The key is
    // judged by the `.env` classifier (src/config/dotenv.ts), the value must not be ordinary
    // (`credential: environment`, `token_ttl: 3600`, `password: <value>` stay).
    re: new RegExp(
      `^([ \\t]*(?:export[ \\t]+|-[ \\t]+)?(["']?)((?=[A-Za-z0-9_.-]*(?:pass|pwd|secret|token|key|cred|auth|salt|sas|conn|pat))[A-Za-z_][A-Za-z0-9_.-]{0,80})\\2[ \\t]*[:=][ \\t]*)${NOT_MARKED}([^\\n]*?)([ \\t]*;?[ \\t]*(?:[ \\t]#[^\\n]*)?\\r?)$`,
      'gim',
    ),
    replace: (m, head = '', _q = '', key = '', value = '', tail = '') =>
      // `a=1&b=2` and `A=1;B=2` lines are query strings and connection strings, and a line with
      // more on it than one value (`X=<value> predeploy assess`) is prose or a command: the
      // rules below take those pair by pair
      value !== '' &&
      !/[&;][A-Za-z_][A-Za-z0-9_ ]*=/.test(value) &&
      !(/^[^"']/.test(value) && (/[=,][ \t]/.test(value) || /\s[A-Za-z_][A-Za-z0-9_.-]*[ \t]*[=:]/.test(value) || (head.trimEnd().endsWith('=') && /\s/.test(value)))) &&
      isSecretName(key) &&
      secretValue(key, value)
        ? `${head}${replaceValue(value, kindOfName(key))}${tail}`
        : m,
  },
  {
    // form bodies, query strings, connection strings and `.env` lines: `client_secret=...`,
    // `Password=...;`, `ZOHO_REFRESH_TOKEN=...`, `DB_PASS=...` (the lookbehind allows a `_` prefix on purpose)
    re: new RegExp(`(?<![A-Za-z0-9])((${SECRET_KEYS})\\s*=\\s*)${NOT_MARKED}([^&;\\s"'<>]+)`, 'gi'),
    replace: (m, head = '', key = '', value = '') => (secretValue(key, value) ? `${head}${mark(kindOfName(key))}` : m),
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
const MARKERS = [KNOWN, ...KINDS.map(mark)];

// ---------------------------------------------------------------------------------------------
// Spellings of a known secret that escaping cannot produce: base64 at every alignment

/**
 * The base64 and base64url characters that encode `bytes` alone, for each of the three byte
 * alignments the bytes can have inside a larger encoded blob. Character k of an encoding
 * carries bits [6k, 6k+6); with `a` bytes before the secret those bits come from the secret
 * alone when 6k ≥ 8a and 6k + 6 ≤ 8(a + n). Cores shorter than 6 characters are too unspecific.
 */
function base64Cores(bytes: Buffer): string[] {
  const out = new Set<string>();
  for (let a = 0; a < 3; a++) {
    const padded = Buffer.concat([Buffer.alloc(a), bytes, Buffer.alloc(2)]).toString('base64');
    const first = Math.ceil((8 * a) / 6);
    const end = Math.floor((8 * (a + bytes.length)) / 6);
    if (end - first < MIN_SECRET_LENGTH) continue;
    const core = padded.slice(first, end);
    out.add(core);
    out.add(core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return [...out];
}

/** Every spelling of one secret searched in every view (see the file comment). */
function spellings(value: string): string[] {
  const forms = new Set<string>([value]);
  const inner = base64Cores(Buffer.from(value, 'utf8'));
  for (const c of inner) forms.add(c);
  const json = JSON.stringify(value).slice(1, -1);
  if (json !== value) for (const c of base64Cores(Buffer.from(json, 'utf8'))) forms.add(c);
  // base64 of base64: the outer encoding of each inner core
  for (const c of inner) for (const cc of base64Cores(Buffer.from(c, 'latin1'))) forms.add(cc);
  return [...forms].filter((f) => f.length >= MIN_SECRET_LENGTH);
}

/** How much of each spelling the search regex holds. */
const ANCHOR = 16;

const escapeRe = (s: string): string => s.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');

// ---------------------------------------------------------------------------------------------
// Views: the text with escaping undone, mapped back to the original

/**
 * The three kinds of escaping undone, one at a time (a secret may itself hold `%aa` or `\n`,
 * so undoing both at once would corrupt it): backslash escapes (JSON, shell), `%xx`, and `%xx`
 * with `+` for a space (form encoding).
 */
type Step = 'json' | 'url' | 'form';
const HAS_PERCENT = /%[0-9A-Fa-f]{2}/;
const SHORT_ESCAPES: Readonly<Record<string, string>> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

interface Decoded {
  text: string;
  /** map[i] = index in the source of view character i; map[text.length] = source length */
  map?: Int32Array;
}

/** Collects output pieces and, when asked, where each output character came from. */
class Builder {
  readonly parts: string[] = [];
  length = 0;
  constructor(readonly map: Int32Array | undefined) {}
  copy(src: string, from: number, to: number): void {
    if (to <= from) return;
    this.parts.push(src.slice(from, to));
    if (this.map) for (let k = from; k < to; k++) this.map[this.length++] = k;
    else this.length += to - from;
  }
  emit(s: string, at: number): void {
    this.parts.push(s);
    if (this.map) for (let k = 0; k < s.length; k++) this.map[this.length++] = at;
    else this.length += s.length;
  }
  done(srcLength: number): Decoded {
    if (!this.map) return { text: this.parts.join('') };
    this.map[this.length] = srcLength;
    return { text: this.parts.join(''), map: this.map.subarray(0, this.length + 1) };
  }
}

/** UTF-8 bytes of a `%xx` run to characters, each with the index (in the run's bytes) it starts at. */
function percentChars(bytes: readonly number[]): [string, number][] {
  const out: [string, number][] = [];
  let k = 0;
  while (k < bytes.length) {
    const c = bytes[k] ?? 0;
    const n = c < 0x80 ? 1 : c >= 0xc2 && c < 0xe0 ? 2 : c >= 0xe0 && c < 0xf0 ? 3 : c >= 0xf0 && c < 0xf5 ? 4 : 0;
    let cp = n === 1 ? c : n === 2 ? c & 0x1f : n === 3 ? c & 0x0f : c & 0x07;
    let ok = n > 0 && k + n <= bytes.length;
    for (let j = 1; ok && j < n; j++) {
      const cc = bytes[k + j] ?? 0;
      if ((cc & 0xc0) !== 0x80) ok = false;
      else cp = (cp << 6) | (cc & 0x3f);
    }
    out.push([ok ? String.fromCodePoint(cp) : '\uFFFD', k]);
    k += ok ? n : 1;
  }
  return out;
}

const runBytes = (run: string): number[] => {
  const bytes: number[] = [];
  for (let j = 0; j + 2 < run.length && run[j] === '%'; j += 3) bytes.push(parseInt(run.slice(j + 1, j + 3), 16));
  return bytes;
};

const jsonChar = (u: string | undefined, c: string | undefined): string =>
  u !== undefined ? String.fromCharCode(parseInt(u, 16)) : (SHORT_ESCAPES[c ?? ''] ?? c ?? '');

/** The text of one layer of unescaping (no map: the common case, done with one replace). */
function decodeText(src: string, step: Step): string {
  if (step === 'json') return src.replace(/\\(?:u([0-9A-Fa-f]{4})|([\s\S]))/g, (_m, u: string | undefined, c: string | undefined) => jsonChar(u, c));
  const re = step === 'form' ? /(?:%[0-9A-Fa-f]{2})+|\+/g : /(?:%[0-9A-Fa-f]{2})+/g;
  return src.replace(re, (run) => (run === '+' ? ' ' : percentChars(runBytes(run)).map(([ch]) => ch).join('')));
}

/** One layer of unescaping of one kind, with where each character came from. */
function decodeLayer(src: string, step: Step, withMap: boolean): Decoded {
  if (!withMap) return { text: decodeText(src, step) };
  const b = new Builder(new Int32Array(src.length + 1));
  const re = step === 'json' ? /\\(?:u([0-9A-Fa-f]{4})|([\s\S]))/g : step === 'form' ? /(?:%[0-9A-Fa-f]{2})+|\+/g : /(?:%[0-9A-Fa-f]{2})+/g;
  let pos = 0;
  for (let m = re.exec(src); m; m = re.exec(src)) {
    b.copy(src, pos, m.index);
    if (step === 'json') b.emit(jsonChar(m[1], m[2]), m.index);
    else if (m[0] === '+') b.emit(' ', m.index);
    else for (const [ch, k] of percentChars(runBytes(m[0]))) b.emit(ch, m.index + 3 * k);
    pos = m.index + m[0].length;
  }
  b.copy(src, pos, src.length);
  return b.done(src.length);
}

/** The text without line breaks (wrapped base64 joined up). */
function unwrap(src: string, withMap: boolean): Decoded {
  const b = new Builder(withMap ? new Int32Array(src.length + 1) : undefined);
  const re = /\r?\n/g;
  let pos = 0;
  for (let m = re.exec(src); m; m = re.exec(src)) {
    b.copy(src, pos, m.index);
    pos = m.index + m[0].length;
  }
  b.copy(src, pos, src.length);
  return b.done(src.length);
}

const BASE64_CHAR = /[A-Za-z0-9+/=_-]/;

/**
 * A line that ends in 16+ base64 characters and goes on with more: wrapped base64. Walks the
 * line breaks (a regex trying 16 characters at every position costs ~100 ms per MB).
 */
function wrappedBase64(text: string): boolean {
  for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', nl + 1)) {
    if (!BASE64_CHAR.test(text[nl + 1] ?? ' ')) continue;
    const end = text[nl - 1] === '\r' ? nl - 1 : nl;
    if (end < 16) continue;
    let k = end - 16;
    while (k < end && BASE64_CHAR.test(text[k] ?? ' ')) k++;
    if (k === end) return true;
  }
  return false;
}

interface View {
  text: string;
  parent?: View;
  step?: Step | 'unwrap';
  /** a `+`-as-space layer was undone somewhere up the chain (it is done once at most) */
  plusDone: boolean;
  map?: Int32Array | null;
}

/** Source index of each view character, composed down to the original text; null = identity. */
function mapOf(v: View): Int32Array | null {
  if (v.map !== undefined) return v.map;
  if (!v.parent) return (v.map = null);
  const local = (v.step === 'unwrap' || v.step === undefined ? unwrap(v.parent.text, true) : decodeLayer(v.parent.text, v.step, true)).map ?? null;
  const up = mapOf(v.parent);
  if (local && up) for (let i = 0; i < local.length; i++) local[i] = up[local[i] ?? 0] ?? 0;
  return (v.map = local);
}

/** Two layers: double JSON escaping, URL-encoded inside JSON, JSON inside a form. */
const MAX_DECODE_DEPTH = 2;
/** Enough for every chain of three layers a real text holds; a bound on pathological ones. */
const MAX_VIEWS = 24;

/** The original text and every view of it worth searching. */
function viewsOf(text: string): View[] {
  const root: View = { text, plusDone: false, map: null };
  const views: View[] = [root];
  const seen = new Set<string>([text]);
  let frontier = [root];
  for (let depth = 0; depth < MAX_DECODE_DEPTH && frontier.length > 0; depth++) {
    const next: View[] = [];
    for (const v of frontier) {
      const steps: Step[] = [];
      if (v.text.includes('\\')) steps.push('json');
      const percent = HAS_PERCENT.test(v.text);
      if (percent) steps.push('url');
      if (!v.plusDone && v.text.includes('+')) steps.push('form');
      for (const step of steps) {
        if (views.length + next.length >= MAX_VIEWS) break;
        const d = decodeText(v.text, step);
        // json-then-url and url-then-json usually agree: one view is enough
        if (d !== v.text && !seen.has(d)) {
          seen.add(d);
          next.push({ text: d, parent: v, step, plusDone: v.plusDone || step === 'form' });
        }
      }
    }
    views.push(...next);
    frontier = next;
  }
  for (const v of [...views]) {
    if (wrappedBase64(v.text)) views.push({ text: unwrap(v.text, false).text, parent: v, step: 'unwrap', plusDone: v.plusDone });
  }
  return views;
}

/** Sorted, merged [start, end) spans. */
function merge(spans: [number, number][]): [number, number][] {
  spans.sort((x, y) => x[0] - y[0] || y[1] - x[1]);
  const out: [number, number][] = [];
  for (const [s, e] of spans) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

/** Every run of non-blank characters that a pattern value can be (the tail of a cut text). */
const TRAILING_TOKEN = /\S+$/;
/** Longer than any credential token (a JWT with many claims is a few KB). */
const MAX_TOKEN = 8192;
/**
 * A cut escape at the very end: `%4`, `\u00`, a lone `\`, and a character cut in two — the
 * `%c3` of `%c3%a9` (any `%xx` of a non-ASCII byte) or a high surrogate `\ud83d` of `\ud83d\ude00`.
 */
const PARTIAL_ESCAPE = /(?:%[0-9A-Fa-f]?|\\u[0-9A-Fa-f]{0,3}|\\|(?:%[89A-Fa-f][0-9A-Fa-f])+|\\u[dD][89abAB][0-9A-Fa-f]{2})$/;

// ---------------------------------------------------------------------------------------------

/** Replaces known secret values and secret-looking patterns in text. */
/** Texts longer than this are not remembered by {@link Redactor.redact} (a whole log file). */
const MEMO_MAX_TEXT = 256 * 1024;
/** When the remembered texts pass this many characters, the memo starts over. */
const MEMO_MAX_CHARS = 32 * 1024 * 1024;

export class Redactor {
  #values = new Set<string>();
  /** every spelling of every known secret, longest first so a secret containing another goes whole */
  #forms: string[] = [];
  #search: RegExp | null = null;
  /** spellings by their first ANCHOR characters, longest first */
  #byAnchor = new Map<string, string[]>();
  #longest = 0;
  /**
   * Texts already redacted with the secrets known now, and their redacted form: a run redacts
   * the same text many times (a log entry when it finishes, when it is streamed, when the log is
   * written; a report's strings once per format). Emptied whenever a secret is added. Only the
   * input is remembered, never the output as its own result, so a redaction that were not
   * idempotent would still show.
   */
  #memo = new Map<string, string>();
  #memoChars = 0;

  /**
   * Registers a secret value (a `.env` value, a token the tool obtained). Values shorter than
   * 6 characters are ignored: they are too short to be secrets and would shred ordinary text.
   */
  addSecret(value: string): void {
    if (value.length < MIN_SECRET_LENGTH || value.trim().length === 0 || this.#values.has(value)) return;
    if (MARKERS.some((m) => m.includes(value))) return;
    this.#values.add(value);
    const all = new Set([...this.#forms, ...spellings(value)]);
    this.#forms = [...all].sort((a, b) => b.length - a.length);
    this.#longest = this.#forms[0]?.length ?? 0;
    this.#search = null;
    this.#memo.clear();
    this.#memoChars = 0;
  }

  /** Returns text with every known secret and secret pattern replaced. Idempotent. */
  redact(text: string): string {
    const known = this.#memo.get(text);
    if (known !== undefined) return known;
    const out = this.#patterns(this.#applyKnown(text, this.#knownSpans(text)));
    if (text.length <= MEMO_MAX_TEXT) {
      if (this.#memoChars > MEMO_MAX_CHARS) {
        this.#memo.clear();
        this.#memoChars = 0;
      }
      this.#memo.set(text, out);
      this.#memoChars += text.length + out.length;
    }
    return out;
  }

  /**
   * Redacts text that was cut at a size cap. A secret cut in two is found by neither its value
   * nor a pattern, so the tail goes first: any end that could be the first characters of a
   * registered secret (in any spelling), a cut escape, and the last token (a cut JWT or
   * `"password": "hunter` without its closing quote).
   */
  redactCut(text: string): string {
    return this.redact(this.trimCut(text));
  }

  /**
   * A text cut at a size cap, kept up to its last complete line and without any tail that could
   * start a known secret (wrapped base64 spans lines): for the commands log and capture bundles.
   */
  trimCutToLine(text: string): string {
    const nl = text.lastIndexOf('\n');
    return this.trimCut(nl >= 0 ? text.slice(0, nl + 1) : '');
  }

  /**
   * The part of a cut text that cannot end inside a secret: without a trailing partial token,
   * an unclosed quoted value on its last line, or any tail that starts a known secret.
   * Not redacted (probes get raw bodies back); {@link redactCut} redacts it too.
   */
  trimCut(text: string): string {
    // the last token (at most MAX_TOKEN of it: a run of one character is not a credential)
    const token = TRAILING_TOKEN.exec(text.slice(-MAX_TOKEN));
    let t = token ? text.slice(0, text.length - token[0].length) : text;
    const lineStart = Math.max(t.lastIndexOf('\n') + 1, t.length - MAX_TOKEN);
    const quotes = [...t.slice(lineStart).matchAll(/(?<!\\)(?:\\\\)*"/g)];
    if (quotes.length % 2 === 1) t = t.slice(0, lineStart + (quotes[quotes.length - 1]?.index ?? 0));
    return this.trimSecretPrefix(t);
  }

  /**
   * The text without any tail that could be the first characters of a registered secret in
   * any spelling (or a cut escape in front of one). For a body handed back to a probe.
   */
  trimSecretPrefix(text: string): string {
    let t = text;
    for (let round = 0; round < 16; round++) {
      const before = t.length;
      t = t.replace(PARTIAL_ESCAPE, '');
      t = t.slice(0, this.#prefixCut(t));
      if (t.length === before) break;
    }
    return t;
  }

  /** A redacting stream: feed chunks in order, get redacted text out; see {@link RedactStream}. */
  stream(): RedactStream {
    return new RedactStream(this);
  }

  /**
   * Redacts every string inside a JSON-like value (object keys too). Structured output must be
   * redacted before it is serialized: patterns run over serialized JSON can swallow a quote
   * (a PEM block whose newlines are `\n` escapes) and leave invalid JSON. A string under a
   * credential header name or a secret key (`x-api-key`, `set-cookie`, `client_secret`) goes whole.
   */
  redactDeep<T>(value: T): T {
    return deep(value, (s) => this.redact(s), undefined) as T;
  }

  /** How much a stream holds back: the longest spelling of a secret, escaped three times over. */
  get holdBack(): number {
    return 14 * this.#longest + 256;
  }

  /** Where known secrets are, in the text's own coordinates (merged, sorted). @internal */
  knownSpans(text: string): [number, number][] {
    return this.#knownSpans(text);
  }

  /** The text with these spans replaced by `[REDACTED]`, then the patterns. @internal */
  applyAndPatterns(text: string, spans: readonly [number, number][]): string {
    return this.#patterns(this.#applyKnown(text, spans));
  }

  /**
   * One regex over the first ANCHOR characters of every spelling (a token of 2 KB spelled 50
   * ways would make a huge, slow alternation); each anchor hit is then checked against its
   * full spellings, longest first.
   */
  #regex(): RegExp | null {
    if (this.#forms.length === 0) return null;
    if (!this.#search) {
      this.#byAnchor.clear();
      for (const f of this.#forms) {
        const a = f.slice(0, ANCHOR);
        const list = this.#byAnchor.get(a);
        if (list) list.push(f);
        else this.#byAnchor.set(a, [f]);
      }
      const anchors = [...this.#byAnchor.keys()].sort((a, b) => b.length - a.length);
      this.#search = new RegExp(anchors.map(escapeRe).join('|'), 'g');
    }
    return this.#search;
  }

  #knownSpans(text: string): [number, number][] {
    const re = this.#regex();
    if (!re || text.length < MIN_SECRET_LENGTH) return [];
    const spans: [number, number][] = [];
    for (const v of viewsOf(text)) {
      re.lastIndex = 0;
      let map: Int32Array | null | undefined;
      for (let m = re.exec(v.text); m; m = re.exec(v.text)) {
        const s = m.index;
        // another (shorter) anchor may match here too when this one's spellings do not
        const form =
          this.#byAnchor.get(m[0])?.find((f) => v.text.startsWith(f, s)) ??
          this.#forms.find((f) => v.text.startsWith(f, s));
        if (form === undefined) {
          re.lastIndex = s + 1;
          continue;
        }
        const e = s + form.length;
        re.lastIndex = e;
        map ??= mapOf(v);
        spans.push(map ? [map[s] ?? 0, map[e] ?? text.length] : [s, e]);
      }
    }
    return merge(spans);
  }

  #applyKnown(text: string, spans: readonly [number, number][]): string {
    if (spans.length === 0) return text;
    let out = '';
    let pos = 0;
    for (const [s, e] of spans) {
      out += text.slice(pos, s) + KNOWN;
      pos = e;
    }
    return out + text.slice(pos);
  }

  #patterns(text: string): string {
    let out = text;
    if (out.includes(PEM_BEGIN)) out = redactPrivateKeys(out);
    for (const rule of RULES) {
      rule.re.lastIndex = 0;
      out = out.replace(rule.re, rule.replace);
    }
    return out;
  }

  /** Where to cut so that no view of the text ends with the first characters of a known spelling. */
  #prefixCut(text: string): number {
    if (this.#forms.length === 0 || text === '') return text.length;
    let cut = text.length;
    for (const v of viewsOf(text)) {
      const n = v.text.length;
      let best = 0;
      for (const f of this.#forms) {
        const first = f[0] ?? '';
        for (let p = v.text.indexOf(first, Math.max(0, n - f.length + 1)); p >= 0 && n - p > best; p = v.text.indexOf(first, p + 1)) {
          if (f.startsWith(v.text.slice(p))) {
            best = n - p;
            break;
          }
        }
      }
      if (best === 0) continue;
      const map = mapOf(v);
      cut = Math.min(cut, map ? (map[n - best] ?? 0) : n - best);
    }
    return cut;
  }
}

/** Lines longer than this are cut at a blank (or anywhere) rather than held whole. */
const MAX_HELD_LINE = 64 * 1024;

/**
 * Redacts a stream of chunks (a command's output as it arrives, lines written one by one).
 * Text is released only up to a point no secret can straddle: before the last `holdBack`
 * characters, at a line start (patterns are line-wise), never inside a known secret's span,
 * never after an unfinished PEM private key or TLS ticket dump. `end()` releases the rest.
 */
export class RedactStream {
  #buf = '';
  constructor(private readonly r: Redactor) {}

  /** Adds a chunk; returns the redacted text that is now safe to write (often ''). */
  write(chunk: string): string {
    this.#buf += chunk;
    const buf = this.#buf;
    let cut = safeCut(buf, this.r.holdBack);
    if (cut <= 0) return '';
    const spans = this.r.knownSpans(buf);
    for (let i = spans.length - 1; i >= 0; i--) {
      const [s, e] = spans[i] ?? [0, 0];
      if (s < cut && e > cut) cut = s;
    }
    const pem = lastOpenPem(buf);
    if (pem >= 0 && pem < cut) cut = pem;
    const ticket = buf.lastIndexOf('TLS session ticket:', cut);
    if (ticket >= 0 && /^TLS session ticket:\r?\n(?:[ \t]+[0-9a-f]{4} - [^\n]*\r?\n)*$/.test(buf.slice(ticket, cut))) cut = ticket;
    if (cut <= 0) return '';
    this.#buf = buf.slice(cut);
    return this.r.applyAndPatterns(
      buf.slice(0, cut),
      spans.filter(([, e]) => e <= cut),
    );
  }

  /** Releases and redacts whatever is held. */
  end(): string {
    const rest = this.#buf;
    this.#buf = '';
    return this.r.redact(rest);
  }
}

/** The latest release point: a line start at least `hold` characters before the end. */
function safeCut(buf: string, hold: number): number {
  const limit = buf.length - hold;
  if (limit <= 0) return 0;
  const nl = buf.lastIndexOf('\n', limit - 1);
  if (nl >= 0 && limit - nl <= MAX_HELD_LINE) return nl + 1;
  const from = Math.max(0, limit - MAX_HELD_LINE);
  const tail = buf.slice(from, limit);
  const blank = tail.search(/\s\S*$/);
  return blank >= 0 ? from + blank + 1 : limit;
}

/** Start of a PEM private key whose END has not arrived, or -1. */
function lastOpenPem(buf: string): number {
  const begin = buf.lastIndexOf(PEM_BEGIN);
  if (begin < 0) return -1;
  const header = PEM_HEADER.exec(buf.slice(begin, begin + 80));
  if (!header) return buf.length - begin < 80 ? begin : -1; // a header still arriving
  return buf.includes(`-----END ${header[1] ?? ''}PRIVATE KEY-----`, begin) ? -1 : begin;
}

function deep(value: unknown, f: (s: string) => string, key: string | undefined): unknown {
  if (typeof value === 'string') {
    if (key !== undefined && (CREDENTIAL_HEADER_NAME.test(key) || SECRET_KEY_NAME.test(key)) && secretValue(key, value)) {
      if (/^set-cookie$/i.test(key)) return f(`Set-Cookie: ${value}`).replace(/^Set-Cookie: /, '');
      return mark(/cookie/i.test(key) ? 'cookie' : CREDENTIAL_HEADER_NAME.test(key) ? (/authorization/i.test(key) ? 'authorization' : 'api-key') : kindOfName(key));
    }
    return f(value);
  }
  if (Array.isArray(value)) return value.map((v) => deep(v, f, key));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [f(k), deep(v, f, k)]));
  }
  return value;
}
