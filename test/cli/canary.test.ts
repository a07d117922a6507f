/**
 * Invariant 2 (docs/ARCHITECTURE.md): no secret leaves the process. Canary secrets are planted in `.env`,
 * in command outputs and in predeploy.yaml; every output file, stdout and stderr is searched.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CannedTarget } from '../helpers/canned-target.js';
import { cli } from '../helpers/cli.js';

const ENV_CANARIES = {
  ZOHO_CLIENT_SECRET: 'canaryZohoSecret7f3a9c1e55d2',
  MICROSOFT_APP_PASSWORD: 'canary~BotPw.Q8s7d6f5g4h3j2',
  DB_PASSWORD: 'canary db pass 5512 with spaces',
  ZOHO_REFRESH_TOKEN: '1000.c4n4ry0f00d1e5b0a7.9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d',
};
const STORAGE_KEY = 'CANARYaccountKEY0123456789abcdefABCDEF0123456789==';
const JWT = 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJjYW5hcnktand0LXN1YmplY3QifQ.c2lnbmF0dXJlLWNhbmFyeS0xMjM0NTY3ODkw';
const PEM_BODY = 'MIIEowIBAAKCAQEAcanaryPEMbodyLINEqwertyuiopasdfghjklzxcvbnm0123456789';
const URL_PASS = 'CanaryUrlPass99';
const OUTPUT_ZOHO = '1000.0utputc4n4ry11223344.aabbccddeeff00112233445566778899';

const ALL = [...Object.values(ENV_CANARIES), STORAGE_KEY, JWT, 'c2lnbmF0dXJlLWNhbmFyeS0xMjM0NTY3ODkw', PEM_BODY, URL_PASS, OUTPUT_ZOHO];

function root(): string {
  const dir = mkdtempSync(join(tmpdir(), 'predeploy-canary-'));
  const env = [
    ...Object.entries(ENV_CANARIES).map(([k, v]) => (v.includes(' ') ? `${k}="${v}"` : `${k}=${v}`)),
    `AZURE_STORAGE_CONNECTION_STRING=DefaultEndpointsProtocol=https;AccountName=pippai;AccountKey=${STORAGE_KEY};EndpointSuffix=core.windows.net`,
    'NODE_ENV=production',
  ];
  writeFileSync(join(dir, '.env'), env.join('\n') + '\n', { mode: 0o600 });
  writeFileSync(join(dir, 'predeploy.yaml'), `profile: order-processing\nzoho:\n  accountsUrl: "https://admin:${URL_PASS}@accounts.example.test"\n`);
  return dir;
}

// Command outputs that carry secrets: a process list leaking an env value, a token in a log
// line, a key in a config dump. Real tools do print such things.
const target = () =>
  new CannedTarget({
    'ufw status verbose': { stdout: `Status: inactive\n# leaked: Authorization: Bearer ${JWT}\n` },
    'ss -tlnp': {
      stdout: `State Recv-Q Send-Q Local Address:Port Peer Address:Port Process\nLISTEN 0 128 0.0.0.0:22 0.0.0.0:* users:(("sshd",pid=1,fd=3))\n`,
      stderr: `worker env ZOHO_CLIENT_SECRET=${ENV_CANARIES.ZOHO_CLIENT_SECRET} refresh=${OUTPUT_ZOHO}\n`,
    },
    'sshd -T': { stdout: `port 22\npermitrootlogin no\n-----BEGIN RSA PRIVATE KEY-----\n${PEM_BODY}\n-----END RSA PRIVATE KEY-----\n` },
    'apt list --upgradable': { stdout: `Listing...\n`, stderr: `E: https://user:${URL_PASS}@mirror.example.test failed; pw ${ENV_CANARIES.MICROSOFT_APP_PASSWORD}\n` },
    'fail2ban-client status': { exitCode: 255, stderr: `ERROR ${ENV_CANARIES.DB_PASSWORD} AccountKey=${STORAGE_KEY}\n` },
  });

function leaks(texts: Record<string, string>): string[] {
  const found: string[] = [];
  for (const [where, text] of Object.entries(texts)) for (const c of ALL) if (text.includes(c)) found.push(`${c.slice(0, 12)}… in ${where}`);
  return found;
}

describe('no secret in any output', () => {
  it('keeps planted canaries out of every file, stdout and stderr', async () => {
    const dir = root();
    const r = await cli(['assess', '--offline', '--format', 'sarif,junit,html'], { env: { OP_ROOT: dir, OP_RUN_ID: 'canary' }, target: target() });
    expect(r.code).toBe(0);
    const runDir = join(dir, '_codex_predeploy', 'canary');
    const texts: Record<string, string> = { stdout: r.stdout, stderr: r.stderr };
    for (const f of readdirSync(runDir)) texts[f] = readFileSync(join(runDir, f), 'utf8');
    expect(Object.keys(texts)).toHaveLength(10);
    // and `predeploy diff` over it (text and JSON), which reads report.json back
    const again = await cli(['assess', '--offline', '--quiet'], { env: { OP_ROOT: dir, OP_RUN_ID: 'canary-2' }, target: target() });
    const diffText = await cli(['diff'], { env: { OP_ROOT: dir } });
    const diffJson = await cli(['diff', '--json'], { env: { OP_ROOT: dir } });
    expect([again.code, diffText.code, diffJson.code]).toEqual([0, 0, 0]);
    Object.assign(texts, { 'stdout (diff)': diffText.stdout, 'stdout (diff --json)': diffJson.stdout, 'stderr (second run)': again.stderr });
    expect(leaks(texts)).toEqual([]);
    // The outputs were logged (redacted), not dropped: the log still shows the commands ran.
    expect(texts['13_PRODUCTION_DEPLOY_COMMANDS.log']).toContain('fail2ban-client status');
    expect(texts['13_PRODUCTION_DEPLOY_COMMANDS.log']).toContain('REDACTED');
    // redaction keeps report.json valid JSON (patterns never run over serialized JSON)
    expect(() => JSON.parse(texts['report.json'] ?? '') as unknown).not.toThrow();
    expect(() => JSON.parse(texts['report.sarif'] ?? '') as unknown).not.toThrow();
    expect(() => JSON.parse(texts['stdout (diff --json)'] ?? '') as unknown).not.toThrow();
    // secrets.in-key-vault names the keys (never the values)
    expect(texts['report.json']).toContain('ZOHO_CLIENT_SECRET');
  });

  it('keeps a canary in a bad predeploy.yaml out of the error message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'predeploy-canary-'));
    writeFileSync(join(dir, 'predeploy.yaml'), `profile: order-processing\nzoho:\n  clientSecret: ${ENV_CANARIES.ZOHO_CLIENT_SECRET}\n  dataCenter: ${OUTPUT_ZOHO}\n`);
    const r = await cli(['assess', '--offline'], { env: { OP_ROOT: dir, OP_RUN_ID: 'canary2' }, target: target() });
    expect(r.code).toBe(2);
    expect(leaks({ stdout: r.stdout, stderr: r.stderr })).toEqual([]);
    expect(r.stderr).toMatch(/predeploy\.yaml:\d+:\d+: /);
  });
});
