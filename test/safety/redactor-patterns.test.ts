/**
 * Secrets the tool was never told about, found by pattern (issue 11 item 6), the words that
 * must survive (issue 9 item 10), and the tool's own advice text (issue 10 item 4).
 */
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/checks/index.js';
import { Redactor } from '../../src/safety/redactor.js';

const r = new Redactor();

/** [name, input, the secret that must go, what must be there after] */
const UNKNOWN: readonly [string, string, string, string][] = [
  // argv, as `ps -eo args`, a unit file's ExecStart or a cron line shows it
  ['--password X', 'node app.js --password Hunt3r2Hunt3r --port 3000', 'Hunt3r2Hunt3r', '--password [REDACTED:password] --port 3000'],
  ['--password=X', '/usr/bin/backup --password=Hunt3r2Hunt3r', 'Hunt3r2Hunt3r', '--password=[REDACTED:password]'],
  ['--token X', 'runner --token ghx_0123456789abcdef --once', 'ghx_0123456789abcdef', '--token [REDACTED:token] --once'],
  ['--key X', 'az storage blob list --account-name acct --key Zm9vYmFyYmF6cXV4Zm9v==', 'Zm9vYmFyYmF6', '--key [REDACTED:secret]'],
  ['--secret X', 'app --secret "s3 cr3t value"', 's3 cr3t value', '--secret "[REDACTED:secret]"'],
  ['--client-secret X', 'login --client-id abc --client-secret Abc8Q~xyz0123', 'Abc8Q~xyz0123', '--client-id abc --client-secret [REDACTED:client-secret]'],
  ['--account-key=X', 'azcopy --account-key=AbCdEf0123456789', 'AbCdEf0123456789', '--account-key=[REDACTED:secret]'],
  ['--sas-token X', 'sync --sas-token sv2022abcdef', 'sv2022abcdef', '--sas-token [REDACTED:token]'],
  ['-password X', 'tool -password Hunt3r2Hunt3r', 'Hunt3r2Hunt3r', '-password [REDACTED:password]'],
  ['mysql -pVALUE', 'mysql -u root -pHunt3r2Hunt3r orders', 'Hunt3r2Hunt3r', '-u root -p[REDACTED:password] orders'],
  ['mysqldump -pVALUE', '/usr/bin/mysqldump --single-transaction -u app -p\'Hunt3r$2\' db', 'Hunt3r$2', "-p'[REDACTED:password]' db"],
  ['sshpass -p VALUE', 'sshpass -p Hunt3r2Hunt3r ssh host', 'Hunt3r2Hunt3r', 'sshpass -p [REDACTED:password] ssh'],
  ['redis-cli -a VALUE', 'redis-cli -h cache -a Hunt3r2Hunt3r ping', 'Hunt3r2Hunt3r', '-a [REDACTED:password] ping'],
  ['openssl pass:', 'openssl pkcs12 -in a.p12 -passin pass:Hunt3r2Hunt3r -nokeys', 'Hunt3r2Hunt3r', '-passin pass:[REDACTED:password] -nokeys'],
  // key: value lines
  ['YAML password', 'db:\n  host: x\n  password: Hunt3r2Hunt3r\n', 'Hunt3r2Hunt3r', '  password: [REDACTED:password]\n'],
  ['YAML quoted', 'password: "Hunt3r 2 Hunt3r" # prod\n', 'Hunt3r 2 Hunt3r', 'password: "[REDACTED:password]" # prod'],
  ['YAML list item', '- token: tok-0123456789\n', 'tok-0123456789', '- token: [REDACTED:token]'],
  ['YAML api_key', 'api_key: k3y-v4lu3-9876543', 'k3y-v4lu3-9876543', 'api_key: [REDACTED:api-key]'],
  ['YAML private_key', 'private_key: MIIEvQIBADANBgkqhkiG9w0', 'MIIEvQIBADANBgkqhkiG9w0', 'private_key: [REDACTED:secret]'],
  ['INI', '[client]\npassword = Hunt3r2Hunt3r\n', 'Hunt3r2Hunt3r', 'password = [REDACTED:password]'],
  ['.env DB_PASS', 'DB_HOST=x\nDB_PASS=Hunt3r2Hunt3r\n', 'Hunt3r2Hunt3r', 'DB_PASS=[REDACTED:password]'],
  ['.env export', 'export SMTP_PASSWORD="Hunt3r 2"\n', 'Hunt3r 2', 'export SMTP_PASSWORD="[REDACTED:password]"'],
  ['.env APIKEY', 'SENDGRID_APIKEY=SG.abcdefghij', 'SG.abcdefghij', 'SENDGRID_APIKEY=[REDACTED:api-key]'],
  ['properties passwd', 'spring.datasource.passwd=Hunt3r2Hunt3r', 'Hunt3r2Hunt3r', 'spring.datasource.passwd=[REDACTED:password]'],
  ['inline DB_PASS', 'env DB_PASS=Hunt3r2Hunt3r node server.js', 'Hunt3r2Hunt3r', 'env DB_PASS=[REDACTED:password] node'],
  ['nginx proxy_set_header x-api-key', '    proxy_set_header X-Api-Key "k3y-v4lu3-9876543";', 'k3y-v4lu3-9876543', 'proxy_set_header X-Api-Key "[REDACTED:api-key]";'],
  ['nginx fastcgi_param', '  fastcgi_param DB_PASSWORD Hunt3r2Hunt3r;', 'Hunt3r2Hunt3r', 'fastcgi_param DB_PASSWORD [REDACTED:password];'],
  ['nginx set', '  set $api_token "tok-0123456789";', 'tok-0123456789', 'set $api_token "[REDACTED:token]";'],
  ['nginx Authorization', '  proxy_set_header Authorization "Basic dXNlcjpodW50ZXIyMg==";', 'dXNlcjpodW50', 'Authorization "Basic [REDACTED:authorization]"'],
  // headers, in a dump or a curl command
  ['x-api-key', '> x-api-key: k3y-v4lu3-9876543\r\n', 'k3y-v4lu3-9876543', 'x-api-key: [REDACTED:api-key]'],
  ['api-key', 'api-key: k3y-v4lu3-9876543', 'k3y-v4lu3-9876543', 'api-key: [REDACTED:api-key]'],
  ['Ocp-Apim-Subscription-Key', "curl -H 'Ocp-Apim-Subscription-Key: 0123456789abcdef0123456789abcdef' https://x", '0123456789abcdef', "'Ocp-Apim-Subscription-Key: [REDACTED:api-key]'"],
  ['JSON header dump', '{"x-api-key": "k3y-v4lu3-9876543", "accept": "*/*"}', 'k3y-v4lu3-9876543', '"x-api-key": "[REDACTED:api-key]", "accept": "*/*"'],
  ['Cookie', '> Cookie: session=abc123def456; theme=dark\n', 'abc123def456', 'Cookie: [REDACTED:cookie]\n'],
  ['Set-Cookie', '< Set-Cookie: ASP.NET_SessionId=abc123def456; path=/; secure; HttpOnly', 'abc123def456', 'Set-Cookie: ASP.NET_SessionId=[REDACTED:cookie]; path=/; secure; HttpOnly'],
  ['Proxy-Authorization', 'Proxy-Authorization: Basic dXNlcjpodW50ZXIyMg==', 'dXNlcjpodW50', 'Proxy-Authorization: Basic [REDACTED:authorization]'],
];

