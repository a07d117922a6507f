/**
 * `predeploy config` shows what `assess` would use: without a config file, discovered values with
 * their source ("discovered: Key Vault URL in KEY_VAULT_URL at .env.production:1"); with one, the
 * configured value, and where discovery disagrees (the configuration wins). Secrets planted in the
 * `.env` never appear. Offline: only this machine's files and commands are read.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

interface JsonView {
  entries: { key: string; value: unknown; from: { kind: string; source?: string }; source: string; note?: string }[];
  discovery?: { conflicts: string[]; notes: string[] };
}

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const CANARY = 'CANARYaccountKEY0123456789abcdefABCDEF0123456789abcdefABCDEF0123456789abcdefAB==';

async function rootWithEnv(yaml?: string): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'predeploy-config-disc-'));
  dirs.push(d);
  await writeFile(
    join(d, '.env.production'),
    [
      'KEY_VAULT_URL=https://pippai-keyvault-prod.vault.azure.net/',
      `AZURE_STORAGE_CONNECTION_STRING=DefaultEndpointsProtocol=https;AccountName=pippaistorageprod;AccountKey=${CANARY};EndpointSuffix=core.windows.net`,
      '',
    ].join('\n'),
  );
  if (yaml !== undefined) await writeFile(join(d, 'predeploy.yaml'), yaml);
  return d;
}

describe('predeploy config with discovery', () => {
  it('without a config file: each discovered value with its source, file:line', async () => {
    const root = await rootWithEnv();
    const text = await cli(['config', '--root', root, '--offline']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^azure\.prod\.keyVault +pippai-keyvault-prod +discovered: Key Vault URL in KEY_VAULT_URL at \.env\.production:1$/m);
    expect(text.stdout).toMatch(/^azure\.prod\.storageAccount +pippaistorageprod +discovered: AccountName of a connection string in AZURE_STORAGE_CONNECTION_STRING at \.env\.production:2$/m);
    const json = await cli(['config', '--json', '--root', root, '--offline']);
    expect(json.code, json.stderr).toBe(0);
    const v = JSON.parse(json.stdout) as JsonView;
    const kv = v.entries.find((e) => e.key === 'azure.prod.keyVault');
    expect(kv).toMatchObject({ value: 'pippai-keyvault-prod', from: { kind: 'discovered' }, source: 'discovered: Key Vault URL in KEY_VAULT_URL at .env.production:1' });
    expect(v.discovery).toBeDefined();
    for (const s of [text.stdout, text.stderr, json.stdout, json.stderr]) {
      expect(s).not.toContain(CANARY);
      expect(s).not.toContain(CANARY.slice(6, 30));
    }
  });

  it('with a config file: the configuration wins, the disagreement is shown on the entry and in a section', async () => {
    const root = await rootWithEnv('azure:\n  prod:\n    keyVault: another-vault-prod\n');
    const text = await cli(['config', '--root', root, '--offline']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^azure\.prod\.keyVault +another-vault-prod +\S*\/predeploy\.yaml:3:15 — discovery shows pippai-keyvault-prod \(Key Vault URL in KEY_VAULT_URL at \.env\.production:1\); the configuration wins$/m);
    expect(text.stdout).toContain('Discovery disagrees with the configuration (the configuration wins):');
    expect(text.stdout).toMatch(/azure\.prod\.keyVault: .*predeploy\.yaml says another-vault-prod, this machine shows pippai-keyvault-prod \(discovered: Key Vault URL in KEY_VAULT_URL at \.env\.production:1\); the configuration wins/);
    // a config file is used as it is: discovery fills nothing in (assess does the same)
    expect(text.stdout).toMatch(/^azure\.prod\.storageAccount +TBD +built-in profile$/m);
    const v = JSON.parse((await cli(['config', '--json', '--root', root, '--offline'])).stdout) as JsonView;
    expect(v.entries.find((e) => e.key === 'azure.prod.keyVault')?.value).toBe('another-vault-prod');
    expect(v.discovery?.conflicts.join('\n')).toMatch(/azure\.prod\.keyVault/);
  });

  it('--no-discovery: the profile alone, and the view says discovery did not run', async () => {
    const root = await rootWithEnv();
    const r = await cli(['config', '--root', root, '--no-discovery']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^azure\.prod\.keyVault +TBD +built-in profile$/m);
    expect(r.stdout).toContain('Discovery: not run (--no-discovery).');
  });
});
