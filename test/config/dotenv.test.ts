import { describe, expect, it } from 'vitest';
import { classifyEnvKey, fingerprint, isOrdinaryValue, isReference, looksLikeSecretValue, nameWords, parseDotenv } from '../../src/config/dotenv.js';

const PEM = ['-----BEGIN PRIVATE KEY-----', 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7', '-----END PRIVATE KEY-----'].join('\n');

describe('parseDotenv', () => {
  const cases: { name: string; text: string; entries: [string, string, number][]; bad?: number[] }[] = [
    { name: 'plain', text: 'A=1\nB=two\n', entries: [['A', '1', 1], ['B', 'two', 2]] },
    { name: 'export prefix', text: 'export TOKEN=abc\n', entries: [['TOKEN', 'abc', 1]] },
    { name: 'spaces around =', text: 'A = spaced value  \n', entries: [['A', 'spaced value', 1]] },
    { name: 'comments and blanks', text: '# c\n\n   # indented\nA=1\n', entries: [['A', '1', 4]] },
    { name: 'inline comment after unquoted', text: 'A=value # note\n', entries: [['A', 'value', 1]] },
    { name: '# without a space before is part of the value', text: 'PASSWORD=pa#ss\n', entries: [['PASSWORD', 'pa#ss', 1]] },
    { name: 'value that is only a comment', text: 'A= # nothing\n', entries: [['A', '', 1]] },
    { name: 'empty values', text: 'A=\nB=""\nC=\'\'\n', entries: [['A', '', 1], ['B', '', 2], ['C', '', 3]] },
    { name: 'single quotes are literal', text: "A='x\\ny # not a comment'\n", entries: [['A', 'x\\ny # not a comment', 1]] },
    { name: 'double-quote escapes', text: 'A="l1\\nl2\\t\\"q\\" \\\\ \\$x \\z"\n', entries: [['A', 'l1\nl2\t"q" \\ $x \\z', 1]] },
    { name: 'comment after a quoted value', text: 'A="v # kept" # dropped\n', entries: [['A', 'v # kept', 1]] },
    { name: 'multi-line double-quoted (PEM)', text: `KEY="${PEM}"\nNEXT=1\n`, entries: [['KEY', PEM, 1], ['NEXT', '1', 4]] },
    { name: 'PEM with \\n escapes', text: `KEY="${PEM.replace(/\n/g, '\\n')}"\n`, entries: [['KEY', PEM, 1]] },
    { name: 'CRLF', text: 'A=1\r\nB="x"\r\n', entries: [['A', '1', 1], ['B', 'x', 2]] },
    { name: 'CRLF inside a multi-line value', text: 'A="l1\r\nl2"\r\nB=2\r\n', entries: [['A', 'l1\nl2', 1], ['B', '2', 3]] },
    { name: 'BOM', text: '\uFEFFA=1\n', entries: [['A', '1', 1]] },
    { name: 'dots and dashes in names', text: 'app.name-x=1\n', entries: [['app.name-x', '1', 1]] },
    { name: 'value with =', text: 'CONN=AccountName=a;AccountKey=b==\n', entries: [['CONN', 'AccountName=a;AccountKey=b==', 1]] },
    { name: 'duplicates are all kept', text: 'A=1\nA=2\n', entries: [['A', '1', 1], ['A', '2', 2]] },
    { name: 'bad lines', text: 'A=1\nnot an assignment\n1BAD=x\nexport ONLY\nB=2\n', entries: [['A', '1', 1], ['B', '2', 5]], bad: [2, 3, 4] },
    {
      name: 'unterminated quote: bad line, best-effort entry, parsing goes on',
      text: 'SECRET="abc\nB=2\n',
      entries: [['SECRET', 'abc', 1], ['B', '2', 2]],
      bad: [1],
    },
    { name: 'no trailing newline', text: 'A=1', entries: [['A', '1', 1]] },
  ];
  it.each(cases)('$name', ({ text, entries, bad }) => {
    const r = parseDotenv(text);
    expect(r.entries.map((e) => [e.name, e.value, e.line])).toEqual(entries);
    expect(r.badLines).toEqual(bad ?? []);
  });
});

describe('classifyEnvKey', () => {
  // [name, value, secretLike, reference, empty, why]
  const cases: [string, string, boolean, boolean, boolean][] = [
    // secret by name
    ['ZOHO_CLIENT_SECRET', 'abc', true, false, false],
    ['ZOHO_REFRESH_TOKEN', 'x', true, false, false],
    ['MICROSOFT_APP_PASSWORD', 'x', true, false, false],
    ['DB_PASS', 'x', true, false, false],
    ['DB_PWD', 'x', true, false, false],
    ['SMTP_PASSWD', 'x', true, false, false],
    ['AZURE_STORAGE_CONNECTION_STRING', 'x', true, false, false],
    ['COSMOS_CONN_STR', 'x', true, false, false],
    ['COSMOS_KEY', 'x', true, false, false],
    ['AZURE_STORAGE_KEY', 'x', true, false, false],
    ['STORAGE_ACCOUNT_KEY', 'x', true, false, false],
    ['OPENAI_API_KEY', 'x', true, false, false],
    ['apiKey', 'x', true, false, false],
    ['SENDGRID_APIKEY', 'x', true, false, false],
    ['JWT_SIGNING_KEY', 'x', true, false, false],
    ['PRIVATE_KEY', 'x', true, false, false],
    ['PRIVATE_KEY_PEM', 'x', true, false, false],
    ['SERVICE_ACCOUNT_KEY_JSON', 'x', true, false, false],
    ['AWS_SECRET_ACCESS_KEY', 'x', true, false, false],
    ['STORAGE_SAS', 'x', true, false, false],
    ['AZURE_CREDENTIALS', 'x', true, false, false],
    ['BASIC_AUTH', 'user:pw', true, false, false],
    ['REDIS_AUTH', 'x', true, false, false],
    ['SECRET_KEY_BASE', 'x', true, false, false],
    ['SESSION_SECRET', 'x', true, false, false],
    ['KEY', 'x', true, false, false],
    // about a credential, not the credential
    ['ZOHO_CLIENT_ID', '1000.ABCDEFGHIJKLMNOPQRSTUVWXYZ1234', false, false, false],
    ['MICROSOFT_APP_ID', '8f1c2d3e-4a5b-6c7d-8e9f-0a1b2c3d4e5f', false, false, false],
    ['AZURE_TENANT_ID', '8f1c2d3e-4a5b-6c7d-8e9f-0a1b2c3d4e5f', false, false, false],
    ['TOKEN_URL', 'https://accounts.zoho.com/oauth/v2/token', false, false, false],
    ['ZOHO_TOKEN_ENDPOINT', 'https://accounts.zoho.eu/oauth/v2/token', false, false, false],
    ['AUTH_URL', 'https://login.microsoftonline.com/x', false, false, false],
    ['AUTH_PROVIDER', 'entra', false, false, false],
    ['KEY_VAULT_NAME', 'pippai-keyvault-prod', false, false, false],
    ['AZURE_KEY_VAULT_URL', 'https://pippai-keyvault-prod.vault.azure.net/', false, false, false],
    ['CLIENT_SECRET_NAME', 'zoho-client-secret', false, false, false],
    ['PRIVATE_KEY_PATH', '/etc/ssl/private/app.key', false, false, false],
    ['ACCESS_KEY_ID', 'AKIAIOSFODNN7EXAMPLE', false, false, false],
    ['OPENAI_MAX_TOKENS', '4096', false, false, false],
    ['TOKEN_EXPIRES_IN', '3600', false, false, false],
    ['PARTITION_KEY', '/customerId', false, false, false],
    ['VAPID_PUBLIC_KEY', 'BEl62iUYgUivxIkv69yViEuiBIa', false, false, false],
    ['PASSPORT_STRATEGY', 'oauth', false, false, false],
    ['COSMOS_ENDPOINT', 'https://acct.documents.azure.com:443/', false, false, false],
    ['APPLICATIONINSIGHTS_CONNECTION_STRING', 'InstrumentationKey=00000000-0000-0000-0000-000000000000', false, false, false],
    ['PWD', '/app', false, false, false],
    ['NODE_ENV', 'production', false, false, false],
    ['PORT', '3000', false, false, false],
    ['ZOHO_ORG_ID', '60012345678', false, false, false],
    ['GOOGLE_APPLICATION_CREDENTIALS', '/etc/app/service-account.json', false, false, false],
    ['PUBLIC_HOSTNAME', 'processing.pippaoflondon.co.uk', false, false, false],
    ['AZURE_STORAGE_ACCOUNT', 'pippaistorageprod', false, false, false],
    // secret by value shape, whatever the name
    ['ZOHO', '1000.8cb99dxxxxxxxxxxxxxxxxx0e2f00.f3c1dxxxxxxxxxxxxxxxxx1a2b3c4', true, false, false],
    ['BEARER', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', true, false, false],
    ['STORAGE', 'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=abc123==;EndpointSuffix=core.windows.net', true, false, false],
    ['DATABASE_URL', 'postgres://app:hunter2@db.internal:5432/orders', true, false, false],
    ['UPLOAD_URL', 'https://acct.blob.core.windows.net/c?sv=2022-11-02&ss=b&sig=abcdEFGH%3D', true, false, false],
    ['CERT', PEM, true, false, false],
    ['ENTRA', 'abc8Q~aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456_', true, false, false],
    ['SOME_VALUE', 'q8Fz2LxP0vRk7TnY3mWc9HbJ5sDg1AeU', true, false, false],
    ['WEBHOOK', '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b', true, false, false],
    // long but not random: not secret
    ['LONG_NAME', 'workflow-api.processing.pippaoflondon.co.uk', false, false, false],
    ['GIT_COMMIT_SHA', '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b', false, false, false],
    ['CORRELATION', '8f1c2d3e-4a5b-6c7d-8e9f-0a1b2c3d4e5f', false, false, false],
    // references
    ['ZOHO_CLIENT_SECRET', '@Microsoft.KeyVault(SecretUri=https://pippai-keyvault-prod.vault.azure.net/secrets/zoho-client-secret/)', true, true, false],
    ['MICROSOFT_APP_PASSWORD', '@Microsoft.KeyVault(VaultName=pippai-keyvault-prod;SecretName=bot-app-password)', true, true, false],
    ['ZOHO_REFRESH_TOKEN', 'kv://pippai-keyvault-prod/zoho-refresh-token', true, true, false],
    ['COSMOS_KEY', 'keyvault://pippai-keyvault-prod/cosmos-key', true, true, false],
    ['STORAGE_KEY', 'akv:pippai-keyvault-prod/storage-key', true, true, false],
    ['BOT_SECRET', 'https://pippai-keyvault-prod.vault.azure.net/secrets/bot-secret', true, true, false],
    ['DB_PASSWORD', '${DB_PASSWORD_FROM_SYSTEMD}', true, true, false],
    ['DB_PASSWORD', '${A}-suffix', true, false, false],
    ['DB_PASSWORD', '@Microsoft.KeyVault(SecretUri=https://x.vault.azure.net/secrets/y', true, false, false],
    // empty
    ['ZOHO_CLIENT_SECRET', '', true, false, true],
    ['NODE_ENV', '', false, false, true],
  ];
  it.each(cases)('%s=%s', (name, value, secretLike, reference, empty) => {
    expect(classifyEnvKey(name, value)).toEqual({ secretLike, reference, empty });
  });
  it('has a broad table', () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
  });
});

describe('helpers', () => {
  it('nameWords splits snake, kebab, dots and camelCase', () => {
    expect(nameWords('cosmosPrimaryKey')).toEqual(['COSMOS', 'PRIMARY', 'KEY']);
    expect(nameWords('app.api-key_X')).toEqual(['APP', 'API', 'KEY', 'X']);
  });
  it('fingerprint is the first 8 hex of sha256', () => {
    expect(fingerprint('hello', new Uint8Array())).toBe('2cf24dba');
    expect(fingerprint('hello')).toBe(fingerprint('hello'));
    expect(fingerprint('hello')).not.toBe('2cf24dba');
    expect(fingerprint('a')).not.toBe(fingerprint('b'));
  });
  it('isReference / looksLikeSecretValue', () => {
    expect(isReference(' kv://v/s ')).toBe(true);
    expect(isReference('plain')).toBe(false);
    expect(looksLikeSecretValue('')).toBe(false);
    expect(looksLikeSecretValue('hello world')).toBe(false);
  });
});

describe('value shape: long random strings vs long names', () => {
  const names = [
    'MyCompanyProductionStorage2024Backup',
    'pippaistorageprod2024backupcontainer01',
    'Microsoft.Web/sites/workflow-api-prod-uksouth',
    'DefaultEndpointsProtocolHttpsCoreWindowsNet',
    'orders-prod-rg.privatelink.documents.azure.com',
    'Standard_D2s_v3_uksouth_production_vm01',
    'ProcessingPippaOfLondonOrdersWorkflow2025',
    'teams-bot-prod-uksouth-01-appservice-plan',
  ];
  it.each(names)('%s is not a secret', (v) => {
    expect(looksLikeSecretValue(v)).toBe(false);
  });
  const secrets = [
    'q8Fz2LxP0vRk7TnY3mWc9HbJ5sDg1AeU', // base62
    'Zm9vYmFyYmF6cXV4cXV1eDEyMzQ1Njc4OTBhYmNk/+w=', // base64
    '7c4a8d09ca3762af61e59520943dc26494f8941b', // hex (sha1-shaped, in a non-identifier name)
  ];
  it.each(secrets)('%s is a secret', (v) => {
    expect(looksLikeSecretValue(v)).toBe(true);
  });
});

describe('isOrdinaryValue: a secret-named key with an ordinary value holds no secret', () => {
  it.each([
    ['credential', 'environment'],
    ['credential', 'managed-identity'],
    ['AZURE_CREDENTIAL', '"environment"'],
    ['token_ttl', '3600'],
    ['session_secret_rotation', '30d'],
    ['api_key', '<value>'],
    ['ZOHO_PROD_CLIENT_SECRET', '<value>'],
    ['password', 'changeme'],
    ['password', 'true'],
    ['client_secret', '${ZOHO_CLIENT_SECRET}'],
    ['private_key', '/etc/ssl/private/app.key'],
    ['token', ''],
  ])('%s: %s', (name, value) => {
    expect(isOrdinaryValue(name, value)).toBe(true);
  });

  it.each([
    ['password', 'hunter'], // a password may be a plain word
    ['DB_PASS', 'sunshine'],
    ['api_key', 'k3y-v4lu3-9876543'],
    ['token', 'abc$DEF"123'],
    ['credential', 'Environment1!'],
  ])('%s: %s is a secret', (name, value) => {
    expect(isOrdinaryValue(name, value)).toBe(false);
  });
});
