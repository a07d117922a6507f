/**
 * `.env` files: a pure parser and a classifier that decides, from a key's name and its value's
 * shape, whether it holds a credential, a vault reference, or nothing.
 *
 * The parser follows what the common loaders accept (motdotla/dotenv, python-dotenv, Docker
 * Compose): `export KEY=...`, single quotes (literal), double quotes (escapes, may span lines —
 * PEM keys), `#` comments, inline comments after unquoted values when `#` follows whitespace,
 * empty values, CRLF. It is lenient on purpose: every line that assigns something yields an
 * entry, so a secret on an odd line is still classified and redacted.
 */
import { createHash, randomBytes } from 'node:crypto';

/** One assignment found in a `.env` file. */
export interface DotenvEntry {
  name: string;
  value: string;
  /** 1-based line where the assignment starts */
  line: number;
}

/** The result of {@link parseDotenv}. */
export interface DotenvParse {
  entries: DotenvEntry[];
  /**
   * Lines that are not blank, not comments and not a well-formed assignment. An unterminated
   * quote is listed here *and* yields a best-effort entry (the rest of its line), so the value
   * is still classified and redacted.
   */
  badLines: number[];
}

const ASSIGNMENT = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=(.*)$/;

const DQ_ESCAPES: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\', $: '$' };

