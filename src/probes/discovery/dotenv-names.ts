/**
 * Resource names carried in `.env` values: Key Vault URLs, storage account names, Cosmos DB
 * endpoints, the bot's app and tenant ids, Zoho organization ids. Pure: takes parsed entries.
 *
 * Secrets stay secrets: a value the classifier (src/config/dotenv.ts) calls secret-like is never
 * returned. The one exception is the `AccountName=` / `AccountEndpoint=` part of a connection
 * string, which is a name; the rest of the string (the key) is dropped here and never stored.
 */
import { classifyEnvKey, looksLikeSecretValue, nameWords, type DotenvEntry } from '../../config/dotenv.js';
import type { EnvNameHint, EnvNameKind } from '../../facts/discovery.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const VAULT_URL = /^https:\/\/([a-z0-9-]{3,24})\.vault\.(?:azure\.net|azure\.cn|usgovcloudapi\.net)(?:\/.*)?$/i;
const BLOB_URL = /^https:\/\/([a-z0-9]{3,24})\.(?:blob|file|queue|table|dfs)\.core\.(?:windows\.net|chinacloudapi\.cn|usgovcloudapi\.net)(?:\/.*)?$/i;
const COSMOS_URL = /^https:\/\/([a-z0-9-]{3,44})\.documents\.azure\.(?:com|cn|us)(?::\d+)?\/?$/i;
const STORAGE_NAME = /^[a-z0-9]{3,24}$/;
const VAULT_NAME = /^[A-Za-z][A-Za-z0-9-]{1,22}[A-Za-z0-9]$/;

/** `dev` / `prod` from words of a key, a file name or a resource name. */
export function envOfWords(words: readonly string[]): 'dev' | 'prod' | undefined {
  const up = words.map((w) => w.toUpperCase());
  const prod = up.some((w) => w === 'PROD' || w === 'PRODUCTION' || w === 'PRD' || w === 'LIVE');
  const dev = up.some((w) => w === 'DEV' || w === 'DEVELOPMENT' || w === 'SANDBOX' || w === 'TEST' || w === 'STAGING');
  return prod === dev ? undefined : prod ? 'prod' : 'dev';
}

/** `pippaistorageprod` has no separator: a trailing `prod`/`dev` counts too. */
function envOfName(name: string): 'dev' | 'prod' | undefined {
  const byWords = envOfWords(name.split(/[-_.]/));
  if (byWords) return byWords;
  if (/prod$/i.test(name)) return 'prod';
  if (/dev$/i.test(name)) return 'dev';
  return undefined;
}

function envOfFile(file: string): 'dev' | 'prod' | undefined {
  const base = file.split('/').pop() ?? file;
  return envOfWords(base.split(/[.\-_]/));
}

/** The `Key=Value` parts of a connection string; only names are ever taken out of it. */
function connectionPart(value: string, part: string): string | undefined {
  const re = new RegExp(`(?:^|;)\\s*${part}\\s*=\\s*([^;]+)`, 'i');
  return re.exec(value)?.[1]?.trim();
}

function hint(kind: EnvNameKind, value: string, how: string, entry: DotenvEntry, file: string): EnvNameHint {
  const env = envOfWords(nameWords(entry.name)) ?? envOfFile(file) ?? (kind === 'keyVault' || kind === 'storageAccount' || kind === 'cosmosAccount' ? envOfName(value) : undefined);
  return { kind, value, file, line: entry.line, key: entry.name, ...(env ? { env } : {}), how };
}

/** The names in one file's entries. */
export function envNameHints(entries: readonly DotenvEntry[], file: string): EnvNameHint[] {
  const out: EnvNameHint[] = [];
  for (const e of entries) {
    const v = e.value.trim();
    if (v === '') continue;
    const words = nameWords(e.name);
    const has = (...ws: string[]) => ws.every((w) => words.includes(w));
    const c = classifyEnvKey(e.name, e.value);
    if (c.secretLike) {
      // Only the name parts of a connection string; never anything else of a secret value.
      const account = connectionPart(v, 'AccountName');
      if (account !== undefined && STORAGE_NAME.test(account)) out.push(hint('storageAccount', account, 'AccountName of a connection string', e, file));
      const endpoint = connectionPart(v, 'AccountEndpoint');
      const cosmos = endpoint !== undefined ? COSMOS_URL.exec(endpoint)?.[1] : undefined;
      if (cosmos !== undefined) out.push(hint('cosmosAccount', cosmos.toLowerCase(), 'AccountEndpoint of a connection string', e, file));
      continue;
    }
    if (c.reference || looksLikeSecretValue(v)) continue;
    const vault = VAULT_URL.exec(v)?.[1];
    if (vault !== undefined) {
      out.push(hint('keyVault', vault.toLowerCase(), 'Key Vault URL', e, file));
      continue;
    }
    const blob = BLOB_URL.exec(v)?.[1];
    if (blob !== undefined) {
      out.push(hint('storageAccount', blob.toLowerCase(), 'storage endpoint URL', e, file));
      continue;
    }
    const cosmos = COSMOS_URL.exec(v)?.[1];
    if (cosmos !== undefined) {
      out.push(hint('cosmosAccount', cosmos.toLowerCase(), 'Cosmos DB endpoint', e, file));
      continue;
    }
    if ((has('VAULT', 'NAME') || has('KEYVAULT', 'NAME') || has('KEY', 'VAULT', 'NAME')) && VAULT_NAME.test(v)) {
      out.push(hint('keyVault', v.toLowerCase(), 'Key Vault name', e, file));
    } else if ((has('STORAGE', 'ACCOUNT') || has('STORAGE', 'NAME')) && STORAGE_NAME.test(v)) {
      out.push(hint('storageAccount', v, 'storage account name', e, file));
    } else if (has('COSMOS') && (has('ACCOUNT') || has('NAME')) && /^[a-z0-9-]{3,44}$/.test(v)) {
      out.push(hint('cosmosAccount', v, 'Cosmos DB account name', e, file));
    } else if (GUID.test(v) && (has('APP', 'ID') || has('BOT', 'ID') || has('MICROSOFT', 'APP', 'ID')) && !has('TENANT')) {
      out.push(hint('botAppId', v.toLowerCase(), 'bot app id', e, file));
    } else if (GUID.test(v) && has('TENANT') && (has('APP') || has('BOT') || has('MICROSOFT'))) {
      out.push(hint('botTenantId', v.toLowerCase(), 'bot tenant id', e, file));
    } else if (has('ZOHO') && (has('ORG') || has('ORGANIZATION') || has('ORGANISATION')) && /^\d{5,20}$/.test(v)) {
      out.push(hint('zohoOrgId', v, 'Zoho organization id', e, file));
    }
  }
  return out;
}