/** Ordinary text around secret-looking names: must come out unchanged. */
const ORDINARY: readonly [string, string][] = [
  ['credential: environment (issue 9)', 'azure:\n  credential: environment\n  auth: managed-identity'],
  ['key: true / numbers / paths', 'token_ttl: 3600\npassword_auth: true\napi_key_file: /etc/app/key\nprivate_key: /etc/ssl/private/app.key\nsecret_rotation_days: 90'],
  ['placeholders', 'api_key: <value>\npassword: changeme\nclient_secret: ${ZOHO_CLIENT_SECRET}\ntoken: "<token>"'],
  ['systemctl -p', 'systemctl show nginx -p ActiveState,SubState --value'],
  ['ss -p and ports', 'ss -tlnp\ndocker run -p 8080:80 nginx\nssh -p 2222 host'],
  ['flags that are not secrets', 'az keyvault secret set --vault-name v --name zoho-client-secret --value <value>\nopenssl x509 -in cert.pem -noout\ncertbot --key-type ecdsa\n--token-url https://x/token'],
  ['sshd and fail2ban words', 'passwordauthentication no\npermitemptypasswords no\nkbdinteractiveauthentication no'],
  ['nginx variables', 'proxy_set_header X-Api-Key $http_x_api_key;\nproxy_set_header Cookie $http_cookie;'],
  ['prose', 'Set the password with --password <value> or the DB_PASSWORD variable.'],
];