/** Parse the text of a `.env` file. Never throws. */
export function parseDotenv(text: string): DotenvParse {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const entries: DotenvEntry[] = [];
  const badLines: number[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const m = ASSIGNMENT.exec(line);
    const name = m?.[1];
    const raw = m?.[2];
    if (name === undefined || raw === undefined) {
      badLines.push(i + 1);
      continue;
    }
    const rest = raw.trimStart();
    const quote = rest[0];
    if (quote === '"' || quote === "'") {
      const q = readQuoted(lines, i, line.length - rest.length + 1, quote);
      if (q) {
        entries.push({ name, value: q.value, line: i + 1 });
        i = q.endLine;
      } else {
        badLines.push(i + 1);
        entries.push({ name, value: rest.slice(1).trimEnd(), line: i + 1 });
      }
      continue;
    }
    // An unquoted value ends at a `#` that follows whitespace (`KEY=a#b` keeps the `#`).
    const comment = raw.search(/\s#/);
    const value = (comment === -1 ? raw : raw.slice(0, comment)).trim();
    entries.push({ name, value, line: i + 1 });
  }
  return { entries, badLines };
}

/** Read a quoted value starting after the opening quote; null when it is never closed. */
function readQuoted(lines: readonly string[], startLine: number, startCol: number, quote: '"' | "'"): { value: string; endLine: number } | null {
  let value = '';
  for (let li = startLine; li < lines.length; li += 1) {
    const line = lines[li] ?? '';
    for (let ci = li === startLine ? startCol : 0; ci < line.length; ci += 1) {
      const c = line[ci] ?? '';
      if (c === quote) return { value, endLine: li };
      if (c === '\\' && quote === '"' && ci + 1 < line.length) {
        const next = line[ci + 1] ?? '';
        value += DQ_ESCAPES[next] ?? `\\${next}`;
        ci += 1;
      } else {
        value += c;
      }
    }
    value += '\n';
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Classification

/** How a `.env` key is classified. */
export interface EnvKeyClass {
  /** the key's name or its value's shape looks like a credential */
  secretLike: boolean;
  /** the value points at a vault (or another variable) instead of holding the secret */
  reference: boolean;
  /** the value is the empty string */
  empty: boolean;
}

/**
 * Words that make a name a credential wherever they appear (unless the name ends in an
 * identifier word, below). Matched as whole words: `PASSPORT` is not `PASS`.
 */
const SECRET_WORDS = new Set([
  'SECRET', 'SECRETS', 'PASSWORD', 'PASSWORDS', 'PASSWD', 'PASS', 'PASSPHRASE', 'PWD', 'TOKEN', 'TOKENS',
  'APIKEY', 'ACCESSKEY', 'SECRETKEY', 'PRIVATEKEY', 'ACCOUNTKEY', 'MASTERKEY', 'SIGNINGKEY',
  'CREDENTIAL', 'CREDENTIALS', 'CREDS', 'CONNSTR', 'CONNECTIONSTRING', 'SAS', 'SALT', 'PAT',
]);

/** Two-word runs that mean a connection string. */
const SECRET_PAIRS: readonly (readonly [string, string])[] = [
  ['CONNECTION', 'STRING'],
  ['CONNECTION', 'STR'],
  ['CONN', 'STR'],
  ['CONN', 'STRING'],
];

/**
 * A name ending in one of these names *about* a credential, not the credential itself:
 * `TOKEN_URL`, `ZOHO_TOKEN_ENDPOINT`, `KEY_VAULT_NAME`, `CLIENT_ID`, `PRIVATE_KEY_PATH`.
 */
const IDENTIFIER_SUFFIXES = new Set([
  'URL', 'URLS', 'URI', 'URIS', 'ENDPOINT', 'ENDPOINTS', 'ID', 'IDS', 'NAME', 'NAMES', 'HOST', 'HOSTNAME', 'PORT',
  'PATH', 'FILE', 'DIR', 'DIRECTORY', 'ENABLED', 'DISABLED', 'ENABLE', 'DISABLE', 'TYPE', 'KIND', 'VERSION',
  'REGION', 'LOCATION', 'SCOPE', 'SCOPES', 'ISSUER', 'AUDIENCE', 'TIMEOUT', 'USER', 'USERNAME', 'ALGORITHM',
  'ALG', 'FORMAT', 'MODE', 'PREFIX', 'SUFFIX', 'SIZE', 'LIMIT', 'DOMAIN', 'PROVIDER', 'METHOD', 'POLICY',
  'DAYS', 'HOURS', 'MINUTES', 'SECONDS', 'MS', 'INTERVAL', 'REF', 'REFERENCE', 'VAULT', 'FIELD', 'PARAM',
  'LEVEL', 'FLAG', 'REQUIRED', 'STORE', 'BACKEND', 'SOURCE', 'CACHE', 'SHA', 'COMMIT', 'HASH', 'THUMBPRINT',
]);

/** Words anywhere in a name that make it a setting about credentials (`MAX_TOKENS`, `TOKEN_TTL`). */
const SETTING_WORDS = new Set(['MAX', 'MIN', 'NUM', 'COUNT', 'TTL', 'EXPIRY', 'EXPIRES', 'EXPIRATION', 'LIFETIME', 'ROTATION', 'LENGTH']);

/** Trailing words that describe the encoding of what precedes: `SERVICE_ACCOUNT_KEY_JSON`. */
const ENCODING_SUFFIXES = new Set(['PEM', 'BASE64', 'B64', 'VALUE', 'DATA', 'CONTENT', 'CONTENTS', 'JSON', 'RAW', 'STRING', 'HEADER']);

/** `<X>_KEY` is a credential (`COSMOS_KEY`, `API_KEY`) unless X names a non-secret kind of key. */
const PUBLIC_KEY_QUALIFIERS = new Set([
  'PUBLIC', 'PUBLISHABLE', 'SITE', 'PARTITION', 'SORT', 'CACHE', 'ROUTING', 'IDEMPOTENCY', 'LOOKUP', 'FOREIGN',
  'UNIQUE', 'SHARD', 'DEDUP', 'DEDUPE', 'OBJECT', 'MAP', 'INSTRUMENTATION', 'HOT', 'SHORTCUT',
]);

/**
 * Names that look like credentials but are documented as not secret. Application Insights:
 * "The connection string isn't considered a security token or key"
 * (https://learn.microsoft.com/azure/azure-monitor/app/connection-strings). `PWD` alone is the
 * shell's working directory.
 */
const NOT_SECRET_NAMES = new Set(['APPLICATIONINSIGHTS_CONNECTION_STRING', 'APPINSIGHTS_INSTRUMENTATIONKEY', 'PWD', 'OLDPWD']);

/** Split a name into upper-case words: `cosmosKey` → COSMOS KEY, `ZOHO_CLIENT_SECRET` → ZOHO CLIENT SECRET. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .split(/[_.\-\s]+/)
    .filter((w) => w !== '')
    .map((w) => w.toUpperCase());
}

/**
 * true when a key, variable, header or flag name names a credential (`ZOHO_CLIENT_SECRET`,
 * `db_pass`, `apiKey`, `client-secret`), and not something about one (`TOKEN_URL`, `KEY_FILE`).
 */
export function isSecretName(name: string): boolean {
  return secretByName(name);
}

function secretByName(name: string): boolean {
  if (NOT_SECRET_NAMES.has(name.toUpperCase())) return false;
  const words = nameWords(name);
  const last = words[words.length - 1];
  if (last === undefined || IDENTIFIER_SUFFIXES.has(last)) return false;
  if (words.some((w) => SETTING_WORDS.has(w))) return false;
  if (words.some((w) => SECRET_WORDS.has(w))) return true;
  for (let i = 0; i + 1 < words.length; i += 1) {
    if (SECRET_PAIRS.some(([a, b]) => words[i] === a && words[i + 1] === b)) return true;
  }
  // Judge KEY and AUTH by what they end: `PRIVATE_KEY_PEM` ends in KEY once the encoding goes.
  const core = [...words];
  while (core.length > 1 && ENCODING_SUFFIXES.has(core[core.length - 1] ?? '')) core.pop();
  const end = core[core.length - 1];
  const before = core[core.length - 2];
  if (end === 'KEY' || end === 'KEYS') return before === undefined || !PUBLIC_KEY_QUALIFIERS.has(before);
  // BASIC_AUTH, REDIS_AUTH, PROXY_AUTHORIZATION hold credentials; AUTH_PROVIDER does not.
  return end === 'AUTH' || end === 'AUTHORIZATION';
}

// Value shapes. Each is a strong signal on its own; see https://github.com/gitleaks/gitleaks
// (config/gitleaks.toml) for the vendor token formats.
const SECRET_VALUE_SHAPES: readonly RegExp[] = [
  /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/, // PEM private key (a certificate is public)
  /^(?:Bearer\s+)?eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*$/, // JWT
  /^1000\.[A-Za-z0-9]{16,}\.[A-Za-z0-9]{16,}$/, // Zoho OAuth access/refresh token
  /(?:^|;)\s*(?:AccountKey|SharedAccessKey|SharedAccessSignature|Password|Pwd|AccessKey)\s*=\s*[^;\s]/i, // connection strings
  /^[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:[^\s/@]+@/i, // password in a URL
  /[?&]sig=[^&\s]+/, // Azure SAS URL or token
  /^Bearer\s+\S{16,}$/i,
  /^[A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,37}$/, // Entra ID client secret
  /^(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}$/, // Stripe
  /^sk-[A-Za-z0-9_-]{20,}$/, // OpenAI-style
  /^gh[pousr]_[A-Za-z0-9]{30,}$/, // GitHub token
  /^github_pat_[A-Za-z0-9_]{30,}$/,
  /^xox[abprs]-[A-Za-z0-9-]{10,}$/, // Slack
  /^AIza[0-9A-Za-z_-]{35}$/, // Google API key
  /^SG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}$/, // SendGrid
];

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Shannon entropy in bits per character. */
export function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** Share of vowels among the letters: ≈ 0.19 for random letters, ≈ 0.35 for English-like names. */
function vowelRatio(s: string): number {
  const letters = s.replace(/[^A-Za-z]/g, '');
  return letters.length === 0 ? 0 : (letters.match(/[aeiouAEIOU]/g)?.length ?? 0) / letters.length;
}

/**
 * A long random-looking token: ≥ 32 characters of base64/hex alphabet, not a GUID, not a path.
 * Entropy alone cannot tell `MyCompanyProductionStorage2024Backup` (4.4 bits/char) from a
 * random key, so non-hex values must also be un-word-like (few vowels). Measured on random
 * 32-character strings this misses about 1 in 10 (names catch the usual keys); it flagged none
 * of a set of realistic resource names, host names and ARM ids. Hex: random 32+ hex digits
 * score ≈ 3.7 bits/char.
 */
function highEntropy(value: string): boolean {
  if (value.length < 32 || GUID.test(value) || !/^[A-Za-z0-9+/=_.~-]+$/.test(value) || value.startsWith('/')) return false;
  const h = entropy(value);
  if (/^[0-9a-fA-F]+$/.test(value)) return /[0-9]/.test(value) && /[a-fA-F]/.test(value) && h >= 3.2;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/].filter((re) => re.test(value)).length;
  return classes >= 2 && h >= 3.5 && vowelRatio(value) < 0.3;
}

function strongShape(v: string): boolean {
  return SECRET_VALUE_SHAPES.some((re) => re.test(v));
}

/** true when a value's shape alone says it is a credential (JWT, PEM, `AccountKey=`, ...). */
export function looksLikeSecretValue(value: string): boolean {
  const v = value.trim();
  return v !== '' && (strongShape(v) || highEntropy(v));
}

// App Service / Functions reference syntax:
// https://learn.microsoft.com/azure/app-service/app-service-key-vault-references#reference-syntax
const REFERENCE_SHAPES: readonly RegExp[] = [
  /^@Microsoft\.KeyVault\(\s*SecretUri\s*=\s*https:\/\/[^\s)]+\s*\)$/i,
  /^@Microsoft\.KeyVault\(\s*VaultName\s*=\s*[^\s;)]+\s*;\s*SecretName\s*=\s*[^\s;)]+\s*(?:;\s*SecretVersion\s*=\s*[^\s;)]*\s*)?\)$/i,
  /^(?:kv|keyvault|akv):\/\/\S+$/i,
  /^akv:\S+$/i,
  // A bare Key Vault secret identifier (public and sovereign clouds).
  /^https:\/\/[a-z0-9-]+\.vault\.(?:azure\.net|azure\.cn|usgovcloudapi\.net|microsoftazure\.de)\/secrets\/[A-Za-z0-9-]+(?:\/[0-9a-f]*)?\/?$/i,
  /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/, // ${VAR}: the secret lives elsewhere
];

