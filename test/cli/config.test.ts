/**
 * `predeploy config`: every effective value with where it came from — the built-in profile, a
 * line of predeploy.yaml, the environment — and credentials as names only.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

interface JsonView {
  root: { path: string; from: string };
  configFile: string | null;
  entries: { key: string; value: unknown; from: { kind: string; file?: string; line?: number; column?: number; name?: string }; source: string; note?: string }[];
}

function root(yaml?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'predeploy-config-cli-'));
  if (yaml !== undefined) writeFileSync(join(dir, 'predeploy.yaml'), yaml);
  return dir;
}

async function view(argv: string[], env: Record<string, string> = {}): Promise<JsonView> {
  const r = await cli(['config', '--json', ...argv], { env });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as JsonView;
}
const entry = (v: JsonView, key: string) => v.entries.find((e) => e.key === key);

describe('predeploy config', () => {
  it('built-in profile: every value says so; no file', async () => {
    const dir = root();
    const v = await view(['--root', dir]);
    expect(v.configFile).toBeNull();
    expect(v.root).toEqual({ path: dir, from: 'option' });
    expect(entry(v, 'domain.prod')).toMatchObject({ value: 'TBD', from: { kind: 'profile' }, source: 'built-in profile' });
    expect(v.entries.filter((e) => e.from.kind !== 'profile')).toEqual([]);
  });

  it('predeploy.yaml: the values it sets point at their line and column; the rest stay the profile', async () => {
    const dir = root(['profile: order-processing', 'domain:', '  prod: orders.example.com', 'host:', '  allowedPublicPorts: [80, 443]', 'notApplicable:', '  zoho.webhooks: none here', ''].join('\n'));
    const file = join(dir, 'predeploy.yaml');
    const v = await view(['--root', dir]);
    expect(v.configFile).toBe(file);
    expect(entry(v, 'domain.prod')).toMatchObject({ value: 'orders.example.com', from: { kind: 'file', file, line: 3, column: 9 }, source: `${file}:3:9` });
    expect(entry(v, 'host.allowedPublicPorts')).toMatchObject({ value: [80, 443], from: { kind: 'file', line: 5, column: 23 } });
    expect(entry(v, 'notApplicable["zoho.webhooks"]')).toMatchObject({ value: 'none here', from: { kind: 'file', line: 7 } });
    expect(entry(v, 'profile')).toMatchObject({ from: { kind: 'file', line: 1 } });
    expect(entry(v, 'domain.dev')).toMatchObject({ from: { kind: 'profile' } });
    expect(entry(v, 'host.requiredJails')).toMatchObject({ from: { kind: 'profile' } });
  });

  it('--config names the file; the text form shows file:line:col', async () => {
    const dir = root();
    const file = join(dir, 'other.yaml');
    writeFileSync(file, 'azure:\n  prod:\n    keyVault: kv-prod\n');
    const r = await cli(['config', '--root', dir, '--config', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^azure\\.prod\\.keyVault +kv-prod +${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:3:15$`, 'm'));
    expect(r.stdout).toMatch(/^azure\.dev\.keyVault +pippai-keyvault-dev +built-in profile$/m);
  });

  it('environment: OP_ROOT for the root, AZURE_SUBSCRIPTION_ID for a subscription the file does not set', async () => {
    const dir = root();
    const v = await view([], { OP_ROOT: dir, AZURE_SUBSCRIPTION_ID: '00000000-1111-2222-3333-444444444444' });
    expect(v.root).toEqual({ path: dir, from: 'env' });
    expect(entry(v, 'azure.subscriptionId')).toMatchObject({
      value: '00000000-1111-2222-3333-444444444444',
      from: { kind: 'env', name: 'AZURE_SUBSCRIPTION_ID' },
      source: 'environment AZURE_SUBSCRIPTION_ID',
    });
    const text = (await cli(['config'], { env: { OP_ROOT: dir } })).stdout;
    expect(text).toMatch(/^root: +\S+ \(environment OP_ROOT\)$/m);
    expect(text).toMatch(/^azure\.subscriptionId +\(not set\) +built-in profile — not set: the Azure CLI default subscription is used at run time$/m);
  });

  it('the file wins over the environment for the subscription', async () => {
    const dir = root('azure:\n  subscriptionId: from-file\n');
    const v = await view(['--root', dir], { AZURE_SUBSCRIPTION_ID: 'from-env' });
    expect(entry(v, 'azure.subscriptionId')).toMatchObject({ value: 'from-file', from: { kind: 'file', line: 2 } });
  });

  it('credentials: names only, whether the variable is set, never its value', async () => {
    const dir = root('zoho:\n  prod:\n    clientSecret: { env: ZOHO_PROD_CLIENT_SECRET }\n');
    const canary = 'CANARY-zoho-secret-value-7f3a9';
    const r = await cli(['config', '--root', dir], { env: { ZOHO_PROD_CLIENT_SECRET: canary } });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain(canary);
    expect(r.stdout).toMatch(/^zoho\.prod\.clientSecret\.env +ZOHO_PROD_CLIENT_SECRET +\S+:3:26 — credential: variable name, set in the environment \(value never shown\)$/m);
    expect(r.stdout).toMatch(/^zoho\.prod\.refreshToken\.keyVaultSecret +zoho-refresh-token +built-in profile — credential: Key Vault secret name \(value never read\)$/m);
    const json = await cli(['config', '--json', '--root', dir], { env: { ZOHO_PROD_CLIENT_SECRET: canary } });
    expect(json.stdout).not.toContain(canary);
  });

  it('a bad predeploy.yaml is exit 2 with every problem located', async () => {
    const dir = root('domain:\n  prd: x\nzoho:\n  plan: gold\n');
    const r = await cli(['config', '--root', dir]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(oneLines(r.stderr)).toEqual([
      `predeploy: ${join(dir, 'predeploy.yaml')}:2:3: unknown key "prd" in domain (did you mean "prod"?)`,
      expect.stringMatching(new RegExp(`^predeploy: .*predeploy\\.yaml:4:9: zoho\\.plan: expected one of "free"`)),
    ]);
  });
});

function oneLines(s: string): string[] {
  return s.trimEnd().split('\n');
}
