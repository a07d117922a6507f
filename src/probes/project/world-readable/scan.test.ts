import { describe, expect, it } from 'vitest';
import { isBinary, scanContent } from './scan.js';

describe('secret-shaped content', () => {
  it.each([
    ['config.yaml', 'db:\n  password: "s3cr3t-Passw0rd!"\n', [{ line: 2, kind: 'assignment', key: 'password' }], ['s3cr3t-Passw0rd!']],
    ['app.env', 'ZOHO_CLIENT_SECRET=abcdef0123456789\nNODE_ENV=production\n', [{ line: 1, kind: 'assignment', key: 'ZOHO_CLIENT_SECRET' }], ['abcdef0123456789']],
    ['settings.json', '{"clientSecret": "Abc8Q~xyz0123456789abcdefGHIJKLMNOPQRST", "port": 8080}', [{ line: 1, kind: 'entra-client-secret' }], ['Abc8Q~xyz0123456789abcdefGHIJKLMNOPQRST']],
    ['one-line.json', '{"name":"x","api_key":"k3y-v4lu3-9876543"}', [{ line: 1, kind: 'assignment', key: 'api_key' }], ['k3y-v4lu3-9876543']],
    ['notes.txt', 'refresh: 1000.0123456789abcdef0123.fedcba9876543210fedc\n', [{ line: 1, kind: 'zoho-token' }], ['1000.0123456789abcdef0123.fedcba9876543210fedc']],
    ['key.pem', '-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n', [{ line: 1, kind: 'private-key' }], []],
    ['conn.txt', 'DefaultEndpointsProtocol=https;AccountName=x;AccountKey=abcdEFGH1234==;EndpointSuffix=core.windows.net', [{ line: 1, kind: 'connection-string' }], ['abcdEFGH1234==']],
    ['deploy.sh', '# curl https://admin:hunter22@example.test/api\n', [{ line: 1, kind: 'url-password' }], ['hunter22']],
  ])('%s', (path, text, hits, values) => {
    const r = scanContent(path, text);
    expect(r.hits).toEqual(hits);
    expect(r.values).toEqual(values);
  });

  it.each([
    ['placeholders', 'config.yaml', 'password: changeme\napi_key: "<your key>"\ntoken: ${TOKEN}\nsecret: xxxxxxxx\n'],
    ['references', '.env.example', 'ZOHO_CLIENT_SECRET=@Microsoft.KeyVault(VaultName=v;SecretName=s)\nBOT_PASSWORD=kv://vault/bot\n'],
    ['code reading a variable', 'server.js', 'const password = process.env.DB_PASSWORD;\nconst token = req.headers.authorization;\n'],
    ['names about credentials', 'config.yaml', 'token_url: https://accounts.zoho.com/oauth/v2/token\nclient_id: 1000.ABCDEFGHIJKLMNOP\n'],
    ['short values', 'a.env', 'PASSWORD=abc\n'],
    // issue 9 item 10: `credential: environment` selects a login method; registering the word
    // would redact "environment" from the whole run
    ['ordinary config words', 'predeploy.yaml', 'azure:\n  credential: environment\n  auth: managed-identity\ntoken_ttl: 3600\npassword_file: /etc/app/db.pass\n'],
    ['lock file hashes', 'composer.json', '{"integrity": "sha512-q8Fz2LxP0vRk7TnY3mWc9HbJ5sDg1AeUq8Fz2LxP0vRk7TnY3mWc9HbJ5sDg1AeU=="}'],
  ])('not a secret: %s', (_name, path, text) => {
    expect(scanContent(path, text).hits).toEqual([]);
  });

  it('quoted literals count in code files', () => {
    expect(scanContent('src/db.ts', 'const password = "Sup3rS3cret!!";\n').hits).toEqual([{ line: 1, kind: 'assignment', key: 'password' }]);
  });

  it('binary detection', () => {
    expect(isBinary(Buffer.from([0x89, 0x50, 0x00, 0x01]))).toBe(true);
    expect(isBinary(Buffer.from('text'))).toBe(false);
  });
});