/** Values that stand for a secret rather than being one (`<value>`, `changeme`, `${VAR}`, `true`). */
export const PLACEHOLDER_VALUE =
  /^(?:|changeme|change[-_ ]?me|x{3,}|\*{3,}|\.{3,}|…|<[^>]*>|\{\{.*\}\}|\$\{.*\}|\$[A-Za-z_][A-Za-z0-9_]*|%[A-Za-z_]+%|your[-_ ].*|example.*|placeholder|todo|tbd|secret|password|redacted|\[REDACTED.*|none|null|nil|undefined|true|false|yes|no|on|off)$/i;

/** Words that make a name a password: a password may be a plain word, other credentials are not. */
const PASSWORD_WORDS = new Set(['PASSWORD', 'PASSWORDS', 'PASSWD', 'PASS', 'PASSPHRASE', 'PWD']);

/**
 * true when the value of a secret-named key is an ordinary configuration value, not a credential:
 * a placeholder (`<value>`), a boolean, a number or duration, a path, a vault or `${VAR}`
 * reference, or — unless the key names a password — a plain lower-case word such as
 * `environment` or `managed-identity` (`credential: environment` selects how to log in; it is
 * not a secret, and registering it would redact the word "environment" from the whole run).
 */
export function isOrdinaryValue(name: string, value: string): boolean {
  let v = value.trim();
  const quoted = /^(["'])(.*)\1$/s.exec(v);
  if (quoted) v = (quoted[2] ?? '').trim();
  if (PLACEHOLDER_VALUE.test(v) || isReference(v)) return true;
  if (/^[+-]?[0-9]+(?:\.[0-9]+)?(?:[a-zA-Z%]{1,3})?$/.test(v)) return true;
  if (/^(?:\/|\.\.?\/|~\/)[^\s:;,'"]*$/.test(v)) return true;
  // a dotted name of words (`azure.prod.keyVault`, `security.firewall`): a key path or check id, not a secret
  if (/^[a-z][a-zA-Z]*(?:[.-][a-z][a-zA-Z]*)*\.[a-z][a-zA-Z]*$/.test(v)) return true;
  // words joined by - _ . : (`environment`, `no-credentials:azure`, `probe:host.ufw:failed`):
  // an identifier, unless the key names a password
  return /^[a-z]+(?:[-_.:][a-z][a-zA-Z]*)*$/.test(v) && !nameWords(name).some((w) => PASSWORD_WORDS.has(w));
}

/** A path to a key or credential file (`GOOGLE_APPLICATION_CREDENTIALS=/etc/app/sa.json`) is not the secret itself. */
const CREDENTIAL_FILE_PATH = /^(?:\/|\.\/|~\/)\S*\.(?:json|pem|key|crt|cer|pfx|p12|jks|keystore)$/i;

/** true when the value points at a vault or another variable rather than holding a secret. */
export function isReference(value: string): boolean {
  const v = value.trim();
  return REFERENCE_SHAPES.some((re) => re.test(v));
}

/**
 * Classify a `.env` key. `secretLike` comes from the name (whole words such as SECRET, TOKEN,
 * PASSWORD, `<X>_KEY`, CONNECTION_STRING — but not names about a credential such as
 * `TOKEN_URL` or `CLIENT_ID`) or from the value's shape (JWT, Zoho token, PEM private key,
 * `AccountKey=`, a password in a URL, long high-entropy strings).
 */
export function classifyEnvKey(name: string, value: string): EnvKeyClass {
  const empty = value === '';
  const reference = !empty && isReference(value);
  const byName = secretByName(name) && !CREDENTIAL_FILE_PATH.test(value.trim());
  const v = value.trim();
  // For names ending in an identifier word (`GIT_COMMIT_SHA`, `CLIENT_ID`) only the strong
  // shapes count, not entropy: a commit hash or a resource id is long and random-looking too.
  const byValue = !empty && !reference && (strongShape(v) || (!endsInIdentifier(name) && highEntropy(v)));
  return { secretLike: byName || byValue, reference, empty };
}

function endsInIdentifier(name: string): boolean {
  const words = nameWords(name);
  return IDENTIFIER_SUFFIXES.has(words[words.length - 1] ?? '');
}

/**
 * Per-process salt: 32 bits of a plain SHA-256 would let anyone holding the report brute-force
 * a weak password (`password1`) offline. Salted, a fingerprint only tells two values apart
 * within one run (the same secret in two files), which is all it is for.
 */
const RUN_SALT = randomBytes(16);

/** First 8 hex digits of a salted SHA-256: tells two values apart within a run without showing either. */
export function fingerprint(value: string, salt: Uint8Array = RUN_SALT): string {
  return createHash('sha256').update(salt).update(value, 'utf8').digest('hex').slice(0, 8);
}