describe('secrets the tool was not told about', () => {
  it.each(UNKNOWN)('%s', (_name, input, secret, expected) => {
    const out = r.redact(input);
    expect(out).not.toContain(secret);
    expect(out).toContain(expected);
    expect(r.redact(out)).toBe(out);
  });

  it.each(ORDINARY)('leaves %s alone', (_name, text) => {
    expect(r.redact(text)).toBe(text);
  });

  it('redacts credential headers in a structured header dump, keeping cookie attributes', () => {
    const out = r.redactDeep({ headers: { 'x-api-key': 'k3y-v4lu3-9876543', 'set-cookie': 'sid=abc123def456; Path=/; Secure', accept: '*/*', authorization: 'Bearer abcdef123456' } });
    expect(out).toEqual({ headers: { 'x-api-key': '[REDACTED:api-key]', 'set-cookie': 'sid=[REDACTED:cookie]; Path=/; Secure', accept: '*/*', authorization: '[REDACTED:authorization]' } });
  });
});

describe('our own text survives the redactor (issue 10 item 4)', () => {
  it('a `<value>` placeholder survives while a real value next to it, same variable, goes', () => {
    const x = new Redactor();
    for (const line of [
      'export it for this run only: ZOHO_PROD_CLIENT_SECRET=<value> predeploy assess (was ZOHO_PROD_CLIENT_SECRET=Sup3r-s3cret-value)',
      'ZOHO_PROD_CLIENT_SECRET=<value> ZOHO_PROD_CLIENT_SECRET=Sup3r-s3cret-value',
      'ZOHO_PROD_CLIENT_SECRET: <value>, ZOHO_PROD_CLIENT_SECRET=Sup3r-s3cret-value',
      '--client-secret <value> --client-secret Sup3r-s3cret-value',
    ]) {
      const out = x.redact(line);
      expect(out, line).toContain('<value>');
      expect(out, line).not.toContain('Sup3r-s3cret-value');
      expect(out, line).toMatch(/\[REDACTED:client-secret\]/);
    }
  });

  it('the placeholder survives even when the real value was registered as a known secret', () => {
    const x = new Redactor();
    x.addSecret('Sup3r-s3cret-value');
    const out = x.redact('ZOHO_PROD_CLIENT_SECRET=<value> predeploy assess; ZOHO_PROD_CLIENT_SECRET=Sup3r-s3cret-value');
    expect(out).toBe('ZOHO_PROD_CLIENT_SECRET=<value> predeploy assess; ZOHO_PROD_CLIENT_SECRET=[REDACTED]');
  });

  it('no check title, summary text, rationale or remediation is changed by the redactor', () => {
    const x = new Redactor();
    for (const check of CHECKS) {
      const text = JSON.stringify(check.meta);
      expect(x.redact(text), check.meta.id).toBe(text);
    }
  });
});
